import { request, seg } from './client.ts';
import type { AuditEntry } from './types.ts';

export const AUDIT_PAGE_SIZE = 50;

/** Where the next page starts: the oldest entry seen (its id keeps same-millisecond entries from being skipped). */
export interface AuditCursor {
  before: string;
  beforeId: string;
}

/** Newest first; pass the oldest entry seen as the cursor for the next page. */
export function listAuditLog(ws: string, cursor?: AuditCursor, limit = AUDIT_PAGE_SIZE) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) {
    query.set('before', cursor.before);
    query.set('beforeId', cursor.beforeId);
  }
  return request<{ entries: AuditEntry[] }>('GET', `/api/workspaces/${seg(ws)}/audit-log?${query}`);
}
