import { beforeEach, describe, expect, it } from 'vitest';
import { Scheduler, type ScheduledEvent } from '../../src/core/scheduler.js';
import { Store, type DocStore } from '../../src/core/store.js';

let doc: DocStore;
const table = () => doc.table<ScheduledEvent>('_schedule');
const make = () => new Scheduler(table(), () => doc.tx);

beforeEach(async () => {
  doc = await new Store({ dir: null }).open('sched');
});

function drain(s: Scheduler, t: number): ScheduledEvent[] {
  const out: ScheduledEvent[] = [];
  for (let ev = s.popDue(t); ev; ev = s.popDue(t)) out.push(ev);
  return out;
}

describe('Scheduler', () => {
  it('pops events by time, then by scheduling order at the same instant', () => {
    const s = make();
    s.schedule('c', 300);
    s.schedule('a1', 100);
    s.schedule('b', 200);
    s.schedule('a2', 100);
    s.schedule('a3', 100);
    expect(s.size).toBe(5);
    expect(s.nextAt()).toBe(100);
    expect(s.pending().map((e) => e.kind)).toEqual(['a1', 'a2', 'a3', 'b', 'c']);
    expect(drain(s, 150).map((e) => e.kind)).toEqual(['a1', 'a2', 'a3']);
    expect(s.size).toBe(2);
    expect(s.popDue(199)).toBeUndefined();
    expect(drain(s, 1000).map((e) => e.kind)).toEqual(['b', 'c']);
    expect(s.nextAt()).toBeUndefined();
    expect(s.popDue(Infinity)).toBeUndefined();
  });

  it('keeps heap order over many random insertions', () => {
    const s = make();
    const ats: number[] = [];
    let x = 12345;
    for (let i = 0; i < 300; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const at = x % 50; // many ties
      ats.push(at);
      s.schedule('k', at, { i });
    }
    const fired = drain(s, 100);
    expect(fired).toHaveLength(300);
    for (let i = 1; i < fired.length; i++) {
      const a = fired[i - 1];
      const b = fired[i];
      expect(a.at < b.at || (a.at === b.at && a.seq < b.seq)).toBe(true);
    }
  });

  it('gives ids and seqs in scheduling order and stores the data', () => {
    const s = make();
    const a = s.schedule('x', 5, { n: 1 });
    const b = s.schedule('y', 1);
    expect([a.id, a.seq, b.id, b.seq]).toEqual(['ev0', 0, 'ev1', 1]);
    expect(b.data).toEqual({});
    expect(table().peek('ev0')).toBe(a);
    expect(s.popDue(10)).toBe(b);
    expect(table().has('ev1')).toBe(false);
  });

  it('skips cancelled events, also when they sit at the top of the heap', () => {
    const s = make();
    const a = s.schedule('a', 10);
    s.schedule('b', 20);
    const c = s.schedule('c', 30);
    s.cancel(a.id);
    s.cancel(c.id);
    s.cancel('no-such-event');
    expect(s.size).toBe(1);
    expect(s.nextAt()).toBe(20);
    expect(drain(s, 100).map((e) => e.kind)).toEqual(['b']);
  });

  it('never fires an event scheduled in a rolled-back transaction, and reuses its seq', () => {
    const s = make();
    s.schedule('kept', 50);
    const tx = doc.begin();
    const ghost = s.schedule('ghost', 10);
    s.schedule('ghost2', 20);
    expect(s.size).toBe(3);
    doc.rollback(tx);
    expect(s.size).toBe(1);
    // The next event takes the rolled-back seq (and id) but is a different object.
    const next = s.schedule('next', 60);
    expect(next.seq).toBe(ghost.seq);
    expect(next.id).toBe(ghost.id);
    expect(s.nextAt()).toBe(50);
    expect(drain(s, 100).map((e) => e.kind)).toEqual(['kept', 'next']);
  });

  it('keeps events scheduled in a committed (nested) transaction', () => {
    const s = make();
    const outer = doc.begin();
    s.schedule('outer', 5);
    const inner = doc.begin();
    s.schedule('inner', 1);
    doc.commit(inner);
    const inner2 = doc.begin();
    s.schedule('undone', 2);
    doc.rollback(inner2);
    doc.commit(outer);
    expect(drain(s, 10).map((e) => e.kind)).toEqual(['inner', 'outer']);
  });

  it('restores a cancellation that is rolled back', () => {
    const s = make();
    const a = s.schedule('a', 10);
    const tx = doc.begin();
    s.cancel(a.id);
    expect(s.size).toBe(0);
    doc.rollback(tx);
    expect(s.size).toBe(1);
    expect(s.popDue(10)?.kind).toBe('a');
  });

  it('rebuilds its heap and sequence from a persisted table', () => {
    const t = table();
    t.load({ id: 'ev7', at: 30, seq: 7, kind: 'late', data: {} });
    t.load({ id: 'ev3', at: 10, seq: 3, kind: 'early', data: {} });
    const s = make();
    expect(s.nextAt()).toBe(10);
    const n = s.schedule('new', 10);
    expect(n.seq).toBe(8);
    expect(drain(s, 100).map((e) => e.kind)).toEqual(['early', 'new', 'late']);
  });

  it('clear() drops everything', () => {
    const s = make();
    s.schedule('a', 1);
    s.schedule('b', 2);
    s.clear();
    expect(s.size).toBe(0);
    expect(s.nextAt()).toBeUndefined();
    expect(s.pending()).toEqual([]);
  });

  it('works without a transaction source', () => {
    const s = new Scheduler(doc.table<ScheduledEvent>('_other'));
    s.schedule('a', 1);
    expect(s.popDue(1)?.kind).toBe('a');
  });
});
