import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, request } from '../src/api/client.ts';
import { faultOf, lineCount, lineRange, parseDecimal, statusTone } from '../src/messaging/logic.ts';
import { messagingPlural, messagingText } from '../src/messaging/messages/index.ts';

describe('lineRange', () => {
  const text = 'a\nbb\nccc';
  it('gives the offsets of a 1-based line without its line break', () => {
    expect(lineRange(text, 1)).toEqual({ start: 0, end: 1 });
    expect(lineRange(text, 2)).toEqual({ start: 2, end: 4 });
    expect(text.slice(5, 8)).toBe('ccc');
    expect(lineRange(text, 3)).toEqual({ start: 5, end: 8 });
  });
  it('stops at the last line when the line is past the end', () => {
    expect(lineRange(text, 9)).toEqual({ start: 5, end: 8 });
  });
  it('counts Arabic in UTF-16 units, as a textarea selection does', () => {
    const source = '<mjml>\n<mj-text>مرحبًا</mj-text>\n</mjml>';
    expect(lineRange(source, 2)).toEqual({ start: 7, end: 7 + '<mj-text>مرحبًا</mj-text>'.length });
    expect(lineCount(source)).toBe(3);
    expect(lineCount('')).toBe(1);
  });
});

describe('parseDecimal', () => {
  it('reads Western, Arabic-Indic and Eastern Arabic-Indic digits with any decimal separator', () => {
    expect(parseDecimal('0.05')).toBe(0.05);
    expect(parseDecimal('٠٫٠٥')).toBe(0.05);
    expect(parseDecimal('0,05')).toBe(0.05);
    expect(parseDecimal(' ۱۲ ')).toBe(12);
    expect(parseDecimal('.5')).toBe(0.5);
  });
  it('refuses what is not a non-negative number', () => {
    for (const bad of ['', '-1', '1.2.3', 'abc', '1e3', '٠٫']) expect(parseDecimal(bad)).toBeNull();
  });
});

describe('faultOf', () => {
  it('places an API error in its field at its line and column', () => {
    const error = new ApiError(400, 'invalid', 'MJML error', 'body', { line: 6, column: 9 });
    expect(faultOf(error)).toEqual({ field: 'body', message: 'MJML error', line: 6, column: 9 });
  });
  it('has no place for errors without a field, or that are not the API’s', () => {
    expect(faultOf(new ApiError(400, 'invalid', 'bad'))).toEqual(null);
    expect(faultOf(new ApiError(409, 'conflict', 'taken', 'name'))).toEqual({
      field: 'name',
      message: 'taken',
      line: null,
      column: null,
    });
    expect(faultOf(new Error('boom'))).toBeNull();
  });
});

describe('message statuses', () => {
  it('colours progress, success, trouble and unknown statuses apart', () => {
    expect(statusTone('queued')).toBe('neutral');
    expect(statusTone('sent')).toBe('progress');
    expect(statusTone('opened')).toBe('good');
    expect(statusTone('bounced')).toBe('bad');
    expect(statusTone('skipped')).toBe('warn');
    expect(statusTone('something_new')).toBe('neutral');
  });
});

describe('messaging catalogue', () => {
  it('uses the six Arabic plural forms for SMS parts', () => {
    const parts = (n: number) => messagingPlural('ar', 'count.parts', n);
    expect([0, 1, 2, 3, 11, 100].map(parts)).toEqual([
      'لا أجزاء',
      'جزء واحد',
      'جزءان',
      '٣ أجزاء',
      '١١ جزءًا',
      '١٠٠ جزء',
    ]);
    expect(messagingPlural('en', 'count.parts', 2)).toBe('2 parts');
    expect(messagingPlural('en', 'count.parts', 1)).toBe('1 part');
  });
  it('says where a fault is in the reader’s digits', () => {
    const params = { line: 6, column: 9, message: 'MJML error' };
    expect(messagingText('ar', 'editor.errorAt', params)).toBe('السطر ٦، العمود ٩: MJML error');
    expect(messagingText('en', 'editor.errorAt', params)).toBe('Line 6, column 9: MJML error');
  });
});

describe('the API client reads a fault’s position', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    // Answers as the templates route does when a save does not compile.
    server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            code: 'invalid',
            message: 'MJML error: <mj-text> is not closed',
            field: 'body',
            line: 6,
            column: 9,
          },
        }),
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('keeps line and column on the ApiError', async () => {
    const error = await request('POST', `${base}/api/workspaces/w/templates`, { body: '<mjml>' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(faultOf(error)).toEqual({
      field: 'body',
      message: 'MJML error: <mj-text> is not closed',
      line: 6,
      column: 9,
    });
  });
});
