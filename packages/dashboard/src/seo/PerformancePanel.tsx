import { Section } from '../components/Section.tsx';
import type { AuditSummary, Percentiles } from './api.ts';
import type { SeoI18n } from './i18n.ts';
import { Stat } from './parts.tsx';

const PERCENTILES = ['p50', 'p75', 'p95', 'max'] as const;

/** Response-time percentiles, rendering metrics when they were measured, the site's top keywords. */
export function PerformancePanel({ summary, i18n }: { summary: AuditSummary; i18n: SeoI18n }) {
  const { st, number } = i18n;
  const ms = (v: number | null | undefined) =>
    v === null || v === undefined ? st('none') : st('ms', { value: Math.round(v) });
  const timings = summary.timings;
  const render = summary.render;
  return (
    <div className="space-y-6">
      <Section title={st('timings.title')} testId="seo-timings">
        {timings && (timings.ttfbMs || timings.totalMs) ? (
          <div className="space-y-4">
            <PercentileRow label={st('timings.ttfb')} values={timings.ttfbMs} ms={ms} testId="ttfb" />
            <PercentileRow label={st('timings.total')} values={timings.totalMs} ms={ms} testId="total" />
          </div>
        ) : (
          <p className="text-sm text-zinc-600">{st('timings.none')}</p>
        )}
      </Section>
      {render && (
        <Section title={st('render.title')} testId="seo-render">
          {render.measured ? (
            <div className="space-y-3">
              <p className="text-sm text-zinc-600">{st('render.device', { device: render.device })}</p>
              <div className="grid gap-3 sm:grid-cols-3">
                <Stat label={st('render.lcp')}>{ms(render.p75.lcpMs)}</Stat>
                <Stat label={st('render.cls')}>
                  {render.p75.cls === null
                    ? st('none')
                    : new Intl.NumberFormat(i18n.tag, { maximumFractionDigits: 3 }).format(render.p75.cls)}
                </Stat>
                <Stat label={st('render.tbt')}>{ms(render.p75.tbtMs)}</Stat>
              </div>
            </div>
          ) : (
            <p className="text-sm text-zinc-600">
              <bdi>{st('render.notMeasured', { reason: render.reason })}</bdi>
            </p>
          )}
        </Section>
      )}
      {summary.keywords && summary.keywords.length > 0 && (
        <Section title={st('keywords.title')} testId="seo-keywords">
          <ol className="flex flex-wrap gap-2">
            {summary.keywords.map((k) => (
              <li key={k.stem} className="rounded-full bg-teal-50 px-3 py-1 text-sm text-teal-900">
                <span dir="auto">{k.surface}</span>{' '}
                <span className="tabular-nums text-teal-700">{number(k.count)}</span>
              </li>
            ))}
          </ol>
        </Section>
      )}
    </div>
  );
}

function PercentileRow({
  label,
  values,
  ms,
  testId,
}: {
  label: string;
  values: Percentiles | null;
  ms: (v: number) => string;
  testId: string;
}) {
  if (!values) return null;
  return (
    <div>
      <p className="mb-2 text-sm font-medium text-zinc-800">{label}</p>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid={`timings-${testId}`}>
        {PERCENTILES.map((p) => (
          <Stat key={p} label={p.toUpperCase()}>
            {ms(values[p])}
          </Stat>
        ))}
      </div>
    </div>
  );
}
