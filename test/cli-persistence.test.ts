// The built CLI as a user runs it: answers /_sim/health quickly, keeps state across restarts on a
// data dir (pending events included) and loses no acknowledged write older than 250 ms on kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// What `npm start` and the `commsim` bin run: the bundled server.
const MAIN = new URL('../dist/bundle/main.js', import.meta.url).pathname;
const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterAll(() => {
  for (const p of procs) p.kill('SIGKILL');
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

async function start(args: string[]): Promise<{ proc: ChildProcess; base: string; readyMs: number }> {
  const port = await freePort();
  const t0 = Date.now();
  const proc = spawn(process.execPath, [MAIN, '--port', String(port), '--quiet', ...args], { stdio: 'ignore' });
  procs.push(proc);
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      const r = await fetch(`${base}/_sim/health`);
      if (r.ok) return { proc, base, readyMs: Date.now() - t0 };
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > 10_000) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const stop = (proc: ChildProcess, signal: NodeJS.Signals) => new Promise<void>((r) => (proc.exitCode !== null ? r() : (proc.once('exit', () => r()), proc.kill(signal))));
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('CLI and persistence', () => {
  it('starts on the memory store and answers /_sim/health (startup time is measured in bench/)', async () => {
    const { proc, base } = await start(['--data', 'memory']);
    expect((await (await fetch(`${base}/_sim/health`)).json()).status).toBe('ok');
    await stop(proc, 'SIGTERM');
  });

  it('keeps workspaces, records and pending events across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'commsim-'));
    dirs.push(dir);
    let s = await start(['--data', dir]);
    const ws = await (await fetch(`${s.base}/_sim/workspaces`, json({ id: 'p1', clock: { mode: 'manual', now: '2026-01-05T12:00:00Z' } }))).json();
    const auth = { authorization: `Bearer ${ws.credentials.syniverse.token}`, 'content-type': 'application/json' };
    const SYN = `${s.base}/syniverse/scg-external-api/api/v1`;
    const req = await (await fetch(`${SYN}/messaging/message_requests`, { method: 'POST', headers: auth, body: JSON.stringify({ from: 'sender_id:sender-default-longcode', to: ['+15551237001'], body: 'x' }) })).json();
    await stop(s.proc, 'SIGTERM');

    s = await start(['--data', dir]);
    const SYN2 = `${s.base}/syniverse/scg-external-api/api/v1`;
    const before = await (await fetch(`${SYN2}/messaging/message_requests/${req.id}/messages`, { headers: auth })).json();
    expect(before.list[0].state).toBe('CREATED');
    await fetch(`${s.base}/_sim/workspaces/p1/clock/advance`, json({ ms: 5000 }));
    const after = await (await fetch(`${SYN2}/messaging/message_requests/${req.id}/messages`, { headers: auth })).json();
    expect(after.list[0].state).toBe('DELIVERED');
    await stop(s.proc, 'SIGTERM');
  });

  it('loses no acknowledged write older than 250 ms on kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'commsim-'));
    dirs.push(dir);
    let s = await start(['--data', dir]);
    const ws = await (await fetch(`${s.base}/_sim/workspaces`, json({ id: 'k9' }))).json();
    const auth = { authorization: `Bearer ${ws.credentials.syniverse.token}`, 'content-type': 'application/json' };
    const SYN = `${s.base}/syniverse/scg-external-api/api/v1`;
    const acked: Array<{ id: string; at: number }> = [];
    const t0 = Date.now();
    let n = 0;
    const writers = Array.from({ length: 4 }, async () => {
      while (Date.now() - t0 < 800) {
        const r = await fetch(`${SYN}/messaging/channels`, { method: 'POST', headers: auth, body: JSON.stringify({ name: `ch-${n++}` }) });
        if (r.status === 200) acked.push({ id: (await r.json()).id, at: Date.now() });
      }
    });
    await Promise.all(writers);
    const killedAt = Date.now();
    s.proc.kill('SIGKILL');
    await stop(s.proc, 'SIGKILL');
    s = await start(['--data', dir]);
    const list = await (await fetch(`${s.base}/syniverse/scg-external-api/api/v1/messaging/channels?limit=1000`, { headers: auth })).json();
    const have = new Set(list.list.map((x: { id: string }) => x.id));
    const old = acked.filter((a) => killedAt - a.at > 250);
    expect(acked.length).toBeGreaterThan(20);
    expect(old.filter((a) => !have.has(a.id))).toEqual([]);
    await stop(s.proc, 'SIGTERM');
  });
});
