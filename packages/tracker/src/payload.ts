/**
 * What the tracker POSTs to `/api/collect`: one JSON object per request, sent
 * as `text/plain` so browsers skip the CORS preflight. The server validates it
 * (zod) before anything else; this type is the contract both sides share.
 *
 * UTM parameters and ad click ids are not copied into separate fields: they
 * stay in `url`'s query string, where the server reads them (one source of
 * truth, fewer bytes in the script).
 */
export interface PayloadBase {
  /** The `data-site` key of the tracked site. */
  site: string;
  /** The page, `location.href` without the `#fragment` unless the site tracks hash routes. */
  url: string;
  /** Where the visitor came from: `document.referrer` on landing, the previous in-app URL after SPA navigation. */
  referrer: string;
  /** `navigator.language`, e.g. `ar-SA`. */
  lang: string;
  /** `screen.width` × `screen.height` in CSS pixels, e.g. `1366x768`. */
  screen: string;
  /** `navigator.webdriver`: true in automated browsers, a bot signal. */
  webdriver: boolean;
  /** The browser's clock, ms since the epoch; the server clamps or rejects skewed values. */
  ts: number;
  /** Consent mode only: the random first-party id kept in `localStorage.wasl_uid`. */
  uid?: string;
}

/** Property values a custom event may carry. */
export type PropValue = string | number | boolean | null;

/** A person the site knows, sent by `wasl('identify', …)` in consent mode only. */
export interface Identity {
  email?: string;
  contactId?: string;
}

export interface PageviewDetail {
  type: 'pageview';
  title?: string;
}

/** Custom events, plus the tracker's own `outbound` and `download` (props: `{ url }`). */
export interface EventDetail {
  type: 'event';
  name: string;
  props?: Record<string, PropValue>;
}

/**
 * Visible time on `url` since the previous engagement payload for the same
 * page view (sent when the page is hidden, left, or navigated away from in an
 * SPA). Time on page is the sum of these.
 */
export interface EngagementDetail {
  type: 'engagement';
  engagedMs: number;
}

export interface IdentifyDetail {
  type: 'identify';
  props: Identity;
}

export type PayloadDetail = PageviewDetail | EventDetail | EngagementDetail | IdentifyDetail;

export type Payload = PayloadBase & PayloadDetail;

export type PayloadType = Payload['type'];
