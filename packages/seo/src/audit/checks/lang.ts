/** The lang attribute, and right-to-left direction on Arabic pages. */
import { primaryLanguage } from '../codes.ts';
import { type Check, contentPages, finding, text } from '../site.ts';

export const langAndDir: Check = (site) =>
  contentPages(site).flatMap(({ page, facts }) => {
    const out = [];
    if (!facts.lang)
      out.push(
        finding(
          'lang.missing',
          'warning',
          [page.url],
          text('The <html> element has no lang attribute.', 'عنصر <html> لا يحمل السمة lang.'),
          text(
            'Declare the page language, e.g. <html lang="ar"> or <html lang="en">, so browsers, screen readers and search engines read it correctly.',
            'حدّد لغة الصفحة، مثل <html lang="ar"> أو <html lang="en">، لتقرأها المتصفحات وقارئات الشاشة ومحركات البحث بشكل صحيح.',
          ),
        ),
      );
    const arabicShare = facts.letters === 0 ? 0 : facts.arabicLetters / facts.letters;
    const arabic = primaryLanguage(facts.lang ?? '') === 'ar' || arabicShare > 0.5;
    if (arabic && facts.htmlDir !== 'rtl' && facts.bodyDir !== 'rtl')
      out.push(
        finding(
          'dir.missing_rtl',
          'warning',
          [page.url],
          text(
            `The page is in Arabic (${Math.round(arabicShare * 100)}% Arabic letters, lang="${facts.lang ?? ''}") but is not set right-to-left.`,
            `الصفحة باللغة العربية (${Math.round(arabicShare * 100)}% من حروفها عربية، lang="${facts.lang ?? ''}") لكن اتجاهها غير مضبوط من اليمين إلى اليسار.`,
          ),
          text(
            'Add dir="rtl" to the <html> element so text, punctuation and layout flow right to left.',
            'أضف السمة dir="rtl" إلى عنصر <html> ليظهر النص وعلامات الترقيم والتخطيط من اليمين إلى اليسار.',
          ),
          { lang: facts.lang ?? null, arabicLetterShare: Math.round(arabicShare * 100) / 100 },
        ),
      );
    return out;
  });
