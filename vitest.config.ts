import { defineConfig } from 'vitest/config';

// Unit tests need no services. Integration and e2e tests share one Temporal dev server and one
// PostgreSQL per run, started once by the global setup (or taken from TEMPORAL_ADDRESS /
// DATABASE_URL), with a database and task queue of their own per test file. Browser tests add the
// console, built once per run, and Chromium.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Chromium driving the console on the whole stack. Files run one at a time: each starts a
        // browser, and the example's demo databases live in the shared test server.
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts', 'test/helpers/console-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
