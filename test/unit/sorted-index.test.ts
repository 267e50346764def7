// Sorted indexes: removals in place (no pass over every chunk), and keys holding arrays that a
// record changes in place.
import { describe, expect, it } from 'vitest';
import { SortedIndex } from '../../src/core/table.js';

const compare = (a: unknown, b: unknown) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

describe('SortedIndex', () => {
  it('keeps order through many removals and inserts across chunks', () => {
    const seq = new Map<string, number>();
    const idx = new SortedIndex<{ id: string; n: number }>({ name: 'n', key: (r) => [r.n], compare: (a, b) => (a as number) - (b as number), desc: [false] }, (id) => seq.get(id)!);
    const recs = Array.from({ length: 5000 }, (_, i) => ({ id: `r${i}`, n: (i * 7919) % 5000 }));
    recs.forEach((r, i) => seq.set(r.id, i));
    for (const r of recs) idx.update(r);
    for (const r of recs) if (r.n % 3 === 0) idx.remove(r.id);
    const left = [...idx.ids()].map((id) => recs[Number(id.slice(1))].n);
    expect(left).toEqual([...left].sort((a, b) => a - b));
    expect(left).toHaveLength(recs.filter((r) => r.n % 3 !== 0).length);
    idx.remove('nosuch');
    expect(idx.size).toBe(left.length);
  });

  it('moves a record whose array key was changed in place', () => {
    const seq = new Map([['a', 0], ['b', 1]]);
    const idx = new SortedIndex<{ id: string; tags: string[] }>({ name: 'tags', key: (r) => [r.tags], compare, desc: [false] }, (id) => seq.get(id)!);
    const a = { id: 'a', tags: ['x'] };
    const b = { id: 'b', tags: ['m'] };
    idx.update(a);
    idx.update(b);
    expect([...idx.ids()]).toEqual(['b', 'a']);
    a.tags[0] = 'c'; // in place
    idx.update(a);
    expect([...idx.ids()]).toEqual(['a', 'b']);
    idx.update(a); // unchanged: stays
    expect([...idx.ids()]).toEqual(['a', 'b']);
  });
});
