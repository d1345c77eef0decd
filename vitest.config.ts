import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Journeys and the browser start real servers: keep the machine's 2 cores for them.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
  },
});
