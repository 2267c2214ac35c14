import { describe, expect, it } from 'vitest';
import { labelledIndexes, niceScale, slotAt, xAt } from '../src/analytics/charts/geometry.ts';
import { parseProperty, parseSteps } from '../src/analytics/definitions.ts';
import {
  changeOf,
  countryName,
  formatBucket,
  formatDuration,
  formatInteger,
  formatPercent,
} from '../src/analytics/format.ts';
import type { ReportI18n } from '../src/analytics/i18n.ts';
import { valueLabel } from '../src/analytics/labels.ts';
import { ar } from '../src/analytics/messages/ar.ts';
import { en } from '../src/analytics/messages/en.ts';
import { reportPlural, reportText } from '../src/analytics/messages/index.ts';
import {
  parseFilter,
  presetPeriod,
  type ReportState,
  readState,
  todayIn,
  withFilter,
  writeState,
} from '../src/analytics/state.ts';
import { INTL_TAG } from '../src/i18n/locales.ts';

const AR = INTL_TAG.ar;
const EN = INTL_TAG.en;

describe('reports catalogue', () => {
  it('has the same keys in both languages, the same plurals, and Arabic plurals with all six forms', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ar).sort());
    for (const key of Object.keys(ar) as (keyof typeof ar)[]) {
      const arabic = ar[key];
      expect(typeof en[key], key).toBe(typeof arabic);
      if (typeof arabic === 'object') {
        expect(Object.keys(arabic).sort(), key).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
      }
    }
  });

  it('uses no placeholder in English that Arabic lacks, and has no empty message', () => {
    const placeholders = (value: unknown) => new Set(JSON.stringify(value).match(/\{\w+\}/g) ?? []);
    for (const key of Object.keys(ar) as (keyof typeof ar)[]) {
      const arabic = placeholders(ar[key]);
      expect(
        [...placeholders(en[key])].filter((p) => !arabic.has(p)),
        key,
      ).toEqual([]);
      for (const text of [ar[key], en[key]].flatMap((v) =>
        typeof v === 'string' ? [v] : Object.values(v),
      )) {
        expect(text.trim(), key).not.toBe('');
      }
    }
  });

  it('says how many visitors are on the site in each Arabic plural form, with Arabic-Indic digits', () => {
    expect([0, 1, 2, 3, 11, 100, 103].map((n) => reportPlural('ar', 'realtime.now', n))).toEqual([
      'لا أحد على الموقع الآن',
      'زائر واحد الآن',
      'زائران الآن',
      '٣ زوار الآن',
      '١١ زائرًا الآن',
      '١٠٠ زائر الآن',
      '١٠٣ زوار الآن',
    ]);
    expect([0, 1, 1200].map((n) => reportPlural('en', 'realtime.now', n))).toEqual([
      'Nobody on the site now',
      '1 visitor now',
      '1,200 visitors now',
    ]);
    expect(reportText('ar', 'funnels.step', { n: 2 })).toBe('الخطوة ٢');
  });
});

describe('report address', () => {
  const state = (search: string) => readState(new URLSearchParams(search));

  it('reads filters split at the first two colons, keeping colons and Arabic in values', () => {
    expect(parseFilter('page:is:/ar/عروض:رمضان')).toEqual({
      dimension: 'page',
      op: 'is',
      value: '/ar/عروض:رمضان',
    });
    expect(parseFilter('referrer:is:')).toEqual({ dimension: 'referrer', op: 'is', value: '' });
    expect(parseFilter('country')).toBeNull();
    expect(parseFilter('colour:is:red')).toBeNull();
    expect(parseFilter('country:like:SA')).toBeNull();
  });

  it('round-trips a view through the query string, leaving defaults out', () => {
    const view: ReportState = {
      site: 's1',
      preset: 'custom',
      from: '2026-01-01',
      to: '2026-01-31',
      compare: false,
      interval: 'week',
      filters: [
        { dimension: 'country', op: 'is', value: 'SA' },
        { dimension: 'utm_campaign', op: 'contains', value: 'رمضان, ٢٠٢٦' },
      ],
    };
    const search = writeState(view);
    expect(readState(new URLSearchParams(search))).toEqual(view);
    expect(
      writeState({ ...view, preset: '30d', from: '', to: '', compare: true, interval: null, filters: [] }),
    ).toBe('?site=s1');
  });

  it('falls back to the last 30 days, with comparison, for anything it cannot read', () => {
    expect(state('period=fortnight&filter=nonsense&interval=minute')).toEqual({
      site: null,
      preset: '30d',
      from: '',
      to: '',
      compare: true,
      interval: null,
      filters: [],
    });
    // A custom period needs two dates in order.
    expect(state('period=custom&from=2026-02-10&to=2026-02-01').preset).toBe('30d');
  });

  it('replaces a filter on the same dimension and operator instead of stacking it', () => {
    const filters = withFilter([{ dimension: 'country', op: 'is', value: 'SA' }], {
      dimension: 'country',
      op: 'is',
      value: 'AE',
    });
    expect(filters).toEqual([{ dimension: 'country', op: 'is', value: 'AE' }]);
  });

  it('counts preset periods back from today in the site time zone', () => {
    const today = '2026-03-15';
    const at = (preset: ReportState['preset']) => presetPeriod({ preset, from: '', to: '' }, today);
    expect(at('today')).toEqual({ from: '2026-03-15', to: '2026-03-15' });
    expect(at('yesterday')).toEqual({ from: '2026-03-14', to: '2026-03-14' });
    expect(at('7d')).toEqual({ from: '2026-03-09', to: '2026-03-15' });
    expect(at('30d')).toEqual({ from: '2026-02-14', to: '2026-03-15' });
    expect(at('month')).toEqual({ from: '2026-03-01', to: '2026-03-15' });
    expect(at('last-month')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    // 22:30 UTC on the 15th is already the 16th in Riyadh.
    const late = new Date(Date.UTC(2026, 2, 15, 22, 30));
    expect([todayIn('UTC', late), todayIn('Asia/Riyadh', late)]).toEqual(['2026-03-15', '2026-03-16']);
  });
});

describe('chart geometry', () => {
  const frame = { width: 100, height: 50, start: 10, end: 0, top: 0, bottom: 10 };

  it('runs time from the start edge: left to right in English, right to left in Arabic', () => {
    const ltr = [0, 1, 2].map((i) => xAt({ ...frame, rtl: false }, i, 3));
    const rtl = [0, 1, 2].map((i) => xAt({ ...frame, rtl: true }, i, 3));
    expect(ltr).toEqual([10, 55, 100]);
    expect(rtl).toEqual([90, 45, 0]);
    expect(slotAt({ ...frame, rtl: false }, 0, 3)).toEqual({ x: 10, width: 30 });
    expect(slotAt({ ...frame, rtl: true }, 0, 3)).toEqual({ x: 60, width: 30 });
  });

  it('rounds axis maxima up to a readable number', () => {
    expect(niceScale(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(niceScale(2)).toEqual({ max: 2, ticks: [0, 1, 2] });
    expect(niceScale(10)).toEqual({ max: 10, ticks: [0, 5, 10] });
    expect(niceScale(0).max).toBe(4);
    expect(niceScale(873).max).toBe(1000);
    expect(niceScale(873).ticks).toEqual([0, 250, 500, 750, 1000]);
  });

  it('labels a few points of a long series, the first and last always', () => {
    expect(labelledIndexes(5)).toEqual([0, 1, 2, 3, 4]);
    const thirty = labelledIndexes(30);
    expect(thirty.length).toBeLessThanOrEqual(7);
    expect([thirty[0], thirty.at(-1)]).toEqual([0, 29]);
  });
});

describe('report formats', () => {
  it('writes numbers, rates and durations in the language’s digits and units', () => {
    expect(formatInteger(AR, 1234)).toBe('١٬٢٣٤');
    expect(formatPercent(AR, 1 / 3)).toContain('٣٣٫٣');
    expect(formatPercent(EN, 1 / 3)).toBe('33.3%');
    expect(formatDuration(EN, 45_000)).toBe('45s');
    expect(formatDuration(EN, 150_000)).toBe('2m 30s');
    expect(formatDuration(EN, 3_900_000)).toBe('1h 5m');
    expect(formatDuration(AR, 150_000)).toBe('٢ د ٣٠ ث');
    expect(countryName(AR, 'SA')).toBe('المملكة العربية السعودية');
    expect(countryName(EN, 'SA')).toBe('Saudi Arabia');
    expect(formatBucket(EN, '2026-01-10', 'day')).toBe('Jan 10');
    expect(formatBucket(AR, '2026-01-10', 'day')).toBe('١٠ يناير');
  });

  it('tells a rise from a fall, and says when there is nothing to compare with', () => {
    expect(changeOf(150, 100)).toEqual({ kind: 'up', fraction: 0.5 });
    expect(changeOf(50, 100)).toEqual({ kind: 'down', fraction: 0.5 });
    expect(changeOf(5, 0)).toEqual({ kind: 'new' });
    expect(changeOf(0, 0)).toEqual({ kind: 'same' });
    expect(changeOf(5, undefined)).toEqual({ kind: 'none' });
  });
});

describe('goal, funnel and CTA forms', () => {
  it('read funnel steps one per line: paths are pages, other lines events', () => {
    expect(parseSteps(' /pricing*\n\nsignup\n/شكرا ')).toEqual([
      { kind: 'page', pattern: '/pricing*' },
      { kind: 'event', event: 'signup', properties: {} },
      { kind: 'page', pattern: '/شكرا' },
    ]);
  });

  it('read a telling property as name=value', () => {
    expect(parseProperty('cta = عرض رمضان')).toEqual({ cta: 'عرض رمضان' });
    expect(parseProperty('')).toEqual({});
    expect(parseProperty('=x')).toBeNull();
    expect(parseProperty('hero')).toBeNull();
  });
});

describe('value labels', () => {
  const i18nFor = (locale: 'ar' | 'en') =>
    ({
      tag: INTL_TAG[locale],
      rt: (key: Parameters<typeof reportText>[1]) => reportText(locale, key),
    }) as unknown as ReportI18n;

  it("names the classifier's placeholders and mediums in the reader's language, and leaves other values alone", () => {
    const ar = i18nFor('ar');
    expect(valueLabel(ar, 'source', '(direct)')).toBe(reportText('ar', 'value.direct'));
    expect(valueLabel(ar, 'medium', 'social')).toBe('تواصل اجتماعي');
    expect(valueLabel(i18nFor('en'), 'medium', 'messaging')).toBe('Messaging');
    expect(valueLabel(ar, 'utm_campaign', '(not set)')).toBe(reportText('ar', 'value.unknown'));
    expect(valueLabel(ar, 'source', 'Google')).toBe('Google');
    expect(valueLabel(ar, 'utm_campaign', 'رمضان')).toBe('رمضان');
  });
});
