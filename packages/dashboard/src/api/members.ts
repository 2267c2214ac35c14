import { request, seg } from './client.ts';
import type { Member, Role } from './types.ts';

const base = (ws: string) => `/api/workspaces/${seg(ws)}/members`;

export const listMembers = (ws: string) => request<{ members: Member[] }>('GET', base(ws));

/** A person without an account comes back with a one-time set-password link to pass on. */
export const addMember = (ws: string, input: { email: string; name?: string; role: Role }) =>
  request<{ member: Member; setPasswordUrl?: string }>('POST', base(ws), input);

export const changeMemberRole = (ws: string, userId: string, role: Role) =>
  request<{ member: Member }>('PATCH', `${base(ws)}/${seg(userId)}`, { role });

export const removeMember = (ws: string, userId: string) =>
  request<void>('DELETE', `${base(ws)}/${seg(userId)}`);
