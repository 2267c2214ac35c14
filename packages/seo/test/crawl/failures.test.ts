import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrawlOptions, crawl } from '../../src/crawl/index.ts';
import type { CrawledPage } from '../../src/types.ts';
import { html, listen } from './fixtures.ts';

const PAGE = html('مضغوطة', '<p>نص عربي</p>');
const COMPRESSED: Record<string, [string, Buffer]> = {
  '/br': ['br', brotliCompressSync(PAGE)],
  '/deflate': ['deflate', deflateSync(PAGE)],
  '/deflate-raw': ['deflate', deflateRawSync(PAGE)],
};
const BIG = `<html><body>${'ب'.repeat(100_000)}</body></html>`; // ~200 KB
const hits: string[] = [];
let port = 0;
let base = '';
let close: () => Promise<void>;
let closedPort = 0;

beforeAll(async () => {
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.push(`${req.method} ${path}`);
    if (path === '/big') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(BIG) });
      res.end(BIG);
    } else if (path === '/big-chunked') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write(BIG.slice(0, 50_000));
      setTimeout(() => res.end(BIG.slice(50_000)), 5);
    } else if (path === '/bomb') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.end(gzipSync(Buffer.alloc(5_000_000, 32)));
    } else if (path === '/reset') {
      req.socket.destroy();
    } else if (path === '/stall') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body>'); // and nothing more: the body timeout ends it
    } else if (path === '/hang') {
      // Never answers: the headers timeout ends it.
    } else if (path === '/to-loopback') {
      res.writeHead(302, { location: `http://127.0.0.1:${port}/small` });
      res.end();
    } else if (path === '/head-refused') {
      res.writeHead(req.method === 'HEAD' ? 405 : 200, { 'content-type': 'text/html' });
      res.end(req.method === 'HEAD' ? undefined : html('x', ''));
    } else if (path === '/links') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        html(
          'روابط',
          `<a href="http://localhost:${port}/head-refused">1</a><a href="http://localhost:${port}/gone">2</a>`,
        ),
      );
    } else if (path.startsWith('/chain/')) {
      res.writeHead(301, { location: `/chain/${Number(path.slice(7)) + 1}` });
      res.end();
    } else if (path === '/utf8-redirect') {
      // Raw UTF-8 bytes in the header, as many Arabic sites send them.
      res.writeHead(302, { location: Buffer.from('/صغيرة').toString('latin1') });
      res.end();
    } else if (path in COMPRESSED) {
      const [encoding, body] = COMPRESSED[path]!;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': encoding });
      res.end(body);
    } else if (path === '/small' || path === encodeURI('/صغيرة')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html('صغيرة', ''));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  const started = await listen(server);
  port = started.port;
  base = `http://127.0.0.1:${port}`;
  close = started.close;
  const gone = await listen(createServer());
  closedPort = gone.port;
  await gone.close();
});

afterAll(() => close());

const quiet: CrawlOptions = {
  perHostDelayMs: 0,
  respectRobots: false,
  useRobotsSitemaps: false,
  maxDepth: 0,
};

async function only(url: string, options: CrawlOptions = {}): Promise<CrawledPage> {
  const result = await crawl({ ...quiet, allowPrivateTargets: true, startUrls: [url], ...options });
  if (!result.ok) throw new Error(result.error.message);
  expect(result.value.pages.length).toBe(1);
  return result.value.pages[0]!;
}

describe('size cap', () => {
  it('stops at the cap whether the length is declared, chunked, or only known once decompressed', async () => {
    for (const path of ['/big', '/big-chunked', '/bomb']) {
      const page = await only(`${base}${path}`, { maxBodyBytes: 100_000 });
      expect([path, page.status, page.error?.kind, page.body]).toEqual([path, 200, 'too_large', undefined]);
    }
    const declared = await only(`${base}/big`, { maxBodyBytes: 100_000 });
    expect(declared.headers['content-length']).toBe(String(Buffer.byteLength(BIG)));
    const whole = await only(`${base}/big`, { maxBodyBytes: 300_000 });
    expect([whole.error, whole.bodyBytes, whole.body === BIG]).toEqual([
      undefined,
      Buffer.byteLength(BIG),
      true,
    ]);
  });
});

describe('bodies and redirects', () => {
  it('decompresses br and deflate (zlib or raw)', async () => {
    for (const path of Object.keys(COMPRESSED)) {
      const page = await only(`${base}${path}`);
      expect([path, page.encoding, page.body, page.bodyBytes, page.transferBytes]).toEqual([
        path,
        COMPRESSED[path]![0],
        PAGE,
        Buffer.byteLength(PAGE),
        COMPRESSED[path]![1].length,
      ]);
    }
  });

  it('reads a raw UTF-8 Location as UTF-8 and stops after maxRedirects hops', async () => {
    const arabic = await only(`${base}/utf8-redirect`);
    expect([arabic.status, arabic.finalUrl, arabic.redirects[0]?.location]).toEqual([
      200,
      `${base}${encodeURI('/صغيرة')}`,
      '/صغيرة',
    ]);
    const chain = await only(`${base}/chain/0`, { maxRedirects: 3 });
    expect([chain.status, chain.error?.kind, chain.redirects.length, chain.finalUrl]).toEqual([
      301,
      'too_many_redirects',
      4,
      `${base}/chain/3`,
    ]);
  });
});

describe('SSRF guard', () => {
  it('refuses loopback targets unless the crawl allows them, and sends them nothing', async () => {
    const before = hits.length;
    const result = await crawl({ ...quiet, startUrls: [`${base}/small`], respectRobots: true });
    if (!result.ok) throw new Error(result.error.message);
    const [page] = result.value.pages;
    expect([page?.status, page?.error?.kind]).toEqual([0, 'blocked_private_address']);
    const byName = await crawl({ ...quiet, startUrls: [`http://localhost:${port}/small`] });
    expect(byName.ok && byName.value.pages[0]?.error?.kind).toBe('blocked_private_address');
    expect(hits.length).toBe(before);
  });

  it('allows a host by name, and checks every redirect hop', async () => {
    const allowed = await only(`http://localhost:${port}/small`, {
      allowPrivateTargets: false,
      allowHosts: ['localhost'],
    });
    expect([allowed.status, allowed.error]).toEqual([200, undefined]);
    const hop = await only(`http://localhost:${port}/to-loopback`, {
      allowPrivateTargets: false,
      allowHosts: ['localhost'],
    });
    expect([hop.status, hop.error?.kind, hop.redirects.length]).toEqual([0, 'blocked_private_address', 1]);
  });
});

describe('network failures are recorded, never thrown', () => {
  it('connection reset, refused port, unknown host, headers timeout', async () => {
    const reset = await only(`${base}/reset`);
    expect([reset.status, reset.error?.kind]).toEqual([0, 'connect']);
    const refused = await only(`http://127.0.0.1:${closedPort}/`);
    expect([refused.status, refused.error?.kind, refused.error?.message]).toEqual([
      0,
      'connect',
      `connecting to 127.0.0.1 (127.0.0.1): ECONNREFUSED`,
    ]);
    const unknown = await only('http://no-such-host.invalid/');
    expect([unknown.status, unknown.error?.kind]).toEqual([0, 'dns']);
    const hang = await only(`${base}/hang`, { headersTimeoutMs: 300 });
    expect([hang.status, hang.error?.kind]).toEqual([0, 'timeout']);
    const stall = await only(`${base}/stall`, { bodyTimeoutMs: 300 });
    expect([stall.status, stall.error?.kind, stall.headers['content-type']]).toEqual([
      200,
      'timeout',
      'text/html',
    ]);
  });

  it('a TLS handshake that never completes hits the connect timeout', async () => {
    const silent = createNetServer((socket) => socket.resume()); // reads, never answers
    const { port: silentPort, close: closeSilent } = await listen(silent);
    try {
      const page = await only(`https://127.0.0.1:${silentPort}/`, { connectTimeoutMs: 300 });
      expect([page.status, page.error]).toEqual([
        0,
        { kind: 'timeout', message: 'connecting to 127.0.0.1 took over 300 ms' },
      ]);
    } finally {
      await closeSilent();
    }
  });
});

describe('external links', () => {
  it('are checked once each with HEAD, GET when HEAD is refused, as depth -1 pages', async () => {
    const result = await crawl({
      ...quiet,
      allowPrivateTargets: true,
      startUrls: [`${base}/links`],
      checkExternalLinks: true,
    });
    if (!result.ok) throw new Error(result.error.message);
    const external = result.value.pages.filter((p) => p.depth === -1);
    expect(
      external.map((p) => [p.url.replace(String(port), 'PORT'), p.status, p.body, p.inlinks.length]).sort(),
    ).toEqual([
      ['http://localhost:PORT/gone', 404, undefined, 1],
      ['http://localhost:PORT/head-refused', 200, undefined, 1],
    ]);
    expect(result.value.progress).toMatchObject({ done: 1, external: 2 });
    expect(hits.filter((h) => h.endsWith('/head-refused'))).toEqual([
      'HEAD /head-refused',
      'GET /head-refused',
    ]);
    expect(hits.filter((h) => h.endsWith('/gone'))).toEqual(['HEAD /gone']);
  });
});

describe('options', () => {
  it('are checked, naming the field at fault', async () => {
    expect(await crawl({})).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'give at least one start URL or sitemap', field: 'startUrls' },
    });
    expect(await crawl({ startUrls: ['https://example.sa/', 'ftp://example.sa/'] })).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: "only http and https URLs are crawled, not 'ftp:' in 'ftp://example.sa/'",
        field: 'startUrls[1]',
      },
    });
    expect(await crawl({ startUrls: ['https://example.sa/'], concurrency: 0 })).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'concurrency must be an integer of at least 1, got 0',
        field: 'concurrency',
      },
    });
  });
});
