import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseFixtures, deepMerge, fixturePath, fixturesOf } from '../../src/core/fixtures.js';
import { PROJECT_ROOT } from '../../src/core/paths.js';
import type { Runtime } from '../../src/core/runtime.js';
import { manualWorkspace, startRuntime } from './support.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(() => rt.shutdown());

describe('fixtures', () => {
  it('reads fixtures/<api>.json once', () => {
    expect(fixturePath('syniverse')).toBe(`${PROJECT_ROOT}/fixtures/syniverse.json`);
    const f = baseFixtures('syniverse');
    expect(f).toEqual(JSON.parse(readFileSync(fixturePath('syniverse'), 'utf8')));
    expect(baseFixtures('syniverse')).toBe(f);
    expect(() => baseFixtures('no-such-api')).toThrow(/ENOENT/);
  });

  it('deepMerge merges objects key by key and replaces arrays and scalars', () => {
    const a = { n: 1, o: { x: 1, y: { z: 1 } }, arr: [1, 2], s: 'a', objToScalar: { k: 1 } };
    const b = { n: 2, o: { y: { w: 2 } }, arr: [3], extra: true, objToScalar: 5 };
    expect(deepMerge(a, b)).toEqual({ n: 2, o: { x: 1, y: { z: 1, w: 2 } }, arr: [3], s: 'a', extra: true, objToScalar: 5 });
    expect(a.o.y).toEqual({ z: 1 }); // inputs untouched
    expect(deepMerge({ k: [1] }, { k: { a: 1 } })).toEqual({ k: { a: 1 } });
  });

  it("a workspace sees its scenario's overrides; others see the file", async () => {
    const plain = await manualWorkspace(rt, 'fx-plain');
    const custom = await manualWorkspace(rt, 'fx-custom', { scenario: { fixtures: { syniverse: { credit: { balance: 5 }, limits: { smsBodyLength: 10 } } } } });
    const base = baseFixtures('syniverse') as { credit: { balance: number; currency: string }; limits: Record<string, number> };
    expect(fixturesOf(plain, 'syniverse')).toBe(base);
    const f = fixturesOf<typeof base>(custom, 'syniverse');
    expect(f.credit).toEqual({ balance: 5, currency: base.credit.currency });
    expect(f.limits.smsBodyLength).toBe(10);
    expect(f.limits.indexedFieldLength).toBe(base.limits.indexedFieldLength);
    expect(fixturesOf(custom, 'syniverse')).toBe(f); // cached per workspace
    expect(fixturesOf(custom, 'clever')).toBe(baseFixtures('clever'));
  });
});
