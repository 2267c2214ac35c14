import { createHash } from 'node:crypto';
import { type AttributeDefinition, matchKey, STANDARD_FIELD_NAMES } from '@wasl/core';

/** CSV header → 'email' | 'first_name' | … | 'attributes.<key>' | 'ignore'. */
export interface ColumnMapping {
  [csvHeader: string]: string;
}

// What people call the standard fields in Arabic and English spreadsheets.
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  email: [
    'e-mail',
    'e mail',
    'email address',
    'e-mail address',
    'mail',
    'البريد الإلكتروني',
    'البريد',
    'بريد إلكتروني',
    'الإيميل',
    'إيميل',
    'ايميل',
  ],
  phone: [
    'phone number',
    'mobile',
    'mobile number',
    'mobile phone',
    'cell',
    'cell phone',
    'telephone',
    'tel',
    'whatsapp',
    'whatsapp number',
    'جوال',
    'الجوال',
    'رقم الجوال',
    'هاتف',
    'الهاتف',
    'رقم الهاتف',
    'موبايل',
    'رقم الموبايل',
    'محمول',
    'رقم المحمول',
    'تلفون',
    'رقم التلفون',
    'واتساب',
    'رقم الواتساب',
  ],
  first_name: [
    'first name',
    'firstname',
    'given name',
    'fname',
    'name',
    'full name',
    'الاسم الأول',
    'الاسم',
    'اسم',
    'الاسم الكامل',
  ],
  last_name: [
    'last name',
    'lastname',
    'surname',
    'family name',
    'lname',
    'الاسم الأخير',
    'اسم العائلة',
    'العائلة',
    'اللقب',
  ],
  locale: ['language', 'lang', 'preferred language', 'اللغة', 'لغة'],
  timezone: ['time zone', 'tz', 'المنطقة الزمنية'],
  country: ['country code', 'nation', 'الدولة', 'دولة', 'البلد', 'بلد'],
  city: ['town', 'المدينة', 'مدينة'],
  birth_date: ['birth date', 'birthdate', 'date of birth', 'dob', 'birthday', 'تاريخ الميلاد', 'الميلاد'],
  gender: ['sex', 'الجنس', 'الجنس (ذكر/أنثى)', 'النوع'],
  income_band: ['income', 'income band', 'income level', 'الدخل', 'فئة الدخل', 'مستوى الدخل'],
  interests: ['tags', 'interest', 'الاهتمامات', 'اهتمامات', 'الوسوم'],
  source: ['lead source', 'acquisition source', 'المصدر', 'مصدر'],
  lifecycle_stage: ['lifecycle', 'lifecycle stage', 'stage', 'المرحلة', 'مرحلة دورة الحياة'],
};

const headerKey = (header: string) => matchKey(header.replace(/[*:()[\]#]/g, ' '));

const FIELD_BY_WORD = new Map<string, string>();
for (const [field, words] of Object.entries(SYNONYMS)) {
  for (const word of [field, ...words]) FIELD_BY_WORD.set(headerKey(word), field);
}

/**
 * A first guess at what each column holds, from Arabic and English header
 * names, then custom attribute keys and labels; 'ignore' otherwise. A field
 * goes to the first column that names it.
 */
export function suggestMapping(headers: string[], defs: readonly AttributeDefinition[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const taken = new Set<string>();
  for (const header of headers) {
    const key = headerKey(header);
    const def = defs.find((d) => headerKey(d.key) === key || headerKey(d.label) === key);
    const target = FIELD_BY_WORD.get(key) ?? (def === undefined ? undefined : `attributes.${def.key}`);
    if (target === undefined || taken.has(target)) mapping[header] = 'ignore';
    else {
      mapping[header] = target;
      taken.add(target);
    }
  }
  return mapping;
}

/** A stable id of a set of headers (order and case do not matter), to remember a workspace's mapping. */
export function mappingSignature(headers: string[]): string {
  const names = headers.map((h) => h.trim().toLowerCase()).sort();
  return createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 32);
}

/** Whether `target` is something a column can map to. */
export function isMappingTarget(target: string, defs: readonly AttributeDefinition[]): boolean {
  if (target === 'ignore' || target in STANDARD_FIELD_NAMES) return true;
  return target.startsWith('attributes.') && defs.some((d) => `attributes.${d.key}` === target);
}
