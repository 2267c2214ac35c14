import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useLayoutEffect,
  useMemo,
  useState,
} from 'react';
import type { PluralKey, TextKey } from './catalogue.ts';
import { type DateStyle, formatDate, formatNumber } from './format.ts';
import { applyToDocument, initialLocale, rememberLocale } from './initialLocale.ts';
import { type Direction, direction, type Locale } from './locales.ts';
import { type Params, translate, translatePlural } from './translate.ts';

export interface I18n {
  locale: Locale;
  dir: Direction;
  setLocale: (locale: Locale) => void;
  t: (key: TextKey, params?: Params) => string;
  tp: (key: PluralKey, count: number, params?: Params) => string;
  number: (value: number) => string;
  date: (iso: string, style?: DateStyle, timeZone?: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  useLayoutEffect(() => applyToDocument(locale), [locale]);

  const setLocale = useCallback((next: Locale) => {
    rememberLocale(next);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18n>(
    () => ({
      locale,
      dir: direction(locale),
      setLocale,
      t: (key, params) => translate(locale, key, params),
      tp: (key, count, params) => translatePlural(locale, key, count, params),
      number: (n) => formatNumber(locale, n),
      date: (iso, style, timeZone) => formatDate(locale, iso, style, timeZone),
    }),
    [locale, setLocale],
  );

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n must be used inside <I18nProvider>');
  return i18n;
}
