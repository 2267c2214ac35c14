import type { Role } from './roles.ts';

/**
 * Every action a person or API key can take in a workspace. One table decides
 * who may do what; routes ask `can()` and never compare roles themselves.
 */
export const ACTIONS = {
  'workspace.read': ['owner', 'admin', 'marketer', 'analyst'],
  'workspace.update': ['owner', 'admin'],
  'workspace.delete': ['owner'],
  'members.read': ['owner', 'admin'],
  'members.manage': ['owner', 'admin'],
  'apikeys.read': ['owner', 'admin'],
  'apikeys.manage': ['owner', 'admin'],
  'audit.read': ['owner', 'admin'],
  'sites.read': ['owner', 'admin', 'marketer', 'analyst'],
  'sites.manage': ['owner', 'admin', 'marketer'],
  'jobs.read': ['owner', 'admin', 'marketer', 'analyst'],
  'jobs.manage': ['owner', 'admin'],
  'data.read': ['owner', 'admin', 'marketer', 'analyst'],
  'data.write': ['owner', 'admin', 'marketer'],
  /** Lifting a suppression, erasing a person: what privacy law and deliverability make irreversible. */
  'privacy.manage': ['owner', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ACTIONS;

/** API keys carry a scope instead of a role. */
export type ApiKeyScope = 'read' | 'write';
const READ_ACTIONS: readonly Action[] = ['workspace.read', 'sites.read', 'jobs.read', 'data.read'];
const WRITE_ACTIONS: readonly Action[] = [...READ_ACTIONS, 'data.write'];

export type Principal =
  | { kind: 'user'; userId: string; role: Role }
  | { kind: 'apikey'; apiKeyId: string; scope: ApiKeyScope };

export function can(principal: Principal, action: Action): boolean {
  if (principal.kind === 'apikey') {
    return (principal.scope === 'write' ? WRITE_ACTIONS : READ_ACTIONS).includes(action);
  }
  return (ACTIONS[action] as readonly Role[]).includes(principal.role);
}

/** Only an owner may grant or take away the owner role. */
export function canAssignRole(actor: Role, target: Role): boolean {
  if (target === 'owner') return actor === 'owner';
  return actor === 'owner' || actor === 'admin';
}
