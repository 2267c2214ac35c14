import { err, newId, ok, problem, type Result } from '@wasl/core';
import type { Database, Site } from '@wasl/store';
import type { Kysely } from 'kysely';
import { isTimeZone } from '../locales.ts';
import { type Actor, recordAudit } from './audit.ts';
import { randomBase62 } from './crypto.ts';
import { inTransaction } from './transaction.ts';

/**
 * The hostname of what a person typed: `Example.com`, `https://www.example.com/shop`
 * or an Arabic domain such as `متجر.السعودية` (stored in punycode, as browsers send
 * it in Referer and Origin headers). undefined when it is not a hostname.
 */
export function normaliseDomain(input: string): string | undefined {
  const raw = input.trim();
  if (raw === '' || /\s/.test(raw)) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    const host = url.hostname.toLowerCase().replace(/\.$/, '');
    // A site is a named host, with at least one dot (or localhost for development).
    return host === 'localhost' || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

const badDomain = (value: string) =>
  problem('invalid', `"${value}" is not a website address; expected a domain such as example.com`, 'domain');
const badTimeZone = (value: string) => problem('invalid', `unknown time zone "${value}"`, 'timezone');

export interface NewSite {
  workspaceId: string;
  name: string;
  domain: string;
  /** Defaults to the workspace's time zone. */
  timezone?: string;
  actor: Actor;
  now?: number;
}

/** Adds a website to track; its key (`site_…`, public) goes into the tracker snippet. */
export async function createSite(db: Kysely<Database>, input: NewSite): Promise<Result<Site>> {
  const domain = normaliseDomain(input.domain);
  if (!domain) return err(badDomain(input.domain));
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) return err(badTimeZone(input.timezone));
  const now = input.now ?? Date.now();
  return inTransaction(db, async (trx) => {
    const workspace = await trx
      .selectFrom('workspaces')
      .select('timezone')
      .where('id', '=', input.workspaceId)
      .executeTakeFirst();
    if (!workspace) return err(problem('not_found', 'workspace not found'));
    const site: Site = {
      id: newId(now),
      workspace_id: input.workspaceId,
      name: input.name.trim(),
      domain,
      key: `site_${randomBase62(16)}`,
      timezone: input.timezone ?? workspace.timezone,
      created_at: now,
    };
    await trx.insertInto('sites').values(site).execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'site.created',
      target: `site:${site.id}`,
      details: { name: site.name, domain },
      now,
    });
    return ok(site);
  });
}

export const listSites = (db: Kysely<Database>, workspaceId: string): Promise<Site[]> =>
  db.selectFrom('sites').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute();

export const getSite = (
  db: Kysely<Database>,
  workspaceId: string,
  siteId: string,
): Promise<Site | undefined> =>
  db
    .selectFrom('sites')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', siteId)
    .executeTakeFirst();

export interface SiteChanges {
  name?: string;
  domain?: string;
  timezone?: string;
}

export async function updateSite(
  db: Kysely<Database>,
  input: { workspaceId: string; siteId: string; changes: SiteChanges; actor: Actor; now?: number },
): Promise<Result<Site>> {
  const { changes } = input;
  const set: SiteChanges = {};
  if (changes.name !== undefined) set.name = changes.name.trim();
  if (changes.domain !== undefined) {
    const domain = normaliseDomain(changes.domain);
    if (!domain) return err(badDomain(changes.domain));
    set.domain = domain;
  }
  if (changes.timezone !== undefined) {
    if (!isTimeZone(changes.timezone)) return err(badTimeZone(changes.timezone));
    set.timezone = changes.timezone;
  }
  return inTransaction(db, async (trx) => {
    const site = await getSite(trx, input.workspaceId, input.siteId);
    if (!site) return err(problem('not_found', 'site not found'));
    if (Object.keys(set).length === 0) return ok(site);
    await trx.updateTable('sites').set(set).where('id', '=', site.id).execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'site.updated',
      target: `site:${site.id}`,
      details: { changes: set },
      now: input.now,
    });
    return ok({ ...site, ...set });
  });
}

/** Removes a site; its key stops being accepted at once. */
export async function deleteSite(
  db: Kysely<Database>,
  input: { workspaceId: string; siteId: string; actor: Actor; now?: number },
): Promise<Result<void>> {
  return inTransaction(db, async (trx) => {
    const site = await getSite(trx, input.workspaceId, input.siteId);
    if (!site) return err(problem('not_found', 'site not found'));
    await trx.deleteFrom('sites').where('id', '=', site.id).execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'site.deleted',
      target: `site:${site.id}`,
      details: { name: site.name, domain: site.domain },
      now: input.now,
    });
    return ok(undefined);
  });
}
