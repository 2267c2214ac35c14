/** Email, SMS and WhatsApp message templates: MJML, Liquid, Arabic filters, right-to-left. */
export type { CompiledTemplate, CompileOptions, EmailTemplateSource, RenderedEmail } from './email.ts';
export { compileTemplate, render } from './email.ts';
export type { Digits } from './filters.ts';
export { digitsToArabic, digitsToLatin, isolate } from './filters.ts';
export type { Direction } from './mjml.ts';
export type { TemplateProblem } from './problems.ts';
export type { TemplateSettings } from './settings.ts';
export type { CompiledSmsTemplate, SmsTemplateSource } from './sms.ts';
export { compileSmsTemplate, renderSmsTemplate } from './sms.ts';
