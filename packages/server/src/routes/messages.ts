/**
 * Messages: send one email, SMS or WhatsApp message to a contact, read
 * the message log (statuses, in-doubt sends, skip reasons, the provider's
 * answer), hold delivery back and let it go again, ask a contact to
 * confirm their subscription (double opt-in) and the public page the
 * confirmation link opens.
 */
import type { MessageRow } from '@wasl/store';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { escapeHtml, html, page } from '../http/public-page.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import { consentEvent } from '../services/consent.ts';
import { MessageContent } from '../services/messaging/content.ts';
import {
  confirmDoubleOptIn,
  readConfirmationToken,
  requestDoubleOptIn,
} from '../services/messaging/double-opt-in.ts';
import {
  getMessage,
  listMessages,
  pause,
  resume,
  sendMessage,
  waitingReason,
} from '../services/messaging/messages.ts';

const tags = ['messages'];
const STATUSES = ['queued', 'sending', 'committed', 'sent', 'skipped', 'failed', 'bounced'] as const;
const MessageParams = z.strictObject({ ws: z.string(), messageId: z.string() });
const ContactParams = z.strictObject({ ws: z.string(), contactId: z.string() });
const NOT_FOUND = { code: 'not_found' as const, message: 'message not found' };

const MessageDto = z
  .object({
    id: z.string(),
    contactId: z.string().nullable(),
    channel: z.string(),
    sourceKind: z.string(),
    sourceId: z.string().nullable(),
    marketing: z.boolean(),
    status: z.string().meta({ description: `${STATUSES.join(', ')}; later receipts move it on` }),
    waiting: z
      .string()
      .nullable()
      .meta({ description: 'Why a queued message is not moving (no provider configured, quiet hours, …)' }),
    inDoubt: z.boolean().meta({ description: 'Handed over, then no answer: never sent again' }),
    skipReason: z.string().nullable(),
    attempts: z.number().int(),
    nextAttemptAt: IsoTime,
    provider: z.string().nullable(),
    providerMessageId: z.string().nullable(),
    response: z.string().nullable().meta({ description: "The provider's last answer" }),
    lastError: z.string().nullable(),
    createdAt: IsoTime,
    sentAt: IsoTime.nullable(),
  })
  .meta({ id: 'Message' });

const SendBody = z
  .strictObject({
    contactId: z.string().min(1).max(64),
    channel: z.enum(['email', 'sms', 'whatsapp', 'webpush']).default('email').meta({
      description:
        "Email goes to the contact's email, SMS and WhatsApp to its phone (E.164). WhatsApp: whatsappTemplate (an approved template) at any time; text, media or a whatsapp templateId only within 24 hours of the contact's last WhatsApp message, else skipped outside_service_window. Web push goes to the contact's newest browser subscription: content { title, body, url?, icon? } or a webpush templateId (with url and icon); skipped no_address without a subscription, payload_too_large over 3993 bytes",
    }),
    marketing: z.boolean().meta({
      description:
        'Marketing messages need consent (email ones carry one-click unsubscribe); transactional do not, except on WhatsApp, where every message needs it',
    }),
    content: MessageContent,
    sendAt: IsoTime.optional(),
  })
  .meta({ id: 'SendMessage' });

const PauseBody = z.strictObject({
  sourceId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'A campaign or journey of this workspace; the whole workspace when absent' }),
  reason: z.string().min(1).max(500).default('paused by a person'),
});
const PauseDto = z.object({ scope: z.string(), paused: z.boolean() }).meta({ id: 'DeliveryPause' });

export function messageRoutes(app: App, ctx: ServerContext): void {
  const present = (m: MessageRow): z.output<typeof MessageDto> => ({
    id: m.id,
    contactId: m.contact_id,
    channel: m.channel,
    sourceKind: m.source_kind,
    sourceId: m.source_id,
    marketing: m.marketing === 1,
    status: m.status,
    waiting: waitingReason(m, ctx.messaging.channels),
    inDoubt: m.in_doubt === 1,
    skipReason: m.skip_reason,
    attempts: m.attempts,
    nextAttemptAt: iso(m.next_attempt_at),
    provider: m.provider,
    providerMessageId: m.provider_message_id,
    response: m.response,
    lastError: m.last_error,
    createdAt: iso(m.created_at),
    sentAt: m.sent_at === null ? null : iso(m.sent_at),
  });

  app.post(
    '/api/workspaces/:ws/messages',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary:
          'Send one email, SMS, WhatsApp or web push message to a contact (queued; the delivery engine sends it)',
        description:
          'Idempotent on the Idempotency-Key header: the same key gives back the message queued first.',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        body: SendBody,
        response: { 202: z.object({ message: MessageDto }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const { contactId, channel, marketing, content, sendAt } = request.body;
      const key = request.headers['idempotency-key'];
      const sent = await sendMessage(ctx.db, ctx.messaging, {
        workspaceId: ws,
        channel,
        contactId,
        marketing,
        content,
        ...(key ? { idempotencyKey: `api:${key}` } : {}),
        ...(sendAt ? { sendAt: Date.parse(sendAt) } : {}),
        now: ctx.clock(),
      });
      if (!sent.ok) return sendProblem(reply, sent.error);
      return reply.code(202).send({ message: present(sent.value) });
    },
  );

  app.get(
    '/api/workspaces/:ws/messages',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'The message log, newest first',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        querystring: z.strictObject({
          contactId: z.string().max(64).optional(),
          status: z.enum(STATUSES).optional(),
          limit: PageLimit,
          before: z.string().max(64).optional().meta({ description: 'The `next` of the previous page' }),
        }),
        response: {
          200: z.object({ messages: z.array(MessageDto), next: z.string().nullable() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const { messages, next } = await listMessages(ctx.db, { workspaceId: ws, ...request.query });
      return { messages: messages.map(present), next };
    },
  );

  app.get(
    '/api/workspaces/:ws/messages/:messageId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'One message and its delivery state',
        security: SESSION_OR_KEY,
        params: MessageParams,
        response: { 200: z.object({ message: MessageDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, messageId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const message = await getMessage(ctx.db, ws, messageId);
      if (!message) return sendProblem(reply, NOT_FOUND);
      return { message: present(message) };
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    app.post(
      `/api/workspaces/:ws/delivery/${action}`,
      {
        config: { auth: 'principal' },
        schema: {
          tags,
          summary:
            action === 'pause'
              ? 'Hold sending back for the workspace or one of its sources'
              : 'Let held-back sending go again',
          security: SESSION_OR_KEY,
          params: WorkspaceParams,
          body: PauseBody,
          response: { 200: PauseDto, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { ws } = request.params;
        const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'workspace.update');
        if (!access.ok) return sendProblem(reply, access.error);
        const { sourceId, reason } = request.body;
        const target = { workspaceId: ws, ...(sourceId ? { sourceId } : {}) };
        if (action === 'pause') {
          const paused = await pause(ctx.db, { ...target, reason, now: ctx.clock() });
          if (!paused.ok) return sendProblem(reply, paused.error);
          return { scope: paused.value, paused: true };
        }
        const resumed = await resume(ctx.db, target);
        if (!resumed.ok) return sendProblem(reply, resumed.error);
        return { scope: resumed.value.scope, paused: false };
      },
    );
  }

  app.post(
    '/api/workspaces/:ws/contacts/:contactId/double-opt-in',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Ask a contact to confirm email by a link (consent pending until they do)',
        security: SESSION_OR_KEY,
        params: ContactParams,
        body: z.strictObject({ proof: z.record(z.string(), z.unknown()).optional() }).default({}),
        response: {
          202: z.object({ messageId: z.string(), status: z.literal('pending') }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { ws, contactId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const asked = await requestDoubleOptIn(ctx.db, {
        workspaceId: ws,
        contactId,
        proof: { ...request.body.proof, ip: request.ip },
        secret: ctx.secret,
        publicUrl: ctx.config.publicUrl,
        now: ctx.clock(),
      });
      if (!asked.ok) return sendProblem(reply, asked.error);
      await ctx.messaging.enqueue([asked.value.message]);
      ctx.audience.contactsChanged(ws, [contactId]);
      await ctx.events
        ?.append([consentEvent(ws, asked.value.consent)])
        .catch((error: unknown) => request.log.error({ err: error }, 'recording the consent change failed'));
      return reply.code(202).send({ messageId: asked.value.message.id, status: 'pending' as const });
    },
  );

  app.get(
    '/confirm/:token',
    {
      schema: {
        tags,
        summary: 'Confirms a subscription from the link in the confirmation email (HTML)',
        params: z.strictObject({ token: z.string().max(400) }),
      },
    },
    async (request, reply) => {
      const now = ctx.clock();
      const who = readConfirmationToken(ctx.secret, request.params.token, now);
      if (!who.ok) {
        const [status, ar, en] =
          who.error === 'expired'
            ? [
                410,
                'انتهت صلاحية رابط التأكيد. اطلب رسالة تأكيد جديدة.',
                'This confirmation link has expired. Ask for a new one.',
              ]
            : [400, 'رابط التأكيد هذا غير صالح.', 'This confirmation link is not valid.'];
        return html(
          reply,
          status,
          page('ar', 'تأكيد الاشتراك', `<p role="alert">${ar}</p><p lang="en" dir="ltr">${en}</p>`),
        );
      }
      const confirmed = await confirmDoubleOptIn(ctx.db, {
        ...who.value,
        ip: request.ip,
        userAgent: String(request.headers['user-agent'] ?? ''),
        now,
      });
      if (!confirmed.ok) {
        const status = confirmed.error.code === 'not_found' ? 404 : 410;
        return html(
          reply,
          status,
          page(
            'ar',
            'تأكيد الاشتراك',
            '<p role="alert">لم يعد هذا الرابط صالحًا.</p><p lang="en" dir="ltr">This link no longer works.</p>',
          ),
        );
      }
      const { locale, workspaceName, consent } = confirmed.value;
      ctx.audience.contactsChanged(who.value.workspaceId, [who.value.contactId]);
      await ctx.events
        ?.append([consentEvent(who.value.workspaceId, consent)])
        .catch((error: unknown) => request.log.error({ err: error }, 'recording the consent change failed'));
      const [title, text] =
        locale === 'ar'
          ? ['تم تأكيد الاشتراك', `شكرًا لك. أكّدت اشتراكك في رسائل ${workspaceName}.`]
          : ['Subscription confirmed', `Thank you. You are subscribed to email from ${workspaceName}.`];
      return html(
        reply,
        200,
        page(locale, title, `<h1>${title}</h1><p class="note" role="status">${escapeHtml(text)}</p>`),
      );
    },
  );
}
