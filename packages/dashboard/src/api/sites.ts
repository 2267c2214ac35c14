import { request, seg } from './client.ts';
import type { Site } from './types.ts';

const base = (ws: string) => `/api/workspaces/${seg(ws)}/sites`;

export interface SiteInput {
  name: string;
  /** example.com, a full URL or an Arabic domain; the server keeps the hostname in punycode. */
  domain: string;
  /** Defaults to the workspace's time zone. */
  timezone?: string;
}

export const listSites = (ws: string) => request<{ sites: Site[] }>('GET', base(ws));

export const getSite = (ws: string, siteId: string) =>
  request<{ site: Site }>('GET', `${base(ws)}/${seg(siteId)}`);

export const createSite = (ws: string, input: SiteInput) => request<{ site: Site }>('POST', base(ws), input);

export const updateSite = (ws: string, siteId: string, changes: Partial<SiteInput>) =>
  request<{ site: Site }>('PATCH', `${base(ws)}/${seg(siteId)}`, changes);

/** The site's key is refused by the tracker from this moment on. */
export const deleteSite = (ws: string, siteId: string) =>
  request<void>('DELETE', `${base(ws)}/${seg(siteId)}`);
