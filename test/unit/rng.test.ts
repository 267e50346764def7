import { describe, expect, it, vi } from 'vitest';
import { Rng, seedState } from '../../src/core/rng.js';

const draw = (r: Rng, n: number) => Array.from({ length: n }, () => r.uint32());

describe('seedState', () => {
  it('hashes numbers and strings into four 32-bit words, deterministically', () => {
    const s = seedState('abc');
    expect(s).toHaveLength(4);
    for (const w of s) expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
    expect(seedState('abc')).toEqual(s);
    expect(seedState(1)).toEqual(seedState('1'));
    expect(seedState(1)).not.toEqual(seedState(2));
    expect(seedState('')).toHaveLength(4);
  });
});

describe('Rng', () => {
  it('replays the same sequence from the same seed, and a different one from another', () => {
    expect(draw(Rng.fromSeed(7), 20)).toEqual(draw(Rng.fromSeed(7), 20));
    expect(draw(Rng.fromSeed(7), 5)).not.toEqual(draw(Rng.fromSeed(8), 5));
  });

  it('continues from a persisted state (the live array is the state)', () => {
    const a = Rng.fromSeed('persist');
    draw(a, 3);
    const saved = JSON.parse(JSON.stringify(a.stateRef));
    const next = draw(a, 5);
    expect(draw(new Rng(saved), 5)).toEqual(next);
  });

  it('draws uniform values in range', () => {
    const r = Rng.fromSeed('range');
    const ints = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const f = r.next();
      expect(f >= 0 && f < 1).toBe(true);
      const k = r.int(6);
      expect(Number.isInteger(k) && k >= 0 && k < 6).toBe(true);
      ints.add(k);
    }
    expect(ints.size).toBe(6);
    let hits = 0;
    for (let i = 0; i < 4000; i++) if (r.chance(0.25)) hits++;
    expect(hits).toBeGreaterThan(800);
    expect(hits).toBeLessThan(1200);
    expect(r.chance(0)).toBe(false);
    expect(r.chance(1)).toBe(true);
    expect(['a', 'b', 'c']).toContain(r.pick(['a', 'b', 'c']));
  });

  it('builds ids from the right alphabets and lengths', () => {
    const r = Rng.fromSeed('ids');
    expect(r.base64url()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(r.base64url(5)).toMatch(/^[A-Za-z0-9_-]{5}$/);
    expect(r.hex(40)).toMatch(/^[0-9a-f]{40}$/);
    expect(r.digits(12)).toMatch(/^\d{12}$/);
    expect(r.chars('xy', 50)).toMatch(/^[xy]{50}$/);
    expect(r.chars('xy', 0)).toBe('');
    expect(r.hex(5000)).toHaveLength(5000);
  });

  it('a batch of characters notifies once; each single draw notifies', () => {
    const onChange = vi.fn();
    const before = vi.fn();
    const r = new Rng(seedState('n'), onChange, before);
    r.hex(32);
    expect([onChange.mock.calls.length, before.mock.calls.length]).toEqual([1, 1]);
    r.next();
    r.int(3);
    expect([onChange.mock.calls.length, before.mock.calls.length]).toEqual([3, 3]);
  });

  it('the same draws give the same strings as single steps would', () => {
    const a = Rng.fromSeed('same');
    const b = Rng.fromSeed('same');
    const alphabet = '0123456789abcdef';
    const fromSteps = Array.from({ length: 16 }, () => alphabet[b.uint32() % 16]).join('');
    expect(a.hex(16)).toBe(fromSteps);
  });
});
