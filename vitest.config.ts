import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

const SERVER_TESTS = ['test/server/**/*.test.ts'];
const LOAD_TESTS = 'test/server/**/*.load.test.ts';
// Only meaningful on PostgreSQL (its migrations under a lock, races between pools): not run in `server`.
const POSTGRES_ONLY = ['test/server/storage-pg.test.ts', 'test/server/database-down.test.ts', 'test/server/webhooks-instances.test.ts'];
// About SQLite itself, so not run in `server-pg`:
const SQLITE_ONLY = [
  'test/server/storage-sqlite.test.ts', // the file, its pragmas, upgrades of old SQLite schemas
  'test/server/feedback-query-sql.test.ts', // SQLite's query plans and its kept-counts migration
];
// A fixed master key for the PostgreSQL runs: with DATABASE_URL the server requires one (no key file).
const TEST_MASTER_KEY = Buffer.from('loupe server-pg test master key!').toString('base64');

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        // Extension logic, with WXT's fake browser standing in for the extension APIs.
        plugins: [WxtVitest()],
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], setupFiles: ['test/unit/setup.ts'] },
      },
      {
        // The server over real HTTP, against a real SQLite file in a temp directory.
        test: { name: 'server', include: SERVER_TESTS, exclude: [LOAD_TESTS, ...POSTGRES_ONLY], testTimeout: 20_000 },
      },
      {
        // The same tests against a real PostgreSQL (Debian's, started by the global setup on a
        // temp directory and a loopback port): a fresh database per test file and per server.
        test: {
          name: 'server-pg',
          include: SERVER_TESTS,
          exclude: [LOAD_TESTS, ...SQLITE_ONLY],
          testTimeout: 20_000,
          env: { LOUPE_TEST_ENGINE: 'postgres', LOUPE_MASTER_KEY: TEST_MASTER_KEY },
          globalSetup: ['test/support/postgres-global.ts'],
          setupFiles: ['test/support/postgres-per-file.ts'],
        },
      },
      {
        // Load and fault tests against a server in its own process: one file at a time, after
        // the other groups, so that their timings and memory are the server's alone.
        test: { name: 'load', include: ['test/server/**/*.load.test.ts'], testTimeout: 60_000, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      {
        // The built extension in real headless Chromium (and Firefox: test/e2e/firefox) against the real server.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/build/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
