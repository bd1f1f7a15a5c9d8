import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The machine has 2 cores; integration tests spawn many processes.
    maxWorkers: 2,
    // A real PostgreSQL server for the Postgres store and replica tests.
    globalSetup: ['test/support/postgres-setup.ts'],
  },
});
