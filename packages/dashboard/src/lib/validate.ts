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
