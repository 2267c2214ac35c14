import { Parser } from 'htmlparser2';
import type { PageZones } from '../text/zones.ts';

const HIDDEN = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'head',
  'iframe',
  'object',
]);
const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'em',
  'i',
  'mark',
  'q',
  's',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'font',
  'label',
]);

/**
 * A page's text by zone, for the keyword analysis. Block elements end a line,
 * so sentences without a full stop (headings, list items) still end there.
 */
export function pageZones(html: string, url: string): PageZones {
  const zones: PageZones = { url, title: '', h1: [], headings: [], firstParagraph: '', body: '', alts: [] };
  let hidden = 0;
  let inTitle = false;
  let heading: { level: number; text: string } | undefined;
  let paragraph: string | undefined;
  let body = '';
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'title') inTitle = true;
        else if (HIDDEN.has(name)) hidden++;
        else if (/^h[1-6]$/.test(name)) heading = { level: Number(name[1]), text: '' };
        else if (name === 'p' && zones.firstParagraph === '') paragraph = '';
        if (name === 'img' && attrs.alt?.trim()) zones.alts.push(attrs.alt.trim());
        if (!INLINE.has(name)) body += '\n';
      },
      ontext(text) {
        if (inTitle) zones.title += text;
        if (hidden > 0 || inTitle) return;
        if (heading) heading.text += text;
        else body += text;
        if (paragraph !== undefined) paragraph += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        else if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        else if (heading && name === `h${heading.level}`) {
          const text = squash(heading.text);
          if (text !== '') (heading.level === 1 ? zones.h1 : zones.headings).push(text);
          heading = undefined;
        } else if (name === 'p' && paragraph !== undefined) {
          zones.firstParagraph = squash(paragraph);
          paragraph = undefined;
        }
        if (!INLINE.has(name)) body += '\n';
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  zones.title = squash(zones.title);
  zones.body = body
    .split('\n')
    .map(squash)
    .filter((line) => line !== '')
    .join('\n');
  return zones;
}

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();
