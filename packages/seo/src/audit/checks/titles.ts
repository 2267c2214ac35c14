/**
 * Titles and meta descriptions. Length is counted in grapheme clusters (what people
 * see, never bytes) and estimated in pixels, because Google truncates by width:
 * titles past about 600px (Arial 20px), descriptions past about 920px (Arial 14px).
 * "Too short" uses characters: 30 for a title, 70 for a description.
 */
import type { Finding } from '../../types.ts';
import { DESCRIPTION_FONT_PX, estimatePixels, TITLE_FONT_PX } from '../pixels.ts';
import { type Check, type ContentPage, contentPages, finding, indexable, text } from '../site.ts';
import { AR_CHARACTERS, AR_PAGES_SUBJECT, arabicCount, graphemeCount } from '../text.ts';

export const TITLE_MAX_PX = 600;
export const TITLE_MIN_CHARS = 30;
export const DESCRIPTION_MAX_PX = 920;
export const DESCRIPTION_MIN_CHARS = 70;

interface Field {
  id: 'title' | 'description';
  values: (p: ContentPage) => string[];
  fontPx: number;
  maxPx: number;
  minChars: number;
  name: { en: string; ar: string };
  severity: { missing: 'critical' | 'warning' };
  how: { en: string; ar: string };
}

const FIELDS: Field[] = [
  {
    id: 'title',
    values: (p) => p.facts.titles,
    fontPx: TITLE_FONT_PX,
    maxPx: TITLE_MAX_PX,
    minChars: TITLE_MIN_CHARS,
    name: { en: 'title', ar: 'عنوان الصفحة (title)' },
    severity: { missing: 'critical' },
    how: {
      en: 'Write a unique title of roughly 30–60 characters that names the page’s topic first, then the brand.',
      ar: 'اكتب عنوانًا فريدًا بين 30 و60 حرفًا تقريبًا، يبدأ بموضوع الصفحة ثم اسم العلامة التجارية.',
    },
  },
  {
    id: 'description',
    values: (p) => p.facts.descriptions,
    fontPx: DESCRIPTION_FONT_PX,
    maxPx: DESCRIPTION_MAX_PX,
    minChars: DESCRIPTION_MIN_CHARS,
    name: { en: 'meta description', ar: 'الوصف التعريفي (meta description)' },
    severity: { missing: 'warning' },
    how: {
      en: 'Write a unique description of roughly 70–155 characters that summarises the page and invites the click.',
      ar: 'اكتب وصفًا فريدًا بين 70 و155 حرفًا تقريبًا يلخص الصفحة ويشجع على النقر.',
    },
  },
];

function perPage(field: Field, { page, facts }: ContentPage): Finding[] {
  const values = field.values({ page, facts });
  const { id, name, how } = field;
  const fix = text(how.en, how.ar);
  if (values.length === 0)
    return [
      finding(
        `${id}.missing`,
        field.severity.missing,
        [page.url],
        text(`The page has no ${name.en}.`, `لا تحتوي الصفحة على ${name.ar}.`),
        fix,
      ),
    ];
  const out: Finding[] = [];
  if (values.length > 1)
    out.push(
      finding(
        `${id}.multiple`,
        'warning',
        [page.url],
        text(
          `The page has ${values.length} ${name.en} tags.`,
          `تحتوي الصفحة على ${values.length} من وسوم ${name.ar}.`,
        ),
        text(`Keep a single ${name.en} and remove the others.`, `أبقِ على وسم واحد فقط واحذف الباقي.`),
        { values },
      ),
    );
  const value = values[0] ?? '';
  if (value === '') {
    out.push(
      finding(
        `${id}.empty`,
        field.severity.missing,
        [page.url],
        text(`The ${name.en} is empty.`, `${name.ar} فارغ.`),
        fix,
      ),
    );
    return out;
  }
  const chars = graphemeCount(value);
  const pixels = estimatePixels(value, field.fontPx);
  if (pixels > field.maxPx)
    out.push(
      finding(
        `${id}.too_long`,
        id === 'title' ? 'warning' : 'notice',
        [page.url],
        text(
          `The ${name.en} is about ${pixels}px wide (${chars} characters); Google cuts it off after about ${field.maxPx}px.`,
          `يبلغ عرض ${name.ar} نحو ${pixels} بكسل (${arabicCount(chars, AR_CHARACTERS)})، ويقتطع Google ما يتجاوز ${field.maxPx} بكسل تقريبًا.`,
        ),
        fix,
        { value, characters: chars, pixels, maxPixels: field.maxPx },
      ),
    );
  else if (chars < field.minChars)
    out.push(
      finding(
        `${id}.too_short`,
        'notice',
        [page.url],
        text(
          `The ${name.en} has only ${chars} characters (fewer than ${field.minChars}).`,
          `يتكون ${name.ar} من ${arabicCount(chars, AR_CHARACTERS)} فقط (أقل من ${field.minChars}).`,
        ),
        fix,
        { value, characters: chars, pixels, minCharacters: field.minChars },
      ),
    );
  return out;
}

function duplicates(field: Field, pages: ContentPage[]): Finding[] {
  // lower-cased value → the value as first written, and the pages using it
  const groups = new Map<string, { value: string; urls: string[] }>();
  for (const p of pages) {
    const value = field.values(p)[0];
    if (!value) continue;
    const group = groups.get(value.toLowerCase()) ?? { value, urls: [] };
    group.urls.push(p.page.url);
    groups.set(value.toLowerCase(), group);
  }
  return [...groups.values()]
    .filter(({ urls }) => urls.length > 1)
    .map(({ value, urls }) =>
      finding(
        `${field.id}.duplicate`,
        'warning',
        urls,
        text(
          `${urls.length} pages share the same ${field.name.en}: "${value}".`,
          `تشترك ${arabicCount(urls.length, AR_PAGES_SUBJECT)} في ${field.name.ar} نفسه: «${value}».`,
        ),
        text(
          `Give each page its own ${field.name.en} describing what is specific to it.`,
          'اكتب لكل صفحة نصًا خاصًا بها يصف ما يميزها عن غيرها.',
        ),
        { value, count: urls.length },
      ),
    );
}

export const titlesAndDescriptions: Check = (site) => {
  const pages = contentPages(site);
  const indexed = pages.filter((p) => indexable(p));
  return FIELDS.flatMap((field) => [
    ...pages.flatMap((p) => perPage(field, p)),
    ...duplicates(field, indexed),
  ]);
};
