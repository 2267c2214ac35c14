import type { ar } from './ar.ts';

type Source = typeof ar;

/** An audience catalogue with exactly the Arabic one's keys (see src/i18n/catalogue.ts for the app's). */
export type AudienceCatalogue<P> = { [K in keyof Source]: Source[K] extends string ? string : P };
export type AudienceTextKey = { [K in keyof Source]: Source[K] extends string ? K : never }[keyof Source];
export type AudiencePluralKey = Exclude<keyof Source, AudienceTextKey>;
