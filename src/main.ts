#!/usr/bin/env node
// CLI entry: `commsim [start] [--port N] [--host H] [--data DIR|memory] [--scenario NAME] [--seed N] [--strict]`.
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { buildApp } from './app.js';
import { VERSION } from './version.js';
import { parseArgs, USAGE, type CliOptions } from './cli.js';
import { DataDirInUse } from './core/data-lock.js';
import { isSimError } from './core/errors.js';
import { startIdleGc } from './core/idle-gc.js';

/** Milliseconds since the process started (node's own boot included). */
const since = () => Math.round(performance.now());
const mainStarted = since();

async function main(): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`commsim: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const dataDir = opts.data === 'memory' ? null : resolve(opts.data);
  let built: Awaited<ReturnType<typeof buildApp>>;
  try {
    built = await buildApp({
      dataDir,
      seed: opts.seed,
      scenario: opts.scenario,
      strict: opts.strict,
      flushMs: opts.flushMs,
      limits: opts.limits,
    });
  } catch (e) {
    if (e instanceof DataDirInUse) {
      console.error(e.message);
      process.exit(1);
    }
    // A bad --scenario (unknown name, a file that does not validate): one line, no stack.
    if (isSimError(e)) {
      console.error(`commsim: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const { app, runtime, modules, phases } = built;
  const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info) => {
    const base = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${info.port}`;
    if (opts.timings) console.error(JSON.stringify({ startupPhases: { modulesImported: mainStarted, ...phases, listening: since() } }));
    // Load every operation's request validators now, so that no request waits for one.
    setImmediate(() => void built.warm());
    if (!opts.noIdleGc) startIdleGc(() => runtime.requests);
    if (opts.quiet) {
      console.log([`commsim listening on ${base}`, ...(runtime.startNotice ? [`commsim: ${runtime.startNotice}`] : [])].join('\n'));
      return;
    }
    const creds = runtime.get('default')!.credentials;
    const lines = [
      `commsim ${VERSION} listening on ${base}  (store: ${dataDir ?? 'memory'})`,
      `control API: ${base}/_sim   (health: ${base}/_sim/health)`,
      ...(runtime.startNotice ? [runtime.startNotice] : []),
      '',
      'APIs and the default workspace credentials:',
    ];
    for (const m of modules) {
      lines.push(`  ${m.id.padEnd(10)} ${base}${m.basePath}`);
      lines.push(`  ${''.padEnd(10)} ${m.credentials.describe(creds[m.id] ?? {})}`);
    }
    console.log(lines.join('\n'));
  });

  server.on('error', (e: NodeJS.ErrnoException) => {
    console.error(e.code === 'EADDRINUSE' ? `commsim: port ${opts.port} on ${opts.host} is in use; start with --port N` : `commsim: ${e.message}`);
    process.exit(1);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.close();
    await runtime.shutdown();
    if (!opts.quiet) console.log(`commsim: ${signal}, state flushed, bye`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
