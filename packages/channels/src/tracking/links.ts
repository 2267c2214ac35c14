/**
 * Link tracking in outgoing HTML: every http(s) `<a href>` is replaced by a
 * tracking URL (after UTM parameters are added to the original), the open
 * pixel is built, and snippets go before `</body>`. htmlparser2 finds the
 * attributes; the new values are spliced in by offset, so every other byte of
 * the HTML stays as it was.
 *
 * Left alone: mailto:, tel:, #anchors and any other non-http(s) href; hrefs
 * still holding unrendered `{{ … }}` / `{% … %}` template syntax; links with
 * `data-wasl-track="off"`; unsubscribe and preference links (the paths Wasl's
 * own pages use, `/unsubscribe/…` and `/preferences/…`, and links with
 * `data-wasl-link="unsubscribe"`), whatever `skip` says; and anything `skip`
 * returns true for.
 */
import { Parser } from 'htmlparser2';

export interface UtmParameters {
  source: string;
  medium: string;
  campaign: string;
  content?: string;
  term?: string;
}

export interface RewriteOptions {
  /** The tracking URL for a link; `originalUrl` already carries the UTM parameters; `index` counts tracked links from 0. */
  trackUrl(originalUrl: string, index: number): string;
  utm?: UtmParameters;
  /** Return true to leave a link alone. */
  skip?: (url: string) => boolean;
}

interface Attribute {
  name: string;
  value: string;
  /** Offsets of the attribute in the HTML, name to end of value (closing quote included). */
  start: number;
  end: number;
}

/** Rewrites the http(s) links of `html` for click tracking; see the module comment for what is left alone. */
export function rewriteLinks(html: string, options: RewriteOptions): string {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  let attributes: Attribute[] = [];
  let index = 0;
  const parser: Parser = new Parser(
    {
      onattribute(name, value) {
        attributes.push({ name, value, start: parser.startIndex, end: parser.endIndex });
      },
      onopentag(name) {
        const seen = attributes;
        attributes = [];
        if (name !== 'a') return;
        const href = seen.find((a) => a.name === 'href');
        if (href === undefined || !tracked(href.value, seen, options.skip)) return;
        const original = options.utm === undefined ? href.value : withUtm(href.value, options.utm);
        const text = valueReplacement(html.slice(href.start, href.end), options.trackUrl(original, index));
        index += 1;
        edits.push({ start: href.start, end: href.end, text });
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true, lowerCaseTags: true },
  );
  parser.end(html);
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += html.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + html.slice(at);
}

const TEMPLATE_SYNTAX = /\{\{|\{%/;
const PREFERENCE_PATH = /^\/(?:[^/?#]+\/)*(?:unsubscribe|preferences)(?:\/|$)/i;

function tracked(
  href: string,
  attributes: Attribute[],
  skip: ((url: string) => boolean) | undefined,
): boolean {
  const url = href.trim();
  if (!/^https?:\/\//i.test(url) || TEMPLATE_SYNTAX.test(url)) return false;
  const flag = (name: string) =>
    attributes
      .find((a) => a.name === name)
      ?.value.trim()
      .toLowerCase();
  if (flag('data-wasl-track') === 'off' || flag('data-wasl-link') === 'unsubscribe') return false;
  if (isPreferenceLink(url)) return false;
  return skip === undefined || !skip(url);
}

/** True for links to an unsubscribe or preference page. */
export function isPreferenceLink(url: string): boolean {
  if (!URL.canParse(url)) return false;
  return PREFERENCE_PATH.test(new URL(url).pathname);
}

const UTM_KEYS = ['source', 'medium', 'campaign', 'content', 'term'] as const;

/**
 * Appends the UTM parameters the URL does not have yet, before any fragment;
 * the rest of the URL (Arabic text, percent-escapes) is kept byte for byte.
 */
export function withUtm(url: string, utm: UtmParameters): string {
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? '' : url.slice(hash);
  const question = beforeHash.indexOf('?');
  const query = question === -1 ? '' : beforeHash.slice(question + 1);
  const present = new Set(query.split('&').map((pair) => (pair.split('=')[0] ?? '').toLowerCase()));
  const added = UTM_KEYS.flatMap((key) => {
    const value = utm[key];
    if (value === undefined || value === '' || present.has(`utm_${key}`)) return [];
    return [`utm_${key}=${encodeURIComponent(value)}`];
  });
  if (added.length === 0) return url;
  const separator = question === -1 ? '?' : query === '' || query.endsWith('&') ? '' : '&';
  return `${beforeHash}${separator}${added.join('&')}${fragment}`;
}

/** The attribute text with its value replaced by `url`, quoted and escaped for HTML. */
function valueReplacement(attribute: string, url: string): string {
  const prefix = /^[^=]*=\s*/.exec(attribute)?.[0] ?? `${attribute}=`;
  const quote = attribute[prefix.length] === "'" ? "'" : '"';
  return `${prefix}${quote}${escapeAttribute(url)}${quote}`;
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** The open-tracking pixel: a 1×1 image, hidden from screen readers by its empty alt text. */
export function openPixel(url: string): string {
  return `<img src="${escapeAttribute(url)}" width="1" height="1" alt="" style="display:block" />`;
}

/** Inserts `snippet` just before the last `</body>` tag, or at the end when there is none. */
export function insertBeforeBodyEnd(html: string, snippet: string): string {
  let at = -1;
  const parser: Parser = new Parser(
    {
      onclosetag(name, implied) {
        if (name === 'body' && !implied) at = parser.startIndex;
      },
    },
    { lowerCaseTags: true },
  );
  parser.end(html);
  return at === -1 ? html + snippet : html.slice(0, at) + snippet + html.slice(at);
}
