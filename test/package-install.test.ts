// `import { startSimulator } from 'commsim'` from a project that installed commsim: the package's
// `exports` and type declarations, used from outside. The installed copy is this checkout, linked
// into a fresh project's node_modules as npm links a local dependency (no registry needed).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'commsim-consumer-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'commsim'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { commsim: 'file:..' } }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('starts from an installed copy, answers an API call, and stops', () => {
  writeFileSync(
    join(dir, 'consumer.mjs'),
    `import { startSimulator } from 'commsim';
const sim = await startSimulator({ seed: 7 });
const syn = sim.apis.syniverse;
const r = await fetch(syn.baseUrl + '/messaging/sender_ids', { headers: { authorization: 'Bearer ' + syn.credentials.token } });
const clock = await sim.clock();
await sim.advanceClock('1m');
const after = await sim.clock();
console.log(JSON.stringify({ status: r.status, apis: Object.keys(sim.apis).sort(), mode: clock.mode, moved: Date.parse(after.now) - Date.parse(clock.now) }));
await sim.stop();
`,
  );
  const run = spawnSync(process.execPath, ['consumer.mjs'], { cwd: dir, encoding: 'utf8', timeout: 50_000 });
  expect(run.stderr).toBe('');
  expect(JSON.parse(run.stdout.trim())).toEqual({ status: 200, apis: ['additiv', 'clever', 'dolist', 'syniverse'].sort(), mode: 'manual', moved: 60_000 });
  // Deep imports stay private: only the entry is exported.
  const deep = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('commsim/dist/app.js')"], { cwd: dir, encoding: 'utf8', timeout: 50_000 });
  expect(deep.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
});

it('type-checks a TypeScript consumer against the shipped declarations', () => {
  writeFileSync(
    join(dir, 'consumer.ts'),
    `import { startSimulator, type Simulator, type SimEvent } from 'commsim';
const sim: Simulator = await startSimulator({ scenario: 'carrier-outage', clock: { mode: 'manual' } });
const e: SimEvent = await sim.waitFor((ev) => ev.type === 'message_state_change', { advanceMs: 1000 });
const n: number = (await sim.credit('syniverse')).balance;
console.log(e.seq, n);
// @ts-expect-error: advanceClock takes a duration, not an object
await sim.advanceClock({ ms: 1 });
await sim.stop();
`,
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, lib: ['ES2022', 'DOM'], types: [], skipLibCheck: true }, files: ['consumer.ts'] }),
  );
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8', timeout: 50_000 });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
});
