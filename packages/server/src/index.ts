/**
 * @wasl/server: the HTTP API as a library. The CLI (composition root) opens
 * the stores, loads the config and calls `buildServer`; it reuses the
 * services below for commands that need no HTTP (create a user, issue an API
 * key, print the setup URL).
 */
export { buildServer, type ServerDeps } from './build-server.ts';
export type { ReadinessCheck } from './context.ts';
export type { Auth, AuthMode } from './http/auth.ts';
export { authoriseWorkspace, type WorkspaceAccess } from './http/authorise.ts';
export { sendProblem } from './http/errors.ts';
export type { LoggerInput } from './http/logger.ts';
export type { MetricsSources } from './http/metrics.ts';
export { LOCALES, type Locale } from './locales.ts';
export {
  type AccountView,
  createAccount,
  deleteAccount,
  getAccount,
  listAccounts,
  setAccountContacts,
  updateAccount,
} from './services/accounts.ts';
export {
  type CreatedApiKey,
  createApiKey,
  listApiKeys,
  type NewApiKey,
  revokeApiKey,
} from './services/api-keys.ts';
export {
  createAttributeDefinition,
  listAttributeDefinitions,
  updateAttributeDefinition,
} from './services/attribute-definitions.ts';
export { AudienceSync, type AudienceSyncOptions } from './services/audience-sync.ts';
export { type Actor, type AuditInput, listAudit, recordAudit } from './services/audit.ts';
export { bufferSink } from './services/buffer-sink.ts';
export {
  type ConsentStatus,
  createTopic,
  listConsents,
  listSuppressions,
  listTopics,
  type NotSendable,
  sendableAddress,
  setConsent,
  suppress,
  unsuppress,
} from './services/consent.ts';
export {
  createImportRecord,
  IMPORT_POLICIES,
  type ImportPolicy,
  type ImportProgress,
  type ImportRun,
  processContactImport,
  runContactImport,
} from './services/contact-import.ts';
export { createContact, getContact, listContacts, updateContact } from './services/contacts.ts';
export { CSV_BOM, csvLine } from './services/csv.ts';
export type { AudienceHooks } from './services/identify-events.ts';
export { type Identified, type IdentifyInput, identifyContact, mergeInto } from './services/identity.ts';
export { DEFAULT_INGEST_LIMITS, type IngestLimits, type IngestOptions } from './services/ingest.ts';
export { listJobs, retryJob } from './services/jobs.ts';
export {
  createRule,
  getSettings,
  type LeadScoringSettings,
  listRules,
  nextStage,
  putSettings,
  type Rescored,
  recomputeLeadScores,
} from './services/lead-scoring.ts';
export { type ScoringRule, scoreOf } from './services/lead-scoring-rules.ts';
export { LeadScorer, type LeadScorerOptions, scoreAlongside } from './services/lead-scoring-scorer.ts';
export {
  changeListMembers,
  createList,
  deleteList,
  getList,
  type ListView,
  listLists,
} from './services/lists.ts';
export { addMember, changeMemberRole, listMembers, removeMember } from './services/members.ts';
export { createDelivery, type DeliveryOptions } from './services/messaging/index.ts';
export {
  completePasswordReset,
  createPasswordResetLink,
  PASSWORD_RESET_PATH,
  PASSWORD_RESET_TTL_MS,
  passwordLinkFor,
  SET_PASSWORD_TTL_MS,
} from './services/password-reset.ts';
export { MIN_PASSWORD_CHARS } from './services/passwords.ts';
export { preferenceToken, readPreferenceToken } from './services/preferences.ts';
export {
  type ContactExport,
  contactTimeline,
  EXPORT_EVENT_LIMIT,
  eraseContact,
  exportContact,
  knownIds,
} from './services/privacy.ts';
export { createSaved, deleteSaved, listSaved, updateSaved } from './services/report-definitions.ts';
export {
  type MembershipChange,
  SegmentEngine,
  type SegmentEngineOptions,
} from './services/segment-engine.ts';
export { segmentSources } from './services/segment-sources.ts';
export {
  checkDefinition,
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  updateSegment,
} from './services/segments.ts';
export {
  deleteSeoSchedule,
  SEO_AUDIT_JOB,
  SEO_SCHEDULED_AUDIT_JOB,
  type SeoSchedule,
  seoScheduleName,
  setSeoSchedule,
  startAudit,
} from './services/seo.ts';
export { seoJobHandlers } from './services/seo-jobs.ts';
export {
  auditFindings,
  auditWorkspace,
  CLI_AUDIT_WORKSPACE,
  findAudit,
  type LocalAudit,
  runAuditHere,
} from './services/seo-local.ts';
export {
  type AuditComparisonView,
  compareAuditRows,
  findingsCsv,
  summaryOf,
} from './services/seo-views.ts';
export { createSession } from './services/sessions.ts';
export { issueSetupToken, needsSetup, setupUrl } from './services/setup.ts';
export { createShareLink, listShareLinks, revokeShareLink } from './services/share-links.ts';
export { createSite, deleteSite, getSite, listSites, normaliseDomain, updateSite } from './services/sites.ts';
export { createUser, findUserByEmail, normaliseEmail, setPassword } from './services/users.ts';
export { rotateVisitorSalts } from './services/visitor-salts.ts';
export { vapidForMessages } from './services/web-push.ts';
export {
  EndpointDirectory,
  prepareWebhook,
  webhookFanOut,
  webhookOutcome,
  webhookRetryAt,
  withWebhookFanOut,
} from './services/webhooks/delivery.ts';
export { createWorkspace, listUserWorkspaces, updateWorkspace } from './services/workspaces.ts';
