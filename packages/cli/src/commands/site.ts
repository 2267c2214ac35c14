import { Command } from 'commander';
import type { Run } from '../main.ts';

const actions = () => import('./site-actions.ts');

/** `wasl site …`: the websites a workspace tracks, and the key their tracker snippet sends. */
export function siteCommand(run: Run): Command {
  const site = new Command('site').description(
    'manage tracked websites (their key goes into the tracker snippet)',
  );

  site
    .command('create')
    .description('add a website to a workspace and print its key and tracker snippet')
    .requiredOption('--workspace <id>', 'the workspace id (see `wasl workspace list`)')
    .requiredOption('--name <name>', 'a name for people (Arabic or any script)')
    .requiredOption('--domain <domain>', 'the hostname, e.g. shop.example.sa or an Arabic domain')
    .option('--timezone <zone>', "IANA time zone for its reports; defaults to the workspace's")
    .action(
      run(async (o: { workspace: string; name: string; domain: string; timezone?: string }) =>
        (await actions()).createSiteAction(o),
      ),
    );

  site
    .command('list')
    .description("list a workspace's websites with their keys")
    .requiredOption('--workspace <id>', 'the workspace id')
    .action(run(async (o: { workspace: string }) => (await actions()).listSitesAction(o)));
  return site;
}
