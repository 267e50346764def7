// One server per data directory, as a user meets it with the built CLI: a second instance on a
// directory in use exits non-zero with one line on stderr naming the directory, while the first
// keeps serving; once the first has exited (cleanly, or killed with its lock left behind) a new
// instance starts on the same directory and finds the state there.
// The CLI's flag is `--data DIR` (src/cli.ts); there is no `--data-dir` spelling.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// What `npm start` and the `commsim` bin run: the bundled server.
const MAIN = new URL('../dist/bundle/main.js', import.meta.url).pathname;
const START_TIMEOUT_MS = 20_000;
const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterAll(() => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Instance {
  proc: ChildProcess;
  base: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function spawnCli(dir: string): Promise<Instance> {
  const port = await freePort();
  const proc = spawn(process.execPath, [MAIN, '--port', String(port), '--quiet', '--data', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  procs.push(proc);
  let err = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  return { proc, base: `http://127.0.0.1:${port}`, stderr: () => err, exited };
}

/** Resolves once /_sim/health answers; rejects if the process exits first or takes too long. */
async function ready(i: Instance): Promise<void> {
  const t0 = Date.now();
  let gone = false;
  void i.exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`server exited before listening: ${i.stderr()}`);
    try {
      const r = await fetch(`${i.base}/_sim/health`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > START_TIMEOUT_MS) throw new Error(`server did not start within ${START_TIMEOUT_MS} ms: ${i.stderr()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startCli(dir: string): Promise<Instance> {
  const i = await spawnCli(dir);
  await ready(i);
  return i;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms))]);

const stop = async (i: Instance, signal: NodeJS.Signals) => {
  if (i.proc.exitCode === null && i.proc.signalCode === null) i.proc.kill(signal);
  return withTimeout(i.exited, START_TIMEOUT_MS, `stopping pid ${i.proc.pid}`);
};

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'commsim-lock-'));
  dirs.push(dir);
  return dir;
}

describe('data directory lock', () => {
  it('refuses a second instance with one stderr line naming the directory; the first keeps serving; a new one starts after it exits', async () => {
    const dir = tempDir();
    const first = await startCli(dir);
    expect(existsSync(join(dir, 'commsim.lock'))).toBe(true);
    expect(readFileSync(join(dir, 'commsim.lock'), 'utf8').trim()).toBe(String(first.proc.pid));
    expect((await post(`${first.base}/_sim/workspaces`, { id: 'lock-a' })).status).toBe(201);

    const second = await spawnCli(dir);
    const { code } = await withTimeout(second.exited, START_TIMEOUT_MS, 'second instance');
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    const lines = second.stderr().split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(dir);
    expect(lines[0]).toMatch(/in use/);
    // The refused instance neither took nor removed the lock.
    expect(readFileSync(join(dir, 'commsim.lock'), 'utf8').trim()).toBe(String(first.proc.pid));

    // The first one is unaffected: it still answers and still writes.
    expect((await fetch(`${first.base}/_sim/health`)).ok).toBe(true);
    expect((await post(`${first.base}/_sim/workspaces`, { id: 'lock-b' })).status).toBe(201);
    const exit = await stop(first, 'SIGTERM');
    expect(exit.code).toBe(0);
    expect(existsSync(join(dir, 'commsim.lock'))).toBe(false);

    const third = await startCli(dir);
    const ids = ((await (await fetch(`${third.base}/_sim/workspaces`)).json()) as { workspaces: Array<{ id: string }> }).workspaces.map((w) => w.id);
    expect(ids).toEqual(expect.arrayContaining(['lock-a', 'lock-b']));
    expect(readFileSync(join(dir, 'commsim.lock'), 'utf8').trim()).toBe(String(third.proc.pid));
    await stop(third, 'SIGTERM');
  }, 90_000);

  it('takes over the lock a killed instance left behind', async () => {
    const dir = tempDir();
    const first = await startCli(dir);
    expect((await post(`${first.base}/_sim/workspaces`, { id: 'lock-k' })).status).toBe(201);
    await post(`${first.base}/_sim/workspaces/lock-k/flush`, {});
    await stop(first, 'SIGKILL');
    expect(existsSync(join(dir, 'commsim.lock'))).toBe(true); // no exit handler ran

    const next = await startCli(dir);
    expect(readFileSync(join(dir, 'commsim.lock'), 'utf8').trim()).toBe(String(next.proc.pid));
    expect((await fetch(`${next.base}/_sim/workspaces/lock-k`)).status).toBe(200);
    await stop(next, 'SIGTERM');
  }, 90_000);
});
