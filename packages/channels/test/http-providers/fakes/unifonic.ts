/**
 * A Unifonic REST SMS stand-in: POST /rest/SMS/messages, form-encoded
 * AppSid, SenderID, Recipient (international digits, no '+' or 00), Body.
 * Request-level errors use the HTTP statuses of Unifonic's status code list
 * (401 authentication, 402 missing AppSid, 410 recipient format, 421/449
 * body, 422 recipient); the body shape {success:false, message, errorCode}
 * follows Unifonic's documented error example.
 */
import { FakeProvider, formOf, type Reply } from './server.ts';

export const unifonicError = (status: number, errorCode: string, message: string): Reply => ({
  status,
  body: { success: false, message, errorCode, data: {} },
});

export function startUnifonicFake(appSid: string): Promise<FakeProvider> {
  return FakeProvider.start({
    check(req) {
      if (req.method !== 'POST' || req.path !== '/rest/SMS/messages') {
        return unifonicError(404, '404', `Incompatible API version: ${req.method} ${req.path}`);
      }
      // Only form fields are read, as in Unifonic's documented examples.
      const form = formOf(req);
      const sid = form.get('AppSid');
      if (!sid) return unifonicError(402, '402', 'Missing parameter AppSid');
      if (sid !== appSid) return unifonicError(401, '401', 'Authentication failed');
      const recipient = form.get('Recipient');
      if (!recipient) return unifonicError(422, '422', 'No recipient parameter specified');
      if (!/^[1-9]\d{6,14}$/.test(recipient)) return unifonicError(410, '410', 'Invalid recipient format');
      const body = form.get('Body');
      if (body === null) return unifonicError(421, '421', 'No message body specified');
      if (body.trim() === '') return unifonicError(449, '449', 'Message body is empty');
      const sender = form.get('SenderID');
      if (sender !== null && !/^(?:[A-Za-z0-9 .&-]{1,11}|\d{3,15})$/.test(sender)) {
        return unifonicError(440, '440', 'Wrong sender format');
      }
      return undefined;
    },
    accept(req, n) {
      const form = formOf(req);
      return {
        status: 200,
        body: {
          success: true,
          message: '',
          errorCode: 'ER-00',
          data: {
            MessageID: 42000348806900 + n,
            CorrelationID: form.get('CorrelationID') ?? '',
            Status: 'Sent',
            NumberOfUnits: 1,
            Cost: 0,
            Balance: 0,
            Recipient: form.get('Recipient'),
            TimeCreated: '2026-11-23 08:00:00.000',
            CurrencyCode: 'SAR',
          },
        },
      };
    },
  });
}
