import type { ShiftEntry, TaskEntry } from './metrics.ts';

/** What the page has recorded so far, read with SNAPSHOT. Times are ms from navigation start. */
export interface Snapshot {
  now: number;
  /** When the observer script ran, i.e. when the document was created. */
  documentStart: number;
  fcp?: number;
  lcp?: { ms: number; size: number; element?: string; url?: string };
  shifts: ShiftEntry[];
  tasks: TaskEntry[];
  nav?: { responseStart: number; domContentLoadedEventStart: number; loadEventStart: number };
}

/*
 * In-page code is kept as plain JavaScript text: a transpiled function can
 * carry helpers (esbuild's __name) that do not exist in the page.
 */

/** Installed with addInitScript, so it runs before any of the page's own scripts; main frame only. */
export const OBSERVER_SCRIPT = `(() => {
  if (window !== window.top || window.__waslRender) return;
  const s = { documentStart: performance.now(), fcp: undefined, lcp: undefined, shifts: [], tasks: [] };
  Object.defineProperty(window, '__waslRender', { value: s });
  const describe = (el) => {
    if (!el || !el.isConnected) return undefined;
    if (el.id) return el.localName + '#' + el.id;
    const classes = Array.from(el.classList).slice(0, 2);
    return classes.length ? el.localName + '.' + classes.join('.') : el.localName;
  };
  const observe = (type, record) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(record)).observe({ type, buffered: true });
    } catch {
      // An entry type this Chromium lacks leaves its metric empty rather than stopping the others.
    }
  };
  observe('paint', (e) => { if (e.name === 'first-contentful-paint') s.fcp = e.startTime; });
  observe('largest-contentful-paint', (e) => {
    s.lcp = { ms: e.startTime, size: e.size, element: describe(e.element), url: e.url || undefined };
  });
  observe('layout-shift', (e) => s.shifts.push({ startTime: e.startTime, value: e.value, hadRecentInput: e.hadRecentInput }));
  observe('longtask', (e) => s.tasks.push({ startTime: e.startTime, duration: e.duration }));
})();`;

/** Evaluates to a Snapshot, or null in a document the observer script did not run in. */
export const SNAPSHOT = `(() => {
  const s = window.__waslRender;
  if (!s) return null;
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    now: performance.now(),
    documentStart: s.documentStart,
    fcp: s.fcp,
    lcp: s.lcp,
    shifts: s.shifts,
    tasks: s.tasks,
    nav: nav && {
      responseStart: nav.responseStart,
      domContentLoadedEventStart: nav.domContentLoadedEventStart,
      loadEventStart: nav.loadEventStart,
    },
  };
})()`;
