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
  type CreatedApiKey,
  createApiKey,
  listApiKeys,
  type NewApiKey,
  revokeApiKey,
} from './services/api-keys.ts';
export { type Actor, type AuditInput, listAudit, recordAudit } from './services/audit.ts';
export { bufferSink } from './services/buffer-sink.ts';
export { DEFAULT_INGEST_LIMITS, type IngestLimits, type IngestOptions } from './services/ingest.ts';
export { listJobs, retryJob } from './services/jobs.ts';
export { addMember, changeMemberRole, listMembers, removeMember } from './services/members.ts';
export {
  completePasswordReset,
  createPasswordResetLink,
  PASSWORD_RESET_PATH,
  PASSWORD_RESET_TTL_MS,
  passwordLinkFor,
  SET_PASSWORD_TTL_MS,
} from './services/password-reset.ts';
export { MIN_PASSWORD_CHARS } from './services/passwords.ts';
export { createSaved, deleteSaved, listSaved, updateSaved } from './services/report-definitions.ts';
export { createSession } from './services/sessions.ts';
export { issueSetupToken, needsSetup, setupUrl } from './services/setup.ts';
export { createShareLink, listShareLinks, revokeShareLink } from './services/share-links.ts';
export { createSite, deleteSite, getSite, listSites, normaliseDomain, updateSite } from './services/sites.ts';
export { createUser, findUserByEmail, normaliseEmail, setPassword } from './services/users.ts';
export { rotateVisitorSalts } from './services/visitor-salts.ts';
export { createWorkspace, listUserWorkspaces, updateWorkspace } from './services/workspaces.ts';
