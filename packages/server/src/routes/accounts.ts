import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, Name, NoContent, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import {
  type AccountHooks,
  type AccountView,
  createAccount,
  deleteAccount,
  getAccount,
  listAccounts,
  MAX_ACCOUNT_CONTACTS,
  setAccountContacts,
  updateAccount,
} from '../services/accounts.ts';
import type { AudienceHooks } from '../services/identify-events.ts';

const AccountParams = z.strictObject({ ws: z.string(), accountId: z.string() });
const tags = ['accounts'];
const Text = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const Attributes = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'keys are lower-case letters, digits and _'),
    z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]),
  )
  .meta({ description: 'Free attributes; on PATCH they merge over the current ones and null removes one' });

const Fields = {
  domain: z
    .string()
    .max(253)
    .nullable()
    .optional()
    .meta({ description: 'The company website; stored lower-case, international names in punycode' }),
  industry: Text.nullable().optional(),
  size: Text.nullable().optional(),
  region: Text.nullable().optional(),
  attributes: Attributes.optional(),
};

const AccountDto = z
  .object({
    id: z.string(),
    name: z.string(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    size: z.string().nullable(),
    region: z.string().nullable(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    contactCount: z.number().int(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .meta({ id: 'Account' });

const present = (a: AccountView): z.output<typeof AccountDto> => ({
  ...a,
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
});

/** Companies (B2B): contacts belong to at most one; segments filter on their fields. */
export function accountRoutes(app: App, ctx: ServerContext): void {
  const hooks: AudienceHooks & AccountHooks = ctx.audience;

  app.get(
    '/api/workspaces/:ws/accounts',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Accounts in creation order, a page at a time',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        querystring: z.strictObject({
          limit: PageLimit,
          after: z.string().optional().meta({ description: 'The `next` value of the previous page' }),
        }),
        response: {
          200: z.object({ accounts: z.array(AccountDto), next: z.string().nullable() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const page = await listAccounts(ctx.db, { workspaceId: ws, ...request.query });
      return { accounts: page.accounts.map(present), next: page.next };
    },
  );

  app.post(
    '/api/workspaces/:ws/accounts',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Add an account',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: z.strictObject({ name: Name, ...Fields }),
        response: { 201: z.object({ account: AccountDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const created = await createAccount(ctx.db, { workspaceId: ws, input: request.body, now: ctx.clock() });
      if (!created.ok) return sendProblem(reply, created.error);
      hooks.accountsChanged?.(ws, [created.value.id]);
      return reply.code(201).send({ account: present(created.value) });
    },
  );

  app.get(
    '/api/workspaces/:ws/accounts/:accountId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'One account',
        security: SESSION_OR_KEY,
        params: AccountParams,
        response: { 200: z.object({ account: AccountDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, accountId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const account = await getAccount(ctx.db, ws, accountId);
      if (!account) return sendProblem(reply, { code: 'not_found', message: 'account not found' });
      return { account: present(account) };
    },
  );

  app.patch(
    '/api/workspaces/:ws/accounts/:accountId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Change the fields sent; null clears a field or removes an attribute',
        security: SESSION_OR_KEY,
        params: AccountParams,
        body: z.strictObject({ name: Name.optional(), ...Fields }),
        response: { 200: z.object({ account: AccountDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, accountId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const updated = await updateAccount(ctx.db, {
        workspaceId: ws,
        accountId,
        input: request.body,
        now: ctx.clock(),
      });
      if (!updated.ok) return sendProblem(reply, updated.error);
      hooks.accountsChanged?.(ws, [accountId]);
      return { account: present(updated.value) };
    },
  );

  app.delete(
    '/api/workspaces/:ws/accounts/:accountId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Delete an account; its contacts stay, without an account',
        security: SESSION_OR_KEY,
        params: AccountParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, accountId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const deleted = await deleteAccount(ctx.db, { workspaceId: ws, accountId, now: ctx.clock() });
      if (!deleted.ok) return sendProblem(reply, deleted.error);
      ctx.audience.contactsChanged(ws, deleted.value);
      return reply.code(204).send();
    },
  );

  app.put(
    '/api/workspaces/:ws/accounts/:accountId/contacts',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary:
          "Set the account's contacts: the listed ones move to it, its others are detached; unknown ids are reported",
        security: SESSION_OR_KEY,
        params: AccountParams,
        body: z.strictObject({
          contactIds: z
            .array(z.string().min(1).max(64))
            .max(MAX_ACCOUNT_CONTACTS, `at most ${MAX_ACCOUNT_CONTACTS} ids per request`),
        }),
        response: {
          200: z.object({
            attached: z.number().int(),
            detached: z.number().int(),
            unknown: z.array(z.string()),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { ws, accountId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const set = await setAccountContacts(ctx.db, {
        workspaceId: ws,
        accountId,
        contactIds: request.body.contactIds,
        now: ctx.clock(),
      });
      if (!set.ok) return sendProblem(reply, set.error);
      ctx.audience.contactsChanged(ws, [...set.value.attached, ...set.value.detached]);
      return {
        attached: set.value.attached.length,
        detached: set.value.detached.length,
        unknown: set.value.unknown,
      };
    },
  );
}
