import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites that start servers and browsers share two cores; more workers only add contention.
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default'],
  },
});
