import { Readable } from 'node:stream';
import type { Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { ContactDto } from '../http/contact-schemas.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, Name, NoContent, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import { viewContact } from '../services/contact-rows.ts';
import { CSV_BOM, csvLine } from '../services/csv.ts';
import type { AudienceHooks } from '../services/identify-events.ts';
import {
  changeListMembers,
  createList,
  deleteList,
  getList,
  type ListHooks,
  type ListView,
  listLists,
  listMembersPage,
  MAX_LIST_IDS,
  renameList,
} from '../services/lists.ts';
import { presentContact } from './contacts.ts';

const ListParams = z.strictObject({ ws: z.string(), listId: z.string() });
const tags = ['lists'];
const NOT_FOUND = { code: 'not_found' as const, message: 'list not found' };

const ListDto = z
  .object({ id: z.string(), name: z.string(), memberCount: z.number().int(), createdAt: IsoTime })
  .meta({ id: 'List' });
const present = (l: ListView): z.output<typeof ListDto> => ({ ...l, createdAt: iso(l.createdAt) });

const MemberIds = z.strictObject({
  contactIds: z
    .array(z.string().min(1).max(64))
    .min(1, 'must name at least one contact')
    .max(MAX_LIST_IDS, `at most ${MAX_LIST_IDS} ids per request`),
});
const MembershipDto = z.object({
  changed: z.number().int().meta({ description: 'Contacts whose membership this request changed' }),
  unknown: z.array(z.string()).meta({ description: 'Ids that are no contact of this workspace' }),
  list: ListDto,
});

const EXPORT_COLUMNS = [
  'id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'city',
  'country',
  'lifecycle_stage',
  'lead_score',
  'created_at',
] as const;

async function* exportLines(db: Kysely<Database>, listId: string) {
  yield `${CSV_BOM}${EXPORT_COLUMNS.join(',')}\r\n`;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('list_members')
      .innerJoin('contacts', 'contacts.id', 'list_members.contact_id')
      .select(EXPORT_COLUMNS.map((c) => `contacts.${c}` as const))
      .where('list_members.list_id', '=', listId)
      .where('contacts.id', '>', after)
      .orderBy('contacts.id')
      .limit(2000)
      .execute();
    const last = rows[rows.length - 1];
    if (!last) return;
    yield rows
      .map(
        (r) =>
          `${csvLine([r.id, r.email, r.phone, r.first_name, r.last_name, r.city, r.country, r.lifecycle_stage, r.lead_score, iso(Number(r.created_at))])}\r\n`,
      )
      .join('');
    after = last.id;
  }
}

/** Static lists: contacts added and removed by hand (or by id from another system). */
export function listRoutes(app: App, ctx: ServerContext): void {
  const hooks: AudienceHooks & ListHooks = ctx.audience;

  app.get(
    '/api/workspaces/:ws/lists',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Static lists with their member counts',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ lists: z.array(ListDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      return { lists: (await listLists(ctx.db, request.params.ws)).map(present) };
    },
  );

  app.post(
    '/api/workspaces/:ws/lists',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Create an empty static list (names are unique in the workspace)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: z.strictObject({ name: Name }),
        response: { 201: z.object({ list: ListDto }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const created = await createList(ctx.db, {
        workspaceId: ws,
        name: request.body.name,
        now: ctx.clock(),
      });
      if (!created.ok) return sendProblem(reply, created.error);
      return reply.code(201).send({ list: present(created.value) });
    },
  );

  app.get(
    '/api/workspaces/:ws/lists/:listId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'One static list',
        security: SESSION_OR_KEY,
        params: ListParams,
        response: { 200: z.object({ list: ListDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, listId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const list = await getList(ctx.db, ws, listId);
      if (!list) return sendProblem(reply, NOT_FOUND);
      return { list: present(list) };
    },
  );

  app.patch(
    '/api/workspaces/:ws/lists/:listId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Rename a static list',
        security: SESSION_OR_KEY,
        params: ListParams,
        body: z.strictObject({ name: Name }),
        response: { 200: z.object({ list: ListDto }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws, listId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const renamed = await renameList(ctx.db, { workspaceId: ws, listId, name: request.body.name });
      if (!renamed.ok) return sendProblem(reply, renamed.error);
      return { list: present(renamed.value) };
    },
  );

  app.delete(
    '/api/workspaces/:ws/lists/:listId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Delete a static list (its contacts stay)',
        security: SESSION_OR_KEY,
        params: ListParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, listId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const deleted = await deleteList(ctx.db, ws, listId);
      if (!deleted.ok) return sendProblem(reply, deleted.error);
      hooks.listChanged?.(ws, listId, deleted.value);
      return reply.code(204).send();
    },
  );

  // Removal is a POST too: a body on DELETE is dropped by some clients and proxies.
  for (const [suffix, add] of [
    ['', true],
    ['/remove', false],
  ] as const) {
    app.route({
      method: 'POST',
      url: `/api/workspaces/:ws/lists/:listId/members${suffix}`,
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: add
          ? `Add up to ${MAX_LIST_IDS} contacts by id; unknown ids are reported, not fatal`
          : `Remove up to ${MAX_LIST_IDS} contacts by id; unknown ids are reported, not fatal`,
        security: SESSION_OR_KEY,
        params: ListParams,
        body: MemberIds,
        response: { 200: MembershipDto, ...errors(400, 401, 403, 404) },
      },
      handler: async (request, reply) => {
        const { ws, listId } = request.params;
        const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
        if (!access.ok) return sendProblem(reply, access.error);
        const changed = await changeListMembers(ctx.db, {
          workspaceId: ws,
          listId,
          contactIds: request.body.contactIds,
          add,
          now: ctx.clock(),
        });
        if (!changed.ok) return sendProblem(reply, changed.error);
        if (changed.value.changed.length > 0) hooks.listChanged?.(ws, listId, changed.value.changed);
        const list = await getList(ctx.db, ws, listId);
        if (!list) return sendProblem(reply, NOT_FOUND);
        return { changed: changed.value.changed.length, unknown: changed.value.unknown, list: present(list) };
      },
    });
  }

  app.get(
    '/api/workspaces/:ws/lists/:listId/members',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: "The list's members in id order, a page at a time",
        security: SESSION_OR_KEY,
        params: ListParams,
        querystring: z.strictObject({
          limit: PageLimit,
          after: z.string().optional().meta({ description: 'The `next` value of the previous page' }),
        }),
        response: {
          200: z.object({ contacts: z.array(ContactDto), next: z.string().nullable() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { ws, listId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      if (!(await getList(ctx.db, ws, listId))) return sendProblem(reply, NOT_FOUND);
      const page = await listMembersPage(ctx.db, { listId, ...request.query });
      return { contacts: page.rows.map((r) => presentContact(viewContact(r))), next: page.next };
    },
  );

  app.get(
    '/api/workspaces/:ws/lists/:listId/export',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: "The list's members as CSV (UTF-8 with BOM)",
        security: SESSION_OR_KEY,
        params: ListParams,
        response: { 200: z.string(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, listId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      if (!(await getList(ctx.db, ws, listId))) return sendProblem(reply, NOT_FOUND);
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="list-${listId}.csv"`)
          // Streamed as it is read: memory stays flat for a list of any size.
          .send(Readable.from(exportLines(ctx.db, listId)) as unknown as string)
      );
    },
  );
}
