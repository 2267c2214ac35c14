import { createSecureServer } from 'node:http2';
import { createServer } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.ts';
import type { CrawledPage } from '../../src/types.ts';
import { html, listen, selfSignedCert } from './fixtures.ts';

const { key, cert } = selfSignedCert();
const TITLE = 'صفحة آمنة';
const servers: (() => Promise<void>)[] = [];
let h1Base = '';
let h2Base = '';

const respond = (res: import('node:http').ServerResponse | import('node:http2').Http2ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html(TITLE, '<a href="/other">أخرى</a>'));
};

beforeAll(async () => {
  const h1 = await listen(createServer({ key, cert }, (_req, res) => respond(res)));
  const h2 = await listen(createSecureServer({ key, cert, allowHTTP1: true }, (_req, res) => respond(res)));
  servers.push(h1.close, h2.close);
  h1Base = `https://127.0.0.1:${h1.port}`;
  h2Base = `https://127.0.0.1:${h2.port}`;
});

afterAll(() => Promise.all(servers.map((close) => close())));

async function crawlOne(url: string, options: { ca?: string; http2?: boolean }): Promise<CrawledPage> {
  const result = await crawl({
    startUrls: [url],
    allowPrivateTargets: true,
    perHostDelayMs: 0,
    maxDepth: 0,
    respectRobots: false,
    useRobotsSitemaps: false,
    ...options,
  });
  if (!result.ok) throw new Error(result.error.message);
  expect(result.value.pages.length).toBe(1);
  return result.value.pages[0]!;
}

describe('HTTPS', () => {
  it('records TLS details and phase timings when the certificate is trusted', async () => {
    const page = await crawlOne(`${h1Base}/`, { ca: cert });
    expect([page.status, page.httpVersion, page.body?.includes(`<title>${TITLE}</title>`)]).toEqual([
      200,
      '1.1',
      true,
    ]);
    expect(page.tls).toEqual({
      protocol: 'TLSv1.3',
      cipher: expect.stringMatching(/^TLS_(AES|CHACHA20)/),
      validTo: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      issuer: 'CN=wasl-test, O=Wasl Test',
      subject: 'CN=wasl-test, O=Wasl Test',
    });
    const days = (Date.parse(page.tls?.validTo ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(1.9);
    expect(days).toBeLessThan(2.1);
    const t = page.timings!;
    expect(t.dnsMs).toBeUndefined();
    expect(t.connectMs).toBeGreaterThanOrEqual(0);
    expect(t.tlsMs).toBeGreaterThan(0);
    expect(t.ttfbMs).toBeLessThanOrEqual(t.totalMs);
    expect((t.connectMs ?? 0) + (t.tlsMs ?? 0) + t.ttfbMs + t.downloadMs).toBeLessThanOrEqual(t.totalMs + 1);
  });

  it("records a 'tls' error naming the reason when the self-signed certificate is not trusted", async () => {
    const page = await crawlOne(`${h1Base}/`, {});
    expect([page.status, page.error?.kind]).toEqual([0, 'tls']);
    expect(page.error?.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(page.body).toBeUndefined();
  });

  it('speaks HTTP/2 when ALPN offers it, and HTTP/1.1 to the same server when told not to', async () => {
    const h2 = await crawlOne(`${h2Base}/`, { ca: cert });
    expect([h2.status, h2.httpVersion, h2.body?.includes(TITLE), h2.tls?.protocol]).toEqual([
      200,
      '2',
      true,
      'TLSv1.3',
    ]);
    expect(h2.links?.map((l) => l.url)).toEqual([`${h2Base}/other`]);
    const h1 = await crawlOne(`${h2Base}/`, { ca: cert, http2: false });
    expect([h1.status, h1.httpVersion, h1.body?.includes(TITLE)]).toEqual([200, '1.1', true]);
  });
});
