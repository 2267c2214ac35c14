/**
 * Compiled email and SMS templates in memory, by template id and version (a saved
 * change bumps the version, so an entry never goes stale), least recently
 * used dropped first. Compiling MJML is the slow part of a send; rendering a
 * compiled template per recipient is cheap.
 */

import {
  type CompiledSmsTemplate,
  type CompiledTemplate,
  compileSmsTemplate,
  compileTemplate,
  type TemplateProblem,
} from '@wasl/channels/templates';
import type { Result } from '@wasl/core';
import type { MessageTemplate } from '@wasl/store';

/**
 * What a template may read when it is rendered for one contact: every contact
 * column, its attributes, the links, `campaign.*` (the message's variables,
 * with the source's id) and `message.id`. A superset of what the template
 * editor lets authors save, so a saved template always compiles here.
 */
export const TEMPLATE_FIELDS = [
  'contact.*',
  'contact.attributes.*',
  'unsubscribe_url',
  'preferences_url',
  'campaign.*',
  'message.id',
] as const;

export class TemplateCache {
  readonly #max: number;
  readonly #entries = new Map<string, Promise<Result<unknown, TemplateProblem>>>();

  constructor(max = 200) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The compiled template, compiling it on first use of this version. */
  compiled(template: MessageTemplate): Promise<Result<CompiledTemplate, TemplateProblem>> {
    return this.#remember(template, () =>
      compileTemplate(
        {
          subject: template.subject,
          mjml: template.body,
          dir: template.dir as 'rtl' | 'ltr',
          lang: template.lang,
          ...settingsOf(template),
        },
        { fields: TEMPLATE_FIELDS },
      ),
    );
  }

  /** The compiled SMS template (message_templates.channel 'sms'), compiling it on first use of this version. */
  compiledSms(template: MessageTemplate): Promise<Result<CompiledSmsTemplate, TemplateProblem>> {
    return this.#remember(template, async () =>
      compileSmsTemplate(
        { body: template.body, lang: template.lang, ...settingsOf(template) },
        { fields: TEMPLATE_FIELDS },
      ),
    );
  }

  #remember<T>(
    template: MessageTemplate,
    compile: () => Promise<Result<T, TemplateProblem>>,
  ): Promise<Result<T, TemplateProblem>> {
    const key = `${template.channel}:${template.id}@${template.version}`;
    const hit = this.#entries.get(key) as Promise<Result<T, TemplateProblem>> | undefined;
    if (hit) {
      // Most recently used goes last.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const compiling = compile();
    this.#entries.set(key, compiling);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return compiling;
  }
}

function settingsOf(template: MessageTemplate): { digits?: 'arab' | 'latn'; timeZone?: string } {
  const settings = JSON.parse(template.settings) as { digits?: 'arab' | 'latn'; timeZone?: string };
  return {
    ...(settings.digits ? { digits: settings.digits } : {}),
    ...(settings.timeZone ? { timeZone: settings.timeZone } : {}),
  };
}
