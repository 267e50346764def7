// A real redis-server (Debian's package) for the tests: started on a free loopback port in a
// temporary directory, with AOF when asked (restart tests), stopped at the end. No container.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  /** Stops it (SIGKILL: nothing written on the way out beyond what AOF holds). */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (AOF replayed). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The redis-server binary, or null when the machine has none (`apt-get install redis-server`). */
export function redisServerBinary(): string | null {
  for (const p of [process.env.REDIS_SERVER, '/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (p && spawnSync(p, ['--version']).status === 0) return p;
  }
  const r = spawnSync('sh', ['-c', 'command -v redis-server']);
  return r.status === 0 ? r.stdout.toString().trim() || null : null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.end();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > until) reject(new Error(`redis-server did not listen on ${port} within ${deadlineMs} ms`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

export async function startRedis(opts: { aof?: boolean } = {}): Promise<RedisServer> {
  const bin = redisServerBinary();
  if (!bin) throw new Error('redis-server not found: install it (apt-get install redis-server) or set REDIS_SERVER');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'commsim-redis-'));
  let child: ChildProcess | null = null;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--protected-mode', 'no', '--loglevel', 'warning'];
  if (opts.aof) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  else args.push('--appendonly', 'no');
  const launch = async () => {
    child = spawn(bin, args, { stdio: 'ignore' });
    await waitForPort(port, 20_000);
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGKILL');
    });
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    kill,
    restart: launch,
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
