// Declared CRUD operations: each action's handler over a real collection and workspace, with the
// API style's request envelope and responses, and every hook of a declaration.
import { beforeEach, describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../src/core/api.js';
import { crud, crudActions, crudHandler, crudOf, type CrudDecl } from '../../src/core/crud.js';
import type { Collection } from '../../src/core/engine/collection.js';
import type { ApiStyle } from '../../src/core/engine/styles.js';
import { forbidden, SimError } from '../../src/core/errors.js';
import type { Rec } from '../../src/core/record.js';
import type { JsonSchema, OperationInfo } from '../../src/core/spec.js';
import type { Workspace } from '../../src/core/workspace.js';
import { apiStyle, collection, errorOf, newWorkspace } from './engine-helpers.js';

interface CtxInput {
  method?: string;
  pathParams?: string[];
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  bodySchema?: JsonSchema;
  principal?: unknown;
}

function ctxOf(ws: Workspace, c: CtxInput = {}): HandlerContext {
  const operation: OperationInfo = {
    operationId: 'op',
    method: c.method ?? 'GET',
    path: '/x',
    fullPath: '/x',
    pathParams: c.pathParams ?? [],
    queryParams: new Set(),
    querySchemas: {},
    headerParams: [],
    bodyTypes: [],
    bodySchema: c.bodySchema,
    bodyRequired: false,
    public: false,
    statuses: [],
    raw: {},
  };
  return {
    ws,
    operationId: 'op',
    operation,
    params: c.params ?? {},
    query: c.query ?? {},
    rawQuery: {},
    body: c.body,
    rawBody: undefined,
    contentType: 'application/json',
    headers: { get: () => undefined },
    principal: c.principal,
  };
}

const KINDS = { id: 'string', owner: 'string', name: 'string', email: 'string', secret: 'string', state: 'string' } as const;
const BODY = { properties: { name: { type: 'string' }, email: { type: 'string' }, secret: { type: 'string' }, state: { type: 'string' } } };

describe('crud handlers (plain bodies)', () => {
  let ws: Workspace;
  let style: ApiStyle;
  let things: Collection;
  beforeEach(async () => {
    ws = await newWorkspace();
    style = apiStyle();
    things = collection(KINDS, { style, wrap: 'thing', uniqueKeys: [{ fields: ['email'], bypassable: true }] });
  });

  const h = (d: Omit<CrudDecl, 'collection'> & { collection?: Collection }) => crudHandler(style, { collection: things, ...d } as CrudDecl);

  it('create answers the style’s status and body; server values, ignored fields, duplicates, after and render', () => {
    const seen: Rec[] = [];
    const create = h({
      action: 'create',
      extra: (ctx) => ({ owner: String(ctx.principal) }),
      ignore: () => ['secret'],
      allowDuplicates: (ctx) => ctx.query.duplicates === '1',
      after: (_ctx, rec) => seen.push(rec),
    });
    const res = create(ctxOf(ws, { method: 'POST', body: { name: 'a', email: 'e', secret: 's' }, bodySchema: BODY, principal: 'u1' }));
    expect(res.status).toBe(201);
    const body = res.body as Record<string, unknown>;
    expect(body).toEqual({ id: body.id, owner: 'u1', name: 'a', email: 'e', secret: null, state: null });
    expect(seen.map((r) => r.id)).toEqual([body.id]);
    const dup = errorOf(() => create(ctxOf(ws, { method: 'POST', body: { email: 'e' }, bodySchema: BODY })));
    expect(dup.kind).toBe('duplicate');
    expect(seen).toHaveLength(1);
    const ok = create(ctxOf(ws, { method: 'POST', body: { email: 'e' }, bodySchema: BODY, query: { duplicates: '1' } }));
    expect((ok.body as Rec).email).toBe('e');
    // No body at all: a record of defaults.
    expect((create(ctxOf(ws, { method: 'POST' })).body as Rec).name).toBeNull();
    const custom = h({ action: 'create', render: (rec, ctx) => ({ made: rec.name, by: ctx.principal }) });
    expect(custom(ctxOf(ws, { method: 'POST', body: { name: 'z' }, bodySchema: BODY, principal: 'me' })).body).toEqual({ made: 'z', by: 'me' });
  });

  it('get: the item named by the last path parameter, or the declared one; 404 otherwise', () => {
    const rec = things.create(ws, { name: 'a' }, 'all');
    const get = h({ action: 'get' });
    expect(get(ctxOf(ws, { pathParams: ['other', 'thingId'], params: { other: 'nope', thingId: rec.id } })).body).toMatchObject({ id: rec.id, name: 'a' });
    const byName = h({ action: 'get', id: 'other' });
    expect(byName(ctxOf(ws, { pathParams: ['other', 'thingId'], params: { other: rec.id, thingId: 'nope' } })).status).toBe(200);
    expect(errorOf(() => get(ctxOf(ws, { pathParams: ['id'], params: { id: 'missing' } }))).kind).toBe('not_found');
  });

  it('update and replace: the guard sees the current record, after() the one before and after', () => {
    const rec = things.create(ws, { name: 'a', email: 'e', state: 'open' }, 'all');
    const log: unknown[] = [];
    const guard = (_ctx: HandlerContext, r?: Rec) => {
      if (r?.state === 'locked') throw new SimError('state', 'locked');
    };
    const after = (_ctx: HandlerContext, r: Rec, before?: Rec) => log.push([before?.name, r.name]);
    const update = h({ action: 'update', guard, after, ignore: () => ['state'] });
    const replace = h({ action: 'replace', guard, after });
    const at = (body: unknown) => ctxOf(ws, { method: 'PATCH', pathParams: ['id'], params: { id: rec.id }, body, bodySchema: BODY });
    expect(update(at({ name: 'b', state: 'locked' })).body).toMatchObject({ name: 'b', email: 'e', state: 'open' });
    expect(replace(at({ name: 'c' })).body).toMatchObject({ name: 'c', email: null, state: null });
    expect(log).toEqual([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    things.update(ws, rec.id, { state: 'locked' }, 'all');
    expect(errorOf(() => update(at({ name: 'd' }))).kind).toBe('state');
    expect(rec.name).toBe('c');
    expect(errorOf(() => update(ctxOf(ws, { pathParams: ['id'], params: { id: 'missing' } }))).kind).toBe('not_found');
  });

  it('delete removes the record, answers no body, then runs after()', () => {
    const rec = things.create(ws, { name: 'a' }, 'all');
    let gone: Rec | undefined;
    const del = h({ action: 'delete', after: (_ctx, r) => (gone = r) });
    const res = del(ctxOf(ws, { method: 'DELETE', pathParams: ['id'], params: { id: rec.id } }));
    expect(res).toEqual({ status: 204, body: null });
    expect(gone).toBe(rec);
    expect(things.lookup(ws, rec.id)).toBeUndefined();
    const guarded = h({ action: 'delete', guard: () => { throw forbidden('no'); } });
    const other = things.create(ws, { name: 'b' }, 'all');
    expect(errorOf(() => guarded(ctxOf(ws, { pathParams: ['id'], params: { id: other.id } }))).kind).toBe('forbidden');
    expect(things.lookup(ws, other.id)).toBeDefined();
  });

  it('list: query parameters, where and exclude, the style’s envelope', () => {
    for (const [name, state] of [['a', 'x'], ['b', 'y'], ['c', 'x'], ['d', 'z']]) things.create(ws, { name, state }, 'all');
    const list = h({
      action: 'list',
      where: (ctx) => (ctx.principal === 'no-d' ? (r) => r.name !== 'd' : undefined),
      exclude: (ctx) => (ctx.query.all ? undefined : [{ field: 'state', values: ['y'] }]),
      render: (r) => r.name,
    });
    expect(list(ctxOf(ws, { query: { sort: '-name' } })).body).toEqual({ list: ['d', 'c', 'a'], offset: 0, limit: 10, total: 3 });
    expect(list(ctxOf(ws, { query: { all: '1', state: 'y' } })).body).toMatchObject({ list: ['b'], total: 1 });
    expect(list(ctxOf(ws, { principal: 'no-d' })).body).toMatchObject({ list: ['a', 'c'], total: 2 });
  });

  it('authorize runs before anything is read; partition() scopes every action', () => {
    const order: string[] = [];
    const common = {
      authorize: (ctx: HandlerContext) => {
        order.push('authorize');
        if (ctx.principal === 'nobody') throw forbidden('who are you');
      },
      partition: (ctx: HandlerContext) => {
        order.push('partition');
        return String(ctx.principal);
      },
      guard: () => {
        order.push('guard');
      },
    };
    const owned = collection(KINDS, { name: 'owned', style, partition: 'owner' });
    const a = crudActions(style, owned, common);
    const made = a.create(ctxOf(ws, { method: 'POST', body: { name: 'mine' }, bodySchema: BODY, principal: 'u1' })).body as Rec;
    expect(order).toEqual(['authorize', 'partition', 'guard']);
    expect(made.owner).toBe('u1');
    a.create(ctxOf(ws, { method: 'POST', body: { name: 'theirs' }, bodySchema: BODY, principal: 'u2' }));
    expect((a.list(ctxOf(ws, { principal: 'u1' })).body as { list: Rec[] }).list.map((r) => r.name)).toEqual(['mine']);
    const item = (principal: string) => ctxOf(ws, { pathParams: ['id'], params: { id: made.id as string }, principal, body: { name: 'renamed' }, bodySchema: BODY });
    expect(errorOf(() => a.get(item('u2'))).kind).toBe('not_found');
    expect(errorOf(() => a.update(item('u2'))).kind).toBe('not_found');
    expect(errorOf(() => a.replace(item('u2'))).kind).toBe('not_found');
    expect(errorOf(() => a.remove(item('u2'))).kind).toBe('not_found');
    order.length = 0;
    expect(errorOf(() => a.get(item('nobody'))).kind).toBe('forbidden');
    expect(order).toEqual(['authorize']);
    expect((a.update(item('u1')).body as Rec).name).toBe('renamed');
    expect(a.remove(item('u1')).status).toBe(204);
  });

  it('parent: the record named in the path must exist and is the partition', () => {
    const parents = collection({ id: 'string', name: 'string' }, { name: 'parents', style, label: 'parent' });
    const children = collection({ id: 'string', parent_id: 'string', name: 'string' }, { name: 'children', style, partition: 'parent_id' });
    const p1 = parents.create(ws, { name: 'p1' }, 'all');
    const p2 = parents.create(ws, { name: 'p2' }, 'all');
    const decl = { parent: { param: 'parentId', collection: parents } };
    const a = crudActions(style, children, decl);
    const at = (parentId: string, extra: CtxInput = {}) => ctxOf(ws, { pathParams: ['parentId', 'childId'], params: { parentId, ...(extra.params ?? {}) }, ...extra });
    const child = a.create(at(p1.id, { method: 'POST', body: { name: 'c1' }, bodySchema: { properties: { name: {} } } })).body as Rec;
    expect(child.parent_id).toBe(p1.id);
    const e = errorOf(() => a.create(at('missing', { method: 'POST', body: { name: 'x' } })));
    expect(e.kind).toBe('not_found');
    expect(e.message).toBe('parent missing not found');
    expect((a.list(at(p1.id)).body as { list: Rec[] }).list.map((r) => r.name)).toEqual(['c1']);
    expect((a.list(at(p2.id)).body as { list: Rec[] }).list).toEqual([]);
    expect(a.get(at(p1.id, { params: { parentId: p1.id, childId: child.id as string } })).body).toMatchObject({ name: 'c1' });
    expect(errorOf(() => a.get(at(p2.id, { params: { parentId: p2.id, childId: child.id as string } }))).kind).toBe('not_found');
  });
});

describe('responses and request envelopes', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await newWorkspace();
  });

  it('id bodies, wrapped bodies (the collection’s name or a fixed one), no body', () => {
    const base = apiStyle();
    const style: ApiStyle = {
      ...base,
      resource: { ...base.resource, id: { field: 'ID', kind: 'sequence', type: 'integer' } },
      responses: {
        get: { status: 200, body: 'resource', wrap: true },
        list: { status: 206, wrap: true },
        create: { status: 201, body: 'id' },
        update: { status: 202, body: 'id', wrap: 'result' },
        replace: { status: 200, body: 'none' },
        delete: { status: 200, body: 'resource', wrap: 'deleted' },
      },
    };
    const c = collection({ ID: 'integer', name: 'string' }, { style, wrap: 'item' });
    const ops = crud(style, crudOf(c, { list: 'listItems', get: 'getItem', create: 'addItem', update: 'editItem', replace: 'putItem', delete: 'dropItem' }));
    expect(Object.keys(ops)).toEqual(['listItems', 'getItem', 'addItem', 'editItem', 'putItem', 'dropItem']);
    const item = (body?: unknown) => ctxOf(ws, { pathParams: ['ID'], params: { ID: '1' }, body, bodySchema: { properties: { name: {} } } });
    expect(ops.addItem(ctxOf(ws, { method: 'POST', body: { name: 'a' }, bodySchema: { properties: { name: {} } } }))).toEqual({ status: 201, body: { ID: 1 } });
    expect(ops.getItem(item())).toEqual({ status: 200, body: { item: { ID: 1, name: 'a' } } });
    expect(ops.listItems(ctxOf(ws))).toEqual({ status: 206, body: { item: [{ ID: 1, name: 'a' }], offset: 0, limit: 10, total: 1 } });
    expect(ops.editItem(item({ name: 'b' }))).toEqual({ status: 202, body: { result: { ID: 1 } } });
    expect(ops.putItem(item({ name: 'c' }))).toEqual({ status: 200, body: null });
    expect(ops.dropItem(item())).toEqual({ status: 200, body: { deleted: { ID: 1, name: 'c' } } });
    expect(c.table(ws).size).toBe(0);
  });

  it('wrapped requests: `{"datas": {...}}`, an array of one accepted, the inner schema or every attribute', () => {
    const base = apiStyle();
    const style: ApiStyle = { ...base, request: { wrap: 'datas', singleItemArray: true } };
    const c = collection({ id: 'string', name: 'string', note: 'string' }, { style });
    const a = crudActions(style, c);
    const post = (body: unknown, bodySchema?: JsonSchema) => a.create(ctxOf(ws, { method: 'POST', body, bodySchema })).body as Rec;
    // The inner schema names `name` only: `note` is not written.
    const inner = { properties: { datas: { properties: { name: { type: 'string' } } } } };
    expect(post({ datas: { name: 'a', note: 'n' } }, inner)).toMatchObject({ name: 'a', note: null });
    // An inner schema without properties: every attribute.
    expect(post({ datas: [{ name: 'b', note: 'n' }] }, { properties: { datas: { type: 'object' } } })).toMatchObject({ name: 'b', note: 'n' });
    expect(post({ datas: { name: 'c', note: 'n' } })).toMatchObject({ name: 'c', note: 'n' });
    for (const bad of [{ name: 'x' }, { datas: 'x' }, { datas: null }, [{ datas: {} }], undefined]) {
      const e = errorOf(() => post(bad));
      expect(e.kind).toBe('invalid');
      expect(e.details.field).toBe('datas');
    }
    // Without singleItemArray an array is refused.
    const strict: ApiStyle = { ...base, request: { wrap: 'datas' } };
    expect(errorOf(() => crudActions(strict, c).create(ctxOf(ws, { method: 'POST', body: { datas: [{ name: 'x' }] } }))).kind).toBe('invalid');
    // A GET without the envelope has no body.
    expect((a.get(ctxOf(ws, { pathParams: ['id'], params: { id: (c.list(ws, {}).items[0] as Rec).id } })).body as Rec).name).toBe('a');
  });

  it('lists read from the body when the style says so', () => {
    const base = apiStyle({ list: { source: 'body', paging: { kind: 'page', page: 'Page', size: 'Size', base: 1, defaultSize: 2, maxSize: 10, invalid: 'error' } } });
    const style: ApiStyle = { ...base, request: { wrap: 'datas' } };
    const c = collection({ id: 'string', name: 'string' }, { style });
    for (const name of ['a', 'b', 'c']) c.create(ws, { name }, 'all');
    const list = crudActions(style, c).list;
    const names = (ctx: HandlerContext) => ((list(ctx).body as { list: Rec[] }).list).map((r) => r.name);
    expect(names(ctxOf(ws, { method: 'POST', body: { datas: { Page: 2, name: 'c' } }, query: { Page: '1' } }))).toEqual([]);
    expect(names(ctxOf(ws, { method: 'POST', body: { datas: { Page: 2 } }, query: { Page: '1' } }))).toEqual(['c']);
    // GET without a body: the defaults, the query is not read.
    expect(names(ctxOf(ws, { method: 'GET', query: { Page: '2' } }))).toEqual(['a', 'b']);
    // Without a request envelope the body itself holds the parameters.
    const plain = { ...base };
    const pl = crudActions(plain, collection({ id: 'string', name: 'string' }, { style: plain })).list;
    expect((pl(ctxOf(ws, { method: 'POST', body: { Size: 1, sort: '-name' } })).body as { list: Rec[] }).list.map((r) => r.name)).toEqual(['c']);
    expect((pl(ctxOf(ws, { method: 'POST' })).body as { list: Rec[] }).list).toHaveLength(2);
  });
});
