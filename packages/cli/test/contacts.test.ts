import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataDir, wasl } from './wasl-process.ts';

describe('wasl contacts import', { timeout: 180_000 }, () => {
  it('imports a CSV with progress on stderr, reports bad rows by line, and writes them to a file', () => {
    const dir = tempDataDir();
    const env = { WASL_DATA_DIR: dir };
    expect(wasl(['user', 'create', '--email', 'owner@example.com', '--name', 'منى'], env).code).toBe(0);
    const ws = wasl(['workspace', 'create', '--name', 'متجر', '--owner-email', 'owner@example.com'], env);
    const id = ws.stdout.match(/\(([0-9a-f-]{36})\)/)?.[1] ?? '';
    const rows = ['البريد الإلكتروني,الاسم الأول,الجوال'];
    for (let i = 1; i <= 3000; i++) {
      const email = i === 1500 ? 'broken-at-example.com' : `p${i}@example.com`;
      rows.push(`${email},عبدالله ${i},05${String(50_000_000 + i)}`);
    }
    const file = join(dir, 'عملاء.csv');
    writeFileSync(file, `\uFEFF${rows.join('\r\n')}\r\n`);
    const problems = join(dir, 'problems.csv');

    const r = wasl(
      ['contacts', 'import', file, '--workspace', id, '--errors', problems, '--country', 'السعودية'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    // Not a terminal here, so the bar prints plain progress lines.
    expect(r.stderr).toMatch(/importing عملاء\.csv: 100%/);
    expect(r.stdout).toContain('3000 rows read, 2999 added, 0 updated, 0 skipped, 1 with errors');
    const written = readFileSync(problems, 'utf8');
    expect(written.startsWith('\uFEFFline,column,value,reason,kind\r\n')).toBe(true);
    expect(written).toContain('1501,البريد الإلكتروني,broken-at-example.com,');

    const again = wasl(
      ['contacts', 'import', file, '--workspace', id, '--policy', 'insert_only', '--country', 'SA'],
      env,
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 added, 0 updated, 2999 skipped, 1 with errors');
    expect(again.stdout).toContain('line 1501, البريد الإلكتروني:');

    const badCountry = wasl(['contacts', 'import', file, '--workspace', id, '--country', 'Atlantis'], env);
    expect(badCountry.code).toBe(1);
    expect(badCountry.stderr).toContain('--country: "Atlantis" is not a country');
    const missing = wasl(['contacts', 'import', join(dir, 'nope.csv'), '--workspace', id], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
    const badWorkspace = wasl(['contacts', 'import', file, '--workspace', 'nope'], env);
    expect(badWorkspace.code).toBe(1);
    expect(badWorkspace.stderr).toContain('--workspace: no workspace has the id nope');
  });
});
