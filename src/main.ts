#!/usr/bin/env node
// CLI entry: `commsim [start] [--port N] [--host H] [--data DIR|memory] [--store redis://host:port[/db]] [--scenario NAME] [--seed N] [--strict]`.
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { buildApp } from './app.js';
import { VERSION } from './version.js';
import { parseArgs, USAGE, type CliOptions } from './cli.js';
import { DataDirInUse } from './core/data-lock.js';
import { isSimError } from './core/errors.js';
import { startIdleGc } from './core/idle-gc.js';
import type { SimLogger } from './core/log.js';

/** Milliseconds since the process started (node's own boot included). */
const since = () => Math.round(performance.now());
const mainStarted = since();

async function main(): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    // One line: a person reads it, a script checks the exit code (2: the command line is wrong).
    console.error(`commsim: ${(e as Error).message} (see commsim --help)`);
    process.exit(2);
  }
  const dataDir = opts.data === 'memory' ? null : resolve(opts.data);
  const logger = await startLogger(opts);
  let built: Awaited<ReturnType<typeof buildApp>>;
  try {
    built = await buildApp({
      dataDir,
      store: opts.store,
      seed: opts.seed,
      scenario: opts.scenario,
      strict: opts.strict,
      flushMs: opts.flushMs,
      limits: opts.limits,
      logger,
    });
  } catch (e) {
    if (e instanceof DataDirInUse) {
      console.error(e.message);
      process.exit(1);
    }
    const why = startError(e, dataDir);
    if (why === undefined) throw e; // a bug: its stack helps
    console.error(`commsim: ${why}`);
    process.exit(2);
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
    const def = runtime.get('default')!;
    const creds = def.credentials;
    const lines = [
      `commsim ${VERSION} listening on ${base}`,
      `  store: ${opts.store ? `${runtime.fleet?.url} (shared: a fleet)` : dataDir ?? 'memory (nothing kept on disk)'} · seed: ${String(def.init.seed)} · scenario: ${def.init.scenario?.name ?? 'none'} · strict: ${opts.strict ? 'on' : 'off'}`,
      `control API: ${base}/_sim   (health: ${base}/_sim/health)`,
      `dashboard:   ${base}/_sim/dashboard`,
      ...(runtime.startNotice ? [runtime.startNotice] : []),
      '',
      'APIs, their docs and the default workspace credentials:',
    ];
    for (const m of modules) {
      lines.push(`  ${m.id.padEnd(10)} ${base}${m.basePath}`);
      lines.push(`  ${''.padEnd(10)} docs: ${base}/_sim/docs/${m.id}`);
      lines.push(`  ${''.padEnd(10)} ${m.credentials.describe(creds[m.id] ?? {})}`);
    }
    // On stdout in every format (scripts wait for it there); JSON log lines follow it.
    console.log(lines.join('\n'));
  });

  server.on('error', (e: NodeJS.ErrnoException) => {
    const why =
      e.code === 'EADDRINUSE'
        ? `port ${opts.port} on ${opts.host} is in use; start with --port N`
        : e.code === 'EACCES'
          ? `port ${opts.port} on ${opts.host} needs privileges; start with --port N (1024 or above)`
          : e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND'
            ? `cannot listen on host ${opts.host} (${e.code}); start with --host 127.0.0.1`
            : e.message;
    console.error(`commsim: ${why}`);
    process.exit(2);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.close();
    await runtime.shutdown();
    logger?.flush();
    if (!opts.quiet) console.log(`commsim: ${signal}, state flushed, bye`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function logFormat(opts: CliOptions): 'json' | 'pretty' {
  return opts.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json');
}

/**
 * The request and event log. --quiet means no log at all (the bench and scripted runs pay
 * nothing for it, pino is not even loaded) unless --log-level asks for one.
 */
async function startLogger(opts: CliOptions): Promise<SimLogger | null> {
  if (opts.quiet && !opts.logLevel) return null;
  const level = opts.logLevel ?? 'info';
  if (level === 'silent') return null;
  const { createLogger } = await import('./core/log.js');
  return createLogger({ level, format: logFormat(opts) });
}

/** A start-up failure the user can fix, in one line; undefined for anything else (a bug). */
function startError(e: unknown, dataDir: string | null): string | undefined {
  if (isSimError(e)) return e.message;
  if (e instanceof Error && e.message.startsWith('--store')) return e.message;
  const err = e as NodeJS.ErrnoException;
  const where = err.path ?? dataDir ?? '';
  switch (err?.code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return `the data directory ${dataDir} cannot be used: ${where} is not a directory`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `the data directory ${dataDir} is not writable (${err.code} on ${where})`;
    case 'ENOSPC':
      return `no space left for the data directory ${dataDir}`;
    default:
      return undefined;
  }
}

void main();
