import { Readable } from 'node:stream';
import type { AttributeDefinition } from '@wasl/core';
import { describe, expect, it } from 'vitest';
import { ImportFormatError, readContactsCsv } from '../src/index.ts';
import { chunked, cp1256, errorsOf, readAll, rowsOf, utf8, utf16be, utf16le, warningsOf } from './helpers.ts';

const defs: AttributeDefinition[] = [
  { key: 'budget', label: 'Budget', type: 'number' },
  { key: 'plan', label: 'Plan', type: 'list', options: ['ذهبي', 'فضي'] },
];
const read = (
  bytes: Uint8Array,
  opts: { chunk?: number; batchSize?: number; defaultCountry?: string } = {},
) =>
  readAll(
    readContactsCsv(chunked(bytes, opts.chunk ?? 7), {
      defs,
      defaultCountry: opts.defaultCountry ?? 'SA',
      ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
    }),
  );

const SAMPLE = 'email,phone,first_name\na@b.co,0501234567,سارة\nc@d.co,+20 10 1234 5678,محمد\n';
const SAMPLE_ROWS = [
  { line: 2, contact: { email: 'a@b.co', phone: '+966501234567', firstName: 'سارة' } },
  { line: 3, contact: { email: 'c@d.co', phone: '+201012345678', firstName: 'محمد' } },
];

describe('readContactsCsv: encodings', () => {
  it.each([
    ['UTF-8', utf8(SAMPLE), 'utf-8'],
    ['UTF-8 with a BOM', utf8(`\ufeff${SAMPLE}`), 'utf-8'],
    [
      'UTF-16LE with a BOM, tab-delimited (Excel Unicode Text)',
      utf16le(`\ufeff${SAMPLE.replaceAll(',', '\t').replaceAll('\n', '\r\n')}`),
      'utf-16le',
    ],
    ['UTF-16LE without a BOM', utf16le(SAMPLE), 'utf-16le'],
    ['UTF-16BE without a BOM', utf16be(SAMPLE), 'utf-16be'],
  ])('reads %s', async (_name, bytes, encoding) => {
    // Chunks of 7 bytes cut characters and CRLFs in half.
    const { batches, summary } = await read(bytes);
    expect(rowsOf(batches)).toEqual(SAMPLE_ROWS);
    expect(errorsOf(batches)).toEqual([]);
    expect(summary).toMatchObject({
      encoding,
      rowsRead: 2,
      rowsValid: 2,
      headers: ['email', 'phone', 'first_name'],
    });
  });

  it('reads Windows-1256 Arabic and says so in the summary', async () => {
    const { batches, summary } = await read(
      cp1256('email,first_name,last_name\na@b.co,سارة,العلي\nc@d.co,محمد,\n'),
    );
    expect(rowsOf(batches)).toEqual([
      { line: 2, contact: { email: 'a@b.co', firstName: 'سارة', lastName: 'العلي' } },
      { line: 3, contact: { email: 'c@d.co', firstName: 'محمد' } },
    ]);
    expect(summary.encoding).toBe('windows-1256');
  });

  it('reads a Node stream as well as an async iterable', async () => {
    const { batches } = await readAll(
      readContactsCsv(Readable.from([Buffer.from(SAMPLE)]), { defs, defaultCountry: 'SA' }),
    );
    expect(rowsOf(batches)).toEqual(SAMPLE_ROWS);
  });
});

describe('readContactsCsv: rows', () => {
  it('reads semicolons, quotes, escaped quotes and CRLF', async () => {
    const csv = 'Email;Name;Plan\r\n"a@b.co";"Ali ""Abu Omar""; Jr";ذهبي\r\nb@c.co;Sara;فضي\r\n\r\n\r\n';
    const { batches, summary } = await read(utf8(csv));
    expect(rowsOf(batches)).toEqual([
      {
        line: 2,
        contact: { email: 'a@b.co', firstName: 'Ali "Abu Omar"; Jr', attributes: { plan: 'ذهبي' } },
      },
      { line: 3, contact: { email: 'b@c.co', firstName: 'Sara', attributes: { plan: 'فضي' } } },
    ]);
    expect(summary).toMatchObject({
      delimiter: ';',
      rowsRead: 2,
      mapping: { Email: 'email', Name: 'first_name', Plan: 'attributes.plan' },
    });
  });

  it('numbers rows as a spreadsheet does: a multi-line cell is one row, blank lines count', async () => {
    const csv = [
      'email,first_name,city',
      'a@b.co,"Line one',
      'line two',
      'line three",Riyadh',
      '',
      'bad-email,Sara,Jeddah',
      'c@d.co,Omar,Dammam',
    ].join('\n');
    const { batches } = await read(utf8(csv));
    expect(rowsOf(batches)).toEqual([
      { line: 2, contact: { email: 'a@b.co', firstName: 'Line one\nline two\nline three', city: 'Riyadh' } },
      { line: 5, contact: { email: 'c@d.co', firstName: 'Omar', city: 'Dammam' } },
    ]);
    expect(errorsOf(batches)).toEqual([
      { line: 4, column: 'email', value: 'bad-email', reason: 'email "bad-email" has no @' },
    ]);
  });

  it('reads LF, CRLF and old-Mac CR line ends mixed in one file', async () => {
    const { batches } = await read(utf8('email,city\ra@b.co,Riyadh\r\nb@c.co,Jeddah\nc@d.co,Dammam\r'));
    expect(rowsOf(batches)).toEqual([
      { line: 2, contact: { email: 'a@b.co', city: 'Riyadh' } },
      { line: 3, contact: { email: 'b@c.co', city: 'Jeddah' } },
      { line: 4, contact: { email: 'c@d.co', city: 'Dammam' } },
    ]);
  });

  it('reports bad cells with line, column, value and reason, and imports the other rows', async () => {
    const csv = [
      'البريد الإلكتروني,جوال,Budget,Plan',
      'a@b.co,0501234567,100,ذهبي',
      'b@c,0501234568,200,فضي',
      'c@d.co,12345,abc,ذهبي',
      'd@e.co,0501234569,٣٠٠,برونزي',
      'e@gmial.com,,,',
      ',,,',
      ',,5,',
      'f@g.co,0501234570,1,2,3',
      'g@h.co,0501234571',
      'h@i.co,0501234572,7,فضي,,',
    ].join('\r\n');
    const { batches, summary } = await read(utf8(csv));
    expect(rowsOf(batches).map((r) => r.line)).toEqual([2, 6, 11]);
    expect(rowsOf(batches)[2]).toEqual({
      line: 11,
      contact: { email: 'h@i.co', phone: '+966501234572', attributes: { budget: 7, plan: 'فضي' } },
    });
    expect(errorsOf(batches)).toEqual([
      {
        line: 3,
        column: 'البريد الإلكتروني',
        value: 'b@c',
        reason: 'email "b@c" has a domain without a dot',
      },
      { line: 4, column: 'جوال', value: '12345', reason: 'phone "12345" is not a valid number in SA' },
      { line: 4, column: 'Budget', value: 'abc', reason: 'attribute "budget" expects a number, got "abc"' },
      {
        line: 5,
        column: 'Plan',
        value: 'برونزي',
        reason: 'attribute "plan" expects one of "ذهبي", "فضي", got "برونزي"',
      },
      { line: 8, reason: 'the row has no email and no phone number; a contact needs one of them' },
      { line: 9, reason: 'expected 4 columns, found 5' },
      { line: 10, reason: 'expected 4 columns, found 2' },
    ]);
    expect(warningsOf(batches)).toEqual([
      {
        line: 6,
        column: 'البريد الإلكتروني',
        value: 'e@gmial.com',
        reason: 'email "e@gmial.com" may be mistyped: did you mean e@gmail.com?',
      },
    ]);
    expect(summary).toMatchObject({
      rowsRead: 9,
      rowsValid: 3,
      rowsWithErrors: 6,
      rowsWithWarnings: 1,
      duplicates: 0,
    });
  });

  it('yields both rows of a duplicate email or phone, marking the later one', async () => {
    const csv = [
      'email,phone,first_name',
      'a@b.co,0501234567,One',
      'A@B.co,,Two',
      'x@y.co,050 123 4567,Three',
      'z@y.co,0501234568,Four',
      'a@b.co,,Five',
    ].join('\n');
    const { batches, summary } = await read(utf8(csv));
    expect(rowsOf(batches).map((r) => [r.line, r.duplicateOf])).toEqual([
      [2, undefined],
      [3, 2],
      [4, 2],
      [5, undefined],
      [6, 2],
    ]);
    expect(summary.duplicates).toBe(3);
  });

  it('uses the given mapping, then the remembered one, else a suggestion', async () => {
    const csv = utf8('col1,col2\na@b.co,Riyadh\n');
    const given = await readAll(
      readContactsCsv(chunked(csv), {
        defs,
        mapping: { col1: 'email', col2: 'city' },
        mappingFor: () => undefined,
      }),
    );
    expect(rowsOf(given.batches)).toEqual([{ line: 2, contact: { email: 'a@b.co', city: 'Riyadh' } }]);
    let asked = '';
    const remembered = await readAll(
      readContactsCsv(chunked(csv), {
        defs,
        mappingFor: async (signature) => {
          asked = signature;
          return { col1: 'email' };
        },
      }),
    );
    expect(rowsOf(remembered.batches)).toEqual([{ line: 2, contact: { email: 'a@b.co' } }]);
    expect(remembered.summary.mapping).toEqual({ col1: 'email', col2: 'ignore' });
    expect(asked).toBe(remembered.summary.signature);
  });

  it('refuses mappings that cannot import anything, before any batch', async () => {
    const csv = utf8('col1,col2\na@b.co,Riyadh\n');
    const refuse = (mapping: Record<string, string>) =>
      readAll(readContactsCsv(chunked(csv), { defs, mapping })).catch((e: ImportFormatError) => [
        e.issue,
        e.message,
      ]);
    expect(await refuse({ col1: 'city' })).toEqual([
      'mapping',
      'Map a column to email or to phone: every contact needs one of them.',
    ]);
    expect(await refuse({ col1: 'email', col2: 'shoe_size' })).toEqual([
      'mapping',
      'The column "col2" is mapped to "shoe_size", which is not a contact field or custom attribute.',
    ]);
    expect(await refuse({ col1: 'email', col2: 'email' })).toEqual([
      'mapping',
      'The columns "col1" and "col2" are both mapped to "email".',
    ]);
  });
});

describe('readContactsCsv: files that are not CSVs', () => {
  it.each([
    [
      'xlsx',
      Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...utf8('[Content_Types].xml xl/workbook.xml')]),
      'not_csv',
    ],
    ['pdf', utf8('%PDF-1.4\n'), 'not_csv'],
    ['binary', Uint8Array.from({ length: 300 }, (_, i) => (i * 151) % 256), 'not_csv'],
    ['empty', new Uint8Array(0), 'empty'],
    ['duplicate headers', utf8('email,email\n'), 'duplicate_headers'],
  ])('throws one ImportFormatError for %s', async (_name, bytes, issue) => {
    const gen = readContactsCsv(chunked(bytes), { defs });
    const error = await gen.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFormatError);
    expect((error as ImportFormatError).issue).toBe(issue);
  });

  it('stops at a quote that is never closed, naming its row, after the rows before it', async () => {
    const gen = readContactsCsv(chunked(utf8('email,city\na@b.co,Riyadh\nb@c.co,"Jeddah\nc@d.co,Dammam\n')), {
      defs,
      batchSize: 1,
    });
    const first = await gen.next();
    expect(first.value).toMatchObject({ rows: [{ line: 2 }] });
    const error = await gen.next().catch((e: ImportFormatError) => e.message);
    expect(error).toBe(
      'Row 3 opens a quote (") that is never closed, so the rest of the file cannot be read. Fix that row and upload again.',
    );
  });
});

describe('readContactsCsv: runaway rows', () => {
  it('stops at a row over 1 MB instead of holding the file in memory', async () => {
    const csv = utf8(`email,notes\na@b.co,"${'x'.repeat(1_100_000)}\nb@c.co,y\n`);
    const error = await readAll(readContactsCsv(chunked(csv, 64 * 1024), { defs })).catch(
      (e: ImportFormatError) => e.message,
    );
    expect(error).toBe(
      'Row 2 is longer than 1 MB, most likely because a quote (") is never closed. Fix that row and upload again.',
    );
  });
});

describe('readContactsCsv: cancelling', () => {
  it('stops with the signal’s reason between chunks', async () => {
    const controller = new AbortController();
    const csv = utf8(`email\n${Array.from({ length: 100 }, (_, i) => `u${i}@x.co`).join('\n')}\n`);
    const gen = readContactsCsv(chunked(csv, 64), { defs, batchSize: 10, signal: controller.signal });
    const first = await gen.next();
    expect(first.value).toMatchObject({ rows: { length: 10 } });
    controller.abort(new Error('import cancelled'));
    let error: unknown;
    try {
      for (;;) if ((await gen.next()).done) break;
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toBe('import cancelled');
  });
});

describe('readContactsCsv: size', () => {
  it('streams 200,000 rows in small chunks, yielding batches before the source is read', async () => {
    const rows = 200_000;
    let sourceDone = false;
    let batchesBeforeEnd = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield utf8('email,phone,first_name,budget\n');
      const lines: string[] = [];
      for (let i = 0; i < rows; i++) {
        const phone = `05${'03456'[i % 5]}${String(i).padStart(7, '0')}`;
        lines.push(`user${i}@example.com,${phone},محمد,${i % 1000}\n`);
        if (lines.length === 500) {
          yield utf8(lines.join(''));
          lines.length = 0;
        }
      }
      yield utf8(lines.join(''));
      sourceDone = true;
    }
    let read = 0;
    let batches = 0;
    const gen = readContactsCsv(source(), { defs, defaultCountry: 'SA', batchSize: 5000 });
    for (;;) {
      const next = await gen.next();
      if (next.done) {
        expect(next.value).toMatchObject({
          rowsRead: rows,
          rowsValid: rows,
          rowsWithErrors: 0,
          duplicates: 0,
        });
        break;
      }
      batches++;
      read += next.value.rows.length;
      if (!sourceDone) batchesBeforeEnd++;
      expect(next.value.rows.length).toBeLessThanOrEqual(5000);
    }
    expect(read).toBe(rows);
    expect(batches).toBe(40);
    expect(batchesBeforeEnd).toBeGreaterThanOrEqual(39);
  });
});
