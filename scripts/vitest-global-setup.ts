// Makes skipped PostgreSQL suites impossible to miss: vitest's default reporter
// only counts skips, so say it before and after the run.
const notice = () => {
  if (process.env.WASL_TEST_PG_URL) return;
  process.stderr.write(
    '\n  PostgreSQL suites SKIPPED: WASL_TEST_PG_URL is not set.\n' +
      '  Run them with WASL_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test npm test\n\n',
  );
};

export default function setup(): () => void {
  notice();
  return notice;
}
