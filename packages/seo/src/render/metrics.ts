/** The parts of PerformanceEntry objects the metrics need, as the page reports them. */
export interface ShiftEntry {
  startTime: number;
  value: number;
  hadRecentInput: boolean;
}

export interface TaskEntry {
  startTime: number;
  duration: number;
}

const SESSION_GAP_MS = 1_000;
const SESSION_CAP_MS = 5_000;
const BLOCKING_THRESHOLD_MS = 50;

/**
 * CLS as web-vitals defines it: shifts without recent input are grouped into
 * session windows (a shift joins the current window when it comes less than
 * 1 s after the previous one and less than 5 s after the window's first);
 * CLS is the largest window's sum. Entries must be in startTime order.
 */
export const cumulativeLayoutShift = (shifts: readonly ShiftEntry[]): number => {
  let best = 0;
  let session = 0;
  let first: ShiftEntry | undefined;
  let last: ShiftEntry | undefined;
  for (const shift of shifts) {
    if (shift.hadRecentInput) continue;
    // web-vitals tests the running value, so a window of zero-value shifts never extends.
    if (
      session &&
      first &&
      last &&
      shift.startTime - last.startTime < SESSION_GAP_MS &&
      shift.startTime - first.startTime < SESSION_CAP_MS
    ) {
      session += shift.value;
    } else {
      session = shift.value;
      first = shift;
    }
    last = shift;
    if (session > best) best = session;
  }
  return best;
};

/**
 * Lighthouse's TBT: each long task is clipped to [startMs, endMs] first, then
 * whatever of the clipped part exceeds 50 ms counts as blocking.
 */
export const totalBlockingTime = (tasks: readonly TaskEntry[], startMs: number, endMs: number): number => {
  if (endMs <= startMs) return 0;
  let sum = 0;
  for (const task of tasks) {
    const end = task.startTime + task.duration;
    if (task.duration < BLOCKING_THRESHOLD_MS || end < startMs || task.startTime > endMs) continue;
    const clipped = Math.min(end, endMs) - Math.max(task.startTime, startMs);
    if (clipped > BLOCKING_THRESHOLD_MS) sum += clipped - BLOCKING_THRESHOLD_MS;
  }
  return sum;
};

const EMULATION_INPUT_WINDOW_MS = 500;

/**
 * Chromium flags shifts in the 500 ms after mobile emulation sets a new
 * document's viewport as having recent input (crbug.com/1094974,
 * crbug.com/1302667). We send no input, so, as Lighthouse does, such shifts
 * count until the first shift that is not flagged. `viewportSetMs` is when
 * the document started (Lighthouse reads the trace's viewport event).
 */
export const withoutEmulationInput = (shifts: readonly ShiftEntry[], viewportSetMs = 0): ShiftEntry[] => {
  let flagIsReal = false;
  return shifts.map((shift) => {
    if (!shift.hadRecentInput) {
      flagIsReal = true;
      return shift;
    }
    if (flagIsReal || shift.startTime - viewportSetMs > EMULATION_INPUT_WINDOW_MS) return shift;
    return { ...shift, hadRecentInput: false };
  });
};
