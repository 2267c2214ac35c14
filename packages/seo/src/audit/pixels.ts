/**
 * Estimated rendered width of a search-result title (Arial 20px) or description (Arial 14px).
 *
 * Latin: Arial's advance widths (Arial is metric-compatible with Helvetica, so these are the
 * Adobe Core-14 Helvetica AFM widths, in 1/1000 em). Arial is not installed on this machine,
 * so Chromium would measure a fallback font (Noto Sans: 'a'–'z' = 275.6px at 20px, against
 * Arial's 254.5px); hence the published metrics rather than a measurement.
 *
 * Arabic script: one average width per letter, measured in the real Chromium with Noto Sans
 * Arabic (the sans Arabic face Chrome falls back to): 0.4254 em, i.e. 8.51px at 20px and
 * 5.96px at 14px. Shaped text was measured, so joining and lam-alef ligatures are included.
 * Method (one-off, node with playwright-core, run from the repository root):
 *
 *   const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
 *   const page = await browser.newPage();
 *   await page.evaluate((samples) => {
 *     const ctx = document.createElement('canvas').getContext('2d');
 *     ctx.font = '20px "Noto Sans Arabic"';
 *     let width = 0, letters = 0;
 *     for (const s of samples) { const t = s.replace(/ /g, ''); width += ctx.measureText(t).width; letters += [...t].length; }
 *     return width / letters;
 *   }, ['أفضل متجر إلكتروني لبيع الملابس في الرياض', 'كيف تختار شركة تسويق رقمي مناسبة لعملك',
 *       'دليل شامل لتحسين محركات البحث للمواقع العربية', 'عروض رمضان على الأجهزة المنزلية والإلكترونيات',
 *       'تعلم البرمجة من الصفر مع دورات مجانية باللغة العربية', 'أسعار الشقق للإيجار في دبي والشارقة وعجمان']);
 *   // → 8.507 at 20px, 5.955 at 14px
 */
import { graphemesOf } from './text.ts';

// ASCII 32..126 in order, Arial/Helvetica widths in 1/1000 em.
// biome-ignore format: one row per 16 characters keeps the table checkable against the AFM
const ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

const ARABIC_EM = 0.4254;
const DIGIT_EM = 0.556;
const WIDE_EM = 1; // CJK and emoji: about one em
const UNKNOWN_EM = 0.556; // Arial's average lowercase width

const OTHER: Record<string, number> = {
  '\u00a0': 0.278,
  '–': 0.556,
  '—': 1,
  '•': 0.35,
  '·': 0.278,
  '’': 0.222,
  '‘': 0.222,
  '“': 0.333,
  '”': 0.333,
  '«': 0.556,
  '»': 0.556,
  '…': 1,
  '،': 0.278,
  '؛': 0.278,
  '؟': 0.556,
};

const between = (c: number, lo: number, hi: number) => c >= lo && c <= hi;
const isArabicScript = (c: number) =>
  between(c, 0x600, 0x6ff) ||
  between(c, 0x750, 0x77f) ||
  between(c, 0x8a0, 0x8ff) ||
  between(c, 0xfb50, 0xfdff) ||
  between(c, 0xfe70, 0xfeff);
const isWide = (c: number) =>
  between(c, 0x1100, 0x11ff) ||
  between(c, 0x2e80, 0xa4cf) ||
  between(c, 0xac00, 0xd7a3) ||
  between(c, 0xf900, 0xfaff) ||
  between(c, 0xff00, 0xff60) ||
  c >= 0x1f300;

function emWidth(cluster: string): number {
  let base = cluster.codePointAt(0) ?? 32;
  if (base >= 32 && base <= 126) return (ASCII[base - 32] ?? 556) / 1000;
  // Accented Latin letters take their base letter's width.
  if (base < 0x250) base = cluster.normalize('NFD').codePointAt(0) ?? base;
  if (base >= 32 && base <= 126) return (ASCII[base - 32] ?? 556) / 1000;
  const other = OTHER[String.fromCodePoint(base)];
  if (other !== undefined) return other;
  if (between(base, 0x660, 0x669) || between(base, 0x6f0, 0x6f9)) return DIGIT_EM;
  if (isArabicScript(base)) return ARABIC_EM;
  return isWide(base) ? WIDE_EM : UNKNOWN_EM;
}

/** Estimated width in CSS pixels of `text` set in Arial at `fontPx`. */
export function estimatePixels(text: string, fontPx: number): number {
  let em = 0;
  for (const cluster of graphemesOf(text)) em += emWidth(cluster);
  return Math.round(em * fontPx);
}

export const TITLE_FONT_PX = 20;
export const DESCRIPTION_FONT_PX = 14;
