import { extractFacts, isHtml, type PageFacts } from '../audit/facts.ts';
import { type KeywordCoverage, keywordCoverage } from '../text/coverage.ts';
import { keywordFrequency } from '../text/keywords.ts';
import { longTailPhrases } from '../text/phrases.ts';
import { type Readability, readability } from '../text/readability.ts';
import type { CrawledPage } from '../types.ts';
import { pageZones } from './zones.ts';

/** Keywords and phrases kept per page: enough for the pages table, small enough to store with every page. */
export const TOP_KEYWORDS = 10;
export const TOP_PHRASES = 10;

export interface PageText {
  words: number;
  /** Per target keyword of the audit: where on the page it appears. */
  coverage?: KeywordCoverage[];
  keywords: { surface: string; stem: string; count: number; density: number }[];
  phrases: { surface: string; count: number; score: number }[];
  readability: Readability;
}

/** What the audit keeps of a page's body, which is never stored. */
export interface PageAnalysis {
  facts: PageFacts;
  text: PageText;
}

/** The facts the checks read and the text analysis of a site page with an HTML body; undefined otherwise. */
export function analysePage(
  page: CrawledPage,
  targetKeywords: readonly string[] = [],
): PageAnalysis | undefined {
  if (page.depth < 0 || page.body === undefined || !isHtml(page)) return undefined;
  const zones = pageZones(page.body, page.url);
  const all = [zones.title, ...zones.h1, ...zones.headings, zones.body, ...zones.alts].join('\n');
  const report = keywordFrequency(all, TOP_KEYWORDS);
  return {
    facts: extractFacts(page),
    text: {
      words: report.words,
      keywords: report.keywords.map(({ surface, stem, count, density }) => ({
        surface,
        stem,
        count,
        density: Math.round(density * 100) / 100,
      })),
      phrases: longTailPhrases(zones, { limit: TOP_PHRASES }).map(({ surface, count, score }) => ({
        surface,
        count,
        score,
      })),
      readability: readability(zones.body),
      ...(targetKeywords.length > 0 ? { coverage: coverageOf(targetKeywords, zones) } : {}),
    },
  };
}

function coverageOf(keywords: readonly string[], zones: ReturnType<typeof pageZones>): KeywordCoverage[] {
  const found: KeywordCoverage[] = [];
  for (const keyword of keywords) {
    const coverage = keywordCoverage(keyword, zones);
    if (coverage.ok) found.push(coverage.value);
  }
  return found;
}
