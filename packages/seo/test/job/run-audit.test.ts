import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { auditSite } from '../../src/audit/audit.ts';
import { siteScore } from '../../src/audit/score.ts';
import { crawl } from '../../src/crawl/crawler.ts';
import { runAudit } from '../../src/job/run-audit.ts';
import type { AuditSummary } from '../../src/job/summary.ts';
import { cancelAudit, listFindings } from '../../src/store/audits.ts';
import { listPages } from '../../src/store/pages.ts';
import { SqlCrawlStateStore } from '../../src/store/sql-crawl-store.ts';
import type { Finding } from '../../src/types.ts';
import { describeEachEngine, openTestDb, type TestDb } from '../store/engines.ts';
import { type FixtureSite, SITE_PATHS, startFixtureSite } from './site.ts';

const NOW = Date.UTC(2026, 10, 23, 12);
const clock = () => NOW;
const SETTINGS = { allowPrivateTargets: true, delayMs: 0 };
const brief = (findings: readonly Finding[], base: string) =>
  findings.map((f) => `${f.severity} ${f.check} ${f.urls.map((u) => u.replace(base, '')).join(' ')}`);

// Crawl order depends on which concurrent fetch finishes first, so the order of findings and of
// the URLs inside one finding may differ between two crawls of the same site: compare them as sets.
const canonical = (findings: readonly Finding[]) =>
  findings
    .map((f) => ({ ...f, urls: [...f.urls].sort() }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describeEachEngine('runAudit', (engine) => {
  let db: TestDb;
  let site: FixtureSite;
  beforeAll(async () => {
    db = await openTestDb(engine);
  });
  afterAll(() => db.dispose());
  beforeEach(async () => {
    site = await startFixtureSite();
  });
  afterEach(() => site.close());

  it('stores the findings and score the audit library gives for the same pages with their bodies', async () => {
    const id = await db.audit(`${site.base}/`, SETTINGS);
    const ran = await runAudit(db.oltp.db, id, { clock });
    if (!ran.ok) throw new Error(ran.error.message);
    const stored = (await listFindings(db.oltp.db, id)).findings;

    // The reference: the library over an in-memory crawl that keeps bodies.
    const reference = await crawl({
      startUrls: [`${site.base}/`],
      allowPrivateTargets: true,
      perHostDelayMs: 0,
    });
    if (!reference.ok) throw new Error(reference.error.message);
    const library = auditSite(reference.value.pages, { now: new Date(NOW) });
    const cannibalised = stored.filter((f) => f.check === 'content.keyword_cannibalisation');
    expect(canonical(stored.filter((f) => f.check !== 'content.keyword_cannibalisation'))).toEqual(
      canonical(library),
    );
    expect(brief(canonical(cannibalised), site.base)).toEqual([
      'warning content.keyword_cannibalisation /ar/red-roses /ar/roses',
    ]);
    expect(cannibalised[0]?.details).toEqual({ keyword: 'ورود حمراء طازجة', stems: expect.any(String) });
    expect(brief(canonical(stored.filter((f) => f.severity === 'critical')), site.base).sort()).toEqual([
      'critical links.broken_internal /',
      'critical status.client_error /ar/missing',
      'critical title.missing /ar/no-title',
    ]);
    expect(stored.length).toBe(72);

    expect(ran.value).toMatchObject({
      status: 'done',
      pages_done: SITE_PATHS.length,
      pages_queued: 0,
      errors: 1,
      score: siteScore([...library, ...cannibalised], SITE_PATHS.length),
      started_at: NOW,
      finished_at: NOW,
    });
    expect(ran.value.score).toBe(81);
    const summary = JSON.parse(ran.value.summary ?? '{}') as AuditSummary;
    expect(summary).toMatchObject({
      crawl: 'complete',
      pages: 19,
      external: 0,
      errors: 1,
      findings: { critical: 3, warning: 4, notice: 65 },
      urls: { critical: 3, warning: 4, notice: 11 },
      render: { measured: false },
    });
    expect(summary.timings.ttfbMs?.p50).toBeGreaterThan(0);
    expect(summary.keywords[0]).toMatchObject({ surface: 'مناسبة', pages: 17 });

    const { pages, total } = await listPages(db.oltp.db, id, { limit: 2, offset: 1 });
    expect(total).toBe(19);
    expect(pages.map((p) => [p.url.replace(site.base, ''), p.status, p.depth, p.title])).toEqual([
      ['/ar/roses', 200, 1, 'ورود حمراء طازجة | متجر الورد'],
      ['/ar/red-roses', 200, 1, 'باقات للمناسبات | متجر الورد'],
    ]);
    expect(pages[0]?.wordCount).toBeGreaterThan(300);
    expect(pages[0]?.keywords).toHaveLength(10);
    expect(pages[0]?.readability?.lang).toBe('ar');

    // Running a finished audit again changes nothing and fetches nothing.
    const served = new Map(site.served);
    const again = await runAudit(db.oltp.db, id, { clock: () => NOW + 1 });
    expect(again.ok && again.value).toEqual(ran.value);
    expect(site.served).toEqual(served);
  });

  it('continues a stopped audit without fetching a saved page again', async () => {
    const whole = await runAudit(db.oltp.db, await db.audit(`${site.base}/`, SETTINGS), { clock });
    if (!whole.ok) throw new Error(whole.error.message);
    const servedWhole = new Map(site.served);
    site.served.clear();

    const id = await db.audit(`${site.base}/`, { ...SETTINGS, concurrency: 1 });
    const crash = new AbortController();
    // The process "dies" while /ar/p/4 is being fetched: that request is never answered.
    site.onRequest = (path) => {
      if (path !== '/ar/p/4') return true;
      crash.abort();
      return false;
    };
    const stopped = await runAudit(db.oltp.db, id, { signal: crash.signal, clock });
    if (!stopped.ok) throw new Error(stopped.error.message);
    expect(stopped.value).toMatchObject({ status: 'running', pages_done: 12, score: null });
    expect(site.served.has('/ar/p/4')).toBe(false);
    const before = new Map(site.served);

    site.onRequest = () => true;
    const resumed = await runAudit(db.oltp.db, id, { clock });
    if (!resumed.ok) throw new Error(resumed.error.message);
    expect(resumed.value).toMatchObject({ status: 'done', pages_done: 19, score: whole.value.score });
    // Across both runs each URL was served exactly as often as in one uninterrupted run.
    expect(site.served).toEqual(servedWhole);
    for (const path of before.keys()) expect(site.served.get(path)).toBe(servedWhole.get(path));
    // Pages were saved in another order (one request at a time), so findings are compared as sets.
    const sorted = async (auditId: string) =>
      (await listFindings(db.oltp.db, auditId)).findings.map((f) => JSON.stringify(f)).sort();
    expect(await sorted(id)).toEqual(await sorted(whole.value.id));
  });

  it('stops a running audit cancelled from elsewhere, and never starts a cancelled one', async () => {
    const id = await db.audit(`${site.base}/`, { ...SETTINGS, concurrency: 1, delayMs: 300 });
    site.onRequest = (path) => {
      if (path === '/ar/roses') void new SqlCrawlStateStore(db.oltp.db, id).cancel();
      return true;
    };
    const ran = await runAudit(db.oltp.db, id, { clock });
    expect(ran.ok && ran.value.status).toBe('cancelled');
    expect(ran.ok && ran.value.pages_done).toBeLessThan(SITE_PATHS.length);
    expect((await listFindings(db.oltp.db, id)).findings).toEqual([]);

    const queued = await db.audit(`${site.base}/`, SETTINGS);
    const cancelled = await cancelAudit(db.oltp.db, db.workspaceId, queued, NOW);
    expect(cancelled.ok && cancelled.value.status).toBe('cancelled');
    site.served.clear();
    const never = await runAudit(db.oltp.db, queued, { clock });
    expect(never.ok && never.value.status).toBe('cancelled');
    expect(site.served.size).toBe(0);
    const again = await cancelAudit(db.oltp.db, db.workspaceId, queued, NOW);
    expect(again.ok ? 'ok' : again.error.code).toBe('conflict');
  });

  it('compares with an earlier audit and records an alert for new critical findings as pending', async () => {
    const first = await db.audit(`${site.base}/`, { ...SETTINGS, maxPages: 3 });
    await runAudit(db.oltp.db, first, { clock });
    const created = await db.oltp.db
      .insertInto('seo_audits')
      .values({
        id: `${first}-next`,
        workspace_id: db.workspaceId,
        site_id: null,
        start_url: `${site.base}/`,
        options: JSON.stringify({ ...SETTINGS, alertOnNewCritical: true }),
        status: 'queued',
        pages_done: 0,
        pages_queued: 0,
        errors: 0,
        created_at: NOW,
        compare_to: first,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const second = await runAudit(db.oltp.db, created.id, { clock });
    if (!second.ok) throw new Error(second.error.message);
    const summary = JSON.parse(second.value.summary ?? '{}') as AuditSummary;
    expect(
      summary.comparison?.newCritical.map(({ check, url }) => `${check} ${url.replace(site.base, '')}`),
    ).toEqual(['status.client_error /ar/missing', 'links.broken_internal /', 'title.missing /ar/no-title']);
    expect(summary.comparison).toMatchObject({ with: first, newCriticalCount: 3, fixed: 0 });
    expect(summary.alert).toEqual({
      status: 'pending',
      channel: 'email',
      reason: 'Wasl does not send email yet (messaging issue); the alert waits here',
      newCritical: 3,
    });
  });
});

it('refuses private and loopback targets unless the audit allows them', async () => {
  const db = await openTestDb('sqlite');
  const site = await startFixtureSite();
  try {
    const ran = await runAudit(db.oltp.db, await db.audit(`${site.base}/`, { delayMs: 0 }), { clock });
    if (!ran.ok) throw new Error(ran.error.message);
    expect(ran.value).toMatchObject({ status: 'done', pages_done: 1, errors: 1 });
    expect(site.served.size).toBe(0);
    const { pages } = await listPages(db.oltp.db, ran.value.id, { limit: 10, offset: 0 });
    expect(pages.map((p) => p.error?.split(':')[0])).toEqual(['blocked_private_address']);
  } finally {
    await site.close();
    await db.dispose();
  }
});
