import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiModule, AuthRequest, Handler } from '../../src/core/api.js';
import { notFound, SimError } from '../../src/core/errors.js';
import { mountApi, rawHeader } from '../../src/core/router.js';
import type { Runtime } from '../../src/core/runtime.js';
import { loadSpec, type LoadedSpec } from '../../src/core/spec.js';
import type { Workspace } from '../../src/core/workspace.js';
import { fakeModule, fakeSpecDocument, manualWorkspace, startRuntime } from './support.js';

let dir: string;
let rt: Runtime;
let app: Hono;
let ws: Workspace;
let auth: Record<string, string>;
let fakeSpec: LoadedSpec;

const handlers: Record<string, Handler> = {
  listItems: (ctx) => ({ body: { items: ctx.ws.table('fake', 'items').all(), limit: ctx.query.limit as number | undefined, trace: ctx.headers.get('x-trace') } }),
  createItem: (ctx) => {
    const { ws: w, body } = ctx;
    const item = { id: `it_${w.rng.hex(6)}`, name: body.name as string, count: body.count as number | undefined };
    w.table('fake', 'items').put(item);
    w.credit.charge('fake', 1, 'create', item.id);
    w.schedule('fake.noop', w.now() + 1000);
    if (body.name === 'dup') throw new SimError('duplicate', 'name taken');
    if (body.name === 'refuse') return { status: 402, body: { error: { kind: 'payment', message: 'no' } } };
    return { status: 201, body: item };
  },
  purchase: () => ({ body: { purchased: true } }),
  getItem: (ctx) => {
    const item = ctx.ws.table('fake', 'items').get(ctx.params.id);
    if (!item) throw notFound(`item ${ctx.params.id} not found`);
    return { body: item };
  },
  deleteItem: (ctx) => {
    if (!ctx.ws.table('fake', 'items').remove(ctx.params.id)) throw notFound('no such item');
    return { status: 204, body: null };
  },
  upload: (ctx) => ({ body: { fields: ctx.body ?? null, bytes: ctx.rawBody ? [...ctx.rawBody] : null, contentType: ctx.contentType } }),
  choice: (ctx) => ({ body: { got: ctx.body } }),
  echoTags: (ctx) => ({ body: { tags: ctx.query.tags ?? null } }),
  echoText: (ctx) => ({ body: { got: ctx.body ?? null, contentType: ctx.contentType } }),
  ping: (ctx) => ({ body: { pong: true, principal: ctx.principal ?? null } }),
  boom: () => {
    throw new Error('kaboom');
  },
  strictCheck: (ctx) => {
    ctx.ws.table('fake', 'items').put({ id: 'strict-write', name: 'x' });
    switch (ctx.query.mode) {
      case 'status':
        return { status: 299, body: { ok: true } };
      case 'shape':
        return { body: { ok: 'yes' } };
      case 'undeclared-error':
        throw new SimError('forbidden', 'not for you');
      default:
        return { body: { ok: true } };
    }
  },
  raw: () => ({ raw: { data: 'a,b\n1,2\n', contentType: 'text/csv' }, headers: { 'x-rows': '1' } }),
  v2thing: () => ({}),
};

/** Public operations resolve to the default workspace; the rest need a token. */
function module(r: Runtime, id: string, over: Partial<ApiModule> = {}): ApiModule {
  const base = fakeModule(r, { id, handlers, ...over });
  return {
    ...base,
    authenticate: (req: AuthRequest) => (req.operationId === 'ping' || req.operationId === 'v2thing' ? { ws: r.require('default') } : base.authenticate(req)),
  };
}

async function specFor(prefix: string): Promise<LoadedSpec> {
  const f = join(dir, `${prefix}.json`);
  writeFileSync(f, JSON.stringify(fakeSpecDocument(prefix)));
  const s = await loadSpec(`unit-${prefix}`, f);
  await s.loadResponseValidator();
  return s;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'commsim-router-'));
  rt = await startRuntime((r) => [module(r, 'fake'), module(r, 'ci', { routing: { caseInsensitivePaths: true, caseInsensitiveQuery: true, ignoreTrailingSlash: true } })]);
  fakeSpec = await specFor('fake');
  const ciSpec = await specFor('ci');
  app = new Hono();
  mountApi(app, rt, rt.api('fake')!, fakeSpec, { strict: true });
  // Validators that load asynchronously (as the build's precompiled ones do on first use).
  const ciFallback = mountApi(app, rt, rt.api('ci')!, { ...ciSpec, backend: ciSpec.backend, requestValidators: async (opId: string) => ciSpec.requestValidators(opId) }, { strict: false });
  app.notFound((c) => ciFallback?.(c) ?? c.json({ fallthrough: true }, 404));
  ws = await manualWorkspace(rt, 'router');
  auth = { authorization: `Bearer ${ws.credentials.fake.token}` };
});
afterAll(async () => {
  await rt.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, opts: { body?: BodyInit | object; headers?: Record<string, string>; env?: unknown } = {}) {
  const headers: Record<string, string> = { ...auth, ...(opts.headers ?? {}) };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    if (typeof opts.body === 'string' || opts.body instanceof Uint8Array || opts.body instanceof FormData) body = opts.body as BodyInit;
    else {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  const res = await app.request(path, { method, headers, body }, opts.env as never);
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
  return { status: res.status, body: json, headers: res.headers, text };
}

const P = '/fake/v1';
const items = () => ws.table('fake', 'items').all().filter((i) => i.id !== 'strict-write');

describe('text bodies and array query parameters', () => {
  it('keeps a declared text/plain body as text (not parsed as JSON)', async () => {
    const r = await call('POST', `${P}/echo`, { body: 'query { things }', headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ got: 'query { things }', contentType: 'text/plain' });
    expect((await call('POST', `${P}/echo`, { body: { a: 1 } })).body).toEqual({ got: { a: 1 }, contentType: 'application/json' });
  });
  it('collects repeated and comma-separated values of an array query parameter, typed by its items', async () => {
    expect((await call('GET', `${P}/echo?tags=1&tags=2,3`)).body).toEqual({ tags: [1, 2, 3] });
    expect((await call('GET', `${P}/echo?tags=4`)).body).toEqual({ tags: [4] });
    expect((await call('GET', `${P}/echo?tags=x`)).status).toBe(400);
  });
});

describe('routing errors', () => {
  it('an unknown path under the prefix is the vendor 404', async () => {
    for (const path of [`${P}/nothing`, '/fake', `${P}/items/a/b/c`]) {
      const r = await call('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.error).toMatchObject({ kind: 'no_route', message: `no operation matches GET ${path}` });
    }
  });

  it('a known path with another method is 405 naming the allowed methods', async () => {
    const r = await call('PATCH', `${P}/items/x`);
    expect(r.status).toBe(405);
    expect(r.body.error).toEqual({ kind: 'method_not_allowed', message: `method PATCH is not allowed on ${P}/items/x (allowed: GET, DELETE)`, code: null });
  });

  it('paths outside every prefix fall through to the app', async () => {
    expect((await call('GET', '/elsewhere')).body).toEqual({ fallthrough: true });
    expect((await call('GET', '/FAKE/v1/items')).body).toEqual({ fallthrough: true }); // case-sensitive API
  });

  it('refuses to mount a spec whose operation has no handler', () => {
    const { listItems: _l, ...rest } = handlers;
    expect(() => mountApi(new Hono(), rt, { ...rt.api('fake')!, handlers: rest }, fakeSpec, { strict: false })).toThrow('fake: no handler for operation listItems');
  });
});

describe('authentication', () => {
  it('missing or unknown credentials: the vendor 401, before the body is read', async () => {
    const none = await app.request(`${P}/items`, { method: 'POST', body: '{bad json', headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.json()).toMatchObject({ error: { kind: 'unauthorized', message: 'missing bearer token' } });
    const bad = await call('GET', `${P}/items`, { headers: { authorization: 'Bearer wrong' } });
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toBe('unknown token');
  });

  it('hands the principal to the handler; public operations use what authenticate gives', async () => {
    const r = await call('GET', `${P}/public`, { headers: { authorization: '' } });
    expect(r).toMatchObject({ status: 200, body: { pong: true, principal: null } });
  });
});

describe('validation', () => {
  it('bad query, header and body are the vendor 400, never 500, and change nothing', async () => {
    const before = items().length;
    const journal = ws.journal.size;
    const q = await call('GET', `${P}/items?limit=0`);
    expect(q.status).toBe(400);
    expect(q.body.error).toMatchObject({ kind: 'invalid', message: "query parameter 'limit' must be >= 1" });
    const h = await call('GET', `${P}/items`, { headers: { 'x-trace': 'nope' } });
    expect(h.body.error.message).toBe("header parameter 'x-trace' has an invalid format");
    const missing = await call('POST', `${P}/items`, { body: { count: 1 } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe("missing required body field 'name'");
    const empty = await call('POST', `${P}/items`, { body: '', headers: { 'content-type': 'application/json' } });
    expect(empty.body.error.message).toBe('a request body is required');
    const malformed = await call('POST', `${P}/items`, { body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ kind: 'invalid', code: 'malformed' });
    const unknown = await call('POST', `${P}/items`, { body: { name: 'a', zzz: 1 } });
    expect(unknown.body.error.message).toBe("body has an unknown property 'zzz'");
    expect(items()).toHaveLength(before);
    expect(ws.credit.balance('fake')).toBe(10);
    // Failed requests are journaled with their status.
    expect(ws.journal.toArray().slice(journal).map((e) => e.status)).toEqual([400, 400, 400, 400, 400, 400]);
  });

  it('a value that is only too long is kind too_long', async () => {
    const r = await call('POST', `${P}/items`, { body: { name: 'much too long' } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ kind: 'too_long', message: "body field 'name' is too long (maximum 10 characters)" });
  });

  it('a body declaring alternatives reports them', async () => {
    const r = await call('POST', `${P}/choice`, { body: { value: true } });
    expect(r.body.error.message).toBe("missing required body field 'lastName' (or 'last_name'); body field 'value' must be integer or string");
    expect((await call('POST', `${P}/choice`, { body: { last_name: 'x', value: 3 } })).status).toBe(200);
  });
});

describe('handlers in a transaction', () => {
  it('a success is kept and journaled', async () => {
    const r = await call('POST', `${P}/items`, { body: { name: 'first', count: 2 } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'first', count: 2 });
    expect((await call('GET', `${P}/items/${r.body.id}`)).body).toEqual(r.body);
    expect(ws.credit.balance('fake')).toBe(9);
    const last = ws.journal.toArray().at(-1)!;
    expect(last).toMatchObject({ method: 'GET', path: `${P}/items/${r.body.id}`, api: 'fake', operationId: 'getItem', status: 200, t: ws.now() });
    expect(last.ms).toBeGreaterThanOrEqual(0);
  });

  it('form bodies are coerced to the schema types', async () => {
    const r = await call('POST', `${P}/items`, { body: 'name=formed&count=7', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'formed', count: 7 });
  });

  it('a thrown SimError undoes records, ledger, schedule and RNG draws', async () => {
    const before = { items: items().length, balance: ws.credit.balance('fake'), pending: ws.scheduler.size, rng: [...ws.rng.stateRef] };
    const r = await call('POST', `${P}/items`, { body: { name: 'dup' } });
    expect(r.status).toBe(409);
    expect(r.body.error).toEqual({ kind: 'duplicate', message: 'name taken', code: null });
    expect({ items: items().length, balance: ws.credit.balance('fake'), pending: ws.scheduler.size, rng: [...ws.rng.stateRef] }).toEqual(before);
  });

  it('an answer >= 400 is sent but its changes are undone', async () => {
    const before = items().length;
    const r = await call('POST', `${P}/items`, { body: { name: 'refuse' } });
    expect(r.status).toBe(402);
    expect(items()).toHaveLength(before);
    expect(ws.journal.toArray().at(-1)!.status).toBe(402);
  });

  it('a thrown non-SimError is the vendor 500, logged, without a stack', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const r = await call('GET', `${P}/boom`);
      expect(r.status).toBe(500);
      expect(r.body.error).toEqual({ kind: 'internal', message: 'internal error in boom: kaboom', code: null });
      expect(r.text).not.toContain('at ');
      expect(err).toHaveBeenCalledWith('[commsim] internal error in boom:', expect.any(Error));
    } finally {
      err.mockRestore();
    }
  });

  it('204 has no body; raw answers keep their content type and headers', async () => {
    const made = await call('POST', `${P}/items`, { body: { name: 'gone' } });
    const del = await call('DELETE', `${P}/items/${made.body.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await call('DELETE', `${P}/items/${made.body.id}`)).status).toBe(404);
    const raw = await call('GET', `${P}/raw`);
    expect(raw).toMatchObject({ status: 200, text: 'a,b\n1,2\n' });
    expect(raw.headers.get('content-type')).toBe('text/csv');
    expect(raw.headers.get('x-rows')).toBe('1');
  });

  it('a handler answering nothing is a 200 without body; static beats parameter', async () => {
    const r = await call('GET', '/ci/v2/v2thing'); // not strict: an absent body is not checked
    expect(r).toMatchObject({ status: 200, text: '' });
    expect((await call('GET', '/fake/v2/v2thing')).body.error.message).toBe('commsim bug: v2thing 200 response does not match the spec: / must be object');
    expect((await call('POST', `${P}/items/purchase`)).body).toEqual({ purchased: true });
    expect((await call('GET', `${P}/items/purchase`)).status).toBe(404); // GET goes to getItem
  });
});

describe('uploads', () => {
  it('multipart: fields and the file bytes', async () => {
    const fd = new FormData();
    fd.append('label', 'pic');
    fd.append('file', new File([new Uint8Array([1, 2, 3])], 'p.png', { type: 'image/png' }));
    const r = await call('POST', `${P}/upload`, { body: fd });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ fields: { label: 'pic', file: '(binary)', __filename: 'p.png' }, bytes: [1, 2, 3], contentType: 'image/png' });
  });

  it('a raw binary upload stands for an empty form in validation', async () => {
    const r = await call('POST', `${P}/upload`, { body: new Uint8Array([9, 9]), headers: { 'content-type': 'application/octet-stream' } });
    expect(r.body).toEqual({ fields: null, bytes: [9, 9], contentType: 'application/octet-stream' });
  });
});

describe('strict mode', () => {
  it('an undeclared status or a body off the spec is a 500 naming the bug, and is undone', async () => {
    const s = await call('GET', `${P}/strict?mode=status`);
    expect(s.status).toBe(500);
    expect(s.body.error.message).toBe('commsim bug: status 299 is not declared for strictCheck');
    const b = await call('GET', `${P}/strict?mode=shape`);
    expect(b.status).toBe(500);
    expect(b.body.error.message).toMatch(/^commsim bug: strictCheck 200 response does not match the spec: \/ok must be boolean/);
    expect(ws.table('fake', 'items').peek('strict-write')).toBeUndefined();
    expect((await call('GET', `${P}/strict`)).body).toEqual({ ok: true });
  });

  it('an error status the operation does not declare becomes a 500', async () => {
    const r = await call('GET', `${P}/strict?mode=undeclared-error`);
    expect(r.status).toBe(500);
    expect(r.body.error).toMatchObject({ kind: 'internal', message: 'commsim bug: status 403 is not declared for strictCheck' });
  });
});

describe('vendor routing options', () => {
  it('case-insensitive prefix, paths and query names; trailing slash ignored', async () => {
    const ciWs = ws; // same workspace, other API: its own credentials
    const h = { authorization: `Bearer ${ciWs.credentials.ci.token}` };
    const r = await call('GET', '/CI/V1/ITEMS/?LIMIT=5', { headers: h });
    expect(r.status).toBe(200);
    expect(r.body.limit).toBe(5);
    expect((await call('GET', '/ci/v1/items?limit=0', { headers: h })).status).toBe(400); // async validators still apply
    expect((await call('GET', '/Ci', { headers: h })).body.error.kind).toBe('no_route');
    expect((await call('GET', '/citrus', { headers: h })).body).toEqual({ fallthrough: true });
  });

  it('reads headers from the Node request when served by @hono/node-server', async () => {
    // Node's raw list: names in any case, repeated headers joined except single-valued ones.
    const incoming = { rawHeaders: ['Authorization', auth.authorization, 'X-Trace', 't-1', 'x-trace', 't-2', 'authorization', 'Bearer second'] };
    const r = await call('GET', `${P}/items`, { headers: { authorization: 'ignored' }, env: { incoming } });
    expect(r.status).toBe(200);
    expect(r.body.trace).toBe('t-1, t-2');
  });
});

describe('rawHeader', () => {
  it('finds a header by lower-case name in a raw list', () => {
    const raw = ['Host', 'a', 'Accept', 'x', 'ACCEPT', 'y', 'Content-Type', 'text/plain', 'content-type', 'ignored'];
    expect(rawHeader(raw, 'accept')).toBe('x, y');
    expect(rawHeader(raw, 'content-type')).toBe('text/plain');
    expect(rawHeader(raw, 'host')).toBe('a');
    expect(rawHeader(raw, 'missing')).toBeUndefined();
    expect(rawHeader([], 'host')).toBeUndefined();
  });
});

describe('scenario rules', () => {
  let sws: Workspace;
  let sauth: Record<string, string>;
  beforeAll(async () => {
    sws = await manualWorkspace(rt, 'router-scn', {
      scenario: {
        rules: [
          { name: 'outage', match: { api: 'fake', operationId: 'getItem', id: '/^down/' }, fault: { status: 503, code: 'E503', message: 'backend down' } },
          { name: 'teapot', match: { operationId: 'createItem', name: 'tea' }, fault: { status: 409 }, times: 1 },
          { name: 'slow', match: { operationId: 'listItems' }, latencyMs: 250 },
        ],
      },
    });
    sauth = { authorization: `Bearer ${sws.credentials.fake.token}` };
  });

  it('injects a fault with the vendor status and code for matching requests only', async () => {
    const r = await call('GET', `${P}/items/down-1`, { headers: sauth });
    expect(r.status).toBe(503);
    expect(r.body.error).toEqual({ kind: 'fault', message: 'backend down', code: 'E503' });
    expect((await call('GET', `${P}/items/up-1`, { headers: sauth })).status).toBe(404);
  });

  it('a fault without a message names its rule; `times` limits it', async () => {
    const r = await call('POST', `${P}/items`, { headers: sauth, body: { name: 'tea' } });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toBe('fault injected by scenario rule teapot');
    expect((await call('POST', `${P}/items`, { headers: sauth, body: { name: 'tea' } })).status).toBe(201);
  });

  it('adds latency on the host clock', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let done = false;
      const p = call('GET', `${P}/items`, { headers: sauth }).then((r) => {
        done = true;
        return r;
      });
      await vi.advanceTimersByTimeAsync(249);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const r = await p;
      expect(r.status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });
});
