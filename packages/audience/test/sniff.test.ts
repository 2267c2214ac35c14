import { describe, expect, it } from 'vitest';
import { sniffCsv } from '../src/index.ts';
import { cp1256, utf8, utf16be, utf16le } from './helpers.ts';

const problemOf = async (bytes: Uint8Array) => {
  const r = await sniffCsv(bytes);
  return r.ok ? undefined : { issue: r.error.issue, message: r.error.message };
};

describe('sniffCsv', () => {
  it('reads UTF-8 with and without a BOM', async () => {
    const text = 'email,الاسم الأول\na@b.co,سارة\n';
    expect(await sniffCsv(utf8(text))).toEqual({
      ok: true,
      value: { encoding: 'utf-8', bom: false, delimiter: ',', headers: ['email', 'الاسم الأول'] },
    });
    expect(await sniffCsv(utf8(`\ufeff${text}`))).toEqual({
      ok: true,
      value: { encoding: 'utf-8', bom: true, delimiter: ',', headers: ['email', 'الاسم الأول'] },
    });
  });

  it("reads Excel's Unicode Text: UTF-16LE with a BOM, tab-delimited", async () => {
    const r = await sniffCsv(utf16le('\ufeffemail\tجوال\r\na@b.co\t0501234567\r\n'));
    expect(r).toEqual({
      ok: true,
      value: { encoding: 'utf-16le', bom: true, delimiter: '\t', headers: ['email', 'جوال'] },
    });
  });

  it('finds UTF-16 without a BOM from where the NUL bytes fall', async () => {
    const text = 'email;المدينة\na@b.co;جدة\n';
    expect(await sniffCsv(utf16le(text))).toMatchObject({
      ok: true,
      value: { encoding: 'utf-16le', bom: false, delimiter: ';' },
    });
    expect(await sniffCsv(utf16be(text))).toMatchObject({
      ok: true,
      value: { encoding: 'utf-16be', bom: false, headers: ['email', 'المدينة'] },
    });
  });

  it('takes bytes that are not UTF-8 as Windows-1256 (older Arabic Excel)', async () => {
    const r = await sniffCsv(cp1256('email,الاسم\na@b.co,سارة\n'));
    expect(r).toEqual({
      ok: true,
      value: { encoding: 'windows-1256', bom: false, delimiter: ',', headers: ['email', 'الاسم'] },
    });
  });

  it('picks the delimiter the rows agree on, ignoring ones inside quotes', async () => {
    expect(await sniffCsv(utf8('email|phone\na@b.co|1\n'))).toMatchObject({ value: { delimiter: '|' } });
    const quoted = 'email;name;city\n"a@b.co";"Ali, Jr";Riyadh\nb@c.co;"Sara, M";Jeddah\n';
    expect(await sniffCsv(utf8(quoted))).toMatchObject({
      value: { delimiter: ';', headers: ['email', 'name', 'city'] },
    });
  });

  it('accepts a single column when its header names a field', async () => {
    expect(await sniffCsv(utf8('Email\na@b.co\n'))).toMatchObject({
      ok: true,
      value: { headers: ['Email'] },
    });
  });

  it.each([
    [
      'an Excel workbook',
      Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...utf8('....[Content_Types].xml..xl/workbook.xml')]),
      'not_csv',
      "This file looks like an Excel workbook (.xlsx). Save it as 'CSV UTF-8 (Comma delimited)' and upload again.",
    ],
    [
      'a PDF',
      utf8('%PDF-1.7\n%âãÏÓ\n1 0 obj'),
      'not_csv',
      'This file is a PDF. Export your contacts as a CSV file and upload that.',
    ],
    [
      'an old .xls',
      Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      'not_csv',
      "This file looks like an old Excel workbook (.xls). Save it as 'CSV UTF-8 (Comma delimited)' and upload again.",
    ],
    [
      'random binary',
      Uint8Array.from({ length: 512 }, (_, i) => (i * 73 + 11) % 256),
      'not_csv',
      'This file is not a text file. Export your contacts as a CSV file and upload that.',
    ],
    [
      'an empty file',
      new Uint8Array(0),
      'empty',
      'This file is empty. Add a header row and one row per contact.',
    ],
    [
      'blank lines',
      utf8('\n\r\n  \n'),
      'empty',
      'This file is empty. Add a header row and one row per contact.',
    ],
    [
      'one column without a known header',
      utf8('hello world\nfoo\nbar\n'),
      'no_columns',
      'We could not find columns in this file: its first row "hello world" is not a header we know. The first row must name the columns (email, phone, first_name…), separated by commas.',
    ],
    [
      'a repeated header',
      utf8('email,phone,Email\na,b,c\n'),
      'duplicate_headers',
      'The column "Email" appears twice in the header row. Rename one and upload again.',
    ],
  ])('refuses %s with one clear message', async (_name, bytes, issue, message) => {
    expect(await problemOf(bytes)).toEqual({ issue, message });
  });
});
