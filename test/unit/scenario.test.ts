import { describe, expect, it, vi } from 'vitest';
import { simErrorText } from './support.js';
import { checkScenario, factsOf, listScenarioNames, loadScenario, parseOffset, ScenarioRuntime, type Scenario } from '../../src/core/scenario.js';

describe('checkScenario', () => {
  it('accepts a valid scenario and returns it', async () => {
    const sc = { name: 'ok', seed: 3, clock: { mode: 'manual', now: '2026-01-01T00:00:00Z' }, rules: [{ fault: { status: 503 }, match: { api: 'x' } }], timeline: [{ at: '5s', inject: 'x' }] };
    expect(await checkScenario(sc)).toBe(sc);
  });

  it('lists every schema problem with its place', async () => {
    const m = await simErrorText(checkScenario({ name: '', rules: [{ probability: 2 }], extra: true, clock: { speed: 0 } }));
    expect(m).toMatch(/^invalid: invalid scenario: /);
    expect(m).toContain('/name must NOT have fewer than 1 characters');
    expect(m).toContain('/rules/0/probability must be <= 1');
    expect(m).toContain('/clock/speed must be > 0');
    expect(m).toContain('/ must NOT have additional properties');
  });

  it('rejects a bad timeline offset or regex that the schema lets through', async () => {
    expect(await simErrorText(checkScenario({ name: 'x', timeline: [{ at: 'soon', inject: 'a' }] }))).toBe('invalid: invalid timeline offset "soon" (use ms or "30s", "5m", "1h")');
    expect(await simErrorText(checkScenario({ name: 'x', rules: [{ latencyMs: 1, match: { to: '/[a-/' } }] }))).toMatch(/^invalid: invalid regular expression \/\[a-\/ in a scenario rule: /);
  });
});

describe('loadScenario', () => {
  it('loads scenarios/NAME.yaml, named after the file', async () => {
    expect(listScenarioNames()).toContain('carrier-outage');
    const sc = await loadScenario('carrier-outage');
    expect(sc.name).toBe('carrier-outage');
    expect(Array.isArray(sc.rules) || Array.isArray(sc.timeline)).toBe(true);
  });

  it('rejects unsafe and unknown names', async () => {
    expect(await simErrorText(loadScenario('../etc/passwd'))).toBe('invalid: invalid scenario name "../etc/passwd"');
    expect(await simErrorText(loadScenario('nope'))).toMatch(/^invalid: unknown scenario "nope" \(known: .*carrier-outage.*\)$/);
  });
});

describe('parseOffset', () => {
  it('reads ms numbers and unit strings', () => {
    expect(parseOffset(0)).toBe(0);
    expect(parseOffset(1500)).toBe(1500);
    expect(parseOffset('250')).toBe(250);
    expect(parseOffset('250ms')).toBe(250);
    expect(parseOffset(' 30s ')).toBe(30_000);
    expect(parseOffset('1.5s')).toBe(1500);
    expect(parseOffset('5m')).toBe(300_000);
    expect(parseOffset('2 h')).toBe(7_200_000);
  });

  it('rejects negative and unknown forms', async () => {
    for (const bad of [-1, '-1s', '5d', 'm', '', '1e3']) expect(await simErrorText(() => parseOffset(bad)), String(bad)).toMatch(/^invalid: invalid timeline offset/);
  });
});

describe('ScenarioRuntime', () => {
  const rules = (r: Scenario['rules']): Scenario => ({ name: 't', rules: r });
  const make = (sc: Scenario, random = () => 0.5) => {
    const counts: Record<string, number> = {};
    const onCount = vi.fn();
    const before = vi.fn();
    return { rt: new ScenarioRuntime(sc, counts, random, onCount, before), counts, onCount, before };
  };

  it('picks the first matching HTTP rule (fault or latency, no `on`)', () => {
    const { rt, counts, onCount, before } = make(
      rules([
        { name: 'domain', on: 'message', outcome: { state: 'X' } },
        { name: 'fault', match: { api: 'syn', operationId: 'send' }, fault: { status: 503, code: 'down' } },
        { name: 'slow', latencyMs: 20 },
      ]),
    );
    expect(rt.httpRule({ api: 'syn', operationId: 'send' })?.name).toBe('fault');
    expect(rt.httpRule({ api: 'syn', operationId: 'list' })?.name).toBe('slow');
    expect(counts).toEqual({ '1': 1, '2': 1 });
    expect(onCount).toHaveBeenCalledTimes(2);
    expect(before).toHaveBeenCalledTimes(2);
  });

  it('matches exact values loosely by string, and /regex/flags', () => {
    const { rt } = make(
      rules([
        { name: 're', on: 'm', match: { to: '/^\\+33/' }, outcome: { r: 1 } },
        { name: 'ci', on: 'm', match: { to: '/^abc$/i' }, outcome: { r: 2 } },
        { name: 'num', on: 'm', match: { count: 3 }, outcome: { r: 3 } },
        { name: 'bool', on: 'm', match: { flag: 'true' }, outcome: { r: 4 } },
        { name: 'null', on: 'm', match: { gone: null }, outcome: { r: 5 } },
        { name: 'slash', on: 'm', match: { path: '/' }, outcome: { r: 6 } },
      ]),
    );
    expect(rt.outcome('m', { to: '+33612345678' })).toEqual({ r: 1 });
    expect(rt.outcome('m', { to: 'ABC' })).toEqual({ r: 2 });
    expect(rt.outcome('m', { count: '3' })).toEqual({ r: 3 });
    expect(rt.outcome('m', { flag: true })).toEqual({ r: 4 });
    expect(rt.outcome('m', { gone: null })).toEqual({ r: 5 });
    expect(rt.outcome('m', { path: '/' })).toEqual({ r: 6 });
    expect(rt.outcome('m', { gone: undefined })).toBeUndefined(); // undefined is not null
    expect(rt.outcome('m', {})).toBeUndefined(); // a regex never matches a missing fact
    expect(rt.outcome('other', { to: '+33' })).toBeUndefined();
  });

  it('applies a rule at most `times` times', () => {
    const { rt, counts } = make(rules([{ on: 'm', outcome: { n: 1 }, times: 2 }, { on: 'm', outcome: { n: 2 } }]));
    expect([1, 2, 3, 4].map(() => rt.outcome('m', {})?.n)).toEqual([1, 1, 2, 2]);
    expect(counts).toEqual({ '0': 2, '1': 2 });
  });

  it('applies a rule with its probability, from the workspace RNG', () => {
    const draws = [0.1, 0.3, 0.29];
    const { rt } = make(rules([{ on: 'm', outcome: { hit: true }, probability: 0.3 }]), () => draws.shift()!);
    expect([1, 2, 3].map(() => rt.outcome('m', {}) !== undefined)).toEqual([true, false, true]);
  });

  it('a scenario without rules matches nothing', () => {
    const { rt } = make({ name: 'empty' });
    expect(rt.httpRule({})).toBeUndefined();
    expect(rt.outcome('m', {})).toBeUndefined();
  });
});

describe('factsOf', () => {
  it('flattens top-level scalars and joins arrays; later parts win', () => {
    expect(factsOf({ a: 1, b: 'x', c: true, d: null, e: { deep: 1 }, f: ['+1', 2] }, undefined, null, { a: 2 })).toEqual({ a: 2, b: 'x', c: true, d: null, f: '+1,2' });
  });
});

describe('scenario validator fallback', () => {
  it('compiles the schema with ajv when the build output is missing', async () => {
    vi.resetModules();
    vi.doMock('node:fs', async (orig) => {
      const fs = await orig<typeof import('node:fs')>();
      return { ...fs, existsSync: (p: string) => (String(p).endsWith('scenario-schema.js') ? false : fs.existsSync(p)) };
    });
    try {
      const fresh = await import('../../src/core/scenario.js');
      expect(await fresh.checkScenario({ name: 'x', timeline: [{ at: 1 }] }).catch((e: Error) => e.message)).toMatch(/^invalid scenario: \/timeline\/0 must have required property/);
      const ok = { name: 'y', seed: 'abc' };
      expect(await fresh.checkScenario(ok)).toBe(ok);
    } finally {
      vi.doUnmock('node:fs');
      vi.resetModules();
    }
  });
});
