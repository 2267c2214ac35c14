/**
 * A unique constraint refused the row. SQLite (better-sqlite3) and PostgreSQL
 * (pg) report it differently; callers turn it into a `conflict` problem
 * instead of letting a race between two requests become a 500.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
