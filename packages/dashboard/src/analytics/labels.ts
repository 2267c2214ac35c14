import type { Breakdown, Filter } from './api.ts';
import { countryName, languageName } from './format.ts';
import type { ReportI18n } from './i18n.ts';

const DEVICES = new Set(['desktop', 'mobile', 'tablet']);
/** Mediums as the ingest classifier names them (packages/ingest/src/traffic-medium.ts). */
const MEDIUMS = new Set([
  'direct',
  'search',
  'social',
  'paid',
  'email',
  'messaging',
  'push',
  'referral',
  'internal',
  'other',
] as const);
type Medium = typeof MEDIUMS extends Set<infer M> ? M : never;
const isMedium = (value: string): value is Medium => (MEDIUMS as Set<string>).has(value);

/** A dimension's value as a marketer reads it: country and language names, "Direct" for no referrer. */
export function valueLabel(i18n: ReportI18n, by: Breakdown, value: string): string {
  if (value === '')
    return by === 'source' || by === 'referrer' ? i18n.rt('value.direct') : i18n.rt('value.unknown');
  // The classifier's placeholders ('(direct)', '(internal)', '(not set)'), as Google Analytics names them.
  if (value === '(direct)') return i18n.rt('value.direct');
  if (value === '(internal)') return i18n.rt('value.internal');
  if (value === '(not set)') return i18n.rt('value.unknown');
  if (by === 'medium' && isMedium(value)) return i18n.rt(`medium.${value}`);
  if (by === 'country') return countryName(i18n.tag, value);
  if (by === 'language') return languageName(i18n.tag, value);
  if (by === 'device' && DEVICES.has(value))
    return i18n.rt(`device.${value as 'desktop' | 'mobile' | 'tablet'}`);
  return value;
}

/** Paths, hosts and codes read left to right inside Arabic text. */
export const isCode = (by: Breakdown) =>
  by === 'page' ||
  by === 'entry_page' ||
  by === 'exit_page' ||
  by === 'first_visit_page' ||
  by === 'referrer' ||
  by === 'event';

export const dimensionLabel = (i18n: ReportI18n, by: Breakdown) => i18n.rt(`dim.${by}`);

export const filterLabel = (i18n: ReportI18n, f: Filter) =>
  i18n.rt(`filter.${f.op}`, {
    dimension: dimensionLabel(i18n, f.dimension),
    value: valueLabel(i18n, f.dimension, f.value),
  });
