/** Robots directives (meta and X-Robots-Tag) and canonical links. */
import { parseLinkHeader } from '../headers.ts';
import {
  type Check,
  canonicalUrl,
  contentPages,
  failed,
  finding,
  isNoindex,
  resolveUrl,
  robotsState,
  sameUrl,
  statusLabel,
  text,
} from '../site.ts';
import { arabicCount } from '../text.ts';

const SOURCE_AR: Record<string, string> = { meta: 'وسم meta robots', header: 'ترويسة X-Robots-Tag' };
const SOURCE_EN: Record<string, string> = { meta: 'the meta robots tag', header: 'the X-Robots-Tag header' };
const en = (from: string[]) => from.map((s) => SOURCE_EN[s]).join(' and ');
const ar = (from: string[]) => from.map((s) => SOURCE_AR[s]).join(' و');

export const robotsDirectives: Check = (site) =>
  contentPages(site).flatMap(({ page, facts }) => {
    const state = robotsState(page, facts);
    const out = [];
    if (state.noindex)
      out.push(
        finding(
          'indexing.noindex',
          'warning',
          [page.url],
          text(
            `The page asks search engines not to index it (noindex in ${en(state.noindexFrom)}).`,
            `تطلب الصفحة من محركات البحث عدم فهرستها (noindex في ${ar(state.noindexFrom)}).`,
          ),
          text(
            'If the page should appear in search results, remove noindex; otherwise keep it and leave it out of the sitemap.',
            'إذا كانت الصفحة يجب أن تظهر في نتائج البحث فاحذف noindex، وإلا فأبقِه واستبعد الصفحة من خريطة الموقع.',
          ),
          { sources: state.noindexFrom },
        ),
      );
    if (state.nofollow)
      out.push(
        finding(
          'indexing.nofollow',
          'warning',
          [page.url],
          text(
            `Search engines are told not to follow any link on this page (nofollow in ${en(state.nofollowFrom)}).`,
            `يُطلب من محركات البحث عدم تتبع أي رابط في هذه الصفحة (nofollow في ${ar(state.nofollowFrom)}).`,
          ),
          text(
            'Remove the page-wide nofollow; mark individual links with rel="nofollow" only where needed.',
            'احذف nofollow من مستوى الصفحة، واستخدم rel="nofollow" على روابط بعينها عند الحاجة فقط.',
          ),
          { sources: state.nofollowFrom },
        ),
      );
    return out;
  });

const HOW_CANONICAL = text(
  'Add one <link rel="canonical" href="…"> in <head> with the absolute URL of the preferred version of this page.',
  'أضف وسمًا واحدًا <link rel="canonical" href="…"> داخل <head> يحمل الرابط الكامل للنسخة المفضلة من هذه الصفحة.',
);

export const canonicals: Check = (site) =>
  contentPages(site).flatMap(({ page, facts }) => {
    const out = [];
    const distinct = [...new Set(facts.canonicals)];
    if (distinct.length === 0 && facts.headerCanonicals.length === 0)
      out.push(
        finding(
          'canonical.missing',
          'notice',
          [page.url],
          text('The page has no canonical URL.', 'لا تحدد الصفحة رابطًا أساسيًا (canonical).'),
          HOW_CANONICAL,
        ),
      );
    if (distinct.length > 1)
      out.push(
        finding(
          'canonical.multiple',
          'warning',
          [page.url],
          text(
            `The page declares ${distinct.length} different canonical URLs; Google may ignore them all.`,
            `تحدد الصفحة ${arabicCount(distinct.length, { one: 'رابطًا أساسيًا واحدًا', two: 'رابطين أساسيين مختلفين', few: 'روابط أساسية مختلفة', many: 'رابطًا أساسيًا مختلفًا' })}، وقد يتجاهلها Google جميعًا.`,
          ),
          text('Keep a single canonical link and remove the others.', 'أبقِ رابطًا أساسيًا واحدًا واحذف الباقي.'),
          { canonicals: distinct },
        ),
      );
    const relative = distinct.filter((c) => !/^https?:\/\//i.test(c));
    if (relative.length > 0)
      out.push(
        finding(
          'canonical.relative',
          'notice',
          [page.url],
          text(
            `The canonical URL "${relative[0]}" is relative.`,
            `الرابط الأساسي «${relative[0]}» رابط نسبي وليس كاملًا.`,
          ),
          text(
            'Use the full URL, including https:// and the domain, so it cannot be misread.',
            'استخدم الرابط الكامل متضمنًا https:// واسم النطاق حتى لا يُفهم بشكل خاطئ.',
          ),
          { canonical: relative[0] },
        ),
      );
    const headers = parseLinkHeader(page.headers.link).filter((l) => l.rel.includes('canonical'));
    const htmlCanonical = distinct[0];
    const headerCanonical = headers[0]?.url;
    if (htmlCanonical !== undefined && headerCanonical !== undefined) {
      const base = page.finalUrl || page.url;
      if (resolveUrl(htmlCanonical, base) !== resolveUrl(headerCanonical, base))
        out.push(
          finding(
            'canonical.header_mismatch',
            'warning',
            [page.url],
            text(
              `The HTML canonical (${htmlCanonical}) differs from the Link header canonical (${headerCanonical}).`,
              `الرابط الأساسي في HTML (${htmlCanonical}) يختلف عن الرابط الأساسي في ترويسة Link (${headerCanonical}).`,
            ),
            text(
              'Make both point to the same URL, or drop one of them.',
              'اجعل كليهما يشير إلى الرابط نفسه، أو احذف أحدهما.',
            ),
            { html: htmlCanonical, header: headerCanonical },
          ),
        );
    }
    const target = canonicalUrl(page, facts);
    const targetPage = target === undefined || sameUrl(target, page.url) ? undefined : site.find(target);
    if (target !== undefined && targetPage !== undefined) {
      if (failed(targetPage))
        out.push(
          finding(
            'canonical.to_error',
            'critical',
            [page.url],
            text(
              `The canonical URL ${target} does not work (${statusLabel(targetPage)}).`,
              `الرابط الأساسي ${target} لا يعمل (${statusLabel(targetPage)}).`,
            ),
            text(
              'Point the canonical at a live page that answers 200.',
              'اجعل الرابط الأساسي يشير إلى صفحة قائمة تستجيب بالرمز 200.',
            ),
            { target, status: targetPage.status },
          ),
        );
      else if (targetPage.redirects.length > 0 && sameUrl(targetPage.url, target))
        out.push(
          finding(
            'canonical.to_redirect',
            'warning',
            [page.url],
            text(
              `The canonical URL ${target} redirects to ${targetPage.finalUrl}.`,
              `الرابط الأساسي ${target} يعيد التوجيه إلى ${targetPage.finalUrl}.`,
            ),
            text(
              'Use the final URL as the canonical, not one that redirects.',
              'استخدم الرابط النهائي رابطًا أساسيًا، لا رابطًا يعيد التوجيه.',
            ),
            { target, finalUrl: targetPage.finalUrl },
          ),
        );
      else if (isNoindex(site, targetPage))
        out.push(
          finding(
            'canonical.to_noindex',
            'critical',
            [page.url],
            text(
              `The canonical URL ${target} is marked noindex, so neither page may be indexed.`,
              `الرابط الأساسي ${target} يحمل noindex، فقد لا تُفهرس أي من الصفحتين.`,
            ),
            text(
              'Point the canonical at an indexable page, or remove noindex from the target.',
              'اجعل الرابط الأساسي يشير إلى صفحة قابلة للفهرسة، أو احذف noindex من الصفحة المستهدفة.',
            ),
            { target },
          ),
        );
    }
    return out;
  });
