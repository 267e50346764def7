// A workspace: all state of one tenant of commsim (its credentials for the four APIs, clock,
// scheduler, RNG, credit ledgers, events and journal), persisted as one document. Every change
// a request or a simulated event makes runs in a transaction of the workspace store: it is kept
// whole or undone whole.
import { VirtualClock, type ClockMode, type ClockState } from './clock.js';
import { Credit } from './credit.js';
import { EventLog, Ring, type JournalEntry, type SimEvent } from './journal.js';
import { Rng, seedState, type RngState } from './rng.js';
import { ScenarioRuntime, type Scenario } from './scenario.js';
import { Scheduler, type ScheduledEvent } from './scheduler.js';
import type { Rec, Table, WorkspaceStore } from './store.js';
import type { Runtime } from './runtime.js';
import type { Transaction } from './transaction.js';
import type { AppliedChanges } from './fleet/shared-doc.js';
import { dispatchEvent } from './webhooks.js';

export interface WorkspaceInit {
  seed: number | string;
  scenario: Scenario | null;
  clock: { mode: ClockMode; speed: number; now: number | null };
  /** Host time of creation; a realtime clock without `now` starts here on reset. */
  createdAt: number;
}

/** Bounds of the in-memory and persisted logs of a workspace. */
export interface WorkspaceLimits {
  /** Requests kept in the journal (memory only). */
  journal: number;
  /** Simulated events kept (persisted). */
  events: number;
  /** Ledger entries kept (persisted). */
  ledgerEntries: number;
}

export const DEFAULT_LIMITS: WorkspaceLimits = { journal: 1000, events: 10_000, ledgerEntries: 20_000 };

/** Guard against a handler that keeps scheduling events at the same instant. */
const MAX_FIRED_PER_RUN = 5_000_000;

export class Workspace {
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly scheduler: Scheduler;
  readonly events: EventLog;
  readonly credit: Credit;
  readonly journal: Ring<JournalEntry>;
  readonly scenario: ScenarioRuntime | null;
  closed = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private firing = false;

  constructor(readonly runtime: Runtime, readonly doc: WorkspaceStore) {
    const limits = runtime.limits;
    const clockState = doc.getMeta<ClockState>('clock');
    if (!clockState) throw new Error(`workspace ${doc.id} has no clock`);
    this.clock = new VirtualClock(clockState, runtime.hostNow, () => doc.setMeta('clock', this.clock.state()));
    let rngState = doc.getMeta<RngState>('rng');
    if (!rngState) {
      rngState = seedState(this.init.seed);
      doc.setMeta('rng', rngState);
    }
    this.rng = new Rng(rngState, () => doc.touchMeta('rng'), () => doc.trackMeta('rng'));
    const tx = () => doc.tx;
    this.scheduler = new Scheduler(doc.table<ScheduledEvent>('_schedule'), tx);
    this.events = new EventLog(doc.table<SimEvent>('_events'), tx, limits.events);
    this.credit = new Credit(doc, () => this.now(), limits.ledgerEntries);
    this.journal = new Ring<JournalEntry>(limits.journal);
    const init = this.init;
    if (init.scenario) {
      let counts = doc.getMeta<Record<string, number>>('scenarioCounts');
      if (!counts) {
        counts = {};
        doc.setMeta('scenarioCounts', counts);
      }
      this.scenario = new ScenarioRuntime(init.scenario, counts, () => this.rng.next(), () => doc.touchMeta('scenarioCounts'), () => doc.trackMeta('scenarioCounts'));
    } else this.scenario = null;
  }

  get id(): string {
    return this.doc.id;
  }

  get init(): WorkspaceInit {
    return this.doc.getMeta<WorkspaceInit>('init')!;
  }

  /** Credentials per API id. */
  get credentials(): Record<string, Record<string, unknown>> {
    return this.doc.getMeta<Record<string, Record<string, unknown>>>('credentials') ?? {};
  }

  now(): number {
    return this.clock.now();
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** A collection of an API: `/state/{api}/{name}` of the control API. */
  table<T extends Rec = Rec>(api: string, name: string): Table<T> {
    return this.doc.table<T>(`${api}.${name}`);
  }

  /** The open transaction, if any. */
  get tx(): Transaction | null {
    return this.doc.tx;
  }

  /**
   * Runs `fn` in a transaction: kept when it returns, undone when it throws or when `failed`
   * says its result is a failure (an HTTP answer >= 400). Nested calls are savepoints.
   */
  transaction<T>(fn: () => T, failed?: (result: T) => boolean): T {
    const tx = this.doc.begin();
    const outer = this.refusalSteps;
    this.refusalSteps = null;
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.doc.rollback(tx);
      this.runRefusalSteps(outer);
      throw e;
    }
    if (result instanceof Promise) {
      this.doc.rollback(tx);
      this.refusalSteps = outer;
      throw new Error('a transaction body must be synchronous (it returned a Promise)');
    }
    if (failed?.(result)) {
      this.doc.rollback(tx);
      this.runRefusalSteps(outer);
    } else {
      this.doc.commit(tx);
      if (!this.doc.tx && !this.runtime.fleet && this.effects.length) this.runEffects();
      // A savepoint's steps stay due while the enclosing transaction may still be refused.
      const steps = this.refusalSteps as Array<() => void> | null;
      this.refusalSteps = this.doc.tx && steps?.length ? [...(outer ?? []), ...steps] : outer;
    }
    return result;
  }

  private refusalSteps: Array<() => void> | null = null;

  /** Effects on the outside world waiting for the commit of the changes that caused them. */
  private effects: Array<() => void> = [];

  /**
   * An effect on the outside world (a webhook's HTTP call): it runs once the current change is
   * kept, never for a change that is undone. On the embedded store that is the end of the
   * outermost transaction; on a shared store, once the fleet committed the turn (a refused commit
   * drops it: the change did not happen).
   */
  afterCommit(effect: () => void): void {
    const tx = this.doc.tx;
    if (!tx) {
      if (this.runtime.fleet) this.effects.push(effect);
      else effect();
      return;
    }
    this.effects.push(effect);
    tx.onRollback(() => {
      const i = this.effects.lastIndexOf(effect);
      if (i >= 0) this.effects.splice(i, 1);
    });
  }

  /** Runs the effects whose changes are kept (the fleet, after a commit; else after a transaction). */
  runEffects(): void {
    const list = this.effects;
    this.effects = [];
    for (const fn of list) {
      try {
        fn();
      } catch (e) {
        console.error(`[commsim] workspace ${this.id}: an effect failed:`, e);
      }
    }
  }

  /** Drops the effects of changes that were not kept (a refused commit). */
  dropEffects(): void {
    this.effects = [];
  }

  /**
   * A change that must outlive the refusal of the current transaction (a wrong verification key
   * still counts as an attempt): `step` runs, in a transaction of its own, only if the current
   * one (or, for a savepoint, an enclosing one) is rolled back (a throw or an answer >= 400).
   * Without an open transaction it runs now.
   */
  alsoOnRefusal(step: () => void): void {
    if (!this.doc.tx) {
      step();
      return;
    }
    (this.refusalSteps ??= []).push(step);
  }

  private runRefusalSteps(outer: Array<() => void> | null): void {
    const steps = this.refusalSteps;
    this.refusalSteps = outer;
    if (!steps?.length) return;
    this.transaction(() => {
      for (const s of steps) s();
    });
  }

  /** Schedules a handler (registered under `kind`) at virtual time `at`. */
  schedule(kind: string, at: number, data: Record<string, unknown> = {}): ScheduledEvent {
    return this.scheduler.schedule(kind, Math.max(at, 0), data);
  }

  /** Records a simulated event and hands it to the registered webhooks. */
  emit(api: string, type: string, data: Record<string, unknown>): SimEvent {
    const ev = this.events.record(this.now(), api, type, data);
    dispatchEvent(this, ev);
    return ev;
  }

  /** Fires every event due up to virtual time `target`, each at its own timestamp. */
  private runDue(target: number): number {
    if (this.firing) return 0;
    this.firing = true;
    let fired = 0;
    try {
      for (;;) {
        const ev = this.scheduler.popDue(target);
        if (!ev) break;
        this.fire(ev);
        if (++fired >= MAX_FIRED_PER_RUN) {
          console.error(`[commsim] workspace ${this.id}: more than ${MAX_FIRED_PER_RUN} events in one run; stopping`);
          break;
        }
      }
    } finally {
      this.firing = false;
    }
    return fired;
  }

  /** One due event, in its own transaction: a handler that throws leaves nothing half done. */
  private fire(ev: ScheduledEvent): void {
    const handler = this.runtime.eventHandler(ev.kind);
    if (!handler) {
      this.events.record(ev.at, 'sim', 'sim.unknown_event', { kind: ev.kind });
      return;
    }
    this.clock.pinnedAt(ev.at, () => {
      try {
        this.transaction(() => handler(this, ev.data));
      } catch (e) {
        console.error(`[commsim] workspace ${this.id}: event ${ev.kind} failed:`, e);
        this.events.record(ev.at, 'sim', 'sim.event_failed', { kind: ev.kind, error: e instanceof Error ? e.message : String(e) });
      }
    });
  }

  /** Catches up with the clock: fires every event already due. */
  sync(): number {
    if (this.doc.tx) return 0; // never inside a request's transaction
    return this.runDue(this.clock.now());
  }

  /** Moves the clock forward by `ms` or to `to`, firing due events in order. */
  advance(target: number): { now: string; fired: number } {
    const from = this.clock.now();
    const to = Math.max(target, from);
    const fired = this.runDue(to);
    this.clock.moveTo(to);
    this.afterChange();
    return { now: new Date(this.clock.now()).toISOString(), fired };
  }

  /** After a request or an async change: fire what is due now and arm the realtime timer. */
  afterChange(): void {
    if (this.closed) return;
    this.sync();
    this.arm();
    this.runtime.live?.changed(this);
  }

  private arm(): void {
    const next = this.scheduler.nextAt();
    if (next === undefined || this.clock.mode === 'manual') {
      this.disarm();
      return;
    }
    const delay = Math.min(this.clock.realDelayUntil(next), 2 ** 31 - 1);
    const at = this.runtime.hostNow() + delay;
    if (this.timer && this.timerAt <= at) return;
    this.disarm();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.runtime.wake(this);
    }, delay);
    this.timer.unref?.();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  close(): void {
    this.closed = true;
    this.disarm();
  }

  /**
   * After changes another instance committed were applied to this workspace's store (a fleet on
   * a shared store): what this object keeps beside the tables follows them.
   */
  absorb(applied: AppliedChanges): void {
    const doc = this.doc;
    if (applied.meta.has('clock')) this.clock.adopt(doc.getMeta<ClockState>('clock')!);
    if (applied.meta.has('rng')) this.rng.adopt(doc.getMeta<RngState>('rng')!);
    if (applied.meta.has('scenarioCounts')) this.scenario?.adopt(doc.getMeta<Record<string, number>>('scenarioCounts') ?? {});
    const scheduled = applied.tables.get('_schedule');
    if (scheduled) this.scheduler.absorb(scheduled as ScheduledEvent[]);
    const events = applied.tables.get('_events');
    if (events) this.events.absorb(events as SimEvent[]);
    const entries = applied.tables.get('_credit_entries');
    if (entries) this.credit.absorb(entries);
    for (const entry of applied.journal) this.journal.push(entry);
    if (applied.meta.has('credentials') || this.runtime.credentialTables().some((t) => applied.tables.has(t))) this.runtime.rebindCredentials(this);
  }
}
