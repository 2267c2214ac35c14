/** Public API of the HTTP provider adapters: SMS through Twilio, Vonage and Unifonic, and WhatsApp Cloud API. */
export type { HttpOptions } from './http.ts';
export { parseTwilioStatus, type TwilioOptions, TwilioSmsAdapter, twilioSignature } from './sms-twilio.ts';
export { type UnifonicOptions, UnifonicSmsAdapter } from './sms-unifonic.ts';
export {
  parseVonageReceipt,
  type VonageOptions,
  type VonageReceiptOptions,
  type VonageSignatureMethod,
  VonageSmsAdapter,
  vonageSignature,
} from './sms-vonage.ts';
export {
  parseWhatsAppWebhook,
  verifyWhatsAppSubscription,
  WhatsAppAdapter,
  type WhatsAppOptions,
  whatsAppSignature,
} from './whatsapp.ts';
