import { useId } from 'react';
import { type Frame, niceScale, slotAt, yAt } from './geometry.ts';

interface BarChartProps {
  /** In time order, oldest first; drawn from the start edge (the right in Arabic). */
  values: number[];
  /** Point titles: what each bar stands for. */
  labelOf: (i: number) => string;
  startLabel: string;
  endLabel: string;
  rtl: boolean;
  format: (n: number) => string;
  title: string;
  description: string;
  testId?: string;
}

const FRAME = { width: 600, height: 120, start: 4, end: 4, top: 8, bottom: 22 };

/** Small vertical bars over time (pageviews per minute). */
export function BarChart({
  values,
  labelOf,
  startLabel,
  endLabel,
  rtl,
  format,
  title,
  description,
  testId,
}: BarChartProps) {
  const id = useId();
  const frame: Frame = { ...FRAME, rtl };
  const { max } = niceScale(Math.max(0, ...values), 2);
  const baseline = yAt(frame, 0, max);
  return (
    <svg
      viewBox={`0 0 ${FRAME.width} ${FRAME.height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      data-testid={testId}
      data-direction={rtl ? 'rtl' : 'ltr'}
      className="h-auto w-full"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <line x1={FRAME.start} x2={FRAME.width - FRAME.end} y1={baseline} y2={baseline} stroke="#d4d4d8" />
      {values.map((v, i) => {
        const slot = slotAt(frame, i, values.length);
        const top = yAt(frame, v, max);
        return (
          <rect
            // biome-ignore lint/suspicious/noArrayIndexKey: bars are positions in time
            key={i}
            x={slot.x + slot.width * 0.15}
            width={slot.width * 0.7}
            y={v > 0 ? top : baseline - 1}
            height={v > 0 ? baseline - top : 1}
            rx={1.5}
            fill={v > 0 ? '#0f766e' : '#d4d4d8'}
            data-testid="bar"
            data-value={v}
          >
            <title>{`${labelOf(i)}: ${format(v)}`}</title>
          </rect>
        );
      })}
      <g fontSize="11" fill="#71717a">
        <text
          x={rtl ? FRAME.width - FRAME.start : FRAME.start}
          y={FRAME.height - 6}
          textAnchor="start"
          direction={rtl ? 'rtl' : 'ltr'}
        >
          {startLabel}
        </text>
        <text
          x={rtl ? FRAME.end : FRAME.width - FRAME.end}
          y={FRAME.height - 6}
          textAnchor="end"
          direction={rtl ? 'rtl' : 'ltr'}
        >
          {endLabel}
        </text>
      </g>
    </svg>
  );
}
