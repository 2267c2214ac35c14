export {
  AUDIT_STATUSES,
  type AuditSettings,
  type AuditStatus,
  cancelAudit,
  createAudit,
  DEFAULT_MAX_PAGES,
  FINISHED,
  type FindingFilter,
  getAudit,
  listAudits,
  listFindings,
  type NewAudit,
  type Paging,
  saveFindings,
  settingsOf,
  toFinding,
} from './audits.ts';
export { type AuditPage, listPages } from './pages.ts';
export { SqlCrawlStateStore, type SqlCrawlStateStoreOptions } from './sql-crawl-store.ts';
