/** Thin pages, exact duplicates and near-duplicates of visible text. */
import type { Finding } from '../../types.ts';
import { halves, hammingHalves } from '../simhash.ts';
import { type Check, contentPages, finding, indexable, text } from '../site.ts';
import { AR_PAGES_GENITIVE, AR_PAGES_SUBJECT, AR_WORDS, arabicCount } from '../text.ts';

export const MIN_WORDS = 200;
/** Simhash distance (of 64 bits) at or below which two pages are near-duplicates. */
export const NEAR_DUPLICATE_BITS = 3;

export const thinContent: Check = (site) =>
  contentPages(site)
    .filter((p) => indexable(p) && p.facts.wordCount < MIN_WORDS)
    .map(({ page, facts }) =>
      finding(
        'content.thin',
        'warning',
        [page.url],
        text(
          `The page has only ${facts.wordCount} words of visible text (fewer than ${MIN_WORDS}).`,
          `تحتوي الصفحة على ${arabicCount(facts.wordCount, AR_WORDS)} فقط من النص الظاهر (أقل من ${MIN_WORDS}).`,
        ),
        text(
          'Add useful, original content that answers the visitor’s question, or merge the page into a stronger one.',
          'أضف محتوى أصيلًا ومفيدًا يجيب عن سؤال الزائر، أو ادمج الصفحة في صفحة أقوى منها.',
        ),
        { words: facts.wordCount, minWords: MIN_WORDS },
      ),
    );

type Rep = { url: string; bits: [number, number] };

export const duplicateContent: Check = (site) => {
  const pages = contentPages(site).filter((p) => indexable(p) && p.facts.simhash !== undefined);
  const out: Finding[] = [];
  const exact = new Map<string, { simhash: string; urls: string[] }>();
  for (const { page, facts } of pages) {
    const group = exact.get(facts.contentHash) ?? { simhash: facts.simhash ?? '', urls: [] };
    group.urls.push(page.url);
    exact.set(facts.contentHash, group);
  }
  for (const { urls } of exact.values())
    if (urls.length > 1)
      out.push(
        finding(
          'content.duplicate',
          'warning',
          urls,
          text(
            `${urls.length} pages have exactly the same text.`,
            `تحتوي ${arabicCount(urls.length, AR_PAGES_SUBJECT)} على النص نفسه تمامًا.`,
          ),
          text(
            'Keep one page and redirect the others to it (301), or point their canonical at it.',
            'أبقِ صفحة واحدة وحوّل الباقي إليها بتحويل دائم (301)، أو اجعل رابطها الأساسي (canonical) يشير إليها.',
          ),
          { count: urls.length },
        ),
      );

  // One representative per exact group; near-duplicate groups by union-find over close pairs
  // (all pairs: about half a million comparisons for 1,000 pages, a few milliseconds).
  const reps = [...exact.values()].map((g) => ({ url: g.urls[0] ?? '', bits: halves(g.simhash) }));
  const parent = reps.map((_, i) => i);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    return r;
  };
  const close: { a: number; d: number }[] = [];
  for (let a = 0; a < reps.length; a++)
    for (let b = a + 1; b < reps.length; b++) {
      const d = hammingHalves((reps[a] as Rep).bits, (reps[b] as Rep).bits);
      if (d <= NEAR_DUPLICATE_BITS) {
        parent[root(b)] = root(a);
        close.push({ a, d });
      }
    }
  const maxDistance = new Map<number, number>();
  for (const { a, d } of close) maxDistance.set(root(a), Math.max(maxDistance.get(root(a)) ?? 0, d));
  const groups = new Map<number, string[]>();
  for (let i = 0; i < reps.length; i++)
    groups.set(root(i), [...(groups.get(root(i)) ?? []), reps[i]?.url ?? '']);
  for (const [r, urls] of groups)
    if (urls.length > 1)
      out.push(
        finding(
          'content.near_duplicate',
          'warning',
          urls,
          text(
            `${urls.length} pages have almost the same text (fingerprints differ by at most ${maxDistance.get(r)} of 64 bits).`,
            `تتشابه نصوص ${arabicCount(urls.length, AR_PAGES_GENITIVE)} إلى حد كبير (تختلف بصماتها في ${maxDistance.get(r)} بت على الأكثر من أصل 64).`,
          ),
          text(
            'Make each page clearly different (its own details, examples, offers), or merge them and redirect.',
            'اجعل لكل صفحة محتوى مختلفًا بوضوح (تفاصيل وأمثلة وعروض خاصة بها)، أو ادمجها وحوّل الروابط القديمة.',
          ),
          { count: urls.length, maxDistance: maxDistance.get(r) },
        ),
      );
  return out;
};
