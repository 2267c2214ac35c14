import { describe, expect, it } from 'vitest';
import { classifyClick, userAgentFamily } from '../../src/tracking/index.ts';

const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const later = { msSinceSent: 3_600_000, sameMessageClicksInWindow: 0 };

describe('classifyClick', () => {
  it('calls a browser click an hour after sending human', () => {
    expect(classifyClick({ userAgent: chrome, ...later })).toEqual({
      verdict: 'human',
      reason: 'no-rule-matched',
    });
  });

  it('recognises security scanners by user agent', () => {
    const cases: Array<[string, string]> = [
      ['Mozilla/5.0 (compatible; BingPreview/1.0b)', 'microsoft-safe-links'],
      ['Microsoft Office Existence Discovery', 'microsoft-safe-links'],
      ['Proofpoint URL Defense', 'proofpoint'],
      ['Mimecast URL Protect', 'mimecast'],
      ['Barracuda Sentinel (EE)', 'barracuda'],
    ];
    for (const [userAgent, name] of cases) {
      expect(classifyClick({ userAgent, ...later })).toEqual({
        verdict: 'scanner',
        reason: `scanner-user-agent:${name}`,
      });
    }
  });

  it('flags image proxies on opens only', () => {
    const gmail = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
    expect(classifyClick({ kind: 'open', userAgent: gmail, ...later })).toEqual({
      verdict: 'scanner',
      reason: 'open-proxy:google-image-proxy',
    });
    expect(classifyClick({ kind: 'open', userAgent: 'Mozilla/5.0', ...later })).toEqual({
      verdict: 'scanner',
      reason: 'open-proxy:apple-mail-privacy-protection',
    });
    expect(classifyClick({ userAgent: 'Mozilla/5.0', ...later })).toEqual({
      verdict: 'bot',
      reason: 'bot-user-agent',
    });
    expect(
      classifyClick({ kind: 'open', userAgent: chrome, msSinceSent: 100, sameMessageClicksInWindow: 5 }),
    ).toEqual({
      verdict: 'human',
      reason: 'no-rule-matched',
    });
  });

  it('calls missing and automated user agents bots', () => {
    expect(classifyClick({ userAgent: undefined, ...later })).toEqual({
      verdict: 'bot',
      reason: 'no-user-agent',
    });
    expect(classifyClick({ userAgent: '  ', ...later })).toEqual({ verdict: 'bot', reason: 'no-user-agent' });
    expect(classifyClick({ userAgent: 'curl/8.5.0', ...later })).toEqual({
      verdict: 'bot',
      reason: 'bot-user-agent',
    });
    expect(classifyClick({ userAgent: 'python-requests/2.31.0', ...later })).toEqual({
      verdict: 'bot',
      reason: 'bot-user-agent',
    });
  });

  it('uses timing for clicks', () => {
    expect(classifyClick({ userAgent: chrome, msSinceSent: 4_999, sameMessageClicksInWindow: 0 })).toEqual({
      verdict: 'scanner',
      reason: 'clicked-too-soon-after-send',
    });
    expect(
      classifyClick({ userAgent: chrome, msSinceSent: 5_000, sameMessageClicksInWindow: 0 }).verdict,
    ).toBe('human');
    expect(classifyClick({ userAgent: chrome, ...later, msSinceOpen: 400 })).toEqual({
      verdict: 'scanner',
      reason: 'clicked-too-soon-after-open',
    });
    expect(classifyClick({ userAgent: chrome, ...later, msSinceOpen: 1_000 }).verdict).toBe('human');
    expect(classifyClick({ userAgent: chrome, msSinceSent: 60_000, sameMessageClicksInWindow: 2 })).toEqual({
      verdict: 'scanner',
      reason: 'click-burst',
    });
    expect(
      classifyClick({ userAgent: chrome, msSinceSent: 60_000, sameMessageClicksInWindow: 1 }).verdict,
    ).toBe('human');
  });
});

describe('userAgentFamily', () => {
  it('names common clients', () => {
    expect(userAgentFamily(chrome)).toBe('Chrome');
    expect(userAgentFamily(`${chrome} Edg/120.0.0.0`)).toBe('Edge');
    expect(userAgentFamily('Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0')).toBe(
      'Firefox',
    );
    expect(
      userAgentFamily(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari');
    expect(
      userAgentFamily(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
      ),
    ).toBe('Apple Mail');
    expect(userAgentFamily(undefined)).toBe('none');
    expect(userAgentFamily('curl/8.5.0')).toBe('other');
  });
});
