/** Parsers for the HTTP headers and meta values the checks read. */

export interface LinkHeaderEntry {
  url: string;
  rel: string[];
  hreflang?: string;
}

/** RFC 8288 Link header: `<url>; rel="canonical", <url>; rel="alternate"; hreflang="en"`. */
export function parseLinkHeader(value: string | undefined): LinkHeaderEntry[] {
  if (!value) return [];
  const entries: LinkHeaderEntry[] = [];
  // Commas may appear inside <…> URLs, so match whole entries rather than splitting.
  for (const m of value.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const url = m[1] ?? '';
    const params = new Map<string, string>();
    for (const p of (m[2] ?? '').matchAll(/;\s*([a-zA-Z*-]+)\s*=\s*("([^"]*)"|[^;,\s]+)/g)) {
      params.set((p[1] ?? '').toLowerCase(), (p[3] ?? p[2] ?? '').trim());
    }
    const entry: LinkHeaderEntry = { url, rel: (params.get('rel') ?? '').toLowerCase().split(/\s+/) };
    const hreflang = params.get('hreflang');
    if (hreflang !== undefined) entry.hreflang = hreflang;
    entries.push(entry);
  }
  return entries;
}

// Directives that carry a value after ':' (so the part before ':' is not a user agent).
const VALUED = new Set(['unavailable_after', 'max-snippet', 'max-image-preview', 'max-video-preview']);

/**
 * Robots directives that apply to Google from an X-Robots-Tag header. A header may
 * scope directives to a crawler ('otherbot: noindex'); those for other bots are dropped.
 */
export function xRobotsDirectives(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  let agent: string | undefined;
  for (const raw of value.split(',')) {
    let token = raw.trim().toLowerCase();
    const colon = token.indexOf(':');
    if (colon > 0 && !VALUED.has(token.slice(0, colon).trim())) {
      agent = token.slice(0, colon).trim();
      token = token.slice(colon + 1).trim();
    }
    if (token && (agent === undefined || agent === 'googlebot' || agent === '*')) out.push(token);
  }
  return out;
}

/** Directives of meta robots content values ('none' means noindex and nofollow). */
export function metaRobotsDirectives(contents: readonly string[]): string[] {
  const out: string[] = [];
  for (const c of contents) {
    for (const t of c.toLowerCase().split(',')) {
      const d = t.trim();
      if (d === 'none') out.push('noindex', 'nofollow');
      else if (d) out.push(d);
    }
  }
  return out;
}
