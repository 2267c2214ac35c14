import type { ar } from './ar.ts';

type Source = typeof ar;

/** A messaging catalogue with exactly the Arabic one's keys (see src/i18n/catalogue.ts for the app's). */
export type MessagingCatalogue<P> = { [K in keyof Source]: Source[K] extends string ? string : P };
export type MessagingTextKey = { [K in keyof Source]: Source[K] extends string ? K : never }[keyof Source];
export type MessagingPluralKey = Exclude<keyof Source, MessagingTextKey>;
