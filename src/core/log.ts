// Structured logs (pino): one line per request and one per simulated event. Lines are written
// by pino's asynchronous destination (JSON) or a worker-thread transport (pretty), so a request
// pays for building one small object and nothing of the I/O. Simulated events are read after the
// request was answered (LiveBus), so only committed facts are logged, in their log order.
import type { Logger } from 'pino';
import type { JournalEntry, SimEvent } from './journal.js';
import { LiveCursor, type LiveBus } from './live.js';
import type { Workspace } from './workspace.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
export type LogFormat = 'json' | 'pretty';

/** What the router and the runtime log through; null when logging is off (tests, --quiet). */
export interface SimLogger {
  /** One served request of a simulated API (`workspace` null when its credentials named none), and its real duration. */
  request(entry: JournalEntry, workspace: string | null, durationMs: number): void;
  /** One control API request (`/_sim`): changes at info, reads at debug (a dashboard reads a lot). */
  control(line: { method: string; path: string; status: number; ms: number; workspace: string | null }): void;
  /** Starts logging the simulated events of every workspace (from now on for those in `existing`). */
  watch(bus: LiveBus, existing: Workspace[]): void;
  readonly pino: Logger;
  /** Writes what is buffered (before the process exits); `done` once written. */
  flush(done?: (err?: Error) => void): void;
}

/** Scenario faults and simulator bugs stand out; every other answer is a plain fact. */
function requestLevel(entry: JournalEntry): 'info' | 'warn' | 'error' {
  if (entry.fault) return 'warn';
  return entry.status >= 500 ? 'error' : 'info';
}

/** Events that say something went wrong in the simulator itself. */
const WARN_EVENTS = new Set(['sim.event_failed', 'sim.unknown_event']);

export async function createLogger(opts: { level: LogLevel; format: LogFormat; destination?: number | string }): Promise<SimLogger> {
  const { default: pino } = await import('pino');
  const dest = opts.destination ?? 1;
  const base = { level: opts.level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  const logger: Logger =
    opts.format === 'pretty'
      ? pino(
          base,
          pino.transport({
            target: 'pino-pretty',
            options: { destination: dest, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,method,path,status,durationMs', singleLine: true },
          }),
        )
      : pino(base, pino.destination({ dest, sync: false }));
  const withBodies = logger.isLevelEnabled('debug');
  return {
    pino: logger,
    request(e, workspace, durationMs) {
      const level = requestLevel(e);
      if (!logger.isLevelEnabled(level)) return;
      const line: Record<string, unknown> = {
        reqId: e.requestId,
        workspace,
        api: e.api,
        operationId: e.operationId,
        method: e.method,
        path: e.path,
        status: e.status,
        durationMs,
      };
      if (e.fault) line.fault = e.fault;
      if (withBodies) {
        if (e.requestBody !== undefined) line.requestBody = e.requestBody;
        if (e.responseBody !== undefined) line.responseBody = e.responseBody;
      }
      logger[level](line, `${e.method} ${e.path} ${e.status} ${durationMs}ms`);
    },
    control(l) {
      const level = l.status >= 500 ? 'error' : l.method === 'GET' || l.method === 'HEAD' ? 'debug' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level]({ control: true, workspace: l.workspace, method: l.method, path: l.path, status: l.status, durationMs: l.ms }, `${l.method} ${l.path} ${l.status} ${l.ms}ms`);
    },
    watch(bus, existing) {
      if (!logger.isLevelEnabled('info')) return;
      const cursors = new Map<string, LiveCursor>();
      // What the workspaces held at start was logged by an earlier run (or came from a snapshot).
      for (const ws of existing) {
        const cursor = new LiveCursor();
        cursor.skip(ws);
        cursors.set(ws.id, cursor);
      }
      bus.subscribe('*', (ws) => {
        let cursor = cursors.get(ws.id);
        if (!cursor) cursors.set(ws.id, (cursor = new LiveCursor()));
        if (ws.closed) return; // reset, replaced or deleted: the next workspace object takes over
        for (const ev of cursor.read(ws).events) logEvent(logger, ws.id, ev);
      });
    },
    flush(done) {
      logger.flush(done);
    },
  };
}

function logEvent(logger: Logger, workspace: string, ev: SimEvent): void {
  const level = WARN_EVENTS.has(ev.type) ? 'warn' : 'info';
  logger[level]({ event: ev.type, eventId: ev.seq, workspace, api: ev.api, at: ev.at, data: ev.data }, `${ev.api} ${ev.type}`);
}
