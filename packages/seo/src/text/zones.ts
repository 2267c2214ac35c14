/** A page's text by where it appears; the audit extracts it from the HTML. */
export interface PageZones {
  url: string;
  title: string;
  h1: string[];
  /** H2–H6. */
  headings: string[];
  firstParagraph: string;
  /** The rest of the visible text; if it starts with firstParagraph, that copy is skipped. */
  body: string;
  alts: string[];
}

export type Zone = 'title' | 'h1' | 'headings' | 'firstParagraph' | 'body' | 'alts';

/**
 * Weight of one occurrence of a phrase in each zone: title > H1 > other
 * headings > first paragraph > body. Alt text counts as body: search engines
 * read it, but visitors mostly do not.
 */
export const ZONE_WEIGHTS: Readonly<Record<Zone, number>> = {
  title: 5,
  h1: 4,
  headings: 3,
  firstParagraph: 2,
  body: 1,
  alts: 1,
};

/** The texts of each zone, heaviest first, with body's leading copy of the first paragraph removed. */
export function zoneTexts(zones: PageZones): Array<[Zone, string[]]> {
  const first = zones.firstParagraph.trim();
  const body = zones.body.trimStart();
  return [
    ['title', [zones.title]],
    ['h1', zones.h1],
    ['headings', zones.headings],
    ['firstParagraph', [zones.firstParagraph]],
    ['body', [first !== '' && body.startsWith(first) ? body.slice(first.length) : zones.body]],
    ['alts', zones.alts],
  ];
}
