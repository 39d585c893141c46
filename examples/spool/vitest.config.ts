import { defineConfig } from 'vitest/config';

// Its own config, so that vitest does not pick up the repository root's one.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
  },
});
