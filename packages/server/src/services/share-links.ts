import { err, newId, ok, problem, type Result } from '@wasl/core';
import type { Database, ShareLink, Site } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit } from './audit.ts';
import { randomBase62, sha256Hex } from './crypto.ts';
import { getSite } from './sites.ts';
import { inTransaction } from './transaction.ts';

/** 32 base62 characters: about 190 random bits, unguessable, and short enough to paste. */
const TOKEN_PATTERN = /^[0-9A-Za-z]{32}$/;
const PREFIX_LENGTH = 6;

/** Where the dashboard shows a shared site's reports; the API reads it under /api/share/<token>/…. */
export const sharePageUrl = (publicUrl: string, token: string) =>
  `${publicUrl.replace(/\/+$/, '')}/share/${token}`;

export interface CreatedShareLink {
  link: ShareLink;
  /** Only its SHA-256 is stored: this is the one time anyone sees it. */
  token: string;
}

export async function createShareLink(
  db: Kysely<Database>,
  input: { workspaceId: string; siteId: string; actor: Actor; now?: number },
): Promise<Result<CreatedShareLink>> {
  const now = input.now ?? Date.now();
  const token = randomBase62(32);
  return inTransaction(db, async (trx) => {
    if (!(await getSite(trx, input.workspaceId, input.siteId))) {
      return err(problem('not_found', 'site not found'));
    }
    const link: ShareLink = {
      id: newId(now),
      workspace_id: input.workspaceId,
      site_id: input.siteId,
      token_hash: sha256Hex(token),
      prefix: token.slice(0, PREFIX_LENGTH),
      created_by: input.actor.type === 'user' ? input.actor.id : null,
      created_at: now,
      revoked_at: null,
    };
    await trx.insertInto('share_links').values(link).execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'share_link.created',
      target: `share_link:${link.id}`,
      details: { siteId: input.siteId, prefix: link.prefix },
      now,
    });
    return ok({ link, token });
  });
}

/** Newest first, revoked ones included so the list says when a link stopped working. */
export async function listShareLinks(
  db: Kysely<Database>,
  workspaceId: string,
  siteId: string,
): Promise<Result<ShareLink[]>> {
  if (!(await getSite(db, workspaceId, siteId))) return err(problem('not_found', 'site not found'));
  return ok(
    await db
      .selectFrom('share_links')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('site_id', '=', siteId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
  );
}

/** Stops the link at once (every shared request looks the token up). Revoking twice is fine and recorded once. */
export async function revokeShareLink(
  db: Kysely<Database>,
  input: { workspaceId: string; siteId: string; linkId: string; actor: Actor; now?: number },
): Promise<Result<void>> {
  const now = input.now ?? Date.now();
  return inTransaction(db, async (trx) => {
    const link = await trx
      .selectFrom('share_links')
      .selectAll()
      .where('workspace_id', '=', input.workspaceId)
      .where('site_id', '=', input.siteId)
      .where('id', '=', input.linkId)
      .executeTakeFirst();
    if (!link) return err(problem('not_found', 'share link not found'));
    if (link.revoked_at !== null) return ok(undefined);
    await trx.updateTable('share_links').set({ revoked_at: now }).where('id', '=', link.id).execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'share_link.revoked',
      target: `share_link:${link.id}`,
      details: { siteId: input.siteId, prefix: link.prefix },
      now,
    });
    return ok(undefined);
  });
}

/** The site a live token opens; undefined for a malformed, unknown or revoked token (callers answer 404 alike). */
export async function resolveShareToken(db: Kysely<Database>, token: string): Promise<Site | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  return db
    .selectFrom('share_links')
    .innerJoin('sites', (join) =>
      join
        .onRef('sites.id', '=', 'share_links.site_id')
        .onRef('sites.workspace_id', '=', 'share_links.workspace_id'),
    )
    .selectAll('sites')
    .where('share_links.token_hash', '=', sha256Hex(token))
    .where('share_links.revoked_at', 'is', null)
    .executeTakeFirst();
}
