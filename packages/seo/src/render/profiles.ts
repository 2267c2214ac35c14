import type { DeviceProfile, NetworkConditions } from './types.ts';

/** A mid-range phone, the size Lighthouse's mobile runs use today. */
export const MOBILE: DeviceProfile = {
  name: 'mobile',
  viewport: { width: 412, height: 823 },
  deviceScaleFactor: 2.625,
  isMobile: true,
  hasTouch: true,
};

export const DESKTOP: DeviceProfile = {
  name: 'desktop',
  viewport: { width: 1350, height: 940 },
  deviceScaleFactor: 1,
  isMobile: false,
  hasTouch: false,
};

/**
 * Lighthouse's mobileSlow4G (150 ms RTT, 1.6 Mbps down, 750 Kbps up) with the
 * adjustments Lighthouse applies for DevTools throttling (RTT × 3.75,
 * throughput × 0.9), because CDP throttles whole requests, not packets.
 */
export const SLOW_4G: NetworkConditions = {
  name: 'slow4g',
  latencyMs: 150 * 3.75,
  downloadKbps: 1.6 * 1024 * 0.9,
  uploadKbps: 750 * 0.9,
};

/** CDP's parameters for Network.emulateNetworkConditions; Kbps → bytes/s as Lighthouse converts. */
export const cdpNetworkConditions = (n: NetworkConditions) => ({
  offline: false,
  latency: n.latencyMs,
  downloadThroughput: (n.downloadKbps * 1024) / 8,
  uploadThroughput: (n.uploadKbps * 1024) / 8,
});
