import type { ReactNode } from 'react';
import type { AuditStatus, SeoAudit, Severity, SeverityCounts } from './api.ts';
import type { SeoI18n } from './i18n.ts';
import { progressPercent, scoreBand, scoreChange } from './logic.ts';

/** A URL reads left to right inside Arabic text, and breaks anywhere rather than overflow. */
export function Url({ href, children }: { href?: string; children: string }) {
  const text = (
    <bdi dir="ltr" className="break-all">
      {children}
    </bdi>
  );
  if (!href) return text;
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer noopener"
      className="text-teal-800 underline-offset-2 hover:underline"
    >
      {text}
    </a>
  );
}

const STATUS_CLASS: Record<AuditStatus, string> = {
  queued: 'bg-zinc-100 text-zinc-700',
  running: 'bg-sky-100 text-sky-800',
  done: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  cancelled: 'bg-amber-100 text-amber-900',
};

export function StatusPill({ status, i18n }: { status: AuditStatus; i18n: SeoI18n }) {
  return (
    <span
      data-testid="audit-status"
      data-status={status}
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_CLASS[status]}`}
    >
      {i18n.st(`status.${status}`)}
    </span>
  );
}

export const SEVERITY_COLOUR: Record<Severity, string> = {
  critical: '#b91c1c',
  warning: '#b45309',
  notice: '#0369a1',
};

const SEVERITY_CLASS: Record<Severity, string> = {
  critical: 'bg-red-100 text-red-800',
  warning: 'bg-amber-100 text-amber-900',
  notice: 'bg-sky-100 text-sky-800',
};

export function SeverityBadge({ severity, i18n }: { severity: Severity; i18n: SeoI18n }) {
  return (
    <span
      data-severity={severity}
      className={`inline-flex rounded px-1.5 py-0.5 text-xs font-medium ${SEVERITY_CLASS[severity]}`}
    >
      {i18n.st(`severity.${severity}`)}
    </span>
  );
}

/** Live crawl progress: a native progress bar (read by screen readers) and its numbers. */
export function AuditProgress({ audit, i18n }: { audit: SeoAudit; i18n: SeoI18n }) {
  const percent = progressPercent(audit.progress, audit.status);
  const known = audit.progress.pagesDone + audit.progress.pagesQueued;
  return (
    <div className="min-w-40 space-y-1" data-testid="audit-progress">
      <progress
        max={100}
        value={percent}
        aria-label={i18n.st('progressLabel', { url: audit.startUrl })}
        className="h-2 w-full accent-teal-700"
      />
      <p className="text-xs text-zinc-600">
        {i18n.st('progressText', { done: audit.progress.pagesDone, known, percent })}
      </p>
    </div>
  );
}

const BAND_COLOUR = { good: '#047857', fair: '#b45309', poor: '#b91c1c' } as const;

/** The score as a half-ring gauge with the number in the middle; the arc fills from the start side. */
export function ScoreGauge({ score, i18n, size = 180 }: { score: number; i18n: SeoI18n; size?: number }) {
  const r = 70;
  const arc = Math.PI * r;
  const filled = (Math.max(0, Math.min(100, score)) / 100) * arc;
  const rtl = i18n.dir === 'rtl';
  return (
    <svg
      viewBox="0 0 180 110"
      width={size}
      role="img"
      aria-label={`${i18n.st('audit.score')}: ${i18n.st('audit.scoreOf', { score })}`}
      data-testid="score-gauge"
      data-score={score}
    >
      <g transform={rtl ? 'translate(180 0) scale(-1 1)' : undefined}>
        <path
          d="M20 95 A70 70 0 0 1 160 95"
          fill="none"
          stroke="#e4e4e7"
          strokeWidth="14"
          strokeLinecap="round"
        />
        <path
          d="M20 95 A70 70 0 0 1 160 95"
          fill="none"
          stroke={BAND_COLOUR[scoreBand(score)]}
          strokeWidth="14"
          strokeLinecap="round"
          strokeDasharray={`${filled} ${arc}`}
        />
      </g>
      <text x="90" y="88" textAnchor="middle" fontSize="40" fontWeight="700" fill="#18181b">
        {i18n.number(score)}
      </text>
    </svg>
  );
}

/** "+5", "−3" or "no change" against the compared audit, coloured by direction. */
export function ScoreChange({
  score,
  previous,
  i18n,
}: {
  score: number | null;
  previous: number | null;
  i18n: SeoI18n;
}) {
  const delta = scoreChange(score, previous);
  if (delta === null) return null;
  const text =
    delta > 0
      ? i18n.st('audit.changeUp', { delta })
      : delta < 0
        ? i18n.st('audit.changeDown', { delta: -delta })
        : i18n.st('audit.changeSame');
  const colour = delta > 0 ? 'text-emerald-700' : delta < 0 ? 'text-red-700' : 'text-zinc-600';
  return (
    <p className="text-sm" data-testid="score-change" data-delta={delta}>
      <span className="text-zinc-600">{i18n.st('audit.change')}: </span>
      <span className={`font-semibold ${colour}`}>{text}</span>
    </p>
  );
}

/** Horizontal bars, one per severity; bars grow from the start edge (mirrored by the layout). */
export function SeverityBars({ counts, i18n }: { counts: SeverityCounts; i18n: SeoI18n }) {
  const max = Math.max(1, counts.critical, counts.warning, counts.notice);
  const rows: Severity[] = ['critical', 'warning', 'notice'];
  return (
    <figure data-testid="severity-chart" className="space-y-2">
      <figcaption className="text-sm font-medium text-zinc-800">{i18n.st('chart.title')}</figcaption>
      <dl className="space-y-2">
        {rows.map((s) => (
          <div key={s} className="grid grid-cols-[6rem_1fr_4rem] items-center gap-3 text-sm">
            <dt className="text-zinc-700">{i18n.st(`severity.${s}`)}</dt>
            <dd className="h-4 rounded bg-zinc-100" aria-hidden="true">
              <div
                className="h-4 rounded"
                data-testid={`bar-${s}`}
                style={{ width: `${(counts[s] / max) * 100}%`, backgroundColor: SEVERITY_COLOUR[s] }}
              />
            </dd>
            <dd className="text-end font-medium tabular-nums text-zinc-900" data-testid={`count-${s}`}>
              {i18n.number(counts[s])}
            </dd>
          </div>
        ))}
      </dl>
    </figure>
  );
}

/** A labelled figure in a row of key numbers. */
export function Stat({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-4 py-3" data-testid={testId}>
      <p className="text-xs text-zinc-600">{label}</p>
      <p className="mt-1 text-xl font-semibold tabular-nums text-zinc-900">{children}</p>
    </div>
  );
}
