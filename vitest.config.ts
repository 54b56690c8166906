import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
    // Vitest's default leaves a core free (one worker on 2 cores), but the longest files mostly wait on the `ramify`
    // processes they start: with a worker per core the other files run meanwhile.
    maxWorkers: availableParallelism(),
  },
});
