/**
 * The Liquid engine a template runs on, and Wasl's rule for missing values.
 *
 * Engines are made per template at save time (filters are bound to the
 * template's locale) and reused for every recipient. Partials (`include`,
 * `render`, `layout`, `block`) are removed: a template is one self-contained
 * text. Unknown filters are refused when the template is parsed; unknown
 * variables are refused by the field check (fields.ts), so at send time a
 * missing value is simply empty.
 *
 * The empty-value rule ("Hello ," never happens): an output tag whose value is
 * missing, nil or the empty string takes the spaces directly before it with it
 * when it is directly followed by punctuation (, . ; : ! ? … ، ؛ ؟ ۔), by a
 * space, by a line break, by the end of the text or by another empty output. So "Hello {{ contact.first_name }}," gives
 * "Hello," and "مرحبًا {{ contact.first_name }}،" gives "مرحبًا،". Nothing else in
 * the text is touched. Authors who want a word instead use the standard
 * `default` filter: `{{ contact.first_name | default: "صديقنا" }}`.
 *
 * It works by having the output escape (applied by liquidjs after the filters
 * of every output tag) mark an empty value with U+FDD0, a Unicode noncharacter
 * reserved for internal use, which `tidy` then removes along with the gap.
 */
import { Liquid } from 'liquidjs';
import { type LocaleSettings, registerFilters, stringify } from './filters.ts';

export type OutputMode = 'html' | 'text';

/** A runaway loop stops one recipient's render, not the worker. */
const RENDER_LIMIT_MS = 1000;

const EMPTY = '\uFDD0';
const GAP = new Set([' ', '\t', '\u00a0']);
const CLOSES_GAP = new Set([
  EMPTY,
  ...GAP,
  '\n',
  '\r',
  '',
  ',',
  '.',
  ';',
  ':',
  '!',
  '?',
  '…',
  '،',
  '؛',
  '؟',
  '۔',
]);

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const NEEDS_ESCAPE = /[&<>"']/;

const markEmpty = (value: unknown): string => {
  const text = stringify(value);
  if (text === '') return EMPTY;
  return text.includes(EMPTY) ? text.replaceAll(EMPTY, '') : text;
};

const escapeOrMark = (value: unknown): string => {
  const text = markEmpty(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c) : text;
};

export const createEngine = (settings: LocaleSettings, mode: OutputMode): Liquid => {
  const engine = new Liquid({
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    templates: {},
    renderLimit: RENDER_LIMIT_MS,
    outputEscape: mode === 'html' ? escapeOrMark : markEmpty,
  });
  for (const tag of ['include', 'render', 'layout', 'block']) delete engine.tags[tag];
  registerFilters(engine, settings);
  return engine;
};

/** Applies the empty-value rule to rendered text and removes the markers. */
export const tidy = (rendered: string): string => {
  let at = rendered.indexOf(EMPTY);
  if (at === -1) return rendered;
  let out = '';
  let copied = 0;
  while (at !== -1) {
    let gapStart = at;
    if (CLOSES_GAP.has(rendered[at + 1] ?? '')) {
      while (gapStart > copied && GAP.has(rendered[gapStart - 1] ?? '')) gapStart -= 1;
    }
    out += rendered.slice(copied, gapStart);
    copied = at + 1;
    at = rendered.indexOf(EMPTY, copied);
  }
  return out + rendered.slice(copied);
};
