import { createApiKey, revokeApiKey } from '@wasl/server';
import { unwrap, withOltp } from '../admin.ts';
import { CliError } from '../errors.ts';

const FIELDS = { workspaceId: '--workspace', keyId: '--id' };

export async function createApiKeyAction(o: {
  workspace: string;
  name: string;
  scope: string;
}): Promise<void> {
  if (o.scope !== 'read' && o.scope !== 'write') {
    throw new CliError(`--scope: expected read or write, got "${o.scope}"`);
  }
  const scope = o.scope;
  await withOltp(async ({ oltp }) => {
    const exists = await oltp.db
      .selectFrom('workspaces')
      .select('id')
      .where('id', '=', o.workspace)
      .executeTakeFirst();
    if (!exists) throw new CliError(`--workspace: no workspace has the id ${o.workspace}`);
    const created = unwrap(
      await createApiKey(oltp.db, {
        workspaceId: o.workspace,
        name: o.name,
        scope,
        actor: { type: 'system' },
      }),
      FIELDS,
    );
    process.stdout.write(`created ${scope} key ${created.apiKey.id} (${created.apiKey.name})\n`);
    process.stdout.write(`${created.key}\n`);
    process.stderr.write('Store it now: Wasl keeps only a hash and cannot show it again.\n');
  });
}

export async function revokeApiKeyAction(o: { workspace: string; id: string }): Promise<void> {
  await withOltp(async ({ oltp }) => {
    const revoked = unwrap(
      await revokeApiKey(oltp.db, { workspaceId: o.workspace, keyId: o.id, actor: { type: 'system' } }),
      FIELDS,
    );
    process.stdout.write(`revoked key ${revoked.id} (${revoked.name})\n`);
  });
}
