import { createApiKey, revokeApiKey } from '@wasl/server';
import { Command } from 'commander';
import { unwrap, withOltp } from '../admin.ts';
import { CliError } from '../errors.ts';
import type { Run } from '../main.ts';

const FIELDS = { workspaceId: '--workspace', keyId: '--id' };

/** `wasl apikey …`: keys for servers and SDKs that send data to a workspace. */
export function apikeyCommand(run: Run): Command {
  const apikey = new Command('apikey').description("manage a workspace's API keys");

  apikey
    .command('create')
    .description('create a key; it is printed once and stored only as a hash')
    .requiredOption('--workspace <id>', 'the workspace the key belongs to')
    .requiredOption('--name <name>', 'what the key is for, e.g. "website backend"')
    .option('--scope <scope>', 'read or write', 'write')
    .action(
      run(async (o: { workspace: string; name: string; scope: string }) => {
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
      }),
    );

  apikey
    .command('revoke')
    .description('revoke a key at once; requests with it get 401')
    .requiredOption('--workspace <id>', 'the workspace the key belongs to')
    .requiredOption('--id <keyId>', 'the key id (from `apikey create` or the dashboard)')
    .action(
      run(async (o: { workspace: string; id: string }) => {
        await withOltp(async ({ oltp }) => {
          const revoked = unwrap(
            await revokeApiKey(oltp.db, { workspaceId: o.workspace, keyId: o.id, actor: { type: 'system' } }),
            FIELDS,
          );
          process.stdout.write(`revoked key ${revoked.id} (${revoked.name})\n`);
        });
      }),
    );
  return apikey;
}
