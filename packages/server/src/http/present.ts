import type { ApiKey, Job, Site, User, Workspace } from '@wasl/store';
import type { z } from 'zod';
import { isLocale, type Locale } from '../locales.ts';
import type { AuditView } from '../services/audit.ts';
import type { MemberView } from '../services/members.ts';
import type {
  ApiKeyDto,
  AuditEntryDto,
  JobDto,
  MemberDto,
  SiteDto,
  UserDto,
  WorkspaceDto,
} from './schemas.ts';

/** Rows to the API's shapes: camelCase and ISO 8601 times, never a hash. */

export const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
const locale = (value: string): Locale => (isLocale(value) ? value : 'ar');

export const presentUser = (u: User): z.output<typeof UserDto> => ({
  id: u.id,
  email: u.email,
  name: u.name,
  locale: locale(u.locale),
});

export const presentWorkspace = (w: Workspace): z.output<typeof WorkspaceDto> => ({
  id: w.id,
  name: w.name,
  locale: locale(w.locale),
  timezone: w.timezone,
  createdAt: iso(w.created_at),
});

export const presentMember = (m: MemberView): z.output<typeof MemberDto> => ({
  userId: m.userId,
  email: m.email,
  name: m.name,
  role: m.role,
  createdAt: iso(m.createdAt),
});

export const presentSite = (s: Site): z.output<typeof SiteDto> => ({
  id: s.id,
  name: s.name,
  domain: s.domain,
  key: s.key,
  timezone: s.timezone,
  createdAt: iso(s.created_at),
});

export const presentApiKey = (k: ApiKey): z.output<typeof ApiKeyDto> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scope: k.scope === 'write' ? 'write' : 'read',
  createdAt: iso(k.created_at),
  lastUsedAt: isoOrNull(k.last_used_at),
  revokedAt: isoOrNull(k.revoked_at),
});

export const presentAuditEntry = (e: AuditView): z.output<typeof AuditEntryDto> => ({
  ...e,
  createdAt: iso(e.createdAt),
});

export const presentJob = (j: Job): z.output<typeof JobDto> => ({
  id: j.id,
  name: j.name,
  state: j.state,
  attempts: j.attempts,
  maxAttempts: j.max_attempts,
  runAt: iso(j.run_at),
  lastError: j.last_error,
  createdAt: iso(j.created_at),
  finishedAt: isoOrNull(j.finished_at),
});
