import { request, seg } from './client.ts';
import type { AuditEntry } from './types.ts';

export const AUDIT_PAGE_SIZE = 50;

/** Newest first; pass the oldest `createdAt` seen as `before` for the next page. */
export function listAuditLog(ws: string, before?: string, limit = AUDIT_PAGE_SIZE) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (before) query.set('before', before);
  return request<{ entries: AuditEntry[] }>('GET', `/api/workspaces/${seg(ws)}/audit-log?${query}`);
}
