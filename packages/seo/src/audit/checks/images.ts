/** Image alt text, declared dimensions and weight. */
import type { Finding } from '../../types.ts';
import { type Check, contentPages, finding, text } from '../site.ts';

/** Transfer size above which an image is reported as heavy. */
export const HEAVY_IMAGE_BYTES = 200 * 1024;

export const imageAttributes: Check = (site) =>
  contentPages(site).flatMap(({ page, facts }) => {
    const out: Finding[] = [];
    const noAlt = facts.images.filter((i) => i.alt === undefined).map((i) => i.src);
    if (noAlt.length > 0)
      out.push(
        finding(
          'image.alt_missing',
          'warning',
          [page.url],
          text(
            `${noAlt.length} image(s) have no alt attribute.`,
            `توجد ${noAlt.length} من الصور بلا سمة alt.`,
          ),
          text(
            'Describe each meaningful image in its alt attribute; use alt="" only for purely decorative images.',
            'صِف كل صورة ذات معنى في السمة alt، واستخدم alt="" للصور الزخرفية فقط.',
          ),
          { images: noAlt },
        ),
      );
    const emptyLinked = facts.images.filter((i) => i.alt === '' && i.soleLinkContent).map((i) => i.src);
    if (emptyLinked.length > 0)
      out.push(
        finding(
          'image.alt_empty_linked',
          'warning',
          [page.url],
          text(
            `${emptyLinked.length} linked image(s) have an empty alt, so the link has no name.`,
            `توجد ${emptyLinked.length} من الصور المرتبطة بروابط نص alt فيها فارغ، فيبقى الرابط بلا اسم.`,
          ),
          text(
            'An image that is the whole link is not decorative: set its alt to where the link goes.',
            'الصورة التي تشكّل الرابط كاملًا ليست زخرفية: اكتب في alt وجهة الرابط.',
          ),
          { images: emptyLinked },
        ),
      );
    const noSize = facts.images.filter((i) => !i.hasWidth || !i.hasHeight).map((i) => i.src);
    if (noSize.length > 0)
      out.push(
        finding(
          'image.dimensions_missing',
          'notice',
          [page.url],
          text(
            `${noSize.length} image(s) lack width and height attributes, so the layout shifts while they load.`,
            `توجد ${noSize.length} من الصور بلا سمتي width وheight، فيتحرك تخطيط الصفحة أثناء تحميلها.`,
          ),
          text(
            'Set width and height on every <img> (CSS can still resize it) to reserve its space.',
            'حدّد السمتين width وheight لكل وسم <img> (ويمكن تغيير الحجم بـCSS) لحجز مساحتها مسبقًا.',
          ),
          { images: noSize },
        ),
      );
    return out;
  });

/**
 * Heavy images, only where the crawler fetched the image itself (a CrawledPage with
 * an image content type); images it did not fetch have no known weight and are skipped.
 */
export const imageWeight: Check = (site) => {
  const users = new Map<string, Set<string>>();
  for (const { page, facts } of contentPages(site))
    for (const image of facts.images) users.set(image.src, (users.get(image.src) ?? new Set()).add(page.url));
  const out: Finding[] = [];
  for (const [src, pages] of users) {
    const fetched = site.find(src);
    if (!fetched || !/^image\//i.test(fetched.contentType ?? fetched.headers['content-type'] ?? '')) continue;
    const bytes = fetched.transferBytes || fetched.bodyBytes;
    if (bytes <= HEAVY_IMAGE_BYTES) continue;
    const kb = Math.round(bytes / 1024);
    out.push(
      finding(
        'image.heavy',
        'warning',
        [...pages],
        text(
          `The image ${src} weighs ${kb} KB (over ${HEAVY_IMAGE_BYTES / 1024} KB).`,
          `حجم الصورة ${src} يبلغ ${kb} كيلوبايت (أكثر من ${HEAVY_IMAGE_BYTES / 1024} كيلوبايت).`,
        ),
        text(
          'Resize it to the size it is displayed at and compress it (WebP or AVIF).',
          'صغّر أبعادها إلى حجم عرضها الفعلي واضغطها بصيغة WebP أو AVIF.',
        ),
        { image: src, target: src, bytes, maxBytes: HEAVY_IMAGE_BYTES },
      ),
    );
  }
  return out;
};
