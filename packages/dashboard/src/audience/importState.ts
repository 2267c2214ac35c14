import type { AttributeDefinition, ContactImport, ImportStatus } from './api.ts';

/*
 * The import screens' logic: mapping targets as the server names them (ColumnMapping in
 * @wasl/audience: snake_case standard fields, `attributes.<key>`, 'ignore'), progress, sizes.
 */

export const IGNORE = 'ignore';

/** The standard fields a column can fill, snake_case, with the camelCase key of the imported contact. */
export const STANDARD_TARGETS = {
  email: 'email',
  phone: 'phone',
  first_name: 'firstName',
  last_name: 'lastName',
  country: 'country',
  city: 'city',
  birth_date: 'birthDate',
  gender: 'gender',
  lifecycle_stage: 'lifecycleStage',
  source: 'source',
  interests: 'interests',
  locale: 'locale',
  timezone: 'timezone',
  income_band: 'incomeBand',
} as const;
export type StandardTarget = keyof typeof STANDARD_TARGETS;

export const customTarget = (key: string) => `attributes.${key}`;

export type Mapping = Record<string, string>;

/** A target is known when it is a standard field, one of the workspace's attributes, or 'ignore'. */
export function isKnownTarget(target: string, defs: readonly AttributeDefinition[]): boolean {
  return target === IGNORE || target in STANDARD_TARGETS || defs.some((d) => customTarget(d.key) === target);
}

/**
 * Maps `header` to `target`. A field fills from one column only, so a column that had the same
 * target goes back to 'ignore' (as the server would refuse two columns on one field).
 */
export function withTarget(mapping: Mapping, header: string, target: string): Mapping {
  const next: Mapping = {};
  for (const [h, t] of Object.entries(mapping)) {
    next[h] = h === header ? target : target !== IGNORE && t === target ? IGNORE : t;
  }
  if (!(header in next)) next[header] = target;
  return next;
}

/** Every header of the file with a target: the suggested one if known, else 'ignore'. */
export function completeMapping(
  headers: readonly string[],
  suggested: Mapping,
  defs: readonly AttributeDefinition[],
) {
  const mapping: Mapping = {};
  for (const header of headers) {
    const target = suggested[header];
    mapping[header] = target !== undefined && isKnownTarget(target, defs) ? target : IGNORE;
  }
  return mapping;
}

/** Every contact needs an email or a phone, so one column must map to either. */
export const mapsEmailOrPhone = (mapping: Mapping) =>
  Object.values(mapping).some((t) => t === 'email' || t === 'phone');

/** A sample contact's value for a target, as text: what the row will import as. */
export function sampleValue(contact: Record<string, unknown>, target: string): string {
  let value: unknown;
  if (target.startsWith('attributes.')) {
    const attributes = contact.attributes as Record<string, unknown> | undefined;
    value = attributes?.[target.slice('attributes.'.length)];
  } else if (target in STANDARD_TARGETS) {
    value = contact[STANDARD_TARGETS[target as StandardTarget]];
  }
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

export const isFinished = (status: ImportStatus) => status !== 'running';

/**
 * How far the import is, in [0, 1] by bytes read; 1 once done; null while the size is unknown
 * (the bar is then indeterminate).
 */
export function progressOf(imp: Pick<ContactImport, 'status' | 'bytesRead' | 'bytesTotal'>): number | null {
  if (imp.status === 'done') return 1;
  if (!imp.bytesTotal) return null;
  return Math.min(1, Math.max(0, imp.bytesRead / imp.bytesTotal));
}

/** The delimiter's name key, or null for an unusual one (shown as is). */
export function delimiterName(delimiter: string): 'comma' | 'semicolon' | 'tab' | 'pipe' | null {
  const names = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' } as const;
  return delimiter in names ? names[delimiter as keyof typeof names] : null;
}

/** A file size in the locale's digits and units: 900 B, 12 kB, 3.4 MB (٣٫٤ ميغابايت). */
export function formatBytes(tag: string, bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return new Intl.NumberFormat(tag, {
    style: 'unit',
    unit: units[i],
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 && i > 0 ? 1 : 0,
  }).format(value);
}
