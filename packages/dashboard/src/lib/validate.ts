import type { TextKey } from '../i18n/catalogue.ts';

export const MIN_PASSWORD_LENGTH = 10;

export type FieldErrors = Partial<Record<string, string>>;

/** Counted in characters (code points), as the server counts them, not UTF-16 units. */
export const passwordLength = (password: string) => [...password].length;

export const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+$/.test(value.trim());

type Check = TextKey | null;

export const required = (value: string): Check => (value.trim() ? null : 'validation.required');
export const email = (value: string): Check =>
  required(value) ?? (looksLikeEmail(value) ? null : 'validation.email');
export const password = (value: string): Check =>
  required(value) ?? (passwordLength(value) >= MIN_PASSWORD_LENGTH ? null : 'validation.passwordLength');

/**
 * What the server accepts as a site's domain (its normaliseDomain): a bare domain, Arabic ones
 * included, or an http(s) link, whose hostname has a dot (or is localhost). The URL parser does
 * the IDNA work in the browser as on the server.
 */
export function looksLikeDomain(value: string): boolean {
  const raw = value.trim();
  if (raw === '' || /\s/.test(raw)) return false;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    const host = url.hostname.toLowerCase().replace(/\.$/, '');
    return host === 'localhost' || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host);
  } catch {
    return false;
  }
}

export const domain = (value: string): Check =>
  required(value) ?? (looksLikeDomain(value) ? null : 'validation.domain');
