import { beforeEach, describe, expect, it } from 'vitest';
import { AppendLog, EventLog, Ring, type SimEvent } from '../../src/core/journal.js';
import { Store, type DocStore } from '../../src/core/store.js';

interface Row {
  id: string;
  seq: number;
  v: number;
  [k: string]: unknown;
}

let doc: DocStore;
const rows = () => doc.table<Row>('rows');
const log = (capacity: number) => new AppendLog<Row>(rows(), 'r', capacity, () => doc.tx);

beforeEach(async () => {
  doc = await new Store({ dir: null }).open('journal');
});

describe('Ring', () => {
  it('keeps the last `capacity` items, oldest first', () => {
    const r = new Ring<number>(3);
    expect(r.toArray()).toEqual([]);
    for (let i = 1; i <= 2; i++) r.push(i);
    expect(r.toArray()).toEqual([1, 2]);
    for (let i = 3; i <= 7; i++) r.push(i);
    expect(r.toArray()).toEqual([5, 6, 7]);
    expect(r.size).toBe(3);
    r.clear();
    expect(r.size).toBe(0);
    r.push(9);
    expect(r.toArray()).toEqual([9]);
  });

  it('a zero capacity keeps nothing', () => {
    const r = new Ring<number>(0);
    r.push(1);
    expect(r.size).toBe(0);
    expect(r.toArray()).toEqual([]);
  });
});

describe('AppendLog', () => {
  it('appends with increasing seq and ids, and trims the oldest beyond capacity', () => {
    const l = log(3);
    for (let i = 0; i < 5; i++) l.append((id, seq) => ({ id, seq, v: i * 10 }));
    expect(l.size).toBe(3);
    expect(l.list().map((r) => [r.id, r.seq, r.v])).toEqual([
      ['r2', 2, 20],
      ['r3', 3, 30],
      ['r4', 4, 40],
    ]);
    expect(rows().has('r1')).toBe(false);
  });

  it('lists with a predicate and keeps the newest `limit` matches', () => {
    const l = log(100);
    for (let i = 0; i < 10; i++) l.append((id, seq) => ({ id, seq, v: i }));
    expect(l.list((r) => r.v % 2 === 0).map((r) => r.v)).toEqual([0, 2, 4, 6, 8]);
    expect(l.list((r) => r.v % 2 === 0, 2).map((r) => r.v)).toEqual([6, 8]);
    expect(l.list(undefined, 0)).toEqual([]);
    expect(l.list(undefined, 50)).toHaveLength(10);
  });

  it('skips records removed from the table behind its back', () => {
    const l = log(100);
    for (let i = 0; i < 3; i++) l.append((id, seq) => ({ id, seq, v: i }));
    rows().remove('r1');
    expect(l.list().map((r) => r.id)).toEqual(['r0', 'r2']);
  });

  it('a capacity below 1 still keeps the newest record', () => {
    const l = log(0);
    l.append((id, seq) => ({ id, seq, v: 1 }));
    l.append((id, seq) => ({ id, seq, v: 2 }));
    expect(l.list().map((r) => r.v)).toEqual([2]);
  });

  it('honours a lowered capacity on trim()', () => {
    const l = log(10);
    for (let i = 0; i < 6; i++) l.append((id, seq) => ({ id, seq, v: i }));
    l.capacity = 2;
    l.trim();
    expect(l.list().map((r) => r.v)).toEqual([4, 5]);
  });

  it('resumes from a persisted table in seq order', () => {
    rows().load({ id: 'r5', seq: 5, v: 5 });
    rows().load({ id: 'r2', seq: 2, v: 2 });
    const l = log(10);
    expect(l.list().map((r) => r.id)).toEqual(['r2', 'r5']);
    expect(l.append((id, seq) => ({ id, seq, v: 6 })).id).toBe('r6');
  });

  it('a rolled-back append leaves no record, and trimmed records come back', () => {
    const l = log(2);
    l.append((id, seq) => ({ id, seq, v: 0 }));
    l.append((id, seq) => ({ id, seq, v: 1 }));
    const tx = doc.begin();
    l.append((id, seq) => ({ id, seq, v: 2 }));
    l.append((id, seq) => ({ id, seq, v: 3 }));
    expect(l.list().map((r) => r.v)).toEqual([2, 3]);
    doc.rollback(tx);
    expect(l.list().map((r) => r.v)).toEqual([0, 1]);
    expect(l.size).toBe(2);
    const next = l.append((id, seq) => ({ id, seq, v: 9 }));
    expect(next.seq).toBe(2);
    expect(l.list().map((r) => r.v)).toEqual([1, 9]);
  });

  it('compacts its id queue after long trimming without losing order', () => {
    const l = log(10);
    for (let i = 0; i < 10_000; i++) l.append((id, seq) => ({ id, seq, v: i }));
    expect(l.size).toBe(10);
    expect(l.list().map((r) => r.v)).toEqual([9990, 9991, 9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999]);
  });

  it('clear() empties the table and restarts the sequence', () => {
    const l = log(5);
    l.append((id, seq) => ({ id, seq, v: 1 }));
    l.clear();
    expect(l.size).toBe(0);
    expect(l.list()).toEqual([]);
    expect(l.append((id, seq) => ({ id, seq, v: 2 })).id).toBe('r0');
  });
});

describe('EventLog', () => {
  it('records events with ISO times under e-ids, capped', () => {
    const ev = new EventLog(doc.table<SimEvent>('_events'), () => doc.tx, 2);
    const a = ev.record(Date.parse('2026-01-05T12:00:00Z'), 'api', 'thing.created', { n: 1 });
    expect(a).toEqual({ id: 'e0', seq: 0, at: '2026-01-05T12:00:00.000Z', api: 'api', type: 'thing.created', data: { n: 1 } });
    ev.record(0, 'api', 'b', {});
    ev.record(0, 'api', 'c', {});
    expect(ev.list().map((e) => e.type)).toEqual(['b', 'c']);
  });

  it('defaults to 10 000 events', () => {
    const ev = new EventLog(doc.table<SimEvent>('_events'), () => null);
    expect(ev.capacity).toBe(10_000);
  });
});

describe('journal bodies', () => {
  it('only the latest JOURNAL_BODIES_KEPT entries keep their bodies', async () => {
    const { Ring, ageJournalBodies, JOURNAL_BODIES_KEPT } = await import('../../src/core/journal.js');
    const ring = new Ring<any>(JOURNAL_BODIES_KEPT + 50);
    for (let i = 0; i < JOURNAL_BODIES_KEPT + 30; i++) {
      ring.push({ n: i, requestBody: `req ${i}`, responseBody: `res ${i}` });
      ageJournalBodies(ring);
    }
    const all = ring.toArray();
    expect(all).toHaveLength(JOURNAL_BODIES_KEPT + 30);
    expect(all.filter((e) => e.responseBody !== undefined).map((e) => e.n)).toEqual(Array.from({ length: JOURNAL_BODIES_KEPT }, (_, i) => i + 30));
    expect(all[0]).toMatchObject({ n: 0, requestBody: undefined, responseBody: undefined });
    expect(ring.nth(0)).toBe(all[0]);
    expect(ring.nth(ring.pushed)).toBeUndefined();
  });
});
