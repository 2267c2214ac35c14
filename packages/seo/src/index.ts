/**
 * @wasl/seo: the technical and content audit of a website — a crawler with
 * request timings, checks over what it found, rendering metrics in Chromium,
 * and Arabic-aware keyword analysis.
 */
export * from './audit/index.ts';
export * from './crawl/index.ts';
export * from './job/index.ts';
export * from './render/index.ts';
export * from './store/index.ts';
export * from './text/index.ts';
export type * from './types.ts';
