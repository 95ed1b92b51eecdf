/**
 * Two projects: `unit` (pure code, no services) and `integration` (a real Temporal dev server
 * and a real PostgreSQL, started once per run by the global setup).
 * TypeScript is compiled by swc (already a Temporal dependency); type checking is `npm run typecheck`.
 * A third, `faults` (tests/faults: long fault tests such as stopping PostgreSQL mid-load), joins
 * only when SHOPFLOW_FAULT_TESTS=1, so `npm test` leaves it out and `npm run test:faults` runs it;
 * `cluster` (tests/cluster: shopflow on a real Temporal cluster) only when SHOPFLOW_CLUSTER_TESTS=1;
 * and `record`, only for `npm run histories:record`.
 */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

module.exports = {
  testTimeout: 120_000,
  maxWorkers: 2,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/unit'],
      testMatch: ['**/*.test.ts'],
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/integration'],
      testMatch: ['**/*.test.ts'],
      transform,
      globalSetup: '<rootDir>/tests/setup/global-setup.ts',
      globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
    },
    {
      // The staff console in headless Chromium (Debian's `chromium`), against the real server,
      // dev server and database; same global setup as integration (jest runs it once).
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/e2e'],
      testMatch: ['**/*.test.ts'],
      transform,
      globalSetup: '<rootDir>/tests/setup/global-setup.ts',
      globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
    },
    ...(process.env.SHOPFLOW_FAULT_TESTS === '1'
      ? [
          {
            displayName: 'faults',
            testEnvironment: 'node',
            roots: ['<rootDir>/tests/faults'],
            testMatch: ['**/*.test.ts'],
            transform,
            globalSetup: '<rootDir>/tests/setup/global-setup.ts',
            globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
          },
        ]
      : []),
    // `npm run test:cluster`: shopflow on a real Temporal cluster (tests/cluster starts its own
    // server built from the Go module, on PostgreSQL); no dev server, so no global setup.
    ...(process.env.SHOPFLOW_CLUSTER_TESTS === '1'
      ? [
          {
            displayName: 'cluster',
            testEnvironment: 'node',
            roots: ['<rootDir>/tests/cluster'],
            testMatch: ['**/*.test.ts'],
            transform,
          },
        ]
      : []),
    // `npm run histories:record`: runs the shipped processes and rewrites tests/histories/.
    ...(process.env.SHOPFLOW_RECORD_HISTORIES === '1'
      ? [
          {
            displayName: 'record',
            testEnvironment: 'node',
            roots: ['<rootDir>/tests/record'],
            testMatch: ['**/*.test.ts'],
            transform,
            globalSetup: '<rootDir>/tests/setup/global-setup.ts',
            globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
          },
        ]
      : []),
  ],
};
