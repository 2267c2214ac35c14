/**
 * A Vonage SMS API stand-in: POST /sms/json with api_key, api_secret, from,
 * to (international digits, no '+' or 00), text, type and client-ref, form
 * or JSON encoded. Like Vonage it answers HTTP 200 with
 * {message-count, messages:[{status, …}]} for errors in the parameters too;
 * a success lists one message per SMS part.
 */
import { FakeProvider, formOf, type Received, type Reply } from './server.ts';

export const vonageError = (status: string, errorText: string): Reply => ({
  status: 200,
  body: { 'message-count': '1', messages: [{ status, 'error-text': errorText }] },
});

// GSM 03.38 default alphabet and extension table, to catch non-GSM text sent without type=unicode.
const GSM7 = new Set([
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ...'\f^{}\\[~]|€',
]);

function paramsOf(req: Received): URLSearchParams {
  if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      return new URLSearchParams(JSON.parse(req.body) as Record<string, string>);
    } catch {
      return new URLSearchParams();
    }
  }
  return formOf(req);
}

/** Parts the text takes: 160/153 GSM-7 characters, or 70/67 UTF-16 units for unicode. */
function partCount(text: string, unicode: boolean): number {
  const length = unicode ? text.length : [...text].length;
  const [single, multi] = unicode ? [70, 67] : [160, 153];
  return length <= single ? 1 : Math.ceil(length / multi);
}

export function startVonageFake(apiKey: string, apiSecret: string): Promise<FakeProvider> {
  return FakeProvider.start({
    check(req) {
      if (req.method !== 'POST' || req.path !== '/sms/json') {
        return { status: 404, body: { 'error-text': `no such resource: ${req.method} ${req.path}` } };
      }
      const params = paramsOf(req);
      if (!params.get('api_key')) return vonageError('2', 'Missing api_key');
      if (!params.get('api_secret')) return vonageError('2', 'Missing api_secret');
      if (params.get('api_key') !== apiKey || params.get('api_secret') !== apiSecret) {
        return vonageError('4', 'Bad Credentials');
      }
      const from = params.get('from');
      if (!from) return vonageError('2', 'Missing from param');
      const to = params.get('to');
      if (!to) return vonageError('2', 'Missing to param');
      if (!/^[1-9]\d{6,14}$/.test(to)) return vonageError('3', `Invalid to address: ${to}`);
      const text = params.get('text');
      if (!text) return vonageError('2', 'Missing text param');
      const type = params.get('type') ?? 'text';
      if (type !== 'text' && type !== 'unicode') return vonageError('3', `Invalid type: ${type}`);
      if (type === 'text' && ![...text].every((ch) => GSM7.has(ch))) {
        return vonageError('3', 'Non-GSM characters in text, use type=unicode');
      }
      const callback = params.get('callback');
      if (callback !== null && !/^https?:\/\//.test(callback))
        return vonageError('23', 'Invalid Callback Url');
      const ref = params.get('client-ref');
      if (ref !== null && [...ref].length > 100) return vonageError('3', 'client-ref is over 100 characters');
      return undefined;
    },
    accept(req, n) {
      const params = paramsOf(req);
      const text = params.get('text') ?? '';
      const parts = partCount(text, params.get('type') === 'unicode');
      const messages = Array.from({ length: parts }, (_, i) => ({
        to: params.get('to'),
        'message-id': `${n.toString(16).toUpperCase().padStart(14, '0')}${i.toString(16).toUpperCase().padStart(2, '0')}`,
        status: '0',
        'remaining-balance': '3.14159265',
        'message-price': '0.03330000',
        network: '42001',
        ...(params.get('client-ref') ? { 'client-ref': params.get('client-ref') } : {}),
      }));
      return { status: 200, body: { 'message-count': String(parts), messages } };
    },
  });
}
