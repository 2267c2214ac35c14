import { describe, expect, it } from 'vitest';
import { insertBeforeBodyEnd, openPixel, rewriteLinks, withUtm } from '../../src/tracking/index.ts';

const track = (url: string, i: number) => `https://t.example/c/${i}?u=${encodeURIComponent(url)}`;

describe('rewriteLinks', () => {
  it('replaces http(s) hrefs by offset and keeps every other byte', () => {
    const html =
      '<!doctype html><html><body>\n<p dir="rtl">مرحبا <a class="btn"  href="https://shop.example/عروض?q=تخفيض&amp;x=%D8%A7">تسوق</a></p>\n' +
      "<A HREF='http://a.example/p#top' TITLE=x>up</A> <a href=https://b.example/>b</a>\n</body></html>";
    const out = rewriteLinks(html, { trackUrl: (url, i) => `https://t.example/${i}?d=${url}` });
    expect(out).toBe(
      '<!doctype html><html><body>\n<p dir="rtl">مرحبا <a class="btn"  href="https://t.example/0?d=https://shop.example/عروض?q=تخفيض&amp;x=%D8%A7">تسوق</a></p>\n' +
        '<A HREF=\'https://t.example/1?d=http://a.example/p#top\' TITLE=x>up</A> <a href="https://t.example/2?d=https://b.example/">b</a>\n</body></html>',
    );
  });

  it('passes the decoded original with UTM parameters to trackUrl, in order', () => {
    const seen: Array<[string, number]> = [];
    rewriteLinks(
      '<a href="https://shop.example/عروض?q=تخفيض&amp;utm_source=sms#x">1</a><a href="https://e.example">2</a>',
      {
        trackUrl: (url, i) => {
          seen.push([url, i]);
          return 'https://t.example/';
        },
        utm: { source: 'wasl', medium: 'email', campaign: 'رمضان' },
      },
    );
    expect(seen).toEqual([
      [
        'https://shop.example/عروض?q=تخفيض&utm_source=sms&utm_medium=email&utm_campaign=%D8%B1%D9%85%D8%B6%D8%A7%D9%86#x',
        0,
      ],
      ['https://e.example?utm_source=wasl&utm_medium=email&utm_campaign=%D8%B1%D9%85%D8%B6%D8%A7%D9%86', 1],
    ]);
  });

  it('leaves mailto, tel, anchors, templates, opted-out, preference and skipped links alone', () => {
    const html = [
      '<a href="mailto:a@example.com">m</a>',
      '<a href="tel:+966500000000">t</a>',
      '<a href="#top">a</a>',
      '<a href="https://e.example/{{ contact.id }}">tpl</a>',
      '<a href="{{ unsubscribe_url }}">u</a>',
      '<a data-wasl-track="off" href="https://e.example/off">off</a>',
      '<a href="https://wasl.example/unsubscribe/abc">u</a>',
      '<a href="https://wasl.example/preferences/abc?x=1">p</a>',
      '<a href="https://e.example/skip-me">s</a>',
      '<a name="x">n</a><a href>empty</a>',
      '<a href="https://e.example/yes">y</a>',
    ].join('');
    const out = rewriteLinks(html, {
      trackUrl: (_u, i) => `https://t.example/${i}`,
      skip: (u) => u.includes('skip-me'),
    });
    expect(out).toBe(html.replace('https://e.example/yes', 'https://t.example/0'));
  });

  it('escapes the tracking URL for the attribute', () => {
    const out = rewriteLinks('<a href="https://e.example/">x</a>', { trackUrl: track });
    expect(out).toBe('<a href="https://t.example/c/0?u=https%3A%2F%2Fe.example%2F">x</a>');
    const amp = rewriteLinks('<a href="https://e.example/">x</a>', {
      trackUrl: () => 'https://t.example/?a=1&b="2"',
    });
    expect(amp).toBe('<a href="https://t.example/?a=1&amp;b=&quot;2&quot;">x</a>');
  });

  it('returns HTML without links unchanged', () => {
    const html = '<p>لا روابط هنا <img src="https://e.example/i.png"></p>';
    expect(rewriteLinks(html, { trackUrl: track })).toBe(html);
  });
});

describe('withUtm', () => {
  it('keeps query and fragment and adds only missing parameters', () => {
    const utm = { source: 'wasl', medium: 'email', campaign: 'c1', content: 'hero', term: 'شتاء' };
    expect(withUtm('https://e.example/a?b=1#f', utm)).toBe(
      'https://e.example/a?b=1&utm_source=wasl&utm_medium=email&utm_campaign=c1&utm_content=hero&utm_term=%D8%B4%D8%AA%D8%A7%D8%A1#f',
    );
    expect(
      withUtm('https://e.example/?utm_medium=x&utm_campaign=y', { source: 's', medium: 'm', campaign: 'c' }),
    ).toBe('https://e.example/?utm_medium=x&utm_campaign=y&utm_source=s');
    expect(withUtm('https://e.example/?', { source: 's', medium: 'm', campaign: 'c' })).toBe(
      'https://e.example/?utm_source=s&utm_medium=m&utm_campaign=c',
    );
    const all = 'https://e.example/?utm_source=a&utm_medium=b&utm_campaign=c';
    expect(withUtm(all, { source: 's', medium: 'm', campaign: 'c' })).toBe(all);
  });
});

describe('openPixel and insertBeforeBodyEnd', () => {
  it('builds the 1×1 image', () => {
    expect(openPixel('https://t.example/o/abc?x=1&y=2')).toBe(
      '<img src="https://t.example/o/abc?x=1&amp;y=2" width="1" height="1" alt="" style="display:block" />',
    );
  });

  it('inserts before the real </body>, not one inside a comment', () => {
    expect(insertBeforeBodyEnd('<html><body><p>س</p><!-- </body> --></BODY></html>', '<i></i>')).toBe(
      '<html><body><p>س</p><!-- </body> --><i></i></BODY></html>',
    );
    expect(insertBeforeBodyEnd('<p>fragment</p>', '<i></i>')).toBe('<p>fragment</p><i></i>');
  });
});
