import { RawBody, request, seg } from '../api/client.ts';

/* The audience API's shapes (packages/server/src/http/contact-schemas.ts, routes/consent.ts, routes/contact-imports.ts). */

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'mql', 'sql', 'customer', 'evangelist'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];
export const CHANNELS = ['email', 'sms', 'whatsapp', 'webpush'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CONSENT_STATUSES = ['granted', 'denied', 'pending', 'unsubscribed'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
export const ATTRIBUTE_TYPES = ['text', 'number', 'date', 'boolean', 'list'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];
export const IMPORT_POLICIES = ['upsert', 'insert_only', 'update_only'] as const;
export type ImportPolicy = (typeof IMPORT_POLICIES)[number];
export type ImportStatus = 'running' | 'done' | 'failed' | 'cancelled';

export type AttributeValue = string | number | boolean | null;

export interface Contact {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  timezone: string | null;
  country: string | null;
  city: string | null;
  birthDate: string | null;
  gender: Gender | null;
  incomeBand: string | null;
  interests: string[];
  source: string | null;
  lifecycleStage: LifecycleStage | null;
  accountId: string | null;
  leadScore: number;
  attributes: Record<string, AttributeValue>;
  createdAt: string;
  updatedAt: string;
}

/** What POST and PATCH take: the fields sent; null clears one. */
export type ContactBody = Partial<
  Record<
    Exclude<
      keyof Contact,
      'id' | 'accountId' | 'leadScore' | 'createdAt' | 'updatedAt' | 'interests' | 'attributes'
    >,
    string | null
  >
> & { interests?: string[]; attributes?: Record<string, AttributeValue> };

export interface FieldWarning {
  field: string;
  value?: string;
  reason: string;
}

export interface AttributeDefinition {
  key: string;
  label: string;
  type: AttributeType;
  options?: string[];
}

export interface Consent {
  channel: Channel;
  topicId: string | null;
  status: ConsentStatus;
  source: string;
  proof: Record<string, unknown>;
  updatedAt: string;
}

export interface Topic {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
}

export interface ContactImport {
  id: string;
  fileName: string;
  status: ImportStatus;
  policy: ImportPolicy;
  bytesTotal: number | null;
  bytesRead: number;
  rowsRead: number;
  inserted: number;
  updated: number;
  skipped: number;
  failed: number;
  summary: Record<string, unknown> | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface RowProblem {
  line: number;
  column?: string | null;
  value?: string | null;
  reason: string;
  warning: boolean;
}

export interface ImportPreview {
  encoding: string;
  delimiter: string;
  headers: string[];
  mapping: Record<string, string>;
  remembered: boolean;
  sample: { line: number; contact: Record<string, unknown> }[];
  problems: RowProblem[];
}

const wsPath = (ws: string) => `/api/workspaces/${seg(ws)}`;
const contactPath = (ws: string, id: string) => `${wsPath(ws)}/contacts/${seg(id)}`;
export const importPath = (ws: string, id: string) => `${wsPath(ws)}/contact-imports/${seg(id)}`;

export const CONTACTS_PAGE = 50;

export function listContacts(ws: string, opts: { search?: string; before?: string }) {
  const q = new URLSearchParams({ limit: String(CONTACTS_PAGE) });
  if (opts.search) q.set('search', opts.search);
  if (opts.before) q.set('before', opts.before);
  return request<{ contacts: Contact[]; next: string | null }>('GET', `${wsPath(ws)}/contacts?${q}`);
}
export const getContact = (ws: string, id: string) =>
  request<{ contact: Contact }>('GET', contactPath(ws, id));
export const createContact = (ws: string, body: ContactBody) =>
  request<{ contact: Contact; warnings: FieldWarning[] }>('POST', `${wsPath(ws)}/contacts`, body);
export const updateContact = (ws: string, id: string, body: ContactBody) =>
  request<{ contact: Contact; warnings: FieldWarning[] }>('PATCH', contactPath(ws, id), body);

export const listAttributes = (ws: string) =>
  request<{ attributes: AttributeDefinition[] }>('GET', `${wsPath(ws)}/attributes`);
export const createAttribute = (ws: string, body: AttributeDefinition) =>
  request<{ attribute: AttributeDefinition }>('POST', `${wsPath(ws)}/attributes`, body);
export const updateAttribute = (ws: string, key: string, body: { label?: string; options?: string[] }) =>
  request<{ attribute: AttributeDefinition }>('PATCH', `${wsPath(ws)}/attributes/${seg(key)}`, body);

export const listConsents = (ws: string, id: string) =>
  request<{ consents: Consent[] }>('GET', `${contactPath(ws, id)}/consents`);
export const listTopics = (ws: string) => request<{ topics: Topic[] }>('GET', `${wsPath(ws)}/topics`);
export const setConsent = (
  ws: string,
  id: string,
  body: { channel: Channel; topicId?: string; status: ConsentStatus; source: string },
) => request<{ consent: Consent }>('PUT', `${contactPath(ws, id)}/consents`, body);

export const listImports = (ws: string) =>
  request<{ imports: ContactImport[] }>('GET', `${wsPath(ws)}/contact-imports`);
export const getImport = (ws: string, id: string) =>
  request<{ import: ContactImport }>('GET', importPath(ws, id));
export const cancelImport = (ws: string, id: string) =>
  request<{ import: ContactImport }>('POST', `${importPath(ws, id)}/cancel`);
export const listImportErrors = (ws: string, id: string) =>
  request<{ errors: RowProblem[] }>('GET', `${importPath(ws, id)}/errors?limit=100`);
export const importErrorsCsvUrl = (ws: string, id: string) => `${importPath(ws, id)}/errors?format=csv`;

/** The server reads the first bytes of a file: enough for the shape, the mapping and the first rows. */
export const PREVIEW_BYTES = 256 * 1024;

export const previewImport = (ws: string, file: Blob) =>
  request<ImportPreview>(
    'POST',
    `${wsPath(ws)}/contact-imports/preview`,
    new RawBody(file.slice(0, PREVIEW_BYTES), 'text/csv'),
  );

export function startImport(
  ws: string,
  file: File,
  opts: { policy: ImportPolicy; mapping: Record<string, string> },
) {
  const q = new URLSearchParams({
    fileName: file.name,
    policy: opts.policy,
    mapping: JSON.stringify(opts.mapping),
  });
  return request<{ import: ContactImport }>(
    'POST',
    `${wsPath(ws)}/contact-imports?${q}`,
    new RawBody(file, 'text/csv'),
  );
}
