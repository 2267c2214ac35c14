/** `href` resolved against `base`, without fragment; undefined when it is not a URL. */
export function resolveUrl(href: string, base?: string): string | undefined {
  try {
    const u = new URL(href.trim(), base);
    u.hash = '';
    return u.href;
  } catch {
    return undefined;
  }
}
