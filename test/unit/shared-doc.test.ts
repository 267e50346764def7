// The shared store's document (no Redis): pending changes as change lines and hash fields,
// replayed by another copy; a whole document rebuilt from fields and creation ranks.
import { describe, expect, it } from 'vitest';
import { metaField, recordField, SharedDocStore } from '../../src/core/fleet/shared-doc.js';

describe('SharedDocStore', () => {
  it("hands out a request's changes once, and another copy replays them to the same state", () => {
    const a = new SharedDocStore('w');
    const b = new SharedDocStore('w');
    a.table('t').put({ id: 'x', n: 1 });
    a.table('t').put({ id: 'y', n: 2 });
    a.setMeta('k', { v: 1 });
    const c1 = a.takeChanges()!;
    expect(c1.sets).toEqual([recordField('t', 'x'), '{"id":"x","n":1}', recordField('t', 'y'), '{"id":"y","n":2}', metaField('k'), '{"v":1}']);
    expect(a.takeChanges()).toBeNull();
    a.table('t').remove('x');
    a.table('t').put({ id: 'z', n: 3 });
    const c2 = a.takeChanges()!;
    expect(c2.dels).toEqual([recordField('t', 'x')]);
    const applied = b.applyChunks([c1.chunk, c2.chunk]);
    expect([...applied.tables.keys()]).toEqual(['t']);
    expect(applied.meta).toEqual(new Set(['k']));
    expect([...b.table('t').scan()]).toEqual([...a.table('t').scan()]);
    expect(b.getMeta('k')).toEqual({ v: 1 });
    // Replayed changes are not pending again.
    expect(b.takeChanges()).toBeNull();
  });

  it('rebuilds a document from hash fields in creation order, and a replace is written whole', async () => {
    const a = new SharedDocStore('w');
    for (const id of ['c', 'a', 'b']) a.table('t').put({ id });
    a.setMeta('m', 5);
    const fields = a.takeAll();
    const order = new Map([recordField('t', 'c'), recordField('t', 'a'), recordField('t', 'b')].map((f, i) => [f, i]));
    // Hash order is arbitrary: reversed here.
    const pairs: string[][] = [];
    for (let i = 0; i < fields.length; i += 2) pairs.push([fields[i], fields[i + 1]]);
    const b = new SharedDocStore('w');
    b.loadFields(pairs.reverse().flat(), order);
    expect([...b.table('t').scan()].map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect(b.getMeta('m')).toBe(5);
    expect(b.hasChanges()).toBe(false);
    await b.replaceWith({ meta: { m: 6 }, tables: { t: [{ id: 'q' }] } });
    expect(b.replaced).toBe(true);
    expect(b.hasChanges()).toBe(true);
    expect(b.takeAll()).toEqual([metaField('m'), '6', recordField('t', 'q'), '{"id":"q"}']);
    expect(b.replaced).toBe(false);
  });
});
