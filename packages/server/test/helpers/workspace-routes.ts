import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Action } from '@wasl/core';
import {
  addMember,
  changeListMembers,
  createAccount,
  createAttributeDefinition,
  createContact,
  createList,
  createRule,
  createSaved,
  createSegment,
  createShareLink,
  createSite,
  runContactImport,
  setSeoSchedule,
  startAudit,
  suppress,
} from '../../src/index.ts';
import { createSender } from '../../src/services/sender-identities.ts';
import { createTemplate } from '../../src/services/templates.ts';
import { createEndpoint } from '../../src/services/webhooks/endpoints.ts';
import { MESSAGE_ROUTES } from '../messaging/workspace-routes.ts';
import type { TestApp } from './app.ts';
import { apiKey, uniqueEmail } from './people.ts';

/** Ids a route's URL and body are built from; `prepare` makes fresh ones where the call consumes them. */
export interface Target {
  ws: string;
  userId?: string;
  keyId?: string;
  jobId?: string;
  siteId?: string;
  goalId?: string;
  funnelId?: string;
  ctaId?: string;
  linkId?: string;
  contactId?: string;
  key?: string;
  channel?: string;
  address?: string;
  importId?: string;
  auditId?: string;
  segmentId?: string;
  ruleId?: string;
  listId?: string;
  accountId?: string;
  messageId?: string;
  templateId?: string;
  senderId?: string;
  endpointId?: string;
}

export interface WorkspaceRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As Fastify declares it; also how the OpenAPI document names it (with {braces}). */
  path: string;
  action: Action;
  /** The status when allowed. */
  ok: number;
  body?: () => unknown;
  headers?: Record<string, string>;
  /** Creates what the call acts on (a member to remove, a key to revoke, a dead job to retry). */
  prepare?: (t: TestApp, workspaceId: string) => Promise<Partial<Target>>;
}

export async function insertJob(t: TestApp, workspaceId: string, state: string): Promise<string> {
  const id = randomUUID();
  await t.db
    .insertInto('jobs')
    .values({
      id,
      workspace_id: workspaceId,
      name: 'email.send',
      payload: '{}',
      state,
      priority: 0,
      run_at: t.clock.now,
      attempts: state === 'dead' ? 5 : 0,
      max_attempts: 5,
      idempotency_key: null,
      locked_by: null,
      locked_until: null,
      last_error: state === 'dead' ? 'SMTP 550 mailbox unavailable' : null,
      created_at: t.clock.now,
      updated_at: t.clock.now,
      finished_at: state === 'dead' ? t.clock.now : null,
    })
    .execute();
  return id;
}

async function freshAnalyst(t: TestApp, workspaceId: string) {
  const added = await addMember(t.db, {
    workspaceId,
    email: uniqueEmail('target'),
    role: 'analyst',
    actor: { type: 'system' },
    now: t.clock.now,
  });
  if (!added.ok) throw new Error(added.error.message);
  return { userId: added.value.user.id };
}

async function freshSite(t: TestApp, workspaceId: string) {
  const created = await createSite(t.db, {
    workspaceId,
    name: 'Rose shop',
    domain: 'roses.example.com',
    actor: { type: 'system' },
    now: t.clock.now,
  });
  if (!created.ok) throw new Error(created.error.message);
  return { siteId: created.value.id };
}

const REPORTS = ['summary', 'timeseries', 'breakdown', 'goals', 'ctas', 'funnels', 'retention', 'realtime'];
const GOAL = { kind: 'page' as const, pattern: '/thanks*' };
const FUNNEL = {
  steps: [GOAL, { kind: 'event' as const, event: 'signup', properties: {} }],
  windowMs: 3_600_000,
};
const CTA = {
  impression: { event: 'cta_view', properties: { cta: 'hero' } },
  click: { event: 'cta_click', properties: { cta: 'hero' } },
};

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** A site with one saved goal, funnel and CTA, and a share link, for the routes that change them. */
async function freshSiteSettings(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const { siteId } = await freshSite(t, workspaceId);
  const common = { workspaceId, siteId, actor: { type: 'system' } as const, now: t.clock.now };
  const goal = unwrap(await createSaved(t.db, 'goal', { ...common, name: 'Thanks page', definition: GOAL }));
  const funnel = unwrap(
    await createSaved(t.db, 'funnel', { ...common, name: 'Sign-up', definition: FUNNEL }),
  );
  const cta = unwrap(await createSaved(t.db, 'cta', { ...common, name: 'Hero', definition: CTA }));
  const share = unwrap(await createShareLink(t.db, common));
  return { siteId, goalId: goal.id, funnelId: funnel.id, ctaId: cta.id, linkId: share.link.id };
}

async function freshContact(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const created = unwrap(
    await createContact(t.db, {
      workspaceId,
      input: { email: uniqueEmail('contact'), firstName: 'نورة' },
      now: t.clock.now,
    }),
  );
  return { contactId: created.contact.id };
}

async function freshAttribute(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const key = `a_${randomUUID().slice(0, 8)}`;
  unwrap(
    await createAttributeDefinition(t.db, {
      workspaceId,
      definition: { key, label: 'مستوى', type: 'list', options: ['one'] },
      actor: { type: 'system' },
      now: t.clock.now,
    }),
  );
  return { key };
}

async function finishedImport(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const done = await runContactImport(t.db, {
    workspaceId,
    fileName: 'people.csv',
    policy: 'upsert',
    createdBy: null,
    clock: () => t.clock.now,
    source: Readable.from([Buffer.from(`email,phone\n${uniqueEmail('row')},not-a-phone\n`)]),
  });
  return { importId: done.id };
}

/** A queued SEO audit compared with an earlier one (so compare needs no ?with=). */
async function freshAudit(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const start = (compareTo?: string) =>
    startAudit(
      { db: t.db, dialect: t.oltp.dialect },
      {
        workspaceId,
        url: 'https://shop.example.com/',
        settings: {},
        ...(compareTo ? { compareTo } : {}),
        allowPrivateTargets: false,
        actor: { type: 'system' },
        now: t.clock.now,
      },
    );
  const earlier = unwrap(await start());
  return { auditId: unwrap(await start(earlier.id)).id };
}

async function scheduledSite(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const { siteId } = await freshSite(t, workspaceId);
  const store = { db: t.db, dialect: t.oltp.dialect };
  unwrap(
    await setSeoSchedule(store, {
      workspaceId,
      siteId,
      day: 0,
      hour: 6,
      actor: { type: 'system' },
      now: t.clock.now,
    }),
  );
  return { siteId };
}

const seoAuditRoute = (method: 'GET' | 'POST', tail: string, action: Action, ok: number): WorkspaceRoute => ({
  method,
  path: `/api/workspaces/:ws/seo/audits/:auditId${tail}`,
  action,
  ok,
  prepare: freshAudit,
});

const CITY_SEGMENT = {
  root: { match: 'all', conditions: [{ kind: 'attribute', field: 'city', operator: 'eq', value: 'الرياض' }] },
};

async function freshSegment(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const made = unwrap(
    await createSegment(t.db, {
      workspaceId,
      name: `شريحة ${randomUUID().slice(0, 8)}`,
      definition: CITY_SEGMENT,
      actor: { type: 'system' },
      now: t.clock.now,
    }),
  );
  return { segmentId: made.segment.id };
}

/** Saved goals, funnels and CTAs: list (every reader), create, change and delete (those who manage sites). */
const savedRoutes = (plural: string, id: string, body: () => unknown): WorkspaceRoute[] => [
  {
    method: 'GET',
    path: `/api/workspaces/:ws/sites/:siteId/${plural}`,
    action: 'sites.read',
    ok: 200,
    prepare: freshSite,
  },
  {
    method: 'POST',
    path: `/api/workspaces/:ws/sites/:siteId/${plural}`,
    action: 'sites.manage',
    ok: 201,
    body,
    prepare: freshSite,
  },
  {
    method: 'PATCH',
    path: `/api/workspaces/:ws/sites/:siteId/${plural}/:${id}`,
    action: 'sites.manage',
    ok: 200,
    body: () => ({ name: `تعديل ${randomUUID().slice(0, 8)}` }),
    prepare: freshSiteSettings,
  },
  {
    method: 'DELETE',
    path: `/api/workspaces/:ws/sites/:siteId/${plural}/:${id}`,
    action: 'sites.manage',
    ok: 204,
    prepare: freshSiteSettings,
  },
];

/** A static list holding one contact. */
async function freshList(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const list = unwrap(
    await createList(t.db, { workspaceId, name: `قائمة ${randomUUID().slice(0, 8)}`, now: t.clock.now }),
  );
  const { contactId } = await freshContact(t, workspaceId);
  unwrap(
    await changeListMembers(t.db, {
      workspaceId,
      listId: list.id,
      contactIds: [contactId ?? ''],
      add: true,
      now: t.clock.now,
    }),
  );
  return { listId: list.id, contactId };
}

async function freshAccount(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const account = unwrap(
    await createAccount(t.db, { workspaceId, input: { name: 'شركة النخيل' }, now: t.clock.now }),
  );
  return { accountId: account.id, ...(await freshContact(t, workspaceId)) };
}

const listRoutes = (): WorkspaceRoute[] => [
  { method: 'GET', path: '/api/workspaces/:ws/lists', action: 'data.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/lists',
    action: 'data.write',
    ok: 201,
    body: () => ({ name: `قائمة ${randomUUID().slice(0, 8)}` }),
  },
  ...(['', '/members', '/export'] as const).map(
    (suffix): WorkspaceRoute => ({
      method: 'GET',
      path: `/api/workspaces/:ws/lists/:listId${suffix}`,
      action: 'data.read',
      ok: 200,
      prepare: freshList,
    }),
  ),
  {
    method: 'PATCH',
    path: '/api/workspaces/:ws/lists/:listId',
    action: 'data.write',
    ok: 200,
    body: () => ({ name: `معدلة ${randomUUID().slice(0, 8)}` }),
    prepare: freshList,
  },
  {
    method: 'DELETE',
    path: '/api/workspaces/:ws/lists/:listId',
    action: 'data.write',
    ok: 204,
    prepare: freshList,
  },
  ...(['/members', '/members/remove'] as const).map(
    (suffix): WorkspaceRoute => ({
      method: 'POST',
      path: `/api/workspaces/:ws/lists/:listId${suffix}`,
      action: 'data.write',
      ok: 200,
      body: () => ({ contactIds: ['no-such-contact'] }),
      prepare: freshList,
    }),
  ),
];

const PRICING_RULE = () => ({
  name: 'زيارة الأسعار',
  kind: 'event',
  points: 10,
  match: { path: '/pricing*' },
});

async function freshRule(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const rule = await createRule(t.db, {
    workspaceId,
    rule: { name: 'عرض تجريبي', kind: 'event', points: 30, match: { event: 'demo_requested' } },
    now: t.clock.now,
  });
  return { ruleId: rule.id };
}

const leadScoringRoutes = (): WorkspaceRoute[] => [
  { method: 'GET', path: '/api/workspaces/:ws/lead-scoring/rules', action: 'data.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/lead-scoring/rules',
    action: 'data.write',
    ok: 201,
    body: PRICING_RULE,
  },
  {
    method: 'PUT',
    path: '/api/workspaces/:ws/lead-scoring/rules/:ruleId',
    action: 'data.write',
    ok: 200,
    body: PRICING_RULE,
    prepare: freshRule,
  },
  {
    method: 'DELETE',
    path: '/api/workspaces/:ws/lead-scoring/rules/:ruleId',
    action: 'data.write',
    ok: 204,
    prepare: freshRule,
  },
  { method: 'GET', path: '/api/workspaces/:ws/lead-scoring/settings', action: 'data.read', ok: 200 },
  {
    method: 'PUT',
    path: '/api/workspaces/:ws/lead-scoring/settings',
    action: 'data.write',
    ok: 200,
    body: () => ({ halfLifeDays: 14, mqlThreshold: 40, sqlThreshold: 80 }),
  },
  { method: 'POST', path: '/api/workspaces/:ws/lead-scoring/recompute', action: 'data.write', ok: 200 },
];

const accountRoutes = (): WorkspaceRoute[] => [
  { method: 'GET', path: '/api/workspaces/:ws/accounts', action: 'data.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/accounts',
    action: 'data.write',
    ok: 201,
    body: () => ({ name: 'مؤسسة الأفق', domain: 'https://www.Example.com/', industry: 'retail' }),
  },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/accounts/:accountId',
    action: 'data.read',
    ok: 200,
    prepare: freshAccount,
  },
  {
    method: 'PATCH',
    path: '/api/workspaces/:ws/accounts/:accountId',
    action: 'data.write',
    ok: 200,
    body: () => ({ region: 'الخليج' }),
    prepare: freshAccount,
  },
  {
    method: 'DELETE',
    path: '/api/workspaces/:ws/accounts/:accountId',
    action: 'data.write',
    ok: 204,
    prepare: freshAccount,
  },
  {
    method: 'PUT',
    path: '/api/workspaces/:ws/accounts/:accountId/contacts',
    action: 'data.write',
    ok: 200,
    body: () => ({ contactIds: [] }),
    prepare: freshAccount,
  },
];

/**
 * Every route that reads or writes a workspace's data. Adding a route to the
 * server means adding a line here: the OpenAPI test fails until every path
 * with {ws} is listed, and then the role and cross-workspace tests cover it.
 */
export const WORKSPACE_ROUTES: WorkspaceRoute[] = [
  { method: 'GET', path: '/api/workspaces/:ws', action: 'workspace.read', ok: 200 },
  {
    method: 'PATCH',
    path: '/api/workspaces/:ws',
    action: 'workspace.update',
    ok: 200,
    body: () => ({ name: 'مساحة معدّلة' }),
  },
  { method: 'GET', path: '/api/workspaces/:ws/members', action: 'members.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/members',
    action: 'members.manage',
    ok: 201,
    body: () => ({ email: uniqueEmail('invitee'), role: 'analyst' }),
  },
  {
    method: 'PATCH',
    path: '/api/workspaces/:ws/members/:userId',
    action: 'members.manage',
    ok: 200,
    body: () => ({ role: 'marketer' }),
    prepare: freshAnalyst,
  },
  {
    method: 'DELETE',
    path: '/api/workspaces/:ws/members/:userId',
    action: 'members.manage',
    ok: 204,
    prepare: freshAnalyst,
  },
  { method: 'GET', path: '/api/workspaces/:ws/api-keys', action: 'apikeys.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/api-keys',
    action: 'apikeys.manage',
    ok: 201,
    body: () => ({ name: 'CRM sync', scope: 'read' }),
  },
  {
    method: 'DELETE',
    path: '/api/workspaces/:ws/api-keys/:keyId',
    action: 'apikeys.manage',
    ok: 204,
    prepare: async (t, ws) => ({ keyId: (await apiKey(t, ws, 'read')).id }),
  },
  { method: 'GET', path: '/api/workspaces/:ws/sites', action: 'sites.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/sites',
    action: 'sites.manage',
    ok: 201,
    body: () => ({ name: 'متجر الورد', domain: 'https://www.متجر-الورد.com/' }),
  },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/sites/:siteId',
    action: 'sites.read',
    ok: 200,
    prepare: freshSite,
  },
  {
    method: 'PATCH',
    path: '/api/workspaces/:ws/sites/:siteId',
    action: 'sites.manage',
    ok: 200,
    body: () => ({ timezone: 'Asia/Riyadh' }),
    prepare: freshSite,
  },
  {
    method: 'DELETE',
    path: '/api/workspaces/:ws/sites/:siteId',
    action: 'sites.manage',
    ok: 204,
    prepare: freshSite,
  },
  ...REPORTS.map(
    (name): WorkspaceRoute => ({
      method: 'GET',
      path: `/api/workspaces/:ws/sites/:siteId/reports/${name}`,
      action: 'sites.read',
      ok: 200,
      prepare: freshSiteSettings,
    }),
  ),
  ...savedRoutes('goals', 'goalId', () => ({ name: `هدف ${randomUUID().slice(0, 8)}`, definition: GOAL })),
  ...savedRoutes('funnels', 'funnelId', () => ({
    name: `قمع ${randomUUID().slice(0, 8)}`,
    definition: FUNNEL,
  })),
  ...savedRoutes('ctas', 'ctaId', () => ({ name: `زر ${randomUUID().slice(0, 8)}`, definition: CTA })),
  {
    method: 'GET',
    path: '/api/workspaces/:ws/sites/:siteId/share-links',
    action: 'sites.read',
    ok: 200,
    prepare: freshSite,
  },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/sites/:siteId/share-links',
    action: 'sites.manage',
    ok: 201,
    prepare: freshSite,
  },
  {
    method: 'DELETE',
    path: '/api/workspaces/:ws/sites/:siteId/share-links/:linkId',
    action: 'sites.manage',
    ok: 204,
    prepare: freshSiteSettings,
  },
  { method: 'GET', path: '/api/workspaces/:ws/contacts', action: 'data.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/contacts',
    action: 'data.write',
    ok: 201,
    body: () => ({ email: uniqueEmail('new'), firstName: 'خالد' }),
  },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/contacts/:contactId',
    action: 'data.read',
    ok: 200,
    prepare: freshContact,
  },
  {
    method: 'PATCH',
    path: '/api/workspaces/:ws/contacts/:contactId',
    action: 'data.write',
    ok: 200,
    body: () => ({ city: 'الدمام' }),
    prepare: freshContact,
  },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/contacts/:contactId/timeline',
    action: 'data.read',
    ok: 200,
    prepare: freshContact,
  },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/contacts/:contactId/export',
    action: 'data.read',
    ok: 200,
    prepare: freshContact,
  },
  {
    method: 'DELETE',
    path: '/api/workspaces/:ws/contacts/:contactId',
    action: 'privacy.manage',
    ok: 204,
    prepare: freshContact,
  },
  { method: 'GET', path: '/api/workspaces/:ws/attributes', action: 'data.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/attributes',
    action: 'data.write',
    ok: 201,
    body: () => ({ key: `k_${randomUUID().slice(0, 8)}`, label: 'درجة', type: 'number' }),
  },
  {
    method: 'PATCH',
    path: '/api/workspaces/:ws/attributes/:key',
    action: 'data.write',
    ok: 200,
    body: () => ({ label: 'مستوى العميل' }),
    prepare: freshAttribute,
  },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/contacts/:contactId/consents',
    action: 'data.read',
    ok: 200,
    prepare: freshContact,
  },
  {
    method: 'PUT',
    path: '/api/workspaces/:ws/contacts/:contactId/consents',
    action: 'data.write',
    ok: 200,
    body: () => ({ channel: 'email', status: 'granted', source: 'form' }),
    prepare: freshContact,
  },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/contacts/:contactId/preference-links',
    action: 'data.write',
    ok: 200,
    prepare: freshContact,
  },
  { method: 'GET', path: '/api/workspaces/:ws/topics', action: 'data.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/topics',
    action: 'data.write',
    ok: 201,
    body: () => ({ name: `نشرة ${randomUUID().slice(0, 8)}` }),
  },
  { method: 'GET', path: '/api/workspaces/:ws/suppressions', action: 'data.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/suppressions',
    action: 'data.write',
    ok: 201,
    body: () => ({ channel: 'email', address: uniqueEmail('blocked') }),
  },
  {
    method: 'DELETE',
    path: '/api/workspaces/:ws/suppressions/:channel/:address',
    action: 'privacy.manage',
    ok: 204,
    prepare: async (t, ws) => {
      const address = uniqueEmail('suppressed');
      await suppress(t.db, {
        workspaceId: ws,
        channel: 'email',
        address,
        reason: 'manual',
        now: t.clock.now,
      });
      return { channel: 'email', address };
    },
  },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/contact-imports/preview',
    action: 'data.write',
    ok: 200,
    body: () => 'email,الاسم الأول\nmona@example.com,منى\n',
    headers: { 'content-type': 'text/csv' },
  },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/contact-imports',
    action: 'data.write',
    ok: 202,
    body: () => `email,first_name\n${uniqueEmail('imported')},سلمى\n`,
    headers: { 'content-type': 'text/csv' },
  },
  { method: 'GET', path: '/api/workspaces/:ws/contact-imports', action: 'data.read', ok: 200 },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/contact-imports/:importId',
    action: 'data.read',
    ok: 200,
    prepare: finishedImport,
  },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/contact-imports/:importId/errors',
    action: 'data.read',
    ok: 200,
    prepare: finishedImport,
  },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/contact-imports/:importId/cancel',
    action: 'data.write',
    // Only the process running an import can stop it; a finished one answers 409 to whoever may ask.
    ok: 409,
    prepare: finishedImport,
  },
  { method: 'GET', path: '/api/workspaces/:ws/segments', action: 'data.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/segments',
    action: 'data.write',
    ok: 201,
    body: () => ({ name: `شريحة ${randomUUID().slice(0, 8)}`, definition: CITY_SEGMENT }),
  },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/segments/estimate',
    action: 'data.read',
    ok: 200,
    body: () => ({ definition: CITY_SEGMENT }),
  },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/segments/:segmentId',
    action: 'data.read',
    ok: 200,
    prepare: freshSegment,
  },
  {
    method: 'PATCH',
    path: '/api/workspaces/:ws/segments/:segmentId',
    action: 'data.write',
    ok: 200,
    body: () => ({ name: `معدلة ${randomUUID().slice(0, 8)}` }),
    prepare: freshSegment,
  },
  {
    method: 'DELETE',
    path: '/api/workspaces/:ws/segments/:segmentId',
    action: 'data.write',
    ok: 204,
    prepare: freshSegment,
  },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/segments/:segmentId/members',
    action: 'data.read',
    ok: 200,
    prepare: freshSegment,
  },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/segments/:segmentId/export',
    action: 'data.read',
    ok: 200,
    prepare: freshSegment,
  },
  { method: 'GET', path: '/api/workspaces/:ws/audit-log', action: 'audit.read', ok: 200 },
  { method: 'GET', path: '/api/workspaces/:ws/jobs', action: 'jobs.read', ok: 200 },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/jobs/:jobId/retry',
    action: 'jobs.manage',
    ok: 200,
    prepare: async (t, ws) => ({ jobId: await insertJob(t, ws, 'dead') }),
  },
  {
    method: 'POST',
    path: '/api/workspaces/:ws/seo/audits',
    action: 'sites.manage',
    ok: 202,
    body: () => ({ url: 'https://shop.example.com/', options: { maxPages: 10 } }),
  },
  { method: 'GET', path: '/api/workspaces/:ws/seo/audits', action: 'sites.read', ok: 200 },
  seoAuditRoute('GET', '', 'sites.read', 200),
  seoAuditRoute('GET', '/findings', 'sites.read', 200),
  seoAuditRoute('GET', '/pages', 'sites.read', 200),
  seoAuditRoute('GET', '/compare', 'sites.read', 200),
  seoAuditRoute('POST', '/cancel', 'sites.manage', 200),
  {
    method: 'PUT',
    path: '/api/workspaces/:ws/sites/:siteId/seo-schedule',
    action: 'sites.manage',
    ok: 200,
    body: () => ({ day: 5, hour: 9 }),
    prepare: freshSite,
  },
  {
    method: 'DELETE',
    path: '/api/workspaces/:ws/sites/:siteId/seo-schedule',
    action: 'sites.manage',
    ok: 204,
    prepare: scheduledSite,
  },
  ...listRoutes(),
  ...accountRoutes(),
  ...leadScoringRoutes(),
  ...MESSAGE_ROUTES,
  ...contentRoutes(),
  {
    method: 'GET',
    path: '/api/workspaces/:ws/segments/:segmentId/personas',
    action: 'data.read',
    ok: 200,
    prepare: freshSegment,
  },
];

export const urlOf = (route: WorkspaceRoute, target: Target): string =>
  route.path.replace(/:(\w+)/g, (_, name: keyof Target) => target[name] ?? `missing-${name}`);

export const label = (route: WorkspaceRoute) => `${route.method} ${route.path}`;

async function freshTemplate(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const made = await createTemplate(t.db, {
    workspaceId,
    name: `sms ${randomUUID().slice(0, 8)}`,
    source: {
      channel: 'sms',
      subject: '',
      body: 'مرحبًا {{ contact.first_name }}',
      dir: 'rtl',
      lang: 'ar',
      settings: {},
    },
    now: t.clock.now,
  });
  if (!made.ok) throw new Error(made.error.message);
  return { templateId: made.value.id };
}

async function freshSender(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const made = await createSender(t.db, {
    workspaceId,
    sender: { fromAddress: `news-${randomUUID().slice(0, 8)}@shop.example` },
    actor: { type: 'system' },
    now: t.clock.now,
  });
  if (!made.ok) throw new Error(made.error.message);
  return { senderId: made.value.id };
}

async function freshEndpoint(t: TestApp, workspaceId: string): Promise<Partial<Target>> {
  const made = await createEndpoint(t.db, {
    workspaceId,
    input: { url: 'https://crm.example.sa/hooks', eventTypes: ['*'] },
    actor: { type: 'system' },
    now: t.clock.now,
  });
  if (!made.ok) throw new Error(made.error.message);
  return { endpointId: made.value.endpoint.id };
}

/** Templates, sender identities and webhook endpoints. */
function contentRoutes(): WorkspaceRoute[] {
  const templates = '/api/workspaces/:ws/templates';
  const senders = '/api/workspaces/:ws/senders';
  const webhooks = '/api/workspaces/:ws/webhooks';
  return [
    { method: 'GET', path: templates, action: 'data.read', ok: 200 },
    {
      method: 'POST',
      path: templates,
      action: 'data.write',
      ok: 201,
      body: () => ({ channel: 'sms', name: `sms ${randomUUID().slice(0, 8)}`, body: 'x' }),
    },
    {
      method: 'POST',
      path: `${templates}/preview`,
      action: 'data.read',
      ok: 200,
      body: () => ({ channel: 'sms', body: 'x' }),
    },
    { method: 'GET', path: `${templates}/:templateId`, action: 'data.read', ok: 200, prepare: freshTemplate },
    {
      method: 'PATCH',
      path: `${templates}/:templateId`,
      action: 'data.write',
      ok: 200,
      body: () => ({ name: `sms ${randomUUID().slice(0, 8)}` }),
      prepare: freshTemplate,
    },
    {
      method: 'DELETE',
      path: `${templates}/:templateId`,
      action: 'data.write',
      ok: 204,
      prepare: freshTemplate,
    },
    {
      method: 'POST',
      path: `${templates}/:templateId/preview`,
      action: 'data.read',
      ok: 200,
      body: () => ({}),
      prepare: freshTemplate,
    },
    { method: 'GET', path: senders, action: 'data.read', ok: 200 },
    {
      method: 'POST',
      path: senders,
      action: 'workspace.update',
      ok: 201,
      body: () => ({ fromAddress: `news-${randomUUID().slice(0, 8)}@shop.example` }),
    },
    { method: 'GET', path: `${senders}/:senderId`, action: 'data.read', ok: 200, prepare: freshSender },
    {
      method: 'DELETE',
      path: `${senders}/:senderId`,
      action: 'workspace.update',
      ok: 204,
      prepare: freshSender,
    },
    {
      method: 'POST',
      path: `${senders}/:senderId/check-dns`,
      action: 'workspace.update',
      ok: 200,
      prepare: freshSender,
    },
    { method: 'GET', path: '/api/workspaces/:ws/messaging/policy', action: 'data.read', ok: 200 },
    {
      method: 'PUT',
      path: '/api/workspaces/:ws/messaging/policy',
      action: 'workspace.update',
      ok: 200,
      body: () => ({ frequencyCap: { count: 4, periodDays: 7 } }),
    },
    { method: 'GET', path: webhooks, action: 'data.read', ok: 200 },
    {
      method: 'POST',
      path: webhooks,
      action: 'workspace.update',
      ok: 201,
      body: () => ({ url: 'https://crm.example.sa/hooks', eventTypes: ['message.*'] }),
    },
    { method: 'GET', path: `${webhooks}/:endpointId`, action: 'data.read', ok: 200, prepare: freshEndpoint },
    {
      method: 'PATCH',
      path: `${webhooks}/:endpointId`,
      action: 'workspace.update',
      ok: 200,
      body: () => ({ enabled: false }),
      prepare: freshEndpoint,
    },
    {
      method: 'DELETE',
      path: `${webhooks}/:endpointId`,
      action: 'workspace.update',
      ok: 204,
      prepare: freshEndpoint,
    },
    {
      method: 'POST',
      path: `${webhooks}/:endpointId/rotate-secret`,
      action: 'workspace.update',
      ok: 200,
      prepare: freshEndpoint,
    },
    {
      method: 'POST',
      path: `${webhooks}/:endpointId/test`,
      action: 'workspace.update',
      ok: 202,
      prepare: freshEndpoint,
    },
    {
      method: 'GET',
      path: `${webhooks}/:endpointId/deliveries`,
      action: 'data.read',
      ok: 200,
      prepare: freshEndpoint,
    },
  ];
}
