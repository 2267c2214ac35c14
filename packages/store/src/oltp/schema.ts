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
  accounts: AccountTable;
  contacts: ContactTable;
  attribute_definitions: AttributeDefinitionTable;
  topics: TopicTable;
  consents: ConsentTable;
  suppressions: SuppressionTable;
  contact_identities: ContactIdentityTable;
  contact_merges: ContactMergeTable;
  lists: ListTable;
  list_members: ListMemberTable;
  segments: SegmentTable;
  segment_members: SegmentMemberTable;
  column_mappings: ColumnMappingTable;
  contact_imports: ContactImportTable;
  contact_import_errors: ContactImportErrorTable;
  seo_audits: SeoAuditTable;
  seo_crawl_urls: SeoCrawlUrlTable;
  seo_findings: SeoFindingTable;
  lead_scoring_rules: LeadScoringRuleTable;
  lead_scoring_settings: LeadScoringSettingsTable;
  messages: MessageTable;
  delivery_pauses: DeliveryPauseTable;
  message_templates: MessageTemplateTable;
  sender_identities: SenderIdentityTable;
  webhook_endpoints: WebhookEndpointTable;
  whatsapp_windows: WhatsAppWindowTable;
  push_keys: PushKeyTable;
  push_subscriptions: PushSubscriptionTable;
  journeys: JourneyTable;
  journey_versions: JourneyVersionTable;
  journey_enrollments: JourneyEnrollmentTable;
  journey_steps: JourneyStepTable;
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

/** A company, for B2B and account-based marketing. */
export interface AccountTable {
  id: string;
  workspace_id: string;
  name: string;
  /** Lower-cased host, IDNs in punycode. */
  domain: string | null;
  industry: string | null;
  size: string | null;
  region: string | null;
  /** JSON object of free-form account attributes. */
  attributes: string;
  created_at: number;
  updated_at: number;
}

/** A person's current profile. What they did is in the events store. */
export interface ContactTable {
  id: string;
  workspace_id: string;
  /** Lower-cased, IDN domains in punycode; unique per workspace when set. */
  email: string | null;
  /** E.164; unique per workspace when set. */
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  locale: string | null;
  timezone: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  city: string | null;
  /** YYYY-MM-DD. */
  birth_date: string | null;
  gender: string | null;
  income_band: string | null;
  /** JSON array of tags. */
  interests: string;
  source: string | null;
  lifecycle_stage: string | null;
  account_id: string | null;
  lead_score: number;
  /** JSON object: custom attributes, validated against attribute_definitions on write. */
  attributes: string;
  created_at: number;
  updated_at: number;
}

export interface AttributeDefinitionTable {
  workspace_id: string;
  key: string;
  label: string;
  /** text | number | date | boolean | list */
  type: string;
  /** JSON array of the allowed values of a list attribute. */
  options: string | null;
  created_at: number;
}

/** A subscription topic (a newsletter) people consent to separately. */
export interface TopicTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string | null;
  created_at: number;
}

export interface ConsentTable {
  workspace_id: string;
  contact_id: string;
  /** email | sms | whatsapp | webpush */
  channel: string;
  /** '' for the channel itself, else topics.id. */
  topic_id: string;
  /** granted | denied | pending | unsubscribed */
  status: string;
  /** Where the answer came from: form, import, api, preference_page, unsubscribe_link, double_opt_in, sms_keyword… */
  source: string;
  /** JSON: what proves it (IP, user agent, form id, confirmation time). */
  proof: string;
  updated_at: number;
}

/** An address no send may reach, whatever its consent says. */
export interface SuppressionTable {
  workspace_id: string;
  channel: string;
  /** Lower-cased email or E.164 phone. */
  address: string;
  /** hard_bounce | complaint | unsubscribed | manual | erased */
  reason: string;
  details: string | null;
  created_at: number;
}

/** An anonymous visitor id (tracker, Segment anonymousId) known to be this contact. */
export interface ContactIdentityTable {
  workspace_id: string;
  anonymous_id: string;
  contact_id: string;
  created_at: number;
}

/** A contact merged into another: the rule that matched and the absorbed profile as it was. */
export interface ContactMergeTable {
  workspace_id: string;
  from_id: string;
  into_id: string;
  rule: string;
  /** JSON of the absorbed contact row. */
  snapshot: string;
  merged_at: number;
}

export interface ListTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: number;
}

export interface ListMemberTable {
  list_id: string;
  contact_id: string;
  added_at: number;
}

export interface SegmentTable {
  id: string;
  workspace_id: string;
  name: string;
  /** JSON: a SegmentDefinition (packages/core/src/segments). */
  definition: string;
  created_at: number;
  updated_at: number;
  evaluated_at: number | null;
  member_count: number;
}

/** Live membership, kept by the segment engine. */
export interface SegmentMemberTable {
  segment_id: string;
  contact_id: string;
  since: number;
}

/** A CSV header set's column mapping, remembered per workspace. */
export interface ColumnMappingTable {
  workspace_id: string;
  signature: string;
  /** JSON: { header: field }. */
  mapping: string;
  updated_at: number;
}

export interface ContactImportTable {
  id: string;
  workspace_id: string;
  file_name: string;
  status: string;
  policy: string;
  bytes_total: number | null;
  bytes_read: number;
  rows_read: number;
  inserted: number;
  updated: number;
  skipped: number;
  failed: number;
  /** JSON: encoding, delimiter, headers, mapping, duplicates. */
  summary: string | null;
  error: string | null;
  created_by: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface ContactImportErrorTable {
  import_id: string;
  line: number;
  column_name: string | null;
  value: string | null;
  reason: string;
  /** 1 for a warning (the row was imported), 0 for an error (it was not). */
  warning: number;
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
export type Account = Selectable<AccountTable>;
export type Contact = Selectable<ContactTable>;
export type AttributeDefinitionRow = Selectable<AttributeDefinitionTable>;
export type Topic = Selectable<TopicTable>;
export type Consent = Selectable<ConsentTable>;
export type Suppression = Selectable<SuppressionTable>;
export type ContactList = Selectable<ListTable>;
export type Segment = Selectable<SegmentTable>;
export type ContactImport = Selectable<ContactImportTable>;
// Generated is re-exported for adapters that add serial columns later.
export type { Generated };

/** One SEO audit run: a crawl of start_url, then the checks (packages/seo). */
export interface SeoAuditTable {
  id: string;
  workspace_id: string;
  /** null for a URL that is not one of the workspace's sites (e.g. a competitor). */
  site_id: string | null;
  start_url: string;
  /** JSON: the crawl and audit options. */
  options: string;
  /** queued | running | done | failed | cancelled */
  status: string;
  pages_done: number;
  pages_queued: number;
  errors: number;
  /** 0–100 once done. */
  score: number | null;
  /** JSON: counts by severity, timing percentiles, comparison and alert; null until done. */
  summary: string | null;
  /** Why a failed audit failed. */
  error: string | null;
  created_by: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** Set to stop the audit; the crawl reads it. */
  cancelled_at: number | null;
  /** The audit this one is compared with (the previous run, or a competitor's). */
  compare_to: string | null;
}

/** A URL of an audit's crawl: its place in the frontier, then the page (body never stored). */
export interface SeoCrawlUrlTable {
  audit_id: string;
  url: string;
  /** Queue order: oldest first. */
  seq: number;
  depth: number;
  discovered_from: string | null;
  in_sitemap: number;
  /** queued | claimed | done */
  state: string;
  /** Order pages were saved in. */
  saved_seq: number | null;
  /** 1 when the page has a fetch error or a status of 400 or more. */
  failed: number;
  transfer_bytes: number;
  /** JSON: the CrawledPage without its body. */
  page: string | null;
  /** JSON: facts the checks read and the page's text analysis (keywords, phrases, readability). */
  analysis: string | null;
}

/** One finding of an audit, as the audit library reported it (one row for all its URLs). */
export interface SeoFindingTable {
  audit_id: string;
  seq: number;
  check_id: string;
  /** critical | warning | notice */
  severity: string;
  /** The first affected URL (sorting, display). */
  url: string | null;
  /** JSON array of affected URLs. */
  urls: string;
  url_count: number;
  details: string | null;
  message_en: string;
  message_ar: string;
  fix_en: string;
  fix_ar: string;
}

export type SeoAudit = Selectable<SeoAuditTable>;
export type SeoCrawlUrl = Selectable<SeoCrawlUrlTable>;
export type SeoFindingRow = Selectable<SeoFindingTable>;

/** A rule awarding lead-score points (migration 0007). */
export interface LeadScoringRuleTable {
  id: string;
  workspace_id: string;
  name: string;
  /** event | attribute */
  kind: string;
  /** JSON: what the rule matches. */
  definition: string;
  points: number;
  created_at: number;
  updated_at: number;
}

export interface LeadScoringSettingsTable {
  workspace_id: string;
  /** Event points halve every this many days; null: no decay. */
  half_life_days: number | null;
  mql_threshold: number;
  sql_threshold: number;
  updated_at: number;
}

export type LeadScoringRule = Selectable<LeadScoringRuleTable>;

/** One message to one recipient on one channel, and its delivery state (migration 0008). */
export interface MessageTable {
  id: string;
  workspace_id: string;
  idempotency_key: string;
  channel: string;
  contact_id: string | null;
  address: string | null;
  source_kind: string;
  source_id: string | null;
  /** 1 or 0 */
  marketing: number;
  /** JSON */
  content: string;
  status: string;
  in_doubt: Generated<number>;
  skip_reason: string | null;
  attempts: Generated<number>;
  next_attempt_at: number;
  lease_until: number | null;
  worker_id: string | null;
  provider: string | null;
  provider_message_id: string | null;
  response: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  committed_at: number | null;
  sent_at: number | null;
}

export interface DeliveryPauseTable {
  scope: string;
  reason: string;
  by: string;
  created_at: number;
  until: number | null;
}

export type MessageRow = Selectable<MessageTable>;
export type DeliveryPause = Selectable<DeliveryPauseTable>;

/** A template for one channel (migration 0009). */
export interface MessageTemplateTable {
  id: string;
  workspace_id: string;
  channel: string;
  name: string;
  subject: string;
  body: string;
  dir: string;
  lang: string;
  /** JSON */
  settings: string;
  version: number;
  created_at: number;
  updated_at: number;
}

/** An address a workspace sends email as, with its DKIM key (migration 0009). */
export interface SenderIdentityTable {
  id: string;
  workspace_id: string;
  from_address: string;
  from_name: string | null;
  reply_to: string | null;
  domain: string;
  dkim_selector: string;
  dkim_private_key: string;
  dkim_public_key: string;
  /** JSON */
  dns_status: string | null;
  dns_checked_at: number | null;
  created_at: number;
  updated_at: number;
}

export type MessageTemplate = Selectable<MessageTemplateTable>;
export type SenderIdentity = Selectable<SenderIdentityTable>;

/** A URL the workspace's events are delivered to (migration 0010). */
export interface WebhookEndpointTable {
  id: string;
  workspace_id: string;
  url: string;
  description: string;
  /** JSON array */
  event_types: string;
  secret: string;
  previous_secret: string | null;
  previous_until: number | null;
  /** 1 or 0 */
  enabled: number;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

export type WebhookEndpoint = Selectable<WebhookEndpointTable>;

/** When a phone last wrote to the workspace on WhatsApp: its customer-service window (migration 0011). */
export interface WhatsAppWindowTable {
  workspace_id: string;
  /** E.164 */
  phone: string;
  last_inbound_at: number;
}

export type WhatsAppWindow = Selectable<WhatsAppWindowTable>;

/** A workspace's VAPID key pair for web push (migration 0012). */
export interface PushKeyTable {
  workspace_id: string;
  /** base64url P-256 point: the browsers' applicationServerKey. */
  public_key: string;
  private_key: string;
  /** mailto: or https: URL. */
  subject: string;
  created_at: number;
}

/** One browser's web push subscription (migration 0012). */
export interface PushSubscriptionTable {
  id: string;
  workspace_id: string;
  site_id: string;
  contact_id: string | null;
  anonymous_id: string | null;
  endpoint: string;
  p256dh: string;
  auth: string;
  language: string | null;
  user_agent_family: string | null;
  created_at: number;
  updated_at: number;
  last_success_at: number | null;
}

export type PushKey = Selectable<PushKeyTable>;
export type PushSubscriptionRow = Selectable<PushSubscriptionTable>;

/** A journey: its draft and which version is live (migration 0013). */
export interface JourneyTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  /** draft | live | paused | archived */
  status: string;
  /** JSON: the definition being edited. */
  draft: string;
  version: number | null;
  trigger_event: string | null;
  created_at: number;
  updated_at: number;
}

export interface JourneyVersionTable {
  journey_id: string;
  version: number;
  workspace_id: string;
  /** JSON: the published definition, never changed. */
  definition: string;
  published_at: number;
  published_by: string | null;
}

/** One contact's walk through one version of a journey. */
export interface JourneyEnrollmentTable {
  id: string;
  workspace_id: string;
  journey_id: string;
  version: number;
  contact_id: string;
  /** active | completed | exited */
  status: string;
  step_id: string | null;
  /** run | sleep | await */
  phase: Generated<string>;
  due_at: number | null;
  wait_event: string | null;
  wait_result: string | null;
  seq: Generated<number>;
  trigger_key: string;
  lease_until: number | null;
  entered_at: number;
  updated_at: number;
  ended_at: number | null;
  exit_reason: string | null;
  goal_at: number | null;
}

/** One step a contact went through: (enrollment, seq) is unique, so no step runs twice. */
export interface JourneyStepTable {
  enrollment_id: string;
  seq: number;
  workspace_id: string;
  journey_id: string;
  version: number;
  step_id: string;
  outcome: string;
  detail: string | null;
  at: number;
}

export type JourneyRow = Selectable<JourneyTable>;
export type JourneyEnrollment = Selectable<JourneyEnrollmentTable>;
