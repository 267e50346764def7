// Transactions of a workspace store: record copies restored in place, creations undone, deletions
// put back at their place, indexes and creation sequences restored, meta values restored (in
// place for objects), undo hooks (once per key), nested savepoints. Also the deep-copy helpers.
import { describe, expect, it } from 'vitest';
import { deepClone, deepEqual, restoreInto } from '../../src/core/clone.js';
import { DocStore, Store } from '../../src/core/store.js';
import { fieldIndex, Table, type TableHost } from '../../src/core/table.js';
import { Transaction } from '../../src/core/transaction.js';
import { collection, newWorkspace } from './engine-helpers.js';

async function memoryStore(): Promise<DocStore> {
  return new Store({ dir: null }).open('mem');
}

describe('clone helpers', () => {
  it('deepClone copies plain objects and arrays, shares typed arrays and primitives', () => {
    const bytes = new Uint8Array([1, 2]);
    const src = { a: [1, { b: 2 }], c: { d: null, e: 'x' }, bytes };
    const copy = deepClone(src);
    expect(copy).toEqual(src);
    expect(copy.a).not.toBe(src.a);
    expect(copy.a[1]).not.toBe(src.a[1]);
    expect(copy.c).not.toBe(src.c);
    expect(copy.bytes).toBe(bytes);
    expect(deepClone(5)).toBe(5);
    expect(deepClone(null)).toBeNull();
  });

  it('restoreInto keeps the target object and makes it hold the source', () => {
    const target: Record<string, unknown> = { a: 1, gone: true, nested: { x: 1 } };
    const src = { a: 2, nested: { y: 2 } };
    restoreInto(target, src);
    expect(target).toEqual({ a: 2, nested: { y: 2 } });
    expect(target.nested).not.toBe(src.nested);
    const arr = [1, 2, 3];
    const same = arr;
    restoreInto(arr, [{ k: 1 }]);
    expect(same).toEqual([{ k: 1 }]);
  });

  it('deepEqual ignores key order and compares arrays by position', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual([1], [1, 2])).toBe(false);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual(1, '1')).toBe(false);
    expect(deepEqual('x', 'x')).toBe(true);
  });
});

describe('rollback of records', () => {
  it('restores changed records in place, removes created ones, puts deleted ones back in order', async () => {
    const doc = await memoryStore();
    const t = doc.table('things');
    t.ensureIndex(fieldIndex(['v']));
    const a = t.put({ id: 'a', v: 'x', nested: { n: 1 } });
    t.put({ id: 'b', v: 'y' });
    t.put({ id: 'c', v: 'x' });
    const tx = doc.begin();
    expect(doc.tx).toBe(tx);
    const live = t.get('a')!;
    expect(live).toBe(a);
    live.v = 'z';
    (live.nested as { n: number }).n = 2;
    live.extra = true;
    t.touch(live);
    t.remove('b');
    t.put({ id: 'd', v: 'x' });
    expect(t.countBy('v', 'x')).toBe(2);
    doc.rollback(tx);
    expect(tx.closed).toBe(true);
    expect(doc.tx).toBeNull();
    expect(t.peek('a')).toBe(a);
    expect(a).toEqual({ id: 'a', v: 'x', nested: { n: 1 } });
    expect([...t.scan()].map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(t.has('d')).toBe(false);
    expect(t.countBy('v', 'x')).toBe(2);
    expect(t.lookup('v', 'x').map((r) => r.id)).toEqual(['a', 'c']);
    expect(t.countBy('v', 'y')).toBe(1);
    expect(t.countBy('v', 'z')).toBe(0);
    // The creation sequence is back too: the next record takes the number `d` had.
    const seqD = 3;
    t.put({ id: 'e' });
    expect(t.seq('e')).toBe(seqD);
    expect(t.seq('b')).toBe(1);
  });

  it('a record replaced by a new object, and one deleted then re-created, are restored', async () => {
    const doc = await memoryStore();
    const t = doc.table('things');
    const a = t.put({ id: 'a', v: 1 });
    const b = t.put({ id: 'b', v: 2 });
    t.put({ id: 'c', v: 3 });
    const tx = doc.begin();
    t.put({ id: 'a', v: 100 });
    t.remove('b');
    t.put({ id: 'b', v: 200 });
    doc.rollback(tx);
    expect(t.peek('a')).toBe(a);
    expect(t.peek('b')).toBe(b);
    expect(b.v).toBe(2);
    expect([...t.scan()].map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(t.seq('b')).toBe(1);
    // The same object removed and put back.
    const tx2 = doc.begin();
    t.remove('a');
    t.put(a);
    expect([...t.scan()].map((r) => r.id)).toEqual(['b', 'c', 'a']);
    doc.rollback(tx2);
    expect([...t.scan()].map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(t.seq('a')).toBe(0);
  });

  it('a record deleted and put again is back at its place in the indexes too', async () => {
    const doc = await memoryStore();
    const t = doc.table('things');
    const idx = t.ensureIndex(fieldIndex(['v']));
    const sorted = t.ensureSorted({ name: 'v', key: (r) => [r.v], compare: (x, y) => String(x).localeCompare(String(y)), desc: [false] });
    const a = t.put({ id: 'a', v: 'x' });
    t.put({ id: 'b', v: 'x' });
    t.put({ id: 'c', v: 'x' });
    const tx = doc.begin();
    t.remove('a');
    t.put({ id: 'a', v: 'x' });
    expect(idx.ids('x')).toEqual(['b', 'c', 'a']);
    doc.rollback(tx);
    expect(t.peek('a')).toBe(a);
    expect(idx.ids('x')).toEqual(['a', 'b', 'c']);
    expect([...sorted.ids()]).toEqual(['a', 'b', 'c']);
  });

  it('sorted orders follow a rollback', async () => {
    const ws = await newWorkspace();
    const c = collection({ id: 'string', n: 'integer' });
    const t = c.table(ws);
    for (let i = 0; i < 2100; i++) t.put({ id: `r${i}`, n: i });
    expect(c.list(ws, { sort: '-n', limit: '2' }).items.map((r) => r.id)).toEqual(['r2099', 'r2098']);
    ws.transaction(
      () => {
        c.update(ws, 'r5', { n: 10_000 }, 'all');
        c.remove(ws, 'r2099');
        return 'failed';
      },
      () => true,
    );
    expect(c.list(ws, { sort: '-n', limit: '2' }).items.map((r) => r.id)).toEqual(['r2099', 'r2098']);
    expect(c.list(ws, { sort: 'n', limit: '2', offset: '5' }).items.map((r) => r.id)).toEqual(['r5', 'r6']);
  });

  it('commit keeps everything and runs no undo step', async () => {
    const doc = await memoryStore();
    const t = doc.table('things');
    let undone = 0;
    const tx = doc.begin();
    t.put({ id: 'a' });
    doc.setMeta('k', { v: 1 });
    tx.onRollback(() => undone++);
    doc.commit(tx);
    expect(t.has('a')).toBe(true);
    expect(doc.getMeta('k')).toEqual({ v: 1 });
    expect(undone).toBe(0);
    expect(doc.tx).toBeNull();
  });

  it('only the innermost transaction may end', async () => {
    const doc = await memoryStore();
    const outer = doc.begin();
    const inner = doc.begin();
    expect(inner.depth).toBe(1);
    expect(outer.depth).toBe(0);
    expect(() => doc.commit(outer)).toThrow(/not the innermost/);
    expect(() => doc.rollback(outer)).toThrow(/not the innermost/);
    doc.commit(inner);
    doc.commit(outer);
  });
});

describe('nested savepoints', () => {
  it('an inner rollback restores only what the inner transaction changed', async () => {
    const doc = await memoryStore();
    const t = doc.table('things');
    const a = t.put({ id: 'a', v: 0 });
    const outer = doc.begin();
    t.get('a')!.v = 1;
    t.touch(a);
    t.put({ id: 'outer-new' });
    const inner = doc.begin();
    t.get('a')!.v = 2;
    t.touch(a);
    t.put({ id: 'inner-new' });
    t.remove('outer-new');
    doc.rollback(inner);
    expect(doc.tx).toBe(outer);
    expect(a.v).toBe(1);
    expect(t.has('outer-new')).toBe(true);
    expect(t.has('inner-new')).toBe(false);
    // The inner restore was not tracked by the outer transaction: its rollback goes back to 0.
    doc.rollback(outer);
    expect(a.v).toBe(0);
    expect([...t.scan()].map((r) => r.id)).toEqual(['a']);
  });

  it('an inner commit hands its copies to the outer transaction', async () => {
    const doc = await memoryStore();
    const t = doc.table('things');
    const other = doc.table('others');
    const a = t.put({ id: 'a', v: 0 });
    const outer = doc.begin();
    t.get('a')!.v = 1;
    t.touch(a);
    const inner = doc.begin();
    t.get('a')!.v = 2; // already tracked by outer: its copy (v: 0) must win
    t.touch(a);
    t.put({ id: 'b' });
    other.put({ id: 'o' }); // a table the outer transaction never touched
    doc.setMeta('m', 1);
    doc.commit(inner);
    expect(outer.touchedCount()).toBe(3);
    expect(a.v).toBe(2);
    doc.rollback(outer);
    expect(a.v).toBe(0);
    expect(t.has('b')).toBe(false);
    expect(other.size).toBe(0);
    expect(doc.getMeta('m')).toBeUndefined();
  });

  it('Workspace.transaction nests as savepoints and refuses async bodies', async () => {
    const ws = await newWorkspace();
    const c = collection({ id: 'string', v: 'integer' });
    const rec = c.create(ws, { v: 1 }, 'all');
    ws.transaction(() => {
      c.update(ws, rec.id, { v: 2 }, 'all');
      expect(() =>
        ws.transaction(() => {
          c.update(ws, rec.id, { v: 3 }, 'all');
          throw new Error('inner');
        }),
      ).toThrow('inner');
      expect(c.get(ws, rec.id).v).toBe(2);
    });
    expect(rec.v).toBe(2);
    expect(() => ws.transaction(() => Promise.resolve(c.update(ws, rec.id, { v: 9 }, 'all')))).toThrow(/synchronous/);
    expect(rec.v).toBe(2);
    expect(ws.tx).toBeNull();
  });
});

describe('meta values', () => {
  it('set, changed in place or created meta is restored on rollback (objects in place)', async () => {
    const doc = await memoryStore();
    const ledger = { balance: 10, entries: [1] };
    doc.setMeta('ledger', ledger);
    doc.setMeta('count', 1);
    const tx = doc.begin();
    const live = doc.getMeta<typeof ledger>('ledger')!;
    live.balance = 0;
    live.entries.push(2);
    doc.touchMeta('ledger');
    doc.setMeta('count', 2);
    doc.setMeta('fresh', 'x');
    doc.rollback(tx);
    expect(doc.getMeta('ledger')).toBe(ledger);
    expect(ledger).toEqual({ balance: 10, entries: [1] });
    expect(doc.getMeta('count')).toBe(1);
    expect(doc.getMeta('fresh')).toBeUndefined();
  });

  it('trackMeta keeps a copy before an in-place change made without getMeta', async () => {
    const doc = await memoryStore();
    const state = [1, 2, 3, 4];
    doc.setMeta('rng', state);
    const tx = doc.begin();
    doc.trackMeta('rng');
    state[0] = 99;
    doc.rollback(tx);
    expect(state).toEqual([1, 2, 3, 4]);
  });

  it('meta replaced whole (init, credentials, clock) is not copied on read', async () => {
    const doc = await memoryStore();
    doc.setMeta('init', { seed: 1 });
    doc.setMeta('other', { seed: 1 });
    const tx = doc.begin();
    doc.getMeta('init');
    expect(tx.meta.size).toBe(0);
    doc.getMeta('other');
    expect(tx.meta.size).toBe(1);
    doc.commit(tx);
  });

  it('the workspace RNG is restored by a rollback', async () => {
    const ws = await newWorkspace();
    const before = ws.rng.next();
    const state = [...ws.rng.stateRef];
    ws.transaction(
      () => [ws.rng.next(), ws.rng.next()],
      () => true,
    );
    expect(ws.rng.stateRef).toEqual(state);
    expect(before).not.toBe(ws.rng.next());
  });
});

describe('undo hooks', () => {
  it('onRollback steps run latest first; onceOnRollback only the first per key', () => {
    const host: TableHost & { tx: Transaction | null } = { tx: null, persistent: false, changed: () => {} };
    const t = new Table('t', host);
    const tx = new Transaction(null);
    host.tx = tx;
    const log: string[] = [];
    tx.onRollback(() => log.push('a'));
    tx.onceOnRollback('seq', () => log.push('seq-first'));
    tx.onceOnRollback('seq', () => log.push('seq-second'));
    tx.onRollback(() => log.push('b'));
    t.put({ id: 'x' });
    host.tx = null;
    tx.rollbackRecords();
    expect(log).toEqual(['b', 'seq-first', 'a']);
    expect(t.has('x')).toBe(false);
  });

  it('merged hooks: plain ones all kept, keyed ones only when the outer has none for the key', () => {
    const outer = new Transaction(null);
    const inner = new Transaction(outer);
    const log: string[] = [];
    outer.onceOnRollback('shared', () => log.push('outer-shared'));
    inner.onceOnRollback('shared', () => log.push('inner-shared'));
    inner.onceOnRollback('own', () => log.push('inner-own'));
    inner.onRollback(() => log.push('inner-plain'));
    inner.mergeInto(outer);
    // A later registration for a merged key is ignored too.
    outer.onceOnRollback('own', () => log.push('outer-own'));
    outer.rollbackRecords();
    expect(log).toEqual(['inner-plain', 'inner-own', 'outer-shared']);
  });

  it('an append log and the scheduler give their sequence numbers back', async () => {
    const ws = await newWorkspace();
    const e1 = ws.events.record(ws.now(), 'test', 'one', {});
    ws.transaction(
      () => {
        ws.events.record(ws.now(), 'test', 'two', {});
        ws.schedule('nothing', ws.now() + 1000);
      },
      () => true,
    );
    const e2 = ws.events.record(ws.now(), 'test', 'three', {});
    expect(e2.seq).toBe(e1.seq + 1);
    expect(ws.events.list().map((e) => e.type)).toEqual(['one', 'three']);
    expect(ws.schedule('nothing', ws.now() + 1000).seq).toBe(0);
  });

  it('a transaction that never tracked anything allocates nothing and merges cleanly', () => {
    const outer = new Transaction(null);
    const inner = new Transaction(outer);
    inner.mergeInto(outer);
    expect(outer.touchedCount()).toBe(0);
    expect(outer.meta.size).toBe(0);
    outer.rollbackRecords();
    inner.trackMeta('k', true, { a: 1 });
    inner.trackMeta('k', true, { a: 2 });
    expect(inner.meta.get('k')).toEqual({ present: true, ref: { a: 1 }, copy: { a: 1 } });
    inner.trackMeta('p', true, 5);
    expect(inner.meta.get('p')!.copy).toBeUndefined();
    inner.mergeInto(outer);
    expect([...outer.meta.keys()]).toEqual(['k', 'p']);
  });
});
