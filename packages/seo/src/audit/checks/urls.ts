/**
 * Slugs that turn unreadable when shared: an Arabic path is sent percent-encoded
 * (each letter becomes 6 characters, e.g. 'ا' → '%D8%A7'), so a 35-letter slug
 * is over 200 characters in a copied link, chat preview or analytics report.
 */
import type { Finding } from '../../types.ts';
import { type Check, contentPages, finding, text } from '../site.ts';
import { AR_CHARACTERS, arabicCount, graphemeCount, hasArabic, hasLatin } from '../text.ts';

/** Encoded path length from which the readable/encoded gap is reported. */
export const MAX_ENCODED_PATH = 200;

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export const slugs: Check = (site) =>
  contentPages(site).flatMap(({ page }) => {
    const out: Finding[] = [];
    const encoded = new URL(page.url).pathname;
    const readable = decodePath(encoded);
    const readableLength = graphemeCount(readable);
    if (encoded.length > MAX_ENCODED_PATH && encoded.length >= 2 * readableLength)
      out.push(
        finding(
          'url.encoded_slug_long',
          'notice',
          [page.url],
          text(
            `The path reads as ${readableLength} characters but is ${encoded.length} characters once percent-encoded, as it appears when the link is copied or shared.`,
            `يظهر مسار الرابط بطول ${arabicCount(readableLength, AR_CHARACTERS)}، لكنه يصبح ${arabicCount(encoded.length, AR_CHARACTERS)} بعد الترميز (%XX) كما يظهر عند نسخ الرابط أو مشاركته.`,
          ),
          text(
            'Shorten the slug to a few key words, or use a short Latin transliteration for the URL while keeping the Arabic title on the page.',
            'اختصر المسار إلى كلمات مفتاحية قليلة، أو استخدم في الرابط كتابة لاتينية قصيرة مع إبقاء العنوان العربي في الصفحة.',
          ),
          { path: readable, readableLength, encodedLength: encoded.length },
        ),
      );
    const mixed = readable.split('/').filter((segment) => hasArabic(segment) && hasLatin(segment));
    if (mixed.length > 0)
      out.push(
        finding(
          'url.mixed_script_slug',
          'notice',
          [page.url],
          text(
            `The URL mixes Arabic and Latin letters in one segment ("${mixed[0]}"), which displays jumbled in right-to-left text.`,
            `يخلط الرابط بين الحروف العربية واللاتينية في جزء واحد («${mixed[0]}»)، فيظهر مشوش الترتيب داخل النصوص العربية.`,
          ),
          text(
            'Use one script per slug: all Arabic or all Latin.',
            'استخدم نوعًا واحدًا من الحروف في كل مسار: عربيًا بالكامل أو لاتينيًا بالكامل.',
          ),
          { segments: mixed },
        ),
      );
    return out;
  });
