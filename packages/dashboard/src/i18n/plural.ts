import { INTL_TAG, type Locale } from './locales.ts';

/** Arabic needs all six CLDR categories; English needs two. `zero` may override exactly 0 in English. */
export type ArabicPlural = Record<'zero' | 'one' | 'two' | 'few' | 'many' | 'other', string>;
export type EnglishPlural = { one: string; other: string; zero?: string };
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<Locale, Intl.PluralRules>();

export function pluralCategory(locale: Locale, count: number): Intl.LDMLPluralRule {
  let rule = rules.get(locale);
  if (!rule) {
    rule = new Intl.PluralRules(INTL_TAG[locale]);
    rules.set(locale, rule);
  }
  return rule.select(count);
}

/** The form for `count`: CLDR's category, an explicit `zero` for 0 when given, else `other`. */
export function selectPlural(locale: Locale, forms: PluralForms, count: number): string {
  if (count === 0 && forms.zero !== undefined) return forms.zero;
  return forms[pluralCategory(locale, count)] ?? forms.other;
}
