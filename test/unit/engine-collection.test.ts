// The collection engine's writes and reads: shapes, ids and sequences, unique keys, field
// declarations (from/aliases/input/output), hidden/visible records and partitions.
import { beforeEach, describe, expect, it } from 'vitest';
import { keyOfValue, toStringList } from '../../src/core/engine/collection.js';
import { nextInSequence, peekSequence, randomId, reserveInSequence, sequenceKey, uuid } from '../../src/core/engine/ids.js';
import { kindOf, propertiesOf, shapeFromKinds, shapeOf } from '../../src/core/engine/shape.js';
import type { Workspace } from '../../src/core/workspace.js';
import { apiStyle, collection, errorOf, newWorkspace, T0 } from './engine-helpers.js';

describe('shape', () => {
  it('reads the kind of each schema', () => {
    expect(kindOf({ type: 'string' })).toBe('string');
    expect(kindOf({ type: 'string', format: 'date-time' })).toBe('date');
    expect(kindOf({ type: ['string', 'null'], format: 'date-time' })).toBe('date');
    expect(kindOf({ type: ['null', 'integer'] })).toBe('integer');
    expect(kindOf({ type: 'number' })).toBe('number');
    expect(kindOf({ type: 'boolean' })).toBe('boolean');
    expect(kindOf({ type: 'array', items: { type: 'string' } })).toBe('stringArray');
    expect(kindOf({ type: 'array' })).toBe('stringArray');
    expect(kindOf({ type: 'array', items: { type: 'object' } })).toBe('objectArray');
    expect(kindOf({ type: 'array', items: { properties: { a: {} } } })).toBe('objectArray');
    expect(kindOf({ type: 'array', items: { allOf: [{ type: 'object' }] } })).toBe('objectArray');
    expect(kindOf({ type: 'array', items: { type: 'integer' } })).toBe('array');
    expect(kindOf({ type: 'array', items: { type: ['number', 'null'] } })).toBe('array');
    expect(kindOf({ type: 'object' })).toBe('object');
    expect(kindOf({ properties: { a: { type: 'string' } } })).toBe('object');
    expect(kindOf({ allOf: [{ type: 'integer' }] })).toBe('integer');
    expect(kindOf({ anyOf: [{ type: 'null' }, { type: 'boolean' }] })).toBe('boolean');
    expect(kindOf({ oneOf: [{ type: 'number' }, { type: 'string' }] })).toBe('number');
    expect(kindOf({ description: 'anything' })).toBe('any');
    expect(kindOf(undefined)).toBe('any');
    // Deeply nested wrappers stop after a few steps.
    expect(kindOf({ allOf: [{ allOf: [{ allOf: [{ allOf: [{ allOf: [{ allOf: [{ type: 'string' }] }] }] }] }] }] })).toBe('any');
  });

  it('merges allOf properties in order, own properties last', () => {
    const schema = {
      allOf: [{ properties: { a: { type: 'string' }, b: { type: 'string' } } }, { allOf: [{ properties: { c: { type: 'integer' } } }] }],
      properties: { b: { type: 'boolean' } },
    };
    const props = propertiesOf(schema);
    expect(Object.keys(props)).toEqual(['a', 'b', 'c']);
    expect(props.b).toEqual({ type: 'boolean' });
    expect(propertiesOf(undefined)).toEqual({});
  });

  it('a shape lists fields in schema order with their kinds; extra kinds override', () => {
    const shape = shapeOf(
      { properties: { id: { type: 'string' }, when: { type: 'string', format: 'date-time' }, n: { type: 'integer' }, x: { type: 'number' }, ok: { type: 'boolean' }, tags: { type: 'array' } } },
      { x: 'string', extra: 'objectArray' },
    );
    expect(shape.fields).toEqual(['id', 'when', 'n', 'x', 'ok', 'tags', 'extra']);
    expect(shape.kinds.get('x')).toBe('string');
    expect([...shape.dateFields]).toEqual(['when']);
    expect([...shape.arrayFields]).toEqual(['tags', 'extra']);
    expect([...shape.integerFields]).toEqual(['n']);
    expect([...shape.numberFields]).toEqual([]);
    expect([...shape.booleanFields]).toEqual(['ok']);
    const fromMap = shapeFromKinds(new Map([['a', 'number' as const]]));
    expect([...fromMap.numberFields]).toEqual(['a']);
    expect(shapeOf(undefined).fields).toEqual([]);
  });
});

describe('ids and sequences', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  it('sequence keys, next/peek/reserve', () => {
    expect(sequenceKey('api', 'n')).toBe('api.n');
    expect(sequenceKey('api', 'n', 'p1')).toBe('api.n/p1');
    expect(peekSequence(ws, 'k', 5)).toBe(5);
    expect([nextInSequence(ws, 'k', 5), nextInSequence(ws, 'k', 5), peekSequence(ws, 'k')]).toEqual([5, 6, 7]);
    reserveInSequence(ws, 'k', 3);
    expect(peekSequence(ws, 'k')).toBe(7);
    reserveInSequence(ws, 'k', 40);
    expect(nextInSequence(ws, 'k')).toBe(41);
    reserveInSequence(ws, 'fresh', 9, 1);
    expect(nextInSequence(ws, 'fresh')).toBe(10);
    reserveInSequence(ws, 'high', 2, 10);
    expect(nextInSequence(ws, 'high')).toBe(10);
  });

  it('a rolled-back request gives its sequence number back', () => {
    expect(() =>
      ws.transaction(() => {
        expect(nextInSequence(ws, 'k')).toBe(1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(nextInSequence(ws, 'k')).toBe(1);
    ws.transaction(() => nextInSequence(ws, 'k'));
    expect(nextInSequence(ws, 'k')).toBe(3);
  });

  it('random ids and uuids come from the workspace RNG (and are undone with it)', async () => {
    const other = await newWorkspace('o');
    const a = randomId(ws, { alphabet: 'alnum', length: 10, prefix: 'p-' });
    expect(a).toMatch(/^p-[A-Za-z0-9]{10}$/);
    expect(randomId(other, { alphabet: 'alnum', length: 10, prefix: 'p-' })).toBe(a);
    expect(randomId(ws, {})).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const before = [...ws.rng.stateRef];
    ws.transaction(
      () => uuid(ws),
      () => true,
    );
    expect(ws.rng.stateRef).toEqual(before);
    const u = uuid(ws);
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('input conversion', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  it('toStringList splits on , and ; and trims', () => {
    expect(toStringList('a, b;c,,')).toEqual(['a', 'b', 'c']);
    expect(toStringList([' x ', 2, ''])).toEqual(['x', '2']);
    expect(toStringList(null)).toBeNull();
    expect(toStringList(undefined)).toBeNull();
    expect(toStringList(5)).toEqual(['5']);
  });

  it('values are converted to their kind', () => {
    const c = collection({ id: 'string', tags: 'stringArray', ok: 'boolean', n: 'integer', x: 'number', s: 'string', when: 'date' });
    expect(c.normalize('tags', 'a;b')).toEqual(['a', 'b']);
    expect(c.normalize('ok', 'TRUE')).toBe(true);
    expect(c.normalize('ok', 'no')).toBe(false);
    expect(c.normalize('ok', false)).toBe(false);
    expect(c.normalize('n', ' 12 ')).toBe(12);
    expect(c.normalize('x', '1.5')).toBe(1.5);
    expect(c.normalize('x', '  ')).toBe('  ');
    expect(c.normalize('s', 12)).toBe(12);
    expect(c.normalize('s', undefined)).toBeNull();
    expect(c.normalize('when', 0)).toBe('1970-01-01T00:00:00.000Z');
    expect(c.normalize('when', '2026-01-05')).toBe('2026-01-05T00:00:00.000Z');
    const e = errorOf(() => c.normalize('n', 'twelve'));
    expect(e.kind).toBe('invalid');
    expect(e.details.field).toBe('n');
    expect(errorOf(() => c.normalize('when', 'soon')).details.field).toBe('when');
    const rec = c.create(ws, { tags: 'x,y', ok: 'true', n: '3' }, 'all');
    expect(rec).toMatchObject({ tags: ['x', 'y'], ok: true, n: 3 });
  });

  it('the writable attributes follow the request schema, its aliases and `from` names', () => {
    const c = collection(
      { id: 'string', name: 'string', phone: 'string', city: 'string', owner: 'string', secret: 'string', version: 'integer' },
      {
        style: apiStyle({ resource: { version: { field: 'version', start: 0 } } }),
        partition: 'owner',
        readOnly: ['secret'],
        fields: { phone: { aliases: ['mobile'] }, city: { from: ['address.city', 'town'] } },
      },
    );
    expect(c.writable('all')).toEqual(['name', 'phone', 'city']);
    expect(c.writable(undefined)).toEqual([]);
    const schema = { properties: { name: { type: 'string' }, mobile: { type: 'string' }, address: { type: 'object' }, secret: { type: 'string' } } };
    expect(c.writable(schema)).toEqual(['name', 'phone', 'city']);
    expect(c.writable(schema)).toBe(c.writable(schema));
    expect(c.writable({ properties: { phone: {} } })).toEqual(['phone']);
    // `from` replaces the attribute's own name.
    expect(c.writable({ properties: { city: {} } })).toEqual([]);
    expect(c.writable({ properties: { town: {} } })).toEqual(['city']);
  });

  it('pick resolves aliases and `from` names in priority order, null counting as absent', () => {
    const c = collection(
      { id: 'string', name: 'string', phone: 'string', city: 'string', zip: 'integer' },
      { fields: { phone: { aliases: ['mobile', 'tel'] }, city: { from: ['address.city', 'town'] }, zip: { from: ['address.zip'] } } },
    );
    expect(c.pick(undefined, 'all')).toEqual({});
    expect(c.pick({ name: 'n', phone: '1', mobile: '2' }, 'all')).toEqual({ name: 'n', phone: '1' });
    expect(c.pick({ mobile: null, tel: '3' }, 'all')).toEqual({ phone: '3' });
    expect(c.pick({ city: 'ignored', town: 'T' }, 'all')).toEqual({ city: 'T' });
    expect(c.pick({ address: { city: 'A', zip: '75001' }, town: 'T' }, 'all')).toEqual({ city: 'A', zip: 75001 });
    expect(c.pick({ address: { city: null }, town: 'T' }, 'all')).toEqual({ city: 'T' });
    expect(c.pick({ address: ['x'], town: 'T' }, 'all')).toEqual({ city: 'T' });
    expect(c.pick({ address: 'flat' }, 'all')).toEqual({});
    // Explicit null on the attribute's own name clears it.
    expect(c.pick({ name: null }, 'all')).toEqual({ name: null });
  });

  it('input converts written values (with the workspace); output converts rendered ones', () => {
    const c = collection(
      { id: 'string', email: 'string', cents: 'integer', note: 'string' },
      {
        fields: {
          email: { input: (v) => String(v).toLowerCase(), output: (v, rec) => `${v} <${rec.id}>` },
          cents: { input: (v, ws) => (v as number) * 100 + (ws.now() === T0 ? 0 : 1), output: (v) => (v as number) / 100 },
          note: { output: () => 'never for null' },
        },
      },
    );
    const rec = c.create(ws, { email: 'A@X.COM', cents: '2' }, 'all');
    expect(rec).toMatchObject({ email: 'a@x.com', cents: 200 });
    expect(c.render(rec)).toEqual({ id: rec.id, email: `a@x.com <${rec.id}>`, cents: 2, note: null });
    // Without a workspace, normalize does not call `input`.
    expect(c.normalize('email', 'B@Y')).toBe('B@Y');
  });

  it('a mirror attribute shows, filters and sorts by another attribute and is never written', () => {
    const c = collection(
      { id: 'string', status: 'string', state: 'string' },
      { fields: { status: { aliases: ['state'] }, state: { mirror: 'status' } } },
    );
    const a = c.create(ws, { state: 'Ready' }, 'all');
    c.create(ws, { status: 'Processing' }, 'all');
    expect(a.status).toBe('Ready');
    expect(a.state).toBeUndefined();
    expect(c.render(a)).toEqual({ id: a.id, status: 'Ready', state: 'Ready' });
    expect(c.list(ws, { state: 'Ready' }).items.map((r) => r.id)).toEqual([a.id]);
    expect(c.list(ws, { sort: '-state' }).items.map((r) => r.status)).toEqual(['Ready', 'Processing']);
  });
});

describe('writes', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  it('create applies defaults, the body, server values; update patches; replace resets; remove deletes', () => {
    const c = collection(
      { id: 'string', name: 'string', status: 'string', note: 'string', n: 'integer' },
      { defaults: () => ({ status: 'new', n: 0 }) },
    );
    const rec = c.create(ws, { name: 'a', note: 'x' }, 'all', { extra: { status: 'server' } });
    expect(rec).toEqual({ id: rec.id, name: 'a', status: 'server', note: 'x', n: 0 });
    const same = c.update(ws, rec.id, { n: 5 }, 'all');
    expect(same).toBe(rec);
    expect(rec).toMatchObject({ name: 'a', status: 'server', note: 'x', n: 5 });
    c.replace(ws, rec.id, { name: 'b' }, 'all');
    expect(c.get(ws, rec.id)).toEqual({ id: rec.id, name: 'b', status: 'new', note: null, n: 0 });
    expect(c.remove(ws, rec.id)).toBe(rec);
    expect(c.lookup(ws, rec.id)).toBeUndefined();
    expect(errorOf(() => c.remove(ws, rec.id)).kind).toBe('not_found');
    expect(errorOf(() => c.update(ws, 'nope', {}, 'all')).kind).toBe('not_found');
  });

  it('replace keeps attributes the request schema does not name', () => {
    const c = collection({ id: 'string', name: 'string', note: 'string' });
    const rec = c.create(ws, { name: 'a', note: 'keep' }, 'all');
    c.replace(ws, rec.id, { name: 'b' }, { properties: { name: {} } });
    expect(rec).toMatchObject({ name: 'b', note: 'keep' });
  });

  it('label: the table name in the singular, underscores as spaces, unless given', () => {
    expect(collection({ id: 'string' }, { name: 'sender_ids' }).label()).toBe('sender id');
    expect(collection({ id: 'string' }, { name: 'things', label: 'gadget' }).label()).toBe('gadget');
    expect(collection({ id: 'string' }).name).toBe('things');
  });

  it('the table is looked up again after the store was replaced, with its indexes', async () => {
    const c = collection({ id: 'string', email: 'string' }, { uniqueKeys: [['email']] });
    const t1 = c.table(ws);
    expect(c.table(ws)).toBe(t1);
    c.create(ws, { email: 'a' }, 'all');
    await ws.doc.replaceWith({ meta: ws.doc.toDocument().meta, tables: { 'test.things': [{ id: 'r1', email: 'b' }] } });
    const t2 = c.table(ws);
    expect(t2).not.toBe(t1);
    expect(t2.index('unique:email')?.count('b')).toBe(1);
    expect(errorOf(() => c.create(ws, { email: 'b' }, 'all')).kind).toBe('duplicate');
    expect(c.create(ws, { email: 'a' }, 'all').email).toBe('a');
  });
});

describe('unique keys', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  it('a taken key is a 409 naming the clash; a record keeps its own value; empty values never clash', () => {
    const c = collection({ id: 'string', email: 'string', name: 'string' }, { uniqueKeys: [['email']] });
    const a = c.create(ws, { email: 'a@x', name: 'a' }, 'all');
    const b = c.create(ws, { email: 'b@x' }, 'all');
    let e = errorOf(() => c.create(ws, { email: 'a@x' }, 'all'));
    expect(e.kind).toBe('duplicate');
    expect(e.message).toBe(`email "a@x" is already used by thing ${a.id}`);
    expect(e.details.field).toBe('email');
    expect(c.update(ws, a.id, { email: 'a@x', name: 'again' }, 'all').name).toBe('again');
    e = errorOf(() => c.update(ws, b.id, { email: 'a@x' }, 'all'));
    expect(e.kind).toBe('duplicate');
    expect(c.get(ws, b.id).email).toBe('b@x');
    expect(errorOf(() => c.replace(ws, b.id, { email: 'a@x' }, 'all')).kind).toBe('duplicate');
    c.create(ws, { email: '' }, 'all');
    c.create(ws, { email: '' }, 'all');
    c.create(ws, {}, 'all');
    c.create(ws, {}, 'all');
    // A freed value can be taken again.
    c.remove(ws, a.id);
    expect(c.create(ws, { email: 'a@x' }, 'all').email).toBe('a@x');
  });

  it('composite keys clash only on every field', () => {
    const c = collection({ id: 'string', first: 'string', last: 'string' }, { uniqueKeys: [['first', 'last']] });
    c.create(ws, { first: 'a', last: 'b' }, 'all');
    c.create(ws, { first: 'a', last: 'c' }, 'all');
    c.create(ws, { first: 'a' }, 'all');
    c.create(ws, { first: 'a' }, 'all');
    const e = errorOf(() => c.create(ws, { first: 'a', last: 'b' }, 'all'));
    expect(e.message).toMatch(/^first \+ last "a" \+ "b" is already used by thing /);
    expect(e.details.field).toBe('first,last');
  });

  it('normalized keys, bypassable keys, own message/code/field', () => {
    const c = collection(
      { id: 'string', email: 'string', phone: 'string' },
      {
        uniqueKeys: [
          { fields: ['email'], normalize: (v) => (typeof v === 'string' ? v.toLowerCase() : v), code: 'E1', field: 'Email' },
          { fields: ['phone'], normalize: (v) => String(v ?? '').replace(/\D/g, '') || undefined, bypassable: true, message: (values, clash) => `phone ${values[0]} taken by ${clash.id}` },
        ],
      },
    );
    const a = c.create(ws, { email: 'A@X', phone: '+33 1 23' }, 'all');
    let e = errorOf(() => c.create(ws, { email: 'a@x' }, 'all'));
    expect(e.details).toMatchObject({ code: 'E1', field: 'Email' });
    e = errorOf(() => c.create(ws, { phone: '33123' }, 'all'));
    expect(e.message).toBe(`phone 33123 taken by ${a.id}`);
    expect(e.details.field).toBe('phone');
    const dup = c.create(ws, { phone: '33-1-23' }, 'all', { allowDuplicates: true });
    expect(dup.phone).toBe('33-1-23');
    // Not bypassable: allowDuplicates does not skip the email key.
    expect(errorOf(() => c.create(ws, { email: 'a@X' }, 'all', { allowDuplicates: true })).details.code).toBe('E1');
    // A duplicate made with the key bypassed stays writable while its phone is left as it was...
    expect(c.update(ws, dup.id, { email: 'new@x' }, 'all').email).toBe('new@x');
    expect(c.replace(ws, dup.id, { email: 'new@x', phone: '33-1-23' }, 'all').phone).toBe('33-1-23');
    // ...but moving it to another taken phone is a clash.
    const b = c.create(ws, { phone: '999' }, 'all');
    expect(errorOf(() => c.update(ws, dup.id, { phone: '9-9-9' }, 'all')).message).toBe(`phone 9-9-9 taken by ${b.id}`);
    expect(c.update(ws, dup.id, { phone: '9-9-9' }, 'all', undefined, { allowDuplicates: true }).phone).toBe('9-9-9');
  });

  it('array attributes: every element is a key', () => {
    const c = collection({ id: 'string', aliases: 'stringArray' }, { uniqueKeys: [['aliases']] });
    c.create(ws, { aliases: 'a,b' }, 'all');
    expect(errorOf(() => c.create(ws, { aliases: 'c,b' }, 'all')).kind).toBe('duplicate');
    expect(c.create(ws, { aliases: 'c,d' }, 'all').aliases).toEqual(['c', 'd']);
  });

  it('keys are unique per partition; hidden records hold no key', () => {
    const c = collection(
      { id: 'string', owner: 'string', email: 'string', state: 'string' },
      { partition: 'owner', uniqueKeys: [['email']], hidden: { field: 'state', values: ['DELETED'] } },
    );
    const a = c.create(ws, { email: 'e' }, 'all', { partition: 'A' });
    c.create(ws, { email: 'e' }, 'all', { partition: 'B' });
    expect(errorOf(() => c.create(ws, { email: 'e' }, 'all', { partition: 'A' })).kind).toBe('duplicate');
    // Soft-delete: the record leaves the key (its table row stays).
    a.state = 'DELETED';
    c.table(ws).touch(a);
    expect(c.create(ws, { email: 'e' }, 'all', { partition: 'A' }).owner).toBe('A');
    expect(c.table(ws).has(a.id)).toBe(true);
  });
});

describe('visibility and partitions', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  it('hidden records are not found, not listed and not counted', () => {
    const c = collection({ id: 'string', name: 'string', state: 'string' }, { hidden: { field: 'state', values: ['DELETED', 'GONE'] } });
    const a = c.create(ws, { name: 'a', state: 'DELETED' }, 'all');
    const b = c.create(ws, { name: 'b', state: 'ACTIVE' }, 'all');
    c.create(ws, { name: 'c', state: 'GONE' }, 'all');
    c.create(ws, { name: 'd' }, 'all');
    expect(c.lookup(ws, a.id)).toBeUndefined();
    expect(c.find(ws, a.id)).toBeUndefined();
    expect(errorOf(() => c.get(ws, a.id)).kind).toBe('not_found');
    expect(errorOf(() => c.view(ws, a.id)).kind).toBe('not_found');
    expect(c.view(ws, b.id)).toBe(b);
    const r = c.list(ws, {});
    expect(r.items.map((x) => x.name)).toEqual(['b', 'd']);
    expect(r.page.total).toBe(2);
    expect(c.list(ws, { offset: '1' }).items.map((x) => x.name)).toEqual(['d']);
    expect(c.list(ws, { state: 'DELETED' }).items).toEqual([]);
  });

  it('a visible() rule hides records from reads and lists', () => {
    const c = collection({ id: 'string', name: 'string', n: 'integer' }, { visible: (r) => (r.n as number) > 0 });
    const a = c.create(ws, { name: 'a', n: 0 }, 'all');
    c.create(ws, { name: 'b', n: 1 }, 'all');
    c.create(ws, { name: 'c', n: 2 }, 'all');
    expect(c.lookup(ws, a.id)).toBeUndefined();
    expect(c.list(ws, { sort: '-n' }).items.map((x) => x.name)).toEqual(['c', 'b']);
    expect(c.list(ws, {}).page.total).toBe(2);
  });

  it('records carry their partition; reads and lists are scoped to it', () => {
    const c = collection({ id: 'string', owner: 'string', name: 'string' }, { partition: 'owner' });
    const a = c.create(ws, { name: 'a', owner: 'B' }, 'all', { partition: 'A' });
    const b = c.create(ws, { name: 'b' }, 'all', { partition: 'B' });
    c.create(ws, { name: 'a2' }, 'all', { partition: 'A' });
    expect(a.owner).toBe('A');
    expect(c.get(ws, a.id, 'A')).toBe(a);
    expect(c.get(ws, a.id)).toBe(a);
    expect(errorOf(() => c.get(ws, a.id, 'B')).kind).toBe('not_found');
    expect(c.lookup(ws, b.id, 'A')).toBeUndefined();
    expect(c.list(ws, {}, { partition: 'A' }).items.map((x) => x.name)).toEqual(['a', 'a2']);
    expect(c.list(ws, {}, { partition: 'A' }).page.total).toBe(2);
    expect(c.list(ws, {}, { partition: 'Z' }).items).toEqual([]);
    expect(c.list(ws, {}).items).toHaveLength(3);
    // The partition attribute is never written by a body.
    c.update(ws, a.id, { owner: 'B', name: 'a!' }, 'all', 'A');
    expect(a).toMatchObject({ owner: 'A', name: 'a!' });
    expect(c.writable('all')).toEqual(['name']);
  });

  it('list options: an extra condition and exclusions', () => {
    const c = collection({ id: 'string', name: 'string', state: 'string' });
    for (const [name, state] of [['a', 'x'], ['b', 'y'], ['c', 'z'], ['d', 'x']]) c.create(ws, { name, state }, 'all');
    expect(c.list(ws, {}, { where: (r) => r.name !== 'a' }).items.map((x) => x.name)).toEqual(['b', 'c', 'd']);
    const r = c.list(ws, {}, { exclude: [{ field: 'state', values: ['x'] }] });
    expect(r.items.map((x) => x.name)).toEqual(['b', 'c']);
    expect(r.page.total).toBe(2);
  });
});

describe('transactions over a collection', () => {
  it('reads through get/find are tracked; lookup/view are not', async () => {
    const ws = await newWorkspace();
    const c = collection({ id: 'string', name: 'string' });
    const a = c.create(ws, { name: 'a' }, 'all');
    ws.transaction(() => {
      c.lookup(ws, a.id);
      c.view(ws, a.id);
      expect(ws.tx!.touchedCount()).toBe(0);
      c.find(ws, a.id);
      expect(ws.tx!.touchedCount()).toBe(1);
      expect(c.find(ws, 'missing')).toBeUndefined();
    });
    // An update that fails is undone entirely.
    const r = ws.transaction(
      () => {
        c.update(ws, a.id, { name: 'changed' }, 'all');
        c.create(ws, { name: 'new' }, 'all');
        return 500;
      },
      (status) => status >= 400,
    );
    expect(r).toBe(500);
    expect(a.name).toBe('a');
    expect(c.table(ws).size).toBe(1);
  });

  it('keyOfValue is re-exported from the table module', () => {
    expect(keyOfValue({ a: 1 })).toBe('{"a":1}');
    expect(keyOfValue('')).toBeUndefined();
  });
});
