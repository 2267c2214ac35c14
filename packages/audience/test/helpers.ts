import type { ImportBatch, ImportSummary } from '../src/index.ts';

/** The bytes as a stream of chunks of `size` bytes, as an upload arrives. */
export async function* chunked(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export const utf8 = (text: string) => new TextEncoder().encode(text);
export const utf16le = (text: string) => new Uint8Array(Buffer.from(text, 'utf16le'));
export const utf16be = (text: string) => {
  const bytes = utf16le(text);
  for (let i = 0; i + 1 < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1]!, bytes[i]!];
  return bytes;
};

// Windows-1256 (Arabic) for the letters the tests use; TextEncoder only writes UTF-8.
const CP1256: Record<string, number> = {
  ا: 0xc7,
  ل: 0xe1,
  م: 0xe3,
  ح: 0xcd,
  د: 0xcf,
  س: 0xd3,
  ر: 0xd1,
  ة: 0xc9,
  ي: 0xed,
  ن: 0xe4,
  ع: 0xda,
  ب: 0xc8,
};
export const cp1256 = (text: string) =>
  Uint8Array.from([...text], (c) => {
    const code = c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : CP1256[c];
    if (code === undefined) throw new Error(`no windows-1256 byte for ${c} in the test table`);
    return code;
  });

export async function readAll(
  gen: AsyncGenerator<ImportBatch, ImportSummary>,
): Promise<{ batches: ImportBatch[]; summary: ImportSummary }> {
  const batches: ImportBatch[] = [];
  for (;;) {
    const next = await gen.next();
    if (next.done) return { batches, summary: next.value };
    batches.push(next.value);
  }
}

export const rowsOf = (batches: ImportBatch[]) => batches.flatMap((b) => b.rows);
export const errorsOf = (batches: ImportBatch[]) => batches.flatMap((b) => b.errors);
export const warningsOf = (batches: ImportBatch[]) => batches.flatMap((b) => b.warnings);
