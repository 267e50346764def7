// Tables: creation order, equality indexes (bare ids and buckets, creation order after a value
// changes), sorted indexes in chunks, read methods (tracked or not by the open transaction),
// write-behind dirty marks, loading.
import { describe, expect, it } from 'vitest';
import { compareValues } from '../../src/core/engine/query.js';
import type { Rec } from '../../src/core/record.js';
import { fieldIndex, Index, keyOfValue, SortedIndex, Table, type SortSpec, type TableHost } from '../../src/core/table.js';
import { Transaction } from '../../src/core/transaction.js';
import { seeded } from './engine-helpers.js';

class Host implements TableHost {
  tx: Transaction | null = null;
  changes = 0;
  constructor(readonly persistent = false) {}
  changed(): void {
    this.changes++;
  }
}

const newTable = (persistent = false) => {
  const host = new Host(persistent);
  return { host, t: new Table<Rec>('t', host) };
};

describe('keyOfValue and fieldIndex', () => {
  it('index keys of values', () => {
    expect(keyOfValue(null)).toBeUndefined();
    expect(keyOfValue(undefined)).toBeUndefined();
    expect(keyOfValue('')).toBeUndefined();
    expect(keyOfValue(0)).toBe('0');
    expect(keyOfValue(false)).toBe('false');
    expect(keyOfValue('x')).toBe('x');
    expect(keyOfValue([1, 'a'])).toBe('[1,"a"]');
  });

  it('single, array, normalized and composite keys', () => {
    const single = fieldIndex<Rec>(['email']);
    expect(single.name).toBe('email');
    expect(single.key({ id: '1', email: 'a' })).toBe('a');
    expect(single.key({ id: '1', email: ['a', '', null, 'b'] })).toEqual(['a', 'b']);
    expect(single.key({ id: '1', email: [] })).toBeUndefined();
    const norm = fieldIndex<Rec>(['email'], (v) => String(v).toLowerCase(), 'ci');
    expect(norm.name).toBe('ci');
    expect(norm.key({ id: '1', email: 'A@X' })).toBe('a@x');
    expect(norm.key({ id: '1', email: ['A', 'B'] })).toEqual(['a', 'b']);
    const pair = fieldIndex<Rec>(['a', 'b']);
    expect(pair.name).toBe('a+b');
    expect(pair.key({ id: '1', a: 'x', b: 2 })).toBe('x\u00012');
    expect(pair.key({ id: '1', a: 'x' })).toBeUndefined();
    expect(fieldIndex<Rec>(['a', 'b'], (v) => (v === 'skip' ? undefined : v)).key({ id: '1', a: 'skip', b: 1 })).toBeUndefined();
  });
});

describe('Index', () => {
  it('keys hold one bare id or a bucket; counts, distinct values, other(), removal', () => {
    const seq = new Map<string, number>();
    const idx = new Index<Rec>(fieldIndex(['v']), (id) => seq.get(id) ?? 0);
    const add = (id: string, v: unknown, s: number) => {
      seq.set(id, s);
      idx.update({ id, v });
    };
    add('a', 'x', 0);
    expect(idx.count('x')).toBe(1);
    expect(idx.other('x', 'a')).toBeUndefined();
    expect(idx.other('x', undefined)).toBe('a');
    add('b', 'x', 1);
    add('c', 'x', 2);
    add('d', 'y', 3);
    expect(idx.distinct).toBe(2);
    expect(idx.count('x')).toBe(3);
    expect(idx.ids('x')).toEqual(['a', 'b', 'c']);
    expect(idx.other('x', 'a')).toBe('b');
    expect(idx.other('nope', 'a')).toBeUndefined();
    // The same keys again change nothing.
    idx.update({ id: 'a', v: 'x' });
    expect(idx.ids('x')).toEqual(['a', 'b', 'c']);
    idx.remove('b');
    idx.remove('c');
    expect(idx.ids('x')).toEqual(['a']);
    expect(idx.other('x', 'a')).toBeUndefined();
    idx.remove('a');
    expect(idx.count('x')).toBe(0);
    expect(idx.ids('x')).toEqual([]);
    expect(idx.other('x', undefined)).toBeUndefined();
    idx.remove('zzz');
    // A record whose value becomes unindexable leaves the index.
    idx.update({ id: 'd', v: '' });
    expect(idx.count('y')).toBe(0);
    add('e', 'z', 4);
    idx.clear();
    expect(idx.distinct).toBe(0);
  });

  it('ids come in creation order even when records join a value out of order', () => {
    const seq = new Map<string, number>();
    const idx = new Index<Rec>(fieldIndex(['v']), (id) => seq.get(id)!);
    ['r0', 'r1', 'r2', 'r3', 'r4'].forEach((id, i) => seq.set(id, i));
    idx.update({ id: 'r3', v: 'k' });
    idx.update({ id: 'r1', v: 'k' }); // bare -> bucket, out of order
    expect(idx.ids('k')).toEqual(['r1', 'r3']);
    idx.update({ id: 'r4', v: 'k' });
    idx.update({ id: 'r0', v: 'k' }); // bucket out of order
    idx.update({ id: 'r2', v: 'k' });
    expect(idx.ids('k')).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    // A second read uses the sorted bucket as is.
    expect([...idx.iterate('k')]).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    idx.update({ id: 'r0', v: 'other' });
    expect(idx.ids('k')).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('array values index every element', () => {
    const idx = new Index<Rec>(fieldIndex(['tags']));
    idx.update({ id: 'a', tags: ['x', 'y'] });
    idx.update({ id: 'b', tags: ['y'] });
    expect([idx.count('x'), idx.count('y')]).toEqual([1, 2]);
    idx.update({ id: 'a', tags: ['x', 'y'] });
    expect(idx.count('y')).toBe(2);
    idx.update({ id: 'a', tags: ['z'] });
    expect([idx.count('x'), idx.count('y'), idx.count('z')]).toEqual([0, 1, 1]);
    idx.update({ id: 'a', tags: ['z', 'w'] });
    expect(idx.count('w')).toBe(1);
    idx.update({ id: 'a', tags: ['z', 'v'] });
    expect([idx.count('w'), idx.count('v'), idx.count('z')]).toEqual([0, 1, 1]);
    // A value held twice by one record counts that record once, and leaves with it.
    idx.update({ id: 'b', tags: ['q', 'q'] });
    expect(idx.count('q')).toBe(1);
    idx.update({ id: 'b', tags: ['r'] });
    expect([idx.count('q'), idx.count('r')]).toEqual([0, 1]);
    idx.remove('a');
    expect([idx.count('z'), idx.count('w')]).toEqual([0, 0]);
  });

  it('agrees with a naive map under random writes', () => {
    const rnd = seeded(9);
    const seq = new Map<string, number>();
    const idx = new Index<Rec>(fieldIndex(['v']), (id) => seq.get(id)!);
    const live = new Map<string, string | undefined>();
    let next = 0;
    for (let i = 0; i < 3000; i++) {
      const id = `r${Math.floor(rnd() * 200)}`;
      if (rnd() < 0.2) {
        idx.remove(id);
        live.delete(id);
        seq.delete(id);
        continue;
      }
      if (!seq.has(id)) seq.set(id, next++);
      const v = rnd() < 0.1 ? undefined : `k${Math.floor(rnd() * 8)}`;
      idx.update({ id, v });
      live.set(id, v);
    }
    for (let k = 0; k < 8; k++) {
      const want = [...live].filter(([, v]) => v === `k${k}`).map(([id]) => id).sort((a, b) => seq.get(a)! - seq.get(b)!);
      expect(idx.ids(`k${k}`)).toEqual(want);
      expect(idx.count(`k${k}`)).toBe(want.length);
    }
  });
});

describe('SortedIndex', () => {
  const spec = (desc: boolean[] = [false]): SortSpec<Rec> => ({ name: 's', key: (r) => [r.v, r.w].slice(0, desc.length), compare: compareValues, desc });

  function naiveOrder(rows: Map<string, Rec>, seq: Map<string, number>, desc: boolean[]): string[] {
    return [...rows.values()]
      .sort((a, b) => {
        const ka = [a.v, a.w];
        const kb = [b.v, b.w];
        for (let i = 0; i < desc.length; i++) {
          const c = compareValues(ka[i], kb[i]);
          if (c) return desc[i] ? -c : c;
        }
        return seq.get(a.id)! - seq.get(b.id)!;
      })
      .map((r) => r.id);
  }

  it('inserts (splitting chunks), updates and removals keep the order a sort gives', () => {
    const rnd = seeded(10);
    const seq = new Map<string, number>();
    const rows = new Map<string, Rec>();
    const desc = [true, false];
    const s = new SortedIndex<Rec>(spec(desc), (id) => seq.get(id)!);
    let next = 0;
    // Built empty, then filled one by one: chunks grow past 1024 ids and split.
    s.build([]);
    for (let i = 0; i < 2600; i++) {
      const id = `r${i}`;
      seq.set(id, next++);
      const r = { id, v: Math.floor(rnd() * 40), w: rnd() < 0.1 ? null : `w${Math.floor(rnd() * 5)}` };
      rows.set(id, r);
      s.update(r);
    }
    expect(s.size).toBe(2600);
    expect([...s.ids()]).toEqual(naiveOrder(rows, seq, desc));
    for (let i = 0; i < 1500; i++) {
      const id = `r${Math.floor(rnd() * 2600)}`;
      if (!rows.has(id)) continue;
      if (rnd() < 0.4) {
        s.remove(id);
        rows.delete(id);
      } else {
        const r = { ...rows.get(id)!, v: Math.floor(rnd() * 40) };
        rows.set(id, r);
        s.update(r);
      }
    }
    s.remove('not-there');
    expect([...s.ids()]).toEqual(naiveOrder(rows, seq, desc));
    expect(s.size).toBe(rows.size);
    // idsWithFirst: every id whose first key is the value, in order (descending first key).
    for (const v of [0, 17, 39, 40]) {
      expect([...s.idsWithFirst(v)]).toEqual(naiveOrder(rows, seq, desc).filter((id) => rows.get(id)!.v === v));
    }
    s.clear();
    expect([...s.ids()]).toEqual([]);
  });

  it('build sorts every record at once; idsWithFirst walks across chunks (ascending)', () => {
    const seq = new Map<string, number>();
    const rows = new Map<string, Rec>();
    for (let i = 0; i < 3000; i++) {
      const id = `r${i}`;
      seq.set(id, i);
      rows.set(id, { id, v: i % 3 === 0 ? 'b' : i % 3 === 1 ? 'a' : 'c' });
    }
    const s = new SortedIndex<Rec>(spec(), (id) => seq.get(id)!);
    s.build(rows.values());
    const order = naiveOrder(rows, seq, [false]);
    expect([...s.ids()]).toEqual(order);
    expect([...s.idsWithFirst('b')]).toEqual(order.filter((id) => rows.get(id)!.v === 'b'));
    expect([...s.idsWithFirst('b')]).toHaveLength(1000);
    expect([...s.idsWithFirst('zz')]).toEqual([]);
    expect([...s.idsWithFirst('0')]).toEqual([]);
    // An update with the same key does not move the record.
    s.update(rows.get('r5')!);
    expect([...s.ids()]).toEqual(order);
  });

  it('removing every id empties the chunks; inserts start over', () => {
    const s = new SortedIndex<Rec>(spec(), () => 0);
    for (const id of ['a', 'b', 'c']) s.update({ id, v: id });
    for (const id of ['b', 'a', 'c']) s.remove(id);
    expect([...s.ids()]).toEqual([]);
    expect(s.size).toBe(0);
    s.update({ id: 'd', v: 'd' });
    s.update({ id: 'e', v: 'a' });
    expect([...s.ids()]).toEqual(['e', 'd']);
  });

  it('an id not where its key says is still found and removed', () => {
    let flipped = false;
    const seq = new Map<string, number>();
    const s = new SortedIndex<Rec>(
      { name: 'f', key: (r) => [r.v], compare: (a, b) => (flipped ? -1 : 1) * compareValues(a, b), desc: [false] },
      (id) => seq.get(id)!,
    );
    for (let i = 0; i < 10; i++) {
      seq.set(`r${i}`, i);
      s.update({ id: `r${i}`, v: i });
    }
    flipped = true;
    s.remove('r2');
    s.remove('r7');
    expect([...s.ids()]).toEqual(['r0', 'r1', 'r3', 'r4', 'r5', 'r6', 'r8', 'r9']);
  });
});

describe('Table', () => {
  it('keeps creation order; put replaces in place; remove/clear/firstId', () => {
    const { t } = newTable();
    const a = t.put({ id: 'a', v: 1 });
    t.put({ id: 'b', v: 2 });
    t.put({ id: 'c', v: 3 });
    expect(t.size).toBe(3);
    expect(t.firstId()).toBe('a');
    const a2 = t.put({ id: 'a', v: 10 });
    expect(t.peek('a')).toBe(a2);
    expect(t.peek('a')).not.toBe(a);
    expect([...t.scan()].map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(t.seq('a')).toBe(0);
    expect(t.seq('c')).toBe(2);
    expect(t.orderIds(['c', 'a', 'b'])).toEqual(['a', 'b', 'c']);
    expect(t.orderIds(['c'])).toEqual(['c']);
    expect(t.remove('a')).toBe(true);
    expect(t.remove('a')).toBe(false);
    expect(t.has('a')).toBe(false);
    expect(t.seq('a')).toBeUndefined();
    t.put({ id: 'a', v: 0 });
    expect([...t.scan()].map((r) => r.id)).toEqual(['b', 'c', 'a']);
    expect(t.seq('a')).toBe(3);
    t.clear();
    expect(t.size).toBe(0);
    expect(t.firstId()).toBeUndefined();
    t.put({ id: 'z' });
    expect(t.seq('z')).toBe(0);
  });

  it('putNew inserts at the end with the next sequence, indexed; a rollback takes it out again', () => {
    const { host, t } = newTable();
    t.put({ id: 'a', v: 'x' });
    t.lookup('v', 'x');
    const tx = (host.tx = new Transaction(null));
    t.putNew({ id: 'b', v: 'x' });
    expect(t.seq('b')).toBe(1);
    expect(t.lookup('v', 'x').map((r) => r.id)).toEqual(['a', 'b']);
    expect(tx.touchedCount()).toBe(1);
    tx.rollbackRecords();
    host.tx = null;
    expect(t.has('b')).toBe(false);
    expect(t.seq('b')).toBeUndefined();
    expect(t.lookup('v', 'x').map((r) => r.id)).toEqual(['a']);
    // The sequence rolled back too: the next record takes the number again.
    expect(t.putNew({ id: 'c', v: 'y' }) && t.seq('c')).toBe(1);
  });

  it('touch reindexes a record changed in place; a record not in the table is left alone', () => {
    const { t } = newTable();
    const r = t.put({ id: 'a', v: 'x' });
    t.ensureIndex(fieldIndex(['v']));
    r.v = 'y';
    expect(t.countBy('v', 'y')).toBe(0);
    t.touch(r);
    expect(t.countBy('v', 'y')).toBe(1);
    expect(t.countBy('v', 'x')).toBe(0);
    const stranger = { id: 'a', v: 'q' };
    expect(t.touch(stranger)).toBe(stranger);
    expect(t.countBy('v', 'q')).toBe(0);
  });

  it('equality reads create their index on first use', () => {
    const { t } = newTable();
    for (const [id, v] of [['a', 'x'], ['b', 'y'], ['c', 'x'], ['d', 'x']]) t.put({ id, v });
    expect(t.index('v')).toBeUndefined();
    expect(t.where('v', 'x').map((r) => r.id)).toEqual(['a', 'c', 'd']);
    expect(t.index('v')).toBeDefined();
    expect(t.lookup('v', 'x').map((r) => r.id)).toEqual(['a', 'c', 'd']);
    expect(t.findBy('v', 'x')!.id).toBe('a');
    expect(t.lastBy('v', 'x')!.id).toBe('d');
    expect(t.findBy('v', 'none')).toBeUndefined();
    expect(t.countBy('v', 'y')).toBe(1);
    expect(t.where('v', null)).toEqual([]);
    expect(t.lookup('v', '')).toEqual([]);
    expect(t.countBy('v', undefined)).toBe(0);
    // An index made later is built from the existing rows.
    const idx = t.ensureIndex(fieldIndex(['id']));
    expect(idx.count('c')).toBe(1);
    expect(t.ensureIndex(fieldIndex(['id']))).toBe(idx);
  });

  it('scans and predicates', () => {
    const { t } = newTable();
    for (let i = 0; i < 5; i++) t.put({ id: `r${i}`, n: i });
    expect([...t.values()].map((r) => r.n)).toEqual([0, 1, 2, 3, 4]);
    expect(t.all().map((r) => r.n)).toEqual([0, 1, 2, 3, 4]);
    expect(t.peekFind((r) => (r.n as number) > 2)!.id).toBe('r3');
    expect(t.peekFind(() => false)).toBeUndefined();
    expect(t.find((r) => (r.n as number) > 3)!.id).toBe('r4');
    expect(t.find(() => false)).toBeUndefined();
    expect(t.filter((r) => (r.n as number) % 2 === 0).map((r) => r.id)).toEqual(['r0', 'r2', 'r4']);
  });

  it('live reads are tracked by the open transaction, read-only ones are not', () => {
    const { host, t } = newTable();
    for (let i = 0; i < 4; i++) t.put({ id: `r${i}`, v: i % 2 ? 'odd' : 'even' });
    const tx = (host.tx = new Transaction(null));
    t.peek('r0');
    [...t.scan()];
    t.lookup('v', 'odd');
    t.countBy('v', 'odd');
    t.peekFind(() => true);
    expect(tx.touchedCount()).toBe(0);
    t.get('r0');
    t.get('missing');
    expect(tx.touchedCount()).toBe(1);
    t.find((r) => r.id === 'r1');
    expect(tx.touchedCount()).toBe(2);
    t.where('v', 'even');
    expect(tx.touchedCount()).toBe(3);
    t.filter((r) => r.id === 'r3');
    expect(tx.touchedCount()).toBe(4);
    const fresh = new Transaction(null);
    host.tx = fresh;
    [...t.values()];
    expect(fresh.touchedCount()).toBe(4);
    const third = (host.tx = new Transaction(null));
    t.all();
    expect(third.touchedCount()).toBe(4);
  });

  it('sort orders are kept on writes; at most 8 per table, the least recently used dropped', () => {
    const { t } = newTable();
    for (let i = 0; i < 20; i++) t.put({ id: `r${i}`, n: (i * 7) % 20 });
    const mk = (name: string, desc = false): SortSpec<Rec> => ({ name, key: (r) => [r.n], compare: compareValues, desc: [desc] });
    const asc = t.ensureSorted(mk('asc'));
    expect([...asc.ids()].slice(0, 3)).toEqual(['r0', 'r3', 'r6']);
    t.put({ id: 'new', n: -1 });
    const r3 = t.get('r3')!;
    r3.n = 100;
    t.touch(r3);
    t.remove('r0');
    expect([...asc.ids()][0]).toBe('new');
    expect([...asc.ids()].at(-1)).toBe('r3');
    expect(asc.size).toBe(20);
    expect(t.ensureSorted(mk('asc'))).toBe(asc);
    const made = Array.from({ length: 7 }, (_, i) => t.ensureSorted(mk(`s${i}`)));
    // `asc` was made before s0..s6: using it again makes s0 the least recently used.
    expect(t.ensureSorted(mk('asc'))).toBe(asc);
    t.ensureSorted(mk('s7'));
    expect(t.ensureSorted(mk('asc'))).toBe(asc);
    expect(t.ensureSorted(mk('s1'))).toBe(made[1]);
    expect(t.ensureSorted(mk('s0'))).not.toBe(made[0]);
  });

  it('persistent hosts get dirty marks (the last value per record, null for a delete); loading marks nothing', () => {
    const { host, t } = newTable(true);
    const a = t.put({ id: 'a', v: 1 });
    t.put({ id: 'b', v: 2 });
    a.v = 5;
    t.touch(a);
    t.remove('b');
    expect([...t.dirty]).toEqual([
      ['a', a],
      ['b', null],
    ]);
    expect(host.changes).toBe(4);
    t.dirty.clear();
    t.load({ id: 'c', v: 3 });
    t.load({ id: 'c', v: 4 });
    t.ensureIndex(fieldIndex(['v']));
    expect(t.countBy('v', 4)).toBe(1);
    expect(t.dirty.size).toBe(0);
    t.unload('c');
    t.unload('c');
    expect(t.has('c')).toBe(false);
    expect(t.countBy('v', 4)).toBe(0);
    expect(host.changes).toBe(4);
    // A memory host: no dirty marks at all.
    const mem = newTable(false);
    mem.t.put({ id: 'x' });
    expect(mem.t.dirty.size).toBe(0);
    expect(mem.host.changes).toBe(0);
  });
});
