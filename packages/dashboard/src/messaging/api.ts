import { request, seg } from '../api/client.ts';

/*
 * The messaging API's shapes: packages/server/src/routes/templates.ts,
 * sender-identities.ts and messages.ts.
 */

export const TEMPLATE_CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];
export type TextDirection = 'rtl' | 'ltr';

export interface TemplateSettings {
  digits?: 'arab' | 'latn';
  timeZone?: string;
}

/** What an author writes; `subject` is for email only (empty for SMS and WhatsApp). */
export interface TemplateSource {
  channel: TemplateChannel;
  subject: string;
  body: string;
  dir: TextDirection;
  lang: string;
  settings: TemplateSettings;
}

export interface MessageTemplate extends TemplateSource {
  id: string;
  name: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SmsCount {
  encoding: 'gsm7' | 'ucs2';
  /** Septets for GSM-7, UTF-16 code units for Unicode (UCS-2). */
  characters: number;
  parts: number;
  perPart: number;
  remainingInPart: number;
  /** The characters, in order of appearance, that forced Unicode. */
  nonGsmCharacters: string[];
  /** parts × pricePerPart, when a price was given. */
  cost?: number;
}

export interface TemplatePreview {
  subject?: string;
  html?: string;
  text: string;
  sms?: SmsCount;
}

export interface DnsRecordCheck {
  kind: 'spf' | 'dkim' | 'dmarc';
  /** Where the record goes, in punycode. */
  name: string;
  type: 'TXT';
  /** The value to publish. */
  expected: string;
  found: string[];
  ok: boolean;
  message: { en: string; ar: string };
}

export interface SenderIdentity {
  id: string;
  fromAddress: string;
  fromName: string | null;
  replyTo: string | null;
  domain: string;
  asciiDomain: string;
  dkim: {
    selector: string;
    algorithm: 'rsa-sha256';
    publicKey: string;
    recordName: string;
    recordValue: string;
  };
  dns: { ok: boolean; records: DnsRecordCheck[]; checkedAt: string } | null;
  createdAt: string;
}

export interface NewSender {
  fromAddress: string;
  fromName?: string;
  replyTo?: string;
}

export interface Message {
  id: string;
  contactId: string | null;
  channel: string;
  /** campaign, transactional, system, … */
  sourceKind: string;
  sourceId: string | null;
  marketing: boolean;
  /** queued, sending, committed, sent, delivered, opened, clicked, skipped, failed, bounced, complained, … */
  status: string;
  /** Why a queued message is not moving (no provider configured, quiet hours, …). */
  waiting: string | null;
  /** Handed over, then no answer: never sent again. */
  inDoubt: boolean;
  skipReason: string | null;
  attempts: number;
  provider: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

const wsPath = (ws: string) => `/api/workspaces/${seg(ws)}`;
const templatePath = (ws: string, id: string) => `${wsPath(ws)}/templates/${seg(id)}`;

export const listTemplates = (ws: string) =>
  request<{ templates: MessageTemplate[] }>('GET', `${wsPath(ws)}/templates`);

export const getTemplate = (ws: string, id: string) =>
  request<{ template: MessageTemplate }>('GET', templatePath(ws, id));

export const createTemplate = (ws: string, body: TemplateSource & { name: string }) =>
  request<{ template: MessageTemplate }>('POST', `${wsPath(ws)}/templates`, body);

export const updateTemplate = (
  ws: string,
  id: string,
  body: Omit<TemplateSource, 'channel'> & { name: string },
) => request<{ template: MessageTemplate }>('PATCH', templatePath(ws, id), body);

/** Renders an unsaved source for the sample contact (the editors' live preview and SMS counter). */
export const previewSource = (ws: string, source: TemplateSource, pricePerPart?: number) =>
  request<TemplatePreview>('POST', `${wsPath(ws)}/templates/preview`, {
    ...source,
    ...(pricePerPart === undefined ? {} : { pricePerPart }),
  });

export const listSenders = (ws: string) =>
  request<{ senders: SenderIdentity[] }>('GET', `${wsPath(ws)}/senders`);

export const createSender = (ws: string, body: NewSender) =>
  request<{ sender: SenderIdentity }>('POST', `${wsPath(ws)}/senders`, body);

export const checkSenderDns = (ws: string, id: string) =>
  request<{ sender: SenderIdentity }>('POST', `${wsPath(ws)}/senders/${seg(id)}/check-dns`);

export const listContactMessages = (ws: string, contactId: string, limit = 50) =>
  request<{ messages: Message[]; next: string | null }>(
    'GET',
    `${wsPath(ws)}/messages?contactId=${seg(contactId)}&limit=${limit}`,
  );

/** Queues one transactional email of a saved template to a contact: the editor's "send test". */
export const sendTestEmail = (ws: string, contactId: string, templateId: string) =>
  request<{ message: Message }>('POST', `${wsPath(ws)}/messages`, {
    contactId,
    channel: 'email',
    marketing: false,
    content: { templateId },
  });
