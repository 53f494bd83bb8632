import { defineConfig } from 'vitest/config';

// SIGKILLs a worker, the API, Temporal and PostgreSQL under load: it starts its own of each, so it
// needs no global setup but the console build the API serves. It runs only when asked for by name
// (`npm run test:chaos` = `vitest run --project chaos`, after `npm test` in CI): a plain
// `vitest run` leaves it out.
const chaosRequested = process.argv.some(
  (arg, i, all) => arg === '--project=chaos' || (arg === '--project' && all[i + 1] === 'chaos'),
);
const chaosProject = {
  extends: true as const,
  test: {
    name: 'chaos',
    include: ['test/chaos/**/*.test.ts'],
    globalSetup: ['test/helpers/console-setup.ts'],
    fileParallelism: false,
    testTimeout: 540_000,
    hookTimeout: 300_000,
  },
};

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
          // The pages wait on the real stack (a workflow, a provisioning): poll for it patiently.
          expect: { poll: { timeout: 20_000, interval: 100 } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        // The production topology (test/topology/): real `grantflow api` and `worker` processes on
        // the machine's external PostgreSQL and a Temporal server of its own, so no shared services;
        // `npm run test:topology` runs it (.ci/run when 127.0.0.1:5432 answers). The console is
        // built first, as a production install does with `npm run build`.
        extends: true,
        test: {
          name: 'topology',
          include: ['test/topology/**/*.test.ts'],
          globalSetup: ['test/helpers/console-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
      ...(chaosRequested ? [chaosProject] : []),
    ],
  },
});
