import { useId } from 'react';
import { type Frame, labelledIndexes, linePath, niceScale, xAt, yAt } from './geometry.ts';

export interface LineChartProps {
  /** Short axis label and full label of each point, in time order. */
  labels: { short: string; long: string }[];
  current: number[];
  /** Drawn dashed behind `current`, matched by position. */
  previous?: number[] | undefined;
  rtl: boolean;
  /** Formats values for the axis and point titles (the locale's digits). */
  format: (n: number) => string;
  formatAxis: (n: number) => string;
  title: string;
  description: string;
  currentLabel: string;
  previousLabel: string;
  testId?: string;
}

const FRAME = { width: 800, height: 260, start: 52, end: 20, top: 16, bottom: 30 };

/**
 * An area chart of one metric over time, the previous period dashed behind it. An image to
 * assistive technology, named by its title and described in words; the page offers the same
 * numbers as a table.
 */
export function LineChart(props: LineChartProps) {
  const { labels, current, previous, rtl, format, formatAxis } = props;
  const id = useId();
  const frame: Frame = { ...FRAME, rtl };
  const n = current.length;
  const scale = niceScale(Math.max(0, ...current, ...(previous ?? [])));
  const point = (values: number[]) =>
    values.slice(0, n).map((v, i) => ({ x: xAt(frame, i, n), y: yAt(frame, v, scale.max) }));
  const line = point(current);
  const before = previous ? point(previous) : [];
  const baseline = yAt(frame, 0, scale.max);
  const area =
    line.length > 0
      ? `${linePath(line)} L${line.at(-1)?.x.toFixed(1)},${baseline} L${line[0]?.x.toFixed(1)},${baseline} Z`
      : '';
  // Value labels stand on the start side: the right in Arabic, reading outwards from the plot.
  const axisX = rtl ? FRAME.width - FRAME.start + 8 : FRAME.start - 8;
  const anchor = rtl ? 'start' : 'end';

  return (
    <svg
      viewBox={`0 0 ${FRAME.width} ${FRAME.height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      data-testid={props.testId}
      data-direction={rtl ? 'rtl' : 'ltr'}
      className="h-auto w-full overflow-visible"
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{props.description}</desc>
      <g className="text-zinc-500" fontSize="12" fill="currentColor">
        {scale.ticks.map((tick) => {
          const y = yAt(frame, tick, scale.max);
          return (
            <g key={tick}>
              <line
                x1={rtl ? FRAME.end : FRAME.start}
                x2={rtl ? FRAME.width - FRAME.start : FRAME.width - FRAME.end}
                y1={y}
                y2={y}
                stroke="currentColor"
                strokeOpacity={tick === 0 ? 0.5 : 0.15}
              />
              {/* Numbers alone: laid out left to right so the anchor means the same in both languages. */}
              <text x={axisX} y={y} dy="0.32em" textAnchor={anchor} direction="ltr">
                {formatAxis(tick)}
              </text>
            </g>
          );
        })}
        {labelledIndexes(n).map((i) => (
          <text
            key={i}
            x={xAt(frame, i, n)}
            y={FRAME.height - 8}
            textAnchor="middle"
            data-testid="chart-x-label"
          >
            {labels[i]?.short}
          </text>
        ))}
      </g>
      {before.length > 1 && (
        <path
          d={linePath(before)}
          fill="none"
          stroke="#a1a1aa"
          strokeWidth={2}
          strokeDasharray="6 5"
          data-testid="chart-previous"
        >
          <title>{props.previousLabel}</title>
        </path>
      )}
      {line.length > 1 && <path d={area} fill="#0f766e" fillOpacity={0.1} />}
      {line.length > 1 && (
        <path d={linePath(line)} fill="none" stroke="#0f766e" strokeWidth={2.5} data-testid="chart-line">
          <title>{props.currentLabel}</title>
        </path>
      )}
      {line.map((p, i) => (
        <circle
          // biome-ignore lint/suspicious/noArrayIndexKey: points are positions in time
          key={i}
          cx={p.x}
          cy={p.y}
          r={n > 40 ? 2 : 3.5}
          fill="#0f766e"
          data-testid="chart-point"
        >
          <title>{`${labels[i]?.long}: ${format(current[i] ?? 0)}`}</title>
        </circle>
      ))}
    </svg>
  );
}
