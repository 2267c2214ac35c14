/**
 * The messaging endpoints for the shared route table
 * (test/helpers/workspace-routes.ts: `...MESSAGE_ROUTES` in WORKSPACE_ROUTES),
 * so the permission and tenancy suites cover them like every other route.
 */
import { newId } from '@wasl/core';
import { createContact } from '../../src/index.ts';
import type { TestApp } from '../helpers/app.ts';
import { uniqueEmail } from '../helpers/people.ts';
import type { Target, WorkspaceRoute } from '../helpers/workspace-routes.ts';

type Prepared = Partial<Target> & { messageId?: string };
type MessageRoute = Omit<WorkspaceRoute, 'prepare'> & {
  prepare?: (t: TestApp, workspaceId: string) => Promise<Prepared>;
};

async function freshContact(t: TestApp, workspaceId: string): Promise<Prepared> {
  const created = await createContact(t.db, {
    workspaceId,
    input: { email: uniqueEmail('contact'), firstName: 'نورة' },
    now: t.clock.now,
  });
  if (!created.ok) throw new Error(created.error.message);
  return { contactId: created.value.contact.id };
}

async function freshMessage(t: TestApp, workspaceId: string): Promise<Prepared> {
  const messageId = newId(t.clock.now);
  await t.db
    .insertInto('messages')
    .values({
      id: messageId,
      workspace_id: workspaceId,
      idempotency_key: `test:${messageId}`,
      channel: 'email',
      contact_id: null,
      address: null,
      source_kind: 'transactional',
      source_id: null,
      marketing: 0,
      content: '{}',
      status: 'queued',
      next_attempt_at: t.clock.now,
      created_at: t.clock.now,
      updated_at: t.clock.now,
    })
    .execute();
  return { messageId };
}

export const MESSAGE_ROUTES: MessageRoute[] = [
  { method: 'GET', path: '/api/workspaces/:ws/messages', action: 'data.read', ok: 200 },
  {
    method: 'GET',
    path: '/api/workspaces/:ws/messages/:messageId',
    action: 'data.read',
    ok: 200,
    prepare: freshMessage,
  },
  // The body cannot name a prepared contact: an allowed caller gets the 404 of an unknown contact.
  {
    method: 'POST',
    path: '/api/workspaces/:ws/messages',
    action: 'data.write',
    ok: 404,
    body: () => ({ contactId: 'no-such-contact', marketing: false, content: { templateId: 't' } }),
  },
  ...(['pause', 'resume'] as const).map(
    (action): MessageRoute => ({
      method: 'POST',
      path: `/api/workspaces/:ws/delivery/${action}`,
      action: 'workspace.update',
      ok: 200,
      body: () => ({}),
    }),
  ),
  {
    method: 'POST',
    path: '/api/workspaces/:ws/contacts/:contactId/double-opt-in',
    action: 'data.write',
    ok: 202,
    body: () => ({}),
    prepare: freshContact,
  },
  { method: 'GET', path: '/api/workspaces/:ws/push/subscriptions', action: 'data.read', ok: 200 },
];
