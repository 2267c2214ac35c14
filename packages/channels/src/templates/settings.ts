/**
 * The settings a template is saved with (language, digits, time zone,
 * direction), checked before anything is compiled.
 */
import { err, ok, type Result } from '@wasl/core';
import { DIGITS, type Digits, type LocaleSettings } from './filters.ts';
import type { TemplateProblem } from './problems.ts';

export interface TemplateSettings {
  /** BCP 47 language tag, e.g. 'ar-SA', 'ar', 'en'. Numbers, dates and plurals follow it. */
  lang: string;
  /** Force Arabic-Indic ('arab') or Latin ('latn') digits in numbers and dates; the language's default otherwise. */
  digits?: Digits;
  /** IANA time zone for dates; 'UTC' when absent. */
  timeZone?: string;
}

const invalid = (message: string, field: string): TemplateProblem => ({ code: 'invalid', message, field });

export const checkSettings = (
  settings: TemplateSettings & { dir?: unknown },
  needsDir: boolean,
): Result<LocaleSettings, TemplateProblem> => {
  if (needsDir && settings.dir !== 'rtl' && settings.dir !== 'ltr') {
    return err(invalid(`dir must be "rtl" or "ltr", not "${String(settings.dir)}"`, 'dir'));
  }
  let locale: string;
  try {
    const [canonical] = Intl.getCanonicalLocales(settings.lang);
    if (canonical === undefined) return err(invalid('lang is empty', 'lang'));
    locale = canonical;
  } catch {
    return err(invalid(`lang "${settings.lang}" is not a BCP 47 language tag`, 'lang'));
  }
  if (settings.digits !== undefined && !DIGITS.includes(settings.digits)) {
    return err(invalid(`digits must be "arab" or "latn", not "${String(settings.digits)}"`, 'digits'));
  }
  const timeZone = settings.timeZone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    return err(invalid(`timeZone "${timeZone}" is not an IANA time zone`, 'timeZone'));
  }
  return ok(
    settings.digits === undefined ? { locale, timeZone } : { locale, timeZone, digits: settings.digits },
  );
};
