import type { ar } from './ar.ts';

type Source = typeof ar;

/** A segments catalogue with exactly the Arabic one's keys. */
export type SegmentsCatalogue<P> = { [K in keyof Source]: Source[K] extends string ? string : P };
export type SegmentsTextKey = { [K in keyof Source]: Source[K] extends string ? K : never }[keyof Source];
export type SegmentsPluralKey = Exclude<keyof Source, SegmentsTextKey>;
