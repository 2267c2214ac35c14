/**
 * Recognises opt-out and opt-back-in replies to SMS (STOP, إلغاء, START,
 * اشتراك, …). The whole reply must be the keyword: case, Arabic spelling
 * variants (alef forms, tatweel, diacritics) and surrounding whitespace or
 * punctuation are ignored; a sentence that merely contains "stop" is not one.
 */

export type OptOutIntent = 'stop' | 'start';

const STOP_WORDS = ['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'الغاء', 'ايقاف', 'توقف'];
const START_WORDS = ['start', 'unstop', 'اشتراك'];

const KEYWORDS: ReadonlyMap<string, OptOutIntent> = new Map([
  ...STOP_WORDS.map((word) => [word, 'stop'] as const),
  ...START_WORDS.map((word) => [word, 'start'] as const),
]);

/** Arabic harakat, Quranic marks, superscript alef and tatweel; format characters (RLM, ZWJ, BOM…). */
const IGNORED = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\p{Cf}]/gu;
/** Whitespace, punctuation and symbols around the keyword ("STOP!", «إلغاء»، "stop."). */
const EDGES = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;

/** The reply reduced to the form the keywords are written in. */
export function normaliseReply(text: string): string {
  return text
    .normalize('NFC')
    .replace(IGNORED, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ی/g, 'ي')
    .replace(EDGES, '')
    .toLowerCase();
}

/** 'stop' for an opt-out reply, 'start' for an opt-back-in, undefined for anything else. */
export function optOutIntent(text: string): OptOutIntent | undefined {
  return KEYWORDS.get(normaliseReply(text));
}
