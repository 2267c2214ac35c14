import { request, seg } from './client.ts';
import type { ApiKey, ApiKeyScope } from './types.ts';

const base = (ws: string) => `/api/workspaces/${seg(ws)}/api-keys`;

export const listApiKeys = (ws: string) => request<{ apiKeys: ApiKey[] }>('GET', base(ws));

/** `key` is the whole secret; the server never returns it again. */
export const createApiKey = (ws: string, input: { name: string; scope: ApiKeyScope }) =>
  request<{ apiKey: ApiKey; key: string }>('POST', base(ws), input);

export const revokeApiKey = (ws: string, keyId: string) =>
  request<void>('DELETE', `${base(ws)}/${seg(keyId)}`);
