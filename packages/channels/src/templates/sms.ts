/**
 * Plain-text templates for SMS and WhatsApp bodies: the same Liquid engine,
 * filters, field check and empty-value rule as email, no MJML and no HTML
 * escaping. Values are not isolated automatically here (each isolate costs two
 * characters of a short message); use `{{ x | bidi }}` where a Latin value sits
 * in Arabic text.
 */
import { err, ok, type Result } from '@wasl/core';
import type { Liquid, Template } from 'liquidjs';
import type { CompileOptions } from './email.ts';
import { createEngine, tidy } from './engine.ts';
import { accelerate } from './fastpath.ts';
import { checkFields, parseLiquid, renderProblem } from './liquid.ts';
import type { TemplateProblem } from './problems.ts';
import { checkSettings, type TemplateSettings } from './settings.ts';

export interface SmsTemplateSource extends TemplateSettings {
  /** Liquid text. */
  body: string;
}

export interface CompiledSmsTemplate {
  readonly lang: string;
  readonly engine: Liquid;
  readonly templates: Template[];
}

/** Validates and parses a text template; a fault comes back with its line and column. */
export const compileSmsTemplate = (
  source: SmsTemplateSource,
  options: CompileOptions,
): Result<CompiledSmsTemplate, TemplateProblem> => {
  const settings = checkSettings(source, false);
  if (!settings.ok) return settings;
  const engine = createEngine(settings.value, 'text');
  const parsed = parseLiquid(engine, source.body, 'body');
  if (!parsed.ok) return parsed;
  const unknown = checkFields(engine, parsed.value, options.fields, 'body');
  if (unknown !== undefined) return err(unknown);
  return ok({ lang: settings.value.locale, engine, templates: accelerate(parsed.value) });
};

/** Renders a text template for one recipient. */
export const renderSmsTemplate = (
  compiled: CompiledSmsTemplate,
  context: Record<string, unknown>,
): Result<string, TemplateProblem> => {
  try {
    return ok(tidy(compiled.engine.renderSync(compiled.templates, context) as string));
  } catch (error) {
    return err(renderProblem(error));
  }
};
