// The built CLI with --scenario and --seed: a bundled name or a .yaml path, the banner saying what
// happened to the default workspace of a data directory (created, resumed, reset), and one-line
// refusals of unknown or invalid scenarios.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'commsim-sc-'));
  dirs.push(d);
  return d;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Started {
  proc: ChildProcess;
  base: string;
  /** stdout up to and including the banner. */
  banner: string;
}

/** Starts the CLI and waits for its banner (the line after which it serves). */
async function start(args: string[]): Promise<Started> {
  const port = await freePort();
  const proc = spawn(process.execPath, [MAIN, '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 20 s: ${out} ${err}`)), 20_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      if (/credentials:\n(.*\n){4}/.test(out) || /listening on .*\n(commsim: .*\n)?$/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${err}`));
    });
  });
  return { proc, base: `http://127.0.0.1:${port}`, banner: out };
}

/** Runs the CLI to its exit (a refusal), with its stderr. */
async function refused(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const proc = spawn(process.execPath, [MAIN, '--port', '0', '--data', 'memory', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  procs.push(proc);
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => proc.once('exit', r));
  return { code, stderr };
}

const stop = (proc: ChildProcess) => new Promise<void>((r) => (proc.exitCode !== null ? r() : (proc.once('exit', () => r()), proc.kill('SIGTERM'))));
const get = async (base: string, path: string) => (await fetch(`${base}${path}`)).json();

describe('--scenario and --seed', () => {
  it('a bundled name sets the default workspace up, and the banner says so', async () => {
    const s = await start(['--data', 'memory', '--scenario', 'sms-delivery-mix']);
    expect(s.banner).toContain('workspace default: scenario sms-delivery-mix, seed 7');
    expect(await get(s.base, '/_sim/workspaces/default')).toMatchObject({ scenario: 'sms-delivery-mix', seed: 7, clock: { mode: 'manual', now: '2026-01-05T09:00:00.000Z' } });
    await stop(s.proc);
    // --seed wins over the scenario's own seed.
    const t = await start(['--data', 'memory', '--scenario', 'sms-delivery-mix', '--seed', '8', '--quiet']);
    expect(t.banner).toContain('commsim: workspace default: scenario sms-delivery-mix, seed 8');
    expect((await get(t.base, '/_sim/workspaces/default')).seed).toBe(8);
    await stop(t.proc);
  });

  it('a path to a .yaml file is loaded; an unknown name or an invalid file stops with one line', async () => {
    const dir = tempDir();
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, 'description: mine\nseed: 3\nclock: { mode: manual, start: "2026-05-01T00:00:00Z" }\ncredit: { syniverse: 2 }\n');
    const s = await start(['--data', 'memory', '--scenario', file, '--quiet']);
    expect(await get(s.base, '/_sim/workspaces/default')).toMatchObject({ scenario: 'mine', seed: 3 });
    expect((await get(s.base, '/_sim/workspaces/default/credit/syniverse')).balance).toBe(2);
    await stop(s.proc);

    const unknown = await refused(['--scenario', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('commsim: unknown scenario "nope" (known: call-center, carrier-outage, clever-campaign, client-onboarding, credit-runs-out, dolist-campaign, flaky-carrier, sms-delivery-mix)\n');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'rules:\n  - on: message\n    outcome: { state: FAILED }\n  - on: sms\n    outcome: {}\n');
    const invalidFile = await refused(['--scenario', bad]);
    expect(invalidFile.code).toBe(2);
    expect(invalidFile.stderr).toBe(`commsim: invalid scenario ${bad}: rules[1].on: must be one of "message", "message-submit", "call", "inbound-call", "job", "push", "campaign-recipient" (line 4)\n`);
  });

  it('on a data directory holding the default workspace: the same settings resume it, others reset it, and the banner says which', async () => {
    const dir = tempDir();
    let s = await start(['--data', dir, '--scenario', 'carrier-outage']);
    expect(s.banner).toContain('workspace default: scenario carrier-outage, seed 42');
    const send = (base: string) =>
      fetch(`${base}/syniverse/scg-external-api/api/v1/messaging/message_requests`, { headers: { authorization: 'Bearer commsim-syniverse-token' } });
    expect((await send(s.base)).status).toBe(200);
    await fetch(`${s.base}/_sim/workspaces/default/credit/syniverse`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ balance: 3.5 }) });
    await stop(s.proc);

    s = await start(['--data', dir, '--scenario', 'carrier-outage']);
    expect(s.banner).toContain('workspace default resumed as stored (scenario carrier-outage, seed 42, as given)');
    expect((await get(s.base, '/_sim/workspaces/default/credit/syniverse')).balance).toBe(3.5); // state kept
    await stop(s.proc);

    s = await start(['--data', dir]);
    expect(s.banner).not.toMatch(/workspace default/); // nothing given: resumed, nothing to say
    expect((await get(s.base, '/_sim/workspaces/default')).scenario).toBe('carrier-outage');
    await stop(s.proc);

    s = await start(['--data', dir, '--scenario', 'credit-runs-out']);
    expect(s.banner).toContain('workspace default was reset to scenario credit-runs-out, seed 11 (it held scenario carrier-outage, seed 42; its records were discarded)');
    expect((await get(s.base, '/_sim/workspaces/default/credit/syniverse')).balance).toBe(0.0237);
    await stop(s.proc);

    s = await start(['--data', dir, '--seed', '99']);
    expect(s.banner).toContain('workspace default was reset to scenario credit-runs-out, seed 99 (it held scenario credit-runs-out, seed 11; its records were discarded)');
    expect((await get(s.base, '/_sim/workspaces/default')).seed).toBe(99);
    // Credentials of the default workspace stay the documented ones.
    expect((await send(s.base)).status).toBe(200);
    await stop(s.proc);
  });
});
