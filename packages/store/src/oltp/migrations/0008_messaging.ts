import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id').onDelete('cascade');

/**
 * Messaging: every message and its delivery state (the delivery engine's
 * queue and its log in one table), and the pauses that hold sending back.
 * A message's state is written before and after each provider call (see
 * docs/decisions/0010-delivery-never-twice.md).
 */
export const messaging: Migration = {
  version: '0008_messaging',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      /** Source × contact × channel (e.g. "campaign:C1:contact:K9:email"); one message per key, ever. */
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      /** email | sms | whatsapp | webpush | webhook */
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text')
      /** The address it goes to: email, E.164 phone, push endpoint or webhook URL (null until resolved). */
      .addColumn('address', 'text')
      /** campaign | journey | transactional | test | system */
      .addColumn('source_kind', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text')
      /** Marketing messages carry List-Unsubscribe and obey consent for marketing; transactional ones do not. */
      .addColumn('marketing', 'integer', (c) => c.notNull())
      /** JSON: what to send (template reference and variables, or the content itself). */
      .addColumn('content', 'text', (c) => c.notNull())
      /**
       * queued → sending → committed → sent, or skipped / failed / bounced.
       * Later receipts move it on (delivered, opened, clicked, complained, …).
       */
      .addColumn('status', 'text', (c) => c.notNull())
      /** 1 when a worker stopped after handing the message over but before the provider answered. */
      .addColumn('in_doubt', 'integer', (c) => c.notNull().defaultTo(0))
      /** Why a message was not sent: suppressed, no_consent, unsubscribed, frequency_cap, no_address, … */
      .addColumn('skip_reason', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_until', 'bigint')
      .addColumn('worker_id', 'text')
      .addColumn('provider', 'text')
      .addColumn('provider_message_id', 'text')
      /** The provider's last words: "250 2.0.0 queued as …", "550 5.1.1 user unknown". */
      .addColumn('response', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('committed_at', 'bigint')
      .addColumn('sent_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('messages_idempotency')
      .unique()
      .on('messages')
      .columns(['workspace_id', 'idempotency_key'])
      .execute();
    // The engine's queue: due messages in order; and abandoned leases.
    await db.schema
      .createIndex('messages_due')
      .on('messages')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('messages_contact')
      .on('messages')
      .columns(['workspace_id', 'contact_id', 'channel', 'sent_at'])
      .execute();
    await db.schema
      .createIndex('messages_source')
      .on('messages')
      .columns(['workspace_id', 'source_kind', 'source_id', 'status'])
      .execute();
    await db.schema
      .createIndex('messages_provider_id')
      .on('messages')
      .column('provider_message_id')
      .execute();

    await db.schema
      .createTable('delivery_pauses')
      /** 'all', 'workspace:<id>', 'source:<id>' or 'channel:<name>' */
      .addColumn('scope', 'text', (c) => c.primaryKey())
      .addColumn('reason', 'text', (c) => c.notNull())
      /** user | circuit_breaker */
      .addColumn('by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      /** A circuit breaker's pause ends by itself at this time; null: until resumed. */
      .addColumn('until', 'bigint')
      .execute();
  },
};
