import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Injector } from '../../src/core/api.js';
import { invalid, notFound, SimError } from '../../src/core/errors.js';
import { DEFAULT_WORKSPACE, parseClockInput, Runtime, TIMELINE_EVENT } from '../../src/core/runtime.js';
import { fakeModule, manualWorkspace, simErrorText, startRuntime, T0 } from './support.js';

const runtimes: Runtime[] = [];
async function start(...args: Parameters<typeof startRuntime>): Promise<Runtime> {
  const rt = await startRuntime(...args);
  runtimes.push(rt);
  return rt;
}
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.shutdown();
});

describe('Runtime registry', () => {
  it('registers modules, their handlers, job kinds and injectors', async () => {
    const inj: Injector = () => 'x';
    const rt = await start((r) => [
      fakeModule(r, { eventHandlers: { 'fake.h': () => undefined }, jobKinds: { k: { run: () => 1 } }, injectors: { zeta: inj, alpha: inj } }),
      fakeModule(r, { id: 'two', injectors: { alpha: inj } }),
    ]);
    expect(rt.apiList().map((m) => m.id)).toEqual(['fake', 'two']);
    expect(rt.api('two')?.id).toBe('two');
    expect(rt.api('nope')).toBeUndefined();
    expect(rt.eventHandler('fake.h')).toBeTypeOf('function');
    expect(rt.eventHandler('core.job.start')).toBeTypeOf('function');
    expect(rt.eventHandler('core.webhook.deliver')).toBeTypeOf('function');
    expect(rt.eventHandler(TIMELINE_EVENT)).toBeTypeOf('function');
    expect(rt.jobKind('k')?.run).toBeTypeOf('function');
    expect(rt.injectKinds()).toEqual(['alpha', 'zeta']);
    expect(rt.limits).toEqual({ journal: 1000, events: 10_000, ledgerEntries: 20_000 });
    expect(rt.version).toBe('0.0.0');
  });

  it('start() creates the default workspace with the documented credentials', async () => {
    const rt = await start();
    const d = rt.require(DEFAULT_WORKSPACE);
    expect(d.credentials).toEqual({ fake: { token: 'fake-default-token' } });
    expect(rt.findByCredential('fake', 'fake-default-token')).toEqual([d]);
    expect(d.credit.balance('fake')).toBe(10);
    expect(rt.list()).toEqual([d]);
    expect(await simErrorText(() => rt.require('nope'))).toBe('not_found: workspace "nope" not found');
  });

  it('applies custom limits to new workspaces', async () => {
    const rt = await start(undefined, { limits: { journal: 2 } });
    expect(rt.limits.journal).toBe(2);
    expect(rt.require('default').journal.capacity).toBe(2);
  });
});

describe('createWorkspace', () => {
  it('validates id, seed, scenario and clock', async () => {
    const rt = await start();
    await manualWorkspace(rt, 'taken');
    expect(await simErrorText(rt.createWorkspace({ id: 'bad id' }))).toMatch(/^invalid: id must be 1-64 characters/);
    expect(await simErrorText(rt.createWorkspace({ id: 7 }))).toMatch(/^invalid: id must/);
    expect(await simErrorText(rt.createWorkspace({ id: 'taken' }))).toBe('duplicate: workspace "taken" already exists');
    expect(await simErrorText(rt.createWorkspace({ seed: 1.5 }))).toBe('invalid: seed must be an integer or a string');
    expect(await simErrorText(rt.createWorkspace({ seed: {} }))).toBe('invalid: seed must be an integer or a string');
    expect(await simErrorText(rt.createWorkspace({ scenario: ['x'] }))).toBe('invalid: scenario must be a scenario name or a scenario object');
    expect(await simErrorText(rt.createWorkspace({ scenario: 5 }))).toBe('invalid: scenario must be a scenario name or a scenario object');
    expect(await simErrorText(rt.createWorkspace({ scenario: 'no-such-scenario' }))).toMatch(/^invalid: unknown scenario "no-such-scenario" \(known: .*carrier-outage/);
    expect(await simErrorText(rt.createWorkspace({ scenario: { bogus: 1 } }))).toBe('invalid: invalid scenario: bogus: unknown property');
    expect(await simErrorText(rt.createWorkspace({ clock: 5 }))).toBe('invalid: clock must be an object {mode, speed, now}');
    expect(await simErrorText(rt.createWorkspace({ clock: [] }))).toBe('invalid: clock must be an object {mode, speed, now}');
    expect(await simErrorText(rt.createWorkspace({ clock: { mode: 'fast' } }))).toBe('invalid: clock.mode must be "realtime" or "manual"');
    expect(rt.list().map((w) => w.id)).toEqual(['default', 'taken']);
  });

  it('generates an id when none is given', async () => {
    const rt = await start();
    const a = await rt.createWorkspace({});
    const b = await rt.createWorkspace({});
    expect(a.id).toMatch(/^ws_[A-Za-z0-9]{10}$/);
    expect(b.id).not.toBe(a.id);
    expect(a.init.clock).toEqual({ mode: 'realtime', speed: 1, now: null });
    expect(a.now()).toBe(T0); // a realtime clock without now starts at the host time
  });

  it('takes the seed from the request, else the scenario, else the server', async () => {
    const rt = await start(undefined, { seed: 'srv' });
    expect((await rt.createWorkspace({ seed: 9, scenario: { seed: 3 } })).init.seed).toBe(9);
    expect((await rt.createWorkspace({ scenario: { seed: 3 } })).init.seed).toBe(3);
    expect((await rt.createWorkspace({})).init.seed).toBe('srv');
    // Same seed, same credentials draws.
    const x = await rt.createWorkspace({ id: 'sx', seed: 5 });
    const y = await rt.createWorkspace({ id: 'sy', seed: 5 });
    expect(String(x.credentials.fake.token).slice(-8)).toBe(String(y.credentials.fake.token).slice(-8));
  });

  it("merges the scenario's clock under the request's and opens credit from it", async () => {
    const rt = await start();
    const ws = await rt.createWorkspace({
      id: 'scn',
      scenario: { clock: { mode: 'manual', now: '2026-03-01T00:00:00Z', speed: 3 }, credit: { fake: 77 } },
      clock: { speed: 5 },
    });
    expect(ws.init.scenario?.name).toBe('inline');
    expect(ws.clock.view()).toEqual({ now: '2026-03-01T00:00:00.000Z', mode: 'manual', speed: 5 });
    expect(ws.credit.balance('fake')).toBe(77);
  });

  it('loads a named scenario from scenarios/', async () => {
    const rt = await start();
    const ws = await rt.createWorkspace({ id: 'named', scenario: 'carrier-outage' });
    expect(ws.init.scenario?.name).toBe('carrier-outage');
    expect(ws.scenario).not.toBeNull();
  });

  it('runs the scenario timeline: credit changes and injections, recording each step', async () => {
    const injected: unknown[] = [];
    const rt = await start((r) => [
      fakeModule(r, {
        injectors: {
          ping: (ws, body) => {
            injected.push({ at: ws.now() - T0, body });
            return { pong: true };
          },
          broken: () => {
            throw invalid('cannot do that');
          },
        },
      }),
    ]);
    const ws = await manualWorkspace(rt, 'tl', {
      scenario: {
        timeline: [
          { at: '30s', inject: 'ping', body: { n: 1 } },
          { at: 1000, credit: { fake: 3, unknownApi: 9 } },
          { at: '1m', inject: 'broken' },
          { at: '2m', inject: 'ping' },
        ],
      },
    });
    expect(ws.scheduler.pending().map((e) => [e.kind, e.at - T0])).toEqual([
      [TIMELINE_EVENT, 1000],
      [TIMELINE_EVENT, 30_000],
      [TIMELINE_EVENT, 60_000],
      [TIMELINE_EVENT, 120_000],
    ]);
    ws.advance(T0 + 1000);
    expect(ws.credit.balance('fake')).toBe(3);
    expect(ws.credit.view('fake').entries.at(-1)).toMatchObject({ reason: 'scenario timeline', amount: -7 });
    ws.advance(T0 + 200_000);
    expect(injected).toEqual([
      { at: 30_000, body: { n: 1 } },
      { at: 120_000, body: {} },
    ]);
    expect(ws.events.list((e) => e.type === 'scenario.step').map((e) => e.data)).toEqual([
      { step: 0, inject: 'ping', ok: true, result: { pong: true } },
      { step: 2, inject: 'broken', ok: false, error: 'cannot do that' },
      { step: 3, inject: 'ping', ok: true, result: { pong: true } },
    ]);
    // A step index the scenario does not have is ignored.
    rt.eventHandler(TIMELINE_EVENT)!(ws, { step: 99 });
  });
});

describe('reset, delete, snapshots', () => {
  it('reset keeps id, init and credentials, and starts the state over', async () => {
    const rt = await start();
    const ws = await manualWorkspace(rt, 'r1');
    const token = ws.credentials.fake.token as string;
    ws.table('fake', 'things').put({ id: 'a' });
    ws.credit.set('fake', 1);
    ws.advance(T0 + 50_000);
    const fresh = await rt.resetWorkspace('r1');
    expect(fresh).not.toBe(ws);
    expect(ws.closed).toBe(true);
    expect(fresh.credentials.fake.token).toBe(token);
    expect(fresh.table('fake', 'things').size).toBe(0);
    expect(fresh.credit.balance('fake')).toBe(10);
    expect(fresh.now()).toBe(T0);
    expect(rt.findByCredential('fake', token)).toEqual([fresh]);
    expect(rt.get('r1')).toBe(fresh);
  });

  it('delete unbinds the credentials', async () => {
    const rt = await start();
    const ws = await manualWorkspace(rt, 'd1');
    const token = ws.credentials.fake.token as string;
    await rt.deleteWorkspace('d1');
    expect(rt.get('d1')).toBeUndefined();
    expect(rt.findByCredential('fake', token)).toEqual([]);
    expect(ws.closed).toBe(true);
    expect(await simErrorText(rt.deleteWorkspace('d1'))).toMatch(/^not_found/);
  });

  it('exports and imports a snapshot', async () => {
    const rt = await start();
    const ws = await manualWorkspace(rt, 's1');
    ws.table('fake', 'things').put({ id: 'a', v: 1 });
    const snap = rt.exportSnapshot('s1');
    expect(snap).toMatchObject({ workspace: 's1', format: 'commsim-workspace', tables: { 'fake.things': [{ id: 'a', v: 1 }] } });
    ws.table('fake', 'things').put({ id: 'b' });
    const back = await rt.importSnapshot('s1', JSON.parse(JSON.stringify(snap)));
    expect(back.table('fake', 'things').all()).toEqual([{ id: 'a', v: 1 }]);
    expect(rt.findByCredential('fake', back.credentials.fake.token as string)).toEqual([back]);
  });

  it('rejects a malformed snapshot, or one holding another workspace’s credentials', async () => {
    const rt = await start();
    const ws = await manualWorkspace(rt, 's2');
    await manualWorkspace(rt, 's3');
    const good = JSON.parse(JSON.stringify(rt.exportSnapshot('s2')));
    expect(await simErrorText(rt.importSnapshot('s2', null))).toMatch(/^invalid: body must be a workspace snapshot/);
    expect(await simErrorText(rt.importSnapshot('s2', { ...good, format: 'other' }))).toMatch(/^invalid: body must be/);
    expect(await simErrorText(rt.importSnapshot('s2', { ...good, meta: { init: 1 } }))).toBe('invalid: snapshot lacks init, clock or credentials');
    expect(await simErrorText(rt.importSnapshot('s2', { ...good, tables: { t: {} } }))).toBe('invalid: snapshot table t must be an array of records with a string id');
    expect(await simErrorText(rt.importSnapshot('s2', { ...good, tables: { t: [{ id: 1 }] } }))).toMatch(/^invalid: snapshot table t/);
    expect(await simErrorText(rt.importSnapshot('s2', { ...good, tables: { t: [null] } }))).toMatch(/^invalid: snapshot table t/);
    expect(await simErrorText(rt.importSnapshot('s3', good))).toBe("duplicate: the snapshot's fake credentials belong to another workspace");
    expect(await simErrorText(rt.importSnapshot('nope', good))).toMatch(/^not_found/);
    expect(rt.get('s2')).toBe(ws);
  });
});

describe('credentials index', () => {
  it('binds keys to workspaces, narrowed by a hint, undone with the transaction', async () => {
    const rt = await start();
    const a = await manualWorkspace(rt, 'ca');
    const b = await manualWorkspace(rt, 'cb');
    rt.bindKey('fake', 'shared', a);
    rt.bindKey('fake', 'shared', b);
    rt.bindKey('fake', 'shared', b); // once
    expect(rt.findByCredential('fake', 'shared')).toEqual([a, b]);
    expect(rt.findByCredential('fake', 'shared', 'cb')).toEqual([b]);
    expect(rt.findByCredential('nope', 'shared')).toEqual([]);
    expect(() =>
      a.transaction(() => {
        rt.bindKey('fake', 'temp', a);
        rt.unbindKey('fake', 'shared', a);
        throw new Error('undo');
      }),
    ).toThrow();
    expect(rt.findByCredential('fake', 'temp')).toEqual([]);
    expect(rt.findByCredential('fake', 'shared')).toEqual([b, a]);
    rt.unbindKey('fake', 'shared', a);
    rt.unbindKey('fake', 'shared', a); // no longer bound
    rt.unbindKey('nope', 'x', a);
    rt.unbindKey('fake', 'shared', b);
    expect(rt.findByCredential('fake', 'shared')).toEqual([]);
  });

  it('binds state keys that the module derives from the workspace', async () => {
    const rt = await start((r) => [
      fakeModule(r, {
        credentials: {
          ...fakeModule(r).credentials,
          stateKeys: (ws) => ws.table('fake', 'tokens').all().map((t) => `tok:${t.id}`),
        },
      }),
    ]);
    const ws = await manualWorkspace(rt, 'sk');
    ws.table('fake', 'tokens').put({ id: 't1' });
    rt.bindCredentials(ws);
    expect(rt.findByCredential('fake', 'tok:t1')).toEqual([ws]);
    rt.unbindCredentials(ws);
    expect(rt.findByCredential('fake', 'tok:t1')).toEqual([]);
    expect(rt.findByCredential('fake', ws.credentials.fake.token as string)).toEqual([]);
  });
});

describe('inject', () => {
  const made = (r: Runtime) => [
    fakeModule(r, {
      injectors: {
        solo: (ws, body) => {
          ws.table('fake', 'in').put({ id: 'solo' });
          return { by: 'fake', body };
        },
        both: (ws, body) => {
          ws.table('fake', 'in').put({ id: 'tried-fake' });
          if (body.to !== 'fake') throw notFound('not mine');
          return 'fake took it';
        },
        crash: () => {
          throw new SimError('state', 'wrong state');
        },
      },
    }),
    fakeModule(r, {
      id: 'two',
      injectors: {
        both: (ws, body) => {
          if (body.to !== 'two') throw invalid('not mine either');
          return 'two took it';
        },
        crash: () => 'unreached',
      },
    }),
  ];

  it('runs the only injector of a kind, or the one named by api', async () => {
    const rt = await start(made);
    const ws = await manualWorkspace(rt, 'inj');
    expect(rt.inject(ws, 'solo', { x: 1 })).toEqual({ by: 'fake', body: { x: 1 } });
    expect(rt.inject(ws, 'both', { api: 'two', to: 'two' })).toBe('two took it');
    expect(await simErrorText(() => rt.inject(ws, 'both', { api: 'three' }))).toBe('invalid: api "three" does not handle inject kind both (handled by: fake, two)');
    expect(await simErrorText(() => rt.inject(ws, 'solo', { api: 'two' }))).toMatch(/^invalid: api "two" does not handle inject kind solo/);
    expect(await simErrorText(() => rt.inject(ws, 'unknown', {}))).toBe('not_found: no simulator handles inject kind "unknown" (known: both, crash, solo)');
  });

  it('without api, tries each API in turn; a failed try changes nothing', async () => {
    const rt = await start(made);
    const ws = await manualWorkspace(rt, 'inj2');
    expect(rt.inject(ws, 'both', { to: 'two' })).toBe('two took it');
    expect(ws.table('fake', 'in').peek('tried-fake')).toBeUndefined();
    expect(rt.inject(ws, 'both', { to: 'fake' })).toBe('fake took it');
    expect(await simErrorText(() => rt.inject(ws, 'both', { to: 'nobody' }))).toBe('not_found: not mine');
    // Errors other than not_found/invalid stop the search.
    expect(await simErrorText(() => rt.inject(ws, 'crash', {}))).toBe('state: wrong state');
  });

  it('reports no known kinds when no API injects', async () => {
    const rt = await start((r) => [fakeModule(r)]);
    expect(await simErrorText(() => rt.inject(rt.require('default'), 'x', {}))).toBe('not_found: no simulator handles inject kind "x" (known: none)');
  });
});

describe('persistence', () => {
  it('reloads persisted workspaces at start, skipping documents without init', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'commsim-rt-'));
    try {
      const a = await startRuntime(undefined, { dataDir: dir, flushMs: 5 });
      const ws = await manualWorkspace(a, 'kept');
      ws.table('fake', 'things').put({ id: 'p1' });
      await a.flushAll();
      await a.shutdown();
      writeFileSync(join(dir, 'orphan.0.log'), '{"m":"unrelated","v":1}\n');
      const b = await startRuntime(undefined, { dataDir: dir });
      try {
        expect(b.list().map((w) => w.id).sort()).toEqual(['default', 'kept']);
        const back = b.require('kept');
        expect(back.table('fake', 'things').peek('p1')).toEqual({ id: 'p1' });
        expect(b.findByCredential('fake', back.credentials.fake.token as string)).toEqual([back]);
        const r = await b.resetWorkspace('kept');
        expect(r.table('fake', 'things').size).toBe(0);
      } finally {
        await b.shutdown();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseClockInput', () => {
  it('accepts mode, speed and now (ISO or epoch ms)', () => {
    expect(parseClockInput({})).toEqual({});
    expect(parseClockInput({ mode: 'manual', speed: 2.5, now: '2026-01-05T12:00:00Z' })).toEqual({ mode: 'manual', speed: 2.5, now: T0 });
    expect(parseClockInput({ now: T0, mode: 'realtime' })).toEqual({ now: T0, mode: 'realtime' });
    expect(parseClockInput({ now: null })).toEqual({});
  });

  it('rejects bad values', async () => {
    for (const speed of [0, -1, '2', 1e7, NaN]) expect(await simErrorText(() => parseClockInput({ speed }))).toBe('invalid: clock.speed must be a number > 0 (at most 1e6)');
    expect(await simErrorText(() => parseClockInput({ now: 'yesterday' }))).toBe('invalid: clock.now must be an ISO 8601 timestamp or epoch milliseconds');
    expect(await simErrorText(() => parseClockInput({ mode: 1 }))).toMatch(/^invalid: clock.mode/);
  });
});
