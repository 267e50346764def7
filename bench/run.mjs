// `npm run bench`: prints JSON figures. Requests/s of a validated stateful GET and POST against
// commsim (file store), as ratios to a bare hono route measured in the same run; start-up time
// (spawn to first /_sim/health answer, all specs loaded); peak RSS of the server.
// Targets (issue #2): GET >= 0.3 of bare hono, POST (file store) >= 0.25, start-up < 1 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function waitReady(url, t0) {
  for (;;) {
    try {
      if ((await fetch(url)).ok) return Date.now() - t0;
    } catch {}
    if (Date.now() - t0 > 15000) throw new Error(`not ready: ${url}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function peakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const run = (opts) =>
  new Promise((resolve, reject) =>
    autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts }, (err, res) => (err ? reject(err) : resolve(res))),
  );
const rps = (r) => ({ rps: Math.round(r.requests.average), p99ms: r.latency.p99, errors: r.errors + r.non2xx });

const dataDir = mkdtempSync(join(tmpdir(), 'commsim-bench-'));
const bare = { port: await freePort() };
const sim = { port: await freePort() };
try {
  bare.proc = spawn(process.execPath, [join(root, 'bench/bare-hono.mjs'), String(bare.port)], { stdio: 'ignore' });
  await waitReady(`http://127.0.0.1:${bare.port}/bare/x`, Date.now());

  const t0 = Date.now();
  sim.proc = spawn(process.execPath, [join(root, 'dist/main.js'), '--port', String(sim.port), '--data', dataDir, '--quiet'], { stdio: 'ignore' });
  const startupMs = await waitReady(`http://127.0.0.1:${sim.port}/_sim/health`, t0);

  const base = `http://127.0.0.1:${sim.port}`;
  const ws = await (await fetch(`${base}/_sim/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'bench' }) })).json();
  const headers = { authorization: `Bearer ${ws.credentials.syniverse.token}`, 'content-type': 'application/json' };
  const SYN = `${base}/syniverse/scg-external-api/api/v1`;
  const created = await (await fetch(`${SYN}/messaging/channels`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench', description: 'benchmark channel' }) })).json();

  const bareGet = await run({ url: `http://127.0.0.1:${bare.port}/bare/${created.id}` });
  const simGet = await run({ url: `${SYN}/messaging/channels/${created.id}`, headers });
  const barePost = await run({ url: `http://127.0.0.1:${bare.port}/bare`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
  const simPost = await run({ url: `${SYN}/messaging/attachments`, method: 'POST', headers, body: JSON.stringify({ name: 'bench', type: 'image/png', filename: 'b.png' }) });

  const result = {
    node: process.version,
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    bareHono: { get: rps(bareGet), post: rps(barePost) },
    commsim: { get: rps(simGet), post: rps(simPost), store: 'file' },
    ratios: {
      get: Math.round((simGet.requests.average / bareGet.requests.average) * 100) / 100,
      post: Math.round((simPost.requests.average / barePost.requests.average) * 100) / 100,
    },
    startupMs,
    peakRssMb: peakRssMb(sim.proc.pid),
    targets: { get: 0.3, post: 0.25, startupMs: 1000 },
  };
  result.pass = result.ratios.get >= 0.3 && result.ratios.post >= 0.25 && startupMs < 1000;
  console.log(JSON.stringify(result, null, 2));
} finally {
  bare.proc?.kill('SIGKILL');
  sim.proc?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  rmSync(dataDir, { recursive: true, force: true });
}
