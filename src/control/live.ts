// Control routes for watching a workspace live: the event stream (server-sent events) and the
// list of registered injectors (what the dashboard builds its forms from). Mounted by the
// control app; errors are the control API's own (precise 4xx).
import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { invalid } from '../core/errors.js';
import type { JournalEntry, SimEvent } from '../core/journal.js';
import { LiveCursor } from '../core/live.js';
import type { Runtime } from '../core/runtime.js';
import type { Workspace } from '../core/workspace.js';
import { injectorFields } from './injectors.js';

type Wrap = (fn: (c: Context) => Promise<Response> | Response) => (c: Context) => Promise<Response>;

/** Real-time interval of the keep-alive comment (proxies drop idle streams). */
const HEARTBEAT_MS = 15_000;

/** Journal entries as the control API writes them (`at` in ISO 8601). */
export function journalView({ t, ...e }: JournalEntry): Record<string, unknown> {
  return { at: new Date(t).toISOString(), ...e };
}

function list(v: string | undefined): Set<string> | null {
  if (v === undefined || v === '') return null;
  return new Set(v.split(',').map((s) => s.trim()).filter(Boolean));
}

function seqParam(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw invalid(`${name} must be an event seq (an integer >= 0)`);
  return n;
}

export function mountLive(app: Hono, runtime: Runtime, wrap: Wrap): void {
  app.get('/injectors', (c) =>
    c.json({
      injectors: runtime.injectorList().map(({ kind, apis }) => ({ kind, apis, fields: injectorFields(runtime, kind, apis) })),
    }),
  );

  // GET /workspaces/{ws}/events/stream?type=a,b&api=x&since=N&requests=1
  // Sim events are `message`s with `id: <seq>` (EventSource resumes with Last-Event-ID);
  // `request` (journal entries, with requests=1), `clock`, `reset` and `deleted` carry no id.
  app.get(
    '/workspaces/:ws/events/stream',
    wrap((c) => {
      const id = c.req.param('ws')!;
      const first = runtime.require(id);
      first.sync();
      const types = list(c.req.query('type'));
      const apis = list(c.req.query('api'));
      const since = seqParam(c.req.query('since'), 'since');
      const lastId = seqParam(c.req.header('last-event-id'), 'Last-Event-ID');
      const withRequests = ['1', 'true', 'yes'].includes(c.req.query('requests') ?? '');
      // Last-Event-ID is the last one seen (resume after it); since is the first one wanted.
      const after = lastId !== undefined ? lastId : since !== undefined ? since - 1 : undefined;
      const cursor = new LiveCursor({ eventsAfter: after ?? first.events.lastSeq(), requestsFrom: withRequests ? 0 : first.journal.pushed });
      const eventOk = (e: SimEvent) => (!types || types.has(e.type)) && (!apis || apis.has(e.api));
      const requestOk = (r: JournalEntry) => !apis || apis.has(r.api);

      return streamSSE(c, async (stream) => {
        let chain: Promise<unknown> = Promise.resolve();
        let lastClock: { mode: string; speed: number; now: number; wall: number } | null = null;
        let ended = false;
        const send = (m: { event?: string; data: string; id?: string }) => {
          chain = chain.then(() => (stream.closed || stream.aborted ? undefined : stream.writeSSE(m))).catch(() => undefined);
        };
        let done!: () => void;
        const finished = new Promise<void>((r) => (done = r));
        const end = () => {
          if (ended) return;
          ended = true;
          unsubscribe();
          clearInterval(heartbeat);
          done();
        };
        const pump = (ws: Workspace | undefined) => {
          if (ended) return;
          const current = runtime.get(id);
          if (!current) {
            send({ event: 'deleted', data: JSON.stringify({ workspace: id }) });
            chain.then(end, end);
            return;
          }
          if (ws && ws !== current) return; // a replaced workspace object: the current one is read
          const { restarted, requests, events } = cursor.read(current);
          if (restarted) send({ event: 'reset', data: JSON.stringify({ workspace: id }) });
          // The clock when it is set or jumps: a running clock is extrapolated by the client.
          const view = current.clock.view();
          const now = Date.parse(view.now);
          const wall = runtime.hostNow();
          const expected = lastClock && (lastClock.mode === 'manual' ? lastClock.now : lastClock.now + (wall - lastClock.wall) * lastClock.speed);
          if (!lastClock || lastClock.mode !== view.mode || lastClock.speed !== view.speed || Math.abs(now - expected!) > 250) {
            lastClock = { mode: view.mode, speed: view.speed, now, wall };
            send({ event: 'clock', data: JSON.stringify(view) });
          }
          if (withRequests) for (const r of requests) if (requestOk(r)) send({ event: 'request', data: JSON.stringify(journalView(r)) });
          for (const e of events) if (eventOk(e)) send({ id: String(e.seq), data: JSON.stringify(e) });
        };
        const unsubscribe = runtime.live.subscribe(id, pump);
        const heartbeat = setInterval(() => {
          if (!runtime.get(id)) return pump(undefined);
          chain = chain.then(() => stream.write(': ping\n\n')).catch(end);
        }, HEARTBEAT_MS);
        heartbeat.unref?.();
        stream.onAbort(end);
        send({ event: 'hello', data: JSON.stringify({ workspace: id, lastSeq: first.events.lastSeq() }) });
        pump(undefined);
        await finished;
        await chain;
      });
    }),
  );
}
