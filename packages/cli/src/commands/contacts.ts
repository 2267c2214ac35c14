import { Command, Option } from 'commander';
import type { Run } from '../main.ts';

const actions = () => import('./contacts-actions.ts');

/** `wasl contacts …`: bring people into a workspace's audience. */
export function contactsCommand(run: Run): Command {
  const contacts = new Command('contacts').description("manage a workspace's contacts");

  contacts
    .command('import')
    .description(
      'import contacts from a CSV file of any size (UTF-8 or Excel UTF-16, Arabic welcome), with a progress bar; ' +
        'rows with a bad email, phone or value are reported by line and column, the rest import',
    )
    .argument('<file>', 'the CSV file')
    .requiredOption('--workspace <id>', 'the workspace id (see `wasl workspace list`)')
    .addOption(
      new Option('--policy <policy>', 'rows matching an existing contact by email or phone')
        .choices(['upsert', 'insert_only', 'update_only'])
        .default('upsert'),
    )
    .option(
      '--mapping <file>',
      'a JSON file {"CSV header": "field"}; by default the remembered or suggested mapping',
    )
    .option('--errors <file>', 'write every reported row problem to this CSV file')
    .option(
      '--country <code>',
      "country of local phone numbers such as 0501234567 (e.g. SA); default: from the workspace's time zone",
    )
    .action(
      run(
        async (
          file: string,
          o: { workspace: string; policy: string; mapping?: string; errors?: string; country?: string },
        ) => (await actions()).importContactsAction(file, o),
      ),
    );
  return contacts;
}
