import type { ShareLink, Site } from '@wasl/store';
import type { z } from 'zod';
import type { DefinitionKind, Saved } from '../services/report-definitions.ts';
import { iso } from './present.ts';
import type { SharedSiteDto, ShareLinkDto } from './report-schemas.ts';

/** Saved goals, funnels, CTAs and share links in the API's shapes: camelCase, ISO 8601 times, never a hash. */

export const presentSaved = <K extends DefinitionKind>(s: Saved<K>) => ({
  id: s.id,
  siteId: s.siteId,
  name: s.name,
  definition: s.definition,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

export const presentShareLink = (l: ShareLink): z.output<typeof ShareLinkDto> => ({
  id: l.id,
  siteId: l.site_id,
  prefix: l.prefix,
  createdBy: l.created_by,
  createdAt: iso(l.created_at),
  revokedAt: l.revoked_at === null ? null : iso(l.revoked_at),
});

/** All a share link tells about its site: no ids, no key, nothing about the workspace. */
export const presentSharedSite = (s: Site): z.output<typeof SharedSiteDto> => ({
  name: s.name,
  domain: s.domain,
  timezone: s.timezone,
});
