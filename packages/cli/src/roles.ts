import type { Config } from '@wasl/core';
import { CliError } from './errors.ts';

export const ROLE_NAMES = ['api', 'ingest', 'worker'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/**
 * Which roles this process runs. Embedded storage runs all of them in one
 * process (DuckDB's file belongs to one process: decision 0004).
 */
export function parseRoles(raw: string, config: Config): Set<RoleName> {
  const roles = new Set<RoleName>();
  for (const part of raw.split(',').map((s) => s.trim())) {
    if (part === '') continue;
    if (!(ROLE_NAMES as readonly string[]).includes(part)) {
      throw new CliError(
        `--role: unknown role "${part}"; expected a comma-separated list of ${ROLE_NAMES.join(', ')}`,
      );
    }
    roles.add(part as RoleName);
  }
  if (roles.size === 0) throw new CliError(`--role: expected at least one of ${ROLE_NAMES.join(', ')}`);
  const embedded = !config.databaseUrl || !config.eventsUrl;
  if (embedded && roles.size < ROLE_NAMES.length) {
    throw new CliError(
      `--role ${[...roles].join(',')} needs scale mode: set DATABASE_URL to a PostgreSQL database ` +
        '(embedded storage runs every role in one process)',
    );
  }
  return roles;
}
