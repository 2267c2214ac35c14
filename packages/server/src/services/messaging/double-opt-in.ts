/**
 * Double opt-in: a person who asked for email (consent `pending`, source
 * `double_opt_in`) gets a confirmation email, in Arabic or English by their
 * locale, with a signed link that expires after 7 days; following it grants
 * consent with its proof (time, IP, user agent).
 */
import { err, newId, ok, problem, type Result } from '@wasl/core';
import type { Consent, Database } from '@wasl/store';
import type { NewMessage } from '@wasl/worker';
import type { Kysely } from 'kysely';
import { escapeHtml } from '../../http/public-page.ts';
import { setConsent } from '../consent.ts';
import { hmacBase64Url, sameSecret } from '../crypto.ts';
import type { InlineContent } from './content.ts';

export const CONFIRMATION_TTL_MS = 7 * 86_400_000;
export const DOUBLE_OPT_IN = 'double_opt_in';

const sign = (secret: string, payload: string) => hmacBase64Url(secret, `confirm:${payload}`).slice(0, 32);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const dashed = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/**
 * A link token naming the workspace, the contact and the expiry, signed with
 * the instance secret. Two UUIDs and the expiry travel as 36 bytes, so the
 * token stays short enough for a URL path segment; other ids as text.
 */
export function confirmationToken(
  secret: string,
  workspaceId: string,
  contactId: string,
  expiresAt: number,
): string {
  const seconds = Math.floor(expiresAt / 1000);
  let payload: string;
  if (UUID.test(workspaceId) && UUID.test(contactId)) {
    const expiry = Buffer.alloc(4);
    expiry.writeUInt32BE(seconds);
    payload = Buffer.concat([
      Buffer.from(`${workspaceId}${contactId}`.replaceAll('-', ''), 'hex'),
      expiry,
    ]).toString('base64url');
  } else payload = `~${Buffer.from(`${workspaceId}.${contactId}.${seconds}`).toString('base64url')}`;
  return `${payload}.${sign(secret, payload)}`;
}

function unpack(payload: string): { workspaceId: string; contactId: string; seconds: number } | undefined {
  if (payload.startsWith('~')) {
    const [workspaceId, contactId, seconds] = Buffer.from(payload.slice(1), 'base64url')
      .toString('utf8')
      .split('.');
    if (!workspaceId || !contactId || !seconds || !/^\d+$/.test(seconds)) return undefined;
    return { workspaceId, contactId, seconds: Number(seconds) };
  }
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.length !== 36) return undefined;
  const hex = bytes.subarray(0, 32).toString('hex');
  return {
    workspaceId: dashed(hex.slice(0, 32)),
    contactId: dashed(hex.slice(32)),
    seconds: bytes.readUInt32BE(32),
  };
}

export type TokenFault = 'forged' | 'expired';

export function readConfirmationToken(
  secret: string,
  token: string,
  now: number,
): Result<{ workspaceId: string; contactId: string }, TokenFault> {
  const dot = token.lastIndexOf('.');
  if (dot < 1) return err('forged');
  const payload = token.slice(0, dot);
  if (!sameSecret(token.slice(dot + 1), sign(secret, payload))) return err('forged');
  const ids = unpack(payload);
  if (!ids) return err('forged');
  if (ids.seconds * 1000 <= now) return err('expired');
  return ok({ workspaceId: ids.workspaceId, contactId: ids.contactId });
}

export type Locale = 'ar' | 'en';
export const localeOf = (contactLocale: string | null, workspaceLocale: string): Locale =>
  (contactLocale ?? workspaceLocale).toLowerCase().startsWith('en') ? 'en' : 'ar';

const EMAIL = {
  ar: {
    subject: (ws: string) => `أكّد اشتراكك في رسائل ${ws}`,
    hello: (name: string | null) => (name ? `مرحبًا ${name}،` : 'مرحبًا،'),
    body: (ws: string) => `طلبت الاشتراك في رسائل ${ws} عبر البريد الإلكتروني. أكّد اشتراكك بفتح هذا الرابط:`,
    button: 'تأكيد الاشتراك',
    ignore: 'إن لم تطلب ذلك فتجاهل هذه الرسالة ولن يصلك شيء. ينتهي الرابط بعد ٧ أيام.',
  },
  en: {
    subject: (ws: string) => `Confirm your subscription to ${ws}`,
    hello: (name: string | null) => (name ? `Hello ${name},` : 'Hello,'),
    body: (ws: string) =>
      `You asked to receive email from ${ws}. Confirm your subscription by opening this link:`,
    button: 'Confirm subscription',
    ignore:
      'If you did not ask for this, ignore this message and nothing will be sent. The link expires in 7 days.',
  },
} as const;

/** The confirmation email itself, right to left in Arabic. */
export function confirmationEmail(
  locale: Locale,
  workspaceName: string,
  firstName: string | null,
  url: string,
): InlineContent {
  const t = EMAIL[locale];
  const dir = locale === 'ar' ? 'rtl' : 'ltr';
  const html = `<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"></head><body dir="${dir}" style="font-family:system-ui,'Noto Sans Arabic',sans-serif">
<p>${escapeHtml(t.hello(firstName))}</p>
<p>${escapeHtml(t.body(workspaceName))}</p>
<p><a href="${escapeHtml(url)}">${t.button}</a></p>
<p><bdi dir="ltr">${escapeHtml(url)}</bdi></p>
<p>${t.ignore}</p>
</body></html>`;
  const text = `${t.hello(firstName)}\n\n${t.body(workspaceName)}\n${url}\n\n${t.ignore}\n`;
  return { subject: t.subject(workspaceName), html, text };
}

/**
 * Records the request (consent `pending`, source double_opt_in, with its
 * proof) and the confirmation email to send. Returns the consent and the
 * message, which the caller enqueues.
 */
export async function requestDoubleOptIn(
  db: Kysely<Database>,
  input: {
    workspaceId: string;
    contactId: string;
    proof: Record<string, unknown>;
    secret: string;
    publicUrl: string;
    now: number;
  },
): Promise<Result<{ consent: Consent; message: NewMessage }>> {
  const contact = await db
    .selectFrom('contacts')
    .innerJoin('workspaces', 'workspaces.id', 'contacts.workspace_id')
    .select([
      'contacts.email',
      'contacts.first_name',
      'contacts.locale',
      'workspaces.name',
      'workspaces.locale as ws_locale',
    ])
    .where('contacts.workspace_id', '=', input.workspaceId)
    .where('contacts.id', '=', input.contactId)
    .executeTakeFirst();
  if (!contact) return err(problem('not_found', 'contact not found'));
  if (!contact.email) return err(problem('invalid', 'the contact has no email address to confirm', 'email'));
  const current = await db
    .selectFrom('consents')
    .select('status')
    .where('contact_id', '=', input.contactId)
    .where('channel', '=', 'email')
    .where('topic_id', '=', '')
    .executeTakeFirst();
  if (current?.status === 'granted')
    return err(problem('conflict', 'the contact has confirmed email already'));
  const consent = await setConsent(db, {
    workspaceId: input.workspaceId,
    contactId: input.contactId,
    channel: 'email',
    status: 'pending',
    source: DOUBLE_OPT_IN,
    proof: { ...input.proof, requestedAt: new Date(input.now).toISOString() },
    now: input.now,
  });
  if (!consent.ok) return consent;
  const token = confirmationToken(
    input.secret,
    input.workspaceId,
    input.contactId,
    input.now + CONFIRMATION_TTL_MS,
  );
  const locale = localeOf(contact.locale, contact.ws_locale);
  const id = newId(input.now);
  return ok({
    consent: consent.value,
    message: {
      id,
      workspaceId: input.workspaceId,
      idempotencyKey: `double_opt_in:${input.contactId}:${input.now}`,
      channel: 'email',
      contactId: input.contactId,
      address: contact.email,
      sourceKind: 'system',
      sourceId: null,
      marketing: false,
      content: confirmationEmail(
        locale,
        contact.name,
        contact.first_name,
        `${input.publicUrl}/confirm/${token}`,
      ),
      sendAt: input.now,
    },
  });
}

/**
 * Grants email consent for a confirmed link, with the proof of the click.
 * A link for a contact who since refused (unsubscribed, denied) no longer works.
 */
export async function confirmDoubleOptIn(
  db: Kysely<Database>,
  input: { workspaceId: string; contactId: string; ip: string; userAgent: string; now: number },
): Promise<Result<{ consent: Consent; locale: Locale; workspaceName: string }>> {
  const contact = await db
    .selectFrom('contacts')
    .innerJoin('workspaces', 'workspaces.id', 'contacts.workspace_id')
    .select(['contacts.locale', 'workspaces.name', 'workspaces.locale as ws_locale'])
    .where('contacts.workspace_id', '=', input.workspaceId)
    .where('contacts.id', '=', input.contactId)
    .executeTakeFirst();
  if (!contact) return err(problem('not_found', 'contact not found'));
  const current = await db
    .selectFrom('consents')
    .select('status')
    .where('contact_id', '=', input.contactId)
    .where('channel', '=', 'email')
    .where('topic_id', '=', '')
    .executeTakeFirst();
  if (current?.status !== 'pending' && current?.status !== 'granted')
    return err(problem('conflict', 'this confirmation was withdrawn'));
  const consent = await setConsent(db, {
    workspaceId: input.workspaceId,
    contactId: input.contactId,
    channel: 'email',
    status: 'granted',
    source: DOUBLE_OPT_IN,
    proof: { confirmedAt: new Date(input.now).toISOString(), ip: input.ip, userAgent: input.userAgent },
    now: input.now,
  });
  if (!consent.ok) return consent;
  return ok({
    consent: consent.value,
    locale: localeOf(contact.locale, contact.ws_locale),
    workspaceName: contact.name,
  });
}
