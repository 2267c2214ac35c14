import { describe, expect, it } from 'vitest';
import { matchPath } from '../src/lib/matchPath.ts';
import { loginPath, safeNext } from '../src/session/publicPaths.ts';

describe('matchPath', () => {
  it('matches static and parameterised paths', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/settings/:tab', '/settings/api-keys')).toEqual({ tab: 'api-keys' });
    expect(matchPath('/settings/:tab', '/settings/')).toBeNull();
    expect(matchPath('/settings/:tab', '/settings/a/b')).toBeNull();
    expect(matchPath('/login', '/login/')).toEqual({});
  });

  it('decodes parameters and tolerates bad escapes', () => {
    expect(matchPath('/w/:id', '/w/%D9%88%D8%B5%D9%84')).toEqual({ id: 'وصل' });
    expect(matchPath('/w/:id', '/w/%E0%A4%A')).toEqual({ id: '%E0%A4%A' });
  });
});

describe('returning after login', () => {
  it('keeps same-site paths only', () => {
    expect(safeNext('/settings/members')).toBe('/settings/members');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });

  it('does not bounce back to public pages', () => {
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/logout')).toBe('/login');
    expect(loginPath('/settings/api-keys?x=1')).toBe('/login?next=%2Fsettings%2Fapi-keys%3Fx%3D1');
  });
});
