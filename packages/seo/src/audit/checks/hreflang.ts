/** hreflang alternates: return links, x-default, self reference, codes and targets. */
import { isValidHreflang, primaryLanguage } from '../codes.ts';
import { type Check, contentPages, finding, sameUrl, statusLabel, text } from '../site.ts';

export const hreflang: Check = (site) =>
  contentPages(site).flatMap(({ page, facts }) => {
    const alternates = facts.hreflang;
    if (alternates.length === 0) return [];
    const out = [];
    const self = alternates.find((a) => sameUrl(a.url, page.url) || sameUrl(a.url, page.finalUrl));
    if (!self)
      out.push(
        finding(
          'hreflang.no_self',
          'warning',
          [page.url],
          text(
            'The hreflang annotations do not include the page itself.',
            'لا تتضمن وسوم hreflang إشارة إلى الصفحة نفسها.',
          ),
          text(
            'Add an hreflang link for this page’s own language pointing to its own URL.',
            'أضف وسم hreflang بلغة هذه الصفحة يشير إلى رابطها هي نفسها.',
          ),
        ),
      );
    if (!alternates.some((a) => a.lang.toLowerCase() === 'x-default'))
      out.push(
        finding(
          'hreflang.no_x_default',
          'notice',
          [page.url],
          text(
            'No hreflang="x-default" alternate is declared.',
            'لا يوجد وسم hreflang="x-default" للنسخة الافتراضية.',
          ),
          text(
            'Add an x-default alternate pointing to the page for visitors whose language you do not serve (often the language picker or the main version).',
            'أضف وسم x-default يشير إلى الصفحة المخصصة للزوار الذين لا تتوفر لغتهم، وغالبًا تكون صفحة اختيار اللغة أو النسخة الرئيسية.',
          ),
        ),
      );
    for (const code of new Set(alternates.map((a) => a.lang).filter((l) => !isValidHreflang(l))))
      out.push(
        finding(
          'hreflang.invalid_code',
          'critical',
          [page.url],
          text(
            `The hreflang code "${code}" is not a valid language(-region) code.`,
            `رمز hreflang «${code}» ليس رمز لغة (ومنطقة) صالحًا.`,
          ),
          text(
            'Use an ISO 639-1 language code, optionally with an ISO 3166-1 region: "ar", "ar-SA", "en-GB" (not "en-UK" or "ar-KSA").',
            'استخدم رمز لغة وفق ISO 639-1 مع رمز منطقة وفق ISO 3166-1 عند الحاجة، مثل "ar" أو "ar-SA" أو "en-GB" (وليس "en-UK" أو "ar-KSA").',
          ),
          { code },
        ),
      );
    if (
      self &&
      facts.lang &&
      self.lang.toLowerCase() !== 'x-default' &&
      primaryLanguage(self.lang) !== primaryLanguage(facts.lang)
    )
      out.push(
        finding(
          'hreflang.lang_mismatch',
          'warning',
          [page.url],
          text(
            `The page calls itself "${self.lang}" in hreflang but its html lang is "${facts.lang}".`,
            `تعرّف الصفحة نفسها بالرمز «${self.lang}» في hreflang بينما سمة lang في html هي «${facts.lang}».`,
          ),
          text(
            'Make the hreflang code and the lang attribute name the same language.',
            'اجعل رمز hreflang وسمة lang يدلان على اللغة نفسها.',
          ),
          { hreflang: self.lang, lang: facts.lang },
        ),
      );
    for (const alt of alternates) {
      if (sameUrl(alt.url, page.url)) continue;
      const target = site.find(alt.url);
      if (!target) continue;
      if (target.status !== 200 || target.redirects.length > 0 || target.error) {
        out.push(
          finding(
            'hreflang.target_not_ok',
            'warning',
            [page.url],
            text(
              `The "${alt.lang}" alternate ${alt.url} does not answer 200 (${target.redirects.length > 0 ? 'redirects' : statusLabel(target)}).`,
              `النسخة البديلة «${alt.lang}» على ${alt.url} لا تستجيب بالرمز 200 (${target.redirects.length > 0 ? 'تعيد التوجيه' : statusLabel(target)}).`,
            ),
            text(
              'Point hreflang only at live, final URLs that answer 200.',
              'اجعل hreflang يشير فقط إلى روابط نهائية قائمة تستجيب بالرمز 200.',
            ),
            { target: alt.url, lang: alt.lang, status: target.status, redirects: target.redirects.length },
          ),
        );
        continue;
      }
      const back = site.facts.get(target.url)?.hreflang ?? [];
      if (!back.some((b) => sameUrl(b.url, page.url) || sameUrl(b.url, page.finalUrl)))
        out.push(
          finding(
            'hreflang.missing_return',
            'warning',
            [page.url],
            text(
              `The "${alt.lang}" alternate ${alt.url} does not link back to this page, so Google ignores the pair.`,
              `النسخة البديلة «${alt.lang}» على ${alt.url} لا تشير بدورها إلى هذه الصفحة، لذلك يتجاهل Google هذا الربط.`,
            ),
            text(
              'Add a matching hreflang link on the alternate page pointing back here (links must go both ways).',
              'أضف في الصفحة البديلة وسم hreflang مقابلًا يشير إلى هذه الصفحة، فالربط يجب أن يكون في الاتجاهين.',
            ),
            { target: alt.url, lang: alt.lang },
          ),
        );
    }
    return out;
  });
