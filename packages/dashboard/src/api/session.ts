import { request } from './client.ts';
import type { Locale, Me, User, Workspace } from './types.ts';

export const getSetupStatus = () => request<{ needsSetup: boolean }>('GET', '/api/setup');

export interface SetupInput {
  token: string;
  name: string;
  email: string;
  password: string;
  workspaceName: string;
  locale: Locale;
}
export const completeSetup = (input: SetupInput) =>
  request<{ user: User; workspace: Workspace; csrfToken: string }>('POST', '/api/setup', input);

export const login = (input: { email: string; password: string }) =>
  request<{ user: User; csrfToken: string }>('POST', '/api/auth/login', input);

export const logout = () => request<void>('POST', '/api/auth/logout');

export const getMe = () => request<Me>('GET', '/api/me');

export const updateMe = (input: { locale?: Locale; name?: string }) =>
  request<{ user: User }>('PATCH', '/api/me', input);

export const requestPasswordReset = (input: { email: string }) =>
  request<void>('POST', '/api/auth/password-reset', input);

export const confirmPasswordReset = (input: { token: string; password: string }) =>
  request<void>('POST', '/api/auth/password-reset/confirm', input);
