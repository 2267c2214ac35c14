import type { Database } from '@wasl/store';
import type { ExpressionBuilder } from 'kysely';
import type { WorkspaceScope } from './types.ts';

/** `where` for one workspace's jobs, or for system jobs when the scope is null. */
export const inWorkspace = (workspaceId: WorkspaceScope) => (eb: ExpressionBuilder<Database, 'jobs'>) =>
  workspaceId === null ? eb('workspace_id', 'is', null) : eb('workspace_id', '=', workspaceId);
