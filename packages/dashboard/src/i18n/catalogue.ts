import type { ar } from './ar.ts';

type Source = typeof ar;

/**
 * A catalogue with exactly the Arabic catalogue's keys. Plain messages stay strings, plural
 * messages take the language's own forms `P`. A key missing from `en` fails to compile, and
 * so does a key only `en` has (an excess property of the object literal).
 */
export type Catalogue<P> = { [K in keyof Source]: Source[K] extends string ? string : P };

export type MessageKey = keyof Source;
export type TextKey = { [K in MessageKey]: Source[K] extends string ? K : never }[MessageKey];
export type PluralKey = Exclude<MessageKey, TextKey>;
