// Two suites: fast pure/unit tests next to the code, and integration tests in test/integration
// that start real litecoind daemons, SQLite files and libp2p processes.
import { configDefaults, defineConfig } from 'vitest/config';

const UNIT = [
  'src-shared/**/*.test.ts',
  'src-main/**/*.test.ts',
  'src-renderer/**/*.test.{ts,tsx}',
  'scripts/**/*.test.ts',
];
/** Unit test files that call vi.mock: they run isolated (eslint.config.js refuses vi.mock elsewhere). */
const MOCKS_MODULES = ['src-main/vault/vault-file.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        // Files share a worker's module cache (isolate: false): importing the tree again for each
        // of ~250 files was half of the unit run (280 s with isolation and one worker, ~50 s so).
        // A file that replaces a module (vi.mock) needs its own import of it: it goes in 'unit-mocked'.
        test: {
          name: 'unit',
          include: UNIT,
          exclude: [...MOCKS_MODULES, ...configDefaults.exclude],
          environment: 'node',
          testTimeout: 20_000,
          isolate: false,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'unit-mocked',
          include: MOCKS_MODULES,
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
    ],
  },
});
