import { defineConfig } from 'vitest/config';

// Tests live in test/ (end to end, reports, rules) and beside the plan's steps and modules in src/.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    globalSetup: ['test/helpers/temp-root.ts'],
  },
});
