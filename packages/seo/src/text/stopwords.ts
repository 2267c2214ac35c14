import { normalise } from './normalise.ts';
import { ARABIC_STOP_WORDS } from './stopwords-ar.ts';
import { ENGLISH_STOP_WORDS } from './stopwords-en.ts';

const load = (list: string) => new Set(list.split(/\s+/).filter(Boolean).map(normalise));

const STOP_WORDS = new Set([...load(ARABIC_STOP_WORDS), ...load(ENGLISH_STOP_WORDS)]);

/** True when the normalised token is an Arabic or English stop word (lists are normalised too, so إلى and الى both match). */
export const isStopWord = (norm: string): boolean => STOP_WORDS.has(norm);
