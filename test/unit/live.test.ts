// The pieces the live view reads with: Ring.since (journal entries by number, across wrap-around)
// and LiveBus (listeners run after the change, once per burst, only while somebody listens).
import { describe, expect, it } from 'vitest';
import { Ring } from '../../src/core/journal.js';
import { LiveBus } from '../../src/core/live.js';
import type { Workspace } from '../../src/core/workspace.js';

describe('Ring.since', () => {
  it('gives the kept items from number n on, oldest first, before and after the ring wraps', () => {
    const r = new Ring<number>(3);
    expect(r.since(0)).toEqual([]);
    r.push(0);
    r.push(1);
    expect(r.since(0)).toEqual([0, 1]);
    expect(r.since(1)).toEqual([1]);
    for (let i = 2; i < 8; i++) r.push(i);
    expect(r.pushed).toBe(8);
    expect(r.since(0)).toEqual([5, 6, 7]); // 0-4 were dropped
    expect(r.since(6)).toEqual([6, 7]);
    expect(r.since(8)).toEqual([]);
    expect(r.since(6)).toEqual(r.toArray().slice(1));
  });
});

describe('LiveBus', () => {
  const ws = (id: string) => ({ id }) as Workspace;
  it('runs listeners once per burst after the change, per workspace or for all', async () => {
    const bus = new LiveBus();
    const a = ws('a');
    bus.changed(a); // nobody listens: nothing is noted
    const seen: string[] = [];
    const off = bus.subscribe('a', (w) => seen.push(`a:${w.id}`));
    bus.subscribe('*', (w) => seen.push(`*:${w.id}`));
    bus.changed(a);
    bus.changed(a);
    bus.changed(ws('b'));
    expect(seen).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['*:a', 'a:a', '*:b']);
    off();
    expect(bus.listened('a')).toBe(true); // the '*' listener still hears everything
    bus.changed(a);
    await new Promise((r) => setImmediate(r));
    expect(seen.slice(3)).toEqual(['*:a']);
  });
});
