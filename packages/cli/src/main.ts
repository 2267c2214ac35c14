import { Command, Option } from 'commander';
import { apikeyCommand } from './commands/apikey.ts';
import { contactsCommand } from './commands/contacts.ts';
import { seoCommand } from './commands/seo.ts';
import { siteCommand } from './commands/site.ts';
import { userCommand } from './commands/user.ts';
import { workspaceCommand } from './commands/workspace.ts';
import { CliError } from './errors.ts';

// Command bodies load on use, so `wasl --help` does not pay for the database drivers and the HTTP stack.
const startCommand = async (options: { role?: string; port?: string }) =>
  (await import('./commands/start.ts')).startCommand(options);
const migrateCommand = async () => (await import('./commands/migrate.ts')).migrateCommand();

/** The `wasl` command: a thin shell; each subcommand lives in commands/. */
const program = new Command('wasl')
  .description('Wasl (وصل): self-hosted, Arabic-first digital marketing')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('start')
  .description('start Wasl: HTTP API, dashboard, tracking and workers (one process on embedded storage)')
  .addOption(
    new Option(
      '--role <roles>',
      'comma-separated roles to run: api, ingest, worker (scale mode only)',
    ).default('api,ingest,worker'),
  )
  .option('--port <port>', 'port to listen on (overrides WASL_PORT)')
  .action(run(startCommand));

program
  .command('worker')
  .description('run only the worker role (same as start --role worker; needs PostgreSQL)')
  .action(run(() => startCommand({ role: 'worker' })));

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(run(migrateCommand));

program.addCommand(userCommand(run));
program.addCommand(workspaceCommand(run));
program.addCommand(siteCommand(run));
program.addCommand(apikeyCommand(run));
program.addCommand(contactsCommand(run));
program.addCommand(seoCommand(run));

/** Wraps an action so a CliError prints one line and sets the exit code, and a bug prints its stack. */
function run<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      if (error instanceof CliError) {
        process.stderr.write(`wasl: ${error.message}\n`);
        process.exitCode = error.exitCode;
      } else {
        process.stderr.write(`wasl: unexpected error\n${(error as Error)?.stack ?? String(error)}\n`);
        process.exitCode = 70;
      }
    }
  };
}
export type Run = typeof run;

await program.parseAsync(process.argv);
