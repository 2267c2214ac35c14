// An Arabic shop on 127.0.0.1 with planted defects, for the audit job, the API and the CLI tests.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const WORDS = (
  'الورد الأحمر الطازج هدية جميلة للمناسبات السعيدة نوصل الباقات إلى الرياض وجدة والدمام في نفس اليوم ' +
  'نختار الزهور بعناية من المزارع المحلية ونغلفها بورق فاخر مع بطاقة مكتوبة بخط اليد لمن تحب ' +
  'الأسعار مناسبة والدفع آمن عند الاستلام أو بالبطاقة ويمكنك تتبع الطلب خطوة بخطوة حتى الباب'
).split(' ');

/** `count` words of Arabic text, different per seed. */
export function arabicText(seed: number, count: number): string {
  const out: string[] = [];
  let state = seed + 11;
  for (let i = 0; i < count; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    out.push(WORDS[state % WORDS.length] ?? '');
    if (i % 12 === 11) out[out.length - 1] += '.';
  }
  return out.join(' ');
}

const page = (title: string | null, h1: string, body: string, links: string[] = []) =>
  `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">${
    title === null ? '' : `<title>${title}</title>`
  }<meta name="description" content="${h1}: متجر ورد في الرياض يوصل الباقات الطازجة في نفس اليوم لكل المناسبات"></head>` +
  `<body><h1>${h1}</h1><p>${body}</p>${links.map((l) => `<a href="${l}">${l === '/' ? 'الرئيسية' : 'تصفح القسم'}</a>`).join(' ')}</body></html>`;

/** The chain /ar/p/0 → /ar/p/1 → … makes the crawl long enough to stop in the middle. */
export const CHAIN = 11;

export const SITE_PATHS = [
  '/',
  '/ar/roses',
  '/ar/red-roses',
  '/ar/gifts',
  '/ar/thin',
  '/ar/old',
  '/ar/missing',
  '/ar/no-title',
  ...Array.from({ length: CHAIN }, (_, i) => `/ar/p/${i}`),
];

function respond(path: string): { status: number; headers: Record<string, string>; body: string } {
  const ok = (body: string) => ({
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body,
  });
  switch (path) {
    case '/':
      return ok(
        page('متجر الورد في الرياض', 'متجر الورد', arabicText(1, 320), [
          '/ar/roses',
          '/ar/red-roses',
          '/ar/gifts',
          '/ar/thin',
          '/ar/old',
          '/ar/missing',
          '/ar/no-title',
          '/ar/p/0',
        ]),
      );
    case '/ar/roses':
      return ok(page('ورود حمراء طازجة | متجر الورد', 'ورود حمراء طازجة', arabicText(2, 300), ['/']));
    case '/ar/red-roses':
      // Same primary keyword as /ar/roses in its H1: keyword cannibalisation.
      return ok(page('باقات للمناسبات | متجر الورد', 'ورود حمراء طازجة', arabicText(3, 300), ['/']));
    case '/ar/gifts':
      return ok(
        page('هدايا وباقات | متجر الورد', 'هدايا مع الورد', `${arabicText(4, 300)}<img src="/i.png">`, ['/']),
      );
    case '/ar/thin':
      return ok(page('عرض قصير | متجر الورد', 'عرض قصير', 'خصم اليوم فقط', ['/']));
    case '/ar/old':
      return { status: 301, headers: { location: '/ar/gifts' }, body: '' };
    case '/ar/no-title':
      return ok(page(null, 'صفحة بلا عنوان', arabicText(5, 300), ['/']));
    default: {
      const chain = /^\/ar\/p\/(\d+)$/.exec(path);
      const i = Number(chain?.[1] ?? Number.NaN);
      if (chain && i < CHAIN) {
        const next = i + 1 < CHAIN ? [`/ar/p/${i + 1}`] : [];
        return ok(
          page(`مقالة رقم ${i} عن الورد | متجر الورد`, `مقالة ${i}`, arabicText(10 + i, 300), [...next, '/']),
        );
      }
      return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: 'غير موجودة' };
    }
  }
}

export interface FixtureSite {
  base: string;
  /** Responses sent in full, by path (robots.txt and sitemap requests not counted). */
  served: Map<string, number>;
  /** Called on each page request; return false to leave the request hanging (never served). */
  onRequest: (path: string) => boolean;
  close(): Promise<void>;
}

export async function startFixtureSite(): Promise<FixtureSite> {
  const site: FixtureSite = {
    base: '',
    served: new Map(),
    onRequest: () => true,
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const path = decodeURI(req.url ?? '/');
    if (path === '/robots.txt' || path.startsWith('/sitemap')) {
      res.writeHead(404).end();
      return;
    }
    if (!site.onRequest(path)) return;
    const { status, headers, body } = respond(path);
    res.on('finish', () => site.served.set(path, (site.served.get(path) ?? 0) + 1));
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return site;
}
