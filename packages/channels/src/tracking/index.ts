/** Public API of click and open tracking: link rewriting, signed tracking tokens, and bot and scanner detection. */
export {
  BURST_MIN_OTHER_CLICKS,
  BURST_WINDOW_MS,
  type Classification,
  type ClickSignals,
  type ClickVerdict,
  classifyClick,
  OPEN_TO_CLICK_MS,
  SCANNER_DELAY_MS,
  userAgentFamily,
} from './bots.ts';
export {
  insertBeforeBodyEnd,
  isPreferenceLink,
  openPixel,
  type RewriteOptions,
  rewriteLinks,
  type UtmParameters,
  withUtm,
} from './links.ts';
export { signTrackingToken, type TrackingKind, type TrackingTarget, verifyTrackingToken } from './tokens.ts';
