// The built CLI as a person meets it: --help names every flag, a mistake is one line on stderr
// and exit code 2 (never a stack trace), the banner says what runs, and the logs are JSON lines.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// What `npm start` and the `commsim` bin run: the bundled server.
const MAIN = new URL('../dist/bundle/main.js', import.meta.url).pathname;
const CLI_SRC = new URL('../src/cli.ts', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const run = (args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 30_000 });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts the CLI; resolves once `ready` matches what it printed. */
function startCli(args: string[], ready: RegExp): Promise<{ out: () => string; err: () => string; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${err}`)), 20_000);
    const check = () => {
      if (ready.test(out + err)) {
        clearTimeout(timer);
        resolve({
          out: () => out,
          err: () => err,
          stop: () => new Promise<void>((r) => (proc.exitCode !== null ? r() : (proc.once('exit', () => r()), proc.kill('SIGTERM')))),
        });
      }
    };
    proc.stdout.on('data', (d) => ((out += d), check()));
    proc.stderr.on('data', (d) => ((err += d), check()));
    proc.once('exit', (code) => reject(new Error(`CLI exited ${code}: ${err}`)));
  });
}

function oneLineError(r: ReturnType<typeof run>, pattern: RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.trim());
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^commsim: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('CLI manners', () => {
  it('--help lists every flag the parser reads', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    const flags = [...readFileSync(CLI_SRC, 'utf8').matchAll(/case '(--?[a-z-]+)'/g)].map((m) => m[1]);
    expect(flags.length).toBeGreaterThan(15);
    for (const f of flags) expect(r.stdout, f).toContain(f);
  });

  it('refuses an unknown flag, a bad value and an unknown scenario in one line, exit code 2', () => {
    oneLineError(run(['--bogus']), /unknown option --bogus/);
    oneLineError(run(['--port', 'abc']), /--port must be 0-65535/);
    oneLineError(run(['--log-level', 'loud']), /--log-level must be one of/);
    oneLineError(run(['--log-format', 'xml']), /--log-format must be json or pretty/);
    oneLineError(run(['--journal', '-3']), /--journal must be an integer/);
    oneLineError(run(['--data', 'memory', '--port', '0', '--scenario', 'no-such-scenario']), /unknown scenario "no-such-scenario"/);
  });

  it('refuses a data path that is not a directory, or below a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'commsim-cli-'));
    dirs.push(dir);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    oneLineError(run(['--data', file, '--port', '0']), /data directory .*a-file.* not a directory/);
    oneLineError(run(['--data', join(file, 'below'), '--port', '0']), /not a directory/);
  });

  it('refuses a port in use', async () => {
    const port = await freePort();
    const blocker: Server = await new Promise((r) => {
      const s = createServer().listen(port, '127.0.0.1', () => r(s));
    });
    try {
      oneLineError(run(['--data', 'memory', '--port', String(port)]), new RegExp(`port ${port} on 127.0.0.1 is in use`));
    } finally {
      blocker.close();
    }
  });

  it('prints a banner naming the store, seed, scenario, strict mode, dashboard and docs; logs JSON lines', async () => {
    const port = await freePort();
    const cli = await startCli(['--data', 'memory', '--port', String(port), '--seed', '9', '--log-format', 'json'], /docs: .*clever\n.*\n/);
    try {
      // The banner first on stdout, then one JSON object a line.
      const banner = cli.out();
      expect(banner).toContain('store: memory');
      expect(banner).toContain('seed: 9');
      expect(banner).toContain('scenario: none');
      expect(banner).toContain('strict: off');
      expect(banner).toContain(`http://127.0.0.1:${port}/_sim/dashboard`);
      expect(banner).toContain(`http://127.0.0.1:${port}/_sim/docs/syniverse`);
      const base = `http://127.0.0.1:${port}`;
      const res = await fetch(`${base}/syniverse/scg-external-api/api/v1/messaging/sender_ids`, { headers: { authorization: 'Bearer commsim-syniverse-token' } });
      const rid = res.headers.get('x-request-id');
      await fetch(`${base}/_sim/workspaces/default/inject/mo-message`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api: 'syniverse', from: '+15551234567', to: '+15550100001', body: 'HELLO' }),
      });
      const lines = async () => cli.out().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      await expect.poll(async () => (await lines()).some((l) => l.event === 'mo_message_received'), { timeout: 10_000 }).toBe(true);
      const all = await lines();
      expect(all.find((l) => l.reqId === rid)).toMatchObject({ level: 30, workspace: 'default', api: 'syniverse', method: 'GET', status: 200, operationId: expect.any(String), durationMs: expect.any(Number) });
      expect(all.find((l) => l.event === 'mo_message_received')).toMatchObject({ workspace: 'default', api: 'syniverse', eventId: expect.any(Number) });
      expect(all.find((l) => l.control && l.path === '/_sim/workspaces/default/inject/mo-message')).toMatchObject({ level: 30, method: 'POST', status: 200, workspace: 'default' });
      for (const l of all) expect(Date.parse(l.time)).not.toBeNaN();
    } finally {
      await cli.stop();
    }
  });

  it('--quiet prints one line and logs nothing', async () => {
    const port = await freePort();
    const cli = await startCli(['--data', 'memory', '--port', String(port), '--quiet'], /listening/);
    try {
      await fetch(`http://127.0.0.1:${port}/syniverse/scg-external-api/api/v1/messaging/sender_ids`, { headers: { authorization: 'Bearer commsim-syniverse-token' } });
      await new Promise((r) => setTimeout(r, 300)); // what a log would have written by now
      expect(cli.out().trim().split('\n')).toEqual([`commsim listening on http://127.0.0.1:${port}`]);
      expect(cli.err()).toBe('');
    } finally {
      await cli.stop();
    }
  });
});
