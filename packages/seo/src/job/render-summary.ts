import { measurePages } from '../render/measure.ts';
import type { CrawledPage } from '../types.ts';
import { percentiles } from './summary.ts';

export interface RenderedPage {
  url: string;
  fcpMs?: number;
  lcpMs?: number;
  cls?: number;
  tbtMs?: number;
  loadMs?: number;
  error?: string;
}

export type RenderSummary =
  | { measured: false; reason: string }
  | {
      measured: true;
      device: string;
      pages: RenderedPage[];
      /** Nearest-rank 75th percentile over the pages measured, as Core Web Vitals are judged. */
      p75: { lcpMs: number | null; cls: number | null; tbtMs: number | null };
    };

const p75 = (values: (number | undefined)[]) =>
  percentiles(values.filter((v): v is number => v !== undefined))?.p75 ?? null;

/**
 * Rendering metrics in Chromium for the `limit` shallowest HTML pages that
 * answered 200. Chromium loads subresources from anywhere, so only trusted
 * callers (the CLI) turn this on; see docs/seo-audit.md.
 */
export async function renderSummary(
  pages: readonly CrawledPage[],
  limit: number,
  signal?: AbortSignal,
): Promise<RenderSummary> {
  const urls = pages
    .filter((p) => p.depth >= 0 && p.status === 200 && !p.error && p.redirects.length === 0)
    .filter((p) => /html/i.test(p.contentType ?? ''))
    .sort((a, b) => a.depth - b.depth)
    .slice(0, limit)
    .map((p) => p.url);
  const results = await measurePages(urls, signal ? { signal } : {});
  let device = '';
  const measured = results.map((r): RenderedPage => {
    if (!r.ok) return { url: r.url, error: `${r.error.kind}: ${r.error.message}` };
    const m = r.value;
    device = m.device;
    const page: RenderedPage = { url: r.url, cls: m.cls, loadMs: m.loadMs };
    if (m.fcpMs !== undefined) page.fcpMs = m.fcpMs;
    if (m.lcp !== undefined) page.lcpMs = m.lcp.ms;
    if (m.tbtMs !== undefined) page.tbtMs = m.tbtMs;
    return page;
  });
  return {
    measured: true,
    device,
    pages: measured,
    p75: {
      lcpMs: p75(measured.map((p) => p.lcpMs)),
      cls: p75(measured.map((p) => p.cls)),
      tbtMs: p75(measured.map((p) => p.tbtMs)),
    },
  };
}
