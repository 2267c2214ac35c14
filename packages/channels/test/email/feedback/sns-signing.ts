/**
 * Test signing for SNS: a key and self-signed certificate made with openssl,
 * and envelopes signed the way SNS signs them (independently of the code
 * under test: the field lists are written out here again).
 */
import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Signer {
  keyPem: string;
  certPem: string;
}

/** A 2048-bit RSA key and a self-signed certificate valid for 30 days from now. */
export function makeSigner(): Signer {
  const dir = mkdtempSync(join(tmpdir(), 'wasl-sns-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['genrsa', '-out', key, '2048'], { stdio: 'ignore' });
    execFileSync(
      'openssl',
      ['req', '-new', '-x509', '-key', key, '-out', cert, '-subj', '/CN=sns.amazonaws.com', '-days', '30'],
      { stdio: 'ignore' },
    );
    return { keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const CERT_URL =
  'https://sns.eu-central-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem';
export const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:wasl-ses-feedback';

export function signedNotification(
  signer: Signer,
  message: unknown,
  options: { version?: '1' | '2'; subject?: string; certUrl?: string } = {},
): Record<string, string> {
  const fields: Record<string, string> = {
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: TOPIC,
    ...(options.subject === undefined ? {} : { Subject: options.subject }),
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2026-11-23T06:01:02.123Z',
  };
  const order = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
  return finish(signer, fields, order, options);
}

export function signedSubscription(
  signer: Signer,
  options: { version?: '1' | '2' } = {},
): Record<string, string> {
  const fields: Record<string, string> = {
    Type: 'SubscriptionConfirmation',
    MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
    Token:
      '2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736',
    TopicArn: TOPIC,
    Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: `https://sns.eu-central-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f37`,
    Timestamp: '2026-11-23T06:00:00.000Z',
  };
  const order = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return finish(signer, fields, order, options);
}

function finish(
  signer: Signer,
  fields: Record<string, string>,
  order: string[],
  options: { version?: '1' | '2'; certUrl?: string },
): Record<string, string> {
  const version = options.version ?? '1';
  const text = order
    .filter((name) => fields[name] !== undefined)
    .map((name) => `${name}\n${fields[name]}\n`)
    .join('');
  const signature = sign(
    version === '1' ? 'sha1' : 'sha256',
    Buffer.from(text, 'utf8'),
    signer.keyPem,
  ).toString('base64');
  return {
    ...fields,
    SignatureVersion: version,
    Signature: signature,
    SigningCertURL: options.certUrl ?? CERT_URL,
    ...(fields.Type === 'Notification'
      ? {
          UnsubscribeURL:
            'https://sns.eu-central-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:eu-central-1:123456789012:wasl-ses-feedback:1',
        }
      : {}),
  };
}
