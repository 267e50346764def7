// Lists over in-memory arrays (listArray) read paging, sorting, filters and search as a
// collection's list does; array query parameters accept repeated keys, CSV and bracketed lists.
import { describe, expect, it } from 'vitest';
import { listArray } from '../../src/core/engine/array-list.js';
import { shapeOf } from '../../src/core/engine/shape.js';
import type { ListStyle } from '../../src/core/engine/styles.js';
import { arrayQueryValues } from '../../src/core/router.js';

const list: ListStyle = {
  source: 'query',
  paging: { kind: 'offset', offset: 'Offset', limit: 'Limit', defaultLimit: null, maxLimit: 100, invalid: 'error' },
  sort: { kind: 'field-order', field: 'SortField', order: 'SortOrder', ascending: ['asc'], descending: ['desc'], caseInsensitiveFields: true },
  envelope: { items: 'ItemList', meta: { total: 'Total' } },
  autoEquality: false,
  unknownFilters: 'ignore',
  searchParam: 'SearchValue',
  caseInsensitiveNames: true,
};
const shape = shapeOf({ type: 'object', properties: { ID: { type: 'integer' }, Name: { type: 'string' }, At: { type: 'string', format: 'date-time' } } });
const rows = [
  { ID: 3, Name: 'Cuisine', At: '2026-01-03T00:00:00.000Z' },
  { ID: 1, Name: 'Sport', At: '2026-01-01T00:00:00.000Z' },
  { ID: 2, Name: 'Voyage', At: '2026-01-02T00:00:00.000Z' },
];
const cfg = { shape, list, search: ['Name'], filters: { After: { field: 'At', op: 'gte' as const, type: 'date' as const } } };

describe('listArray', () => {
  it('keeps the array order without a sort, pages and counts', () => {
    const r = listArray(cfg, rows, { Offset: '1', Limit: '1' });
    expect(r.items.map((x) => x.ID)).toEqual([1]);
    expect(r.page.total).toBe(3);
    expect(r.page.count).toBe(1);
  });

  it('sorts (any case of the field name), filters, searches', () => {
    expect(listArray(cfg, rows, { sortfield: 'id', SortOrder: 'desc' }).items.map((x) => x.ID)).toEqual([3, 2, 1]);
    expect(listArray(cfg, rows, { After: '2026-01-02T00:00:00Z' }).items.map((x) => x.ID)).toEqual([3, 2]);
    expect(listArray(cfg, rows, { SearchValue: 'OY' }).items.map((x) => x.ID)).toEqual([2]);
    expect(listArray({ ...cfg, defaultSort: [{ field: 'Name', desc: false }] }, rows, {}).items.map((x) => x.Name)).toEqual(['Cuisine', 'Sport', 'Voyage']);
  });

  it('refuses bad paging and unknown sort fields', () => {
    expect(() => listArray(cfg, rows, { Limit: '0' })).toThrow(/Limit/);
    expect(() => listArray(cfg, rows, { Offset: '-1' })).toThrow(/Offset/);
    expect(() => listArray(cfg, rows, { SortField: 'Nope' })).toThrow(/Nope/);
  });

  it('does not reorder the caller\'s array', () => {
    const copy = rows.map((r) => r.ID);
    listArray(cfg, rows, { SortField: 'ID' });
    expect(rows.map((r) => r.ID)).toEqual(copy);
  });
});

describe('arrayQueryValues', () => {
  it('reads repeated keys, CSV and bracketed lists alike', () => {
    expect(arrayQueryValues(['7', '72'])).toEqual(['7', '72']);
    expect(arrayQueryValues(['7,72'])).toEqual(['7', '72']);
    expect(arrayQueryValues(['[7,72]'])).toEqual(['7', '72']);
    expect(arrayQueryValues([' [ 7 , 72 ] ', '3'])).toEqual(['7', '72', '3']);
    expect(arrayQueryValues(['[]', ''])).toEqual([]);
  });
});
