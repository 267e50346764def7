// The package entry: `import { startSimulator } from 'commsim'` for a user's own test suite.
// It starts the whole simulator in the calling process on a free loopback port (memory store
// unless told otherwise), makes one workspace for the caller (scenario, seed, clock), and hands
// back the APIs' base URLs, that workspace's credentials and a typed client of the control API.
// The client speaks HTTP to `/_sim` like any other tool would: what a test does through it is
// what the control API contract promises (DESIGN.md), nothing in-process only.
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { buildApp } from './app.js';
import type { SimEvent } from './core/journal.js';
import { parseOffset } from './core/scenario.js';

export interface SimulatorOptions {
  /** A bundled scenario name (`scenarios/NAME.yaml`) for the workspace. */
  scenario?: string;
  /** Seed of the workspace's random choices (default: the scenario's, else 1). */
  seed?: number | string;
  /** The workspace clock; `manual` (the default here) moves only when told to. */
  clock?: { mode?: 'manual' | 'realtime'; now?: string; speed?: number };
  /** `memory` (default), a data directory, or a shared Redis (`{ redis: 'redis://host:port[/db]' }`: a fleet member). */
  store?: 'memory' | { dir: string } | { redis: string };
  /** Workspace id (default `test`). */
  workspace?: string;
  /** Port (default: a free one) and host (default 127.0.0.1). */
  port?: number;
  host?: string;
  /** Check every API response against its spec (a mismatch is a 500 naming it). Default true. */
  strict?: boolean;
}

export type { SimEvent } from './core/journal.js';

export interface ClockView {
  now: string;
  mode: 'manual' | 'realtime';
  speed: number;
}

export interface Ledger {
  balance: number;
  currency: string;
  entries: Array<{ at: string; amount: number; reason: string; ref?: string | null }>;
}

export interface ApiEndpoint {
  /** Base URL of the API's operations (e.g. `http://127.0.0.1:PORT/syniverse/scg-external-api/api/v1`). */
  baseUrl: string;
  /** The workspace's credentials for it (token, login/password ...). */
  credentials: Record<string, unknown>;
}

export interface WaitOptions {
  /** Give up after this much real time (default 5000 ms). */
  timeoutMs?: number;
  /** On a manual clock: advance the virtual clock by this much between looks (default 0: don't). */
  advanceMs?: number;
  /** Only events of this type / API. */
  type?: string;
  api?: string;
}

export interface Simulator {
  /** Server root, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The workspace made for this simulator. */
  workspace: string;
  apis: Record<string, ApiEndpoint>;
  credentials: Record<string, Record<string, unknown>>;
  /** Moves a manual clock forward; due events fire in time order. */
  advanceClock(by: number | string): Promise<{ now: string; fired: number }>;
  setClock(clock: { mode?: 'manual' | 'realtime'; now?: string; speed?: number }): Promise<ClockView>;
  clock(): Promise<ClockView>;
  /** Makes the outside world act: `mo-message`, `dtmf`, `inbound-call` ... */
  inject(kind: string, body: Record<string, unknown>): Promise<unknown>;
  events(filter?: { type?: string; api?: string; since?: number; limit?: number }): Promise<SimEvent[]>;
  /** The first event (from now on, or already recorded) that satisfies `predicate`. */
  waitFor(predicate: (event: SimEvent) => boolean, opts?: WaitOptions): Promise<SimEvent>;
  /** Raw records of one collection of one API. */
  state(api: string, collection: string): Promise<unknown>;
  credit(api: string): Promise<Ledger>;
  setCredit(api: string, balance: number): Promise<Ledger>;
  /** Back to the workspace's initial state (fixtures, scenario, clock); credentials stay. */
  reset(): Promise<void>;
  /** Stops the server. */
  stop(): Promise<void>;
}

/** A control API answer that is not 2xx. */
export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const store = opts.store;
  const dataDir = !store || store === 'memory' || !('dir' in store) ? null : resolve(store.dir);
  const redis = store && store !== 'memory' && 'redis' in store ? store.redis : undefined;
  const built = await buildApp({ dataDir, store: redis, strict: opts.strict ?? true, quiet: true } as Parameters<typeof buildApp>[0]);
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((ok, fail) => {
    const s = serve({ fetch: built.app.fetch, port: opts.port ?? 0, hostname: host }, () => ok(s));
    s.once('error', fail);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  await built.warm();

  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new SimulatorError(res.status, parsed, `${method} /_sim${path}: ${res.status} ${parsed?.error?.message ?? text}`);
    return parsed as T;
  };

  const stop = async () => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    // An event stream still open (a dashboard, a waitFor) would hold close() until it hangs up.
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await closed;
    await built.runtime.shutdown();
  };

  let created: { id: string; credentials: Record<string, Record<string, unknown>> };
  try {
    created = await control('POST', '/workspaces', {
      id: opts.workspace ?? 'test',
      scenario: opts.scenario,
      seed: opts.seed,
      clock: { mode: 'manual', ...(opts.clock ?? {}) },
    });
  } catch (e) {
    await stop();
    throw e;
  }
  const ws = `/workspaces/${encodeURIComponent(created.id)}`;
  const apis: Record<string, ApiEndpoint> = {};
  for (const m of built.modules) apis[m.id] = { baseUrl: `${url}${m.basePath}`, credentials: created.credentials[m.id] ?? {} };

  const events: Simulator['events'] = async (filter = {}) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    return (await control<{ events: SimEvent[] }>('GET', `${ws}/events${qs ? `?${qs}` : ''}`)).events;
  };

  return {
    url,
    workspace: created.id,
    apis,
    credentials: created.credentials,
    advanceClock: (by) => control('POST', `${ws}/clock/advance`, { ms: parseOffset(by) }),
    setClock: (clock) => control('POST', `${ws}/clock`, clock),
    clock: () => control('GET', `${ws}/clock`),
    inject: (kind, body) => control('POST', `${ws}/inject/${encodeURIComponent(kind)}`, body),
    events,
    async waitFor(predicate, o = {}) {
      // A clock that moves by itself: listen to the event stream instead of asking again and again.
      if (!o.advanceMs) return waitOnStream(`${url}/_sim${ws}/events/stream`, predicate, o);
      const deadline = Date.now() + (o.timeoutMs ?? 5000);
      let since = 0;
      for (;;) {
        // The events not looked at yet, in order; `since` is the next sequence number.
        for (const e of await events({ type: o.type, api: o.api, since, limit: 10_000 })) {
          if (predicate(e)) return e;
          since = e.seq + 1;
        }
        if (Date.now() > deadline) throw new Error(`waitFor: no matching event within ${o.timeoutMs ?? 5000} ms`);
        if (o.advanceMs) await control('POST', `${ws}/clock/advance`, { ms: o.advanceMs });
        else await new Promise((r) => setTimeout(r, 10));
      }
    },
    state: (api, collection) => control('GET', `${ws}/state/${encodeURIComponent(api)}/${encodeURIComponent(collection)}`),
    credit: (api) => control('GET', `${ws}/credit/${encodeURIComponent(api)}`),
    setCredit: (api, balance) => control('PUT', `${ws}/credit/${encodeURIComponent(api)}`, { balance }),
    reset: async () => {
      await control('POST', `${ws}/reset`);
    },
    stop,
  };
}

/** The first event of the stream (from seq 0 on) that satisfies `predicate`, within the timeout. */
async function waitOnStream(streamUrl: string, predicate: (e: SimEvent) => boolean, o: WaitOptions): Promise<SimEvent> {
  const timeoutMs = o.timeoutMs ?? 5000;
  const q = new URLSearchParams({ since: '0' });
  if (o.type) q.set('type', o.type);
  if (o.api) q.set('api', o.api);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(`${streamUrl}?${q}`, { signal: abort.signal });
    if (!res.ok || !res.body) throw new SimulatorError(res.status, await res.text(), `waitFor: the event stream answered ${res.status}`);
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let at: number;
      while ((at = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, at).split('\n');
        buf = buf.slice(at + 2);
        // Sim events are the messages without an `event:` name.
        if (block.some((l) => l.startsWith('event:'))) continue;
        const data = block.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (!data) continue;
        const ev = JSON.parse(data) as SimEvent;
        if (predicate(ev)) return ev;
      }
    }
    throw new Error('waitFor: the event stream ended (workspace deleted?)');
  } catch (e) {
    if (abort.signal.aborted) throw new Error(`waitFor: no matching event within ${timeoutMs} ms`);
    throw e;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
