export { buildMime, encodeWords, formatMailbox } from './email/mime.ts';
export { SmtpAdapter, type SmtpOptions } from './email/smtp.ts';
export * from './types.ts';
