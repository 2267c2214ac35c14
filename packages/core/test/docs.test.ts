import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../src/config.ts';

describe('docs/operations.md', () => {
  const doc = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
  it.each(CONFIG_KEYS.map((k) => [k.env, k.file]))('documents %s (file key %s)', (env, file) => {
    expect(doc).toContain(`\`${env}\``);
    expect(doc).toContain(`\`${file}\``);
  });
});
