// Command-line options of `commsim`.
import { LOG_LEVELS, type LogFormat, type LogLevel } from './core/log.js';
import { VERSION } from './version.js';

export interface CliOptions {
  port: number;
  host: string;
  data: string;
  /** A shared store for a fleet of instances (redis://host:port[/db]); the data directory when absent. */
  store?: string;
  scenario?: string;
  seed?: number | string;
  strict: boolean;
  flushMs?: number;
  quiet: boolean;
  /** Print the start-up phases (ms since process start) as JSON on stderr. */
  timings: boolean;
  /** Do not collect garbage when the server goes idle after a burst. */
  noIdleGc: boolean;
  /** Caps of each workspace's buffers (requests kept in the journal, events, ledger entries). */
  limits: { journal?: number; events?: number; ledgerEntries?: number };
  /** Log level (default info; with --quiet no request or event log unless a level is given). */
  logLevel?: LogLevel;
  /** Log lines as JSON or pretty text (default: pretty on a terminal, JSON otherwise). */
  logFormat?: LogFormat;
}

export const USAGE = `commsim ${VERSION}: stateful simulator of the Syniverse SCG, Dolist, Clevermultimedias and additiv DFS APIs

usage: commsim [start] [options]
  --port N          port to listen on (default: $PORT or 4010)
  --host H          interface to bind (default 127.0.0.1)
  --data DIR        data directory (default ./.commsim), or "memory" for no persistence
  --store URL       redis://host:port[/db]: keep the workspaces in Redis, shared by every instance
                    started on it (a fleet; default: $COMMSIM_STORE, else the data directory)
  --scenario NAME   scenario of the default workspace: scenarios/NAME.yaml, or a path to a .yaml file;
                    on a data dir that holds it already, a different scenario or seed resets it
  --seed N          RNG seed of the default workspace and of new ones (default: the scenario's, else 1)
  --strict          validate every response against the spec
  --flush-ms N      write-behind delay of the store (default 100)
  --quiet           no banner, and no request or event log unless --log-level is given
  --log-level L     trace|debug|info|warn|error|fatal|silent (default info; debug adds the bodies)
  --log-format F    json|pretty (default: pretty on a terminal, JSON lines otherwise)
  --timings         print the start-up phases as JSON on stderr
  --no-idle-gc      keep V8's heap after a burst (default: a full collection once idle 1 s)
  --journal N       requests kept in each workspace's journal (default 1000)
  --events N        events kept per workspace (default 10000)
  --ledger-entries N  ledger entries kept per workspace (default 20000)
  -h, --help        this help`;

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const args = [...argv];
  if (args[0] === 'start') args.shift();
  const opts: CliOptions = {
    port: env.PORT ? Number(env.PORT) : 4010,
    host: '127.0.0.1',
    data: './.commsim',
    store: env.COMMSIM_STORE || undefined,
    strict: false,
    quiet: false,
    timings: false,
    noIdleGc: false,
    limits: {},
  };
  const count = (name: string): number => {
    const n = Number(value(name));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be an integer >= 0`);
    return n;
  };
  const value = (name: string): string => {
    const v = args.shift();
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  while (args.length) {
    let a = args.shift()!;
    if (a.includes('=') && a.startsWith('--')) {
      const [k, v] = [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)];
      args.unshift(v);
      a = k;
    }
    switch (a) {
      case '--port': {
        const v = value(a);
        opts.port = /^\d+$/.test(v) ? Number(v) : NaN;
        break;
      }
      case '--host':
        opts.host = value(a);
        break;
      case '--data':
        opts.data = value(a);
        break;
      case '--store': {
        const v = value(a);
        if (!/^rediss?:\/\//.test(v)) throw new Error('--store must be a redis://host:port[/db] URL');
        opts.store = v;
        break;
      }
      case '--scenario':
        opts.scenario = value(a);
        break;
      case '--seed': {
        const v = value(a);
        opts.seed = /^-?\d+$/.test(v) ? Number(v) : v;
        break;
      }
      case '--strict':
        opts.strict = true;
        break;
      case '--flush-ms': {
        const v = value(a);
        opts.flushMs = /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
        break;
      }
      case '--quiet':
        opts.quiet = true;
        break;
      case '--timings':
        opts.timings = true;
        break;
      case '--no-idle-gc':
        opts.noIdleGc = true;
        break;
      case '--log-level': {
        const v = value(a) as LogLevel;
        if (!LOG_LEVELS.includes(v)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
        opts.logLevel = v;
        break;
      }
      case '--log-format': {
        const v = value(a);
        if (v !== 'json' && v !== 'pretty') throw new Error('--log-format must be json or pretty');
        opts.logFormat = v;
        break;
      }
      case '--journal':
        opts.limits.journal = count(a);
        break;
      case '--events':
        opts.limits.events = count(a);
        break;
      case '--ledger-entries':
        opts.limits.ledgerEntries = count(a);
        break;
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error(env.PORT && !argv.includes('--port') && !argv.some((x) => x.startsWith('--port=')) ? 'PORT must be 0-65535' : '--port must be 0-65535');
  if (opts.store !== undefined && !/^rediss?:\/\//.test(opts.store)) throw new Error('COMMSIM_STORE must be a redis://host:port[/db] URL');
  if (opts.flushMs !== undefined && !(opts.flushMs >= 0)) throw new Error('--flush-ms must be a number >= 0');
  return opts;
}

