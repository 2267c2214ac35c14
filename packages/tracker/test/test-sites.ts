import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload } from '../src/payload.ts';

/** One request the capturing collector received on `/api/collect`. */
export interface Received {
  payload: Payload;
  contentType: string | undefined;
  /** The Origin header: the page's origin on a cross-origin request. */
  origin: string | undefined;
  /** Which server took it, `127.0.0.1:PORT`. */
  host: string | undefined;
}

/**
 * Two origins on 127.0.0.1 (two ports, one handler), so the tracker's
 * requests really cross origins: `site` serves the test pages, `collector`
 * serves t.js and captures `/api/collect`. Both answer every route.
 */
export interface TestSites {
  site: string;
  collector: string;
  received: Received[];
  /** CORS preflights seen: the text/plain payloads must need none. */
  preflights: number;
  /** Serves `html` for every path under `/s/<name>/`; returns that folder's URL on the site origin. */
  page(name: string, html: string): string;
  close(): Promise<void>;
}

export async function startTestSites(script: Uint8Array): Promise<TestSites> {
  const pages = new Map<string, string>();
  const received: Received[] = [];
  const state = { preflights: 0 };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'OPTIONS') {
      state.preflights++;
      res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
      return;
    }
    if (req.method === 'POST' && path === '/api/collect') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({
        payload: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Payload,
        contentType: req.headers['content-type'],
        origin: req.headers.origin,
        host: req.headers.host,
      });
      res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
      return;
    }
    if (path === '/t.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
      return;
    }
    const html = pages.get(path.split('/')[2] ?? '');
    if (path.startsWith('/s/') && html) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    // Link targets (files, other sites): 204 keeps the browser on the page.
    res.writeHead(path.startsWith('/files/') || path === '/elsewhere' ? 204 : 404).end();
  };

  const listen = async (): Promise<[Server, string]> => {
    const server = createServer((req, res) => {
      handle(req, res).catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
  };
  const [siteServer, site] = await listen();
  const [collectorServer, collector] = await listen();

  return {
    site,
    collector,
    received,
    get preflights() {
      return state.preflights;
    },
    page(name, html) {
      pages.set(name, html);
      return `${site}/s/${name}/`;
    },
    async close() {
      for (const server of [siteServer, collectorServer]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}

/** The snippet the README tells site owners to paste, with the queue stub. */
export const QUEUE_STUB = 'window.wasl=window.wasl||function(){(wasl.q=wasl.q||[]).push(arguments)};';

export interface PageOptions {
  /** Where t.js is loaded from. */
  src: string;
  /** Extra attributes on the tracker's tag, e.g. `data-hash data-consent`. */
  attributes?: string;
  title?: string;
  /** Runs in the inline script after the queue stub, before the tracker loads. */
  before?: string;
  body?: string;
}

/** A right-to-left Arabic test page carrying the pasted snippet. */
export function pageHtml(site: string, options: PageOptions): string {
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>${options.title ?? 'صفحة اختبار'}</title>
<script>${QUEUE_STUB}${options.before ?? ''}</script>
<script defer src="${options.src}" data-site="${site}" ${options.attributes ?? ''}></script>
</head>
<body>${options.body ?? '<h1>وصل</h1>'}</body>
</html>`;
}
