// The server-wide registry: API modules, workspaces and the credential index, event handlers,
// job kinds and injectors. Workspace lifecycle (create, reset, delete, snapshot import) lives here.
import type { ApiModule, CallbackFormat, EventHandler, Injector } from './api.js';
import { VirtualClock, hostNow as defaultHostNow, parseTimestamp, type ClockMode, type HostNow } from './clock.js';
import { invalid, notFound, SimError } from './errors.js';
import { jobEventHandlers, type JobKind } from './jobs.js';
import { LiveBus } from './live.js';
import type { JournalEntry } from './journal.js';
import type { SimLogger } from './log.js';
import { RATE_SPENT_META } from './rate-limit.js';
import { Rng } from './rng.js';
import { checkScenario, loadScenario, parseOffset, type Scenario } from './scenario.js';
import type { Fleet } from './fleet/fleet.js';
import { SharedDocStore } from './fleet/shared-doc.js';
import { isValidWorkspaceId, Store, type WorkspaceDocument, type WorkspaceStore } from './store.js';
import { defaultPoster, webhookEventHandlers, type Poster } from './webhooks.js';
import { DEFAULT_LIMITS, Workspace, type WorkspaceInit, type WorkspaceLimits } from './workspace.js';

export const DEFAULT_WORKSPACE = 'default';
export const TIMELINE_EVENT = 'core.timeline';

export interface RuntimeOptions {
  /** Data directory, or null for memory only. */
  dataDir: string | null;
  /**
   * A shared store for a fleet of instances (`redis://host:port[/db]`); the embedded store
   * (dataDir) when absent.
   */
  store?: string;
  seed?: number | string;
  /** Scenario of the default workspace. */
  scenario?: string;
  flushMs?: number;
  compactBytes?: number;
  hostNow?: HostNow;
  poster?: Poster;
  version?: string;
  /** Bounds of each workspace's journal, events and ledger entries. */
  limits?: Partial<WorkspaceLimits>;
  /** Structured request and event logs (none by default: tests, --quiet). */
  logger?: SimLogger | null;
}

export interface CreateWorkspaceRequest {
  id?: unknown;
  scenario?: unknown;
  seed?: unknown;
  clock?: unknown;
}

export class Runtime {
  readonly store: Store;
  /** The fleet this instance serves with others (`--store redis://...`), or null (embedded store). */
  fleet: Fleet | null = null;
  readonly hostNow: HostNow;
  readonly poster: Poster;
  readonly version: string;
  readonly seed: number | string;
  readonly limits: WorkspaceLimits;
  /** Requests served (API and control), for idle detection. */
  requests = 0;
  /** Who listens to workspace changes (event streams, the log). */
  readonly live = new LiveBus();
  readonly logger: SimLogger | null;
  /**
   * What start() did with the default workspace of a data directory when --scenario or --seed
   * was given (created, resumed as it was, or reset to them), for the banner.
   */
  startNotice: string | null = null;
  private readonly apis = new Map<string, ApiModule>();
  private readonly workspaces = new Map<string, Workspace>();
  private readonly handlers = new Map<string, EventHandler>();
  private readonly jobKinds = new Map<string, JobKind>();
  private readonly injectors = new Map<string, Map<string, Injector>>();
  private readonly formats = new Map<string, { api: string; format: CallbackFormat }>();
  /** api -> credential key -> workspaces holding it. */
  private readonly creds = new Map<string, Map<string, Workspace[]>>();
  private readonly serverRng: Rng;

  constructor(readonly opts: RuntimeOptions) {
    this.store = new Store({ dir: opts.store ? null : opts.dataDir, flushMs: opts.flushMs, compactBytes: opts.compactBytes });
    this.hostNow = opts.hostNow ?? defaultHostNow;
    this.poster = opts.poster ?? defaultPoster;
    this.version = opts.version ?? '0.0.0';
    this.seed = opts.seed ?? 1;
    this.limits = { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
    this.serverRng = Rng.fromSeed(`server:${this.seed}`);
    this.logger = opts.logger ?? null;
    for (const [k, h] of Object.entries({ ...jobEventHandlers, ...webhookEventHandlers })) this.handlers.set(k, h);
    this.handlers.set(TIMELINE_EVENT, (ws, data) => this.runTimelineStep(ws, Number(data.step)));
  }

  registerApi(mod: ApiModule): void {
    this.apis.set(mod.id, mod);
    for (const [k, h] of Object.entries(mod.eventHandlers ?? {})) this.handlers.set(k, h);
    for (const [k, j] of Object.entries(mod.jobKinds ?? {})) this.jobKinds.set(k, j);
    for (const [k, fn] of Object.entries(mod.injectors ?? {})) {
      if (!this.injectors.has(k)) this.injectors.set(k, new Map());
      this.injectors.get(k)!.set(mod.id, fn);
    }
    for (const [name, format] of Object.entries(mod.callbackFormats ?? {})) {
      const taken = this.formats.get(name);
      if (name === 'sim' || (taken && taken.api !== mod.id)) throw new Error(`callback format ${JSON.stringify(name)} of ${mod.id} is already taken${taken ? ` by ${taken.api}` : ''}`);
      this.formats.set(name, { api: mod.id, format });
    }
  }

  /** A vendor callback format by name, with the API it belongs to. */
  callbackFormat(name: string): { api: string; format: CallbackFormat } | undefined {
    return this.formats.get(name);
  }

  callbackFormatNames(): string[] {
    return [...this.formats.keys()].sort();
  }

  api(id: string): ApiModule | undefined {
    return this.apis.get(id);
  }

  apiList(): ApiModule[] {
    return [...this.apis.values()];
  }

  eventHandler(kind: string): EventHandler | undefined {
    return this.handlers.get(kind);
  }

  jobKind(kind: string): JobKind | undefined {
    return this.jobKinds.get(kind);
  }

  injectKinds(): string[] {
    return [...this.injectors.keys()].sort();
  }

  /** Each inject kind and the APIs that handle it. */
  injectorList(): Array<{ kind: string; apis: string[] }> {
    return this.injectKinds().map((kind) => ({ kind, apis: [...this.injectors.get(kind)!.keys()] }));
  }

  /** The id of a request (`X-Request-Id`): the client's own when it sent a sane one, else the next of this server. */
  requestId(given?: string): string {
    if (given && given.length <= 128 && /^[\w.:@/+=-]+$/.test(given)) return given;
    return `req-${(++this.requestSeq).toString(36).padStart(6, '0')}`;
  }
  private requestSeq = 0;

  /** Loads the persisted workspaces and makes sure `default` exists. */
  async start(): Promise<void> {
    if (this.opts.store) return this.startFleet(this.opts.store);
    for (const id of this.store.persistedIds()) {
      const doc = await this.store.open(id);
      if (!doc.getMeta('init') || !doc.getMeta('clock')) continue;
      const ws = new Workspace(this, doc);
      this.workspaces.set(id, ws);
      this.bindCredentials(ws);
      ws.afterChange();
    }
    const given = this.opts.scenario !== undefined || this.opts.seed !== undefined;
    const existing = this.workspaces.get(DEFAULT_WORKSPACE);
    const describe = (init: WorkspaceInit) => `${init.scenario ? `scenario ${init.scenario.name}` : 'no scenario'}, seed ${JSON.stringify(init.seed)}`;
    if (!existing) {
      const ws = await this.createWorkspace({ id: DEFAULT_WORKSPACE, scenario: this.opts.scenario, seed: this.opts.seed }, { allowPath: true });
      if (given) this.startNotice = `workspace default: ${describe(ws.init)}`;
      return;
    }
    if (!given) return;
    // --scenario / --seed for a data directory that already holds the default workspace: the
    // same settings resume it; different ones reset it to them (never ignored in silence).
    const stored = existing.init;
    // Only what is given changes: --seed alone keeps the stored scenario, --scenario alone (one
    // without a seed of its own) keeps the stored seed.
    const wanted = await this.parseInit({ scenario: this.opts.scenario ?? stored.scenario ?? undefined, seed: this.opts.seed }, { allowPath: true });
    if (this.opts.seed === undefined && wanted.scenario?.seed === undefined) wanted.seed = stored.seed;
    const same = JSON.stringify([stored.scenario, stored.seed, stored.clock]) === JSON.stringify([wanted.scenario, wanted.seed, wanted.clock]);
    if (same) {
      this.startNotice = `workspace default resumed as stored (${describe(stored)}, as given)`;
      return;
    }
    await this.resetWorkspace(DEFAULT_WORKSPACE, wanted);
    this.startNotice = `workspace default was reset to ${describe(wanted)} (it held ${describe(stored)}; its records were discarded)`;
  }

  /** Joins the fleet on a shared store: its workspaces, and `default` (created by the first instance). */
  private async startFleet(spec: string): Promise<void> {
    const { Fleet } = await import('./fleet/fleet.js');
    const fleet = await Fleet.connect(this, spec);
    this.fleet = fleet;
    await fleet.refresh();
    let created = false;
    if (!this.workspaces.has(DEFAULT_WORKSPACE)) {
      try {
        const ws = await this.createWorkspace({ id: DEFAULT_WORKSPACE, scenario: this.opts.scenario, seed: this.opts.seed }, { allowPath: true });
        created = true;
        if (this.opts.scenario !== undefined || this.opts.seed !== undefined) this.startNotice = `workspace default: ${ws.init.scenario ? `scenario ${ws.init.scenario.name}` : 'no scenario'}, seed ${JSON.stringify(ws.init.seed)}`;
      } catch (e) {
        // Another instance created it meanwhile.
        if (!(e instanceof SimError && e.kind === 'duplicate')) throw e;
        await fleet.run(DEFAULT_WORKSPACE, () => undefined);
      }
    }
    const def = this.workspaces.get(DEFAULT_WORKSPACE);
    if (def && !created) {
      // The fleet's default workspace is the one every instance serves: --scenario and --seed
      // only shape it when this instance creates it (reset it through /_sim to change it).
      const init = def.init;
      this.startNotice = `workspace default joined from the fleet (${init.scenario ? `scenario ${init.scenario.name}` : 'no scenario'}, seed ${JSON.stringify(init.seed)})`;
    }
    fleet.startPolling();
  }

  /**
   * Runs `fn` with workspace `id` to itself: on a shared store, alone in the fleet, on the
   * workspace's latest state, its changes committed before it resolves; else at once.
   */
  exclusive<T>(id: string | undefined, fn: () => T | Promise<T>): T | Promise<T> {
    return this.fleet && id !== undefined ? this.fleet.run(id, fn) : fn();
  }

  /** A workspace's realtime timer went off. */
  wake(ws: Workspace): void {
    if (!this.fleet) ws.afterChange();
    else void this.fleet.run(ws.id, () => this.workspaces.get(ws.id)?.afterChange()).catch(() => undefined);
  }

  /**
   * (Fleet) The workspace over a store just loaded from the shared store, with its journal:
   * replaces this instance's object for it.
   */
  adoptWorkspace(doc: WorkspaceStore, journal?: { entries: JournalEntry[]; pushed: number }): Workspace | null {
    const old = this.workspaces.get(doc.id);
    if (old) {
      this.unbindCredentials(old);
      old.close();
    }
    if (!doc.getMeta('init') || !doc.getMeta('clock')) {
      this.workspaces.delete(doc.id);
      return null;
    }
    const ws = new Workspace(this, doc);
    if (journal) ws.journal.restore(journal.entries, journal.pushed);
    this.workspaces.set(doc.id, ws);
    this.bindCredentials(ws);
    ws.afterChange();
    return ws;
  }

  /** (Fleet) A workspace deleted by another instance. */
  forgetWorkspace(id: string): void {
    const ws = this.workspaces.get(id);
    if (!ws) return;
    this.unbindCredentials(ws);
    ws.close();
    this.workspaces.delete(id);
    this.live.changed(ws);
  }

  /** Tables whose records hold credentials (a change there rebinds the workspace's keys). */
  credentialTables(): string[] {
    return (this.credentialTableList ??= this.apiList().flatMap((m) => m.credentials.stateTables ?? []));
  }
  private credentialTableList: string[] | undefined;

  rebindCredentials(ws: Workspace): void {
    this.unbindCredentials(ws);
    this.bindCredentials(ws);
  }

  list(): Workspace[] {
    return [...this.workspaces.values()];
  }

  get(id: string): Workspace | undefined {
    return this.workspaces.get(id);
  }

  require(id: string): Workspace {
    const ws = this.workspaces.get(id);
    if (!ws) throw notFound(`workspace ${JSON.stringify(id)} not found`);
    return ws;
  }

  /** Validates a create request into the workspace's init record. */
  private async parseCreate(req: CreateWorkspaceRequest, opts: { allowPath?: boolean } = {}): Promise<{ id: string; init: WorkspaceInit }> {
    if (req.id !== undefined && (typeof req.id !== 'string' || !isValidWorkspaceId(req.id))) {
      throw invalid('id must be 1-64 characters: letters, digits, "-" and "_", starting with a letter or digit');
    }
    let id = req.id as string | undefined;
    if (id && this.workspaces.has(id)) throw new SimError('duplicate', `workspace ${JSON.stringify(id)} already exists`);
    const init = await this.parseInit(req, opts);
    while (!id || this.workspaces.has(id)) id = `ws_${this.serverRng.base64url(10).replace(/[-_]/g, 'x')}`;
    return { id, init };
  }

  /** A workspace's init from {scenario (a name, or an inline object), seed, clock}: the request's values over the scenario's. */
  async parseInit(req: Omit<CreateWorkspaceRequest, 'id'>, opts: { allowPath?: boolean } = {}): Promise<WorkspaceInit> {
    let scenario: Scenario | null = null;
    if (typeof req.scenario === 'string') scenario = await loadScenario(req.scenario, opts);
    else if (req.scenario !== undefined && req.scenario !== null) {
      if (typeof req.scenario !== 'object' || Array.isArray(req.scenario)) throw invalid('scenario must be a scenario name or a scenario object');
      scenario = await checkScenario({ name: 'inline', ...(req.scenario as object) });
    }
    if (req.seed !== undefined && !(typeof req.seed === 'string' || (typeof req.seed === 'number' && Number.isInteger(req.seed)))) {
      throw invalid('seed must be an integer or a string');
    }
    const seed = (req.seed as number | string | undefined) ?? scenario?.seed ?? this.seed;

    const clockIn = (req.clock ?? {}) as Record<string, unknown>;
    if (typeof clockIn !== 'object' || Array.isArray(clockIn)) throw invalid('clock must be an object {mode, speed, now}');
    const { start: _start, ...scenarioClock } = scenario?.clock ?? {};
    const clock = parseClockInput({ ...scenarioClock, ...clockIn });
    return {
      seed,
      scenario,
      clock: { mode: clock.mode ?? 'realtime', speed: clock.speed ?? 1, now: clock.now ?? null },
      // Host time only when the clock starts from it (a given start makes the document deterministic).
      createdAt: clock.now ?? this.hostNow(),
    };
  }

  async createWorkspace(req: CreateWorkspaceRequest, opts: { allowPath?: boolean } = {}): Promise<Workspace> {
    const { id, init } = await this.parseCreate(req, opts);
    const doc = this.fleet ? new SharedDocStore(id) : await this.store.open(id);
    doc.setMeta('init', init);
    const ws = this.populate(doc, null);
    if (this.fleet) {
      // The fleet decides: the first instance to write the id creates it.
      if (!(await this.fleet.create(ws))) throw new SimError('duplicate', `workspace ${JSON.stringify(id)} already exists`);
      this.workspaces.set(id, ws);
      this.bindCredentials(ws);
      await this.fleet.run(id, () => this.workspaces.get(id)?.afterChange());
      return this.workspaces.get(id) ?? ws;
    }
    this.workspaces.set(id, ws);
    this.bindCredentials(ws);
    if (doc.persistent) await doc.compact();
    ws.afterChange();
    return ws;
  }

  /** Fresh state from init: clock, RNG, credentials, credit, fixtures, scenario timeline. */
  private populate(doc: Workspace['doc'], keepCredentials: Record<string, Record<string, unknown>> | null): Workspace {
    const init = doc.getMeta<WorkspaceInit>('init')!;
    doc.setMeta('clock', VirtualClock.initial({ mode: init.clock.mode, speed: init.clock.speed, now: init.clock.now ?? undefined }, this.hostNow));
    const ws = new Workspace(this, doc);
    const credentials: Record<string, Record<string, unknown>> = {};
    for (const mod of this.apis.values()) {
      credentials[mod.id] = keepCredentials?.[mod.id] ?? mod.credentials.create(ws, doc.id === DEFAULT_WORKSPACE);
    }
    doc.setMeta('credentials', credentials);
    for (const mod of this.apis.values()) {
      ws.credit.open(mod.id, init.scenario?.credit?.[mod.id] ?? mod.credit.balance, mod.credit.currency);
      mod.setup(ws);
    }
    const start = ws.now();
    (init.scenario?.timeline ?? []).forEach((step, i) => ws.schedule(TIMELINE_EVENT, start + parseOffset(step.at), { step: i }));
    return ws;
  }

  /** Back to the initial state: of its own init, or of `init` (a scenario loaded into it). Credentials stay. */
  async resetWorkspace(id: string, newInit?: WorkspaceInit): Promise<Workspace> {
    const old = this.require(id);
    const init = newInit ?? old.init;
    const credentials = old.credentials;
    this.unbindCredentials(old);
    old.close();
    await old.doc.replaceWith({ meta: { init: { ...init, createdAt: init.clock.now ?? this.hostNow() } }, tables: {} });
    const ws = this.populate(old.doc, credentials);
    this.workspaces.set(id, ws);
    this.bindCredentials(ws);
    if (ws.doc.persistent) await ws.doc.compact();
    ws.afterChange();
    return ws;
  }

  /**
   * Loads a scenario into an existing workspace: it is reset to that scenario's initial state
   * (seed and clock from the body, else the scenario's, else the defaults); credentials stay.
   */
  async loadScenarioInto(id: string, req: Omit<CreateWorkspaceRequest, 'id'>): Promise<Workspace> {
    this.require(id);
    if (req.scenario === undefined || req.scenario === null) throw invalid('scenario is required: a bundled scenario name (GET /_sim/scenarios) or a scenario object');
    const init = await this.parseInit(req);
    return this.resetWorkspace(id, init);
  }

  async deleteWorkspace(id: string): Promise<void> {
    const ws = this.require(id);
    if (this.fleet) await this.fleet.destroy(id);
    this.unbindCredentials(ws);
    ws.close();
    await ws.doc.close();
    ws.doc.destroy();
    this.workspaces.delete(id);
    this.live.changed(ws); // event streams of the workspace end
  }

  exportSnapshot(id: string): WorkspaceDocument & { workspace: string } {
    const ws = this.require(id);
    const doc = ws.doc.toDocument();
    delete doc.meta[RATE_SPENT_META];
    return { workspace: id, ...doc };
  }

  async importSnapshot(id: string, doc: unknown): Promise<Workspace> {
    const old = this.require(id);
    const d = doc as Partial<WorkspaceDocument>;
    if (!d || typeof d !== 'object' || d.format !== 'commsim-workspace' || typeof d.meta !== 'object' || typeof d.tables !== 'object') {
      throw invalid('body must be a workspace snapshot (as returned by GET /_sim/workspaces/{ws}/snapshot)');
    }
    const meta = d.meta as Record<string, unknown>;
    if (!meta?.init || !meta?.clock || !meta?.credentials) throw invalid('snapshot lacks init, clock or credentials');
    for (const [name, rows] of Object.entries(d.tables as Record<string, unknown>)) {
      if (!Array.isArray(rows) || rows.some((r) => !r || typeof r !== 'object' || typeof (r as { id?: unknown }).id !== 'string')) {
        throw invalid(`snapshot table ${name} must be an array of records with a string id`);
      }
    }
    // Credentials of another workspace would make two workspaces answer the same token (in a
    // fleet, this instance first hears of workspaces deleted elsewhere).
    await this.fleet?.refresh();
    const imported = meta.credentials as Record<string, Record<string, unknown>>;
    for (const mod of this.apis.values()) {
      for (const key of mod.credentials.keys(imported[mod.id] ?? {})) {
        const owners = this.creds.get(mod.id)?.get(key) ?? [];
        if (owners.some((w) => w.id !== id)) throw new SimError('duplicate', `the snapshot's ${mod.id} credentials belong to another workspace`);
      }
    }
    this.unbindCredentials(old);
    old.close();
    await old.doc.replaceWith({ meta, tables: d.tables as WorkspaceDocument['tables'] });
    const ws = new Workspace(this, old.doc);
    this.workspaces.set(id, ws);
    this.bindCredentials(ws);
    ws.afterChange();
    return ws;
  }

  // --- credentials ---------------------------------------------------------------------------

  bindCredentials(ws: Workspace): void {
    for (const mod of this.apis.values()) {
      const keys = [...mod.credentials.keys(ws.credentials[mod.id] ?? {}), ...(mod.credentials.stateKeys?.(ws) ?? [])];
      for (const key of keys) this.bindKey(mod.id, key, ws);
    }
  }

  unbindCredentials(ws: Workspace): void {
    for (const byKey of this.creds.values()) {
      for (const [k, list] of byKey) {
        const rest = list.filter((w) => w !== ws);
        if (rest.length) byKey.set(k, rest);
        else byKey.delete(k);
      }
    }
  }

  /** Makes `key` a credential of `ws` for `api` (undone if the current transaction is). */
  bindKey(api: string, key: string, ws: Workspace): void {
    let byKey = this.creds.get(api);
    if (!byKey) this.creds.set(api, (byKey = new Map()));
    const list = byKey.get(key) ?? [];
    if (list.includes(ws)) return;
    byKey.set(key, [...list, ws]);
    ws.tx?.onRollback(() => this.unbindKey(api, key, ws));
  }

  unbindKey(api: string, key: string, ws: Workspace): void {
    const byKey = this.creds.get(api);
    const list = byKey?.get(key) ?? [];
    if (!byKey || !list.includes(ws)) return;
    const rest = list.filter((w) => w !== ws);
    if (rest.length) byKey.set(key, rest);
    else byKey.delete(key);
    ws.tx?.onRollback(() => this.bindKey(api, key, ws));
  }

  /** Workspaces whose credentials for `api` include `key`; `hint` (X-Sim-Workspace) narrows it. */
  findByCredential(api: string, key: string, hint?: string): Workspace[] {
    const list = this.creds.get(api)?.get(key) ?? NONE;
    return hint ? list.filter((w) => w.id === hint) : list;
  }

  // --- injection and timeline --------------------------------------------------------------

  inject(ws: Workspace, kind: string, body: Record<string, unknown>): unknown {
    const byApi = this.injectors.get(kind);
    if (!byApi) throw notFound(`no simulator handles inject kind ${JSON.stringify(kind)} (known: ${this.injectKinds().join(', ') || 'none'})`);
    let api = body.api;
    if (api === undefined) {
      if (byApi.size > 1) {
        // Without "api", the first API whose simulator recognises the input (e.g. owns the `to`
        // address) takes it; a failed attempt changes nothing, so trying in turn is safe.
        // An API that says the input is not addressed to it at all (details.notAddressed: e.g.
        // none of its fields are there) gives way to another's more precise refusal.
        let first: unknown;
        let unaddressed: unknown;
        for (const fn of byApi.values()) {
          try {
            return ws.transaction(() => fn(ws, body));
          } catch (e) {
            if (!(e instanceof SimError) || (e.kind !== 'not_found' && e.kind !== 'invalid')) throw e;
            if (e.details.notAddressed === true) unaddressed ??= e;
            else first ??= e;
          }
        }
        throw first ?? unaddressed;
      }
      api = [...byApi.keys()][0];
    }
    const fn = typeof api === 'string' ? byApi.get(api) : undefined;
    if (!fn) throw invalid(`api ${JSON.stringify(api)} does not handle inject kind ${kind} (handled by: ${[...byApi.keys()].join(', ')})`);
    return ws.transaction(() => fn(ws, body));
  }

  private runTimelineStep(ws: Workspace, index: number): void {
    const step = ws.init.scenario?.timeline?.[index];
    if (!step) return;
    if (step.credit) for (const [api, balance] of Object.entries(step.credit)) if (ws.credit.has(api)) ws.credit.set(api, balance, 'scenario timeline');
    const named = step.name ? { name: step.name } : {};
    if (step.inject) {
      try {
        const result = this.inject(ws, step.inject, step.body ?? {});
        ws.events.record(ws.now(), 'sim', 'scenario.step', { step: index, ...named, inject: step.inject, ok: true, result: result ?? null });
      } catch (e) {
        ws.events.record(ws.now(), 'sim', 'scenario.step', { step: index, ...named, inject: step.inject, ok: false, error: (e as Error).message });
      }
    }
  }

  /** Flushes every workspace (shutdown, control-API demand). */
  async flushAll(): Promise<void> {
    for (const ws of this.workspaces.values()) ws.doc.flush();
    await Promise.all([...this.workspaces.values()].map((ws) => ws.doc.written()));
  }

  async shutdown(): Promise<void> {
    if (this.fleet) await this.fleet.close();
    for (const ws of this.workspaces.values()) {
      ws.close();
      await ws.doc.close();
    }
    this.store.close();
  }
}

const NONE: Workspace[] = [];

export function parseClockInput(c: Record<string, unknown>): { mode?: ClockMode; speed?: number; now?: number } {
  const out: { mode?: ClockMode; speed?: number; now?: number } = {};
  if (c.mode !== undefined) {
    if (c.mode !== 'realtime' && c.mode !== 'manual') throw invalid('clock.mode must be "realtime" or "manual"');
    out.mode = c.mode;
  }
  if (c.speed !== undefined) {
    if (typeof c.speed !== 'number' || !(c.speed > 0) || c.speed > 1e6) throw invalid('clock.speed must be a number > 0 (at most 1e6)');
    out.speed = c.speed;
  }
  if (c.now !== undefined && c.now !== null) {
    const t = parseTimestamp(c.now);
    if (t === undefined) throw invalid('clock.now must be an ISO 8601 timestamp or epoch milliseconds');
    out.now = t;
  }
  return out;
}
