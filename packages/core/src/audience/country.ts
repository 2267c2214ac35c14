import { matchKey } from './text.ts';

// Names people write that the CLDR names (from Intl) do not cover.
const ALIASES: Readonly<Record<string, string>> = {
  ksa: 'SA',
  saudi: 'SA',
  'saudi arabia': 'SA',
  'kingdom of saudi arabia': 'SA',
  السعوديه: 'SA',
  'المملكه العربيه السعوديه': 'SA',
  المملكه: 'SA',
  uae: 'AE',
  emirates: 'AE',
  'the emirates': 'AE',
  امارات: 'AE',
  الامارات: 'AE',
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  بريطانيا: 'GB',
  usa: 'US',
  'u s a': 'US',
  'u s': 'US',
  america: 'US',
  'united states of america': 'US',
  امريكا: 'US',
  'الولايات المتحده': 'US',
  'الولايات المتحده الامريكيه': 'US',
  egypt: 'EG',
  جزائر: 'DZ',
  palestine: 'PS',
  فلسطين: 'PS',
  syria: 'SY',
  سوريه: 'SY',
  'sultanate of oman': 'OM',
  'سلطنه عمان': 'OM',
};

// ISO 3166-1 alpha-3 codes of the region and of frequent partners.
const ALPHA3: Readonly<Record<string, string>> = {
  SAU: 'SA',
  ARE: 'AE',
  EGY: 'EG',
  JOR: 'JO',
  MAR: 'MA',
  KWT: 'KW',
  QAT: 'QA',
  BHR: 'BH',
  OMN: 'OM',
  LBN: 'LB',
  IRQ: 'IQ',
  DZA: 'DZ',
  TUN: 'TN',
  LBY: 'LY',
  SDN: 'SD',
  YEM: 'YE',
  SYR: 'SY',
  PSE: 'PS',
  MRT: 'MR',
  SOM: 'SO',
  DJI: 'DJ',
  COM: 'KM',
  TUR: 'TR',
  IRN: 'IR',
  PAK: 'PK',
  IND: 'IN',
  GBR: 'GB',
  USA: 'US',
  FRA: 'FR',
  DEU: 'DE',
  CAN: 'CA',
};

// Region codes CLDR names that are not ISO 3166-1 countries.
const NOT_COUNTRIES = new Set(['AC', 'CP', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ']);

let byName: Map<string, string> | undefined;
let known: Set<string> | undefined;

function tables(): { byName: Map<string, string>; known: Set<string> } {
  if (byName !== undefined && known !== undefined) return { byName, known };
  byName = new Map();
  known = new Set();
  const en = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  const ar = new Intl.DisplayNames(['ar'], { type: 'region', fallback: 'code' });
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = en.of(code);
      if (name === undefined || name === code || NOT_COUNTRIES.has(code)) continue;
      // Withdrawn codes (YD, UK, SU…) canonicalise to the current one.
      if (Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`) continue;
      known.add(code);
      for (const n of [name, ar.of(code) ?? '']) addName(byName, n, code);
    }
  }
  for (const [name, code] of Object.entries(ALIASES)) addName(byName, name, code);
  return { byName, known };
}

function addName(map: Map<string, string>, name: string, code: string): void {
  const key = matchKey(name.replace(/[()&,'’]/g, ' '));
  if (key === '' || map.has(key)) return;
  map.set(key, code);
  // Arabic names are written with and without the article.
  if (key.startsWith('ال') && !map.has(key.slice(2))) map.set(key.slice(2), code);
}

/**
 * The ISO 3166-1 alpha-2 code of a country given as a code (sa, SAU), or by
 * its English or Arabic name ('Saudi Arabia', 'السعودية', 'KSA', 'مصر').
 */
export function countryCode(raw: string): string | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  const { byName, known } = tables();
  if (/^[a-z]{2}$/i.test(text)) {
    const code = text.toUpperCase();
    if (known.has(code)) return code;
  }
  if (/^[a-z]{3}$/i.test(text)) {
    const code = ALPHA3[text.toUpperCase()];
    if (code !== undefined) return code;
  }
  const key = matchKey(text.replace(/[()&,'’]/g, ' '));
  return byName.get(key) ?? (key.startsWith('ال') ? byName.get(key.slice(2)) : undefined);
}
