import type { Gender, LifecycleStage } from './fields.ts';
import { matchKey } from './text.ts';

const keyed = <T extends string>(table: Record<T, string[]>): Map<string, T> => {
  const map = new Map<string, T>();
  for (const [value, words] of Object.entries(table) as [T, string[]][]) {
    for (const word of [value, ...words]) map.set(matchKey(word), value);
  }
  return map;
};

const GENDER_WORDS = keyed<Gender>({
  female: ['f', 'woman', 'girl', 'أنثى', 'انثى', 'أنثي', 'امرأة', 'مرأة', 'سيدة', 'بنت'],
  male: ['m', 'man', 'boy', 'ذكر', 'رجل', 'ولد'],
  other: ['o', 'non-binary', 'nonbinary', 'آخر', 'اخر', 'أخرى', 'اخرى', 'غير ذلك'],
  unknown: ['u', 'n/a', 'na', 'prefer not to say', 'not specified', 'غير معروف', 'غير محدد'],
});

const STAGE_WORDS = keyed<LifecycleStage>({
  subscriber: ['subscribed', 'مشترك', 'مشتركة', 'مشترك في النشرة'],
  lead: ['prospect', 'عميل محتمل', 'عميلة محتملة', 'محتمل'],
  mql: [
    'marketing qualified lead',
    'marketing-qualified lead',
    'marketing qualified',
    'عميل محتمل مؤهل تسويقيا',
    'عميل مؤهل تسويقيا',
    'مؤهل تسويقيا',
  ],
  sql: [
    'sales qualified lead',
    'sales-qualified lead',
    'sales qualified',
    'عميل محتمل مؤهل للمبيعات',
    'عميل مؤهل للمبيعات',
    'مؤهل للمبيعات',
  ],
  customer: ['client', 'buyer', 'عميل', 'عميلة', 'زبون', 'زبونة'],
  evangelist: ['advocate', 'promoter', 'ambassador', 'سفير', 'سفيرة', 'مروج', 'مروجة', 'مؤيد'],
});

/** 'female' from 'F', 'Woman', 'أنثى'…; undefined when not recognised. */
export function parseGender(raw: string): Gender | undefined {
  return GENDER_WORDS.get(matchKey(raw));
}

/** 'mql' from 'MQL', 'Marketing Qualified Lead', 'عميل مؤهل تسويقياً'…; undefined when not recognised. */
export function parseLifecycleStage(raw: string): LifecycleStage | undefined {
  return STAGE_WORDS.get(matchKey(raw));
}

const LANGUAGE_WORDS = new Map(
  Object.entries({
    arabic: 'ar',
    عربي: 'ar',
    عربيه: 'ar',
    العربيه: 'ar',
    english: 'en',
    انجليزي: 'en',
    انجليزيه: 'en',
    الانجليزيه: 'en',
    الانكليزيه: 'en',
    french: 'fr',
    فرنسي: 'fr',
    الفرنسيه: 'fr',
  }),
);

/** A canonical BCP 47 tag ('ar-SA' from 'ar_sa'), or undefined. */
export function parseLocale(raw: string): string | undefined {
  const text = raw.trim();
  const word = LANGUAGE_WORDS.get(matchKey(text));
  if (word !== undefined) return word;
  if (!/^[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*$/i.test(text)) return undefined;
  try {
    return Intl.getCanonicalLocales(text.replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
}

// Building a DateTimeFormat is slow; an import repeats the same few zones.
const zoneCache = new Map<string, string | null>();

/** The canonical IANA name of a time zone ('Asia/Riyadh'), validated by Intl; undefined if unknown. */
export function parseTimeZone(raw: string): string | undefined {
  const text = raw.trim();
  let zone = zoneCache.get(text);
  if (zone === undefined) {
    zone = null;
    // Offsets ('+03:00') are not zones: they ignore daylight saving.
    if (/^[a-z]/i.test(text)) {
      try {
        zone = new Intl.DateTimeFormat('en', { timeZone: text }).resolvedOptions().timeZone;
      } catch {}
    }
    if (zoneCache.size < 1000) zoneCache.set(text, zone);
  }
  return zone ?? undefined;
}
