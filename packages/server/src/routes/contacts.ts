import type { WaslEvent } from '@wasl/core';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import {
  AttributeChanges,
  AttributeDefinitionDto,
  ContactBody,
  ContactDto,
  FieldWarning,
  NewAttributeBody,
} from '../http/contact-schemas.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, NoContent, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import {
  createAttributeDefinition,
  listAttributeDefinitions,
  updateAttributeDefinition,
} from '../services/attribute-definitions.ts';
import type { ContactView } from '../services/contact-rows.ts';
import { viewContact } from '../services/contact-rows.ts';
import { createContact, getContact, listContacts, updateContact } from '../services/contacts.ts';
import { contactTimeline, eraseContact, exportContact } from '../services/privacy.ts';

const ContactParams = z.strictObject({ ws: z.string(), contactId: z.string() });
const AttributeParams = z.strictObject({ ws: z.string(), key: z.string() });
const tags = ['contacts'];

export const presentContact = (c: ContactView): z.output<typeof ContactDto> => ({
  ...c,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

const Written = z.object({ contact: ContactDto, warnings: z.array(FieldWarning) });

const TimelineEvent = z
  .object({
    id: z.string(),
    type: z.string(),
    name: z.string(),
    occurredAt: IsoTime,
    properties: z.record(z.string(), z.unknown()),
    context: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineEvent' });

const presentEvent = (e: WaslEvent): z.output<typeof TimelineEvent> => ({
  id: e.id,
  type: e.type,
  name: e.name,
  occurredAt: e.occurredAt.toISOString(),
  properties: e.properties,
  context: e.context,
});

const NO_EVENTS = { code: 'unavailable' as const, message: 'this process has no events store' };

/** People in the workspace's audience and the custom attributes their profiles carry. */
export function contactRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/contacts',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'List contacts, newest first, a page at a time',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        querystring: z.strictObject({
          limit: PageLimit,
          before: z.string().optional().meta({ description: 'The `next` value of the previous page' }),
          search: z
            .string()
            .max(200)
            .optional()
            .meta({ description: 'Start of an email, phone, first or last name' }),
        }),
        response: {
          200: z.object({ contacts: z.array(ContactDto), next: z.string().nullable() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const page = await listContacts(ctx.db, { workspaceId: ws, ...request.query });
      return { contacts: page.contacts.map(presentContact), next: page.next };
    },
  );

  app.post(
    '/api/workspaces/:ws/contacts',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Add a contact (needs an email or a phone)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: ContactBody,
        response: { 201: Written, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const created = await createContact(ctx.db, { workspaceId: ws, input: request.body, now: ctx.clock() });
      if (!created.ok) return sendProblem(reply, created.error);
      ctx.audience.contactsChanged(ws, [created.value.contact.id]);
      return reply.code(201).send({ ...created.value, contact: presentContact(created.value.contact) });
    },
  );

  app.get(
    '/api/workspaces/:ws/contacts/:contactId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'One contact',
        security: SESSION_OR_KEY,
        params: ContactParams,
        response: { 200: z.object({ contact: ContactDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, contactId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const row = await getContact(ctx.db, ws, contactId);
      if (!row) return sendProblem(reply, { code: 'not_found', message: 'contact not found' });
      return { contact: presentContact(viewContact(row)) };
    },
  );

  app.patch(
    '/api/workspaces/:ws/contacts/:contactId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Change the fields sent; null clears a field or removes a custom attribute',
        security: SESSION_OR_KEY,
        params: ContactParams,
        body: ContactBody,
        response: { 200: Written, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws, contactId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const updated = await updateContact(ctx.db, {
        workspaceId: ws,
        contactId,
        input: request.body,
        now: ctx.clock(),
      });
      if (!updated.ok) return sendProblem(reply, updated.error);
      ctx.audience.contactsChanged(ws, [contactId]);
      return { ...updated.value, contact: presentContact(updated.value.contact) };
    },
  );

  app.get(
    '/api/workspaces/:ws/contacts/:contactId/timeline',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary:
          'Everything the contact did and received, newest first: visits, events, messages, consent changes',
        security: SESSION_OR_KEY,
        params: ContactParams,
        querystring: z.strictObject({
          limit: PageLimit,
          before: z.string().optional().meta({ description: 'The `next` value of the previous page' }),
        }),
        response: {
          200: z.object({ events: z.array(TimelineEvent), next: z.string().nullable() }),
          ...errors(400, 401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const { ws, contactId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      if (!ctx.events) return sendProblem(reply, NO_EVENTS);
      const page = await contactTimeline(ctx.db, ctx.events, {
        workspaceId: ws,
        contactId,
        ...request.query,
      });
      if (!page.ok) return sendProblem(reply, page.error);
      return { events: page.value.events.map(presentEvent), next: page.value.next };
    },
  );

  app.get(
    '/api/workspaces/:ws/contacts/:contactId/export',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Everything held about the contact as one JSON document (a data-subject access request)',
        security: SESSION_OR_KEY,
        params: ContactParams,
        response: { 200: z.record(z.string(), z.unknown()), ...errors(401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const { ws, contactId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      if (!ctx.events) return sendProblem(reply, NO_EVENTS);
      const exported = await exportContact(ctx.db, ctx.events, {
        workspaceId: ws,
        contactId,
        now: ctx.clock(),
      });
      if (!exported.ok) return sendProblem(reply, exported.error);
      return reply
        .header('content-disposition', `attachment; filename="contact-${contactId}.json"`)
        .send({ ...exported.value, events: exported.value.events.map(presentEvent) });
    },
  );

  app.delete(
    '/api/workspaces/:ws/contacts/:contactId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary:
          'Erase the contact (owner, admin): the profile goes, its events stay counted but no longer lead to it',
        security: SESSION_OR_KEY,
        params: ContactParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, contactId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'privacy.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const erased = await eraseContact(ctx.db, {
        workspaceId: ws,
        contactId,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!erased.ok) return sendProblem(reply, erased.error);
      ctx.audience.contactErased(ws, contactId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/workspaces/:ws/attributes',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: "The workspace's custom contact attributes",
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: {
          200: z.object({ attributes: z.array(AttributeDefinitionDto) }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      return { attributes: await listAttributeDefinitions(ctx.db, request.params.ws) };
    },
  );

  app.post(
    '/api/workspaces/:ws/attributes',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Add a custom contact attribute; its type is fixed once created',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: NewAttributeBody,
        response: {
          201: z.object({ attribute: AttributeDefinitionDto }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const created = await createAttributeDefinition(ctx.db, {
        workspaceId: ws,
        definition: request.body,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!created.ok) return sendProblem(reply, created.error);
      return reply.code(201).send({ attribute: created.value });
    },
  );

  app.patch(
    '/api/workspaces/:ws/attributes/:key',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: "Rename a custom attribute's label or add options to a list attribute",
        security: SESSION_OR_KEY,
        params: AttributeParams,
        body: AttributeChanges,
        response: { 200: z.object({ attribute: AttributeDefinitionDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, key } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const updated = await updateAttributeDefinition(ctx.db, {
        workspaceId: ws,
        key,
        ...request.body,
        now: ctx.clock(),
      });
      if (!updated.ok) return sendProblem(reply, updated.error);
      return { attribute: updated.value };
    },
  );
}
