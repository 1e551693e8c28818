import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

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
        test: { name: 'server', include: ['test/server/**/*.test.ts'], exclude: ['test/server/**/*.load.test.ts'], testTimeout: 20_000 },
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
