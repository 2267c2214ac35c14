/*
 * Chart geometry shared by the SVG charts. Time runs from the start edge to the end edge: left to
 * right in English, right to left in Arabic, so the latest point is always at the reading end.
 */

export interface Frame {
  width: number;
  height: number;
  /** Room on the start side (value labels), the end side, above and below (time labels). */
  start: number;
  end: number;
  top: number;
  bottom: number;
  rtl: boolean;
}

/** The x of point `i` of `n`, mirrored in right-to-left layouts; a single point sits in the middle. */
export function xAt(frame: Frame, i: number, n: number): number {
  const span = frame.width - frame.start - frame.end;
  const along = frame.start + (n > 1 ? (i / (n - 1)) * span : span / 2);
  return frame.rtl ? frame.width - along : along;
}

/** The left edge and width of slot `i` of `n` equal slots (bar charts), mirrored in RTL. */
export function slotAt(frame: Frame, i: number, n: number): { x: number; width: number } {
  const span = frame.width - frame.start - frame.end;
  const width = span / n;
  const along = frame.start + i * width;
  return { x: frame.rtl ? frame.width - along - width : along, width };
}

export const yAt = (frame: Frame, value: number, max: number) =>
  frame.height - frame.bottom - (max > 0 ? (value / max) * (frame.height - frame.top - frame.bottom) : 0);

/**
 * A round axis maximum at or above `max` and its ticks: steps of 1, 2 or 5 times a power of ten
 * (2.5 too from 25 up), never below 1, since reports count whole visits.
 */
export function niceScale(max: number, ticks = 4): { max: number; ticks: number[] } {
  if (max <= 0) return { max: ticks, ticks: Array.from({ length: ticks + 1 }, (_, i) => i) };
  const rough = max / ticks;
  const power = 10 ** Math.floor(Math.log10(rough));
  const multiples = power >= 10 ? [1, 2, 2.5, 5, 10] : [1, 2, 5, 10];
  const step = Math.max(1, multiples.map((m) => m * power).find((s) => s >= rough) ?? 10 * power);
  const top = Math.ceil(max / step) * step;
  return { max: top, ticks: Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step) };
}

/** Which of `n` points get a time label: at most `most`, evenly spread, always the first and last. */
export function labelledIndexes(n: number, most = 7): number[] {
  if (n <= most) return Array.from({ length: n }, (_, i) => i);
  const every = Math.ceil((n - 1) / (most - 1));
  const picked = [];
  for (let i = 0; i < n - 1; i += every) picked.push(i);
  if (n - 1 - (picked.at(-1) ?? 0) < every / 2) picked.pop();
  picked.push(n - 1);
  return picked;
}

/** An SVG path through the points. */
export const linePath = (points: readonly { x: number; y: number }[]) =>
  points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
