import { Command } from 'commander';
import type { Run } from '../main.ts';
import type { CreateOptions } from './user-actions.ts';

const actions = () => import('./user-actions.ts');
/** `wasl user …`: create people and print password links without the dashboard. */
export function userCommand(run: Run): Command {
  const user = new Command('user').description('manage people who sign in to Wasl');

  user
    .command('create')
    .description('create a person; without --password-stdin, prints a link to set the password')
    .requiredOption('--email <email>', 'their email address')
    .requiredOption('--name <name>', 'their name (Arabic or any script)')
    .option('--locale <locale>', 'dashboard language: ar or en', 'ar')
    .option('--password-stdin', 'read the password from standard input')
    .option('--workspace <id>', 'also add them to this workspace')
    .option('--role <role>', 'their role in --workspace: owner, admin, marketer or analyst')
    .action(run(async (o: CreateOptions) => (await actions()).createUserAction(o)));

  user
    .command('reset-link')
    .description('print a password reset link for a person (valid one hour, works once)')
    .requiredOption('--email <email>', 'their email address')
    .action(run(async (o: { email: string }) => (await actions()).resetLinkAction(o)));
  return user;
}
