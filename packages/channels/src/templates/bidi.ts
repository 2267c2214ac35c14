/**
 * Automatic bidi isolation for right-to-left templates, decided once at save time.
 *
 * In an RTL template every output tag that lands in text (not in an attribute,
 * not in <style> or <script>) gets the `bidi` filter appended, so a Latin name,
 * an email address or a number keeps its order inside Arabic sentences. Outputs
 * in attributes (href="{{ unsubscribe_url }}", alt, aria-label) are left alone:
 * an isolate there would corrupt a URL. `{{ x | raw }}` becomes `{{ x | bidi | raw }}`.
 * Values written by tags (`{% echo x %}`) are not isolated; use `| bidi` there.
 */
import { Parser } from 'htmlparser2';
import { Tokenizer, TokenKind } from 'liquidjs';

const RAW_TEXT_ELEMENTS = new Set(['style', 'script']);
const ENDS_WITH_RAW = /\|\s*raw\s*$/;
const ENDS_WITH_BIDI = /\|\s*bidi\s*$/;

/** Offsets [start, end] of the HTML's text, outside <style> and <script>. */
const textRanges = (html: string): [number, number][] => {
  const ranges: [number, number][] = [];
  let rawDepth = 0;
  const parser = new Parser({
    onopentag(name) {
      if (RAW_TEXT_ELEMENTS.has(name)) rawDepth += 1;
    },
    onclosetag(name) {
      if (RAW_TEXT_ELEMENTS.has(name)) rawDepth -= 1;
    },
    ontext() {
      if (rawDepth === 0) ranges.push([parser.startIndex, parser.endIndex]);
    },
  });
  parser.end(html);
  return ranges;
};

/** Appends `| bidi` to the outputs whose start `inText` accepts. */
const addBidi = (template: string, inText: (offset: number) => boolean): string => {
  const edits: number[] = [];
  for (const token of new Tokenizer(template).readTopLevelTokens()) {
    if (token.kind !== TokenKind.Output || !inText(token.begin)) continue;
    const [contentStart, contentEnd] = (token as unknown as { contentRange: [number, number] }).contentRange;
    const content = template.slice(contentStart, contentEnd).trimEnd();
    if (ENDS_WITH_BIDI.test(content)) continue;
    const rawAt = ENDS_WITH_RAW.exec(content);
    edits.push(rawAt === null ? contentStart + content.length : contentStart + rawAt.index);
  }
  let out = template;
  for (const at of edits.reverse()) out = `${out.slice(0, at)} | bidi ${out.slice(at)}`;
  return out;
};

/** Isolates the outputs that land in the HTML's text. */
export const isolateHtmlOutputs = (html: string): string => {
  const ranges = textRanges(html);
  return addBidi(html, (offset) => ranges.some(([start, end]) => offset >= start && offset <= end));
};

/** Isolates every output of a plain-text template (an RTL subject line). */
export const isolateAllOutputs = (text: string): string => addBidi(text, () => true);
