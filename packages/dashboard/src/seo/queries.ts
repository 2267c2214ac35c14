import { useQuery } from '@tanstack/react-query';
import { queryClient } from '../session/queryClient.ts';
import { getAudit, listAudits, listFindings } from './api.ts';
import { auditKey, auditsKey, findingsKey, POLL_MS } from './keys.ts';
import { isActive } from './logic.ts';

/** One audit, polled while it runs; when it ends the list shows its new state too. */
export function useAudit(ws: string, id: string) {
  return useQuery({
    queryKey: auditKey(ws, id),
    queryFn: async () => {
      const { audit } = await getAudit(ws, id);
      if (!isActive(audit.status)) queryClient.invalidateQueries({ queryKey: auditsKey(ws) });
      return audit;
    },
    refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? POLL_MS : false),
  });
}

/** The findings of a finished audit (none are written before it ends). */
export const useFindings = (ws: string, id: string, ready: boolean) =>
  useQuery({ queryKey: findingsKey(ws, id), queryFn: () => listFindings(ws, id), enabled: ready });

export const useAuditList = (ws: string) =>
  useQuery({ queryKey: auditsKey(ws), queryFn: () => listAudits(ws) });
