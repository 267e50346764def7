import { describe, expect, it } from 'vitest';
import { OperationRouter } from '../../src/core/op-router.js';
import type { OperationInfo } from '../../src/core/spec.js';

function op(method: string, fullPath: string, operationId = `${method} ${fullPath}`): OperationInfo {
  return {
    operationId,
    method,
    path: fullPath,
    fullPath,
    pathParams: [...fullPath.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
    queryParams: new Set(),
    querySchemas: {},
    headerParams: [],
    bodyTypes: [],
    bodySchema: undefined,
    bodyRequired: false,
    public: false,
    statuses: ['200'],
    raw: {},
  };
}

const ops = [
  op('GET', '/api/v1/sender_ids', 'list'),
  op('POST', '/api/v1/sender_ids', 'create'),
  op('POST', '/api/v1/sender_ids/purchase', 'purchase'),
  op('GET', '/api/v1/sender_ids/{Sender_ID}', 'get'),
  op('DELETE', '/api/v1/sender_ids/{Sender_ID}', 'delete'),
  op('GET', '/api/v1/sender_ids/{Sender_ID}/numbers/{n}', 'number'),
  // Only reachable by backtracking: the static `purchase` branch has no `history` child.
  op('GET', '/api/v1/sender_ids/{Sender_ID}/history', 'history'),
  op('GET', '/api/v1/Contacts/Search', 'search'),
];

describe('OperationRouter', () => {
  const r = new OperationRouter(ops);

  it('matches static paths and extracts parameters', () => {
    expect(r.match('GET', '/api/v1/sender_ids')).toMatchObject({ kind: 'operation', op: { operationId: 'list' }, params: {} });
    expect(r.match('GET', '/api/v1/sender_ids/abc/numbers/42')).toMatchObject({ op: { operationId: 'number' }, params: { Sender_ID: 'abc', n: '42' } });
  });

  it('prefers a static segment over a parameter', () => {
    expect(r.match('POST', '/api/v1/sender_ids/purchase')).toMatchObject({ op: { operationId: 'purchase' } });
    expect(r.match('GET', '/api/v1/sender_ids/other')).toMatchObject({ op: { operationId: 'get' }, params: { Sender_ID: 'other' } });
  });

  it('backtracks from a static branch to the parameter one', () => {
    expect(r.match('GET', '/api/v1/sender_ids/purchase')).toMatchObject({ op: { operationId: 'get' }, params: { Sender_ID: 'purchase' } });
    expect(r.match('GET', '/api/v1/sender_ids/purchase/history')).toMatchObject({ op: { operationId: 'history' }, params: { Sender_ID: 'purchase' } });
  });

  it('decodes percent-encoded parameters, keeping malformed escapes as they are', () => {
    expect(r.match('GET', '/api/v1/sender_ids/a%2Fb%20c').kind === 'operation' && r.match('GET', '/api/v1/sender_ids/a%2Fb%20c')).toMatchObject({ params: { Sender_ID: 'a/b c' } });
    expect(r.match('GET', '/api/v1/sender_ids/100%')).toMatchObject({ params: { Sender_ID: '100%' } });
  });

  it('answers 405 with the allowed methods of a known path', () => {
    expect(r.match('PUT', '/api/v1/sender_ids/x')).toEqual({ kind: 'method', allowed: ['GET', 'DELETE'] });
    expect(r.match('DELETE', '/api/v1/sender_ids')).toEqual({ kind: 'method', allowed: ['GET', 'POST'] });
    // Both branches (static purchase and the parameter) contribute, without duplicates.
    expect(r.match('PATCH', '/api/v1/sender_ids/purchase')).toEqual({ kind: 'method', allowed: ['POST', 'GET', 'DELETE'] });
  });

  it('routes HEAD to GET', () => {
    expect(r.match('HEAD', '/api/v1/sender_ids')).toMatchObject({ op: { operationId: 'list' } });
  });

  it('reports unknown paths, empty parameters and extra segments as no match', () => {
    expect(r.match('GET', '/api/v2/sender_ids')).toEqual({ kind: 'none' });
    expect(r.match('GET', '/api/v1/sender_ids//numbers/1')).toEqual({ kind: 'none' });
    expect(r.match('GET', '/api/v1/sender_ids/a/numbers/1/more')).toEqual({ kind: 'none' });
    expect(r.match('GET', '/api/v1')).toEqual({ kind: 'none' });
  });

  it('is case-sensitive and strict about trailing slashes by default', () => {
    expect(r.match('GET', '/api/v1/contacts/search')).toEqual({ kind: 'none' });
    expect(r.match('GET', '/api/v1/sender_ids/')).toEqual({ kind: 'none' });
  });

  it('compares static segments case-insensitively when asked (parameters keep their case)', () => {
    const ci = new OperationRouter(ops, { caseInsensitive: true });
    expect(ci.match('GET', '/API/V1/contacts/SEARCH')).toMatchObject({ op: { operationId: 'search' } });
    expect(ci.match('GET', '/Api/v1/Sender_IDs/MixedCase')).toMatchObject({ op: { operationId: 'get' }, params: { Sender_ID: 'MixedCase' } });
  });

  it('ignores trailing slashes when asked', () => {
    const ts = new OperationRouter(ops, { ignoreTrailingSlash: true });
    expect(ts.match('GET', '/api/v1/sender_ids/')).toMatchObject({ op: { operationId: 'list' } });
    expect(ts.match('GET', '/api/v1/sender_ids///')).toMatchObject({ op: { operationId: 'list' } });
    expect(ts.match('GET', '/api/v1/sender_ids/x/')).toMatchObject({ op: { operationId: 'get' }, params: { Sender_ID: 'x' } });
  });

  it('ignores empty segments of a template', () => {
    const t = new OperationRouter([op('GET', '/api//v1/things/', 'things')]);
    expect(t.match('GET', '/api/v1/things')).toMatchObject({ op: { operationId: 'things' } });
  });

  it('compares the shared prefix once, at a segment boundary, in the configured case', () => {
    expect(r.match('GET', '/api/v1x/sender_ids')).toEqual({ kind: 'none' });
    expect(r.match('GET', '/api')).toEqual({ kind: 'none' });
    expect(r.match('GET', '/API/v1/sender_ids')).toEqual({ kind: 'none' });
    const ci = new OperationRouter(ops, { caseInsensitive: true });
    expect(ci.match('GET', '/API/V1/sender_ids')).toMatchObject({ op: { operationId: 'list' } });
    expect(ci.match('GET', '/API/V2/sender_ids')).toEqual({ kind: 'none' });
  });

  it('routes operations that share no prefix, or a single one', () => {
    const mixed = new OperationRouter([op('GET', '/a/x', 'ax'), op('GET', '/b/{id}', 'b')]);
    expect(mixed.match('GET', '/a/x')).toMatchObject({ op: { operationId: 'ax' } });
    expect(mixed.match('GET', '/b/7')).toMatchObject({ op: { operationId: 'b' }, params: { id: '7' } });
    expect(mixed.match('GET', '/c')).toEqual({ kind: 'none' });
    const single = new OperationRouter([op('GET', '/only/one/path', 'one')]);
    expect(single.match('GET', '/only/one/path')).toMatchObject({ op: { operationId: 'one' } });
    expect(single.match('POST', '/only/one/path')).toEqual({ kind: 'method', allowed: ['GET'] });
    expect(single.match('GET', '/only/one')).toEqual({ kind: 'none' });
    const none = new OperationRouter([]);
    expect(none.match('GET', '/anything')).toEqual({ kind: 'none' });
  });

  it('refuses two operations for the same method and path template', () => {
    expect(() => new OperationRouter([op('GET', '/a/{x}', 'one'), op('GET', '/a/{y}', 'two')])).toThrow('two operations for GET /a/{y}: one and two');
  });
});

describe('OperationRouter: wildcard parameters (x-sim-wildcard)', () => {
  const wild = (method: string, fullPath: string, operationId: string): OperationInfo => ({ ...op(method, fullPath, operationId), wildcardParam: 'Path' });
  const r = new OperationRouter(
    [
      wild('GET', '/api/v1/files/accounts/{Path}', 'getFile'),
      wild('POST', '/api/v1/files/accounts/{Path}', 'postFile'),
      op('GET', '/api/v1/files/remotes', 'remotes'),
      op('GET', '/api/v1/files/{Kind}/one', 'one'),
    ],
    { ignoreTrailingSlash: true, caseInsensitive: true },
  );

  it('takes the rest of the path, several segments, decoded', () => {
    expect(r.match('GET', '/api/v1/files/accounts/a/b/c.csv')).toMatchObject({ kind: 'operation', op: { operationId: 'getFile' }, params: { Path: 'a/b/c.csv' } });
    expect(r.match('GET', '/api/v1/files/accounts/dir%20x/f.txt')).toMatchObject({ params: { Path: 'dir x/f.txt' } });
    expect(r.match('POST', '/api/v1/files/accounts/one')).toMatchObject({ op: { operationId: 'postFile' }, params: { Path: 'one' } });
  });

  it('an empty wildcard is the root, with or without the trailing slash', () => {
    expect(r.match('GET', '/api/v1/files/accounts/')).toMatchObject({ kind: 'operation', op: { operationId: 'getFile' }, params: { Path: '' } });
    expect(r.match('GET', '/api/v1/files/accounts')).toMatchObject({ kind: 'operation', params: { Path: '' } });
  });

  it('static and one-segment routes still win; other methods are reported', () => {
    expect(r.match('GET', '/api/v1/files/remotes')).toMatchObject({ op: { operationId: 'remotes' } });
    expect(r.match('GET', '/api/v1/files/x/one')).toMatchObject({ op: { operationId: 'one' }, params: { Kind: 'x' } });
    expect(r.match('DELETE', '/api/v1/files/accounts/a/b')).toEqual({ kind: 'method', allowed: ['GET', 'POST'] });
  });
});
