/**
 * The channel a visit came through, as reports group it. Stable lower-case ids;
 * the dashboard translates them.
 *
 * - `search`: organic results of a search engine
 * - `social`: a social network or messenger, unpaid (WhatsApp and Telegram shares too)
 * - `paid`: an ad (cpc, display, paid social), by `utm_medium` or a paid click id
 * - `email`: a campaign email or a webmail client
 * - `messaging`: a tagged SMS / WhatsApp / Telegram campaign message
 * - `push`: a web or app push notification
 * - `referral`: a link on another site (AI assistants and affiliates included)
 * - `direct`: no referrer and no campaign (typed, bookmarked, or the referrer was withheld)
 * - `internal`: a navigation inside the same site; not a new source
 * - `other`: tagged with UTM that names no channel Wasl recognises
 */
export const TRAFFIC_MEDIUMS = [
  'search',
  'social',
  'paid',
  'email',
  'messaging',
  'push',
  'referral',
  'direct',
  'internal',
  'other',
] as const;
export type TrafficMedium = (typeof TRAFFIC_MEDIUMS)[number];
