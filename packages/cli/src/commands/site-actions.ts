import { createSite, listSites } from '@wasl/server';
import { printTable, unwrap, withOltp } from '../admin.ts';
import { CliError } from '../errors.ts';

export async function createSiteAction(o: {
  workspace: string;
  name: string;
  domain: string;
  timezone?: string;
}): Promise<void> {
  await withOltp(async ({ oltp, config }) => {
    const site = unwrap(
      await createSite(oltp.db, {
        workspaceId: o.workspace,
        name: o.name,
        domain: o.domain,
        timezone: o.timezone,
        actor: { type: 'system' },
      }),
    );
    process.stdout.write(
      `created site ${site.name} (${site.id}) for ${site.domain}\nkey: ${site.key}\n` +
        `snippet: <script defer src="${config.publicUrl}/t.js" data-site="${site.key}"></script>\n`,
    );
  });
}

export async function listSitesAction(o: { workspace: string }): Promise<void> {
  await withOltp(async ({ oltp }) => {
    const workspace = await oltp.db
      .selectFrom('workspaces')
      .select('id')
      .where('id', '=', o.workspace)
      .executeTakeFirst();
    if (!workspace) throw new CliError(`--workspace: no workspace has the id ${o.workspace}`);
    const sites = await listSites(oltp.db, o.workspace);
    if (sites.length === 0) {
      process.stdout.write('no sites yet\n');
      return;
    }
    printTable(
      sites.map((s) => ({ id: s.id, name: s.name, domain: s.domain, key: s.key, timezone: s.timezone })),
    );
  });
}
