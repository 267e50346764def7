import { describe, expect, it, vi } from 'vitest';
import { simErrorText } from './support.js';
import { checkScenario, drawDuration, factsOf, listScenarioNames, listScenarios, loadScenario, parseOffset, parseScenarioText, ScenarioRuntime, type Scenario } from '../../src/core/scenario.js';

describe('checkScenario', () => {
  it('accepts a valid scenario and returns it', async () => {
    const sc = { name: 'ok', seed: 3, clock: { mode: 'manual', now: '2026-01-01T00:00:00Z' }, rules: [{ fault: { status: 503 }, match: { api: 'x' } }], timeline: [{ at: '5s', inject: 'x' }] };
    expect(await checkScenario(sc)).toBe(sc);
  });

  it('lists every schema problem by its YAML path', async () => {
    const m = await simErrorText(checkScenario({ name: '', rules: [{ probability: 2 }], extra: true, clock: { speed: 0 } }));
    expect(m).toMatch(/^invalid: invalid scenario: /);
    expect(m).toContain('name: must NOT have fewer than 1 characters');
    expect(m).toContain('rules[0].probability: must be <= 1');
    expect(m).toContain('rules[0]: a rule needs an effect: outcome (with on), fault or latencyMs');
    expect(m).toContain('clock.speed: must be > 0');
    expect(m).toContain('extra: unknown property');
  });

  it('names unknown hooks, bad matchers and bad distributions precisely', async () => {
    const m = await simErrorText(
      checkScenario({ name: 'x', rules: [{ on: 'sms', outcome: {} }, { on: 'message', match: { to_address: { regexp: 'x' } }, outcome: {} }, { latencyMs: { min: 1 } }] }),
    );
    expect(m).toContain('rules[0].on: must be one of "message", "message-submit", "call", "inbound-call", "job", "push"');
    expect(m).toContain('rules[1].match.to_address: must be a matcher:');
    expect(m).toContain('rules[2].latencyMs: must be a duration in ms (an integer >= 0), {min, max} (uniform) or {mean, sd} (normal)');
    expect(m.split('; ')).toHaveLength(3);
  });

  it('rejects a bad timeline offset, regex, range or timing that the schema lets through', async () => {
    expect(await simErrorText(checkScenario({ name: 'x', timeline: [{ at: 'soon', inject: 'a' }] }))).toBe('invalid: invalid scenario: timeline[0].at: timeline offset "soon" (use ms or "30s", "5m", "1h")');
    expect(await simErrorText(checkScenario({ name: 'x', rules: [{ latencyMs: 1, match: { to: '/[a-/' } }] }))).toMatch(/^invalid: invalid scenario: rules\[0\]\.match\.to: invalid regular expression \/\[a-\/ in a scenario rule: /);
    expect(await simErrorText(checkScenario({ name: 'x', rules: [{ latencyMs: 1, match: { n: { min: 5, max: 1 } } }] }))).toBe('invalid: invalid scenario: rules[0].match.n: a number range needs max >= min (got min 5, max 1)');
    expect(await simErrorText(checkScenario({ name: 'x', rules: [{ on: 'message', outcome: { state: 'READ', afterMs: { min: 9, max: 2 }, readAfterMs: 'soon' } }] }))).toBe(
      'invalid: invalid scenario: rules[0].outcome.afterMs: max must be >= min; rules[0].outcome.readAfterMs: invalid duration "soon"',
    );
    expect(await simErrorText(checkScenario({ name: 'x', rules: [{ on: 'message', outcome: { state: 'FAILED' }, fault: { status: 503 } }] }))).toBe(
      'invalid: invalid scenario: rules[0].on: a domain rule (on) takes an outcome; fault and latencyMs are HTTP rules (without on)',
    );
  });

  it("refuses an outcome field or state its decision point does not know (it would fall through in silence)", async () => {
    const m = await simErrorText(
      checkScenario({
        name: 'x',
        rules: [
          { on: 'message', outcome: { state: 'DELIVERD', aftrMs: 5 } },
          { on: 'call', outcome: { afterMs: 1 } },
          { on: 'push', outcome: { status: 5 } },
          { on: 'job', outcome: { durationMs: 1, status: 'failed', error: 'x' } },
          { on: 'inbound-call', outcome: { hangupAfterMs: { min: 1, max: 2 } } },
        ],
      }),
    );
    expect(m).toBe(
      'invalid: invalid scenario: rules[0].outcome.aftrMs: not an outcome field of "message" (use state, afterMs, readAfterMs, details); rules[0].outcome.state: must be one of DELIVERED, READ, FAILED, EXPIRED; rules[1].outcome: an outcome of "call" needs state (ACTIVE, ANSWERED, REJECTED); rules[2].outcome.status: must be one of 2, 3, 4, 6',
    );
  });

  it('takes clock.start as clock.now', async () => {
    expect((await checkScenario({ name: 'x', clock: { mode: 'manual', start: '2026-01-01T00:00:00Z' } })).clock).toEqual({ mode: 'manual', start: '2026-01-01T00:00:00Z', now: '2026-01-01T00:00:00Z' });
  });
});

describe('parseScenarioText', () => {
  it('names the YAML path and line of each problem', async () => {
    const text = ['description: demo', 'rules:', '  - on: message', '    outcome: { state: FAILED }', '  - on: message', '    match:', "      to_address: { regex: '^[+]44', flag: i }", '    outcome: {}', 'timeline:', '  - at: -5', '    inject: mo-message'].join('\n');
    const m = await simErrorText(parseScenarioText(text, { name: 'demo', source: 'scenarios/demo.yaml' }));
    expect(m).toBe(
      'invalid: invalid scenario scenarios/demo.yaml: rules[1].match.to_address: must be a matcher: a value (a string /regex/flags is a regex), {equals: v}, {regex, flags?}, {in: [...]} or a number range {min?, max?} (line 7); timeline[0].at: must be >= 0 (line 10)',
    );
  });

  it('reports YAML that does not parse with its line, and a file that is not a mapping', async () => {
    expect(await simErrorText(parseScenarioText('rules: [1\nb: 2', { name: 'b' }))).toMatch(/^invalid: invalid scenario b: not readable YAML at line 2, column \d+: /);
    expect(await simErrorText(parseScenarioText('- 1\n- 2', { name: 'b' }))).toBe('invalid: invalid scenario b: the file must hold a mapping (name, rules, timeline ...)');
  });

  it('an unknown property is located on its key', async () => {
    const m = await simErrorText(parseScenarioText('seed: 1\nclock:\n  mode: manual\n  sped: 2\n', { name: 'c' }));
    expect(m).toBe('invalid: invalid scenario c: clock.sped: unknown property (line 4)');
  });
});

describe('loadScenario', () => {
  it('loads scenarios/NAME.yaml, named after the file', async () => {
    expect(listScenarioNames()).toContain('carrier-outage');
    const sc = await loadScenario('carrier-outage');
    expect(sc.name).toBe('carrier-outage');
    expect(Array.isArray(sc.rules) || Array.isArray(sc.timeline)).toBe(true);
  });

  it('lists the bundled scenarios with their descriptions', async () => {
    const all = await listScenarios();
    expect(all.map((x) => x.name)).toEqual(listScenarioNames());
    for (const x of all) expect(typeof x.description, x.name).toBe('string');
  });

  it('loads a .yaml path only when allowed (the CLI), named after the file', async () => {
    const path = new URL('../../scenarios/carrier-outage.yaml', import.meta.url).pathname;
    expect((await loadScenario(path, { allowPath: true })).name).toBe('carrier-outage');
    expect(await simErrorText(loadScenario(path))).toMatch(/^invalid: invalid scenario name/);
    expect(await simErrorText(loadScenario('/nope/x.yaml', { allowPath: true }))).toBe('invalid: scenario file /nope/x.yaml does not exist');
  });

  it('rejects unsafe and unknown names', async () => {
    expect(await simErrorText(loadScenario('../etc/passwd'))).toMatch(/^invalid: invalid scenario name "\.\.\/etc\/passwd" \(known: .*carrier-outage/);
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

  it('matches {equals}, {regex, flags}, {in} and inclusive number ranges', () => {
    const { rt } = make(
      rules([
        { on: 'm', match: { to: { regex: '^\\+33', flags: 'i' }, n: { min: 2, max: 4 } }, outcome: { r: 'both' } },
        { on: 'm', match: { kind: { in: ['a', 'b', 3] } }, outcome: { r: 'in' } },
        { on: 'm', match: { v: { equals: '/x/' } }, outcome: { r: 'eq' } },
        { on: 'm', match: { n: { min: 10 } }, outcome: { r: 'ge10' } },
      ]),
    );
    expect(rt.outcome('m', { to: '+33612', n: 2 })?.r).toBe('both');
    expect(rt.outcome('m', { to: '+33612', n: '4' })?.r).toBe('both');
    expect(rt.outcome('m', { to: '+33612', n: 5 })).toBeUndefined();
    expect(rt.outcome('m', { kind: 'b' })?.r).toBe('in');
    expect(rt.outcome('m', { kind: '3' })?.r).toBe('in');
    expect(rt.outcome('m', { kind: 'c' })).toBeUndefined();
    expect(rt.outcome('m', { v: '/x/' })?.r).toBe('eq'); // a literal, not a regex
    expect(rt.outcome('m', { n: 10 })?.r).toBe('ge10');
    for (const n of [9.99, '', null, undefined, true, 'ten']) expect(rt.outcome('m', { n: n as never }), String(n)).toBeUndefined();
  });

  it('draws ...Ms outcome timings and HTTP latency from the RNG; fixed values stay', () => {
    const draws = [0.5, 0.25, 0.5, 0.75];
    const { rt } = make(
      rules([
        { on: 'm', outcome: { state: 'DELIVERED', afterMs: { min: 1000, max: 3000 }, readAfterMs: '2s', holdMs: 7, note: { min: 1, max: 2 } } },
        { latencyMs: { mean: 100, sd: 10, max: 105 }, fault: { status: 503 } },
      ]),
      () => draws.shift()!,
    );
    expect(rt.outcome('m', {})).toEqual({ state: 'DELIVERED', afterMs: 2000, readAfterMs: 2000, holdMs: 7, note: { min: 1, max: 2 } });
    const eff = rt.httpEffect({});
    // Box-Muller with u1 = 1 - 0.25, u2 = 0.5: z = -sqrt(-2 ln 0.75) ~ -0.7585 -> 92.4 -> 92.
    expect(eff).toMatchObject({ latencyMs: 92, fault: { status: 503 } });
    expect(draws).toEqual([0.75]);
  });

  it('caps an HTTP latency at a minute', () => {
    const { rt } = make(rules([{ latencyMs: { min: 100_000, max: 200_000 } }]));
    expect(rt.httpEffect({})?.latencyMs).toBe(60_000);
  });

  it('drawDuration: fixed, uniform, normal clamped to min/max and never negative', () => {
    expect(drawDuration(250, () => 0.9)).toBe(250);
    expect(drawDuration('1.5s', () => 0.9)).toBe(1500);
    expect(drawDuration({ min: 10, max: 20 }, () => 0.999)).toBe(20);
    expect(drawDuration({ mean: 0, sd: 1000 }, () => 0.01)).toBeGreaterThanOrEqual(0);
    const seq = [0.999999, 0.5];
    expect(drawDuration({ mean: 100, sd: 50, min: 90 }, () => seq.shift()!)).toBe(90);
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
      expect(await fresh.checkScenario({ name: 'x', timeline: [{ at: 1 }] }).catch((e: Error) => e.message)).toBe('invalid scenario: timeline[0]: a timeline step needs inject or credit');
      const ok = { name: 'y', seed: 'abc' };
      expect(await fresh.checkScenario(ok)).toBe(ok);
    } finally {
      vi.doUnmock('node:fs');
      vi.resetModules();
    }
  });
});
