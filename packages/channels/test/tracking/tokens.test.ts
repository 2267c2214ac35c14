import { describe, expect, it } from 'vitest';
import { signTrackingToken, verifyTrackingToken } from '../../src/tracking/index.ts';

const secret = 'a-test-secret-of-32-characters!!';

function sign(...args: Parameters<typeof signTrackingToken>): string {
  const token = signTrackingToken(...args);
  if (!token.ok) throw new Error(token.error.message);
  return token.value;
}

describe('tracking tokens', () => {
  it('round-trips a click token with an Arabic URL', () => {
    const url = 'https://shop.example/عروض?q=تخفيض&x=%D8%A7#top';
    const token = sign({ kind: 'click', workspaceId: 'ws1', messageId: 'm1', url }, secret);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(verifyTrackingToken(token, secret)).toEqual({
      ok: true,
      value: { kind: 'click', workspaceId: 'ws1', messageId: 'm1', url },
    });
  });

  it('round-trips an open token', () => {
    const token = sign({ kind: 'open', workspaceId: 'ws1', messageId: 'm2' }, secret);
    expect(verifyTrackingToken(token, secret)).toEqual({
      ok: true,
      value: { kind: 'open', workspaceId: 'ws1', messageId: 'm2' },
    });
  });

  it('refuses a token whose destination was changed (no open redirect)', () => {
    const token = sign(
      { kind: 'click', workspaceId: 'ws1', messageId: 'm1', url: 'https://good.example/' },
      secret,
    );
    const [, mac] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify(['c', 'ws1', 'm1', 'https://evil.example/'])).toString('base64url')}.${mac}`;
    expect(verifyTrackingToken(forged, secret)).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'the tracking token signature does not match', field: 'token' },
    });
    expect(verifyTrackingToken(token, 'another-secret-of-enough-length')).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
  });

  it('refuses malformed tokens and bad targets with the field named', () => {
    expect(verifyTrackingToken('nodot', secret)).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'the tracking token is not <payload>.<mac>', field: 'token' },
    });
    expect(
      signTrackingToken(
        { kind: 'click', workspaceId: 'w', messageId: 'm', url: 'javascript:alert(1)' },
        secret,
      ),
    ).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'url must be an absolute http(s) URL, got "javascript:alert(1)"',
        field: 'url',
      },
    });
    expect(signTrackingToken({ kind: 'open', workspaceId: '', messageId: 'm' }, secret)).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'workspaceId must be a non-empty string', field: 'workspaceId' },
    });
    expect(signTrackingToken({ kind: 'open', workspaceId: 'w', messageId: 'm' }, 'short')).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'the tracking secret must be at least 16 characters',
        field: 'secret',
      },
    });
  });
});
