// Vitest settings, kept under test/ so the project's top level stays as the product card fixes it.
// Timeouts are explicit and generous: tests that spawn the built CLI must hold on a loaded 2-core
// machine, so none of them leans on vitest's 5 s default.
//
// Two projects: `embedded` runs every suite on the embedded store (the default); `redis` runs
// the suites that drive the app like a client (every file using test/helpers.ts's startApp) again
// on the shared Redis store, against a real redis-server started by test/redis/global-setup.ts
// (Debian's redis-server: without it the project fails and says so, as the browser test does
// without chromium), plus the fleet and fault suites (test/redis/*.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));
const testDir = fileURLToPath(new URL('.', import.meta.url));
const clientSuites = readdirSync(testDir)
  .filter((f) => f.endsWith('.test.ts') && readFileSync(testDir + f, 'utf8').includes('startApp('))
  .map((f) => `test/${f}`);

export default defineConfig({
  root,
  // The README's example imports the package by name, as a user's suite does.
  resolve: { alias: { commsim: fileURLToPath(new URL('../src/index.ts', import.meta.url)) } },
  test: {
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
    projects: [
      { extends: true, test: { name: 'embedded', include: ['test/**/*.test.ts'], exclude: ['test/redis/**'] } },
      {
        extends: true,
        test: {
          name: 'redis',
          include: [...clientSuites, 'test/redis/**/*.test.ts'],
          env: { COMMSIM_TEST_STORE: 'redis' },
          globalSetup: ['test/redis/global-setup.ts'],
        },
      },
    ],
  },
});
