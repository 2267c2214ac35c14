import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { crc32, deflateSync } from 'node:zlib';

/** One route of the test site: a body, and optionally a status, a delay or no answer at all. */
export interface Route {
  body?: string | Buffer;
  type?: string;
  status?: number;
  delayMs?: number;
  headers?: Record<string, string>;
  /** Never answer (for timeouts); the socket closes when the server does. */
  hang?: boolean;
}

export interface TestSite {
  url: (path: string) => string;
  /** How many times each path was requested. */
  hits: Map<string, number>;
  close: () => Promise<void>;
}

export const startSite = async (routes: Record<string, Route>): Promise<TestSite> => {
  const hits = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path];
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    if (route.hang) return;
    if (route.delayMs) await sleep(route.delayMs);
    res.writeHead(route.status ?? 200, {
      'content-type': route.type ?? 'text/html; charset=utf-8',
      ...route.headers,
    });
    res.end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** A port nothing listens on: bound, then released. */
export const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

/** An HTML page that asks for no favicon, so the page's requests are exactly its own. */
export const html = (body: string, { lang = 'en', dir = 'ltr', head = '' } = {}): string =>
  `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8">` +
  '<meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">' +
  `<style>body{margin:0;font:16px sans-serif}</style>${head}</head><body>${body}</body></html>`;

/** An RGB PNG of random pixels: noise does not compress, so it counts as a contentful image for LCP. */
export const noisePng = (width: number, height: number): Buffer => {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) rows.push(Buffer.concat([Buffer.from([0]), randomBytes(width * 3)]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};
