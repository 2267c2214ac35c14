// Shapes of docs/api-v1-draft.md (foundation slice). Timestamps are ISO 8601 strings in UTC.
import type { Locale } from '../i18n/locales.ts';

export type { Locale };
export const ROLES = ['owner', 'admin', 'marketer', 'analyst'] as const;
export type Role = (typeof ROLES)[number];
export type ApiKeyScope = 'read' | 'write';

export type ErrorCode =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'unavailable'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; line?: number; column?: number };
}

export interface User {
  id: string;
  email: string;
  name: string;
  locale: Locale;
}

export interface WorkspaceMembership {
  id: string;
  name: string;
  role: Role;
}

export interface Workspace {
  id: string;
  name: string;
  locale: Locale;
  timezone: string;
  createdAt: string;
}

export interface Me {
  user: User;
  workspaces: WorkspaceMembership[];
  csrfToken: string;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scope: ApiKeyScope;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A website the workspace tracks. `domain` is a hostname in punycode; `key` (`site_…`) is public. */
export interface Site {
  id: string;
  name: string;
  domain: string;
  key: string;
  timezone: string;
  createdAt: string;
}

export interface AuditEntry {
  id: string;
  action: string;
  target: string | null;
  details: unknown;
  actor: { type: 'user' | 'apikey' | 'system'; id: string | null; name: string | null };
  createdAt: string;
}

export type JobState = 'queued' | 'running' | 'done' | 'dead';

export interface Job {
  id: string;
  name: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}
