export type Params = Record<string, string>;

/** Matches '/settings/:tab' against '/settings/members' → { tab: 'members' }; null when it does not fit. */
export function matchPath(pattern: string, pathname: string): Params | null {
  const want = split(pattern);
  const have = split(pathname);
  if (want.length !== have.length) return null;
  const params: Params = {};
  for (const [i, part] of want.entries()) {
    const actual = have[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = safeDecode(actual);
    else if (part !== actual) return null;
  }
  return params;
}

const split = (path: string) => path.split('/').filter(Boolean);

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
