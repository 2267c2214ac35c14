/**
 * Public endpoints where providers report what became of sent messages:
 * `POST /hooks/<workspace id>/<provider>` for SES (through SNS), SendGrid, Mailgun,
 * Postmark, raw DSN/ARF mail (`email/inbound`), Twilio, Vonage and WhatsApp,
 * plus WhatsApp's GET verification handshake. Each request is authenticated
 * the provider's way over the raw body (which is why these routes read bytes,
 * not JSON), parsed with the channel package's parsers, and applied to the
 * workspace's messages (services/message-status.ts).
 *
 * Answers: 200 `{applied, moved, unmatched}` (an unknown message id is not
 * the provider's problem: no retry wanted); 400 malformed (logged); 401 bad
 * signature or credentials; 404 when the provider is not configured for the
 * workspace; 503 when the SNS certificate cannot be fetched (SNS retries).
 */

import type { StatusReport } from '@wasl/channels';
import {
  checkBasicAuth,
  parseArf,
  parseDsn,
  parseMailgunWebhook,
  parsePostmarkWebhook,
  parseSendGridEvents,
  parseSesWebhook,
  parseSnsEnvelope,
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  verifyMailgunSignature,
  verifySendGridSignature,
  verifySnsSignature,
} from '@wasl/channels/email/feedback';
import {
  parseTwilioStatus,
  parseVonageReceipt,
  parseWhatsAppWebhook,
  type VonageSignatureMethod,
  verifyWhatsAppSubscription,
} from '@wasl/channels/http-providers';
import type { Problem, Result } from '@wasl/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { sendProblem } from '../http/errors.ts';
import { applyStatusReports } from '../services/message-status.ts';
import { openServiceWindows } from '../services/messaging/compose-whatsapp.ts';

/** What each provider's webhook is checked with, per workspace. */
export interface ProviderSecretMap {
  /** SNS topics whose notifications this workspace accepts (the signature proves only that AWS sent it). */
  ses: { topicArns: readonly string[] };
  /** SendGrid's Signed Event Webhook verification key, base64 DER. */
  sendgrid: { publicKey: string };
  mailgun: { signingKey: string };
  /** The Basic credentials put in the webhook URL configured at Postmark. */
  postmark: { user: string; password: string };
  /** Basic credentials of whatever posts raw DSN/ARF mail (an MTA pipe, an inbound-mail service). */
  inbound: { user: string; password: string };
  twilio: { authToken: string };
  vonage: { signatureSecret: string; signatureMethod?: VonageSignatureMethod };
  whatsapp: { appSecret: string; verifyToken: string };
}
export type WebhookProvider = keyof ProviderSecretMap;

export interface ProviderSecrets {
  /** The workspace's secrets for a provider; undefined when it has none (the endpoint answers 404). */
  get<P extends WebhookProvider>(workspaceId: string, provider: P): ProviderSecretMap[P] | undefined;
}

export interface ProviderWebhookOptions {
  /** Fetches an SNS signing certificate (PEM); defaults to an HTTPS GET, cached. */
  getSnsCertificate?: (url: string) => Promise<string>;
  /** Confirms an SNS subscription by visiting its SubscribeURL; defaults to an HTTPS GET. */
  confirmSnsSubscription?: (url: string) => Promise<void>;
}

/**
 * Secrets from environment variables, the same for every workspace, until
 * there is a table for them: WASL_SES_TOPIC_ARNS (comma-separated),
 * WASL_SENDGRID_WEBHOOK_PUBLIC_KEY, WASL_MAILGUN_WEBHOOK_SIGNING_KEY,
 * WASL_POSTMARK_WEBHOOK_USER + WASL_POSTMARK_WEBHOOK_PASSWORD,
 * WASL_INBOUND_WEBHOOK_USER + WASL_INBOUND_WEBHOOK_PASSWORD,
 * WASL_TWILIO_AUTH_TOKEN, WASL_VONAGE_SIGNATURE_SECRET (+
 * WASL_VONAGE_SIGNATURE_METHOD, default md5hash), WASL_WHATSAPP_APP_SECRET +
 * WASL_WHATSAPP_VERIFY_TOKEN. A provider whose variables are unset answers 404.
 */
export function envProviderSecrets(env: Record<string, string | undefined>): ProviderSecrets {
  const value = (key: string): string | undefined => {
    const v = env[key]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  /** The provider's secrets when every named variable is set. */
  const when = <T>(keys: string[], make: (values: string[]) => T): T | undefined => {
    const values = keys.map(value);
    return values.every((v) => v !== undefined) ? make(values as string[]) : undefined;
  };
  const all: { [P in WebhookProvider]: ProviderSecretMap[P] | undefined } = {
    ses: when(['WASL_SES_TOPIC_ARNS'], ([arns = '']) => ({
      topicArns: arns
        .split(',')
        .map((arn) => arn.trim())
        .filter((arn) => arn !== ''),
    })),
    sendgrid: when(['WASL_SENDGRID_WEBHOOK_PUBLIC_KEY'], ([publicKey = '']) => ({ publicKey })),
    mailgun: when(['WASL_MAILGUN_WEBHOOK_SIGNING_KEY'], ([signingKey = '']) => ({ signingKey })),
    postmark: when(
      ['WASL_POSTMARK_WEBHOOK_USER', 'WASL_POSTMARK_WEBHOOK_PASSWORD'],
      ([user = '', password = '']) => ({
        user,
        password,
      }),
    ),
    inbound: when(
      ['WASL_INBOUND_WEBHOOK_USER', 'WASL_INBOUND_WEBHOOK_PASSWORD'],
      ([user = '', password = '']) => ({
        user,
        password,
      }),
    ),
    twilio: when(['WASL_TWILIO_AUTH_TOKEN'], ([authToken = '']) => ({ authToken })),
    vonage: when(['WASL_VONAGE_SIGNATURE_SECRET'], ([signatureSecret = '']) => ({
      signatureSecret,
      signatureMethod: (value('WASL_VONAGE_SIGNATURE_METHOD') ?? 'md5hash') as VonageSignatureMethod,
    })),
    whatsapp: when(
      ['WASL_WHATSAPP_APP_SECRET', 'WASL_WHATSAPP_VERIFY_TOKEN'],
      ([appSecret = '', verifyToken = '']) => ({
        appSecret,
        verifyToken,
      }),
    ),
  };
  return { get: (_workspaceId, provider) => all[provider] };
}

/**
 * The workspace is named `workspaceId`, not `ws`: these endpoints are
 * authenticated by the provider's signature, not a session or API key.
 */
const WsParams = z.strictObject({ workspaceId: z.string().min(1).max(64) });
const Applied = z
  .object({
    applied: z.number().int().describe('Reports that matched a message of the workspace'),
    moved: z.number().int().describe('Of those, how many moved the message status'),
    unmatched: z.number().int().describe('Reports naming no message of the workspace'),
  })
  .meta({ id: 'WebhookApplied' });

type Raw = FastifyRequest & { params: { workspaceId: string } };
type Handler = (request: Raw, body: Buffer) => Promise<Result<StatusReport[]> | Problem>;

export function providerWebhookRoutes(
  app: App,
  ctx: Pick<ServerContext, 'db' | 'events' | 'clock' | 'config'>,
  secrets: ProviderSecrets,
  options: ProviderWebhookOptions = {},
): void {
  const getCertificate = options.getSnsCertificate ?? cachedCertificateFetch();
  const confirm = options.confirmSnsSubscription ?? visit;
  const now = () => ctx.clock();
  const missing = (provider: WebhookProvider): Problem => ({
    code: 'not_found',
    message: `no ${provider} webhook is configured for this workspace`,
  });

  const routes: Array<[string, WebhookProvider, string, Handler]> = [
    [
      'email/ses',
      'ses',
      'email',
      async (request, body) => {
        const s = secrets.get(request.params.workspaceId, 'ses');
        if (!s) return missing('ses');
        const envelope = parseSnsEnvelope(body.toString('utf8'));
        if (!envelope.ok) return envelope;
        if (!s.topicArns.includes(envelope.value.topicArn)) {
          return {
            code: 'unauthorized',
            message: `TopicArn ${envelope.value.topicArn} is not configured for this workspace`,
            field: 'TopicArn',
          };
        }
        // The certificate's validity is checked against the real time, not the server's (test) clock.
        const verified = await verifySnsSignature(envelope.value, { getCertificate, now: Date.now });
        if (!verified.ok) return verified;
        if (envelope.value.type === 'SubscriptionConfirmation' && envelope.value.subscribeUrl) {
          try {
            await confirm(envelope.value.subscribeUrl);
          } catch (error) {
            // 503: SNS sends the confirmation again later.
            return {
              code: 'unavailable',
              message: `could not confirm the SNS subscription: ${(error as Error).message}`,
              field: 'SubscribeURL',
            };
          }
          request.log.info({ topicArn: envelope.value.topicArn }, 'confirmed an SNS subscription');
        }
        return parseSesWebhook({ body: body.toString('utf8'), receivedAt: now() });
      },
    ],
    [
      'email/sendgrid',
      'sendgrid',
      'email',
      async (request, body) => {
        const s = secrets.get(request.params.workspaceId, 'sendgrid');
        if (!s) return missing('sendgrid');
        const verified = verifySendGridSignature(
          {
            body,
            signature: header(request, SENDGRID_SIGNATURE_HEADER),
            timestamp: header(request, SENDGRID_TIMESTAMP_HEADER),
          },
          { publicKey: s.publicKey, now },
        );
        if (!verified.ok) return verified;
        return parseSendGridEvents({ body: body.toString('utf8'), receivedAt: now() });
      },
    ],
    [
      'email/mailgun',
      'mailgun',
      'email',
      async (request, body) => {
        const s = secrets.get(request.params.workspaceId, 'mailgun');
        if (!s) return missing('mailgun');
        const text = body.toString('utf8');
        const verified = verifyMailgunSignature(text, { signingKey: s.signingKey, now });
        if (!verified.ok) return verified;
        return parseMailgunWebhook({ body: text, receivedAt: now() });
      },
    ],
    [
      'email/postmark',
      'postmark',
      'email',
      async (request, body) => {
        const s = secrets.get(request.params.workspaceId, 'postmark');
        if (!s) return missing('postmark');
        const verified = checkBasicAuth(request.headers.authorization, s.user, s.password);
        if (!verified.ok) return verified;
        return parsePostmarkWebhook({ body: body.toString('utf8'), receivedAt: now() });
      },
    ],
    [
      'email/inbound',
      'inbound',
      'email',
      async (request, body) => {
        const s = secrets.get(request.params.workspaceId, 'inbound');
        if (!s) return missing('inbound');
        const verified = checkBasicAuth(request.headers.authorization, s.user, s.password);
        if (!verified.ok) return verified;
        const input = { raw: new Uint8Array(body), receivedAt: now() };
        return isFeedbackReport(body) ? parseArf(input) : parseDsn(input);
      },
    ],
    [
      'sms/twilio',
      'twilio',
      'sms',
      async (request, body) => {
        const s = secrets.get(request.params.workspaceId, 'twilio');
        if (!s) return missing('twilio');
        const url = `${ctx.config.publicUrl.replace(/\/+$/, '')}${request.url}`;
        const params = formFields(body);
        return parseTwilioStatus(url, params, header(request, 'x-twilio-signature'), s.authToken, now());
      },
    ],
    [
      'sms/vonage',
      'vonage',
      'sms',
      async (request, body) => {
        const s = secrets.get(request.params.workspaceId, 'vonage');
        if (!s) return missing('vonage');
        const params = vonageFields(request, body);
        if (!params.ok) return params;
        return parseVonageReceipt(params.value, {
          signatureSecret: s.signatureSecret,
          ...(s.signatureMethod === undefined ? {} : { signatureMethod: s.signatureMethod }),
          now: now(),
        });
      },
    ],
    [
      'whatsapp',
      'whatsapp',
      'whatsapp',
      async (request, body) => {
        const s = secrets.get(request.params.workspaceId, 'whatsapp');
        if (!s) return missing('whatsapp');
        const parsed = parseWhatsAppWebhook(body, header(request, 'x-hub-signature-256'), s.appSecret);
        // An inbound message opens the sender's 24-hour window for free-form replies.
        if (parsed.ok) await openServiceWindows(ctx.db, request.params.workspaceId, parsed.value, now());
        return parsed;
      },
    ],
  ];

  app.register(async (plain) => {
    // Signatures are over the bytes as sent: every content type is read raw, in this scope only.
    plain.removeAllContentTypeParsers();
    plain.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const scope = plain.withTypeProvider<ZodTypeProvider>();

    for (const [path, provider, channel, handle] of routes) {
      scope.post(
        `/hooks/:workspaceId/${path}`,
        {
          schema: {
            tags: ['webhooks'],
            summary: `Delivery reports from ${provider} (raw body, authenticated the provider's way)`,
            params: WsParams,
            response: { 200: Applied },
          },
        },
        async (request, reply) => {
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const outcome = await handle(request, body);
          const parsed = 'code' in outcome ? { ok: false as const, error: outcome } : outcome;
          if (!parsed.ok) return refuse(request, reply, provider, parsed.error);
          const applied = await applyStatusReports(
            ctx.db,
            ctx.events,
            request.params.workspaceId,
            parsed.value,
            {
              now: now(),
              channel,
              provider,
            },
          );
          return reply.code(200).send(applied);
        },
      );
    }

    scope.get(
      '/hooks/:workspaceId/whatsapp',
      {
        schema: {
          tags: ['webhooks'],
          summary: "WhatsApp's webhook verification handshake: answers hub.challenge",
          params: WsParams,
          querystring: z.record(z.string(), z.string()),
        },
      },
      async (request, reply) => {
        const s = secrets.get(request.params.workspaceId, 'whatsapp');
        if (!s) return sendProblem(reply, missing('whatsapp'));
        const answer = verifyWhatsAppSubscription(request.query, s.verifyToken);
        if (!answer.ok) return refuse(request, reply, 'whatsapp', answer.error);
        return reply.code(200).type('text/plain; charset=utf-8').send(answer.value);
      },
    );
  });
}

function refuse(request: FastifyRequest, reply: FastifyReply, provider: string, problem: Problem) {
  const level = problem.code === 'invalid' ? 'warn' : 'info';
  request.log[level]({ provider, problem }, `refused a ${provider} webhook`);
  return sendProblem(reply, problem);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A form body (application/x-www-form-urlencoded) as a flat record; a repeated field keeps its last value. */
function formFields(body: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
}

/** Vonage posts JSON or a form, depending on the account's setting. */
function vonageFields(request: FastifyRequest, body: Buffer): Result<Record<string, string>> {
  const type = request.headers['content-type'] ?? '';
  if (!type.includes('json')) return { ok: true, value: formFields(body) };
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      error: { code: 'invalid', message: `the body is not JSON: ${(error as Error).message}`, field: 'body' },
    };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return {
      ok: false,
      error: { code: 'invalid', message: 'the body must be a JSON object', field: 'body' },
    };
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(json)) {
    if (value !== null && value !== undefined) fields[key] = String(value);
  }
  return { ok: true, value: fields };
}

/** True when the message's own header block says report-type=feedback-report (an ARF complaint). */
function isFeedbackReport(body: Buffer): boolean {
  const text = body.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end === -1 ? text : text.slice(0, end);
  return /report-type\s*=\s*"?feedback-report/i.test(head.replace(/\r?\n[ \t]+/g, ' '));
}

/** An HTTPS GET of an SNS certificate, kept per URL (AWS rotates them rarely). */
function cachedCertificateFetch(): (url: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (url) => {
    let pending = cache.get(url);
    if (!pending) {
      pending = fetch(url, { signal: AbortSignal.timeout(10_000) }).then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return res.text();
      });
      pending.catch(() => cache.delete(url));
      cache.set(url, pending);
    }
    return pending;
  };
}

async function visit(url: string): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`confirming the SNS subscription answered HTTP ${res.status}`);
}
