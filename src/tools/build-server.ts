// Part of `npm run build`: bundles the server (dist/main.js and every module it imports from
// dist/) into one file, dist/bundle/main.js, which `npm start` and the `commsim` bin run. Node
// loads ~250 small ES modules otherwise: resolving and instantiating them was ~120 ms of the
// start-up (measured: spawn to first answer 540 -> 476 ms). Dependencies stay external (loaded
// from node_modules as usual); the library entry (dist/index.js, startSimulator) is not bundled.
// PROJECT_ROOT (core/paths.ts) holds for the bundle: it is two levels below the root too.
import { build } from 'esbuild';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/paths.js';

const t0 = Date.now();
await build({
  entryPoints: { main: join(PROJECT_ROOT, 'dist', 'main.js') },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  outdir: join(PROJECT_ROOT, 'dist', 'bundle'),
  logLevel: 'warning',
});
console.log(`server: bundled into dist/bundle/main.js (${Date.now() - t0} ms)`);
