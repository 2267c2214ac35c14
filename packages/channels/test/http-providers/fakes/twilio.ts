/**
 * A Twilio Messages API stand-in: POST /2010-04-01/Accounts/{Sid}/Messages.json,
 * HTTP Basic auth, form-encoded To/From|MessagingServiceSid/Body; answers
 * 201 with a Message resource or Twilio's error object {code, message, more_info, status}.
 */
import { FakeProvider, formOf, type Received, type Reply } from './server.ts';

export const twilioError = (status: number, code: number, message: string): Reply => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

const E164 = /^\+[1-9]\d{6,14}$/;

export function startTwilioFake(accountSid: string, authToken: string): Promise<FakeProvider> {
  const path = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  return FakeProvider.start({
    check(req: Received) {
      if (req.method !== 'POST' || req.path !== path) {
        return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
      }
      if (req.headers.authorization !== auth) return twilioError(401, 20003, 'Authenticate');
      // Twilio reads only form fields: a JSON body arrives as no fields at all.
      const form = formOf(req);
      const to = form.get('To');
      if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
      if (!E164.test(to))
        return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (!form.get('From') && !form.get('MessagingServiceSid')) {
        return twilioError(400, 21603, "A 'From' phone number is required.");
      }
      const body = form.get('Body');
      if (!body) return twilioError(400, 21602, 'Message body is required.');
      if ([...body].length > 1600) {
        return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
      }
      const callback = form.get('StatusCallback');
      if (callback !== null && !URL.canParse(callback)) {
        return twilioError(400, 21609, `The StatusCallback URL ${callback} is not a valid URL.`);
      }
      return undefined;
    },
    accept(req, n) {
      const form = formOf(req);
      return {
        status: 201,
        body: {
          sid: `SM${n.toString(16).padStart(32, '0')}`,
          account_sid: accountSid,
          to: form.get('To'),
          from: form.get('From'),
          messaging_service_sid: form.get('MessagingServiceSid'),
          body: form.get('Body'),
          status: 'queued',
          num_segments: '1',
          direction: 'outbound-api',
          api_version: '2010-04-01',
        },
      };
    },
  });
}
