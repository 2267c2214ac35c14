/** Messages as the delivery engine leaves them after a send, for tests of what happens next (receipts, clicks). */
import { newId } from '@wasl/core';
import type { TestApp } from './app.ts';

export interface SentMessage {
  /** A fixed id (one a fixture names); a new one by default. */
  id?: string;
  workspaceId: string;
  contactId?: string | null;
  channel?: string;
  address?: string;
  status?: string;
  providerMessageId?: string;
  inDoubt?: boolean;
  sentAt?: number;
  sourceId?: string;
}

/** Inserts one message row and returns its id. */
export async function sentMessage(t: TestApp, m: SentMessage): Promise<string> {
  const id = m.id ?? newId(t.clock.now);
  const sentAt = m.sentAt ?? t.clock.now;
  await t.db
    .insertInto('messages')
    .values({
      id,
      workspace_id: m.workspaceId,
      idempotency_key: `test:${id}`,
      channel: m.channel ?? 'email',
      contact_id: m.contactId ?? null,
      address: m.address ?? 'salma@example.com',
      source_kind: 'campaign',
      source_id: m.sourceId ?? 'cmp_1',
      marketing: 1,
      content: '{}',
      status: m.status ?? 'sent',
      in_doubt: m.inDoubt ? 1 : 0,
      next_attempt_at: sentAt,
      provider: 'test',
      provider_message_id: m.providerMessageId ?? null,
      created_at: sentAt,
      updated_at: sentAt,
      committed_at: sentAt,
      sent_at: sentAt,
    })
    .execute();
  return id;
}

/** The message's status and in_doubt flag. */
export async function messageState(t: TestApp, id: string): Promise<{ status: string; in_doubt: number }> {
  return t.db
    .selectFrom('messages')
    .select(['status', 'in_doubt'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}
