// Several instances, one fleet of workspaces (`--store redis://host:port[/db]`).
//
// Each instance keeps the workspaces it serves in memory (a SharedDocStore: the same tables,
// indexes and transactions as the embedded store); Redis holds the durable copy and decides who
// may change a workspace. Everything that may change a workspace (an API or control request, a
// due event, a webhook's outcome) runs through `run(id, fn)`:
//   1. take the workspace's lock in Redis (a token with an expiry: a killed instance's lock
//      lapses), and in the same script read the version and the changes committed since this
//      instance's copy (or reload the whole document when too far behind);
//   2. run `fn` on the up-to-date copy, synchronously as in the embedded store (so its
//      transactions, rollbacks and validations are unchanged);
//   3. commit the request's changes, the next due time and the lock release in one script; only
//      then is the answer sent, so an acknowledged write is in Redis.
// A commit refused (the lock lapsed and another instance wrote) or lost (Redis unreachable)
// discards the instance's copy, which is reloaded on the next request, and answers 503: a
// request is applied whole or not at all. Scheduled events fire under the lock of their
// workspace, and leave the schedule in the same commit, so each fires once across the fleet, in
// time order; a `due` sorted set (workspace -> host time of its next event) lets every instance
// find work whose instance died.
import { randomUUID } from 'node:crypto';
import { unavailable } from '../errors.js';
import type { JournalEntry } from '../journal.js';
import type { Runtime } from '../runtime.js';
import type { Workspace } from '../workspace.js';
import { ACQUIRE, COMMIT, DESTROY, RELEASE, RENEW, REPLACE, SNAPSHOT } from './scripts.js';
import { SharedDocStore } from './shared-doc.js';
import type { Redis as RedisClient } from 'ioredis';

export interface FleetOptions {
  /** redis://host:port[/db] (the connection, without commsim's own query parameters). */
  url: string;
  /** Key prefix (several fleets may share one Redis). */
  prefix: string;
  /**
   * Expiry of a workspace lock: how long a killed instance can hold up its workspaces. A turn
   * that waits (a scenario's latency, say) renews it; one that computes longer than this without
   * yielding may be overtaken, and is then refused whole.
   */
  lockMs: number;
  /** How long a request waits for a workspace locked by another instance before a 503. */
  waitMs: number;
  /** How often each instance looks for due events of workspaces in the fleet. */
  pollMs: number;
  /** Commits kept per workspace for instances to catch up (beyond: they reload the document). */
  logMax: number;
}

const DEFAULTS = { prefix: 'commsim', lockMs: 2000, waitMs: 10_000, pollMs: 200, logMax: 2000 };

/** `redis://host:port[/db][?prefix=..&lockMs=..&waitMs=..&pollMs=..&logMax=..]` */
export function parseStoreUrl(spec: string): FleetOptions {
  let u: URL;
  try {
    u = new URL(spec);
  } catch {
    throw new Error(`--store: ${JSON.stringify(spec)} is not a URL (expected redis://host:port[/db])`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`--store: unsupported store ${JSON.stringify(spec)} (expected redis://host:port[/db])`);
  const opts: FleetOptions = { url: '', ...DEFAULTS };
  for (const [k, v] of u.searchParams) {
    if (k === 'prefix') {
      if (!/^[\w.:-]{1,64}$/.test(v)) throw new Error(`--store: prefix must be 1-64 letters, digits, '_', '.', ':' or '-'`);
      opts.prefix = v;
    } else if (k === 'lockMs' || k === 'waitMs' || k === 'pollMs' || k === 'logMax') {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--store: ${k} must be a positive integer`);
      opts[k] = n;
    } else throw new Error(`--store: unknown parameter ${JSON.stringify(k)} (known: prefix, lockMs, waitMs, pollMs, logMax)`);
  }
  u.search = '';
  opts.url = u.toString();
  return opts;
}

interface Slot {
  /** Version of this instance's copy (-1: none, -2: discarded). */
  ver: number;
  /** Runs waiting for the workspace's next turn on this instance. */
  queue: Task[];
  /** A turn is under way (or about to be). */
  draining: boolean;
  /** Resolves when the current turns are over. */
  idle: Promise<void>;
  /** Lock token of the run in progress. */
  token: string | null;
  /** Journal entries of this instance's copy up to here are in Redis (a `pushed` number). */
  jmark: number;
  /** Set when the run in progress deleted the workspace. */
  destroyed: boolean;
}

interface Task {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** At most this many runs share one turn (one commit). */
const MAX_TURN = 64;

const busy = (s: Slot | undefined): boolean => Boolean(s && (s.draining || s.queue.length));

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Reply = unknown;

export class Fleet {
  private readonly slots = new Map<string, Slot>();
  private readonly instance = randomUUID().slice(0, 8);
  private tokens = 0;
  private poller: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | null = null;
  private closed = false;
  /** Figures for /health and the bench. */
  readonly stats = { commits: 0, reloads: 0, catchUps: 0, lockWaits: 0, refused: 0 };

  private constructor(
    private readonly runtime: Runtime,
    readonly opts: FleetOptions,
    private readonly redis: RedisClient,
  ) {}

  static async connect(runtime: Runtime, spec: string): Promise<Fleet> {
    const opts = parseStoreUrl(spec);
    const { Redis } = await import('ioredis');
    // No offline queue and one try: while Redis is away a request fails at once with a 503
    // instead of waiting; the client reconnects by itself in the background.
    const redis = new Redis(opts.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: (n) => Math.min(50 * n, 1000) });
    redis.on('error', () => undefined); // reported through the failing requests
    try {
      await redis.connect();
      await redis.ping();
    } catch (e) {
      redis.disconnect();
      throw new Error(`--store: cannot reach ${opts.url}: ${(e as Error).message}`);
    }
    const fleet = new Fleet(runtime, opts, redis);
    await fleet.listen();
    for (const [name, lua, keys] of [
      ['csAcquire', ACQUIRE, 3],
      ['csSnapshot', SNAPSHOT, 5],
      ['csCommit', COMMIT, 9],
      ['csReplace', REPLACE, 10],
      ['csRelease', RELEASE, 3],
      ['csDestroy', DESTROY, 10],
      ['csRenew', RENEW, 1],
    ] as const) {
      redis.defineCommand(name, { lua, numberOfKeys: keys });
    }
    return fleet;
  }

  private subscriber: RedisClient | null = null;

  /**
   * Hears of commits made through other instances, so that this one's event streams and
   * dashboard follow them (requests do not need it: each catches up under the lock).
   */
  private async listen(): Promise<void> {
    const sub = this.redis.duplicate({ lazyConnect: true });
    sub.on('error', () => undefined);
    try {
      await sub.connect();
      await sub.subscribe(this.channel);
    } catch {
      sub.disconnect();
      return;
    }
    this.subscriber = sub;
    sub.on('message', (_channel: string, message: string) => {
      const cut = message.lastIndexOf(' ');
      const id = message.slice(0, cut);
      const v = Number(message.slice(cut + 1));
      const s = this.slots.get(id);
      if (this.closed || !this.runtime.live.listened(id) || (s && (busy(s) || (v >= 0 && v <= s.ver)))) return;
      void this.run(id, () => undefined).catch(() => undefined);
    });
  }

  get url(): string {
    return this.opts.url;
  }

  /** What /_sim/health says of the shared store. */
  describe(): Record<string, unknown> {
    return { kind: 'redis', url: this.opts.url, prefix: this.opts.prefix, instance: this.instance, connected: this.redis.status === 'ready', ...this.stats };
  }

  private key(id: string, part: string): string {
    return `${this.opts.prefix}:{${id}}:${part}`;
  }

  private get registryKey(): string {
    return `${this.opts.prefix}:workspaces`;
  }

  private get dueKey(): string {
    return `${this.opts.prefix}:due`;
  }

  private get channel(): string {
    return `${this.opts.prefix}:changed`;
  }

  private wsKeys(id: string): string[] {
    return ['lock', 'v', 'h', 'o', 'n', 'log', 'j', 'jn'].map((p) => this.key(id, p));
  }

  private call(name: string, ...args: Array<string | number>): Promise<Reply> {
    return (this.redis as unknown as Record<string, (...a: Array<string | number>) => Promise<Reply>>)[name](...args);
  }

  private slot(id: string): Slot {
    let s = this.slots.get(id);
    if (!s) this.slots.set(id, (s = { ver: -1, queue: [], draining: false, idle: Promise.resolve(), token: null, jmark: 0, destroyed: false }));
    return s;
  }

  /** Ids of the fleet's workspaces. */
  async ids(): Promise<string[]> {
    return this.guard(() => this.redis.smembers(this.registryKey)).then((ids) => ids.sort());
  }

  /**
   * Runs `fn` on workspace `id` alone in the fleet, on its latest state, and commits what it
   * changed before resolving. Runs queued on this instance for the same workspace meanwhile
   * share one turn (group commit): one lock, one catch-up and one commit for all of them, each
   * run still a transaction of its own; if that commit fails, none of them is acknowledged.
   */
  run<T>(id: string, fn: () => T | Promise<T>): Promise<T> {
    const s = this.slot(id);
    return new Promise<T>((resolve, reject) => {
      s.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!s.draining) void this.drain(id, s);
    });
  }

  /** Turns of the workspace on this instance until its queue is empty. */
  private async drain(id: string, s: Slot): Promise<void> {
    s.draining = true;
    let done!: () => void;
    s.idle = new Promise<void>((r) => (done = r));
    try {
      while (s.queue.length) {
        const token = `${this.instance}.${++this.tokens}`;
        const first = s.queue.splice(0, 1);
        try {
          await this.acquire(id, s, token);
        } catch (e) {
          for (const t of first) t.reject(e);
          continue;
        }
        s.token = token;
        s.destroyed = false;
        const lock = this.key(id, 'lock');
        const renewal = setInterval(() => void this.call('csRenew', lock, token, this.opts.lockMs).catch(() => undefined), Math.max(50, Math.floor(this.opts.lockMs / 3)));
        const turn: Array<{ task: Task; ok: boolean; value: unknown }> = [];
        const started = Date.now();
        // What queues up while the turn runs joins it, within a share of the lock's life.
        for (let task: Task | undefined = first[0]; task; task = turn.length < MAX_TURN && Date.now() - started < this.opts.lockMs / 4 ? s.queue.shift() : undefined) {
          try {
            turn.push({ task, ok: true, value: await task.fn() });
          } catch (e) {
            turn.push({ task, ok: false, value: e });
          }
          if (s.destroyed) break;
        }
        clearInterval(renewal);
        s.token = null;
        try {
          await this.publish(id, s, token);
        } catch (e) {
          for (const r of turn) r.task.reject(e);
          continue;
        }
        for (const r of turn) (r.ok ? r.task.resolve : r.task.reject)(r.value);
      }
    } finally {
      s.draining = false;
      done();
    }
  }

  private async acquire(id: string, s: Slot, token: string): Promise<void> {
    const [lock, v, , , , log] = this.wsKeys(id);
    const start = Date.now();
    let delay = 1;
    let r: Reply[];
    for (;;) {
      r = (await this.guard(() => this.call('csAcquire', lock, v, log, token, this.opts.lockMs, s.ver, this.opts.logMax))) as Reply[];
      if (r[0] === 1) break;
      this.stats.lockWaits++;
      if (Date.now() - start > this.opts.waitMs) {
        throw unavailable(`workspace ${JSON.stringify(id)} is busy: another commsim instance has held it for more than ${this.opts.waitMs} ms; try again`);
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 25);
    }
    const version = Number(r[1]);
    try {
      if (version < 0) {
        // Not (or no longer) in the fleet.
        s.ver = -1;
        this.runtime.forgetWorkspace(id);
        return;
      }
      if (version === s.ver && this.runtime.get(id)) return;
      if (r[2] === 'delta' && this.runtime.get(id)) {
        const ws = this.runtime.get(id)!;
        const applied = (ws.doc as SharedDocStore).applyChunks(r[3] as string[]);
        ws.absorb(applied);
        s.jmark = ws.journal.pushed;
        this.stats.catchUps++;
        s.ver = version;
        if (this.runtime.live.listened(id)) this.runtime.live.changed(ws);
        return;
      }
      await this.reload(id, s);
    } catch (e) {
      s.ver = -2;
      // Gives the lock back; the due time stays as it is (no version matches -1).
      await this.call('csRelease', lock, this.dueKey, v, token, '', id, -1).catch(() => undefined);
      throw isUnavailable(e) ? e : unavailable(`workspace ${JSON.stringify(id)}: could not load its state from the shared store: ${(e as Error).message}`);
    }
  }

  /** Replaces this instance's copy by the shared one (under the lock). */
  private async reload(id: string, s: Slot): Promise<void> {
    const [, v, h, o, , , j, jn] = this.wsKeys(id);
    const [version, fields, orderFlat, journal, journaled] = (await this.guard(() => this.call('csSnapshot', v, h, o, j, jn))) as [number, string[], string[], string[], number];
    if (Number(version) < 0) {
      s.ver = -1;
      this.runtime.forgetWorkspace(id);
      return;
    }
    const order = new Map<string, number>();
    for (let i = 0; i < orderFlat.length; i += 2) order.set(orderFlat[i], Number(orderFlat[i + 1]));
    const old = this.runtime.get(id);
    const doc = old && old.doc instanceof SharedDocStore ? old.doc : new SharedDocStore(id);
    doc.loadFields(fields, order);
    const ws = this.runtime.adoptWorkspace(doc, { entries: journal.map((e) => JSON.parse(e) as JournalEntry), pushed: Number(journaled) });
    s.jmark = ws?.journal.pushed ?? 0;
    this.stats.reloads++;
    s.ver = Number(version);
  }

  /** Commits the run's changes and releases the lock; a refused or lost commit discards the copy. */
  private async publish(id: string, s: Slot, token: string): Promise<void> {
    const [lock, v, h, o, n, log, j, jn] = this.wsKeys(id);
    if (s.destroyed) {
      s.destroyed = false;
      s.ver = -1;
      return;
    }
    const ws = this.runtime.get(id);
    const doc = ws?.doc instanceof SharedDocStore ? ws.doc : null;
    const due = ws ? this.dueAt(ws) : '';
    try {
      const journal = ws && !doc?.replaced ? ws.journal.since(s.jmark) : [];
      if (!doc || (!doc.hasChanges() && !journal.length)) {
        await this.guard(() => this.call('csRelease', lock, this.dueKey, v, token, due, id, s.ver));
        ws?.runEffects();
        return;
      }
      let result: number;
      if (doc.replaced) {
        const all = doc.takeAll();
        result = Number(await this.guard(() => this.call('csReplace', lock, v, h, o, n, log, j, jn, this.dueKey, this.registryKey, token, s.ver, this.opts.logMax, due, id, this.channel, ...all)));
      } else {
        const c = doc.takeChanges() ?? { chunk: '', sets: [], dels: [] };
        const entries = journal.map((e) => JSON.stringify(e));
        const chunk = entries.length ? [c.chunk, ...entries.map((e) => `{"j":${e}}`)].filter(Boolean).join('\n') : c.chunk;
        const cap = Math.max(1, this.runtime.limits.journal);
        result = Number(
          await this.guard(() =>
            this.call('csCommit', lock, v, h, o, n, log, j, jn, this.dueKey, token, s.ver, chunk, this.opts.logMax, due, id, this.channel, c.sets.length / 2, entries.length, cap, ...c.sets, ...entries, ...c.dels),
          ),
        );
      }
      if (result > 0) {
        s.ver = result;
        s.jmark = ws!.journal.pushed;
        this.stats.commits++;
        ws!.runEffects();
        return;
      }
      this.stats.refused++;
      s.ver = -2;
      if (result < 0) this.runtime.forgetWorkspace(id);
      throw unavailable(
        result < 0
          ? `workspace ${JSON.stringify(id)} was deleted by another commsim instance meanwhile; nothing was changed`
          : `workspace ${JSON.stringify(id)}: this request outlived its lock (${this.opts.lockMs} ms) and another instance changed the workspace; nothing was changed, try again`,
      );
    } catch (e) {
      // Whatever this copy holds now may not be in Redis: reload it on the next request; the
      // effects of its changes did not happen.
      s.ver = -2;
      ws?.dropEffects();
      throw e;
    }
  }

  /** A new workspace, written whole; false when the fleet already has one with that id. */
  async create(ws: Workspace): Promise<boolean> {
    const id = ws.id;
    const s = this.slot(id);
    const [lock, v, h, o, n, log, j, jn] = this.wsKeys(id);
    const all = (ws.doc as SharedDocStore).takeAll();
    const r = Number(await this.guard(() => this.call('csReplace', lock, v, h, o, n, log, j, jn, this.dueKey, this.registryKey, '-', -1, this.opts.logMax, this.dueAt(ws), id, this.channel, ...all)));
    if (r <= 0) return false;
    s.ver = r;
    s.jmark = ws.journal.pushed;
    return true;
  }

  /** Deletes workspace `id` from the fleet (inside its run). */
  async destroy(id: string): Promise<void> {
    const s = this.slot(id);
    const keys = this.wsKeys(id);
    const r = Number(await this.guard(() => this.call('csDestroy', ...keys, this.dueKey, this.registryKey, s.token ?? '-', id, this.channel)));
    if (r !== 1) throw unavailable(`workspace ${JSON.stringify(id)} is held by another instance; try again`);
    s.destroyed = true;
  }

  /** Host time at which the workspace's next event is due ('' when none, or a manual clock). */
  private dueAt(ws: Workspace): string {
    const next = ws.scheduler.nextAt();
    if (next === undefined || ws.clock.mode === 'manual') return '';
    return String(this.runtime.hostNow() + Math.max(0, ws.clock.realDelayUntil(next)));
  }

  /**
   * Catches up with the fleet: loads workspaces created elsewhere, forgets deleted ones, and
   * brings the copies that are behind up to date (a credential this instance does not know may
   * be one of theirs). Concurrent callers share one pass.
   */
  refresh(): Promise<void> {
    // A pass already under way may have read the fleet before what the caller looks for was
    // created: the caller gets the next pass, which one follower queue shares.
    if (this.refreshQueued) return this.refreshQueued;
    const start = () => {
      const p = this.refreshNow().finally(() => {
        if (this.refreshing === p) this.refreshing = null;
      });
      this.refreshing = p;
      return p;
    };
    if (!this.refreshing) return start();
    const queued = this.refreshing.catch(() => undefined).then(() => {
      this.refreshQueued = null;
      return start();
    });
    this.refreshQueued = queued;
    return queued;
  }
  private refreshQueued: Promise<void> | null = null;

  private async refreshNow(): Promise<void> {
    const ids = await this.ids();
    const known = new Set(ids);
    // Forgotten only if really gone: one created through this instance since the listing was read is not.
    const unlisted = this.runtime.list().filter((ws) => !known.has(ws.id) && !busy(this.slots.get(ws.id)));
    if (unlisted.length) {
      const left = await this.guard(() => this.redis.mget(unlisted.map((ws) => this.key(ws.id, 'v'))));
      unlisted.forEach((ws, i) => left[i] === null && this.runtime.forgetWorkspace(ws.id));
    }
    if (!ids.length) return;
    const versions = await this.guard(() => this.redis.mget(ids.map((id) => this.key(id, 'v'))));
    await Promise.all(
      ids.map((id, i) => {
        const s = this.slot(id);
        const v = versions[i] === null ? -1 : Number(versions[i]);
        // A workspace this instance is running now is up to date (and waiting on it would deadlock).
        if (v < 0 || busy(s) || (v === s.ver && this.runtime.get(id))) return undefined;
        return this.run(id, () => undefined);
      }),
    );
  }

  /** Starts looking for due events of the fleet's workspaces (those of a killed instance included). */
  startPolling(): void {
    if (this.poller) return;
    let polling = false;
    let rounds = 0;
    this.poller = setInterval(() => {
      if (polling || this.closed) return;
      polling = true;
      void this.pollOnce(++rounds % 10 === 0)
        .catch(() => undefined)
        .finally(() => {
          polling = false;
        });
    }, this.opts.pollMs);
    this.poller.unref?.();
  }

  private async pollOnce(alsoRefresh: boolean): Promise<void> {
    if (alsoRefresh) await this.refresh();
    const ids = await this.redis.zrangebyscore(this.dueKey, '-inf', this.runtime.hostNow(), 'LIMIT', 0, 64);
    await Promise.all(ids.map((id) => (busy(this.slots.get(id)) ? undefined : this.run(id, () => this.runtime.get(id)?.afterChange()).catch(() => undefined))));
  }

  /** Redis calls as 503-able errors. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw unavailable(`the shared store (${this.opts.url}) is unreachable: ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    await Promise.all([...this.slots.values()].map((s) => s.idle));
    this.subscriber?.disconnect();
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}

function isUnavailable(e: unknown): boolean {
  return (e as { kind?: string })?.kind === 'unavailable';
}
