import { describe, expect, it } from 'vitest';
import { normaliseUrl, sameSite, tryNormaliseUrl } from '../../src/crawl/url.ts';

const ARTICLE = 'https://example.sa/%D9%85%D8%AF%D9%88%D9%86%D8%A9/%D9%85%D9%82%D8%A7%D9%84';

describe('normaliseUrl', () => {
  it('makes the readable Arabic path and its escapes (either case) one URL', () => {
    expect(tryNormaliseUrl('https://example.sa/مدونة/مقال')).toBe(ARTICLE);
    expect(tryNormaliseUrl(ARTICLE)).toBe(ARTICLE);
    expect(tryNormaliseUrl(ARTICLE.toLowerCase())).toBe(ARTICLE);
  });

  it('lower-cases scheme and host, drops default port and fragment, turns IDN into punycode', () => {
    expect(tryNormaliseUrl('HTTPS://Example.SA:443/A/b#section')).toBe('https://example.sa/A/b');
    expect(tryNormaliseUrl('http://example.sa:80')).toBe('http://example.sa/');
    expect(tryNormaliseUrl('http://example.sa:8080/x')).toBe('http://example.sa:8080/x');
    expect(tryNormaliseUrl('https://مثال.السعودية/صفحة')).toBe(
      'https://xn--mgbh0fb.xn--mgberp4a5d4ar/%D8%B5%D9%81%D8%AD%D8%A9',
    );
  });

  it('decodes escapes of unreserved characters and keeps reserved ones', () => {
    expect(tryNormaliseUrl('https://example.sa/%41%62%2d%7e/a%2fb?q=%2a%3d')).toBe(
      'https://example.sa/Ab-~/a%2Fb?q=%2A%3D',
    );
  });

  it('keeps parameters in order and strips utm_* and click ids by default', () => {
    expect(tryNormaliseUrl('https://example.sa/p?b=2&utm_source=x&a=1&gclid=9&UTM_Medium=y&fbclid=z')).toBe(
      'https://example.sa/p?b=2&a=1',
    );
    expect(tryNormaliseUrl('https://example.sa/p?utm_source=x')).toBe('https://example.sa/p');
    expect(tryNormaliseUrl('https://example.sa/p?')).toBe('https://example.sa/p');
    expect(
      tryNormaliseUrl('https://example.sa/p?b=2&utm_source=x', undefined, { stripTracking: false }),
    ).toBe('https://example.sa/p?b=2&utm_source=x');
  });

  it('resolves relative references and dot segments against a base', () => {
    expect(tryNormaliseUrl('../ب?x=ي', 'https://example.sa/أ/ج/')).toBe(
      'https://example.sa/%D8%A3/%D8%A8?x=%D9%8A',
    );
  });

  it('refuses what is not an http(s) URL, naming the input', () => {
    expect(normaliseUrl('mailto:a@b.sa')).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: "only http and https URLs are crawled, not 'mailto:' in 'mailto:a@b.sa'",
        field: 'url',
      },
    });
    expect(normaliseUrl('http://')).toEqual({
      ok: false,
      error: { code: 'invalid', message: "not a URL: 'http://'", field: 'url' },
    });
  });
});

describe('sameSite', () => {
  it('matches the start host, its www twin, and subdomains only when asked', () => {
    const strict = sameSite(['https://example.sa/'], false);
    expect(strict('http://example.sa/x')).toBe(true);
    expect(strict('https://www.example.sa/x')).toBe(true);
    expect(strict('https://blog.example.sa/x')).toBe(false);
    expect(strict('https://example.sa.evil.com/')).toBe(false);
    const wide = sameSite(['https://example.sa/'], true);
    expect(wide('https://blog.example.sa/x')).toBe(true);
    expect(wide('https://notexample.sa/')).toBe(false);
  });
});
