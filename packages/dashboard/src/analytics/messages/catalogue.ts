import type { ar } from './ar.ts';

type Source = typeof ar;

/** A reports catalogue with exactly the Arabic one's keys (see src/i18n/catalogue.ts for the app's). */
export type ReportCatalogue<P> = { [K in keyof Source]: Source[K] extends string ? string : P };
export type ReportTextKey = { [K in keyof Source]: Source[K] extends string ? K : never }[keyof Source];
export type ReportPluralKey = Exclude<keyof Source, ReportTextKey>;
