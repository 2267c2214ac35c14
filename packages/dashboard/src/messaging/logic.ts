import { ApiError } from '../api/client.ts';

/* Pure helpers of the messaging screens: positions in a text, numbers typed in either digit set, statuses. */

/** Character offsets [start, end) of a 1-based line; the last line when `line` is past the end. */
export function lineRange(text: string, line: number): { start: number; end: number } {
  let start = 0;
  for (let at = 1; at < line; at++) {
    const next = text.indexOf('\n', start);
    if (next === -1) break;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return { start, end: end === -1 ? text.length : end };
}

/** Lines in a text (an empty text has one). */
export const lineCount = (text: string) => text.split('\n').length;

/** A fault the server placed in one of the editor's fields, at a 1-based line and column. */
export interface Fault {
  field: string;
  message: string;
  line: number | null;
  column: number | null;
}

/** The field, line and column of an API error, or null when the error is not about a field. */
export function faultOf(error: unknown): Fault | null {
  if (!(error instanceof ApiError) || !error.field) return null;
  return {
    field: error.field,
    message: error.message,
    line: error.position?.line ?? null,
    column: error.position?.column ?? null,
  };
}

/** Arabic-Indic (U+0660…) and Eastern Arabic-Indic (U+06F0…) digits to Western ones. */
const DIGITS: Record<string, string> = {};
for (const zero of [0x0660, 0x06f0]) {
  for (let d = 0; d < 10; d++) DIGITS[String.fromCharCode(zero + d)] = String(d);
}

/**
 * A non-negative decimal typed with Western or Arabic-Indic digits and `.`, `٫` or `,` as
 * the decimal separator ("٠٫٠٥", "0,05", "0.05"); null when it is not one.
 */
export function parseDecimal(input: string): number | null {
  const western = [...input.trim()]
    .map((c) => DIGITS[c] ?? c)
    .join('')
    .replace(/[٫,]/g, '.');
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(western)) return null;
  const value = Number(western);
  return Number.isFinite(value) ? value : null;
}

/** The statuses the message log names; anything newer from the server is shown as it comes. */
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'committed',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'skipped',
  'failed',
  'bounced',
  'complained',
  'unsubscribed',
  'replied',
] as const;
export type KnownStatus = (typeof MESSAGE_STATUSES)[number];

export const isKnownStatus = (status: string): status is KnownStatus =>
  (MESSAGE_STATUSES as readonly string[]).includes(status);

export type Tone = 'neutral' | 'progress' | 'good' | 'bad' | 'warn';

const TONES: Record<KnownStatus, Tone> = {
  queued: 'neutral',
  sending: 'progress',
  committed: 'progress',
  sent: 'progress',
  delivered: 'good',
  opened: 'good',
  clicked: 'good',
  skipped: 'warn',
  failed: 'bad',
  bounced: 'bad',
  complained: 'bad',
  unsubscribed: 'warn',
  replied: 'good',
};

export const statusTone = (status: string): Tone => (isKnownStatus(status) ? TONES[status] : 'neutral');
