/**
 * Message templates over HTTP: CRUD per workspace, each save compiled against
 * the workspace's fields (a fault is a 400 with field, line and column), and
 * previews of saved and unsaved templates.
 */
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, Name, NoContent, WorkspaceParams } from '../http/schemas.ts';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  type PreviewInput,
  previewTemplate,
  TEMPLATE_CHANNELS,
  type TemplateView,
  updateTemplate,
} from '../services/templates.ts';

const tags = ['templates'];
const TemplateParams = z.strictObject({ ws: z.string(), templateId: z.string() });

const Channel = z.enum(TEMPLATE_CHANNELS);
const Dir = z.enum(['rtl', 'ltr']);
const Lang = z.string().min(1).max(35).meta({ description: 'BCP 47 language tag, e.g. ar-SA' });
const Subject = z.string().max(998, 'must be at most 998 characters');
const Body = z
  .string()
  .min(1, 'must not be empty')
  .max(500_000, 'must be at most 500000 characters')
  .meta({ description: 'MJML with Liquid for email; Liquid text for SMS and WhatsApp' });
const Settings = z
  .strictObject({
    digits: z.enum(['arab', 'latn']).optional(),
    timeZone: z.string().min(1).max(64).optional(),
  })
  .meta({ id: 'TemplateSettings' });

const TemplateDto = z
  .object({
    id: z.string(),
    channel: Channel,
    name: z.string(),
    subject: z.string(),
    body: z.string(),
    dir: Dir,
    lang: z.string(),
    settings: Settings,
    version: z.number().int(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .meta({ id: 'MessageTemplate' });

const present = (t: TemplateView): z.output<typeof TemplateDto> => ({
  ...t,
  createdAt: iso(t.createdAt),
  updatedAt: iso(t.updatedAt),
});

const CreateBody = z.strictObject({
  channel: Channel,
  name: Name,
  subject: Subject.default('').meta({
    description: 'Email: the Liquid subject line; web push: the Liquid title',
  }),
  body: Body,
  dir: Dir.default('rtl'),
  lang: Lang.default('ar'),
  settings: Settings.default({}),
});

const UpdateBody = z.strictObject({
  name: Name.optional(),
  subject: Subject.optional(),
  body: Body.optional(),
  dir: Dir.optional(),
  lang: Lang.optional(),
  settings: Settings.optional(),
});

const PreviewOptions = {
  contact: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'Values over the sample contact, e.g. {"first_name": "ليلى"}' }),
  contactId: z.string().min(1).max(64).optional().meta({ description: 'Render for this contact instead' }),
  pricePerPart: z.number().min(0).max(1000).optional().meta({ description: 'SMS: price of one part' }),
};

const PreviewDto = z
  .object({
    subject: z.string().optional(),
    html: z.string().optional(),
    text: z.string(),
    sms: z
      .object({
        encoding: z.enum(['gsm7', 'ucs2']),
        characters: z.number().int(),
        parts: z.number().int(),
        perPart: z.number().int(),
        remainingInPart: z.number().int(),
        nonGsmCharacters: z.array(z.string()),
        cost: z.number().optional().meta({ description: 'parts × pricePerPart, when a price was given' }),
      })
      .optional(),
  })
  .meta({ id: 'TemplatePreview' });

const previewOf = ({ contact, contactId, pricePerPart }: PreviewInput): PreviewInput => ({
  ...(contact === undefined ? {} : { contact }),
  ...(contactId === undefined ? {} : { contactId }),
  ...(pricePerPart === undefined ? {} : { pricePerPart }),
});

export function templateRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/templates',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Message templates, by channel and name',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        querystring: z.strictObject({ channel: Channel.optional() }),
        response: { 200: z.object({ templates: z.array(TemplateDto) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      return { templates: (await listTemplates(ctx.db, ws, request.query.channel)).map(present) };
    },
  );

  app.post(
    '/api/workspaces/:ws/templates',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Create a template; it must compile (faults come back with line and column)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: CreateBody,
        response: { 201: z.object({ template: TemplateDto }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const { name, ...source } = request.body;
      const created = await createTemplate(ctx.db, { workspaceId: ws, name, source, now: ctx.clock() });
      if (!created.ok) return sendProblem(reply, created.error);
      return reply.code(201).send({ template: present(created.value) });
    },
  );

  app.post(
    '/api/workspaces/:ws/templates/preview',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: "Render an unsaved template (the editor's live preview)",
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: CreateBody.omit({ name: true }).extend(PreviewOptions),
        response: { 200: PreviewDto, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const { contact, contactId, pricePerPart, ...source } = request.body;
      const preview = await previewTemplate(ctx.db, {
        workspaceId: ws,
        source,
        preview: previewOf({ contact, contactId, pricePerPart }),
        publicUrl: ctx.config.publicUrl,
      });
      if (!preview.ok) return sendProblem(reply, preview.error);
      return preview.value;
    },
  );

  app.get(
    '/api/workspaces/:ws/templates/:templateId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'One template',
        security: SESSION_OR_KEY,
        params: TemplateParams,
        response: { 200: z.object({ template: TemplateDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, templateId: id } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const found = await getTemplate(ctx.db, ws, id);
      if (!found.ok) return sendProblem(reply, found.error);
      return { template: present(found.value) };
    },
  );

  app.patch(
    '/api/workspaces/:ws/templates/:templateId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Change a template (not its channel); it must still compile, and its version goes up by one',
        security: SESSION_OR_KEY,
        params: TemplateParams,
        body: UpdateBody,
        response: { 200: z.object({ template: TemplateDto }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws, templateId: id } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const change = Object.fromEntries(Object.entries(request.body).filter(([, v]) => v !== undefined));
      const updated = await updateTemplate(ctx.db, { workspaceId: ws, id, change, now: ctx.clock() });
      if (!updated.ok) return sendProblem(reply, updated.error);
      return { template: present(updated.value) };
    },
  );

  app.delete(
    '/api/workspaces/:ws/templates/:templateId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Delete a template',
        security: SESSION_OR_KEY,
        params: TemplateParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, templateId: id } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const deleted = await deleteTemplate(ctx.db, ws, id);
      if (!deleted.ok) return sendProblem(reply, deleted.error);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/workspaces/:ws/templates/:templateId/preview',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Render a saved template for a sample contact, given values, or a contact of the workspace',
        security: SESSION_OR_KEY,
        params: TemplateParams,
        body: z.strictObject(PreviewOptions),
        response: { 200: PreviewDto, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, templateId: id } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const found = await getTemplate(ctx.db, ws, id);
      if (!found.ok) return sendProblem(reply, found.error);
      const { channel, subject, body, dir, lang, settings } = found.value;
      const preview = await previewTemplate(ctx.db, {
        workspaceId: ws,
        source: { channel, subject, body, dir, lang, settings },
        preview: previewOf(request.body),
        publicUrl: ctx.config.publicUrl,
      });
      if (!preview.ok) return sendProblem(reply, preview.error);
      return preview.value;
    },
  );
}
