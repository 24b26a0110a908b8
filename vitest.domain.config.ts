import { defineConfig } from 'vitest/config';

/** The pure tests of src/domain: what the mutation run (npm run test:mutation) executes for every mutant. */
export default defineConfig({
  test: {
    include: ['test/domain/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
