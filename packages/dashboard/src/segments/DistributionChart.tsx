import type { Bucket } from './api.ts';
import { useSegmentsI18n } from './i18n.ts';

/**
 * Horizontal bars, one per value, as a list: bars grow from the start edge (the right in Arabic)
 * because their widths are logical, and each row reads as text to a screen reader.
 */
export function DistributionChart({
  title,
  buckets,
  testId,
}: {
  title: string;
  buckets: readonly Bucket[];
  testId: string;
}) {
  const { st, number, tag, label } = useSegmentsI18n();
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const max = Math.max(0, ...buckets.map((b) => b.count));
  return (
    <figure className="space-y-2" data-testid={testId}>
      <figcaption className="text-sm font-semibold text-zinc-900">{title}</figcaption>
      {buckets.length === 0 ? (
        <p className="text-sm text-zinc-500">{st('personas.emptyDim')}</p>
      ) : (
        <ul className="space-y-1.5">
          {buckets.map((b) => (
            <li
              key={b.value}
              data-testid="persona-bar"
              data-value={b.value}
              data-count={b.count}
              className="text-sm"
            >
              <div className="flex items-baseline justify-between gap-2">
                <bdi className="truncate text-zinc-800">{label(`v.${b.value}`, b.value)}</bdi>
                <span className="shrink-0 text-zinc-600 tabular-nums">
                  {st('personas.share', { count: number(b.count), share: percent.format(b.share) })}
                </span>
              </div>
              <div className="h-2 rounded bg-zinc-100" aria-hidden="true">
                <div
                  className="h-2 rounded bg-teal-700"
                  style={{ inlineSize: `${max > 0 ? (b.count / max) * 100 : 0}%` }}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
