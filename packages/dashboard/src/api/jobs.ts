import { request, seg } from './client.ts';
import type { Job, JobState } from './types.ts';

export function listJobs(ws: string, filter: { state?: JobState; limit?: number } = {}) {
  const query = new URLSearchParams();
  if (filter.state) query.set('state', filter.state);
  if (filter.limit) query.set('limit', String(filter.limit));
  return request<{ jobs: Job[] }>('GET', `/api/workspaces/${seg(ws)}/jobs?${query}`);
}

/** Dead jobs only; the server answers 409 for any other state. */
export const retryJob = (ws: string, jobId: string) =>
  request<{ job: Job }>('POST', `/api/workspaces/${seg(ws)}/jobs/${seg(jobId)}/retry`);
