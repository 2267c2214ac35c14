import { request, seg } from './client.ts';
import type { Locale, Role, Workspace } from './types.ts';

export interface WorkspaceInput {
  name: string;
  locale?: Locale;
  timezone?: string;
}

export const createWorkspace = (input: WorkspaceInput) =>
  request<{ workspace: Workspace }>('POST', '/api/workspaces', input);

export const getWorkspace = (ws: string) =>
  request<{ workspace: Workspace; role: Role }>('GET', `/api/workspaces/${seg(ws)}`);

export const updateWorkspace = (ws: string, input: Partial<WorkspaceInput>) =>
  request<{ workspace: Workspace }>('PATCH', `/api/workspaces/${seg(ws)}`, input);
