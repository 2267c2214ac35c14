/** Test helpers: compile-and-render shortcuts that fail loudly when a step refuses. */
import { compileSmsTemplate, renderSmsTemplate, type SmsTemplateSource } from '../../src/templates/index.ts';

export const FSI = '\u2068';
export const PDI = '\u2069';
export const iso = (text: string): string => `${FSI}${text}${PDI}`;

/** Renders a one-off text template with the given settings. */
export const renderText = (
  body: string,
  context: Record<string, unknown>,
  settings: Omit<SmsTemplateSource, 'body'> = { lang: 'ar' },
  fields: readonly string[] = ['n', 'd', 's', 'name', 'contact.*'],
): string => {
  const compiled = compileSmsTemplate({ ...settings, body }, { fields });
  if (!compiled.ok) throw new Error(compiled.error.message);
  const rendered = renderSmsTemplate(compiled.value, context);
  if (!rendered.ok) throw new Error(rendered.error.message);
  return rendered.value;
};
