import { describe, expect, it } from 'vitest';
import {
  parseContentType,
  parseFieldGroups,
  parseHeaders,
  splitMessage,
  splitMultipart,
} from '../../../src/email/feedback/mime-parse.ts';

describe('the small MIME reader', () => {
  it('unfolds continuation lines and keeps header order', () => {
    expect(parseHeaders('Subject: a\r\n  long\r\n\tsubject\r\nX-A: 1\r\nno colon here\r\nX-A: 2')).toEqual([
      { name: 'Subject', value: 'a long subject' },
      { name: 'X-A', value: '1' },
      { name: 'X-A', value: '2' },
    ]);
  });

  it('splits at the first empty line, and handles a message with no headers', () => {
    expect(splitMessage('A: 1\n\nbody\n\nmore')).toEqual({ head: 'A: 1', body: 'body\n\nmore' });
    expect(splitMessage('\r\nonly body')).toEqual({ head: '', body: 'only body' });
  });

  it('reads quoted parameters with semicolons and escapes', () => {
    expect(parseContentType('multipart/report; Report-Type="delivery-status"; boundary="a;b\\"c"')).toEqual({
      type: 'multipart/report',
      params: { 'report-type': 'delivery-status', boundary: 'a;b"c' },
    });
    expect(parseContentType('nonsense')).toBeUndefined();
  });

  it('splits multipart bodies, ignoring preamble and epilogue, and keeps a truncated last part', () => {
    const body =
      'preamble\r\n--xx\r\nContent-Type: text/plain\r\n\r\none\r\n--xx\r\n\r\ntwo\r\n--xx--\r\nepilogue';
    expect(splitMultipart(body, 'xx')).toEqual({
      ok: true,
      value: [
        { headers: [{ name: 'Content-Type', value: 'text/plain' }], body: 'one' },
        { headers: [], body: 'two' },
      ],
    });
    expect(splitMultipart('--xx\n\ncut off', 'xx')).toEqual({
      ok: true,
      value: [{ headers: [], body: 'cut off' }],
    });
    expect(splitMultipart('no parts', 'xx')).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'no part starts with the boundary "xx"',
        field: 'Content-Type.boundary',
      },
    });
  });

  it('decodes quoted-printable UTF-8 (Arabic) and base64 bodies', () => {
    const qp =
      '--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n=D9=85=D8=B1=D8=AD=\n=D8=A8=D8=A7 a=3Db\n--b--';
    const b64 = `--b\nContent-Transfer-Encoding: base64\n\n${Buffer.from('أهلاً').toString('base64')}\n--b--`;
    const body = (text: string) => {
      const parts = splitMultipart(text, 'b');
      return parts.ok ? parts.value[0]?.body : parts.error.message;
    };
    expect(body(qp)).toBe('مرحبا a=b');
    expect(body(b64)).toBe('أهلاً');
  });

  it('groups delivery-status fields by empty lines', () => {
    expect(parseFieldGroups('A: 1\n\nB: 2\nC: 3\n \nD: 4\n')).toEqual([
      [{ name: 'A', value: '1' }],
      [
        { name: 'B', value: '2' },
        { name: 'C', value: '3' },
      ],
      [{ name: 'D', value: '4' }],
    ]);
  });
});
