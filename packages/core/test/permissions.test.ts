import { describe, expect, it } from 'vitest';
import { ACTIONS, type Action, can, canAssignRole, type Principal } from '../src/permissions.ts';
import { ROLES } from '../src/roles.ts';

const user = (role: (typeof ROLES)[number]): Principal => ({ kind: 'user', userId: 'u', role });
const key = (scope: 'read' | 'write'): Principal => ({ kind: 'apikey', apiKeyId: 'k', scope });
const actions = Object.keys(ACTIONS) as Action[];

describe('permissions', () => {
  it('lets an analyst only read', () => {
    const allowed = actions.filter((a) => can(user('analyst'), a));
    expect(allowed.every((a) => a.endsWith('.read'))).toBe(true);
    expect(allowed).toContain('data.read');
  });

  it('orders roles: each role can do everything the next one can', () => {
    for (let i = 0; i + 1 < ROLES.length; i++) {
      const stronger = ROLES[i]!;
      const weaker = ROLES[i + 1]!;
      for (const a of actions)
        if (can(user(weaker), a)) expect(can(user(stronger), a), `${stronger} ${a}`).toBe(true);
    }
  });

  it('keeps administration away from marketers', () => {
    for (const a of ['members.manage', 'apikeys.manage', 'audit.read', 'workspace.update'] as Action[]) {
      expect(can(user('marketer'), a)).toBe(false);
      expect(can(user('admin'), a)).toBe(true);
    }
    expect(can(user('admin'), 'workspace.delete')).toBe(false);
    expect(can(user('owner'), 'workspace.delete')).toBe(true);
  });

  it('scopes API keys: read keys read, write keys also write data, neither administers', () => {
    expect(can(key('read'), 'data.read')).toBe(true);
    expect(can(key('read'), 'data.write')).toBe(false);
    expect(can(key('write'), 'data.write')).toBe(true);
    for (const k of [key('read'), key('write')]) {
      expect(can(k, 'members.manage')).toBe(false);
      expect(can(k, 'apikeys.manage')).toBe(false);
    }
  });

  it('only an owner makes owners', () => {
    expect(canAssignRole('owner', 'owner')).toBe(true);
    expect(canAssignRole('admin', 'owner')).toBe(false);
    expect(canAssignRole('admin', 'marketer')).toBe(true);
    expect(canAssignRole('marketer', 'analyst')).toBe(false);
  });
});
