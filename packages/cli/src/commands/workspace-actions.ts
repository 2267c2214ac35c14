import { createWorkspace, findUserByEmail, LOCALES, type Locale } from '@wasl/server';
import { printTable, unwrap, withOltp } from '../admin.ts';
import { CliError } from '../errors.ts';

export async function createWorkspaceAction(o: {
  name: string;
  ownerEmail: string;
  locale?: string;
  timezone: string;
}): Promise<void> {
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
}

export async function listWorkspacesAction(): Promise<void> {
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
}
