import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The OLTP tables, identical on SQLite and PostgreSQL. Portable column types
 * only: text, integer, bigint. Timestamps are epoch milliseconds (bigint),
 * JSON is text, flags are nullable timestamps (revoked_at), so both engines
 * return the same JavaScript values.
 *
 * Every table that holds a workspace's data carries workspace_id. Users and
 * their sessions are account-level: one person can belong to many workspaces.
 */
export interface Database {
  workspaces: WorkspaceTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  audit_log: AuditLogTable;
  settings: SettingTable;
  jobs: JobTable;
  job_schedules: JobScheduleTable;
  schema_migrations: SchemaMigrationTable;
  sites: SiteTable;
  visitor_salts: VisitorSaltTable;
  goals: SavedDefinitionTable;
  funnels: SavedDefinitionTable;
  ctas: SavedDefinitionTable;
  share_links: ShareLinkTable;
}

export interface WorkspaceTable {
  id: string;
  name: string;
  /** Default language of the workspace's content: 'ar' or 'en'. */
  locale: string;
  timezone: string;
  created_at: number;
}

export interface UserTable {
  id: string;
  /** Stored lower-cased; unique. */
  email: string;
  name: string;
  /** argon2id PHC string; null until the person sets a password. */
  password_hash: string | null;
  /** 'ar' or 'en'; the dashboard's language for this person. */
  locale: string;
  created_at: number;
}

export interface MembershipTable {
  workspace_id: string;
  user_id: string;
  /** owner | admin | marketer | analyst */
  role: string;
  created_at: number;
}

export interface SessionTable {
  /** SHA-256 of the cookie token, hex. The token itself is never stored. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

export interface ApiKeyTable {
  id: string;
  workspace_id: string;
  name: string;
  /** First characters of the key, shown in lists so people can tell keys apart. */
  prefix: string;
  /** SHA-256 of the whole key, hex. */
  key_hash: string;
  /** read | write */
  scope: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: string;
  workspace_id: string;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  /** e.g. 'member.added', 'apikey.revoked' */
  action: string;
  target: string | null;
  /** JSON object */
  details: string;
  created_at: number;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface JobTable {
  id: string;
  /** null for system jobs (salt rotation, clean-up). */
  workspace_id: string | null;
  /** The handler that runs it, e.g. 'email.send'. */
  name: string;
  /** JSON */
  payload: string;
  /** queued | running | done | dead */
  state: string;
  /** Higher runs first. */
  priority: number;
  run_at: number;
  /** Claims so far: each claim counts one, a graceful release gives it back. */
  attempts: number;
  max_attempts: number;
  /** Unique per (workspace, name, idempotency_key) when set: enqueueing twice is a no-op. */
  idempotency_key: string | null;
  /** The lease: while state is 'running', the worker that owns the job and until when. */
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface JobScheduleTable {
  id: string;
  workspace_id: string | null;
  /** Unique: one schedule per name per workspace (and per name among system schedules). */
  name: string;
  job_name: string;
  cron: string;
  timezone: string;
  payload: string;
  next_run_at: number;
  created_at: number;
  disabled_at: number | null;
}

export interface SiteTable {
  id: string;
  workspace_id: string;
  name: string;
  /** Hostname, lower-cased, IDNs in punycode (as browsers send them). */
  domain: string;
  /** Public: the tracker sends it (data-site). Unique across the installation. */
  key: string;
  /** Reports default to this time zone. */
  timezone: string;
  created_at: number;
}

/** A site's saved goal, funnel or call to action: goals, funnels and ctas share this shape. */
export interface SavedDefinitionTable {
  id: string;
  workspace_id: string;
  site_id: string;
  /** Unique per site. */
  name: string;
  /** JSON: a GoalDefinition, { steps, windowMs } for a funnel, a CtrDefinition for a CTA (packages/core/src/analytics.ts). */
  definition: string;
  created_at: number;
  updated_at: number;
}

/** A read-only public link to one site's reports. */
export interface ShareLinkTable {
  id: string;
  workspace_id: string;
  site_id: string;
  /** SHA-256 of the token, hex. The token itself is never stored. */
  token_hash: string;
  /** The token's first characters, shown in lists so people can tell links apart. */
  prefix: string;
  /** The person who made it; null when made by an API key or the system. */
  created_by: string | null;
  created_at: number;
  revoked_at: number | null;
}

/** One day's random salt for cookieless visitor ids; at most today's and yesterday's are kept. */
export interface VisitorSaltTable {
  /** 'YYYY-MM-DD' in the salt time zone (UTC by default); unique. */
  day: string;
  /** 32 random bytes, base64url. */
  salt: string;
  created_at: number;
}

export interface SchemaMigrationTable {
  version: string;
  applied_at: number;
}

export type Workspace = Selectable<WorkspaceTable>;
export type User = Selectable<UserTable>;
export type Membership = Selectable<MembershipTable>;
export type Session = Selectable<SessionTable>;
export type ApiKey = Selectable<ApiKeyTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type Job = Selectable<JobTable>;
export type NewJob = Insertable<JobTable>;
export type JobUpdate = Updateable<JobTable>;
export type JobSchedule = Selectable<JobScheduleTable>;
export type Site = Selectable<SiteTable>;
export type VisitorSalt = Selectable<VisitorSaltTable>;
export type SavedDefinition = Selectable<SavedDefinitionTable>;
export type ShareLink = Selectable<ShareLinkTable>;
// Generated is re-exported for adapters that add serial columns later.
export type { Generated };
