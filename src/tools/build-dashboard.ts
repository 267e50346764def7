// Bundles the dashboard (src/dashboard, preact) into dist/dashboard/app.js and app.css with
// esbuild, so the page loads nothing but what commsim serves. Part of `npm run build`.
import { build } from 'esbuild';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/paths.js';

const t0 = Date.now();
await build({
  entryPoints: { app: join(PROJECT_ROOT, 'src', 'dashboard', 'app.tsx') },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: join(PROJECT_ROOT, 'dist', 'dashboard'),
  logLevel: 'warning',
});
console.log(`dashboard: bundled (${Date.now() - t0} ms)`);
