// ListStyle and ResourceStyle options, exercised through a Collection over a real workspace
// table: each option is checked against the records it must (and must not) return or write.
import { beforeEach, describe, expect, it } from 'vitest';
import { SimError } from '../../src/core/errors.js';
import type { Collection } from '../../src/core/engine/collection.js';
import { isoTime, type ListStyle, type ResourceStyle } from '../../src/core/engine/styles.js';
import type { Rec } from '../../src/core/record.js';
import type { Workspace } from '../../src/core/workspace.js';
import { apiStyle, collection, errorOf, newWorkspace, T0 } from './engine-helpers.js';

const KINDS = { id: 'string', name: 'string', n: 'integer', score: 'number', flag: 'boolean', tags: 'stringArray', created: 'date' } as const;

function listed(c: Collection, ws: Workspace, input: Record<string, unknown>, opts = {}) {
  const r = c.list(ws, input, opts);
  return { names: r.items.map((x) => x.name), page: r.page };
}

/** Twelve records n=1..12, created one minute apart, names w01..w12. */
function seedRows(c: Collection, ws: Workspace): void {
  for (let i = 1; i <= 12; i++) {
    ws.clock.moveTo(T0 + i * 60_000);
    c.create(ws, { name: `w${String(i).padStart(2, '0')}`, n: i, score: i / 4, flag: i % 3 === 0 ? true : undefined, tags: i % 2 ? 'odd' : 'even,two' }, 'all');
  }
}

const listStyle = (list: Partial<ListStyle>) => apiStyle({ resource: { created: 'created' }, list });

describe('isoTime', () => {
  it('writes ISO 8601 UTC with milliseconds and remembers the last instant', () => {
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoTime(T0 + 7)).toBe('2026-01-05T12:00:00.007Z');
    // The same instant again answers the same string, another instant a new one.
    expect(isoTime(T0 + 7)).toBe('2026-01-05T12:00:00.007Z');
    expect(isoTime(T0 + 8)).toBe('2026-01-05T12:00:00.008Z');
  });
});

describe('ListStyle: offset paging', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  it('uses the default limit, reads offset/limit and reports the page facts', () => {
    const c = collection(KINDS, { style: listStyle({}) });
    seedRows(c, ws);
    const first = listed(c, ws, {});
    expect(first.names).toHaveLength(10);
    expect(first.page).toMatchObject({ offset: 0, limit: 10, total: 12, count: 10, page: 1, pageCount: 2 });
    const second = listed(c, ws, { offset: '10', limit: '10' });
    expect(second.names).toEqual(['w11', 'w12']);
    expect(second.page).toMatchObject({ offset: 10, limit: 10, total: 12, count: 2, page: 2 });
    expect(listed(c, ws, { offset: 3, limit: 2 }).names).toEqual(['w04', 'w05']);
    expect(listed(c, ws, { offset: '50' }).names).toEqual([]);
    const body = c.envelope(['a'], c.list(ws, { offset: '2', limit: '3' }).page) as Record<string, unknown>;
    expect(body).toEqual({ list: ['a'], offset: 2, limit: 3, total: 12 });
  });

  it('answers 400 naming the parameter for a bad offset or limit (invalid: error)', () => {
    const c = collection(KINDS, { style: listStyle({}) });
    seedRows(c, ws);
    for (const [input, field] of [
      [{ offset: '-1' }, 'offset'],
      [{ offset: 'x' }, 'offset'],
      [{ offset: '1.5' }, 'offset'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '51' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
    ] as const) {
      const e = errorOf(() => c.list(ws, input));
      expect(e).toBeInstanceOf(SimError);
      expect(e.kind).toBe('invalid');
      expect(e.details.field).toBe(field);
    }
    // The maximum itself is allowed.
    expect(listed(c, ws, { limit: '50' }).names).toHaveLength(12);
  });

  it('clamps bad values into range (invalid: clamp)', () => {
    const c = collection(KINDS, { style: listStyle({ paging: { kind: 'offset', offset: 'offset', limit: 'limit', defaultLimit: 4, maxLimit: 5, invalid: 'clamp' } }) });
    seedRows(c, ws);
    expect(listed(c, ws, { offset: '-3', limit: '2' }).names).toEqual(['w01', 'w02']);
    expect(listed(c, ws, { offset: 'x', limit: '0' }).names).toEqual(['w01', 'w02', 'w03', 'w04']);
    expect(listed(c, ws, { limit: '99' }).page).toMatchObject({ limit: 5, count: 5 });
    expect(listed(c, ws, { limit: 'abc', offset: '10' }).names).toEqual(['w11', 'w12']);
  });

  it('a null default limit lists everything', () => {
    const c = collection(KINDS, { style: listStyle({ paging: { kind: 'offset', offset: 'o', limit: 'l', defaultLimit: null, maxLimit: 3, invalid: 'error' } }) });
    seedRows(c, ws);
    const all = listed(c, ws, {});
    expect(all.names).toHaveLength(12);
    expect(all.page).toMatchObject({ limit: 12, total: 12, page: 1, pageCount: 1 });
    expect(listed(c, ws, { o: '11' }).names).toEqual(['w12']);
    expect(listed(c, ws, { l: '3' }).names).toEqual(['w01', 'w02', 'w03']);
  });
});

describe('ListStyle: page paging and none', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  it('1-based pages: default page and size, facts, errors', () => {
    const c = collection(KINDS, {
      style: listStyle({
        paging: { kind: 'page', page: 'page', size: 'size', base: 1, defaultSize: 5, maxSize: 8, invalid: 'error' },
        envelope: { items: 'data', meta: { page: 'Page', pageSize: 'PageSize', pageCount: 'Pages', count: 'Count', total: 'Total' } },
      }),
    });
    seedRows(c, ws);
    const r = c.list(ws, {});
    expect(r.items.map((x) => x.name)).toEqual(['w01', 'w02', 'w03', 'w04', 'w05']);
    expect(c.envelope(['x'], r.page)).toEqual({ data: ['x'], Page: 1, PageSize: 5, Pages: 3, Count: 5, Total: 12 });
    expect(listed(c, ws, { page: '3' }).names).toEqual(['w11', 'w12']);
    expect(listed(c, ws, { page: '2', size: '8' }).names).toEqual(['w09', 'w10', 'w11', 'w12']);
    expect(errorOf(() => c.list(ws, { page: '0' })).details.field).toBe('page');
    expect(errorOf(() => c.list(ws, { size: '9' })).details.field).toBe('size');
    expect(errorOf(() => c.list(ws, { size: '0' })).details.field).toBe('size');
  });

  it('0-based pages, clamped', () => {
    const c = collection(KINDS, { style: listStyle({ paging: { kind: 'page', page: 'p', size: 's', base: 0, defaultSize: 4, maxSize: 6, invalid: 'clamp' } }) });
    seedRows(c, ws);
    expect(listed(c, ws, {}).names).toEqual(['w01', 'w02', 'w03', 'w04']);
    expect(listed(c, ws, { p: '1' }).names).toEqual(['w05', 'w06', 'w07', 'w08']);
    expect(listed(c, ws, { p: '-2' }).page).toMatchObject({ page: 0, offset: 0 });
    expect(listed(c, ws, { p: '1', s: '100' }).names).toEqual(['w07', 'w08', 'w09', 'w10', 'w11', 'w12']);
    expect(listed(c, ws, { s: 'x' }).page.pageSize).toBe(4);
  });

  it('no paging lists every record', () => {
    const c = collection(KINDS, { style: listStyle({ paging: { kind: 'none' }, envelope: { items: null } }) });
    seedRows(c, ws);
    const r = c.list(ws, { offset: '5', limit: '1' });
    expect(r.items).toHaveLength(12);
    expect(r.page).toMatchObject({ offset: 0, limit: 12, total: 12, pageSize: 12, pageCount: 1 });
    // A bare array envelope.
    expect(c.envelope([1, 2], r.page)).toEqual([1, 2]);
    // The items name can be given per call.
    expect(c.envelope([1], r.page, 'rows')).toEqual({ rows: [1] });
    const empty = collection(KINDS, { name: 'empty', style: listStyle({ paging: { kind: 'none' } }) }).list(ws, {});
    expect(empty.page).toMatchObject({ total: 0, count: 0, pageCount: 0 });
  });
});

describe('ListStyle: sorting', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  it('signed sort: several keys, -desc and +asc, unknown attributes refused', () => {
    const c = collection(KINDS, { style: listStyle({}) });
    for (const [name, n] of [['b', 2], ['a', 2], ['c', 1], ['d', 3]] as const) c.create(ws, { name, n }, 'all');
    expect(listed(c, ws, { sort: '-n,name' }).names).toEqual(['d', 'a', 'b', 'c']);
    expect(listed(c, ws, { sort: '+n, -name' }).names).toEqual(['c', 'b', 'a', 'd']);
    expect(listed(c, ws, { sort: 'name' }).names).toEqual(['a', 'b', 'c', 'd']);
    const e = errorOf(() => c.list(ws, { sort: '-nope' }));
    expect(e.kind).toBe('invalid');
    expect(e.details.field).toBe('sort');
    expect(e.message).toContain("'nope'");
  });

  it('signed sort: default order and the sortable list', () => {
    const c = collection(KINDS, { style: listStyle({}), sortable: ['n'], defaultSort: [{ field: 'n', desc: true }] });
    for (const [name, n] of [['b', 2], ['a', 1], ['c', 3]] as const) c.create(ws, { name, n }, 'all');
    expect(listed(c, ws, {}).names).toEqual(['c', 'b', 'a']);
    expect(listed(c, ws, { sort: 'n' }).names).toEqual(['a', 'b', 'c']);
    expect(errorOf(() => c.list(ws, { sort: 'name' })).details.field).toBe('sort');
  });

  it('SortField + SortOrder: word lists compared case-insensitively, field names optionally too', () => {
    const sort = { kind: 'field-order', field: 'SortField', order: 'SortOrder', ascending: ['asc'], descending: ['desc', 'Descending'] } as const;
    const c = collection(KINDS, { style: listStyle({ sort: { ...sort, caseInsensitiveFields: true } }), defaultSort: [{ field: 'name', desc: false }] });
    for (const [name, n] of [['b', 2], ['a', 1], ['c', 3]] as const) c.create(ws, { name, n }, 'all');
    expect(listed(c, ws, { SortField: 'n', SortOrder: 'DESC' }).names).toEqual(['c', 'b', 'a']);
    expect(listed(c, ws, { SortField: 'N', SortOrder: 'descending' }).names).toEqual(['c', 'b', 'a']);
    expect(listed(c, ws, { SortField: 'n', SortOrder: 'Asc' }).names).toEqual(['a', 'b', 'c']);
    expect(listed(c, ws, { SortField: 'n' }).names).toEqual(['a', 'b', 'c']);
    // Without SortField: the default order (a SortOrder alone does nothing).
    expect(listed(c, ws, { SortOrder: 'desc' }).names).toEqual(['a', 'b', 'c']);
    const bad = errorOf(() => c.list(ws, { SortField: 'n', SortOrder: 'up' }));
    expect(bad.details.field).toBe('SortOrder');
    expect(bad.message).toContain('"asc", "desc", "Descending"');

    const strict = collection(KINDS, { name: 'strict', style: listStyle({ sort }) });
    strict.create(ws, { name: 'x', n: 1 }, 'all');
    expect(errorOf(() => strict.list(ws, { SortField: 'N' })).details.field).toBe('SortField');
  });

  it('without a sort style the default order always applies and sort parameters are ordinary filters', () => {
    const c = collection(KINDS, { style: listStyle({ sort: undefined, unknownFilters: 'error' }), defaultSort: [{ field: 'n', desc: true }] });
    for (const [name, n] of [['b', 2], ['a', 1], ['c', 3]] as const) c.create(ws, { name, n }, 'all');
    expect(listed(c, ws, {}).names).toEqual(['c', 'b', 'a']);
    expect(errorOf(() => c.list(ws, { sort: 'name' })).message).toContain("unknown list parameter 'sort'");
  });

  it('dates sort as instants, nulls first, ties in creation order', () => {
    const c = collection({ ...KINDS, due: 'date' }, { style: listStyle({}) });
    c.create(ws, { name: 'late', due: '2026-03-01T00:00:00+02:00' }, 'all');
    c.create(ws, { name: 'none' }, 'all');
    c.create(ws, { name: 'early', due: '2026-02-28T23:00:00Z' }, 'all');
    c.create(ws, { name: 'none2' }, 'all');
    expect(listed(c, ws, { sort: 'due' }).names).toEqual(['none', 'none2', 'late', 'early']);
    expect(listed(c, ws, { sort: '-due' }).names).toEqual(['early', 'late', 'none', 'none2']);
  });
});

describe('ListStyle: filters', () => {
  let ws: Workspace;
  let c: Collection;
  beforeEach(async () => {
    ws = await newWorkspace();
    c = collection(KINDS, {
      style: listStyle({ paging: { kind: 'none' }, searchParam: 'q' }),
      search: ['name', 'tags'],
      filters: {
        names: { field: 'name', op: 'in' },
        nameCi: { field: 'name', caseInsensitive: true },
        namesCi: { field: 'name', op: 'in', caseInsensitive: true },
        nMin: { field: 'n', op: 'gte' },
        nOver: { field: 'n', op: 'gt' },
        nMax: { field: 'n', op: 'lte' },
        nUnder: { field: 'n', op: 'lt' },
        nNot: { field: 'n', op: 'ne' },
        nIn: { field: 'n', op: 'in' },
        from: { field: 'created', op: 'gte' },
        before: { field: 'created', op: 'lt' },
        has: { field: 'name', op: 'contains' },
        starts: { field: 'name', op: 'prefix' },
        tag: { field: 'tags' },
        tagIn: { field: 'tags', op: 'in' },
        scoreText: { field: 'score', type: 'string' },
        nAsNumber: { field: 'name', type: 'number' },
        isFlag: { field: 'name', type: 'boolean' },
        whenText: { field: 'name', type: 'date', op: 'gte' },
        even: { test: (v, r) => String((r.n as number) % 2 === 0) === v },
      },
    });
    seedRows(c, ws);
  });

  it('equality on attributes of each kind (autoEquality)', () => {
    expect(listed(c, ws, { name: 'w03' }).names).toEqual(['w03']);
    expect(listed(c, ws, { n: '7' }).names).toEqual(['w07']);
    expect(listed(c, ws, { n: 7 }).names).toEqual(['w07']);
    expect(listed(c, ws, { score: '0.5' }).names).toEqual(['w02']);
    expect(listed(c, ws, { tags: 'two' }).names).toEqual(['w02', 'w04', 'w06', 'w08', 'w10', 'w12']);
    expect(listed(c, ws, { name: 'W03' }).names).toEqual([]);
    // A null or empty value is no filter.
    expect(listed(c, ws, { name: null, n: '' }).names).toHaveLength(12);
    expect(errorOf(() => c.list(ws, { n: 'seven' })).details.field).toBe('n');
  });

  it('value lists, case-insensitive equality and `ne`', () => {
    expect(listed(c, ws, { names: 'w01, w05,zz' }).names).toEqual(['w01', 'w05']);
    expect(listed(c, ws, { names: ['w02', 'w12'] }).names).toEqual(['w02', 'w12']);
    expect(listed(c, ws, { nIn: '3,4' }).names).toEqual(['w03', 'w04']);
    expect(listed(c, ws, { nIn: 5 }).names).toEqual(['w05']);
    expect(listed(c, ws, { namesCi: 'W01,w02' }).names).toEqual(['w01', 'w02']);
    expect(listed(c, ws, { nameCi: 'W11' }).names).toEqual(['w11']);
    expect(listed(c, ws, { tagIn: 'odd' }).names).toHaveLength(6);
    expect(listed(c, ws, { nNot: '1' }).names).toHaveLength(11);
    expect(errorOf(() => c.list(ws, { nIn: '3,x' })).details.field).toBe('nIn');
  });

  it('numeric ranges, with records lacking the attribute left out (but kept by `ne`)', () => {
    c.create(ws, { name: 'none' }, 'all');
    expect(listed(c, ws, { nMin: '11' }).names).toEqual(['w11', 'w12']);
    expect(listed(c, ws, { nOver: '11' }).names).toEqual(['w12']);
    expect(listed(c, ws, { nMax: '2' }).names).toEqual(['w01', 'w02']);
    expect(listed(c, ws, { nUnder: '2' }).names).toEqual(['w01']);
    expect(listed(c, ws, { nMin: '3', nUnder: '5' }).names).toEqual(['w03', 'w04']);
    expect(listed(c, ws, { nNot: '1' }).names).toContain('none');
  });

  it('date bounds: ISO, date-only and epoch milliseconds; bad dates refused', () => {
    // Records were created at T0 + i minutes.
    expect(listed(c, ws, { from: new Date(T0 + 11 * 60_000).toISOString() }).names).toEqual(['w11', 'w12']);
    expect(listed(c, ws, { before: String(T0 + 2 * 60_000) }).names).toEqual(['w01']);
    expect(listed(c, ws, { from: '2026-01-05T12:03:00+00:00', before: '2026-01-05T12:05:00Z' }).names).toEqual(['w03', 'w04']);
    expect(listed(c, ws, { from: '2026-01-06' }).names).toEqual([]);
    expect(listed(c, ws, { before: '2026-01-06' }).names).toHaveLength(12);
    const e = errorOf(() => c.list(ws, { from: 'yesterday' }));
    expect(e.details.field).toBe('from');
    expect(e.message).toContain('ISO 8601');
  });

  it('contains and prefix are case-insensitive substring tests', () => {
    expect(listed(c, ws, { has: '1' }).names).toEqual(['w01', 'w10', 'w11', 'w12']);
    expect(listed(c, ws, { starts: 'W1' }).names).toEqual(['w10', 'w11', 'w12']);
    c.create(ws, { n: 99 }, 'all');
    expect(listed(c, ws, { has: 'w' }).names).toHaveLength(12);
  });

  it('a declared type reads the parameter and the value in that domain', () => {
    c.create(ws, { name: '5' }, 'all');
    c.create(ws, { name: 'true' }, 'all');
    c.create(ws, { name: '2030-01-01T00:00:00Z' }, 'all');
    expect(listed(c, ws, { scoreText: '0.25' }).names).toEqual(['w01']);
    expect(listed(c, ws, { nAsNumber: '5.0' }).names).toEqual(['5']);
    // A boolean read of a string attribute: only "true" (any case) is true, as for the parameter.
    expect(listed(c, ws, { isFlag: 'TRUE' }).names).toEqual(['true']);
    c.create(ws, { name: 'false' }, 'all');
    expect(listed(c, ws, { isFlag: 'false' }).names).not.toContain('true');
    expect(listed(c, ws, { isFlag: 'false' }).names).toContain('false');
    expect(listed(c, ws, { whenText: '2029-12-31' }).names).toEqual(['2030-01-01T00:00:00Z']);
    expect(errorOf(() => c.list(ws, { nAsNumber: 'x' })).details.field).toBe('nAsNumber');
  });

  it('booleans: true matches set flags, false also matches records that never set one', () => {
    expect(listed(c, ws, { flag: 'true' }).names).toEqual(['w03', 'w06', 'w09', 'w12']);
    expect(listed(c, ws, { flag: true }).names).toEqual(['w03', 'w06', 'w09', 'w12']);
    expect(listed(c, ws, { flag: 'false' }).names).toEqual(['w01', 'w02', 'w04', 'w05', 'w07', 'w08', 'w10', 'w11']);
  });

  it('a filter with a rule of its own gets the raw value and the record', () => {
    expect(listed(c, ws, { even: 'true', nMin: '9' }).names).toEqual(['w10', 'w12']);
  });

  it('text search over the collection’s search fields, case-insensitive', () => {
    expect(listed(c, ws, { q: 'W0' }).names).toHaveLength(9);
    expect(listed(c, ws, { q: 'TWO' }).names).toHaveLength(6);
    expect(listed(c, ws, { q: 'w1', tag: 'odd' }).names).toEqual(['w11']);
    // A collection without search fields ignores the parameter.
    const plain = collection(KINDS, { name: 'plain', style: listStyle({ searchParam: 'q', unknownFilters: 'error' }) });
    plain.create(ws, { name: 'x' }, 'all');
    expect(plain.list(ws, { q: 'zzz' }).items).toHaveLength(1);
  });
});

describe('ListStyle: unknown parameters and names', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  it('unknown parameters are ignored or refused; reserved names never count as filters', () => {
    const lax = collection(KINDS, { style: listStyle({}) });
    seedRows(lax, ws);
    expect(lax.list(ws, { bogus: '1' }).items).toHaveLength(10);
    const strict = collection(KINDS, { name: 'strict', style: listStyle({ unknownFilters: 'error', searchParam: 'q' }), search: ['name'] });
    seedRows(strict, ws);
    const e = errorOf(() => strict.list(ws, { bogus: '1' }));
    expect(e.kind).toBe('invalid');
    expect(e.details.field).toBe('bogus');
    expect(strict.list(ws, { offset: '0', limit: '5', sort: 'n', q: 'w', name: 'w01' }).items.map((r) => r.name)).toEqual(['w01']);
    // Empty and absent values are skipped before the check.
    expect(strict.list(ws, { bogus: '', other: undefined }).items).toHaveLength(10);
  });

  it('without autoEquality an attribute name is an unknown parameter', () => {
    const c = collection(KINDS, { style: listStyle({ autoEquality: false, unknownFilters: 'error' }), filters: { nm: { field: 'name' } } });
    seedRows(c, ws);
    expect(errorOf(() => c.list(ws, { name: 'w01' })).details.field).toBe('name');
    expect(c.list(ws, { nm: 'w01' }).items).toHaveLength(1);
    const lax = collection(KINDS, { name: 'lax', style: listStyle({ autoEquality: false }) });
    seedRows(lax, ws);
    expect(lax.list(ws, { name: 'w01' }).items).toHaveLength(10);
  });

  it('case-insensitive names for paging, sorting, search, declared filters and attributes', () => {
    const c = collection(KINDS, {
      style: listStyle({ caseInsensitiveNames: true, unknownFilters: 'error', searchParam: 'Search' }),
      filters: { MinN: { field: 'n', op: 'gte' } },
      search: ['name'],
    });
    seedRows(c, ws);
    const r = c.list(ws, { OFFSET: '1', Limit: '2', SORT: '-n', minn: '3', FLAG: 'true', search: 'W' });
    expect(r.items.map((x) => x.name)).toEqual(['w09', 'w06']);
    expect(r.page).toMatchObject({ offset: 1, limit: 2, total: 4 });
    expect(errorOf(() => c.list(ws, { Nope: 'x' })).details.field).toBe('Nope');
    // Case-sensitive style: `LIMIT` is not the limit (and not an attribute).
    const cs = collection(KINDS, { name: 'cs', style: listStyle({ unknownFilters: 'error' }) });
    expect(errorOf(() => cs.list(ws, { LIMIT: '2' })).details.field).toBe('LIMIT');
  });
});

// ---- ResourceStyle ------------------------------------------------------------------------

function resourceStyle(resource: Partial<ResourceStyle>) {
  return apiStyle({ resource });
}

describe('ResourceStyle: ids', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  it('random ids: alphabet, length and prefix; the same seed gives the same ids', async () => {
    const hex = collection({ id: 'string' }, { style: resourceStyle({ id: { field: 'id', kind: 'random', alphabet: 'hex', length: 12, prefix: 'tx_', type: 'string' } }) });
    const digits = collection({ id: 'string' }, { name: 'd', style: resourceStyle({ id: { field: 'id', kind: 'random', alphabet: 'digits', type: 'string' } }) });
    const b64 = collection({ id: 'string' }, { name: 'b', style: resourceStyle({ id: { field: 'id', kind: 'random', type: 'string' } }) });
    const a = hex.create(ws, {}, 'all');
    expect(a.id).toMatch(/^tx_[0-9a-f]{12}$/);
    expect(digits.create(ws, {}, 'all').id).toMatch(/^\d{22}$/);
    expect(b64.create(ws, {}, 'all').id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const again = await newWorkspace('w2');
    expect(hex.create(again, {}, 'all').id).toBe(a.id);
    const other = await newWorkspace('w3', 7);
    expect(hex.create(other, {}, 'all').id).not.toBe(a.id);
  });

  it('uuid ids are RNG-drawn version 4 UUIDs', () => {
    const c = collection({ id: 'string' }, { style: resourceStyle({ id: { field: 'id', kind: 'uuid', type: 'string' } }) });
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const id = c.create(ws, {}, 'all').id;
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(50);
  });

  it('integer sequences from `start`, written under a renamed id field', () => {
    const c = collection({ ContactID: 'integer', name: 'string' }, { style: resourceStyle({ id: { field: 'ContactID', kind: 'sequence', start: 100, type: 'integer' } }) });
    const a = c.create(ws, { name: 'a' }, 'all');
    const b = c.create(ws, { name: 'b' }, 'all');
    expect([a.id, a.ContactID, b.id, b.ContactID]).toEqual(['100', 100, '101', 101]);
    expect(c.publicId(b)).toBe(101);
    expect(c.render(b)).toEqual({ ContactID: 101, name: 'b' });
    expect(c.get(ws, 101).name).toBe('b');
    expect(c.get(ws, '100').name).toBe('a');
    // An explicit id keeps the sequence above it.
    c.insert(ws, { name: 'x' } as never, { id: 150 });
    expect(c.create(ws, { name: 'c' }, 'all').ContactID).toBe(151);
    // A lower explicit id does not move it back.
    c.insert(ws, { name: 'y' } as never, { id: 120 });
    expect(c.create(ws, { name: 'd' }, 'all').ContactID).toBe(152);
  });

  it('a sequence skips numbers already taken', () => {
    const c = collection({ id: 'integer' }, { style: resourceStyle({ id: { field: 'id', kind: 'sequence', type: 'integer' } }) });
    // Put a record at key "2" behind the sequence's back.
    c.table(ws).put({ id: '2' });
    expect([c.create(ws, {}, 'all').id, c.create(ws, {}, 'all').id]).toEqual(['1', '3']);
  });

  it('sequences per partition restart in each parent; public ids are the number alone', () => {
    const c = collection(
      { id: 'integer', parent: 'string', name: 'string' },
      { partition: 'parent', style: resourceStyle({ id: { field: 'id', kind: 'sequence', scope: 'partition', type: 'integer' } }) },
    );
    const a1 = c.create(ws, { name: 'a1' }, 'all', { partition: 'A' });
    const a2 = c.create(ws, { name: 'a2' }, 'all', { partition: 'A' });
    const b1 = c.create(ws, { name: 'b1' }, 'all', { partition: 'B' });
    expect([a1.id, a2.id, b1.id]).toEqual(['A:1', 'A:2', 'B:1']);
    expect(c.publicId(b1)).toBe(1);
    expect(c.render(a2)).toEqual({ id: 2, parent: 'A', name: 'a2' });
    expect(c.get(ws, 1, 'B').name).toBe('b1');
    expect(c.get(ws, 1, 'A').name).toBe('a1');
    expect(c.keyFor(2, 'A')).toBe('A:2');
    expect(c.lookup(ws, 2, 'B')).toBeUndefined();
    expect(c.list(ws, { id: '1' }, { partition: 'A' }).items.map((r) => r.name)).toEqual(['a1']);
  });

  it('a named sequence is shared by collections', () => {
    const id = { field: 'id', kind: 'sequence', sequence: 'shared', type: 'integer' } as const;
    const x = collection({ id: 'integer' }, { name: 'x', style: resourceStyle({ id }) });
    const y = collection({ id: 'integer' }, { name: 'y', style: resourceStyle({ id }) });
    expect([x.create(ws, {}, 'all').id, y.create(ws, {}, 'all').id, x.create(ws, {}, 'all').id]).toEqual(['1', '2', '3']);
    // reserveId on a random-id collection does nothing.
    const r = collection({ id: 'string' }, { name: 'r' });
    r.reserveId(ws, 99);
    expect(ws.doc.table('_sequences').has('test.r')).toBe(false);
  });
});

describe('ResourceStyle: versions, timestamps, nulls, nested values, codes', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  const versioned = (required = false) =>
    collection(
      { id: 'string', name: 'string', version_number: 'integer', created_date: 'date', last_updated_date: 'date' },
      { style: resourceStyle({ version: { field: 'version_number', start: 1, required }, created: 'created_date', updated: 'last_updated_date', codes: { stale: '1001' } }) },
    );

  it('a version field starts at `start`, counts writes, and a stale write is a 409', () => {
    const c = versioned();
    const rec = c.create(ws, { name: 'a', version_number: 77 }, 'all');
    expect(rec.version_number).toBe(1);
    c.update(ws, rec.id, { name: 'b' }, 'all');
    c.update(ws, rec.id, { name: 'c', version_number: '2' }, 'all');
    expect(c.get(ws, rec.id)).toMatchObject({ name: 'c', version_number: 3 });
    const e = errorOf(() => c.update(ws, rec.id, { name: 'd', version_number: 2 }, 'all'));
    expect(e.kind).toBe('stale');
    expect(e.details).toMatchObject({ field: 'version_number', current: 3, code: '1001' });
    expect(c.get(ws, rec.id).name).toBe('c');
    expect(errorOf(() => c.replace(ws, rec.id, { name: 'e', version_number: 1 }, 'all')).kind).toBe('stale');
  });

  it('a required version must be sent', () => {
    const c = versioned(true);
    const rec = c.create(ws, { name: 'a' }, 'all');
    const e = errorOf(() => c.update(ws, rec.id, { name: 'b' }, 'all'));
    expect(e.kind).toBe('stale');
    expect(e.message).toContain("must carry 'version_number'");
    expect(c.update(ws, rec.id, { name: 'b', version_number: 1 }, 'all').version_number).toBe(2);
  });

  it('a style version the shape lacks is not written', () => {
    const c = collection({ id: 'string', name: 'string' }, { style: resourceStyle({ version: { field: 'v', start: 0 }, created: 'made', updated: 'changed' }) });
    const rec = c.create(ws, { name: 'a', v: 5 }, 'all');
    c.update(ws, rec.id, { name: 'b', v: 9 }, 'all');
    expect(rec).toEqual({ id: rec.id, name: 'b' });
  });

  it('created/updated under the style’s names; update moves only `updated`; clients cannot write them', () => {
    const c = versioned();
    const rec = c.create(ws, { name: 'a', created_date: '2000-01-01T00:00:00Z' }, 'all');
    expect(rec.created_date).toBe('2026-01-05T12:00:00.000Z');
    expect(rec.last_updated_date).toBe('2026-01-05T12:00:00.000Z');
    ws.clock.moveTo(T0 + 5000);
    c.update(ws, rec.id, { name: 'b', last_updated_date: '1999-01-01T00:00:00Z' }, 'all');
    expect(rec.created_date).toBe('2026-01-05T12:00:00.000Z');
    expect(rec.last_updated_date).toBe('2026-01-05T12:00:05.000Z');
  });

  it('formatTime writes timestamps the vendor’s way; parseTime reads them back for filters, sorting and input', () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const formatTime = (t: number) => {
      const d = new Date(t);
      return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    };
    const parseTime = (v: unknown) => {
      const m = /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d)$/.exec(String(v));
      return m ? Date.UTC(+m[3], +m[2] - 1, +m[1], +m[4], +m[5]) : undefined;
    };
    const c = collection(
      { id: 'string', name: 'string', made: 'date', due: 'date' },
      { style: apiStyle({ resource: { created: 'made', formatTime, parseTime }, list: { paging: { kind: 'none' } } }), filters: { since: { field: 'made', op: 'gte' } } },
    );
    ws.clock.moveTo(Date.UTC(2026, 0, 31, 10, 0));
    c.create(ws, { name: 'jan31', due: '01/02/2026 09:30' }, 'all');
    ws.clock.moveTo(Date.UTC(2026, 1, 2, 10, 0));
    c.create(ws, { name: 'feb02', due: Date.UTC(2026, 0, 1) }, 'all');
    const [a, b] = c.list(ws, {}).items;
    expect(a.made).toBe('31/01/2026 10:00');
    expect(a.due).toBe('01/02/2026 09:30');
    expect(b.due).toBe('01/01/2026 00:00');
    // As strings 02/02 < 31/01; as instants jan31 comes first.
    expect(c.list(ws, { sort: 'made' }).items.map((r) => r.name)).toEqual(['jan31', 'feb02']);
    expect(c.list(ws, { sort: '-made' }).items.map((r) => r.name)).toEqual(['feb02', 'jan31']);
    expect(c.list(ws, { since: '2026-02-01' }).items.map((r) => r.name)).toEqual(['feb02']);
    expect(c.list(ws, { since: '01/02/2026 00:00' }).items.map((r) => r.name)).toEqual(['feb02']);
    expect(errorOf(() => c.create(ws, { due: 'soon' }, 'all')).details.field).toBe('due');
  });

  it('nulls: rendered as null, or left out', () => {
    const kinds = { id: 'string', name: 'string', note: 'string' } as const;
    const withNull = collection(kinds, { style: resourceStyle({ nulls: 'null' }) });
    const omit = collection(kinds, { name: 'o', style: resourceStyle({ nulls: 'omit' }) });
    const a = withNull.create(ws, { name: 'a', note: null }, 'all');
    const b = omit.create(ws, { name: 'b', note: null }, 'all');
    expect(withNull.render(a)).toEqual({ id: a.id, name: 'a', note: null });
    expect(omit.render(b)).toEqual({ id: b.id, name: 'b' });
    expect(Object.keys(withNull.render(a))).toEqual(['id', 'name', 'note']);
  });

  it('nested objects and arrays of objects are stored and rendered intact', () => {
    const c = collection({ id: 'string', address: 'object', lines: 'objectArray', list: 'array' }, {});
    const address = { street: { no: 5, name: 'Main' }, tags: ['x', 'y'], empty: null };
    const lines = [{ sku: 'a', qty: 1, opts: [{ k: 'v' }] }, { sku: 'b', qty: 2 }];
    const rec = c.create(ws, { address, lines, list: [1, 'two', null] }, 'all');
    const out = c.render(rec);
    expect(out.address).toEqual(address);
    expect(out.lines).toEqual(lines);
    expect(out.list).toEqual([1, 'two', null]);
    c.update(ws, rec.id, { lines: [{ sku: 'c' }] }, 'all');
    expect(c.render(c.get(ws, rec.id))).toEqual({ id: rec.id, address, lines: [{ sku: 'c' }], list: [1, 'two', null] });
  });

  it('error codes of the style, overridden per collection; the not-found message and field', () => {
    const style = resourceStyle({ codes: { notFound: 'NF', duplicate: 'DUP' } });
    const base = collection({ id: 'string', email: 'string' }, { style, uniqueKeys: [['email']] });
    const own = collection({ id: 'string', email: 'string' }, {
      name: 'people',
      style,
      uniqueKeys: [['email']],
      codes: { notFound: 'P404' },
      label: 'person',
      errorField: 'person_id',
    });
    const custom = collection({ id: 'string' }, { name: 'c', style, notFoundMessage: (id) => `no thing called ${id}` });
    let e = errorOf(() => base.get(ws, 'zz'));
    expect(e.kind).toBe('not_found');
    expect(e.message).toBe('thing zz not found');
    expect(e.details).toMatchObject({ id: 'zz', code: 'NF' });
    expect(e.details.field).toBeUndefined();
    e = errorOf(() => own.get(ws, 'zz'));
    expect(e.message).toBe('person zz not found');
    expect(e.details).toMatchObject({ code: 'P404', field: 'person_id' });
    expect(errorOf(() => custom.view(ws, 'q')).message).toBe('no thing called q');
    base.create(ws, { email: 'a@x' }, 'all');
    own.create(ws, { email: 'a@x' }, 'all');
    expect(errorOf(() => base.create(ws, { email: 'a@x' }, 'all')).details.code).toBe('DUP');
    e = errorOf(() => own.create(ws, { email: 'a@x' }, 'all'));
    expect(e.details.code).toBe('DUP');
    expect(e.message).toMatch(/^email "a@x" is already used by person /);
  });
});

export type { Rec };
