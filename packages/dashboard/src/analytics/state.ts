import { DIMENSIONS, type Dimension, type Filter, type FilterOp, type Interval } from './api.ts';

/*
 * What a report page shows lives in its URL (`?site=…&period=7d&filter=country:is:SA`), so a view
 * can be bookmarked, shared with a colleague and restored by the back button.
 */

export const PRESETS = ['today', 'yesterday', '7d', '30d', 'month', 'last-month', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];
const OPS: readonly FilterOp[] = ['is', 'is_not', 'contains', 'not_contains'];
const INTERVALS: readonly Interval[] = ['hour', 'day', 'week', 'month'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ReportState {
  site: string | null;
  preset: Preset;
  /** Only for `custom`: both days included. */
  from: string;
  to: string;
  compare: boolean;
  interval: Interval | null;
  filters: Filter[];
}

/** `dimension:op:value`, split at the first two colons (values may hold colons); null when malformed. */
export function parseFilter(text: string): Filter | null {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (second < 0) return null;
  const dimension = text.slice(0, first) as Dimension;
  const op = text.slice(first + 1, second) as FilterOp;
  if (!DIMENSIONS.includes(dimension) || !OPS.includes(op)) return null;
  return { dimension, op, value: text.slice(second + 1) };
}

export const filterText = (f: Filter) => `${f.dimension}:${f.op}:${f.value}`;

export function readState(search: URLSearchParams): ReportState {
  const preset = search.get('period') as Preset | null;
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  const custom = preset === 'custom' && DATE.test(from) && DATE.test(to) && from <= to;
  const interval = search.get('interval') as Interval | null;
  return {
    site: search.get('site'),
    preset: custom ? 'custom' : preset && PRESETS.includes(preset) && preset !== 'custom' ? preset : '30d',
    from: custom ? from : '',
    to: custom ? to : '',
    compare: search.get('compare') !== '0',
    interval: interval && INTERVALS.includes(interval) ? interval : null,
    filters: search
      .getAll('filter')
      .map(parseFilter)
      .filter((f): f is Filter => f !== null),
  };
}

/** The query string for a state, leaving out defaults so addresses stay short. */
export function writeState(state: ReportState): string {
  const search = new URLSearchParams();
  if (state.site) search.set('site', state.site);
  if (state.preset !== '30d') search.set('period', state.preset);
  if (state.preset === 'custom') {
    search.set('from', state.from);
    search.set('to', state.to);
  }
  if (!state.compare) search.set('compare', '0');
  if (state.interval) search.set('interval', state.interval);
  for (const f of state.filters) search.append('filter', filterText(f));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Adds a filter, replacing one on the same dimension and operator (a click narrows, it does not pile up). */
export function withFilter(filters: readonly Filter[], next: Filter): Filter[] {
  return [...filters.filter((f) => !(f.dimension === next.dimension && f.op === next.op)), next];
}

const DAY_MS = 86_400_000;
const dayMs = (date: string) =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
export const addDays = (date: string, days: number) =>
  new Date(dayMs(date) + days * DAY_MS).toISOString().slice(0, 10);
export const daysBetween = (from: string, to: string) => Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1;

/** Today's date in a time zone, 'YYYY-MM-DD'. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** The days a preset covers, counted back from `today` (the site's). */
export function presetPeriod(
  state: Pick<ReportState, 'preset' | 'from' | 'to'>,
  today: string,
): { from: string; to: string } {
  switch (state.preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const day = addDays(today, -1);
      return { from: day, to: day };
    }
    case '7d':
      return { from: addDays(today, -6), to: today };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today };
    case 'last-month': {
      const end = addDays(`${today.slice(0, 8)}01`, -1);
      return { from: `${end.slice(0, 8)}01`, to: end };
    }
    case 'custom':
      return { from: state.from, to: state.to };
    default:
      return { from: addDays(today, -29), to: today };
  }
}
