import { defineConfig } from 'vitest/config';

/** The browser end-to-end test (npm run test:e2e). `npm test` does not run it: its files end in .e2e.ts. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    // One story, in order, against one bot and one Playground.
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 150_000,
    hookTimeout: 120_000,
  },
});
