import type { TrafficMedium } from './traffic-medium.ts';

type TaggedMedium = Exclude<TrafficMedium, 'internal' | 'other'>;

const MEDIUM_BY_VALUE: ReadonlyMap<string, TaggedMedium> = new Map(
  Object.entries({
    paid: [
      'cpc',
      'ppc',
      'cpm',
      'cpv',
      'cpa',
      'cpl',
      'cpi',
      'ppv',
      'sem',
      'ad',
      'ads',
      'display',
      'banner',
      'sponsored',
      'retargeting',
      'remarketing',
    ],
    email: ['email', 'e-mail', 'mail', 'newsletter', 'mailing', 'emailing'],
    social: ['social', 'social-media', 'socialmedia', 'social-network', 'organic-social', 'social-organic'],
    search: ['organic', 'organic-search', 'seo'],
    messaging: ['sms', 'mms', 'rcs', 'text', 'whatsapp', 'telegram', 'messenger', 'messaging'],
    push: ['push', 'web-push', 'webpush', 'push-notification', 'notification', 'notifications'],
    referral: ['referral', 'referrer', 'referer', 'link', 'affiliate', 'affiliates', 'partner', 'partners'],
    direct: ['none', '(none)', 'direct'],
  } satisfies Record<TaggedMedium, string[]>).flatMap(([medium, values]) =>
    values.map((value) => [value, medium as TaggedMedium]),
  ),
);

/**
 * The channel a `utm_medium` value names, or `undefined` when it names none
 * Wasl knows. Case, spaces and underscores do not matter (`Paid_Social` is
 * `paid-social`); anything starting with `paid` is paid, anything starting
 * with `email` is email.
 *
 * @example mediumOfUtm('CPC') // 'paid'
 * @example mediumOfUtm('newsletter') // 'email'
 */
export function mediumOfUtm(value: string | undefined): TaggedMedium | undefined {
  if (value === undefined) return undefined;
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  const known = MEDIUM_BY_VALUE.get(key);
  if (known) return known;
  if (key.startsWith('paid')) return 'paid';
  if (key.startsWith('email') || key.startsWith('e-mail')) return 'email';
  return undefined;
}
