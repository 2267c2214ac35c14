import type { Config, Problem, Result } from '@wasl/core';
import type { Oltp } from '@wasl/store';
import { instanceSecret, openMigratedOltp } from './boot.ts';
import { loadConfig } from './config.ts';
import { CliError } from './errors.ts';

export interface AdminContext {
  config: Config;
  oltp: Oltp;
  secret: () => Promise<string>;
}

/** Runs an admin command against the migrated OLTP store, and always closes it. */
export async function withOltp(action: (ctx: AdminContext) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const oltp = await openMigratedOltp(config);
  try {
    await action({ config, oltp, secret: () => instanceSecret(oltp.db, config) });
  } finally {
    await oltp.close();
  }
}

/** The value, or the problem as a one-line CLI failure naming the option at fault. */
export function unwrap<T>(result: Result<T, Problem>, optionFor: Record<string, string> = {}): T {
  if (result.ok) return result.value;
  const { field, message } = result.error;
  const option = field ? (optionFor[field] ?? `--${field}`) : undefined;
  throw new CliError(option ? `${option}: ${message}` : message);
}

/** Prints rows as an aligned table (characters, not bytes, so Arabic names line up too). */
export function printTable(
  rows: Record<string, string>[],
  out: NodeJS.WritableStream = process.stdout,
): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const width = (s: string) => [...s].length;
  const widths = columns.map((c) => Math.max(width(c), ...rows.map((r) => width(r[c] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - width(cell)))
      .join('  ')
      .trimEnd();
  out.write(`${line(columns)}\n`);
  for (const r of rows) out.write(`${line(columns.map((c) => r[c] ?? ''))}\n`);
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new CliError('--password-stdin: pipe the password in, e.g. `echo "$PW" | wasl …`');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
