import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventHandler } from '../../src/core/api.js';
import { createJob, listJobs } from '../../src/core/jobs.js';
import type { Runtime } from '../../src/core/runtime.js';
import { Store } from '../../src/core/store.js';
import { listWebhooks, registerWebhook } from '../../src/core/webhooks.js';
import { Workspace } from '../../src/core/workspace.js';
import { fakeModule, manualWorkspace, startRuntime, T0 } from './support.js';

/** Handlers of the fake API: each records what it saw (its kind, data and the clock). */
const seen: Array<{ kind: string; at: number; data: Record<string, unknown> }> = [];
const record = (kind: string): EventHandler => (ws, data) => {
  seen.push({ kind, at: ws.now(), data });
  ws.table('fake', 'log').put({ id: `${kind}-${ws.now()}-${seen.length}`, kind });
};

let rt: Runtime;
beforeEach(async () => {
  seen.length = 0;
  rt = await startRuntime((r) => [
    fakeModule(r, {
      eventHandlers: {
        'fake.a': record('a'),
        'fake.b': record('b'),
        'fake.chain': (ws, data) => {
          record('chain')(ws, data);
          const n = Number(data.n);
          if (n > 0) ws.schedule('fake.chain', ws.now() + 100, { n: n - 1 });
        },
        'fake.fail': (ws) => {
          ws.table('fake', 'log').put({ id: 'half-done' });
          ws.credit.charge('fake', 1, 'half', null);
          throw new Error('handler broke');
        },
        'fake.reenter': (ws) => {
          seen.push({ kind: 'reenter', at: ws.now(), data: { nested: ws.advance(ws.now() + 1_000_000).fired, synced: ws.sync() } });
        },
      },
    }),
  ]);
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await rt.shutdown();
});

describe('Workspace basics', () => {
  it('exposes id, init, credentials, clock and per-API tables', async () => {
    const ws = await manualWorkspace(rt, 'w-basic', { seed: 'abc' });
    expect(ws.id).toBe('w-basic');
    expect(ws.init).toMatchObject({ seed: 'abc', scenario: null, clock: { mode: 'manual', speed: 1, now: T0 } });
    expect(ws.credentials.fake.token).toMatch(/^fake_w-basic_[0-9a-f]{8}$/);
    expect(ws.now()).toBe(T0);
    expect(ws.nowIso()).toBe('2026-01-05T12:00:00.000Z');
    ws.table('fake', 'things').put({ id: 't1' });
    expect(ws.doc.table('fake.things').peek('t1')).toEqual({ id: 't1' });
    expect(ws.tx).toBeNull();
  });

  it('refuses a document without a clock, and seeds a missing RNG state', async () => {
    const doc = await new Store({ dir: null }).open('raw');
    expect(() => new Workspace(rt, doc)).toThrow('workspace raw has no clock');
    doc.setMeta('clock', { mode: 'manual', speed: 1, anchorVirtual: T0, anchorReal: 0 });
    doc.setMeta('init', { seed: 42, scenario: null, clock: { mode: 'manual', speed: 1, now: T0 }, createdAt: 0 });
    const a = new Workspace(rt, doc);
    expect(a.credentials).toEqual({});
    expect(a.scenario).toBeNull();
    const doc2 = await new Store({ dir: null }).open('raw2');
    doc2.setMeta('clock', doc.getMeta('clock'));
    doc2.setMeta('init', doc.getMeta('init'));
    expect(new Workspace(rt, doc2).rng.hex(8)).toBe(a.rng.hex(8)); // same seed, same draws
  });

  it('clamps scheduling before the epoch to 0', async () => {
    const ws = await manualWorkspace(rt, 'w-clamp');
    expect(ws.schedule('fake.a', -50).at).toBe(0);
  });
});

describe('Workspace.transaction', () => {
  it('commits what the body did', async () => {
    const ws = await manualWorkspace(rt, 'w-commit');
    const r = ws.transaction(() => {
      ws.table('fake', 'rec').put({ id: 'r1', v: 1 });
      return 'ok';
    });
    expect(r).toBe('ok');
    expect(ws.table('fake', 'rec').peek('r1')).toEqual({ id: 'r1', v: 1 });
  });

  it('an error undoes records, ledgers, scheduled events, jobs, webhooks, events and sequences', async () => {
    const ws = await manualWorkspace(rt, 'w-rollback');
    ws.table('fake', 'rec').put({ id: 'kept', v: 1 });
    const rngBefore = [...ws.rng.stateRef];
    const pendingBefore = ws.scheduler.size;
    const eventsBefore = ws.events.size;
    const balanceBefore = ws.credit.balance('fake');
    expect(() =>
      ws.transaction(() => {
        ws.table('fake', 'rec').get('kept')!.v = 2;
        ws.table('fake', 'rec').put({ id: 'new', v: 3 });
        ws.table('fake', 'rec').remove('kept');
        ws.credit.charge('fake', 4, 'undone', null);
        ws.credit.reserve('fake', 'hold', 1);
        ws.schedule('fake.a', T0 + 10);
        createJob(ws, { api: 'fake', kind: 'none', total: 10 });
        registerWebhook(ws, { url: 'http://127.0.0.1:9/hook' });
        ws.emit('fake', 'thing.created', {});
        ws.rng.hex(10);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(ws.table('fake', 'rec').all()).toEqual([{ id: 'kept', v: 1 }]);
    expect(ws.credit.balance('fake')).toBe(balanceBefore);
    expect(ws.credit.reservedTotal('fake')).toBe(0);
    expect(ws.credit.view('fake').entries).toHaveLength(1);
    expect(ws.scheduler.size).toBe(pendingBefore);
    expect(listJobs(ws)).toEqual([]);
    expect(listWebhooks(ws)).toEqual([]);
    expect(ws.events.size).toBe(eventsBefore);
    expect(ws.rng.stateRef).toEqual(rngBefore);
    // Sequences restart where they were: the next event reuses the undone one's id.
    const ev = ws.schedule('fake.a', T0 + 10);
    expect(ev.id).toBe(`ev${ev.seq}`);
    expect(ws.advance(T0 + 10).fired).toBe(1);
    expect(seen.map((s) => s.kind)).toEqual(['a']);
  });

  it('a result judged failed (status >= 400) is undone but returned', async () => {
    const ws = await manualWorkspace(rt, 'w-failed');
    const r = ws.transaction(
      () => {
        ws.table('fake', 'rec').put({ id: 'x' });
        ws.credit.charge('fake', 1, 'x', null);
        return { status: 402 };
      },
      (res) => res.status >= 400,
    );
    expect(r).toEqual({ status: 402 });
    expect(ws.table('fake', 'rec').size).toBe(0);
    expect(ws.credit.balance('fake')).toBe(10);
    const ok = ws.transaction(() => ({ status: 201 }), (res) => res.status >= 400);
    expect(ok.status).toBe(201);
  });

  it('nested transactions are savepoints', async () => {
    const ws = await manualWorkspace(rt, 'w-nested');
    ws.transaction(() => {
      ws.table('fake', 'rec').put({ id: 'outer' });
      expect(() =>
        ws.transaction(() => {
          ws.table('fake', 'rec').put({ id: 'inner' });
          throw new Error('inner fails');
        }),
      ).toThrow('inner fails');
      ws.transaction(() => ws.table('fake', 'rec').put({ id: 'inner-ok' }));
    });
    expect(ws.table('fake', 'rec').all().map((r) => r.id)).toEqual(['outer', 'inner-ok']);
  });

  it('refuses an asynchronous body and undoes it', async () => {
    const ws = await manualWorkspace(rt, 'w-async');
    expect(() =>
      ws.transaction(() => {
        ws.table('fake', 'rec').put({ id: 'async' });
        return Promise.resolve(1);
      }),
    ).toThrow('a transaction body must be synchronous');
    expect(ws.table('fake', 'rec').size).toBe(0);
    expect(ws.tx).toBeNull();
  });
});

describe('Workspace events and the clock', () => {
  it('advance() fires due events in time order, each at its own timestamp', async () => {
    const ws = await manualWorkspace(rt, 'w-adv');
    ws.schedule('fake.b', T0 + 300, { n: 3 });
    ws.schedule('fake.a', T0 + 100, { n: 1 });
    ws.schedule('fake.b', T0 + 100, { n: 2 });
    ws.schedule('fake.a', T0 + 5000, { n: 4 });
    const r = ws.advance(T0 + 1000);
    expect(r).toEqual({ now: '2026-01-05T12:00:01.000Z', fired: 3 });
    expect(seen.map((s) => [s.kind, s.at - T0, s.data.n])).toEqual([
      ['a', 100, 1],
      ['b', 100, 2],
      ['b', 300, 3],
    ]);
    expect(ws.now()).toBe(T0 + 1000);
    expect(ws.scheduler.size).toBe(1);
  });

  it('events scheduled while firing run in the same advance when due', async () => {
    const ws = await manualWorkspace(rt, 'w-chain');
    ws.schedule('fake.chain', T0 + 100, { n: 5 });
    expect(ws.advance(T0 + 350).fired).toBe(3);
    expect(seen.map((s) => s.at - T0)).toEqual([100, 200, 300]);
    expect(ws.scheduler.pending().map((e) => e.at - T0)).toEqual([400]);
    expect(ws.advance(T0 + 10_000).fired).toBe(3);
  });

  it('never moves the clock backwards', async () => {
    const ws = await manualWorkspace(rt, 'w-back');
    ws.advance(T0 + 1000);
    expect(ws.advance(T0).now).toBe('2026-01-05T12:00:01.000Z');
  });

  it('records an unknown event kind instead of failing', async () => {
    const ws = await manualWorkspace(rt, 'w-unknown');
    ws.schedule('nobody.handles', T0 + 5, { x: 1 });
    expect(ws.advance(T0 + 5).fired).toBe(1);
    expect(ws.events.list((e) => e.type === 'sim.unknown_event')).toMatchObject([{ api: 'sim', at: '2026-01-05T12:00:00.005Z', data: { kind: 'nobody.handles' } }]);
  });

  it('a failing handler leaves nothing half done and does not stop later events', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const ws = await manualWorkspace(rt, 'w-fail');
    ws.schedule('fake.fail', T0 + 10);
    ws.schedule('fake.a', T0 + 20);
    expect(ws.advance(T0 + 100).fired).toBe(2);
    expect(ws.table('fake', 'log').peek('half-done')).toBeUndefined();
    expect(ws.credit.balance('fake')).toBe(10);
    expect(ws.events.list((e) => e.type === 'sim.event_failed')).toMatchObject([{ data: { kind: 'fake.fail', error: 'handler broke' } }]);
    expect(seen.map((s) => s.kind)).toEqual(['a']);
    expect(err).toHaveBeenCalled();
  });

  it('does not fire events re-entrantly, nor sync inside a transaction', async () => {
    const ws = await manualWorkspace(rt, 'w-reenter');
    ws.schedule('fake.reenter', T0 + 1);
    ws.schedule('fake.a', T0 + 2);
    ws.advance(T0 + 10);
    expect(seen[0]).toMatchObject({ kind: 'reenter', data: { nested: 0, synced: 0 } });
    expect(seen.map((s) => s.kind)).toEqual(['reenter', 'a']);
    ws.schedule('fake.a', ws.now());
    expect(ws.transaction(() => ws.sync())).toBe(0);
    expect(ws.sync()).toBe(1);
  });

  it('emit() records the event and queues deliveries to matching webhooks', async () => {
    const ws = await manualWorkspace(rt, 'w-emit');
    registerWebhook(ws, { url: 'http://127.0.0.1:9/a', events: ['x.happened'] });
    registerWebhook(ws, { url: 'http://127.0.0.1:9/b', events: ['other'] });
    const ev = ws.emit('fake', 'x.happened', { k: 1 });
    expect(ev).toMatchObject({ api: 'fake', type: 'x.happened', data: { k: 1 }, at: ws.nowIso() });
    expect(ws.scheduler.pending().map((e) => [e.kind, e.data.event])).toEqual([['core.webhook.deliver', ev.id]]);
  });
});

describe('Workspace realtime timer', () => {
  it('fires due events on a host timer, re-arming for earlier ones', async () => {
    vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const rtr = await startRuntime((r) => [fakeModule(r, { eventHandlers: { 'fake.a': record('a') } })], { hostNow: () => Date.now() });
    const ws = await rtr.createWorkspace({ id: 'w-real', clock: { mode: 'realtime', speed: 2, now: new Date(T0).toISOString() } });
    ws.schedule('fake.a', T0 + 10_000, { n: 'late' });
    ws.afterChange();
    ws.schedule('fake.a', T0 + 2_000, { n: 'early' }); // earlier: replaces the timer
    ws.afterChange();
    ws.schedule('fake.a', T0 + 4_000, { n: 'middle' }); // later than the armed timer: kept
    ws.afterChange();
    await vi.advanceTimersByTimeAsync(999); // 1998 virtual ms at speed 2
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen.map((s) => [s.data.n, s.at - T0])).toEqual([['early', 2000]]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.map((s) => s.data.n)).toEqual(['early', 'middle']);
    // Switching to manual disarms the timer.
    ws.clock.set({ mode: 'manual' });
    ws.afterChange();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen).toHaveLength(2);
    ws.clock.set({ mode: 'realtime' });
    ws.afterChange();
    ws.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen).toHaveLength(2);
    ws.afterChange(); // closed: does nothing
    expect(ws.scheduler.size).toBe(1);
    await rtr.shutdown();
  });
});

describe('Workspace with a scenario', () => {
  it('keeps scenario rule counts in the document, undone with the transaction', async () => {
    const ws = await manualWorkspace(rt, 'w-scn', { scenario: { rules: [{ on: 'message', outcome: { state: 'FAILED' }, times: 1 }] } });
    expect(ws.scenario).not.toBeNull();
    expect(() =>
      ws.transaction(() => {
        expect(ws.scenario!.outcome('message', {})).toEqual({ state: 'FAILED' });
        throw new Error('undo');
      }),
    ).toThrow('undo');
    // The use was undone: the rule (times: 1) applies once more, then no longer.
    expect(ws.scenario!.outcome('message', {})).toEqual({ state: 'FAILED' });
    expect(ws.scenario!.outcome('message', {})).toBeUndefined();
    expect(ws.doc.getMeta('scenarioCounts')).toEqual({ '0': 1 });
  });
});
