/** HTTP status codes, fetch failures, redirect chains and loops. */
import type { FetchErrorKind } from '../../types.ts';
import { type Check, finding, text } from '../site.ts';
import { AR_REDIRECTS, arabicCount } from '../text.ts';

const KIND: Record<FetchErrorKind, { en: string; ar: string }> = {
  dns: { en: 'the domain name did not resolve', ar: 'تعذّر العثور على اسم النطاق (DNS)' },
  connect: { en: 'the server refused or dropped the connection', ar: 'رفض الخادم الاتصال أو قطعه' },
  timeout: { en: 'the server did not answer in time', ar: 'لم يستجب الخادم في الوقت المحدد' },
  tls: { en: 'the secure (TLS) connection failed', ar: 'فشل إنشاء الاتصال الآمن (TLS)' },
  redirect_loop: { en: 'the redirects loop', ar: 'عمليات إعادة التوجيه تدور في حلقة' },
  too_many_redirects: { en: 'there are too many redirects', ar: 'عدد عمليات إعادة التوجيه كبير جدًا' },
  too_large: {
    en: 'the page is larger than the crawl limit',
    ar: 'حجم الصفحة أكبر من الحد المسموح في الزحف',
  },
  blocked_private_address: {
    en: 'the address points to a private network',
    ar: 'العنوان يشير إلى شبكة داخلية خاصة',
  },
  blocked_by_robots: { en: 'robots.txt blocks it', ar: 'ملف robots.txt يمنع الوصول إليها' },
  protocol: { en: 'the server sent an invalid HTTP response', ar: 'أرسل الخادم استجابة HTTP غير صالحة' },
  other: { en: 'the request failed', ar: 'فشل الطلب' },
};

// Loops and long chains are reported by the redirect check; robots blocks are not failures.
const NOT_FETCH_ERRORS = new Set<FetchErrorKind>([
  'redirect_loop',
  'too_many_redirects',
  'blocked_by_robots',
]);

export const statusCodes: Check = (site) =>
  site.pages.flatMap((page) => {
    if (page.status >= 500)
      return [
        finding(
          'status.server_error',
          'critical',
          [page.url],
          text(
            `The server answered ${page.status} (server error).`,
            `أعاد الخادم رمز الحالة ${page.status} (خطأ في الخادم).`,
          ),
          text(
            'Check the server logs for this URL and fix the error; visitors and Google see an error page.',
            'راجع سجلات الخادم لهذا الرابط وأصلح الخطأ، فالزوار وGoogle يرون صفحة خطأ بدل المحتوى.',
          ),
          { status: page.status },
        ),
      ];
    if (page.status >= 400)
      return [
        finding(
          'status.client_error',
          'critical',
          [page.url],
          text(`The page answered ${page.status}.`, `أعادت الصفحة رمز الحالة ${page.status}.`),
          text(
            'Restore the page, or redirect it (301) to the closest live page and update the links pointing to it.',
            'أعد نشر الصفحة، أو حوّلها بتحويل دائم (301) إلى أقرب صفحة قائمة، وحدّث الروابط التي تشير إليها.',
          ),
          { status: page.status },
        ),
      ];
    if (page.status === 0 && page.error && !NOT_FETCH_ERRORS.has(page.error.kind)) {
      const why = KIND[page.error.kind];
      return [
        finding(
          'status.fetch_error',
          'critical',
          [page.url],
          text(`The page could not be fetched: ${why.en}.`, `تعذّر جلب الصفحة: ${why.ar}.`),
          text(
            'Check that the server is up and reachable from the internet, its DNS and certificate are valid, and it answers within a few seconds.',
            'تأكد من أن الخادم يعمل ويمكن الوصول إليه من الإنترنت، وأن إعدادات النطاق والشهادة سليمة، وأنه يستجيب خلال ثوانٍ قليلة.',
          ),
          { kind: page.error.kind, error: page.error.message },
        ),
      ];
    }
    return [];
  });

export const redirects: Check = (site) =>
  site.pages.flatMap((page) => {
    const hopUrls = page.redirects.map((h) => h.url);
    const loops = page.error?.kind === 'redirect_loop' || new Set(hopUrls).size < hopUrls.length;
    if (loops)
      return [
        finding(
          'redirect.loop',
          'critical',
          [page.url],
          text(
            'The redirects of this URL loop back on themselves.',
            'عمليات إعادة التوجيه لهذا الرابط تعود إلى نفسها في حلقة مغلقة.',
          ),
          text(
            'Point the first redirect straight at the final page, and make sure that page does not redirect again.',
            'اجعل التحويل الأول يشير مباشرة إلى الصفحة النهائية، وتأكد من أن تلك الصفحة لا تعيد التوجيه مرة أخرى.',
          ),
          { hops: hopUrls },
        ),
      ];
    if (page.error?.kind === 'too_many_redirects')
      return [
        finding(
          'redirect.too_many',
          'critical',
          [page.url],
          text(
            `The crawler gave up after ${page.redirects.length} redirects.`,
            `توقف الزاحف بعد ${arabicCount(page.redirects.length, AR_REDIRECTS)} دون الوصول إلى صفحة.`,
          ),
          text(
            'Replace the chain with a single 301 redirect to the final page.',
            'استبدل السلسلة بتحويل واحد دائم (301) إلى الصفحة النهائية.',
          ),
          { hops: page.redirects.length },
        ),
      ];
    if (page.redirects.length > 1)
      return [
        finding(
          'redirect.chain',
          'warning',
          [page.url],
          text(
            `This URL reaches its page through ${page.redirects.length} redirects.`,
            `يصل هذا الرابط إلى صفحته عبر ${arabicCount(page.redirects.length, AR_REDIRECTS)} متتالية.`,
          ),
          text(
            'Redirect the first URL directly to the final one and update links to point at the final URL.',
            'حوّل الرابط الأول مباشرة إلى الرابط النهائي، وحدّث الروابط لتشير إلى الرابط النهائي.',
          ),
          { hops: page.redirects.length, chain: [...hopUrls, page.finalUrl] },
        ),
      ];
    return [];
  });
