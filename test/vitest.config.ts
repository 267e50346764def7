// Vitest settings, kept under test/ so the project's top level stays as the product card fixes it.
// Timeouts are explicit and generous: tests that spawn the built CLI must hold on a loaded 2-core
// machine, so none of them leans on vitest's 5 s default.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/generated/**'],
      reporter: ['text-summary', 'text'],
    },
  },
});
