// Shared fixtures of the core unit tests: an in-memory Runtime with a tiny vendor-neutral API
// module (no spec, no HTTP), and workspaces on a manual clock.
import type { ApiModule, AuthRequest } from '../../src/core/api.js';
import { isSimError, SimError } from '../../src/core/errors.js';
import { Runtime, type RuntimeOptions } from '../../src/core/runtime.js';
import type { Workspace } from '../../src/core/workspace.js';

export const T0 = Date.parse('2026-01-05T12:00:00Z');

const STATUS: Record<string, number> = {
  invalid: 400,
  too_long: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  no_route: 404,
  method_not_allowed: 405,
  duplicate: 409,
  state: 409,
  payment: 402,
  internal: 500,
};

/** A vendor-neutral module: Bearer token auth, `{error: {kind, message, code}}` envelope. */
export function fakeModule(runtime: Runtime, over: Partial<ApiModule> = {}): ApiModule {
  const id = over.id ?? 'fake';
  return {
    id,
    title: 'Fake API',
    mountPrefix: `/${id}`,
    basePath: `/${id}/v1`,
    handlers: {},
    authenticate(req: AuthRequest) {
      const m = /^Bearer (.+)$/.exec(req.headers.get('authorization') ?? '');
      if (!m) throw new SimError('unauthorized', 'missing bearer token');
      const [ws] = runtime.findByCredential(id, m[1], req.headers.get('x-sim-workspace'));
      if (!ws) throw new SimError('unauthorized', 'unknown token');
      return { ws, principal: { token: m[1] } };
    },
    renderError: (err: SimError) => ({
      status: err.details.status ?? STATUS[err.kind] ?? 500,
      body: { error: { kind: err.kind, message: err.message, code: err.details.code ?? null } },
      headers: err.kind === 'unauthorized' ? { 'www-authenticate': 'Bearer' } : undefined,
    }),
    credentials: {
      create: (ws: Workspace, isDefault: boolean) => ({ token: isDefault ? `${id}-default-token` : `${id}_${ws.id}_${ws.rng.hex(8)}` }),
      keys: (c) => (typeof c.token === 'string' ? [c.token] : []),
      describe: (c) => `Authorization: Bearer ${c.token}`,
    },
    credit: { balance: 10, currency: 'EUR' },
    setup: () => undefined,
    ...over,
  };
}

/** A started runtime (memory only) with the given modules registered. */
export async function startRuntime(
  modules: (rt: Runtime) => ApiModule[] = (rt) => [fakeModule(rt)],
  opts: Partial<RuntimeOptions> = {},
): Promise<Runtime> {
  const rt = new Runtime({ dataDir: null, hostNow: () => T0, ...opts });
  for (const m of modules(rt)) rt.registerApi(m);
  await rt.start();
  return rt;
}

/** A new workspace on a manual clock at T0. */
export function manualWorkspace(rt: Runtime, id: string, extra: Record<string, unknown> = {}): Promise<Workspace> {
  return rt.createWorkspace({ id, clock: { mode: 'manual', now: new Date(T0).toISOString() }, ...extra });
}

/** A small OpenAPI 3.0.3 document of a vendor-neutral API served under `/${prefix}/v1`. */
export function fakeSpecDocument(prefix = 'fake'): Record<string, any> {
  const err = { $ref: '#/components/responses/Err' };
  const itemRes = (status: string, description = 'item') => ({ [status]: { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } } });
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  return {
    openapi: '3.0.3',
    info: { title: 'fake', version: '1' },
    servers: [{ url: `/${prefix}/v1/` }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'object' } } },
        Item: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' }, count: { type: 'integer' } } },
        Name: { type: 'string', minLength: 1, maxLength: 10 },
        NewItem: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { $ref: '#/components/schemas/Name' },
            count: { type: 'integer', minimum: 0 },
            tags: { type: 'array', items: { type: 'string' } },
            flag: { type: 'boolean' },
            kind: { type: 'string', enum: ['a', 'b'] },
            email: { type: 'string', format: 'email' },
          },
        },
        Upload: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, label: { type: 'string' } } },
      },
      responses: { Err: { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
      parameters: { Trace: { name: 'X-Trace', in: 'header', schema: { type: 'string', pattern: '^t-' } } },
    },
    paths: {
      '/items': {
        parameters: [{ $ref: '#/components/parameters/Trace' }],
        get: {
          operationId: 'listItems',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50 } },
            { name: 'filter', in: 'query', content: { 'application/json': { schema: { type: 'object', additionalProperties: { type: 'string' } } } } },
          ],
          responses: {
            '200': { description: 'list', content: { 'application/json': { schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Item' } }, limit: { type: 'integer' }, trace: { type: 'string' } } } } } },
            '400': err,
            '401': err,
          },
        },
        post: {
          operationId: 'createItem',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/NewItem' } }, 'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/NewItem' } } },
          },
          responses: { ...itemRes('201', 'created'), '400': err, '401': err, '402': err, '409': err },
        },
      },
      '/items/purchase': { post: { operationId: 'purchase', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '401': err } } },
      '/items/{id}': {
        get: { operationId: 'getItem', parameters: [idParam], responses: { ...itemRes('200'), '401': err, '404': err, '503': err } },
        delete: { operationId: 'deleteItem', parameters: [idParam], responses: { '204': { description: 'gone' }, '401': err, '404': err } },
      },
      '/echo': {
        get: {
          operationId: 'echoTags',
          parameters: [{ name: 'tags', in: 'query', style: 'form', explode: true, schema: { type: 'array', items: { type: 'integer' } } }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '400': err, '401': err },
        },
        post: {
          operationId: 'echoText',
          requestBody: { content: { 'application/json': { schema: { oneOf: [{ type: 'string' }, { type: 'object' }] } }, 'text/plain': { schema: { type: 'string' } } } },
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '400': err, '401': err },
        },
      },
      '/upload': {
        post: {
          operationId: 'upload',
          requestBody: { content: { 'multipart/form-data': { schema: { $ref: '#/components/schemas/Upload' } }, 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '400': err, '401': err },
        },
      },
      '/choice': {
        post: {
          operationId: 'choice',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { value: { anyOf: [{ type: 'integer' }, { $ref: '#/components/schemas/Name' }] } },
                  anyOf: [{ required: ['lastName'] }, { required: ['last_name'] }],
                },
              },
            },
          },
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '400': err, '401': err },
        },
      },
      '/public': { get: { operationId: 'ping', security: [], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['pong'], properties: { pong: { type: 'boolean' } } } } } } } } },
      '/boom': { get: { operationId: 'boom', responses: { '200': { description: 'ok' }, '401': err, '500': err } } },
      '/strict': { get: { operationId: 'strictCheck', parameters: [{ name: 'mode', in: 'query', schema: { type: 'string' } }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } } } } }, '401': err, '500': err } } },
      '/raw': { get: { operationId: 'raw', responses: { '200': { description: 'csv', content: { 'text/csv': { schema: { type: 'string' } } } }, '401': err } } },
      '/v2thing': { servers: [{ url: `/${prefix}/v2` }], get: { operationId: 'v2thing', security: [], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    },
  };
}

/** What a call throws, as `<kind>: <message>` for a SimError ('no error' when it throws none). */
export async function simErrorText(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (isSimError(e)) return `${e.kind}: ${e.message}`;
    throw e;
  }
  return 'no error';
}
