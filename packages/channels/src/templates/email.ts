/**
 * Email templates: `compileTemplate` does all the slow work once, when the
 * template is saved — checks the settings, the Liquid syntax and the fields,
 * compiles MJML to HTML with the Liquid kept inside, derives the plain-text
 * part, and parses the subject, HTML and text as Liquid. `render` then only
 * runs the three parsed templates for one recipient.
 *
 * Values are HTML-escaped in the HTML part and left as they are in the subject
 * and the text part. In RTL templates every value in text (subject, HTML text,
 * text part) is wrapped in Unicode isolates (see bidi.ts); values in attributes
 * are not. A missing value never leaves "Hello ," (see engine.ts).
 */
import { err, ok, type Result } from '@wasl/core';
import type { Liquid, Template } from 'liquidjs';
import { isolateAllOutputs, isolateHtmlOutputs } from './bidi.ts';
import { createEngine, tidy } from './engine.ts';
import { accelerate } from './fastpath.ts';
import { checkFields, parseLiquid, renderProblem } from './liquid.ts';
import { compileMjml, type Direction } from './mjml.ts';
import { textTemplateOf, tidyText } from './plaintext.ts';
import type { TemplateProblem } from './problems.ts';
import { checkSettings, type TemplateSettings } from './settings.ts';

export interface EmailTemplateSource extends TemplateSettings {
  /** Liquid, one line. */
  subject: string;
  /** An MJML document with Liquid in text, raw blocks and attribute values. */
  mjml: string;
  dir: Direction;
}

export interface CompileOptions {
  /** The field paths a template may read, e.g. 'contact.first_name', 'contact.attributes.*', 'unsubscribe_url'. */
  fields: readonly string[];
}

export interface CompiledTemplate {
  readonly dir: Direction;
  readonly lang: string;
  /** The compiled HTML with its Liquid, as rendered per recipient (for previews and debugging). */
  readonly htmlTemplate: string;
  /** The derived plain-text template, with its Liquid. */
  readonly textTemplate: string;
  readonly parts: {
    readonly html: { engine: Liquid; templates: Template[] };
    readonly text: { engine: Liquid; templates: Template[] };
    readonly subject: { engine: Liquid; templates: Template[] };
  };
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Validates and compiles an email template; a fault comes back with its line and column. */
export const compileTemplate = async (
  source: EmailTemplateSource,
  options: CompileOptions,
): Promise<Result<CompiledTemplate, TemplateProblem>> => {
  const settings = checkSettings(source, true);
  if (!settings.ok) return settings;
  const htmlEngine = createEngine(settings.value, 'html');
  const textEngine = createEngine(settings.value, 'text');

  for (const [part, text] of [
    ['subject', source.subject],
    ['mjml', source.mjml],
  ] as const) {
    const parsed = parseLiquid(textEngine, text, part);
    if (!parsed.ok) return parsed;
    const unknown = checkFields(textEngine, parsed.value, options.fields, part);
    if (unknown !== undefined) return err(unknown);
  }

  const compiled = await compileMjml(source.mjml, source.dir, settings.value.locale);
  if (!compiled.ok) return compiled;
  const rtl = source.dir === 'rtl';
  const htmlTemplate = rtl ? isolateHtmlOutputs(compiled.value) : compiled.value;
  const textTemplate = textTemplateOf(htmlTemplate);
  const subjectTemplate = rtl ? isolateAllOutputs(source.subject) : source.subject;

  const html = parseLiquid(htmlEngine, htmlTemplate, 'html');
  if (!html.ok) return html;
  const text = parseLiquid(textEngine, textTemplate, 'text');
  if (!text.ok) return text;
  const subject = parseLiquid(textEngine, subjectTemplate, 'subject');
  if (!subject.ok) return subject;

  return ok({
    dir: source.dir,
    lang: settings.value.locale,
    htmlTemplate,
    textTemplate,
    parts: {
      html: { engine: htmlEngine, templates: accelerate(html.value) },
      text: { engine: textEngine, templates: accelerate(text.value) },
      subject: { engine: textEngine, templates: accelerate(subject.value) },
    },
  });
};

const run = (part: { engine: Liquid; templates: Template[] }, context: object): string =>
  tidy(part.engine.renderSync(part.templates, context) as string);

/** Renders a compiled template for one recipient. */
export const render = (
  compiled: CompiledTemplate,
  context: Record<string, unknown>,
): Result<RenderedEmail, TemplateProblem> => {
  try {
    const { parts } = compiled;
    return ok({
      subject: run(parts.subject, context)
        .replace(/[\r\n]+/g, ' ')
        .trim(),
      html: run(parts.html, context),
      text: tidyText(run(parts.text, context)),
    });
  } catch (error) {
    return err(renderProblem(error));
  }
};
