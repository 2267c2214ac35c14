import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { countryCode } from '@wasl/core';
// The import service alone: loading the whole HTTP server would add about 170 MB to the process.
import { type ImportPolicy, runContactImport } from '@wasl/server/contact-import';
import { CSV_BOM, csvLine } from '@wasl/server/csv';
import { withOltp } from '../admin.ts';
import { CliError } from '../errors.ts';
import { gauge } from '../progress.ts';

async function readMapping(file: string): Promise<Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new CliError(`--mapping: ${file} is not a JSON file (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`--mapping: ${file} must hold an object {"CSV header": "field"}`);
  }
  for (const [header, field] of Object.entries(parsed)) {
    if (typeof field !== 'string')
      throw new CliError(`--mapping: the field for "${header}" must be a string`);
  }
  return parsed as Record<string, string>;
}

export async function importContactsAction(
  file: string,
  o: { workspace: string; policy: string; mapping?: string; errors?: string; country?: string },
): Promise<void> {
  const country = o.country === undefined ? undefined : countryCode(o.country);
  if (o.country !== undefined && !country)
    throw new CliError(`--country: "${o.country}" is not a country (e.g. SA, EG, AE)`);
  const size = await stat(file).then(
    (s) => s.size,
    () => {
      throw new CliError(`cannot read ${file}: no such file`);
    },
  );
  const mapping = o.mapping ? await readMapping(o.mapping) : undefined;
  await withOltp(async ({ oltp }) => {
    const workspace = await oltp.db
      .selectFrom('workspaces')
      .select('id')
      .where('id', '=', o.workspace)
      .executeTakeFirst();
    if (!workspace) throw new CliError(`--workspace: no workspace has the id ${o.workspace}`);
    const bar = gauge(`importing ${basename(file)}`, size);
    const started = Date.now();
    const result = await runContactImport(oltp.db, {
      workspaceId: o.workspace,
      fileName: basename(file),
      source: createReadStream(file, { highWaterMark: 256 * 1024 }),
      bytesTotal: size,
      policy: o.policy as ImportPolicy,
      ...(mapping ? { mapping } : {}),
      ...(country ? { defaultCountry: country } : {}),
      createdBy: null,
      clock: Date.now,
      onProgress: (p) =>
        bar.update(p.bytesRead, `${p.rowsRead.toLocaleString('en')} rows, ${p.failed} with errors`),
    });
    bar.update(size);
    bar.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.status !== 'done')
      throw new CliError(`import ${result.status}: ${result.error ?? 'unknown error'}`);
    process.stdout.write(
      `imported ${basename(file)} in ${seconds} s: ${result.rows_read} rows read, ${result.inserted} added, ` +
        `${result.updated} updated, ${result.skipped} skipped, ${result.failed} with errors (import ${result.id})\n`,
    );
    if (result.failed > 0 || o.errors) {
      const problems = await oltp.db
        .selectFrom('contact_import_errors')
        .selectAll()
        .where('import_id', '=', result.id)
        .orderBy('line')
        .execute();
      if (o.errors) {
        const out = createWriteStream(o.errors);
        out.write(`${CSV_BOM}line,column,value,reason,kind\r\n`);
        for (const p of problems) {
          out.write(
            `${csvLine([p.line, p.column_name, p.value, p.reason, p.warning ? 'warning' : 'error'])}\r\n`,
          );
        }
        await new Promise<void>((resolve, reject) =>
          out.end((e?: Error | null) => (e ? reject(e) : resolve())),
        );
        process.stdout.write(`row problems written to ${o.errors}\n`);
      } else {
        for (const p of problems.filter((x) => !x.warning).slice(0, 20)) {
          process.stdout.write(`  line ${p.line}${p.column_name ? `, ${p.column_name}` : ''}: ${p.reason}\n`);
        }
        if (result.failed > 20) process.stdout.write('  … use --errors FILE for the full list\n');
      }
    }
  });
}
