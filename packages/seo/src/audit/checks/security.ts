/** Mixed content, HSTS and CSP headers, and certificate expiry. */
import type { CrawledPage, Finding } from '../../types.ts';
import { type Check, contentPages, finding, text } from '../site.ts';
import { AR_DAYS, arabicCount } from '../text.ts';

export const TLS_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export const mixedContent: Check = (site) =>
  contentPages(site)
    .filter(({ facts }) => facts.insecureSubresources.length > 0)
    .map(({ page, facts }) =>
      finding(
        'security.mixed_content',
        'critical',
        [page.url],
        text(
          `This HTTPS page loads ${facts.insecureSubresources.length} resource(s) over plain http://, which browsers block or flag.`,
          `تحمّل هذه الصفحة الآمنة (HTTPS) ${facts.insecureSubresources.length} من الموارد عبر http:// غير المشفر، وتحظرها المتصفحات أو تحذّر منها.`,
        ),
        text(
          'Load every script, style, image and frame over https:// (or from your own domain).',
          'حمّل جميع السكربتات وملفات التنسيق والصور والإطارات عبر https:// أو من نطاقك نفسه.',
        ),
        { resources: facts.insecureSubresources },
      ),
    );

const httpsPages = (pages: readonly CrawledPage[]) =>
  pages.filter((p) => p.status === 200 && p.redirects.length === 0 && p.finalUrl.startsWith('https:'));

export const securityHeaders: Check = (site) => {
  const https = httpsPages(contentPages(site).map((c) => c.page));
  const out: Finding[] = [];
  const noHsts = https.filter((p) => !p.headers['strict-transport-security']).map((p) => p.url);
  if (noHsts.length > 0)
    out.push(
      finding(
        'security.hsts_missing',
        'warning',
        noHsts,
        text(
          `${noHsts.length} HTTPS page(s) are served without a Strict-Transport-Security header.`,
          `تُقدَّم ${noHsts.length} من صفحات HTTPS دون ترويسة Strict-Transport-Security.`,
        ),
        text(
          'Send "Strict-Transport-Security: max-age=31536000; includeSubDomains" so browsers always use HTTPS.',
          'أرسل الترويسة "Strict-Transport-Security: max-age=31536000; includeSubDomains" لتستخدم المتصفحات HTTPS دائمًا.',
        ),
        { count: noHsts.length },
      ),
    );
  const noCsp = https
    .filter((p) => !p.headers['content-security-policy'] && !p.headers['content-security-policy-report-only'])
    .map((p) => p.url);
  if (noCsp.length > 0)
    out.push(
      finding(
        'security.csp_missing',
        'notice',
        noCsp,
        text(
          `${noCsp.length} page(s) have no Content-Security-Policy header.`,
          `توجد ${noCsp.length} من الصفحات بلا ترويسة Content-Security-Policy.`,
        ),
        text(
          'Add a Content-Security-Policy listing the sources your pages may load, to limit injected scripts.',
          'أضف ترويسة Content-Security-Policy تحدد المصادر المسموح للصفحات بتحميلها، للحد من السكربتات المحقونة.',
        ),
        { count: noCsp.length },
      ),
    );
  return out;
};

/** Certificates that expired or expire within 30 days of the audit time, one finding per host. */
export const tlsExpiry: Check = (site) => {
  const hosts = new Map<string, { validTo: string; urls: string[] }>();
  for (const page of site.pages) {
    if (!page.tls) continue;
    const host = new URL(page.finalUrl || page.url).host;
    const entry = hosts.get(host) ?? { validTo: page.tls.validTo, urls: [] };
    // A certificate renewed during the crawl: the earliest end date is the one at risk.
    if (Date.parse(page.tls.validTo) < Date.parse(entry.validTo)) entry.validTo = page.tls.validTo;
    entry.urls.push(page.url);
    hosts.set(host, entry);
  }
  const out: Finding[] = [];
  for (const [host, { validTo, urls }] of hosts) {
    const end = Date.parse(validTo);
    if (Number.isNaN(end)) continue;
    const daysLeft = Math.floor((end - site.now.getTime()) / DAY_MS);
    if (end <= site.now.getTime())
      out.push(
        finding(
          'security.tls_expired',
          'critical',
          urls,
          text(
            `The TLS certificate of ${host} expired on ${validTo}.`,
            `انتهت صلاحية شهادة TLS للنطاق ${host} في ${validTo}.`,
          ),
          text(
            'Renew the certificate now; browsers show a security warning instead of the site.',
            'جدّد الشهادة فورًا، فالمتصفحات تعرض تحذيرًا أمنيًا بدل الموقع.',
          ),
          { host, validTo, daysLeft },
        ),
      );
    else if (end - site.now.getTime() <= TLS_WARNING_DAYS * DAY_MS)
      out.push(
        finding(
          'security.tls_expiring',
          'warning',
          urls,
          text(
            `The TLS certificate of ${host} expires in ${daysLeft} day(s) (${validTo}).`,
            `تنتهي صلاحية شهادة TLS للنطاق ${host} خلال ${daysLeft === 0 ? 'أقل من يوم' : arabicCount(daysLeft, AR_DAYS)} (${validTo}).`,
          ),
          text(
            'Renew the certificate, and check that automatic renewal (e.g. Let’s Encrypt) works.',
            'جدّد الشهادة، وتأكد من أن التجديد التلقائي (مثل Let’s Encrypt) يعمل.',
          ),
          { host, validTo, daysLeft },
        ),
      );
  }
  return out;
};
