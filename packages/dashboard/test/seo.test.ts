import { describe, expect, it } from 'vitest';
import { INTL_TAG } from '../src/i18n/locales.ts';
import type { SeoAudit, SeoFinding } from '../src/seo/api.ts';
import {
  comparable,
  dayName,
  filterGroups,
  groupByCheck,
  isActive,
  parseMaxPages,
  progressPercent,
  scoreBand,
  scoreChange,
  severityCounts,
} from '../src/seo/logic.ts';
import { ar } from '../src/seo/messages/ar.ts';
import { en } from '../src/seo/messages/en.ts';
import { seoPlural, seoText } from '../src/seo/messages/index.ts';

const finding = (check: string, severity: SeoFinding['severity'], urls: string[], n = 0): SeoFinding => ({
  check,
  severity,
  urls,
  message: { en: `${check} en ${n}`, ar: `${check} ar ${n}` },
  howToFix: { en: `fix ${check} ${n}`, ar: `أصلح ${check} ${n}` },
});

const audit = (id: string, status: SeoAudit['status']): SeoAudit => ({
  id,
  siteId: null,
  startUrl: `https://${id}.example/`,
  options: {},
  status,
  progress: { pagesDone: 0, pagesQueued: 0, errors: 0 },
  score: null,
  summary: null,
  error: null,
  compareTo: null,
  cancelRequested: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
});

describe('groupByCheck', () => {
  it('merges findings of one check, keeps each URL once and the worst severity with its texts', () => {
    const groups = groupByCheck([
      finding('title.duplicate', 'notice', ['https://a/1', 'https://a/2'], 1),
      finding('status.client_error', 'critical', ['https://a/404']),
      finding('title.duplicate', 'warning', ['https://a/2', 'https://a/3'], 2),
      finding('meta.missing', 'notice', ['https://a/1']),
    ]);
    expect(groups).toEqual([
      {
        check: 'status.client_error',
        severity: 'critical',
        message: { en: 'status.client_error en 0', ar: 'status.client_error ar 0' },
        howToFix: { en: 'fix status.client_error 0', ar: 'أصلح status.client_error 0' },
        urls: ['https://a/404'],
        findings: 1,
      },
      {
        check: 'title.duplicate',
        severity: 'warning',
        message: { en: 'title.duplicate en 2', ar: 'title.duplicate ar 2' },
        howToFix: { en: 'fix title.duplicate 2', ar: 'أصلح title.duplicate 2' },
        urls: ['https://a/1', 'https://a/2', 'https://a/3'],
        findings: 2,
      },
      {
        check: 'meta.missing',
        severity: 'notice',
        message: { en: 'meta.missing en 0', ar: 'meta.missing ar 0' },
        howToFix: { en: 'fix meta.missing 0', ar: 'أصلح meta.missing 0' },
        urls: ['https://a/1'],
        findings: 1,
      },
    ]);
  });

  it('orders equal severities by URLs affected, then by check name', () => {
    const groups = groupByCheck([
      finding('b.one', 'notice', ['u1']),
      finding('a.one', 'notice', ['u1']),
      finding('c.two', 'notice', ['u1', 'u2']),
    ]);
    expect(groups.map((g) => g.check)).toEqual(['c.two', 'a.one', 'b.one']);
  });

  it('filters by severity and by check', () => {
    const groups = groupByCheck([
      finding('x', 'critical', ['u']),
      finding('y', 'notice', ['u']),
      finding('z', 'notice', ['u']),
    ]);
    expect(filterGroups(groups, { severity: 'notice', check: '' }).map((g) => g.check)).toEqual(['y', 'z']);
    expect(filterGroups(groups, { severity: '', check: 'z' }).map((g) => g.check)).toEqual(['z']);
    expect(filterGroups(groups, { severity: 'critical', check: 'z' })).toEqual([]);
    expect(filterGroups(groups, { severity: '', check: '' })).toHaveLength(3);
  });

  it('counts findings by severity', () => {
    expect(
      severityCounts([finding('a', 'critical', []), finding('b', 'notice', []), finding('c', 'notice', [])]),
    ).toEqual({ critical: 1, warning: 0, notice: 2 });
  });
});

describe('progress and score', () => {
  it('is the share of known pages done, never 100 before the end', () => {
    expect(progressPercent({ pagesDone: 0, pagesQueued: 0, errors: 0 }, 'queued')).toBe(0);
    expect(progressPercent({ pagesDone: 5, pagesQueued: 15, errors: 0 }, 'running')).toBe(25);
    expect(progressPercent({ pagesDone: 2, pagesQueued: 1, errors: 0 }, 'running')).toBe(66);
    expect(progressPercent({ pagesDone: 999, pagesQueued: 1, errors: 0 }, 'running')).toBe(99);
    expect(progressPercent({ pagesDone: 10, pagesQueued: 0, errors: 0 }, 'running')).toBe(99);
    expect(progressPercent({ pagesDone: 10, pagesQueued: 4, errors: 0 }, 'done')).toBe(100);
  });

  it('knows which statuses are still moving', () => {
    expect(['queued', 'running', 'done', 'failed', 'cancelled'].map((s) => isActive(s as never))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('gives the score change against the compared audit, or null when either is unknown', () => {
    expect(scoreChange(81, 74)).toBe(7);
    expect(scoreChange(60, 74)).toBe(-14);
    expect(scoreChange(74, 74)).toBe(0);
    expect(scoreChange(null, 74)).toBeNull();
    expect(scoreChange(74, null)).toBeNull();
    expect(scoreChange(74, undefined)).toBeNull();
  });

  it('bands scores', () => {
    expect([100, 80, 79, 50, 49, 0].map(scoreBand)).toEqual(['good', 'good', 'fair', 'fair', 'poor', 'poor']);
  });

  it('offers only other finished audits for comparison', () => {
    const list = [audit('a', 'done'), audit('b', 'running'), audit('c', 'done'), audit('d', 'failed')];
    expect(comparable(list, 'a').map((x) => x.id)).toEqual(['c']);
    expect(comparable(list, '').map((x) => x.id)).toEqual(['a', 'c']);
  });
});

describe('new audit form', () => {
  it('reads max pages in Latin or Arabic-Indic digits, with or without separators, within 1–10,000', () => {
    expect(parseMaxPages('100')).toBe(100);
    expect(parseMaxPages(' ٢٥٠ ')).toBe(250);
    expect(parseMaxPages('۱۰')).toBe(10);
    expect(parseMaxPages('10000')).toBe(10_000);
    expect(parseMaxPages('١٬٠٠٠')).toBe(1000);
    expect(parseMaxPages('2,500')).toBe(2500);
    expect(parseMaxPages('10001')).toBeNull();
    expect(parseMaxPages('0')).toBeNull();
    expect(parseMaxPages('1.5')).toBeNull();
    expect(parseMaxPages('')).toBeNull();
    expect(parseMaxPages('lots')).toBeNull();
  });
});

describe('SEO messages', () => {
  it('has the same keys in Arabic and English, none empty but the deliberate zero', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ar).sort());
    for (const [key, value] of Object.entries(en)) {
      if (typeof value === 'string') expect(value, key).not.toBe('');
    }
  });

  it('uses all six Arabic plural forms with Arabic-Indic digits', () => {
    const pages = [0, 1, 2, 3, 11, 100].map((n) => seoPlural('ar', 'count.pages', n));
    expect(pages).toEqual(['لا صفحات', 'صفحة واحدة', 'صفحتان', '٣ صفحات', '١١ صفحة', '١٠٠ صفحة']);
    expect([1, 2, 5].map((n) => seoPlural('en', 'count.pages', n))).toEqual(['1 page', '2 pages', '5 pages']);
    expect(seoPlural('ar', 'print.more', 4)).toBe('و٤ فحوص أخرى في ملف CSV.');
    expect(seoPlural('en', 'print.more', 1)).toBe('And 1 more check in the CSV file.');
  });

  it('fills progress with the locale digits', () => {
    expect(seoText('ar', 'progressText', { done: 12, known: 40, percent: 30 })).toBe('١٢ من ٤٠ صفحة (٣٠٪)');
    expect(seoText('en', 'progressText', { done: 12, known: 40, percent: 30 })).toBe('12 of 40 pages (30%)');
  });

  it('names week days as the API numbers them (0 = Sunday)', () => {
    expect(dayName(INTL_TAG.en, 0)).toBe('Sunday');
    expect(dayName(INTL_TAG.en, 6)).toBe('Saturday');
    expect(dayName(INTL_TAG.ar, 5)).toBe('الجمعة');
  });
});
