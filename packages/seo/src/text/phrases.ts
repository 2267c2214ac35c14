import { mostFrequent, type Term, terms } from './terms.ts';
import { type PageZones, ZONE_WEIGHTS, type Zone, zoneTexts } from './zones.ts';

export interface Phrase {
  /** Stems of the words (normalised form for stop words), space-separated: the phrase's identity. */
  key: string;
  /** The most frequent spelling on the page, words joined by one space. */
  surface: string;
  words: number;
  count: number;
  /** Sum over occurrences of the zone's weight (ZONE_WEIGHTS). */
  score: number;
  /** Zones it appears in, heaviest first. */
  zones: Zone[];
}

export interface PhraseOptions {
  minWords?: number;
  maxWords?: number;
  /** Phrases scoring less are dropped: the default 2 keeps any phrase seen twice or once outside body and alts. */
  minScore?: number;
  limit?: number;
}

/**
 * Long-tail phrases: n-grams of 3..5 words that neither start nor end with a
 * stop word and do not cross punctuation. Ranked by score (frequency and
 * placement in one number: each occurrence adds its zone's weight), then
 * count, then length (the longer, the more specific), then first appearance.
 * The URL is not a zone here: keywordCoverage checks the slug.
 */
export function longTailPhrases(zones: PageZones, options: PhraseOptions = {}): Phrase[] {
  const { minWords = 3, maxWords = 5, minScore = 2, limit = 50 } = options;
  const found = new Map<
    string,
    { words: number; count: number; score: number; zones: Set<Zone>; surfaces: Map<string, number> }
  >();

  const collect = (zone: Zone, list: Term[]) => {
    for (let i = 0; i < list.length; i++) {
      if (list[i]!.stop) continue;
      for (let n = 1; n <= maxWords && i + n <= list.length; n++) {
        const last = list[i + n - 1]!;
        if (n > 1 && last.breakBefore) break;
        if (n < minWords || last.stop) continue;
        const window = list.slice(i, i + n);
        const key = window.map((t) => t.stem).join(' ');
        const surface = window.map((t) => t.surface).join(' ');
        let entry = found.get(key);
        if (entry === undefined) {
          entry = { words: n, count: 0, score: 0, zones: new Set(), surfaces: new Map() };
          found.set(key, entry);
        }
        entry.count++;
        entry.score += ZONE_WEIGHTS[zone];
        entry.zones.add(zone);
        entry.surfaces.set(surface, (entry.surfaces.get(surface) ?? 0) + 1);
      }
    }
  };

  for (const [zone, texts] of zoneTexts(zones)) for (const text of texts) collect(zone, terms(text));

  return [...found]
    .filter(([, e]) => e.score >= minScore)
    .map(([key, e]) => ({
      key,
      surface: mostFrequent(e.surfaces),
      words: e.words,
      count: e.count,
      score: e.score,
      zones: [...e.zones],
    }))
    .sort((a, b) => b.score - a.score || b.count - a.count || b.words - a.words)
    .slice(0, limit);
}
