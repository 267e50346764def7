// Declared CRUD for resources addressed by another attribute than their id (additiv's
// `/schemas/{key}`), and per-operation responses that differ from the API's style.
import { beforeEach, describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../src/core/api.js';
import { crudHandler } from '../../src/core/crud.js';
import type { Collection } from '../../src/core/engine/collection.js';
import type { Rec } from '../../src/core/record.js';
import type { OperationInfo } from '../../src/core/spec.js';
import type { Workspace } from '../../src/core/workspace.js';
import { apiStyle, collection, errorOf, newWorkspace } from './engine-helpers.js';

function ctxOf(ws: Workspace, method: string, params: Record<string, string>, body?: unknown, principal?: unknown): HandlerContext {
  const operation = {
    operationId: 'op', method, path: '/schemas/{key}', fullPath: '/schemas/{key}', pathParams: Object.keys(params),
    queryParams: new Set<string>(), querySchemas: {}, headerParams: [], bodyTypes: body ? ['application/json'] : [],
    bodySchema: body ? { type: 'object', properties: { key: { type: 'string' }, label: { type: 'string' }, rank: { type: 'integer' } } } : undefined,
    bodyRequired: false, public: false, statuses: [], raw: {},
  } as unknown as OperationInfo;
  return { ws, operationId: 'op', operation, params, query: {}, rawQuery: {}, body, rawBody: undefined, contentType: 'application/json', headers: { get: () => undefined }, principal };
}

describe('crud: items addressed by an attribute', () => {
  const style = apiStyle({ resource: { id: { field: 'id', kind: 'sequence', type: 'integer', scope: 'partition' } } });
  let ws: Workspace;
  let schemas: Collection<Rec>;
  beforeEach(async () => {
    ws = await newWorkspace();
    schemas = collection({ id: 'integer', owner: 'string', key: 'string', label: 'string', rank: 'integer' }, { style, partition: 'owner', uniqueKeys: [['key']] });
    ws.transaction(() => {
      schemas.create(ws, { key: 'risk', label: 'Risk' }, 'all', { partition: 'a' });
      schemas.create(ws, { key: 'risk', label: 'Other account' }, 'all', { partition: 'b' });
      schemas.create(ws, { key: 'goal', label: 'Goal' }, 'all', { partition: 'a' });
    });
  });

  it('gets, updates and deletes by the attribute, within the partition', () => {
    const get = crudHandler(style, { collection: schemas, action: 'get', by: { field: 'key' }, partition: () => 'b' });
    expect(get(ctxOf(ws, 'GET', { key: 'risk' })).body).toMatchObject({ id: 1, key: 'risk', label: 'Other account' });
    const update = crudHandler(style, { collection: schemas, action: 'update', by: { field: 'key' }, partition: () => 'a' });
    expect(ws.transaction(() => update(ctxOf(ws, 'PATCH', { key: 'goal' }, { label: 'Goals' }))).body).toMatchObject({ id: 2, key: 'goal', label: 'Goals' });
    const del = crudHandler(style, { collection: schemas, action: 'delete', by: { field: 'key' }, partition: () => 'a' });
    expect(ws.transaction(() => del(ctxOf(ws, 'DELETE', { key: 'risk' }))).status).toBe(204);
    expect(schemas.lookupBy(ws, 'key', 'risk', 'a')).toBeUndefined();
    expect(schemas.lookupBy(ws, 'key', 'risk', 'b')).toMatchObject({ label: 'Other account' });
  });

  it("answers the collection's not-found error naming the value", () => {
    const get = crudHandler(style, { collection: schemas, action: 'get', by: { field: 'key' }, partition: () => 'a' });
    const e = errorOf(() => get(ctxOf(ws, 'GET', { key: 'nosuch' })));
    expect(e).toMatchObject({ kind: 'not_found' });
    expect(e.message).toContain('nosuch');
  });

  it('reads a numeric path value for an integer attribute', () => {
    const get = crudHandler(style, { collection: schemas, action: 'get', by: { field: 'rank' }, partition: () => 'a' });
    ws.transaction(() => schemas.update(ws, 1, { rank: 7 }, 'all', 'a'));
    expect(get(ctxOf(ws, 'GET', { rank: '7' })).body).toMatchObject({ key: 'risk', rank: 7 });
  });

  it("overrides the style's response for one operation", () => {
    const update = crudHandler(style, { collection: schemas, action: 'update', partition: () => 'a', response: { status: 204, body: 'none' } });
    const r = ws.transaction(() => update(ctxOf(ws, 'PATCH', { id: '1' }, { label: 'R' })));
    expect(r).toEqual({ status: 204, body: null });
    const create = crudHandler(style, { collection: schemas, action: 'create', partition: () => 'a', response: { body: 'id' } });
    expect(ws.transaction(() => create(ctxOf(ws, 'POST', {}, { key: 'new' }))).body).toEqual({ id: 3 });
  });
});
