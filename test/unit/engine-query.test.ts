// The list planner: index candidates, exclusions counted from an index, auto equality indexes,
// sorted indexes (composite with an equality filter), the budget fallback to the heap, TopK.
// Every path is checked against a naive filter + stable sort + slice over the same rows, on
// small tables (heap) and big ones (>= AUTO_INDEX_ROWS: sorted indexes), before and after writes.
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Collection } from '../../src/core/engine/collection.js';
import { AUTO_INDEX_ROWS, compareValues, envelope, planList, runList, TopK, type Queryable } from '../../src/core/engine/query.js';
import { shapeFromKinds } from '../../src/core/engine/shape.js';
import type { Rec } from '../../src/core/record.js';
import { Table, type TableHost } from '../../src/core/table.js';
import type { Workspace } from '../../src/core/workspace.js';
import { apiStyle, collection, errorOf, newWorkspace, seeded } from './engine-helpers.js';

const KINDS = { id: 'string', owner: 'string', cat: 'string', n: 'integer', x: 'number', flag: 'boolean', tags: 'stringArray', state: 'string', name: 'string' } as const;
const CATS = ['a', 'b', 'c', 'd'];
const TAGS = ['x', 'y', 'z'];

function makeCollection(name: string, paging: 'offset' | 'none' = 'offset') {
  return collection(KINDS, {
    name,
    style: apiStyle({
      list: {
        paging: paging === 'none' ? { kind: 'none' } : { kind: 'offset', offset: 'offset', limit: 'limit', defaultLimit: 20, maxLimit: 5000, invalid: 'error' },
      },
    }),
    partition: 'owner',
    indexes: ['cat'],
    hidden: { field: 'state', values: ['DELETED'] },
    filters: { nMin: { field: 'n', op: 'gte' }, nBelow: { field: 'n', op: 'lt' }, tag: { field: 'tags' }, catIn: { field: 'cat', op: 'in' } },
  });
}

function randomRow(rnd: () => number): Record<string, unknown> {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const r: Record<string, unknown> = {
    cat: rnd() < 0.1 ? undefined : pick(CATS),
    n: rnd() < 0.08 ? null : Math.floor(rnd() * 60),
    x: Math.round(rnd() * 1000) / 10,
    flag: rnd() < 0.3 ? undefined : rnd() < 0.5,
    tags: TAGS.filter(() => rnd() < 0.4),
    state: pick(['ok', 'ok', 'ok', 'DELETED', 'ARCH']),
    name: `n${Math.floor(rnd() * 500)}`,
  };
  if (rnd() < 0.05) delete r.n; // never set (undefined) as well as null
  return r;
}

function fill(c: Collection, ws: Workspace, count: number, rnd: () => number): void {
  for (let i = 0; i < count; i++) {
    const { n, ...rest } = randomRow(rnd);
    const rec = c.create(ws, rest, 'all', { partition: rnd() < 0.5 ? 'A' : 'B' });
    // n: null written explicitly, undefined left unset.
    if (n !== undefined) {
      rec.n = n;
      c.table(ws).touch(rec);
    }
  }
}

interface Query {
  input: Record<string, string>;
  partition?: string;
  exclude?: Array<{ field: string; values: unknown[] }>;
  where?: boolean;
}

const isNil = (v: unknown) => v === null || v === undefined;

/** The list as a reader of the style expects it: filter, stable sort, slice. */
function naive(rows: Rec[], q: Query, defaultLimit: number | null) {
  const i = q.input;
  const keep = rows.filter((r) => {
    if (r.state === 'DELETED') return false;
    if (q.partition !== undefined && r.owner !== q.partition) return false;
    if (i.cat !== undefined && r.cat !== i.cat) return false;
    if (i.catIn !== undefined && !i.catIn.split(',').includes(r.cat as string)) return false;
    if (i.n !== undefined && (isNil(r.n) || r.n !== Number(i.n))) return false;
    if (i.nMin !== undefined && (isNil(r.n) || (r.n as number) < Number(i.nMin))) return false;
    if (i.nBelow !== undefined && (isNil(r.n) || (r.n as number) >= Number(i.nBelow))) return false;
    if (i.flag !== undefined && Boolean(r.flag) !== (i.flag === 'true')) return false;
    if (i.tag !== undefined && !(r.tags as string[]).includes(i.tag)) return false;
    if (i.tags !== undefined && !(r.tags as string[]).includes(i.tags)) return false;
    for (const x of q.exclude ?? []) if (x.values.includes(r[x.field])) return false;
    if (q.where && !(String(r.name).endsWith('7'))) return false;
    return true;
  });
  const keys = (i.sort ?? '')
    .split(',')
    .filter(Boolean)
    .map((s) => ({ field: s.replace(/^[-+]/, ''), desc: s.startsWith('-') }));
  const order = keep.map((r, pos) => ({ r, pos }));
  order.sort((a, b) => {
    for (const k of keys) {
      const va = a.r[k.field];
      const vb = b.r[k.field];
      let c: number;
      if (isNil(va) && isNil(vb)) c = 0;
      else if (isNil(va)) c = -1;
      else if (isNil(vb)) c = 1;
      else if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
      else c = String(va) < String(vb) ? -1 : String(va) > String(vb) ? 1 : 0;
      if (c) return k.desc ? -c : c;
    }
    return a.pos - b.pos;
  });
  const offset = Number(i.offset ?? 0);
  const limit = i.limit !== undefined ? Number(i.limit) : (defaultLimit ?? Infinity);
  return { ids: order.slice(offset, offset + limit).map((x) => x.r.id), total: keep.length };
}

/** Present about one time in `1 + rare` (most queries carry few filters, so pages are full). */
const sometimes = <T>(arb: fc.Arbitrary<T>, rare = 3) => fc.oneof({ weight: rare, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const queryArb = fc
  .record({
    cat: sometimes(fc.constantFrom(...CATS, 'zz')),
    catIn: sometimes(fc.constantFrom('a,b', 'c', 'd,zz')),
    n: sometimes(fc.integer({ min: 0, max: 60 }).map(String), 6),
    nMin: sometimes(fc.integer({ min: 0, max: 60 }).map(String)),
    nBelow: sometimes(fc.integer({ min: 0, max: 60 }).map(String)),
    flag: sometimes(fc.constantFrom('true', 'false')),
    tag: sometimes(fc.constantFrom(...TAGS)),
    tags: sometimes(fc.constantFrom(...TAGS), 6),
    sort: sometimes(
      fc
        .array(fc.tuple(fc.constantFrom('-', '', '+'), fc.constantFrom('n', 'cat', 'x', 'name', 'flag')), { minLength: 1, maxLength: 3 })
        .map((ks) => ks.map(([s, f]) => s + f).join(',')),
      1,
    ),
    offset: sometimes(fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 3000 })).map(String), 1),
    limit: sometimes(fc.oneof(fc.integer({ min: 1, max: 30 }).map(String), fc.constant('5000')), 1),
  })
  .map((q) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Record<string, string>);

const fullQueryArb = fc.record({
  input: queryArb,
  partition: fc.option(fc.constantFrom('A', 'B'), { nil: undefined }),
  exclude: fc.option(fc.constantFrom([{ field: 'state', values: ['ARCH'] }], [{ field: 'state', values: ['DELETED', 'ARCH'] }], [{ field: 'cat', values: ['a'] }]), { nil: undefined }),
  where: fc.boolean(),
});

function check(c: Collection, ws: Workspace, q: Query, defaultLimit: number | null = 20): void {
  const got = c.list(ws, q.input, { partition: q.partition, exclude: q.exclude, where: q.where ? (r) => String(r.name).endsWith('7') : undefined });
  const want = naive([...c.table(ws).scan()], q, defaultLimit);
  expect({ ids: got.items.map((r) => r.id), total: got.page.total }).toEqual(want);
  expect(got.page.count).toBe(want.ids.length);
}

describe('planner against a naive evaluation (randomized, seeded)', () => {
  let ws: Workspace;
  let small: Collection;
  let big: Collection;
  beforeAll(async () => {
    ws = await newWorkspace();
    small = makeCollection('small');
    big = makeCollection('big');
    fill(small, ws, 300, seeded(1));
    fill(big, ws, AUTO_INDEX_ROWS + 500, seeded(2));
  });

  it('small tables (heap, index candidates)', () => {
    fc.assert(fc.property(fullQueryArb, (q) => check(small, ws, q)), { seed: 11, numRuns: 400 });
  });

  it('big tables (auto indexes, sorted indexes, composite with an equality filter, budget fallback)', () => {
    fc.assert(fc.property(fullQueryArb, (q) => check(big, ws, q)), { seed: 12, numRuns: 200 });
  });

  it('indexes and sort orders follow updates, removals and rollbacks', () => {
    const rnd = seeded(3);
    const t = big.table(ws);
    // Build some sorted orders and indexes first so that the writes must maintain them.
    for (const sort of ['n', '-x,name', 'cat,-n']) big.list(ws, { sort });
    big.list(ws, { cat: 'a', sort: '-n' }, { partition: 'A' });
    big.list(ws, { name: 'n7', sort: 'x' });
    const ids = [...t.scan()].map((r) => r.id);
    for (let i = 0; i < 400; i++) {
      const id = ids[Math.floor(rnd() * ids.length)];
      if (!t.has(id)) continue;
      const roll = rnd();
      if (roll < 0.1) t.remove(id);
      else if (roll < 0.12 && t.peek(id)!.state !== 'DELETED') big.remove(ws, id);
      else if (roll < 0.15) {
        if (t.peek(id)!.state === 'DELETED') continue;
        // A change undone by a failed request.
        ws.transaction(
          () => big.update(ws, id, { cat: 'zz', n: 999 }, 'all'),
          () => true,
        );
      } else {
        const { n, ...rest } = randomRow(rnd);
        const rec = t.get(id)!;
        Object.assign(rec, { cat: rest.cat, x: rest.x, name: rest.name, state: rest.state, n: n ?? null });
        t.touch(rec);
      }
    }
    fill(big, ws, 200, rnd);
    fc.assert(fc.property(fullQueryArb, (q) => check(big, ws, q)), { seed: 13, numRuns: 150 });
  });

  it('whole lists without paging', async () => {
    const c = makeCollection('whole', 'none');
    fill(c, ws, 150, seeded(4));
    fc.assert(
      fc.property(fullQueryArb, (q) => {
        const { offset: _o, limit: _l, ...input } = q.input;
        check(c, ws, { ...q, input }, null);
      }),
      { seed: 14, numRuns: 150 },
    );
  });
});

describe('planner paths', () => {
  it('an equality filter on an indexed attribute reads its candidates from the index', async () => {
    const ws = await newWorkspace();
    const c = makeCollection('t');
    fill(c, ws, 400, seeded(5));
    const t = c.table(ws);
    const scan = vi.spyOn(t, 'scan');
    const r = c.list(ws, { cat: 'b', limit: '5000' });
    expect(scan).not.toHaveBeenCalled();
    expect(r.items.every((x) => x.cat === 'b' && x.state !== 'DELETED')).toBe(true);
    // Without the hidden exclusion's pass, the page alone comes from the index, the total from its count.
    const plain = collection(KINDS, { name: 'plain', indexes: ['cat'] });
    fill(plain, ws, 100, seeded(6));
    const pt = plain.table(ws);
    const pscan = vi.spyOn(pt, 'scan');
    const page = plain.list(ws, { cat: 'c', limit: '2' });
    expect(pscan).not.toHaveBeenCalled();
    expect(page.page.total).toBe(pt.index('cat')!.count('c'));
    expect(page.items.map((x) => x.id)).toEqual(pt.index('cat')!.ids('c').slice(0, 2));
    // Not selective enough (every record has the value): the table is scanned.
    const allSame = collection(KINDS, { name: 'same', indexes: ['cat'] });
    for (let i = 0; i < 10; i++) allSame.create(ws, { cat: 'a', n: i }, 'all');
    const sscan = vi.spyOn(allSame.table(ws), 'scan');
    expect(allSame.list(ws, { cat: 'a', flag: 'false' }).page.total).toBe(10);
    expect(sscan).toHaveBeenCalled();
  });

  it('no condition: the total is the table size and the page its front', async () => {
    const ws = await newWorkspace();
    const c = collection(KINDS, { name: 'p' });
    for (let i = 0; i < 30; i++) c.create(ws, { n: i }, 'all');
    const r = c.list(ws, { offset: '25', limit: '10' });
    expect(r.items.map((x) => x.n)).toEqual([25, 26, 27, 28, 29]);
    expect(r.page.total).toBe(30);
    expect(c.list(ws, { offset: '40' }).items).toEqual([]);
  });

  it('exclusions only: the total is counted from the index', async () => {
    const ws = await newWorkspace();
    const c = collection(KINDS, { name: 'x', hidden: { field: 'state', values: ['DELETED'] } });
    const states = ['ok', 'DELETED', 'ARCH', 'ok', 'DELETED', 'ok'];
    for (const [i, state] of states.entries()) c.create(ws, { n: i, state }, 'all');
    let r = c.list(ws, {});
    expect(r.page.total).toBe(4);
    expect(r.items.map((x) => x.n)).toEqual([0, 2, 3, 5]);
    r = c.list(ws, { offset: '1', limit: '2' });
    expect(r.items.map((x) => x.n)).toEqual([2, 3]);
    // The same value excluded twice (the collection's hidden rule and the request's) counts once.
    r = c.list(ws, {}, { exclude: [{ field: 'state', values: ['DELETED', 'ARCH'] }] });
    expect(r.items.map((x) => x.n)).toEqual([0, 3, 5]);
    expect(r.page.total).toBe(3);
    // Exclusions on two fields: the records are looked at.
    r = c.list(ws, {}, { exclude: [{ field: 'n', values: [0] }] });
    expect(r.items.map((x) => x.n)).toEqual([2, 3, 5]);
    expect(r.page.total).toBe(3);
    // Values that are no index key (null) exclude nothing.
    expect(c.list(ws, {}, { exclude: [{ field: 'state', values: [null] }] }).page.total).toBe(4);
  });

  it('tables of AUTO_INDEX_ROWS records get an equality index on a filtered attribute', async () => {
    const ws = await newWorkspace();
    const c = collection(KINDS, { name: 'auto' });
    const t = c.table(ws);
    for (let i = 0; i < AUTO_INDEX_ROWS - 1; i++) t.put({ id: `r${i}`, name: `n${i % 50}`, n: i });
    expect(c.list(ws, { name: 'n3' }).page.total).toBe(40);
    expect(t.index('name')).toBeUndefined();
    t.put({ id: 'last', name: 'n3', n: -1 });
    expect(c.list(ws, { name: 'n3' }).page.total).toBe(41);
    expect(t.index('name')?.count('n3')).toBe(41);
    // Dates and booleans are never answered from an index.
    c.list(ws, { flag: 'true' });
    expect(t.index('flag')).toBeUndefined();
  });

  it('big tables keep the sort order as an index, per value of an equality filter', async () => {
    const ws = await newWorkspace();
    const c = makeCollection('sorted');
    fill(c, ws, AUTO_INDEX_ROWS + 10, seeded(7));
    const t = c.table(ws);
    const sortedNames = () => [...((t as unknown as { sorted: Map<string, unknown> }).sorted.keys())];
    c.list(ws, { sort: '-n,name' });
    expect(sortedNames()).toContain('sort:-n,name');
    c.list(ws, { cat: 'b', sort: '-x' });
    expect(sortedNames()).toContain('sort:cat,-x');
    c.list(ws, { sort: 'x' }, { partition: 'A' });
    expect(sortedNames()).toContain('sort:owner,x');
    check(c, ws, { input: { cat: 'b', sort: '-x', limit: '7', offset: '3' } });
    check(c, ws, { input: { sort: 'x', offset: '100' }, partition: 'A' });
  });

  it('matches clustered at the far end of the order: the walk gives up and a heap answers', async () => {
    const ws = await newWorkspace();
    const c = collection(KINDS, { name: 'far', style: apiStyle({ list: { paging: { kind: 'offset', offset: 'offset', limit: 'limit', defaultLimit: 10, maxLimit: 100, invalid: 'error' } } }) });
    const t = c.table(ws);
    const rows = 3000;
    // Only the 12 largest n have the flag: a walk in n order meets them after the budget.
    for (let i = 0; i < rows; i++) t.put({ id: `r${i}`, n: (i * 7919) % rows, flag: (i * 7919) % rows >= rows - 12 });
    const peek = vi.spyOn(t, 'peek');
    const r = c.list(ws, { flag: 'true', sort: 'n', limit: '10' });
    expect(r.items.map((x) => x.n)).toEqual([2988, 2989, 2990, 2991, 2992, 2993, 2994, 2995, 2996, 2997]);
    expect(r.page.total).toBe(12);
    // The walk stopped at its budget (2000 records), well before the matches.
    expect(peek.mock.calls.length).toBeGreaterThan(0);
    expect(peek.mock.calls.length).toBeLessThanOrEqual(2000);
    expect(c.list(ws, { flag: 'true', sort: '-n', limit: '3', offset: '1' }).items.map((x) => x.n)).toEqual([2998, 2997, 2996]);
  });

  it('a big table, sorted, with an equality filter on an array attribute finds every record holding the value', async () => {
    const ws = await newWorkspace();
    const c = makeCollection('arr');
    const t = c.table(ws);
    for (let i = 0; i < AUTO_INDEX_ROWS; i++) t.put({ id: `r${i}`, owner: 'A', state: 'ok', n: i, tags: i % 3 === 0 ? ['x'] : i % 3 === 1 ? ['a', 'x'] : ['x', 'y', 'z'] });
    const r = c.list(ws, { tag: 'x', sort: '-n', limit: '4' });
    expect(r.items.map((x) => x.n)).toEqual([1999, 1998, 1997, 1996]);
    expect(r.page.total).toBe(AUTO_INDEX_ROWS);
    const y = c.list(ws, { tags: 'y', sort: 'n', limit: '3' });
    expect(y.items.map((x) => x.n)).toEqual([2, 5, 8]);
  });

  it('ids restarting per partition are filtered by their public number, also on a big table', async () => {
    const ws = await newWorkspace();
    const c = collection(
      { id: 'integer', parent: 'string', name: 'string' },
      { name: 'seqp', partition: 'parent', style: apiStyle({ resource: { id: { field: 'id', kind: 'sequence', scope: 'partition', type: 'integer' } } }) },
    );
    for (let i = 0; i < AUTO_INDEX_ROWS / 2; i++) {
      c.create(ws, { name: `a${i}` }, 'all', { partition: 'A' });
      c.create(ws, { name: `b${i}` }, 'all', { partition: 'B' });
    }
    expect(c.table(ws).size).toBe(AUTO_INDEX_ROWS);
    expect(c.list(ws, { id: '3' }, { partition: 'A' }).items.map((r) => r.name)).toEqual(['a2']);
    expect(c.list(ws, { id: '3', sort: '-name' }).items.map((r) => r.name)).toEqual(['b2', 'a2']);
    expect(c.list(ws, { sort: '-id', limit: '2' }, { partition: 'B' }).items.map((r) => r.name)).toEqual(['b999', 'b998']);
  });

  it('null and never-set values sort together, so pages neither repeat nor skip records', async () => {
    const ws = await newWorkspace();
    const c = collection(KINDS, { name: 'nil' });
    const a = c.create(ws, { name: 'a', n: null }, 'all');
    const b = c.create(ws, { name: 'b' }, 'all');
    a.n = null;
    expect('n' in b && b.n === undefined).toBe(true);
    const pages = [0, 1].map((offset) => c.list(ws, { sort: 'n', offset: String(offset), limit: '1' }).items[0].name);
    expect(pages).toEqual(['a', 'b']);
    expect(c.list(ws, { sort: '-n' }).items.map((x) => x.name)).toEqual(['a', 'b']);
    expect(compareValues(null, undefined)).toBe(0);
    expect(compareValues(undefined, null)).toBe(0);
  });

  it('planList/runList and envelope work over any Queryable', () => {
    const host: TableHost = { tx: null, persistent: false, changed: () => {} };
    const table = new Table<Rec>('raw', host);
    for (let i = 0; i < 5; i++) table.put({ id: `k${i}`, v: `${i}`, code: i % 2 ? 'odd' : 'even' });
    const q: Queryable = {
      shape: shapeFromKinds({ id: 'string', v: 'string', code: 'string' }),
      list: apiStyle({ list: { envelope: { items: 'rows', meta: { total: 'n', count: 'c' } } } }).list,
      filters: {},
      search: [],
      sortable: null,
      defaultSort: [{ field: 'v', desc: true }],
      partitionField: null,
      indexed: new Set(['code']),
      parseTime: () => undefined,
      valueOf: (r, f) => r[f],
    };
    const res = runList(q, table, planList(q, { code: 'odd' }), {});
    expect(res.items.map((r) => r.id)).toEqual(['k3', 'k1']);
    expect(table.index('code')).toBeDefined();
    expect(envelope(q.list, ['x'], res.page)).toEqual({ rows: ['x'], n: 2, c: 2 });
    expect(envelope(q.list, ['x'], res.page, null)).toEqual(['x']);
    expect(errorOf(() => planList(q, { sort: 'nope' })).kind).toBe('invalid');
  });
});

describe('compareValues', () => {
  it('orders nulls first, numbers numerically, the rest as strings', () => {
    expect(compareValues(1, 1)).toBe(0);
    expect(compareValues(null, 0)).toBeLessThan(0);
    expect(compareValues(0, undefined)).toBeGreaterThan(0);
    expect(compareValues(2, 10)).toBeLessThan(0);
    expect(compareValues('2', '10')).toBeGreaterThan(0);
    expect(compareValues('a', 'a')).toBe(0);
    expect(compareValues(true, false)).toBeGreaterThan(0);
  });
});

describe('TopK', () => {
  const cmp = (a: number, b: number) => a - b;

  it('keeps the k smallest in order, like a sort and a slice', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 80 }), fc.integer({ min: 0, max: 20 }), (xs, k) => {
        const top = new TopK<number>(k, cmp);
        for (const x of xs) top.offer(x);
        expect(top.sorted()).toEqual([...xs].sort(cmp).slice(0, k));
      }),
      { seed: 21, numRuns: 300 },
    );
  });

  it('k = Infinity keeps everything; k = 0 nothing', () => {
    const all = new TopK<number>(Infinity, cmp);
    const none = new TopK<number>(0, cmp);
    for (const x of [5, 3, 9, 1]) {
      all.offer(x);
      none.offer(x);
    }
    expect(all.sorted()).toEqual([1, 3, 5, 9]);
    expect(none.sorted()).toEqual([]);
  });

  it('with ties, some k smallest are kept (which of the equal ones is not promised)', () => {
    const top = new TopK<{ k: number; tag: string }>(2, (a, b) => a.k - b.k);
    for (const [k, tag] of [[1, 'a'], [1, 'b'], [1, 'c'], [0, 'd'], [2, 'e']] as const) top.offer({ k, tag });
    const kept = top.sorted();
    expect(kept.map((x) => x.k)).toEqual([0, 1]);
    expect(kept[0].tag).toBe('d');
    expect(['a', 'b', 'c']).toContain(kept[1].tag);
  });
});
