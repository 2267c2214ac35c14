/** Broken internal and external links, and link text that says nothing about its target. */
import type { CrawledPage } from '../../types.ts';
import { type Check, failed, finding, outgoingLinks, statusLabel, text } from '../site.ts';
import { normaliseArabic, squash } from '../text.ts';

export const brokenLinks: Check = (site) => {
  // target URL → { internal, source pages }
  const broken = new Map<string, { internal: boolean; target: CrawledPage; sources: Set<string> }>();
  for (const page of site.pages) {
    for (const link of outgoingLinks(page, site.facts.get(page.url))) {
      const target = site.find(link.url);
      if (!target || !failed(target)) continue;
      const entry = broken.get(link.url) ?? { internal: link.internal, target, sources: new Set<string>() };
      entry.sources.add(page.url);
      broken.set(link.url, entry);
    }
  }
  return [...broken].map(([url, { internal, target, sources }]) => {
    const status = statusLabel(target);
    return finding(
      internal ? 'links.broken_internal' : 'links.broken_external',
      internal ? 'critical' : 'warning',
      [...sources],
      internal
        ? text(
            `Links point to ${url}, which fails (${status}).`,
            `توجد روابط تشير إلى ${url} وهي صفحة لا تعمل (${status}).`,
          )
        : text(
            `Links point to the external page ${url}, which fails (${status}).`,
            `توجد روابط تشير إلى الصفحة الخارجية ${url} وهي لا تعمل (${status}).`,
          ),
      text(
        'Update or remove the link on each listed page, or restore the target page.',
        'حدّث الرابط أو احذفه في كل صفحة مذكورة، أو أعد الصفحة المستهدفة للعمل.',
      ),
      { target: url, status: target.status, ...(target.error ? { errorKind: target.error.kind } : {}) },
    );
  });
};

const GENERIC = [
  'click here',
  'click',
  'read more',
  'here',
  'more',
  'learn more',
  'link',
  'this page',
  'this link',
  'go',
  'details',
  'more info',
  'more information',
  'continue',
  'continue reading',
  'see more',
  'view more',
  'اضغط هنا',
  'انقر هنا',
  'هنا',
  'المزيد',
  'اقرأ المزيد',
  'اقرا المزيد',
  'للمزيد',
  'اضغط',
  'انقر',
  'التفاصيل',
  'تفاصيل',
  'رابط',
  'الرابط',
  'هذا الرابط',
  'هذه الصفحة',
  'المزيد من التفاصيل',
  'لمزيد من التفاصيل',
  'عرض المزيد',
  'شاهد المزيد',
  'تابع القراءة',
].map((s) => normaliseArabic(s));

const GENERIC_SET = new Set(GENERIC);

/** Lower-cased, Arabic-normalised, without surrounding punctuation such as '»' or '...'. */
const comparable = (s: string): string =>
  normaliseArabic(squash(s))
    .replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, '')
    .trim();

export const isGenericLinkText = (s: string): boolean => GENERIC_SET.has(comparable(s));

export const genericLinkText: Check = (site) =>
  site.pages.flatMap((page) => {
    const facts = site.facts.get(page.url);
    if (!facts) return [];
    const generic = outgoingLinks(page, facts).filter((l) => isGenericLinkText(l.text));
    if (generic.length === 0) return [];
    return [
      finding(
        'links.generic_text',
        'notice',
        [page.url],
        text(
          `${generic.length} link(s) use text that does not say where they lead, e.g. "${generic[0]?.text}".`,
          `يستخدم ${generic.length} من الروابط نصًا لا يوضح وجهته، مثل «${generic[0]?.text}».`,
        ),
        text(
          'Write link text that names the destination, e.g. "Ramadan offers on phones" instead of "click here".',
          'اكتب نصًا للرابط يصف الصفحة التي يقود إليها، مثل «عروض رمضان على الجوالات» بدل «اضغط هنا».',
        ),
        { links: generic.map((l) => ({ url: l.url, text: l.text })) },
      ),
    ];
  });
