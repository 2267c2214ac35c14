/**
 * MJML to responsive HTML, once, at save time, with the Liquid left in place.
 *
 * MJML copies the content of its ending tags (mj-text, mj-button, mj-raw, mj-title,
 * mj-preview, …) and attribute values such as href="{{ unsubscribe_url }}" into
 * the HTML untouched, so Liquid written there survives. Liquid written between
 * structural tags (a `{% if %}` between two mj-section) would be dropped
 * silently; that is refused with its position — wrap such tags in `<mj-raw>`.
 *
 * Direction and language come from the template settings: the root gets
 * lang/dir (MJML puts them on <html> and the body container), and for RTL an
 * `mj-attributes` block makes sections and groups lay out their columns right
 * to left, columns run right to left and text and tables align right, unless an
 * element says otherwise. The additions are made on existing lines, so MJML's
 * line numbers still match the author's text.
 *
 * Validation is MJML's 'strict' level (unknown tags, illegal attributes,
 * invalid values), which reports lines only; the column is found from our own
 * scan of the source. Unclosed tags, which MJML would close silently, are
 * refused from the same scan.
 */
import { err, ok, type Result } from '@wasl/core';
import { Parser } from 'htmlparser2';
import { type Token, Tokenizer, TokenKind } from 'liquidjs';
import mjml2html from 'mjml';
import { type Position, positionOf, type TemplateProblem, templateProblem } from './problems.ts';

export type Direction = 'rtl' | 'ltr';

interface Element {
  name: string;
  /** Offset of '<'. */
  start: number;
  /** Offset just after the open tag's '>'. */
  openEnd: number;
  line: number;
}

const PART = 'mjml';

const RTL_DEFAULTS =
  '<mj-attributes><mj-section direction="rtl" /><mj-group direction="rtl" /><mj-column direction="rtl" />' +
  '<mj-text align="right" /><mj-table align="right" /></mj-attributes>';

const isMjml = (name: string): boolean => name === 'mjml' || name.startsWith('mj-');

const escapeAttribute = (value: string): string => value.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

/** Finds MJML elements with their positions; the first unclosed one is a problem. */
const scan = (source: string): Result<Element[], TemplateProblem> => {
  const elements: Element[] = [];
  const open: { element: Element; selfClosing: boolean }[] = [];
  let unclosed: Element | undefined;
  const parser = new Parser(
    {
      onopentag(name) {
        if (!isMjml(name)) return;
        const element = {
          name,
          start: parser.startIndex,
          openEnd: parser.endIndex + 1,
          line: positionOf(source, parser.startIndex).line,
        };
        elements.push(element);
        open.push({ element, selfClosing: source[parser.endIndex - 1] === '/' });
      },
      onclosetag(name, isImplied) {
        if (!isMjml(name)) return;
        const top = open.pop();
        if (top !== undefined && isImplied && !top.selfClosing && unclosed === undefined)
          unclosed = top.element;
      },
    },
    { xmlMode: true },
  );
  parser.end(source);
  if (unclosed !== undefined) {
    return err(
      templateProblem(
        `MJML error: <${unclosed.name}> is not closed`,
        PART,
        PART,
        positionOf(source, unclosed.start),
      ),
    );
  }
  return ok(elements);
};

/** Adds lang/dir to <mjml> and, for RTL, the mirrored defaults, without adding lines. */
const localise = (source: string, elements: Element[], dir: Direction, lang: string): string => {
  const root = elements.find((element) => element.name === 'mjml');
  if (root === undefined) return source;
  const head = elements.find((element) => element.name === 'mj-head');
  const inserts: { at: number; text: string }[] = [
    // htmlparser2 keeps the first of two equal attributes, so these win over the author's.
    { at: root.start + '<mjml'.length, text: ` lang="${escapeAttribute(lang)}" dir="${dir}"` },
  ];
  if (dir === 'rtl') {
    inserts.push(
      head === undefined
        ? { at: root.openEnd, text: `<mj-head>${RTL_DEFAULTS}</mj-head>` }
        : { at: head.openEnd, text: RTL_DEFAULTS },
    );
  }
  inserts.sort((a, b) => b.at - a.at);
  let out = source;
  for (const { at, text } of inserts) out = out.slice(0, at) + text + out.slice(at);
  return out;
};

interface MjmlValidationError {
  line: number;
  message: string;
  tagName: string;
}

const isValidationErrors = (value: unknown): value is MjmlValidationError[] =>
  Array.isArray(value) &&
  value.every((e) => typeof e === 'object' && e !== null && typeof e.line === 'number' && 'message' in e);

/** MJML gives a line and a tag; the column is that tag's, or that attribute's in it. */
const locate = (source: string, elements: Element[], error: MjmlValidationError): Position => {
  const element = elements.find((e) => e.line === error.line && e.name === error.tagName);
  if (element === undefined) return { line: error.line, column: 1 };
  const attribute = /^Attribute (\S+)/.exec(error.message)?.[1];
  const openTag = source.slice(element.start, element.openEnd);
  const name = attribute?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = name === undefined ? -1 : openTag.search(new RegExp(`\\s${name}\\s*=`));
  return positionOf(source, found === -1 ? element.start : element.start + found + 1);
};

const liquidTokens = (text: string): Token[] =>
  new Tokenizer(text)
    .readTopLevelTokens()
    .filter((token) => token.kind === TokenKind.Tag || token.kind === TokenKind.Output);

/** The first Liquid tag or output of the source that is missing from the HTML. */
const droppedLiquid = (source: string, html: string): Token | undefined => {
  const available = new Map<string, number>();
  for (const token of liquidTokens(html)) {
    const text = token.getText();
    available.set(text, (available.get(text) ?? 0) + 1);
  }
  for (const token of liquidTokens(source)) {
    const text = token.getText();
    const left = available.get(text) ?? 0;
    if (left === 0) return token;
    available.set(text, left - 1);
  }
  return undefined;
};

/** Compiles MJML (with Liquid in it) to HTML (with the same Liquid in it). */
export const compileMjml = async (
  source: string,
  dir: Direction,
  lang: string,
): Promise<Result<string, TemplateProblem>> => {
  const scanned = scan(source);
  if (!scanned.ok) return scanned;
  const elements = scanned.value;
  if (elements[0]?.name !== 'mjml') {
    return err(
      templateProblem('MJML error: the template must start with <mjml>', PART, PART, { line: 1, column: 1 }),
    );
  }
  let html: string;
  try {
    html = (
      await mjml2html(localise(source, elements, dir, lang), {
        validationLevel: 'strict',
        ignoreIncludes: true,
      })
    ).html;
  } catch (error) {
    const details = (error as { errors?: unknown }).errors;
    if (isValidationErrors(details) && details[0] !== undefined) {
      const first = details[0];
      return err(
        templateProblem(
          `MJML error: ${first.message.trim()} (${first.tagName})`,
          PART,
          PART,
          locate(source, elements, first),
        ),
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    return err(templateProblem(`MJML error: ${reason}`, PART, PART, { line: 1, column: 1 }));
  }
  const dropped = droppedLiquid(source, html);
  if (dropped !== undefined) {
    return err(
      templateProblem(
        `MJML error: ${dropped.getText()} is outside any text, button, raw block or attribute and would be lost; wrap it in <mj-raw>`,
        PART,
        PART,
        positionOf(source, dropped.begin),
      ),
    );
  }
  return ok(html);
};
