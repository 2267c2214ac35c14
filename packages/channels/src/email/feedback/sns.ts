/**
 * Amazon SNS HTTP(S) deliveries: reading the JSON envelope and checking its
 * signature as AWS documents it ("Verifying the signatures of Amazon SNS
 * messages"). The string to sign is "Name\nvalue\n" for each signed field in
 * byte order of the names — Notification: Message, MessageId, Subject (when
 * present), Timestamp, TopicArn, Type; SubscriptionConfirmation and
 * UnsubscribeConfirmation: Message, MessageId, SubscribeURL, Timestamp,
 * Token, TopicArn, Type. SignatureVersion 1 is RSA with SHA-1, 2 is RSA with
 * SHA-256. The certificate comes from SigningCertURL, which must be https on
 * a host sns.<region>.amazonaws.com ending in .pem; anything else is refused
 * before the (injected) fetch, so a forged message cannot make us fetch an
 * arbitrary URL or trust an arbitrary key. SubscribeURL is held to the same
 * host rule, since the HTTP layer visits it to confirm a subscription.
 */
import { verify, X509Certificate } from 'node:crypto';
import { err, ok, problem, type Result } from '@wasl/core';
import { date, guard, Malformed, object, optionalString, parseJson, string } from './read.ts';

export const SNS_TYPES = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const;
export type SnsType = (typeof SNS_TYPES)[number];

export interface SnsEnvelope {
  type: SnsType;
  messageId: string;
  topicArn: string;
  /** The payload: for SES, a JSON string. */
  message: string;
  /** Epoch ms. */
  timestamp: number;
  signatureVersion: '1' | '2';
  signature: string;
  signingCertUrl: string;
  /** Visit (GET) to confirm a SubscriptionConfirmation, after the signature checks out. */
  subscribeUrl?: string;
  /** The signed fields, as received, in signing order. */
  signed: Array<[string, string]>;
}

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const SUBSCRIPTION_FIELDS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
];

const SNS_HOST = /^sns\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com$/;

/** Reads an SNS delivery body (the JSON SNS POSTs); errors name the field at fault. */
export function parseSnsEnvelope(body: string): Result<SnsEnvelope> {
  return guard(() => {
    const json = object(parseJson(body, 'body'), 'body');
    const type = string(json.Type, 'Type');
    if (!SNS_TYPES.includes(type as SnsType)) {
      throw new Malformed('Type', `Type must be one of ${SNS_TYPES.join(', ')}, got "${type}"`);
    }
    const version = string(json.SignatureVersion, 'SignatureVersion');
    if (version !== '1' && version !== '2') {
      throw new Malformed('SignatureVersion', `SignatureVersion must be "1" or "2", got "${version}"`);
    }
    const fields = type === 'Notification' ? NOTIFICATION_FIELDS : SUBSCRIPTION_FIELDS;
    const signed: Array<[string, string]> = [];
    for (const name of fields) {
      const value = name === 'Subject' ? optionalString(json[name], name) : string(json[name], name);
      if (value !== undefined) signed.push([name, value]);
    }
    const signingCertUrl = snsUrl(string(json.SigningCertURL, 'SigningCertURL'), 'SigningCertURL');
    if (!new URL(signingCertUrl).pathname.endsWith('.pem')) {
      throw new Malformed('SigningCertURL', `SigningCertURL must name a .pem file: ${signingCertUrl}`);
    }
    const subscribeUrl =
      type === 'Notification' ? undefined : snsUrl(string(json.SubscribeURL, 'SubscribeURL'), 'SubscribeURL');
    return {
      type: type as SnsType,
      messageId: string(json.MessageId, 'MessageId'),
      topicArn: string(json.TopicArn, 'TopicArn'),
      message: string(json.Message, 'Message'),
      timestamp: date(json.Timestamp, 'Timestamp'),
      signatureVersion: version,
      signature: string(json.Signature, 'Signature'),
      signingCertUrl,
      ...(subscribeUrl === undefined ? {} : { subscribeUrl }),
      signed,
    };
  });
}

function snsUrl(value: string, field: string): string {
  if (!isSnsUrl(value)) {
    throw new Malformed(field, `${field} must be https://sns.<region>.amazonaws.com/…, got ${value}`);
  }
  return value;
}

/** True for https://sns.<region>.amazonaws.com/… on the default port. */
function isSnsUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' && url.port === '' && SNS_HOST.test(url.hostname);
}

/** The string SNS signs for this envelope. */
export function snsStringToSign(envelope: SnsEnvelope): string {
  return envelope.signed.map(([name, value]) => `${name}\n${value}\n`).join('');
}

export interface SnsVerifyOptions {
  /** Fetches the PEM certificate at an https://sns.<region>.amazonaws.com URL (cache it: AWS rotates rarely). */
  getCertificate(url: string): Promise<string>;
  /** Epoch ms, to check the certificate is within its validity period; defaults to Date.now. */
  now?: () => number;
}

/**
 * Checks an envelope's signature. 'unauthorized' when it does not verify or
 * the certificate is unusable or expired; 'unavailable' when the certificate
 * cannot be fetched (the HTTP layer answers 5xx so SNS retries).
 */
export async function verifySnsSignature(
  envelope: SnsEnvelope,
  options: SnsVerifyOptions,
): Promise<Result<true>> {
  // Checked again here, for an envelope that did not come from parseSnsEnvelope.
  if (!isSnsUrl(envelope.signingCertUrl) || !new URL(envelope.signingCertUrl).pathname.endsWith('.pem')) {
    return err(
      problem('unauthorized', `${envelope.signingCertUrl} is not an SNS certificate URL`, 'SigningCertURL'),
    );
  }
  let pem: string;
  try {
    pem = await options.getCertificate(envelope.signingCertUrl);
  } catch (error) {
    return err(
      problem(
        'unavailable',
        `could not fetch ${envelope.signingCertUrl}: ${(error as Error).message}`,
        'SigningCertURL',
      ),
    );
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return err(
      problem('unauthorized', `${envelope.signingCertUrl} is not a PEM certificate`, 'SigningCertURL'),
    );
  }
  const now = (options.now ?? Date.now)();
  if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) {
    return err(
      problem(
        'unauthorized',
        `the signing certificate is not valid now (until ${certificate.validTo})`,
        'SigningCertURL',
      ),
    );
  }
  const algorithm = envelope.signatureVersion === '1' ? 'sha1' : 'sha256';
  const signature = Buffer.from(envelope.signature, 'base64');
  let good: boolean;
  try {
    good = verify(
      algorithm,
      Buffer.from(snsStringToSign(envelope), 'utf8'),
      certificate.publicKey,
      signature,
    );
  } catch {
    // A key that cannot verify this algorithm (not RSA) makes no valid SNS signature either.
    good = false;
  }
  return good
    ? ok(true)
    : err(problem('unauthorized', 'the SNS signature does not match the message', 'Signature'));
}
