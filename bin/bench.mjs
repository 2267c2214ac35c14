#!/usr/bin/env node
// `npm run bench -- NAME` runs bench/NAME.ts, which prints one JSON line:
// the figure and, where one exists, the physical limit measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const available = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME\n  NAME is one of: ${available.join(', ') || '(none yet)'}`);
  process.exit(name ? 1 : 0);
}
const file = join(root, 'bench', `${name}.ts`);
if (!existsSync(file)) process.exit(1);
const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...process.argv.slice(3)], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
