/** Pages reachable without a session; a 401 anywhere else sends the person to login. */
export const PUBLIC_PATHS = ['/setup', '/login', '/logout', '/forgot-password', '/reset-password'];

export const isPublicPath = (pathname: string) => PUBLIC_PATHS.includes(pathname);

export function loginPath(returnTo: string): string {
  if (returnTo === '/' || isPublicPath(new URL(returnTo, 'http://x').pathname)) return '/login';
  return `/login?next=${encodeURIComponent(returnTo)}`;
}

/** Only same-site paths are followed after login (never `//evil.example`). */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}
