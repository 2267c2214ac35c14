import { readStored, writeStored } from '../lib/storage.ts';
import { direction, isLocale, type Locale, pickLocale } from './locales.ts';

const STORAGE_KEY = 'wasl.locale';

/** Before login: the remembered choice, else the browser's languages, else Arabic. */
export function initialLocale(): Locale {
  const stored = readStored(STORAGE_KEY);
  if (isLocale(stored)) return stored;
  return pickLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function rememberLocale(locale: Locale): void {
  writeStored(STORAGE_KEY, locale);
}

export function applyToDocument(locale: Locale): void {
  document.documentElement.lang = locale;
  document.documentElement.dir = direction(locale);
}
