/**
 * The Prometheus text exposition format (version 0.0.4), written by hand:
 * three metric types and label escaping are all Wasl needs.
 */

export type Labels = Record<string, string>;

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

const number = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

export function header(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
}

export const sample = (name: string, labels: Labels, value: number): string =>
  `${name}${formatLabels(labels)} ${number(value)}`;

/** Counts observations into cumulative buckets, as Prometheus histograms expect. */
export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly buckets: readonly number[]) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    this.buckets.forEach((le, i) => {
      if (value <= le) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
  }

  lines(name: string, labels: Labels): string[] {
    return [
      ...this.buckets.map((le, i) =>
        sample(`${name}_bucket`, { ...labels, le: String(le) }, this.counts[i] ?? 0),
      ),
      sample(`${name}_bucket`, { ...labels, le: '+Inf' }, this.count),
      sample(`${name}_sum`, labels, this.sum),
      sample(`${name}_count`, labels, this.count),
    ];
  }
}
