import type { Role } from '../api/types.ts';

/*
 * What the UI offers, mirroring packages/core/src/permissions.ts (the server decides; this only
 * hides controls that would be refused). Kept local because the dashboard's type-check does
 * not include the core package.
 */
export const canManageWorkspace = (role: Role) => role === 'owner' || role === 'admin';

/** Only an owner may grant or take away the owner role. */
export const canAssignRole = (actor: Role, target: Role) =>
  target === 'owner' ? actor === 'owner' : canManageWorkspace(actor);

/** Adding, changing and deleting sites: everyone but analysts (every role may read them). */
export const canManageSites = (role: Role) => role !== 'analyst';
