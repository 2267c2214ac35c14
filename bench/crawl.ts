// Crawl throughput against a local 1,000-page site (Arabic and English pages of
// 20-60 KB, ~30 links each, gzip) served from a child process, so the server
// does not share the crawler's event loop. Politeness off. The physical limit
// in the same run: the same URLs fetched by a bare undici Pool, no parsing.
// Run: npm run bench -- crawl
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { crawl } from '../packages/seo/src/crawl/index.ts';

const PAGES = 1000;
const LINKS = 30;
const CONCURRENCY = 16;

const pathOf = (i: number) => (i % 2 === 0 ? `/مقالات/مقال-${i}` : `/articles/post-${i}`);

function serve(): void {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const ARABIC = 'التسويق الرقمي يساعد المتاجر على الوصول إلى عملاء جدد في المملكة والخليج عبر محركات البحث ';
  const ENGLISH =
    'Digital marketing helps shops reach new customers across the region through search engines ';
  const pages = new Map<string, { plain: Buffer; gzip: Buffer }>();
  for (let i = 0; i < PAGES; i++) {
    const arabic = i % 2 === 0;
    const targets = [
      (i + 1) % PAGES,
      ...Array.from({ length: LINKS - 1 }, () => Math.floor(random() * PAGES)),
    ];
    const links = targets
      .map((t) => `<li><a href="${pathOf(t)}">${arabic ? 'اقرأ' : 'Read'} ${t}</a></li>`)
      .join('');
    const targetBytes = 20_000 + Math.floor(random() * 40_000);
    const sentence = arabic ? ARABIC : ENGLISH;
    const paragraphs: string[] = [];
    let size = 0;
    while (size < targetBytes) {
      const p = `<p>${sentence.repeat(4 + Math.floor(random() * 6))}</p>`;
      paragraphs.push(p);
      size += Buffer.byteLength(p);
    }
    const html = `<!doctype html><html lang="${arabic ? 'ar' : 'en'}"><head><meta charset="utf-8"><title>${arabic ? 'مقال' : 'Post'} ${i}</title><meta name="description" content="${sentence}"></head><body><nav><ul>${links}</ul></nav><main>${paragraphs.join('')}</main></body></html>`;
    const plain = Buffer.from(html);
    pages.set(encodeURI(pathOf(i)), { plain, gzip: gzipSync(plain) });
  }
  const server = createServer((req, res) => {
    const page = pages.get(req.url ?? '');
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(gzip ? page.gzip : page.plain);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m: { port: number }) => resolve(m.port)),
  );
  const origin = `http://127.0.0.1:${port}`;
  console.error(`site of ${PAGES} pages on ${origin} (child process ${child.pid})`);
  try {
    let lastLog = 0;
    const started = performance.now();
    const result = await crawl({
      startUrls: [`${origin}${pathOf(0)}`],
      allowPrivateTargets: true,
      perHostDelayMs: 0,
      concurrency: CONCURRENCY,
      perHostConcurrency: CONCURRENCY,
      respectRobots: false,
      useRobotsSitemaps: false,
      onProgress: (p) => {
        if (performance.now() - lastLog < 1000) return;
        lastLog = performance.now();
        console.error(`crawl: ${p.done} done, ${p.queued} queued, ${p.errors} errors`);
      },
    });
    const crawlSeconds = (performance.now() - started) / 1000;
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    if (!result.ok) throw new Error(result.error.message);
    const pages = result.value.pages;
    const failed = pages.filter((p) => p.status !== 200 || p.error);
    if (pages.length !== PAGES || failed.length > 0) {
      throw new Error(`crawl found ${pages.length} pages, ${failed.length} failed`);
    }
    const ttfb = pages.map((p) => p.timings?.ttfbMs ?? 0).sort((a, b) => a - b);
    console.error(`crawl: ${PAGES} pages in ${round(crawlSeconds, 2)} s`);

    const pool = new Pool(origin, { connections: CONCURRENCY });
    const paths = Array.from({ length: PAGES }, (_, i) => encodeURI(pathOf(i)));
    let next = 0;
    const bareStarted = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < paths.length) {
          const path = paths[next++]!;
          const { statusCode, body } = await pool.request({
            path,
            method: 'GET',
            headers: { 'accept-encoding': 'gzip' },
          });
          await body.arrayBuffer();
          if (statusCode !== 200) throw new Error(`bare fetch of ${path}: ${statusCode}`);
        }
      }),
    );
    const bareSeconds = (performance.now() - bareStarted) / 1000;
    await pool.close();
    console.error(`bare fetch: ${PAGES} pages in ${round(bareSeconds, 2)} s`);

    console.log(
      JSON.stringify({
        bench: 'crawl',
        pages: PAGES,
        concurrency: CONCURRENCY,
        pagesPerSec: Math.round(PAGES / crawlSeconds),
        bareFetchPagesPerSec: Math.round(PAGES / bareSeconds),
        ttfbP50Ms: round(percentile(ttfb, 0.5), 2),
        ttfbP95Ms: round(percentile(ttfb, 0.95), 2),
        peakRssMb,
        node: process.version,
      }),
    );
  } finally {
    child.kill();
  }
}

if (process.argv[2] === 'serve') serve();
else await main();
