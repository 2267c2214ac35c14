import { join } from 'node:path';
import { openDuckDbEventStore } from '@wasl/store';
import { describe, expect, it } from 'vitest';
import { freePort, spawnWasl, tempDataDir, wasl } from './wasl-process.ts';

const SLOW = { timeout: 240_000 };
const CONCURRENCY = 16;

/**
 * Issue 3: "a crash after the acknowledgement loses nothing (test: SIGKILL
 * during load, restart, count)". A real `wasl start` takes tracker pageviews
 * from 16 concurrent senders; it is SIGKILLed mid-load; a second start
 * replays its journal. Every page view answered 202 must be in the events
 * store exactly once (some unanswered ones may be there too: durable, but
 * killed before the answer left).
 */
describe('ingestion survives kill -9', SLOW, () => {
  it('keeps every acknowledged event, once, across a SIGKILL and a restart', async () => {
    const dir = tempDataDir();
    const env = { WASL_DATA_DIR: dir, WASL_TRUST_PROXY: 'true' };
    expect(wasl(['user', 'create', '--email', 'owner@example.com', '--name', 'مالك'], env).code).toBe(0);
    const ws = wasl(['workspace', 'create', '--name', 'متجر', '--owner-email', 'owner@example.com'], env);
    const workspaceId = ws.stdout.match(/\(([0-9a-f-]{36})\)/)?.[1] ?? '';
    const site = wasl(
      ['site', 'create', '--workspace', workspaceId, '--name', 'متجر', '--domain', 'shop.example.sa'],
      env,
    );
    expect(site.code, site.stderr).toBe(0);
    const key = site.stdout.match(/^key: (\S+)$/m)?.[1] ?? '';
    expect(key).toMatch(/^site_/);

    const port = await freePort();
    const first = spawnWasl(['start'], { ...env, WASL_PORT: String(port) });
    await first.waitFor(/Wasl is running/, 90_000);

    const acknowledged: number[] = [];
    let sent = 0;
    let killed = false;
    const sender = async (lane: number) => {
      while (!killed) {
        const n = sent++;
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/collect`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain', 'x-forwarded-for': `198.51.100.${lane}` },
            body: JSON.stringify({
              type: 'pageview',
              site: key,
              url: `https://shop.example.sa/ar/منتج/${n}`,
              referrer: '',
              lang: 'ar-SA',
              screen: '1280x720',
              webdriver: false,
              ts: Date.now(),
            }),
          });
          if (res.status === 202) acknowledged.push(n);
          else if (!killed) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
        } catch (error) {
          if (!killed) throw error;
        }
      }
    };
    const senders = Array.from({ length: CONCURRENCY }, (_, lane) => sender(lane));
    // Let the load run until hundreds are acknowledged, then kill without warning.
    while (acknowledged.length < 600) await new Promise((r) => setTimeout(r, 20));
    killed = true;
    first.child.kill('SIGKILL');
    await Promise.all(senders);
    expect(await first.exited()).toBe(null);

    // A second process replays what the first journaled; SIGTERM drains the rest into the store.
    const second = spawnWasl(['start'], {
      ...env,
      WASL_LOG_LEVEL: 'info',
      WASL_PORT: String(await freePort()),
    });
    await second.waitFor(/Wasl is running/, 90_000);
    second.child.kill('SIGTERM');
    expect(await second.exited(), second.output()).toBe(0);

    const events = await openDuckDbEventStore(join(dir, 'events.duckdb'));
    try {
      const stored = await events.recent(workspaceId, sent + 1);
      const counts = new Map<number, number>();
      for (const e of stored) {
        const n = Number(e.context.path?.split('/').pop());
        counts.set(n, (counts.get(n) ?? 0) + 1);
      }
      const missing = acknowledged.filter((n) => counts.get(n) !== 1);
      expect(missing, 'acknowledged page views missing or stored twice').toEqual([]);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length);
      expect(stored.length).toBeLessThanOrEqual(sent);
      expect(stored.every((e) => e.context.path?.startsWith('/ar/منتج/'))).toBe(true);
    } finally {
      await events.close();
    }
  });
});
