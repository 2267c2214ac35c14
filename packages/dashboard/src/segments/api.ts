import { request, seg } from '../api/client.ts';
import type { Contact } from '../audience/api.ts';

/* The segments API's shapes (packages/server/src/routes/segments.ts, personas.ts, lists.ts). */

export interface Segment {
  id: string;
  name: string;
  definition: Record<string, unknown>;
  memberCount: number;
  evaluatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A contradiction the server found: `path` names the condition (`root.conditions[1]`). */
export interface SegmentWarning {
  path: string;
  code: string;
  params: Record<string, string | number | boolean>;
  message: string;
}

export interface Estimate {
  count: number;
  alwaysEmpty: boolean;
  warnings: SegmentWarning[];
  tookMs: number;
}

export const DIMENSIONS = [
  'age',
  'gender',
  'country',
  'city',
  'income_band',
  'interests',
  'device_type',
  'source',
  'lifecycle_stage',
  'engagement',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface Bucket {
  value: string;
  count: number;
  share: number;
}
export interface Persona {
  segmentId: string;
  name: string;
  members: number;
  dimensions: Record<Dimension, Bucket[]>;
}

export interface StaticList {
  id: string;
  name: string;
}

const base = (ws: string) => `/api/workspaces/${seg(ws)}`;
const segmentPath = (ws: string, id: string) => `${base(ws)}/segments/${seg(id)}`;
type Definition = Record<string, unknown>;

export const MEMBERS_PAGE = 50;

export const listSegments = (ws: string) => request<{ segments: Segment[] }>('GET', `${base(ws)}/segments`);
export const getSegment = (ws: string, id: string) =>
  request<{ segment: Segment }>('GET', segmentPath(ws, id));
export const createSegment = (ws: string, body: { name: string; definition: Definition }) =>
  request<{ segment: Segment; warnings: SegmentWarning[] }>('POST', `${base(ws)}/segments`, body);
export const updateSegment = (ws: string, id: string, body: { name: string; definition: Definition }) =>
  request<{ segment: Segment; warnings: SegmentWarning[] }>('PATCH', segmentPath(ws, id), body);
export const deleteSegment = (ws: string, id: string) => request<undefined>('DELETE', segmentPath(ws, id));
export const estimateSegment = (ws: string, definition: Definition) =>
  request<Estimate>('POST', `${base(ws)}/segments/estimate`, { definition });

export function listMembers(ws: string, id: string, after?: string) {
  const q = new URLSearchParams({ limit: String(MEMBERS_PAGE) });
  if (after) q.set('after', after);
  return request<{ contacts: Contact[]; next: string | null }>('GET', `${segmentPath(ws, id)}/members?${q}`);
}
export const membersCsvUrl = (ws: string, id: string) => `${segmentPath(ws, id)}/export`;

const personasQuery = (compare: string | null, csv: boolean) => {
  const q = new URLSearchParams();
  if (compare) q.set('compare', compare);
  if (csv) q.set('format', 'csv');
  const s = q.toString();
  return s ? `?${s}` : '';
};
export const getPersonas = (ws: string, id: string, compare: string | null) =>
  request<{ persona: Persona; compare: Persona | null }>(
    'GET',
    `${segmentPath(ws, id)}/personas${personasQuery(compare, false)}`,
  );
export const personasCsvUrl = (ws: string, id: string, compare: string | null) =>
  `${segmentPath(ws, id)}/personas${personasQuery(compare, true)}`;

export const listLists = (ws: string) => request<{ lists: StaticList[] }>('GET', `${base(ws)}/lists`);
