import { isSignificant, terms } from './terms.ts';

export interface PageHeadlines {
  url: string;
  title: string;
  h1: string[];
}

export interface CannibalisationGroup {
  /** The primary keyword as the first page of the group writes it. */
  keyword: string;
  /** Its identity: the distinct stems of its words but stop words, sorted, space-separated. */
  stems: string;
  /** In the order the pages were given. */
  urls: string[];
}

/** Separators between a title's parts ("Keyword | Brand", "Keyword - Brand"); a hyphen inside a word is not one. */
const SEPARATORS = /\s-\s|[|–—·•»«]/u;

/** Stem key of a headline part: word order and repeats ignored, so "digital marketing guide" = "guide to digital marketing". */
function stemKey(text: string): string {
  const stems = new Set(
    terms(text)
      .filter(isSignificant)
      .map((t) => t.stem),
  );
  return [...stems].sort().join(' ');
}

/**
 * Primary keyword of a title or H1: its first part, split at separators,
 * that has a word other than a stop word and is not a brand name.
 */
function primaryKeyword(
  text: string,
  brandKeys: Set<string>,
): { keyword: string; stems: string } | undefined {
  for (const part of text.split(SEPARATORS)) {
    const stems = stemKey(part);
    if (stems !== '' && !brandKeys.has(stems)) return { keyword: part.trim(), stems };
  }
  return undefined;
}

/**
 * Keyword cannibalisation: pages whose title or first H1 has the same primary
 * keyword compete for the same searches. Returns groups of two or more pages,
 * largest first; a group with exactly the URLs of an earlier one is left out.
 * `brands` are site or brand names to skip in titles ("... | Wasl").
 */
export function findCannibalisation(pages: PageHeadlines[], brands: string[] = []): CannibalisationGroup[] {
  const brandKeys = new Set(brands.map(stemKey).filter((k) => k !== ''));
  const groups = new Map<string, { keyword: string; urls: Set<string> }>();
  for (const page of pages) {
    const heads = [page.title, page.h1[0] ?? ''];
    for (const head of heads) {
      const primary = primaryKeyword(head, brandKeys);
      if (primary === undefined) continue;
      const group = groups.get(primary.stems);
      if (group === undefined)
        groups.set(primary.stems, { keyword: primary.keyword, urls: new Set([page.url]) });
      else group.urls.add(page.url);
    }
  }
  const seen = new Set<string>();
  const result: CannibalisationGroup[] = [];
  for (const [stems, group] of groups) {
    if (group.urls.size < 2) continue;
    const urls = [...group.urls].sort();
    const identity = urls.join('\n');
    if (seen.has(identity)) continue;
    seen.add(identity);
    result.push({ keyword: group.keyword, stems, urls });
  }
  return result.sort(
    (a, b) => b.urls.length - a.urls.length || ((a.urls[0] ?? '') < (b.urls[0] ?? '') ? -1 : 1),
  );
}
