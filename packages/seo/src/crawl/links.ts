import { Parser } from 'htmlparser2';
import type { PageLink } from '../types.ts';
import { type NormaliseOptions, tryNormaliseUrl } from './url.ts';

interface RawLink {
  href: string;
  text: string;
  rel?: string;
}

export interface ExtractedLinks {
  links: PageLink[];
  /** <meta name="robots" content="nofollow|none"> (or the crawler's own name): links are not to be followed. */
  nofollow: boolean;
}

const SKIPPED = /^\s*(?:#|mailto:|tel:|javascript:|data:|sms:|ftp:)/i;

/**
 * Outgoing links of an HTML page: <a href> with its text (or the alt of an
 * image it wraps) and rel, <link rel=canonical|alternate>, resolved against
 * <base href> when there is one. In-page anchors and mailto:/tel:/javascript:
 * are not links to pages and are left out.
 */
export function extractLinks(
  html: string,
  pageUrl: string,
  isInternal: (url: string) => boolean,
  options: NormaliseOptions & { robotsName?: string } = {},
): ExtractedLinks {
  const raw: RawLink[] = [];
  let base: string | undefined;
  let nofollow = false;
  let anchor: RawLink | undefined;
  let anchorAlt = '';
  const closeAnchor = () => {
    if (anchor === undefined) return;
    anchor.text = anchor.text.replace(/\s+/g, ' ').trim() || anchorAlt.replace(/\s+/g, ' ').trim();
    raw.push(anchor);
    anchor = undefined;
  };
  const robotsNames = new Set(['robots', options.robotsName?.toLowerCase()]);
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'a') {
          closeAnchor();
          if (attrs.href !== undefined && !SKIPPED.test(attrs.href)) {
            anchor = { href: attrs.href, text: '', ...(attrs.rel ? { rel: attrs.rel.toLowerCase() } : {}) };
            anchorAlt = '';
          }
        } else if (name === 'img' && anchor !== undefined) {
          anchorAlt += ` ${attrs.alt ?? ''}`;
        } else if (name === 'link' && attrs.href !== undefined) {
          const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
          const kind = rel.includes('canonical') ? 'canonical' : rel.includes('alternate') ? 'alternate' : '';
          if (kind !== '' && !SKIPPED.test(attrs.href)) raw.push({ href: attrs.href, text: '', rel: kind });
        } else if (name === 'base' && base === undefined && attrs.href !== undefined) {
          base = tryNormaliseUrl(attrs.href, pageUrl, { stripTracking: false });
        } else if (name === 'meta' && robotsNames.has(attrs.name?.toLowerCase())) {
          if (/\b(?:nofollow|none)\b/i.test(attrs.content ?? '')) nofollow = true;
        }
      },
      ontext(text) {
        if (anchor !== undefined) anchor.text += text;
      },
      onclosetag(name) {
        if (name === 'a') closeAnchor();
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  closeAnchor();

  const resolveAgainst = base ?? pageUrl;
  const links: PageLink[] = [];
  for (const link of raw) {
    const url = tryNormaliseUrl(link.href, resolveAgainst, options);
    if (url === undefined) continue;
    links.push({ url, text: link.text, ...(link.rel ? { rel: link.rel } : {}), internal: isInternal(url) });
  }
  return { links, nofollow };
}
