import { ApiError } from '../api/client.ts';
import type { I18n } from '../i18n/I18nProvider.tsx';

/** A message for any failure: the API's own words where it gave some, ours for transport problems. */
export function errorMessage(error: unknown, t: I18n['t']): string {
  if (!(error instanceof ApiError)) return t('common.unexpectedError');
  if (error.code === 'network') return t('common.networkError');
  if (error.code === 'rate_limited') return t('common.rateLimited');
  return error.message || t('common.unexpectedError');
}

/**
 * Splits an API error into the message next to one of this form's fields (named by
 * `error.field`) or, when the field is not on the form, one message for the whole form.
 */
export function splitApiError(
  error: unknown,
  fields: readonly string[],
  t: I18n['t'],
): { fieldErrors: Record<string, string>; formError: string | null } {
  if (!error) return { fieldErrors: {}, formError: null };
  const message = errorMessage(error, t);
  if (error instanceof ApiError && error.field && fields.includes(error.field)) {
    return { fieldErrors: { [error.field]: message }, formError: null };
  }
  return { fieldErrors: {}, formError: message };
}
