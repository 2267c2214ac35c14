import { Command } from 'commander';
import type { Run } from '../main.ts';

const actions = () => import('./apikey-actions.ts');

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
      run(async (o: { workspace: string; name: string; scope: string }) =>
        (await actions()).createApiKeyAction(o),
      ),
    );

  apikey
    .command('revoke')
    .description('revoke a key at once; requests with it get 401')
    .requiredOption('--workspace <id>', 'the workspace the key belongs to')
    .requiredOption('--id <keyId>', 'the key id (from `apikey create` or the dashboard)')
    .action(run(async (o: { workspace: string; id: string }) => (await actions()).revokeApiKeyAction(o)));
  return apikey;
}
