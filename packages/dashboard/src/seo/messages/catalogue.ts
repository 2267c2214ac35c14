import type { ar } from './ar.ts';

type Source = typeof ar;

/** An SEO catalogue with exactly the Arabic one's keys (see src/i18n/catalogue.ts for the app's). */
export type SeoCatalogue<P> = { [K in keyof Source]: Source[K] extends string ? string : P };
export type SeoTextKey = { [K in keyof Source]: Source[K] extends string ? K : never }[keyof Source];
export type SeoPluralKey = Exclude<keyof Source, SeoTextKey>;
