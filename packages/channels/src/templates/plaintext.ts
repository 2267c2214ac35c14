/**
 * The plain-text part of an email, derived once at save time from the compiled
 * HTML while it still holds its Liquid, then rendered per recipient like the
 * HTML. html-to-text is set up so the Liquid survives: no line wrapping (it
 * would split tags and string literals), no upper-casing of headings (it would
 * upper-case variable names), the hidden preview text left out, images
 * reduced to their alt text. Links become "text [url]", with any Liquid in the
 * url kept; a link with no text (a social icon) is left out.
 */
import { convert, type DomNode, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';

/** The text a node shows, counting images by their alt text. */
const visibleText = (node: DomNode): string => {
  if (node.type === 'text') return node.data ?? '';
  if (node.name === 'img') return String(node.attribs?.alt ?? '');
  return (node.children ?? []).map(visibleText).join('');
};

const link: FormatCallback = (elem, walk, builder) => {
  const text = visibleText(elem).trim();
  if (text === '') return;
  walk(elem.children, builder);
  const href = String(elem.attribs?.href ?? '');
  if (href !== '' && href !== text) builder.addInline(` [${href}]`, { noWordTransform: true });
};

const altText: FormatCallback = (elem, _walk, builder) => {
  const alt = String(elem.attribs?.alt ?? '');
  if (alt !== '') builder.addInline(alt);
};

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  formatters: { link, altText },
  selectors: [
    { selector: 'a', format: 'link' },
    { selector: 'img', format: 'altText' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
    { selector: 'th', format: 'block' },
    { selector: 'div[style*="display:none"]', format: 'skip' },
  ],
};

/** The text template (Liquid) for an HTML template (Liquid). */
export const textTemplateOf = (html: string): string => convert(html, OPTIONS);

/** Per-recipient tidying: no trailing spaces, at most one blank line in a row. */
export const tidyText = (text: string): string =>
  text
    .replace(/[ \t]+(?=\n|$)/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
