import { Command } from 'commander';
import type { Run } from '../main.ts';

const actions = () => import('./workspace-actions.ts');

/** `wasl workspace …`: an agency runs one workspace per client. */
export function workspaceCommand(run: Run): Command {
  const workspace = new Command('workspace').description('manage workspaces (one per brand or client)');

  workspace
    .command('create')
    .description('create a workspace owned by an existing person')
    .requiredOption('--name <name>', 'the workspace name (Arabic or any script)')
    .requiredOption('--owner-email <email>', 'the person who will own it (see `wasl user create`)')
    .option('--locale <locale>', 'default content language: ar or en')
    .option('--timezone <zone>', 'IANA time zone for reports and schedules, e.g. Asia/Riyadh', 'UTC')
    .action(
      run(async (o: { name: string; ownerEmail: string; locale?: string; timezone: string }) =>
        (await actions()).createWorkspaceAction(o),
      ),
    );

  workspace
    .command('list')
    .description('list every workspace with its member count')
    .action(run(async () => (await actions()).listWorkspacesAction()));
  return workspace;
}
