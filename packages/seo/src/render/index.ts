/**
 * Rendering metrics for the SEO audit: FCP, LCP, CLS, TBT, TTFB, load timings,
 * requests and bytes, measured in Debian's Chromium under an emulated device,
 * CPU and network (see RenderMetrics for the exact definitions).
 */
export { defaultChromiumPath, launchChromium } from './browser.ts';
export { measurePages } from './measure.ts';
export {
  cumulativeLayoutShift,
  type ShiftEntry,
  type TaskEntry,
  totalBlockingTime,
  withoutEmulationInput,
} from './metrics.ts';
export { DESKTOP, MOBILE, SLOW_4G } from './profiles.ts';
export type {
  DeviceProfile,
  LcpInfo,
  NetworkConditions,
  RenderError,
  RenderErrorKind,
  RenderMetrics,
  RenderOptions,
  RenderResult,
} from './types.ts';
