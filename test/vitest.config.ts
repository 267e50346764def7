// Vitest settings, kept under test/ so the project's top level stays as the product card fixes it.
// Timeouts are explicit and generous: tests that spawn the built CLI must hold on a loaded 2-core
// machine, so none of them leans on vitest's 5 s default.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  // The README's example imports the package by name, as a user's suite does.
  resolve: { alias: { commsim: fileURLToPath(new URL('../src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      // The measure is the vendor-neutral core; `--coverage.include='src/**'` shows the rest.
      include: ['src/core/**/*.ts'],
      exclude: ['src/**/generated/**'],
      reporter: ['text', 'text-summary'],
      thresholds: { lines: 90 },
    },
  },
});
