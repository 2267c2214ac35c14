import { describe, expect, it } from 'vitest';
import { cumulativeLayoutShift, totalBlockingTime, withoutEmulationInput } from '../../src/render/index.ts';

const shift = (startTime: number, value: number, hadRecentInput = false) => ({
  startTime,
  value,
  hadRecentInput,
});
const task = (startTime: number, duration: number) => ({ startTime, duration });

describe('cumulativeLayoutShift (web-vitals session windows)', () => {
  it('is 0 without shifts', () => {
    expect(cumulativeLayoutShift([])).toBe(0);
  });

  it('adds shifts less than 1 s apart into one window', () => {
    expect(cumulativeLayoutShift([shift(0, 0.1), shift(500, 0.2), shift(1400, 0.05)])).toBeCloseTo(0.35, 12);
  });

  it('starts a new window after a gap of 1 s or more and keeps the largest', () => {
    expect(cumulativeLayoutShift([shift(0, 0.1), shift(1000, 0.2), shift(1500, 0.05)])).toBeCloseTo(0.25, 12);
    expect(cumulativeLayoutShift([shift(0, 0.3), shift(1000, 0.2)])).toBe(0.3);
  });

  it('caps a window at 5 s from its first shift', () => {
    const every900 = [0, 900, 1800, 2700, 3600, 4500, 5400].map((t) => shift(t, 0.1));
    // 0..4500 is one window (six shifts); 5400 is 5.4 s after its first, so it opens another.
    expect(cumulativeLayoutShift(every900)).toBeCloseTo(0.6, 12);
    expect(cumulativeLayoutShift([...every900, shift(5900, 0.6)])).toBeCloseTo(0.7, 12);
  });

  it('ignores shifts with recent input', () => {
    expect(cumulativeLayoutShift([shift(0, 0.1), shift(200, 0.9, true), shift(400, 0.1)])).toBeCloseTo(
      0.2,
      12,
    );
  });

  it('does not let a window open with a zero-value shift (web-vitals tests the running value)', () => {
    const shifts = [shift(0, 0), ...[500, 1400, 2300, 3200, 4100, 5000].map((t) => shift(t, 0.1))];
    // Opened at 0 the window would end before 5000 and hold 0.5; opened at 500 it holds all six.
    expect(cumulativeLayoutShift(shifts)).toBeCloseTo(0.6, 12);
  });
});

describe('totalBlockingTime (Lighthouse clipping)', () => {
  it('sums the part of each long task past 50 ms', () => {
    expect(totalBlockingTime([task(100, 250), task(1000, 60), task(2000, 40)], 0, 10_000)).toBe(210);
  });

  it('clips tasks to the window before taking off 50 ms', () => {
    // [0,150] from FCP at 50 is [50,150]: 100 ms, 50 blocking. [900,1100] ending at 1000 is 100 ms: 50.
    expect(totalBlockingTime([task(0, 150)], 50, 1000)).toBe(50);
    expect(totalBlockingTime([task(900, 200)], 0, 1000)).toBe(50);
    // Clipped to under 50 ms counts nothing.
    expect(totalBlockingTime([task(0, 120)], 80, 1000)).toBe(0);
  });

  it('ignores tasks wholly outside the window, and an empty window', () => {
    expect(totalBlockingTime([task(0, 100), task(2000, 300)], 200, 1500)).toBe(0);
    expect(totalBlockingTime([task(100, 300)], 500, 500)).toBe(0);
  });
});

describe('withoutEmulationInput (Lighthouse, crbug.com/1094974)', () => {
  it('counts flagged shifts in the first 500 ms until an unflagged one', () => {
    const shifts = [shift(100, 0.1, true), shift(400, 0.1, true), shift(450, 0.1), shift(480, 0.5, true)];
    expect(withoutEmulationInput(shifts)).toEqual([
      shift(100, 0.1),
      shift(400, 0.1),
      shift(450, 0.1),
      shift(480, 0.5, true),
    ]);
    expect(cumulativeLayoutShift(withoutEmulationInput(shifts))).toBeCloseTo(0.3, 12);
  });

  it('counts the 500 ms from when the viewport was set', () => {
    expect(withoutEmulationInput([shift(300, 0.1, true), shift(700, 0.2, true)], 250)).toEqual([
      shift(300, 0.1),
      shift(700, 0.2),
    ]);
    expect(withoutEmulationInput([shift(800, 0.2, true)], 250)).toEqual([shift(800, 0.2, true)]);
  });

  it('keeps the flag after 500 ms', () => {
    expect(withoutEmulationInput([shift(300, 0.1, true), shift(600, 0.2, true)])).toEqual([
      shift(300, 0.1),
      shift(600, 0.2, true),
    ]);
  });
});
