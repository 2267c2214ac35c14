/**
 * What the SMSC sends back, applied to Wasl's data. One SMPP bind serves
 * every workspace, so each report is first given its workspace: a delivery
 * receipt by the SMS message with its provider id; a reply (an opt-out such
 * as "STOP" or "إلغاء") by every workspace that has sent SMS to that phone,
 * since the sender id does not tell workspaces apart. Then
 * `applyStatusReports` does what it does for any provider.
 */
import type { StatusReport } from '@wasl/channels';
import type { Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import { applyStatusReports, type FactSink } from '../message-status.ts';

/** The workspaces a report from the SMSC concerns. */
async function workspacesOf(db: Kysely<Database>, report: StatusReport): Promise<string[]> {
  if (report.providerMessageId !== undefined) {
    const message = await db
      .selectFrom('messages')
      .select('workspace_id')
      .where('channel', '=', 'sms')
      .where('provider_message_id', '=', report.providerMessageId)
      .executeTakeFirst();
    return message ? [message.workspace_id] : [];
  }
  if (report.recipient === undefined) return [];
  const rows = await db
    .selectFrom('messages')
    .select('workspace_id')
    .distinct()
    .where('channel', '=', 'sms')
    .where('address', '=', report.recipient)
    .execute();
  return rows.map((r) => r.workspace_id);
}

/** The SmppAdapter's `onReport`: applies each receipt or reply; a throw makes the SMSC send it again. */
export function smppReportHandler(
  db: Kysely<Database>,
  events: FactSink | undefined,
  clock: () => number,
): (report: StatusReport) => Promise<void> {
  return async (report) => {
    for (const workspaceId of await workspacesOf(db, report)) {
      await applyStatusReports(db, events, workspaceId, [report], {
        now: clock(),
        channel: 'sms',
        provider: 'smpp',
      });
    }
  };
}
