import { err, ok, problem, type Result } from '../result.ts';
import { parseDate } from './dates.ts';
import { type AttributeDefinition, charLength } from './fields.ts';
import { asciiDigits, matchKey } from './text.ts';

export const MAX_ATTRIBUTE_TEXT = 1000;

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'نعم', 'صح']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'لا', 'خطا']);

/**
 * A number from '1234.5', '1,234.5', '١٬٢٣٤٫٥' (Arabic-Indic digits with the
 * Arabic thousands ٬ and decimal ٫ separators). Plain decimals only: no
 * exponents, no currency.
 */
export function parseNumber(raw: string): number | undefined {
  let text = asciiDigits(raw.trim())
    .replace(/\u066b/g, '.')
    .replace(/\u066c/g, '')
    .replace(/\u2212/g, '-');
  if (/^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text)) text = text.replace(/,/g, '');
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** true/false from true/false, yes/no, 1/0, نعم/لا; undefined otherwise. */
export function parseBoolean(raw: string): boolean | undefined {
  const key = matchKey(raw);
  if (TRUE_WORDS.has(key)) return true;
  if (FALSE_WORDS.has(key)) return false;
  return undefined;
}

const EXPECTS: Record<AttributeDefinition['type'], string> = {
  text: 'text',
  number: 'a number',
  date: 'a date (YYYY-MM-DD or DD/MM/YYYY)',
  boolean: 'yes or no (true/false, 1/0, نعم/لا)',
  list: 'one of its options',
};

/**
 * The typed value of a custom attribute, checked against its definition.
 * Empty values ('' or null) clear the attribute (null). A date is kept as
 * YYYY-MM-DD text.
 */
export function parseAttributeValue(
  def: AttributeDefinition,
  raw: unknown,
): Result<string | number | boolean | null> {
  if (raw === null || raw === undefined) return ok(null);
  if (typeof raw === 'number') {
    if (def.type === 'number' && Number.isFinite(raw)) return ok(raw);
    if (def.type !== 'text' && def.type !== 'list') return refuse(def, raw);
  }
  if (typeof raw === 'boolean') return def.type === 'boolean' ? ok(raw) : refuse(def, raw);
  if (raw instanceof Date) {
    if (def.type !== 'date' || Number.isNaN(raw.getTime())) return refuse(def, raw);
    return ok(raw.toISOString().slice(0, 10));
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') return refuse(def, raw);
  const text = String(raw).trim();
  if (text === '') return ok(null);
  let value: string | number | boolean | undefined;
  switch (def.type) {
    case 'text':
      if (text.length > MAX_ATTRIBUTE_TEXT && charLength(text) > MAX_ATTRIBUTE_TEXT) {
        return refuse(def, raw, `text of at most ${MAX_ATTRIBUTE_TEXT} characters`);
      }
      value = text;
      break;
    case 'number':
      value = parseNumber(text);
      break;
    case 'boolean':
      value = parseBoolean(text);
      break;
    case 'date':
      value = parseDate(text);
      break;
    case 'list':
      value = optionsOf(def).get(text) ?? optionsOf(def).get(matchKey(text));
      if (value === undefined) {
        return refuse(def, raw, `one of ${(def.options ?? []).map((o) => JSON.stringify(o)).join(', ')}`);
      }
  }
  return value === undefined ? refuse(def, raw) : ok(value);
}

function refuse(def: AttributeDefinition, raw: unknown, expects = EXPECTS[def.type]) {
  return err(
    problem(
      'invalid',
      `attribute "${def.key}" expects ${expects}, got ${JSON.stringify(show(raw))}`,
      `attributes.${def.key}`,
    ),
  );
}

// A list's options by exact text and by match key, built once per definition.
const optionIndex = new WeakMap<AttributeDefinition, Map<string, string>>();
function optionsOf(def: AttributeDefinition): Map<string, string> {
  let index = optionIndex.get(def);
  if (index === undefined) {
    index = new Map();
    for (const option of def.options ?? []) {
      index.set(option, option);
      if (!index.has(matchKey(option))) index.set(matchKey(option), option);
    }
    optionIndex.set(def, index);
  }
  return index;
}

const show = (raw: unknown): string => {
  const text =
    typeof raw === 'string'
      ? raw
      : raw instanceof Date
        ? raw.toISOString()
        : (JSON.stringify(raw) ?? String(raw));
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};
