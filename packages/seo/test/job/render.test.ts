import { expect, it } from 'vitest';
import { runAudit } from '../../src/job/run-audit.ts';
import type { AuditSummary } from '../../src/job/summary.ts';
import { openTestDb } from '../store/engines.ts';
import { startFixtureSite } from './site.ts';

it('measures rendering in Chromium for the pages asked for, shallowest first', {
  timeout: 60_000,
}, async () => {
  const db = await openTestDb('sqlite');
  const site = await startFixtureSite();
  try {
    const settings = { allowPrivateTargets: true, delayMs: 0, maxPages: 3, renderPages: 1 };
    const ran = await runAudit(db.oltp.db, await db.audit(`${site.base}/`, settings));
    if (!ran.ok) throw new Error(ran.error.message);
    const { render } = JSON.parse(ran.value.summary ?? '{}') as AuditSummary;
    if (!render.measured) throw new Error(render.reason);
    expect(render.device).toBe('mobile');
    expect(render.pages.map((p) => [p.url, p.error])).toEqual([[`${site.base}/`, undefined]]);
    expect(render.pages[0]?.fcpMs).toBeGreaterThan(0);
    expect(render.pages[0]?.cls).toBe(0);
    expect(render.p75).toEqual({
      lcpMs: render.pages[0]?.lcpMs ?? null,
      cls: 0,
      tbtMs: render.pages[0]?.tbtMs ?? null,
    });
  } finally {
    await site.close();
    await db.dispose();
  }
});
