/**
 * How a report leads back to Wasl's message.
 *
 * - Message-ID convention: the Message-ID of a message Wasl sends has the
 *   local part `wasl-<id>`, e.g. `<wasl-01935c7e-3b1a-7c4e-9f2d-8a1b2c3d4e5f@mail.example.com>`,
 *   where `<id>` is Wasl's message id. A DSN or ARF report returns the original
 *   headers, so the id can be read back from them; any other Message-ID (a
 *   relay's or provider's own) gives no id and is only kept in the detail.
 * - Provider custom data: SendGrid custom_args, Mailgun user-variables,
 *   Postmark Metadata and SES message tags carry the id under the key
 *   `wasl_message_id` (SES tag names allow underscores; so do the others).
 */
import { stripAngles } from './mime-parse.ts';

export const WASL_MESSAGE_ID_KEY = 'wasl_message_id';

const WASL_LOCAL_PART = /^wasl-([A-Za-z0-9][A-Za-z0-9_-]*)@[^@\s]+$/;

/** Wasl's message id from a Message-ID value (with or without angle brackets), if it follows the convention. */
export function waslIdFromMessageId(value: string): string | undefined {
  const bare = stripAngles(value);
  return WASL_LOCAL_PART.exec(bare)?.[1];
}
