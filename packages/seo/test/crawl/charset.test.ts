import { describe, expect, it } from 'vitest';
import { decodeHtml, looksBinary } from '../../src/crawl/charset.ts';
import { encodeWindows1256 } from './fixtures.ts';

const TITLE = 'صفحة بترميز ويندوز';

describe('decodeHtml', () => {
  it('uses the Content-Type charset', () => {
    const bytes = encodeWindows1256(`<title>${TITLE}</title>`);
    expect(decodeHtml(bytes, 'text/html; charset=Windows-1256')).toEqual({
      text: `<title>${TITLE}</title>`,
      charset: 'windows-1256',
    });
  });

  it('falls back to <meta charset> and <meta http-equiv> in the first 1024 bytes', () => {
    const meta = encodeWindows1256(`<meta charset="windows-1256"><title>${TITLE}</title>`);
    expect(decodeHtml(meta, 'text/html')).toEqual({
      text: `<meta charset="windows-1256"><title>${TITLE}</title>`,
      charset: 'windows-1256',
    });
    const equiv = encodeWindows1256(
      `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6"><p>${'ب'}</p>`,
    );
    expect(decodeHtml(equiv, undefined).charset).toBe('iso-8859-6');
    const late = Buffer.concat([Buffer.from(' '.repeat(1100)), Buffer.from('<meta charset="windows-1256">')]);
    expect(decodeHtml(late, 'text/html').charset).toBe('utf-8');
  });

  it('lets a BOM win and defaults to UTF-8; unknown labels fall through', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<p>مرحبا</p>', 'utf16le')]);
    expect(decodeHtml(utf16, 'text/html; charset=windows-1256')).toEqual({
      text: '<p>مرحبا</p>',
      charset: 'utf-16le',
    });
    expect(decodeHtml(Buffer.from('<p>مرحبا</p>'), 'text/html; charset=no-such-charset')).toEqual({
      text: '<p>مرحبا</p>',
      charset: 'utf-8',
    });
  });

  it('never throws on bytes that are not text', () => {
    const junk = Buffer.from([0xff, 0x00, 0xc3, 0x28, 0xa0, 0xa1]);
    expect(decodeHtml(junk, 'text/html').text).toBe('\uFFFD\u0000\uFFFD(\uFFFD\uFFFD');
    expect(looksBinary(junk, 'utf-8')).toBe(true);
    expect(looksBinary(Buffer.from('<p>نص</p>'), 'utf-8')).toBe(false);
  });
});
