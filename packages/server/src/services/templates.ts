/**
 * Message templates (email MJML, SMS and WhatsApp Liquid text): saved only
 * when they compile against the workspace's known fields, so a broken
 * template or a misspelt field is refused at save time with its line and
 * column, never at send time. Also previews: a template rendered for a sample
 * contact (or given data, or a real contact), with SMS part counts and cost.
 */

import { estimateCost, type SmsParts, smsParts } from '@wasl/channels/sms';
import {
  compileSmsTemplate,
  compileTemplate,
  render,
  renderSmsTemplate,
  type TemplateProblem,
} from '@wasl/channels/templates';
import { err, newId, ok, type Problem, problem, type Result } from '@wasl/core';
import type { Database, MessageTemplate } from '@wasl/store';
import type { Kysely } from 'kysely';
import { listAttributeDefinitions } from './attribute-definitions.ts';
import { CONTACT_COLUMNS } from './contact-rows.ts';

export const TEMPLATE_CHANNELS = ['email', 'sms', 'whatsapp', 'webpush'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];
export type Direction = 'rtl' | 'ltr';

export interface TemplateSettingsInput {
  digits?: 'arab' | 'latn';
  timeZone?: string;
}

/** What an author writes; `subject` is email's subject and web push's title (other channels have none). */
export interface TemplateSource {
  channel: TemplateChannel;
  subject: string;
  body: string;
  dir: Direction;
  lang: string;
  settings: TemplateSettingsInput;
}

export interface TemplateView extends TemplateSource {
  id: string;
  name: string;
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** A problem with, for a fault inside a text, its 1-based line and column. */
export type TemplateFault = Problem & { line?: number; column?: number };

export interface PreviewInput {
  /** Values over the sample contact's (standard fields and `attributes`). */
  contact?: Record<string, unknown>;
  /** A contact of the workspace to render for, instead of the sample. */
  contactId?: string;
  /** SMS: price of one part, for a cost estimate. */
  pricePerPart?: number;
}

export interface Preview {
  subject?: string;
  html?: string;
  text: string;
  sms?: SmsParts & { cost?: number };
}

const notFound = problem('not_found', 'template not found');
/** Columns a template may not read: internal, or reached through `contact.attributes.<key>`. */
const HIDDEN_COLUMNS = new Set(['workspace_id', 'attributes']);
const EXTRA_FIELDS = ['unsubscribe_url', 'preferences_url', 'campaign.name', 'campaign.id', 'message.id'];

/** The field paths a template of this workspace may read. */
export async function templateFields(db: Kysely<Database>, workspaceId: string): Promise<string[]> {
  const definitions = await listAttributeDefinitions(db, workspaceId);
  return [
    ...CONTACT_COLUMNS.filter((c) => !HIDDEN_COLUMNS.has(c)).map((c) => `contact.${c}`),
    ...definitions.map((d) => `contact.attributes.${d.key}`),
    ...EXTRA_FIELDS,
  ];
}

/** The request field a compiler problem is about, with its position. */
function fault(p: TemplateProblem): TemplateFault {
  let field = p.field ?? 'body';
  if (p.part === 'subject') field = 'subject';
  else if (p.part !== undefined) field = 'body';
  else if (field === 'digits' || field === 'timeZone') field = `settings.${field}`;
  else if (field === 'context') field = 'contact';
  const base: TemplateFault = { code: 'invalid', message: p.message, field };
  if (p.line !== undefined) base.line = p.line;
  if (p.column !== undefined) base.column = p.column;
  return base;
}

type Compiled =
  | {
      channel: 'email';
      template: Extract<Awaited<ReturnType<typeof compileTemplate>>, { ok: true }>['value'];
    }
  | {
      channel: 'sms' | 'whatsapp' | 'webpush';
      template: Extract<ReturnType<typeof compileSmsTemplate>, { ok: true }>['value'];
      /** Web push: the title (the subject), a line of Liquid text. */
      title?: Extract<ReturnType<typeof compileSmsTemplate>, { ok: true }>['value'];
    };

/** Compiles a source against the given fields; any fault comes back naming the field, line and column. */
export async function compileSource(
  source: TemplateSource,
  fields: readonly string[],
): Promise<Result<Compiled, TemplateFault>> {
  const settings = { lang: source.lang, ...source.settings };
  if (source.channel === 'email') {
    if (source.subject.trim() === '')
      return err(problem('invalid', 'an email template needs a subject', 'subject'));
    const compiled = await compileTemplate(
      { ...settings, subject: source.subject, mjml: source.body, dir: source.dir },
      { fields },
    );
    return compiled.ok ? ok({ channel: 'email', template: compiled.value }) : err(fault(compiled.error));
  }
  if (source.channel === 'webpush') {
    if (source.subject.trim() === '')
      return err(problem('invalid', 'a webpush template needs a subject: the notification title', 'subject'));
    const title = compileSmsTemplate({ ...settings, body: source.subject }, { fields });
    if (!title.ok) return err({ ...fault(title.error), field: 'subject' });
    const body = compileSmsTemplate({ ...settings, body: source.body }, { fields });
    return body.ok
      ? ok({ channel: 'webpush', template: body.value, title: title.value })
      : err(fault(body.error));
  }
  if (source.subject !== '') {
    return err(problem('invalid', `a ${source.channel} template has no subject`, 'subject'));
  }
  const compiled = compileSmsTemplate({ ...settings, body: source.body }, { fields });
  return compiled.ok ? ok({ channel: source.channel, template: compiled.value }) : err(fault(compiled.error));
}

const view = (row: MessageTemplate): TemplateView => ({
  id: row.id,
  channel: row.channel as TemplateChannel,
  name: row.name,
  subject: row.subject,
  body: row.body,
  dir: row.dir as Direction,
  lang: row.lang,
  settings: JSON.parse(row.settings) as TemplateSettingsInput,
  version: Number(row.version),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

async function findRow(db: Kysely<Database>, workspaceId: string, id: string) {
  return db
    .selectFrom('message_templates')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

async function nameTaken(
  db: Kysely<Database>,
  workspaceId: string,
  t: { channel: string; name: string; id?: string },
) {
  let query = db
    .selectFrom('message_templates')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', t.channel)
    .where('name', '=', t.name);
  if (t.id !== undefined) query = query.where('id', '!=', t.id);
  return (await query.executeTakeFirst()) !== undefined;
}

const taken = (name: string, channel: string) =>
  problem('conflict', `a ${channel} template named "${name}" already exists`, 'name');

export async function listTemplates(
  db: Kysely<Database>,
  workspaceId: string,
  channel?: TemplateChannel,
): Promise<TemplateView[]> {
  let query = db.selectFrom('message_templates').selectAll().where('workspace_id', '=', workspaceId);
  if (channel !== undefined) query = query.where('channel', '=', channel);
  return (await query.orderBy('channel').orderBy('name').orderBy('id').execute()).map(view);
}

export async function getTemplate(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<Result<TemplateView>> {
  const row = await findRow(db, workspaceId, id);
  return row ? ok(view(row)) : err(notFound);
}

export async function createTemplate(
  db: Kysely<Database>,
  input: { workspaceId: string; name: string; source: TemplateSource; now: number },
): Promise<Result<TemplateView, TemplateFault>> {
  const { workspaceId, name, source, now } = input;
  const compiled = await compileSource(source, await templateFields(db, workspaceId));
  if (!compiled.ok) return compiled;
  if (await nameTaken(db, workspaceId, { channel: source.channel, name }))
    return err(taken(name, source.channel));
  const row: MessageTemplate = {
    id: newId(now),
    workspace_id: workspaceId,
    channel: source.channel,
    name,
    subject: source.subject,
    body: source.body,
    dir: source.dir,
    lang: source.lang,
    settings: JSON.stringify(source.settings),
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('message_templates').values(row).execute();
  return ok(view(row));
}

/** Changes any of name, subject, body, dir, lang, settings (not the channel); the version goes up by one. */
export async function updateTemplate(
  db: Kysely<Database>,
  input: {
    workspaceId: string;
    id: string;
    change: Partial<Omit<TemplateSource, 'channel'>> & { name?: string };
    now: number;
  },
): Promise<Result<TemplateView, TemplateFault>> {
  const { workspaceId, id, change, now } = input;
  const row = await findRow(db, workspaceId, id);
  if (!row) return err(notFound);
  const current = view(row);
  const next: TemplateView = { ...current, ...change, version: current.version + 1, updatedAt: now };
  const compiled = await compileSource(next, await templateFields(db, workspaceId));
  if (!compiled.ok) return compiled;
  if (await nameTaken(db, workspaceId, { channel: next.channel, name: next.name, id })) {
    return err(taken(next.name, next.channel));
  }
  // The version in the WHERE clause: of two saves racing from the same version, only one lands.
  const updated = await db
    .updateTable('message_templates')
    .set({
      name: next.name,
      subject: next.subject,
      body: next.body,
      dir: next.dir,
      lang: next.lang,
      settings: JSON.stringify(next.settings),
      version: next.version,
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', current.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    return err(
      problem('conflict', 'the template was changed by someone else meanwhile; reload it', 'version'),
    );
  }
  return ok(next);
}

export async function deleteTemplate(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<Result<void>> {
  const deleted = await db
    .deleteFrom('message_templates')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1 ? ok(undefined) : err(notFound);
}

const SAMPLE_CONTACT: Record<string, unknown> = {
  id: 'sample',
  email: 'sara@example.com',
  phone: '+966501234567',
  first_name: 'سارة',
  last_name: 'القحطاني',
  locale: 'ar-SA',
  timezone: 'Asia/Riyadh',
  country: 'SA',
  city: 'الرياض',
  birth_date: '1995-04-12',
  gender: 'female',
  income_band: null,
  interests: ['عطور', 'ساعات'],
  source: 'preview',
  lifecycle_stage: 'customer',
  account_id: null,
  lead_score: 40,
};

const SAMPLE_BY_TYPE: Record<string, unknown> = {
  text: 'مثال',
  number: 7,
  date: '2026-01-15',
  boolean: true,
};

const parseJson = (text: string, fallback: unknown): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
};

/** The `contact` a preview renders for: the sample, a real contact, and given values over either. */
async function previewContact(
  db: Kysely<Database>,
  workspaceId: string,
  input: PreviewInput,
): Promise<Result<Record<string, unknown>>> {
  let contact: Record<string, unknown>;
  if (input.contactId !== undefined) {
    const row = await db
      .selectFrom('contacts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', input.contactId)
      .executeTakeFirst();
    if (!row) return err(problem('not_found', `contact ${input.contactId} not found`, 'contactId'));
    contact = Object.fromEntries(CONTACT_COLUMNS.filter((c) => c !== 'workspace_id').map((c) => [c, row[c]]));
    contact.attributes = parseJson(row.attributes, {});
    contact.interests = parseJson(row.interests, []);
    contact.created_at = new Date(Number(row.created_at)).toISOString();
    contact.updated_at = new Date(Number(row.updated_at)).toISOString();
  } else {
    const definitions = await listAttributeDefinitions(db, workspaceId);
    const attributes = Object.fromEntries(
      definitions.map((d) => [
        d.key,
        d.type === 'list' ? (d.options?.[0] ?? 'مثال') : SAMPLE_BY_TYPE[d.type],
      ]),
    );
    contact = { ...SAMPLE_CONTACT, attributes };
  }
  const given = input.contact ?? {};
  const givenAttributes = given.attributes;
  return ok({
    ...contact,
    ...given,
    attributes:
      typeof givenAttributes === 'object' && givenAttributes !== null
        ? { ...(contact.attributes as object), ...givenAttributes }
        : contact.attributes,
  });
}

/** Renders a source (saved or not) for a preview. */
export async function previewTemplate(
  db: Kysely<Database>,
  input: { workspaceId: string; source: TemplateSource; preview: PreviewInput; publicUrl: string },
): Promise<Result<Preview, TemplateFault>> {
  const { workspaceId, source, preview } = input;
  const compiled = await compileSource(source, await templateFields(db, workspaceId));
  if (!compiled.ok) return compiled;
  const contact = await previewContact(db, workspaceId, preview);
  if (!contact.ok) return contact;
  const base = input.publicUrl.replace(/\/+$/, '');
  const context = {
    contact: contact.value,
    unsubscribe_url: `${base}/preview/unsubscribe`,
    preferences_url: `${base}/preview/preferences`,
    campaign: { name: 'معاينة', id: 'preview' },
    message: { id: 'preview' },
  };
  if (compiled.value.channel === 'email') {
    const rendered = render(compiled.value.template, context);
    return rendered.ok ? ok(rendered.value) : err(fault(rendered.error));
  }
  const rendered = renderSmsTemplate(compiled.value.template, context);
  if (!rendered.ok) return err(fault(rendered.error));
  const text = rendered.value;
  if (compiled.value.channel === 'whatsapp') return ok({ text });
  if (compiled.value.title) {
    const title = renderSmsTemplate(compiled.value.title, context);
    return title.ok ? ok({ subject: title.value, text }) : err({ ...fault(title.error), field: 'subject' });
  }
  const parts = smsParts(text);
  if (preview.pricePerPart === undefined) return ok({ text, sms: parts });
  const cost = estimateCost(parts.parts, preview.pricePerPart, 1);
  return cost.ok ? ok({ text, sms: { ...parts, cost: cost.value } }) : cost;
}
