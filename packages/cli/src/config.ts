import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Config, parseConfig } from '@wasl/core';
import { CliError } from './errors.ts';

/**
 * Reads the environment and the optional JSON config file (WASL_CONFIG, or
 * ./wasl.config.json when present) and validates both. A wrong value stops
 * the command with one line per key naming it and what it expects.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const explicit = env.WASL_CONFIG;
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, 'wasl.config.json');
  let file: Record<string, unknown> | undefined;
  if (existsSync(path)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new CliError(`config file ${path}: expected a JSON object`);
      }
      file = parsed as Record<string, unknown>;
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`config file ${path}: not valid JSON (${(error as Error).message})`);
    }
  } else if (explicit) {
    throw new CliError(`WASL_CONFIG: file ${path} does not exist`);
  }
  const result = parseConfig({ env, file, fileName: path });
  if (!result.ok) throw new CliError(`invalid configuration:\n  ${result.error.join('\n  ')}`);
  return { ...result.value, dataDir: resolve(cwd, result.value.dataDir) };
}
