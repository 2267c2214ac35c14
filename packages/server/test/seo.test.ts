import { createAudit } from '@wasl/seo';
import { JobQueue, Worker } from '@wasl/worker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FixtureSite, SITE_PATHS, startFixtureSite } from '../../seo/test/job/site.ts';
import { seoJobHandlers } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine, SQLITE } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';
import { insertJob } from './helpers/workspace-routes.ts';

interface AuditBody {
  id: string;
  status: string;
  score: number | null;
  options: Record<string, unknown>;
  progress: { pagesDone: number; pagesQueued: number; errors: number };
  summary: Record<string, unknown> | null;
  compareTo: string | null;
  siteId: string | null;
}

/** A worker running the SEO jobs, as `wasl start` does. */
function startWorker(t: TestApp): Worker {
  const queue = new JobQueue({ db: t.db, dialect: t.oltp.dialect });
  const worker = new Worker({
    queue,
    handlers: seoJobHandlers({ db: t.db, dialect: t.oltp.dialect }),
    pollMs: 50,
    onError: () => undefined,
  });
  worker.start();
  return worker;
}

async function waitUntilFinished(t: TestApp, crew: Team, id: string): Promise<AuditBody> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await call(t.app, 'GET', `/api/workspaces/${crew.workspace.id}/seo/audits/${id}`, {
      as: crew.as.analyst,
    });
    const audit = res.json().audit as AuditBody;
    if (['done', 'failed', 'cancelled'].includes(audit.status)) return audit;
    if (Date.now() > deadline) throw new Error(`audit ${id} still ${audit.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeEachEngine('SEO audits over HTTP', (engine) => {
  let t: TestApp;
  let crew: Team;
  let site: FixtureSite;
  let worker: Worker;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(engine, { seoAllowPrivateTargets: true });
    crew = await team(t, 'SEO');
    base = `/api/workspaces/${crew.workspace.id}/seo/audits`;
    worker = startWorker(t);
  });
  afterAll(async () => {
    await worker.stop({ timeoutMs: 5000 });
    await t.close();
  });
  beforeEach(async () => {
    site = await startFixtureSite();
  });
  afterEach(() => site.close());

  it('starts an audit that a worker runs; findings, CSV, pages and a comparison follow', async () => {
    const started = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: {
        url: `${site.base}/`,
        options: { delayMs: 0, brands: ['متجر الورد'], targetKeywords: ['ورود حمراء'] },
      },
    });
    expect(started.statusCode).toBe(202);
    const queued = started.json().audit as AuditBody;
    expect(queued).toMatchObject({
      status: 'queued',
      score: null,
      options: { delayMs: 0, brands: ['متجر الورد'] },
    });
    // Whether private targets are allowed is the server's setting, never shown as an option.
    expect(queued.options).not.toHaveProperty('allowPrivateTargets');

    const audit = await waitUntilFinished(t, crew, queued.id);
    expect(audit).toMatchObject({
      status: 'done',
      score: 81,
      progress: { pagesDone: SITE_PATHS.length, pagesQueued: 0, errors: 1 },
      summary: { findings: { critical: 3, warning: 4, notice: 65 }, crawl: 'complete' },
    });

    const critical = await call(t.app, 'GET', `${base}/${audit.id}/findings?severity=critical`, {
      as: crew.as.analyst,
    });
    expect(critical.json().total).toBe(3);
    expect(critical.json().findings.map((f: { check: string }) => f.check)).toEqual([
      'status.client_error',
      'links.broken_internal',
      'title.missing',
    ]);
    expect(critical.json().findings[2].message).toEqual({
      en: 'The page has no title.',
      ar: expect.stringMatching(/[\u0600-\u06ff]/),
    });
    const paged = await call(t.app, 'GET', `${base}/${audit.id}/findings?limit=10&offset=70`, {
      as: crew.as.analyst,
    });
    expect(paged.json().total).toBe(72);
    expect(paged.json().findings.map((f: { check: string }) => f.check)).toEqual([
      'content.thin',
      'content.keyword_cannibalisation',
    ]);
    const byCheck = await call(
      t.app,
      'GET',
      `${base}/${audit.id}/findings?check=canonical.missing&limit=200`,
      {
        as: crew.as.analyst,
      },
    );
    expect(byCheck.json().total).toBe(17);

    const csv = await call(t.app, 'GET', `${base}/${audit.id}/findings?format=csv&severity=warning`, {
      as: crew.as.analyst,
    });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFcheck,severity,url,message_en,message_ar,fix_en,fix_ar,details');
    // description.duplicate covers 2 URLs, cannibalisation 2, alt and thin 1 each; then the final CRLF.
    expect(lines).toHaveLength(1 + 6 + 1);
    expect(lines.at(-1)).toBe('');
    const thin = lines.find((l) => l.startsWith('content.thin,'));
    expect(
      thin?.startsWith(
        `content.thin,warning,${site.base}/ar/thin,The page has only 6 words of visible text (fewer than 200).,`,
      ),
    ).toBe(true);
    expect(thin).toMatch(/[\u0600-\u06ff]/);
    expect(
      lines.filter((l) => l.startsWith('content.keyword_cannibalisation,')).map((l) => l.split(',')[2]),
    ).toEqual([`${site.base}/ar/red-roses`, `${site.base}/ar/roses`]);

    const firstPages = await call(t.app, 'GET', `${base}/${audit.id}/pages?limit=3`, { as: crew.as.analyst });
    expect(firstPages.json().total).toBe(SITE_PATHS.length);
    expect(firstPages.json().pages).toHaveLength(3);
    // Pages come in crawl order, which depends on which concurrent fetch finished first: find by URL.
    const allPages = await call(t.app, 'GET', `${base}/${audit.id}/pages?limit=200`, { as: crew.as.analyst });
    const byUrl = (path: string) =>
      allPages.json().pages.find((p: { url: string }) => p.url === `${site.base}${path}`);
    expect(allPages.json().pages).toHaveLength(SITE_PATHS.length);
    expect(byUrl('/ar/roses')).toMatchObject({
      url: `${site.base}/ar/roses`,
      status: 200,
      depth: 1,
      title: 'ورود حمراء طازجة | متجر الورد',
    });
    expect(byUrl('/ar/roses').keywords).toHaveLength(10);
    // The target keyword is found in the title and H1 (after Arabic normalisation and stemming).
    const [roses] = byUrl('/ar/roses').coverage;
    expect(roses).toMatchObject({ keyword: 'ورود حمراء', title: 'phrase', h1: 'phrase' });
    const redRoses = byUrl('/ar/red-roses');
    expect(redRoses.coverage[0]).toMatchObject({ title: 'none', h1: 'phrase' });

    // A smaller crawl of the same site, as a competitor's audit would be compared.
    const small = await call(t.app, 'POST', base, {
      as: crew.as.owner,
      body: { url: `${site.base}/`, options: { delayMs: 0, maxPages: 3 } },
    });
    const other = await waitUntilFinished(t, crew, small.json().audit.id);
    expect(other).toMatchObject({ status: 'done', progress: { pagesDone: 3 } });
    const compared = await call(t.app, 'GET', `${base}/${audit.id}/compare?with=${other.id}`, {
      as: crew.as.analyst,
    });
    expect(compared.statusCode).toBe(200);
    const view = compared.json();
    expect(view.audit).toMatchObject({
      id: audit.id,
      score: 81,
      findings: { critical: 3, warning: 4, notice: 65 },
    });
    expect(view.other).toMatchObject({ id: other.id, score: other.score });
    expect(view.onlyInOther.total).toBe(0);
    expect(
      view.onlyInAudit.items
        .filter((c: { severity: string }) => c.severity === 'critical')
        .map((c: { check: string; url: string }) => `${c.check} ${c.url.replace(site.base, '')}`),
    ).toEqual(['status.client_error /ar/missing', 'links.broken_internal /', 'title.missing /ar/no-title']);
    // Every finding of the audit, per URL, is on one side or in both.
    const all = await call(t.app, 'GET', `${base}/${audit.id}/findings?limit=200`, { as: crew.as.analyst });
    const perUrl = all.json().findings.reduce((n: number, f: { urls: string[] }) => n + f.urls.length, 0);
    expect(view.inBoth + view.onlyInAudit.total).toBe(perUrl);

    const again = await call(t.app, 'POST', `${base}/${audit.id}/cancel`, { as: crew.as.marketer });
    expect(again.statusCode).toBe(409);
  });

  it('lists audits newest first, paged', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      t.clock.now += 1000;
      // Created without a job, so the worker never crawls example.com.
      const created = await createAudit(t.db, {
        workspaceId: crew.workspace.id,
        startUrl: `https://example.com/${i}`,
        now: t.clock.now,
      });
      if (!created.ok) throw new Error(created.error.message);
      ids.push(created.value.id);
      const cancelled = await call(t.app, 'POST', `${base}/${created.value.id}/cancel`, {
        as: crew.as.admin,
      });
      expect(cancelled.json().audit).toMatchObject({ status: 'cancelled', cancelRequested: true });
    }
    const page = await call(t.app, 'GET', `${base}?limit=2`, { as: crew.as.analyst });
    expect(page.json().audits.map((a: AuditBody) => a.id)).toEqual([ids[2], ids[1]]);
    expect(page.json().audits[0].status).toBe('cancelled');
    const next = await call(t.app, 'GET', `${base}?limit=2&offset=1`, { as: crew.as.analyst });
    expect(next.json().audits.map((a: AuditBody) => a.id)).toEqual([ids[1], ids[0]]);
    expect(page.json().total).toBe(next.json().total);
  });

  it('names the field at fault and never takes allowPrivateTargets from a request', async () => {
    const bad = await call(t.app, 'POST', base, { as: crew.as.owner, body: { url: 'ftp://example.com/' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid', field: 'url' });
    const sneaky = await call(t.app, 'POST', base, {
      as: crew.as.owner,
      body: { url: 'https://example.com/', options: { allowPrivateTargets: true } },
    });
    expect(sneaky.statusCode).toBe(400);
    expect(sneaky.json().error.message).toContain('allowPrivateTargets');
    const compare = await call(t.app, 'POST', base, {
      as: crew.as.owner,
      body: { url: 'https://example.com/', compareTo: 'nope' },
    });
    expect(compare.json().error).toMatchObject({ code: 'invalid', field: 'compareTo' });
  });
});

describe('SEO audits over HTTP without the test-only option', () => {
  let t: TestApp;
  let crew: Team;
  let site: FixtureSite;
  let worker: Worker;
  beforeAll(async () => {
    t = await startTestApp(SQLITE);
    crew = await team(t, 'SSRF');
    site = await startFixtureSite();
    worker = startWorker(t);
  });
  afterAll(async () => {
    await worker.stop({ timeoutMs: 5000 });
    await site.close();
    await t.close();
  });

  it('refuses loopback targets: nothing is fetched', async () => {
    const base = `/api/workspaces/${crew.workspace.id}/seo/audits`;
    const res = await call(t.app, 'POST', base, { as: crew.as.owner, body: { url: `${site.base}/` } });
    const audit = await waitUntilFinished(t, crew, res.json().audit.id);
    expect(audit).toMatchObject({ status: 'done', progress: { pagesDone: 1, errors: 1 } });
    const pages = await call(t.app, 'GET', `${base}/${audit.id}/pages`, { as: crew.as.owner });
    expect(pages.json().pages[0].error).toMatch(/^blocked_private_address: /);
    expect(site.served.size).toBe(0);
  });

  // Scheduled audits crawl politely (200 ms between requests to the site): slow on a loaded machine.
  it('runs the weekly schedule of a site, compared with its previous audit', {
    timeout: 150_000,
  }, async () => {
    const ws = crew.workspace.id;
    const created = await call(t.app, 'POST', `/api/workspaces/${ws}/sites`, {
      as: crew.as.owner,
      body: { name: 'محلي', domain: '127.0.0.1', timezone: 'Asia/Riyadh' },
    });
    const siteId = created.json().site.id as string;
    const put = await call(t.app, 'PUT', `/api/workspaces/${ws}/sites/${siteId}/seo-schedule`, {
      as: crew.as.marketer,
      body: { day: 0, hour: 6 },
    });
    expect(put.statusCode).toBe(200);
    // Sunday 06:00 in Riyadh is 03:00 UTC; the test clock is Thursday 2026-01-15.
    expect(put.json().schedule).toEqual({
      siteId,
      day: 0,
      hour: 6,
      timezone: 'Asia/Riyadh',
      nextRunAt: '2026-01-18T03:00:00.000Z',
    });

    const runs: AuditBody[] = [];
    for (const week of [0, 1]) {
      const at = Date.UTC(2026, 0, 18, 3) + week * 7 * 86_400_000 + 1;
      await new JobQueue({ db: t.db, dialect: t.oltp.dialect, clock: () => at }).tickSchedules();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const list = await call(t.app, 'GET', `/api/workspaces/${ws}/seo/audits?siteId=${siteId}`, {
          as: crew.as.owner,
        });
        const audits = list.json().audits as AuditBody[];
        if (audits.length === week + 1 && audits[0]?.status === 'done') {
          runs.push(audits[0]);
          break;
        }
        if (Date.now() > deadline) throw new Error('the scheduled audit did not finish');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(runs[0]).toMatchObject({ siteId, compareTo: null, options: { alertOnNewCritical: true } });
    expect(runs[1]).toMatchObject({ siteId, compareTo: runs[0]?.id });
    expect(runs[1]?.summary?.comparison).toMatchObject({ with: runs[0]?.id, newCriticalCount: 0 });
    expect(runs[1]?.summary).not.toHaveProperty('alert');

    const url = `/api/workspaces/${ws}/sites/${siteId}/seo-schedule`;
    expect((await call(t.app, 'DELETE', url, { as: crew.as.marketer })).statusCode).toBe(204);
    expect((await call(t.app, 'DELETE', url, { as: crew.as.marketer })).statusCode).toBe(404);
  });

  it('marks the audit failed when its job fails for the last time', async () => {
    const id = `broken-${Date.now()}`;
    // Options no run can read: runAudit throws. Inserted directly, so no worker runs it first.
    await t.db
      .insertInto('seo_audits')
      .values({
        id,
        workspace_id: crew.workspace.id,
        site_id: null,
        start_url: 'https://example.com/',
        options: '{broken',
        status: 'queued',
        pages_done: 0,
        pages_queued: 0,
        errors: 0,
        created_at: t.clock.now,
      })
      .execute();
    const jobId = await insertJob(t, crew.workspace.id, 'dead');
    const job = await t.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    const handler = seoJobHandlers({ db: t.db, dialect: t.oltp.dialect })['seo.audit'];
    const run = (attempt: number) =>
      handler?.(job, {
        attempt,
        payload: { auditId: id },
        signal: new AbortController().signal,
        workerId: 'test',
      });
    await expect(run(1)).rejects.toThrow(SyntaxError);
    expect(
      (await t.db.selectFrom('seo_audits').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
    ).not.toBe('failed');
    await expect(run(job.max_attempts)).rejects.toThrow(SyntaxError);
    const audit = await t.db
      .selectFrom('seo_audits')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.status).toBe('failed');
    expect(audit.error).toMatch(/^SyntaxError: /);
  });
});
