/**
 * A WhatsApp Cloud API stand-in: POST /v21.0/{phone-number-id}/messages with
 * a Bearer token and a JSON body (template, text or media message). Errors
 * use the Graph API format {error:{message, type, code, error_data, fbtrace_id}}.
 */
import { FakeProvider, type Reply } from './server.ts';

export const graphError = (status: number, code: number, message: string, details?: string): Reply => ({
  status,
  body: {
    error: {
      message,
      type: 'OAuthException',
      code,
      ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
      fbtrace_id: 'AbCdEfGhIjKlMn',
    },
  },
});

const invalidParameter = (details: string) => graphError(400, 100, '(#100) Invalid parameter', details);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isLink = (value: unknown) => typeof value === 'string' && /^https?:\/\//.test(value);

const MEDIA = ['image', 'video', 'document', 'audio'];

function checkParameter(p: unknown, at: string): string | undefined {
  if (!isObject(p) || typeof p.type !== 'string') return `Param ${at}['type'] is required`;
  if (p.type === 'text') {
    return typeof p.text === 'string' && p.text !== '' ? undefined : `Param ${at}['text'] is required`;
  }
  if (MEDIA.includes(p.type)) {
    const media = p[p.type];
    return isObject(media) && isLink(media.link) ? undefined : `Param ${at}['${p.type}']['link'] is required`;
  }
  return `Param ${at}['type'] is invalid`;
}

function checkTemplate(template: unknown): string | undefined {
  if (!isObject(template)) return 'Param template is required';
  if (typeof template.name !== 'string' || template.name === '') return "Param template['name'] is required";
  if (!isObject(template.language) || typeof template.language.code !== 'string') {
    return "Param template['language']['code'] is required";
  }
  if (template.components === undefined) return undefined;
  if (!Array.isArray(template.components)) return "Param template['components'] must be an array";
  for (const [i, component] of template.components.entries()) {
    const at = `template['components'][${i}]`;
    if (!isObject(component) || !['header', 'body', 'button'].includes(String(component.type))) {
      return `Param ${at}['type'] is invalid`;
    }
    if (!Array.isArray(component.parameters)) return `Param ${at}['parameters'] must be an array`;
    for (const [j, p] of component.parameters.entries()) {
      const problem = checkParameter(p, `${at}['parameters'][${j}]`);
      if (problem) return problem;
    }
  }
  return undefined;
}

function checkMessage(body: Json): string | undefined {
  if (body.messaging_product !== 'whatsapp') return 'The parameter messaging_product is required.';
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    return "Param recipient_type must be 'individual'";
  }
  if (typeof body.to !== 'string' || !/^\+?[1-9]\d{6,14}$/.test(body.to)) return 'Param to is invalid';
  if (body.type === 'template') return checkTemplate(body.template);
  if (body.type === 'text') {
    const text = body.text;
    return isObject(text) && typeof text.body === 'string' && text.body !== ''
      ? undefined
      : "Param text['body'] is required";
  }
  if (typeof body.type === 'string' && MEDIA.includes(body.type)) {
    const media = body[body.type];
    if (!isObject(media) || !isLink(media.link)) return `Param ${body.type}['link'] is required`;
    if (body.type === 'audio' && media.caption !== undefined) return "Param audio['caption'] is not allowed";
    return undefined;
  }
  return `Param type '${String(body.type)}' is invalid`;
}

export function startWhatsAppFake(phoneNumberId: string, accessToken: string): Promise<FakeProvider> {
  const path = `/v21.0/${phoneNumberId}/messages`;
  return FakeProvider.start({
    check(req) {
      if (req.method !== 'POST' || !/^\/v\d+\.\d+\/[^/]+\/messages$/.test(req.path)) {
        return graphError(400, 2500, `Unknown path components: ${req.path}`);
      }
      if (req.path !== path) {
        return graphError(
          400,
          100,
          `Unsupported post request. Object with ID '${req.path.split('/')[2]}' does not exist`,
        );
      }
      const auth = req.headers.authorization;
      if (!auth)
        return graphError(
          400,
          2500,
          'An active access token must be used to query information about the current user.',
        );
      if (auth !== `Bearer ${accessToken}`)
        return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return graphError(400, 100, 'The parameter messaging_product is required.');
      }
      let body: unknown;
      try {
        body = JSON.parse(req.body);
      } catch {
        return graphError(400, 100, 'The parameter messaging_product is required.');
      }
      if (!isObject(body)) return graphError(400, 100, 'The parameter messaging_product is required.');
      const problem = checkMessage(body);
      return problem ? invalidParameter(problem) : undefined;
    },
    accept(req, n) {
      const body = JSON.parse(req.body) as Json;
      const to = String(body.to);
      return {
        status: 200,
        body: {
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }],
          messages: [
            {
              id: `wamid.HBgM${n.toString().padStart(12, '0')}`,
              ...(body.type === 'template' ? { message_status: 'accepted' } : {}),
            },
          ],
        },
      };
    },
  });
}
