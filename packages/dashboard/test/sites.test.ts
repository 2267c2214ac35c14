import { describe, expect, it } from 'vitest';
import { translatePlural } from '../src/i18n/translate.ts';
import { canManageSites } from '../src/lib/permissions.ts';
import { trackingSnippet } from '../src/lib/trackingSnippet.ts';
import { domain, looksLikeDomain } from '../src/lib/validate.ts';

describe('site domain check (mirrors the server)', () => {
  it.each([
    'example.com',
    'Example.COM',
    'https://www.example.com/shop?x=1',
    'http://example.com:8080',
    'متجر.السعودية',
    'https://متجر.السعودية/',
    'xn--mgbh0fb.xn--kgbechtv',
    'localhost',
    'example.com.',
  ])('accepts %s', (value) => {
    expect(looksLikeDomain(value)).toBe(true);
  });

  it.each([
    '',
    '   ',
    'example',
    'exa mple.com',
    'ftp://example.com',
    'javascript:alert(1)',
    'under_score.example.com',
    'https://',
  ])('refuses %j', (value) => {
    expect(looksLikeDomain(value)).toBe(false);
  });

  it('names the problem with a catalogue key', () => {
    expect(domain('')).toBe('validation.required');
    expect(domain('example')).toBe('validation.domain');
    expect(domain(' example.com ')).toBeNull();
  });
});

describe('tracking snippet', () => {
  it('loads t.js from this origin with the site key', () => {
    expect(trackingSnippet('https://wasl.example.sa', 'site_AbC123')).toBe(
      '<script defer src="https://wasl.example.sa/t.js" data-site="site_AbC123"></script>',
    );
  });

  it('cannot be broken out of its attributes', () => {
    expect(trackingSnippet('https://a.example', 'x"><img src=y>')).toBe(
      '<script defer src="https://a.example/t.js" data-site="x&quot;>&lt;img src=y>"></script>',
    );
  });
});

describe('site permissions', () => {
  it('lets everyone but analysts manage sites', () => {
    expect(canManageSites('owner')).toBe(true);
    expect(canManageSites('admin')).toBe(true);
    expect(canManageSites('marketer')).toBe(true);
    expect(canManageSites('analyst')).toBe(false);
  });
});

describe('site counts', () => {
  it('has all six Arabic forms', () => {
    const forms = [0, 1, 2, 3, 11, 100, 101].map((n) => translatePlural('ar', 'sites.count', n));
    expect(forms).toEqual([
      'لا توجد مواقع',
      'موقع واحد',
      'موقعان',
      '٣ مواقع',
      '١١ موقعًا',
      '١٠٠ موقع',
      '١٠١ موقع',
    ]);
  });

  it('has English singular, plural and zero', () => {
    expect([0, 1, 2, 1001].map((n) => translatePlural('en', 'sites.count', n))).toEqual([
      'No sites',
      '1 site',
      '2 sites',
      '1,001 sites',
    ]);
  });
});
