/**
 * Sender identities: the addresses a workspace sends email as. Creating one
 * makes its DKIM key pair (RSA-SHA256, 2048 bits) and selector; the private
 * key stays in the database and never leaves this module in a view. The DNS
 * check (dns-check.ts) is run on request and its result kept with the identity.
 */
import { domainToASCII } from 'node:url';
import { generateDkimKeyAsync } from '@wasl/channels';
import { err, newId, ok, problem, type Result } from '@wasl/core';
import type { Database, SenderIdentity } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit } from './audit.ts';
import { isUniqueViolation } from './db-errors.ts';
import { checkSenderDns, type DnsCheck, type DnsRecordCheck, type TxtResolver } from './dns-check.ts';
import { inTransaction } from './transaction.ts';

export interface SenderView {
  id: string;
  fromAddress: string;
  fromName: string | null;
  replyTo: string | null;
  /** As entered (an Arabic domain stays Arabic). */
  domain: string;
  /** In punycode, as DNS and DKIM's d= know it. */
  asciiDomain: string;
  dkim: {
    selector: string;
    algorithm: 'rsa-sha256';
    publicKey: string;
    recordName: string;
    recordValue: string;
  };
  /** The last DNS check; null until one has run. */
  dns: { ok: boolean; records: DnsRecordCheck[]; checkedAt: number } | null;
  createdAt: number;
}

export interface SenderInput {
  fromAddress: string;
  fromName?: string;
  replyTo?: string;
}

const notFound = problem('not_found', 'sender identity not found');

/** The DKIM selector for a key made at `now`: "wasl" and the year and month, e.g. wasl202611. */
export const selectorFor = (now: number): string => {
  const d = new Date(now);
  return `wasl${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

function view(row: SenderIdentity): SenderView {
  const asciiDomain = domainToASCII(row.domain);
  const checked = row.dns_status === null ? null : (JSON.parse(row.dns_status) as DnsCheck);
  return {
    id: row.id,
    fromAddress: row.from_address,
    fromName: row.from_name,
    replyTo: row.reply_to,
    domain: row.domain,
    asciiDomain,
    dkim: {
      selector: row.dkim_selector,
      algorithm: 'rsa-sha256',
      publicKey: row.dkim_public_key,
      recordName: `${row.dkim_selector}._domainkey.${asciiDomain}`,
      recordValue: `v=DKIM1; k=rsa; p=${row.dkim_public_key}`,
    },
    dns:
      checked === null
        ? null
        : { ok: checked.ok, records: checked.records, checkedAt: Number(row.dns_checked_at ?? 0) },
    createdAt: Number(row.created_at),
  };
}

/** The domain of an address, lower-case; a problem when it is no domain name DNS can hold. */
function domainOf(address: string): Result<string> {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1).toLowerCase();
  const ascii = at < 1 ? '' : domainToASCII(domain);
  if (ascii === '' || !ascii.includes('.')) {
    return err(problem('invalid', `fromAddress "${address}" has no valid domain`, 'fromAddress'));
  }
  return ok(domain);
}

export async function createSender(
  db: Kysely<Database>,
  input: { workspaceId: string; sender: SenderInput; actor: Actor; now: number },
): Promise<Result<SenderView>> {
  const { sender, now } = input;
  const domain = domainOf(sender.fromAddress);
  if (!domain.ok) return domain;
  const key = await generateDkimKeyAsync('rsa-sha256');
  const row: SenderIdentity = {
    id: newId(now),
    workspace_id: input.workspaceId,
    from_address: sender.fromAddress,
    from_name: sender.fromName ?? null,
    reply_to: sender.replyTo ?? null,
    domain: domain.value,
    dkim_selector: selectorFor(now),
    dkim_private_key: key.privateKeyPem,
    dkim_public_key: key.publicKeyBase64,
    dns_status: null,
    dns_checked_at: null,
    created_at: now,
    updated_at: now,
  };
  try {
    await inTransaction(db, async (trx) => {
      await trx.insertInto('sender_identities').values(row).execute();
      await recordAudit(trx, {
        workspaceId: input.workspaceId,
        actor: input.actor,
        action: 'sender.created',
        target: `sender:${row.id}`,
        details: { fromAddress: row.from_address },
        now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      return err(
        problem('conflict', `${sender.fromAddress} is already a sender of this workspace`, 'fromAddress'),
      );
    }
    throw error;
  }
  return ok(view(row));
}

async function findSender(db: Kysely<Database>, workspaceId: string, id: string) {
  return db
    .selectFrom('sender_identities')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listSenders(db: Kysely<Database>, workspaceId: string): Promise<SenderView[]> {
  const rows = await db
    .selectFrom('sender_identities')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('from_address')
    .execute();
  return rows.map(view);
}

export async function getSender(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<Result<SenderView>> {
  const row = await findSender(db, workspaceId, id);
  return row ? ok(view(row)) : err(notFound);
}

export async function deleteSender(
  db: Kysely<Database>,
  input: { workspaceId: string; id: string; actor: Actor; now: number },
): Promise<Result<void>> {
  return inTransaction(db, async (trx) => {
    const deleted = await trx
      .deleteFrom('sender_identities')
      .where('workspace_id', '=', input.workspaceId)
      .where('id', '=', input.id)
      .returning(['from_address'])
      .executeTakeFirst();
    if (!deleted) return err(notFound);
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'sender.deleted',
      target: `sender:${input.id}`,
      details: { fromAddress: deleted.from_address },
      now: input.now,
    });
    return ok(undefined);
  });
}

/** Runs the DNS check for one identity and keeps its result. */
export async function checkSender(
  db: Kysely<Database>,
  resolver: TxtResolver,
  input: { workspaceId: string; id: string; now: number; spfInclude?: string; dmarcReportAddress?: string },
): Promise<Result<SenderView>> {
  const row = await findSender(db, input.workspaceId, input.id);
  if (!row) return err(notFound);
  const checked = await checkSenderDns(resolver, {
    domain: row.domain,
    selector: row.dkim_selector,
    publicKey: row.dkim_public_key,
    ...(input.spfInclude === undefined ? {} : { spfInclude: input.spfInclude }),
    ...(input.dmarcReportAddress === undefined ? {} : { dmarcReportAddress: input.dmarcReportAddress }),
  });
  if (!checked.ok) return checked;
  const dns_status = JSON.stringify(checked.value);
  await db
    .updateTable('sender_identities')
    .set({ dns_status, dns_checked_at: input.now, updated_at: input.now })
    .where('id', '=', row.id)
    .execute();
  return ok(view({ ...row, dns_status, dns_checked_at: input.now, updated_at: input.now }));
}
