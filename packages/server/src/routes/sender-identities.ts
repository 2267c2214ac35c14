/**
 * Sender identities over HTTP: the addresses a workspace sends email as, each
 * with a DKIM key made here (the private key is never answered), and a DNS
 * check that says exactly which SPF, DKIM and DMARC records to publish.
 */
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { Email, errors, IsoTime, NoContent, WorkspaceParams } from '../http/schemas.ts';
import { systemResolver, type TxtResolver } from '../services/dns-check.ts';
import {
  checkSender,
  createSender,
  deleteSender,
  getSender,
  listSenders,
  type SenderView,
} from '../services/sender-identities.ts';

export interface SenderRouteOptions {
  /** DNS for the check; the process's resolver by default. */
  resolver?: TxtResolver;
  /** The sending service's SPF include; "a mx" is advised without it. */
  spfInclude?: string;
  /** Where DMARC reports should go; dmarc-reports@<domain> by default. */
  dmarcReportAddress?: string;
}

const tags = ['senders'];
const SenderParams = z.strictObject({ ws: z.string(), senderId: z.string() });

const RecordDto = z
  .object({
    kind: z.enum(['spf', 'dkim', 'dmarc']),
    name: z.string().meta({ description: 'Where the record goes, in punycode' }),
    type: z.literal('TXT'),
    expected: z.string().meta({ description: 'The value to publish' }),
    found: z.array(z.string()),
    ok: z.boolean(),
    message: z.object({ en: z.string(), ar: z.string() }),
  })
  .meta({ id: 'DnsRecordCheck' });

const SenderDto = z
  .object({
    id: z.string(),
    fromAddress: z.string(),
    fromName: z.string().nullable(),
    replyTo: z.string().nullable(),
    domain: z.string().meta({ description: 'As entered; an Arabic domain stays Arabic' }),
    asciiDomain: z.string().meta({ description: 'In punycode, as DNS knows it' }),
    dkim: z.object({
      selector: z.string(),
      algorithm: z.literal('rsa-sha256'),
      publicKey: z.string(),
      recordName: z.string(),
      recordValue: z.string(),
    }),
    dns: z.object({ ok: z.boolean(), records: z.array(RecordDto), checkedAt: IsoTime }).nullable(),
    createdAt: IsoTime,
  })
  .meta({ id: 'SenderIdentity' });

const present = (s: SenderView): z.output<typeof SenderDto> => ({
  ...s,
  dns: s.dns === null ? null : { ...s.dns, checkedAt: iso(s.dns.checkedAt) },
  createdAt: iso(s.createdAt),
});

const CreateBody = z.strictObject({
  fromAddress: Email,
  fromName: z.string().trim().min(1).max(200).optional(),
  replyTo: Email.optional(),
});

export function senderIdentityRoutes(app: App, ctx: ServerContext, options: SenderRouteOptions = {}): void {
  const resolver = options.resolver ?? systemResolver;

  app.get(
    '/api/workspaces/:ws/senders',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Sender identities, with their DKIM records and last DNS check',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ senders: z.array(SenderDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      return { senders: (await listSenders(ctx.db, request.params.ws)).map(present) };
    },
  );

  app.post(
    '/api/workspaces/:ws/senders',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Add a sender address; a DKIM key (RSA 2048) and selector are made for it',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: CreateBody,
        response: { 201: z.object({ sender: SenderDto }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'workspace.update');
      if (!access.ok) return sendProblem(reply, access.error);
      const { fromAddress, fromName, replyTo } = request.body;
      const created = await createSender(ctx.db, {
        workspaceId: ws,
        sender: {
          fromAddress,
          ...(fromName === undefined ? {} : { fromName }),
          ...(replyTo === undefined ? {} : { replyTo }),
        },
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!created.ok) return sendProblem(reply, created.error);
      return reply.code(201).send({ sender: present(created.value) });
    },
  );

  app.get(
    '/api/workspaces/:ws/senders/:senderId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'One sender identity',
        security: SESSION_OR_KEY,
        params: SenderParams,
        response: { 200: z.object({ sender: SenderDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, senderId: id } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const found = await getSender(ctx.db, ws, id);
      if (!found.ok) return sendProblem(reply, found.error);
      return { sender: present(found.value) };
    },
  );

  app.delete(
    '/api/workspaces/:ws/senders/:senderId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Remove a sender identity and its DKIM key',
        security: SESSION_OR_KEY,
        params: SenderParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, senderId: id } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'workspace.update');
      if (!access.ok) return sendProblem(reply, access.error);
      const deleted = await deleteSender(ctx.db, {
        workspaceId: ws,
        id,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!deleted.ok) return sendProblem(reply, deleted.error);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/workspaces/:ws/senders/:senderId/check-dns',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: "Look up the domain's SPF, DKIM and DMARC records, keep the result, and say what to publish",
        security: SESSION_OR_KEY,
        params: SenderParams,
        response: { 200: z.object({ sender: SenderDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, senderId: id } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'workspace.update');
      if (!access.ok) return sendProblem(reply, access.error);
      const checked = await checkSender(ctx.db, resolver, {
        workspaceId: ws,
        id,
        now: ctx.clock(),
        ...(options.spfInclude === undefined ? {} : { spfInclude: options.spfInclude }),
        ...(options.dmarcReportAddress === undefined
          ? {}
          : { dmarcReportAddress: options.dmarcReportAddress }),
      });
      if (!checked.ok) return sendProblem(reply, checked.error);
      return { sender: present(checked.value) };
    },
  );
}
