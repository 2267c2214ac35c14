/**
 * The channel interface and email over SMTP. Each other channel has its own
 * entry point (`@wasl/channels/sms`, `/templates`, `/webhook`, …), so a process
 * loads only the providers it uses: MJML alone takes a noticeable part of a second.
 */
export { bodyHash, type DkimKey, generateDkimKey, generateDkimKeyAsync, signDkim } from './email/dkim.ts';
export { buildMime, encodeWords, formatMailbox } from './email/mime.ts';
export { SmtpAdapter, type SmtpOptions } from './email/smtp.ts';
export * from './types.ts';
