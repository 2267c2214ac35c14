import { randomUUID } from 'node:crypto';
import type { ApiKeyScope, Role } from '@wasl/core';
import type { User, Workspace } from '@wasl/store';
import { addMember, createApiKey, createSession, createUser, createWorkspace } from '../../src/index.ts';
import type { TestApp } from './app.ts';
import type { Caller } from './client.ts';

export const uniqueEmail = (label = 'person') => `${label}-${randomUUID().slice(0, 8)}@example.test`;

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** A person; without a password unless one is given (hashing is slow, and most tests sign in directly). */
export async function person(
  t: TestApp,
  options: { name?: string; password?: string; email?: string } = {},
): Promise<User> {
  return unwrap(
    await createUser(t.db, {
      email: options.email ?? uniqueEmail(),
      name: options.name ?? 'Test Person',
      password: options.password,
      now: t.clock.now,
    }),
  );
}

/** A signed-in session for a person, made through the service rather than the login route. */
export async function signIn(
  t: TestApp,
  user: User,
): Promise<Caller & { cookie: string; csrfToken: string }> {
  const session = await createSession(t.db, user.id, t.clock.now);
  return { cookie: session.token, csrfToken: session.csrfToken };
}

export interface Team {
  workspace: Workspace;
  users: Record<Role, User>;
  as: Record<Role, Caller & { cookie: string; csrfToken: string }>;
}

/** A workspace with one signed-in person in each role. */
export async function team(t: TestApp, name = 'Team'): Promise<Team> {
  const owner = await person(t, { name: `${name} owner` });
  const workspace = unwrap(await createWorkspace(t.db, { name, ownerUserId: owner.id, now: t.clock.now }));
  const users = { owner } as Record<Role, User>;
  for (const role of ['admin', 'marketer', 'analyst'] as const) {
    const added = unwrap(
      await addMember(t.db, {
        workspaceId: workspace.id,
        email: uniqueEmail(role),
        name: `${name} ${role}`,
        role,
        actor: { type: 'system' },
        now: t.clock.now,
      }),
    );
    users[role] = added.user;
  }
  const as = {} as Team['as'];
  for (const role of Object.keys(users) as Role[]) as[role] = await signIn(t, users[role]);
  return { workspace, users, as };
}

export async function apiKey(
  t: TestApp,
  workspaceId: string,
  scope: ApiKeyScope,
): Promise<{ apiKey: string; id: string }> {
  const created = unwrap(
    await createApiKey(t.db, {
      workspaceId,
      name: `${scope} key`,
      scope,
      actor: { type: 'system' },
      now: t.clock.now,
    }),
  );
  return { apiKey: created.key, id: created.apiKey.id };
}
