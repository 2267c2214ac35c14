import { defineConfig } from 'vitest/config';

// One runner for the whole repository. Suites that need PostgreSQL read
// WASL_TEST_PG_URL and are reported as skipped when it is not set.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
    globalSetup: ['scripts/vitest-global-setup.ts'],
  },
});
