import { createWorkspace, findUserByEmail, LOCALES, type Locale } from '@wasl/server';
import { Command } from 'commander';
import { printTable, unwrap, withOltp } from '../admin.ts';
import { CliError } from '../errors.ts';
import type { Run } from '../main.ts';

/** `wasl workspace …`: an agency runs one workspace per client. */
export function workspaceCommand(run: Run): Command {
  const workspace = new Command('workspace').description('manage workspaces (one per brand or client)');

  workspace
    .command('create')
    .description('create a workspace owned by an existing person')
    .requiredOption('--name <name>', 'the workspace name (Arabic or any script)')
    .requiredOption('--owner-email <email>', 'the person who will own it (see `wasl user create`)')
    .option('--locale <locale>', `default content language: ${LOCALES.join(' or ')}`)
    .option('--timezone <zone>', 'IANA time zone for reports and schedules, e.g. Asia/Riyadh', 'UTC')
    .action(
      run(async (o: { name: string; ownerEmail: string; locale?: string; timezone: string }) => {
        if (o.locale !== undefined && !(LOCALES as readonly string[]).includes(o.locale)) {
          throw new CliError(`--locale: expected ${LOCALES.join(' or ')}, got "${o.locale}"`);
        }
        await withOltp(async ({ oltp }) => {
          const owner = await findUserByEmail(oltp.db, o.ownerEmail);
          if (!owner) throw new CliError(`--owner-email: no account has the email ${o.ownerEmail}`);
          const created = unwrap(
            await createWorkspace(oltp.db, {
              name: o.name,
              ownerUserId: owner.id,
              locale: o.locale as Locale | undefined,
              timezone: o.timezone,
            }),
          );
          process.stdout.write(`created workspace ${created.name} (${created.id})\n`);
        });
      }),
    );

  workspace
    .command('list')
    .description('list every workspace with its member count')
    .action(
      run(async () => {
        await withOltp(async ({ oltp }) => {
          const rows = await oltp.db
            .selectFrom('workspaces')
            .leftJoin('memberships', 'memberships.workspace_id', 'workspaces.id')
            .select(({ fn }) => [
              'workspaces.id',
              'workspaces.name',
              'workspaces.locale',
              'workspaces.timezone',
              fn.count<number>('memberships.user_id').as('members'),
            ])
            .groupBy(['workspaces.id', 'workspaces.name', 'workspaces.locale', 'workspaces.timezone'])
            .orderBy('workspaces.id')
            .execute();
          if (rows.length === 0) {
            process.stdout.write('no workspaces yet\n');
            return;
          }
          printTable(
            rows.map((r) => ({
              id: r.id,
              name: r.name,
              locale: r.locale,
              timezone: r.timezone,
              members: String(r.members),
            })),
          );
        });
      }),
    );
  return workspace;
}
