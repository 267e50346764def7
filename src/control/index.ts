// The control API under /_sim: workspaces, clock, state, credit, journal, events, async jobs,
// injection, snapshots and webhooks. A contract: tests outside the project rely on it.
import { Hono, type Context } from 'hono';
import { parseTimestamp } from '../core/clock.js';
import { invalid, isSimError, notFound, SimError } from '../core/errors.js';
import { getJob, jobView, listJobs } from '../core/jobs.js';
import type { ApiModule } from '../core/api.js';
import { budgetOf, peek, setBudget } from '../core/rate-limit.js';
import { listScenarios } from '../core/scenario.js';
import { parseClockInput, type Runtime } from '../core/runtime.js';
import { deleteWebhook, listWebhooks, registerWebhook } from '../core/webhooks.js';
import type { Workspace } from '../core/workspace.js';
import { mountLive } from './live.js';

const STATUS: Record<string, number> = {
  unavailable: 503,
  invalid: 400,
  too_long: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  no_route: 404,
  method_not_allowed: 405,
  stale: 409,
  duplicate: 409,
  precondition: 412,
  state: 409,
  payment: 402,
  rule: 400,
  fault: 500,
  rate_limited: 429,
  internal: 500,
};

function errorResponse(c: Context, e: unknown): Response {
  const err = isSimError(e) ? e : new SimError('internal', e instanceof Error ? e.message : String(e));
  if (err.kind === 'internal') console.error('[commsim] control API error:', e);
  return c.json({ error: { code: err.kind, message: err.message } }, (err.details.status ?? STATUS[err.kind] ?? 500) as 400);
}

async function jsonBody(c: Context, required = false): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (!text.trim()) {
    if (required) throw invalid('a JSON body is required');
    return {};
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw invalid(`malformed JSON body: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('the body must be a JSON object');
  return v as Record<string, unknown>;
}

function intParam(v: string | undefined, name: string, def: number, max = 100_000): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) throw invalid(`query parameter '${name}' must be an integer from 0 to ${max}`);
  return n;
}

export function workspaceView(ws: Workspace) {
  return {
    id: ws.id,
    seed: ws.init.seed,
    scenario: ws.init.scenario?.name ?? null,
    clock: ws.clock.view(),
    credentials: ws.credentials,
    pendingEvents: ws.scheduler.size,
  };
}

export function controlApp(runtime: Runtime, apiInfo: () => Array<{ id: string; basePath: string; operations: number }>): Hono {
  const app = new Hono();
  const wrap =
    (fn: (c: Context) => Promise<Response> | Response) =>
    async (c: Context): Promise<Response> => {
      runtime.requests++;
      const t0 = performance.now();
      let res: Response;
      try {
        // On a shared store, a workspace's control request runs with the workspace to itself in the fleet.
        const id = c.req.param('ws');
        // The body is read (and kept by hono for the handler) before the workspace's turn: a
        // slow client must not hold it.
        if (runtime.fleet && id !== undefined && c.req.method !== 'GET') await c.req.text().catch(() => undefined);
        res = await runtime.exclusive(id, () => fn(c));
      } catch (e) {
        res = errorResponse(c, e);
      }
      runtime.logger?.control({ method: c.req.method, path: c.req.path, status: res.status, ms: Math.round((performance.now() - t0) * 100) / 100, workspace: c.req.param('ws') ?? null });
      return res;
    };
  const wsOf = (c: Context): Workspace => {
    const ws = runtime.require(c.req.param('ws')!);
    ws.sync();
    return ws;
  };
  const done = (ws: Workspace, r: Response): Response => {
    ws.afterChange();
    return r;
  };

  app.get('/health', (c) => {
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1048576);
    return c.json({
      status: 'ok',
      version: runtime.version,
      apis: apiInfo(),
      memory: { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal) },
      ...(runtime.fleet ? { store: runtime.fleet.describe() } : {}),
    });
  });
  app.get('/scenarios', wrap(async (c) => c.json({ scenarios: await listScenarios() })));

  app.post(
    '/workspaces',
    wrap(async (c) => {
      const body = await jsonBody(c);
      const ws = await runtime.createWorkspace(body);
      return c.json(workspaceView(ws), 201);
    }),
  );
  app.get(
    '/workspaces',
    wrap(async (c) => {
      await runtime.fleet?.refresh();
      return c.json({ workspaces: runtime.list().map(workspaceView) });
    }),
  );
  app.get('/workspaces/:ws', wrap((c) => c.json(workspaceView(wsOf(c)))));
  app.delete(
    '/workspaces/:ws',
    wrap(async (c) => {
      await runtime.deleteWorkspace(c.req.param('ws')!);
      return c.body(null, 204);
    }),
  );
  app.post(
    '/workspaces/:ws/reset',
    wrap(async (c) => c.json(workspaceView(await runtime.resetWorkspace(c.req.param('ws')!)))),
  );

  // Loads a scenario into an existing workspace: it is reset to that scenario's initial state.
  app.post(
    '/workspaces/:ws/scenario',
    wrap(async (c) => {
      const body = await jsonBody(c, true);
      const extra = Object.keys(body).filter((k) => !['scenario', 'seed', 'clock'].includes(k));
      if (extra.length) throw invalid(`unknown field(s) ${extra.join(', ')}: the body is {scenario, seed?, clock?}`);
      return c.json(workspaceView(await runtime.loadScenarioInto(c.req.param('ws')!, body)));
    }),
  );

  app.get('/workspaces/:ws/clock', wrap((c) => c.json(wsOf(c).clock.view())));
  app.post(
    '/workspaces/:ws/clock',
    wrap(async (c) => {
      const ws = wsOf(c);
      const body = await jsonBody(c);
      const set = parseClockInput(body);
      if (set.now !== undefined && set.now < ws.now()) {
        throw invalid('clock.now cannot move the clock backwards (events already fired); reset the workspace instead');
      }
      if (set.now !== undefined) ws.advance(set.now);
      ws.clock.set({ mode: set.mode, speed: set.speed });
      return done(ws, c.json(ws.clock.view()));
    }),
  );
  app.post(
    '/workspaces/:ws/clock/advance',
    wrap(async (c) => {
      const ws = wsOf(c);
      const body = await jsonBody(c, true);
      let target: number;
      if (body.ms !== undefined) {
        if (typeof body.ms !== 'number' || !Number.isFinite(body.ms) || body.ms < 0) throw invalid('ms must be a number >= 0');
        target = ws.now() + Math.round(body.ms);
      } else if (body.to !== undefined) {
        const t = parseTimestamp(body.to);
        if (t === undefined) throw invalid('to must be an ISO 8601 timestamp or epoch milliseconds');
        if (t < ws.now()) throw invalid(`to (${new Date(t).toISOString()}) is before the workspace's now (${ws.nowIso()})`);
        target = t;
      } else throw invalid('give {ms} or {to}');
      return c.json(ws.advance(target));
    }),
  );

  app.get(
    '/workspaces/:ws/state/:api',
    wrap((c) => {
      const ws = wsOf(c);
      const api = c.req.param('api')!;
      if (!runtime.api(api)) throw notFound(`unknown api ${JSON.stringify(api)}`);
      const prefix = `${api}.`;
      const collections: Record<string, number> = {};
      for (const name of ws.doc.tableNames()) if (name.startsWith(prefix)) collections[name.slice(prefix.length)] = ws.doc.table(name).size;
      return c.json({ api, collections });
    }),
  );
  app.get(
    '/workspaces/:ws/state/:api/:collection',
    wrap((c) => {
      const ws = wsOf(c);
      const api = c.req.param('api')!;
      if (!runtime.api(api)) throw notFound(`unknown api ${JSON.stringify(api)}`);
      const limit = intParam(c.req.query('limit'), 'limit', 1000);
      const offset = intParam(c.req.query('offset'), 'offset', 0, Number.MAX_SAFE_INTEGER);
      const table = ws.table(api, c.req.param('collection')!);
      const all = table.all();
      return c.json({ api, collection: c.req.param('collection'), total: all.length, records: all.slice(offset, offset + limit) });
    }),
  );

  app.get(
    '/workspaces/:ws/credit/:api',
    wrap((c) => {
      const ws = wsOf(c);
      const api = c.req.param('api')!;
      if (!runtime.api(api) || !ws.credit.has(api)) throw notFound(`unknown api ${JSON.stringify(api)}`);
      return c.json({ api, ...ws.credit.view(api, intParam(c.req.query('limit'), 'limit', 1000)) });
    }),
  );
  app.put(
    '/workspaces/:ws/credit/:api',
    wrap(async (c) => {
      const ws = wsOf(c);
      const api = c.req.param('api')!;
      if (!runtime.api(api) || !ws.credit.has(api)) throw notFound(`unknown api ${JSON.stringify(api)}`);
      const body = await jsonBody(c, true);
      if (typeof body.balance !== 'number' || !Number.isFinite(body.balance)) throw invalid('balance must be a number');
      ws.credit.set(api, body.balance, typeof body.reason === 'string' ? body.reason : 'balance set');
      return done(ws, c.json({ api, ...ws.credit.view(api) }));
    }),
  );

  // A workspace's request budget for an API with rate limits (Dolist): read, set {limit, windowMs}, or DELETE back to the default.
  const rateLimited = (c: Context) => {
    const api = c.req.param('api')!;
    const mod = runtime.api(api);
    if (!mod?.rateLimit) throw notFound(`no rate-limited api ${JSON.stringify(api)}`);
    return { api, spec: mod.rateLimit };
  };
  const budgetView = (ws: Workspace, api: string, spec: NonNullable<ApiModule['rateLimit']>, key?: string) => {
    const b = budgetOf(ws, api, spec);
    const state = key ? peek(ws, api, spec, key) : null;
    return { api, limit: b?.limit ?? null, windowMs: b?.windowMs ?? null, ...(key && state ? { key, remaining: state.remaining, resetAt: state.resetAt } : {}) };
  };
  app.get(
    '/workspaces/:ws/rate-limit/:api',
    wrap((c) => {
      const { api, spec } = rateLimited(c);
      return c.json(budgetView(wsOf(c), api, spec, c.req.query('key')));
    }),
  );
  app.put(
    '/workspaces/:ws/rate-limit/:api',
    wrap(async (c) => {
      const ws = wsOf(c);
      const { api, spec } = rateLimited(c);
      setBudget(ws, api, await jsonBody(c, true));
      return done(ws, c.json(budgetView(ws, api, spec)));
    }),
  );
  app.delete(
    '/workspaces/:ws/rate-limit/:api',
    wrap((c) => {
      const ws = wsOf(c);
      const { api, spec } = rateLimited(c);
      setBudget(ws, api, null);
      return done(ws, c.json(budgetView(ws, api, spec)));
    }),
  );

  app.get(
    '/workspaces/:ws/journal',
    wrap((c) => {
      const ws = wsOf(c);
      const limit = intParam(c.req.query('limit'), 'limit', 1000);
      const entries = ws.journal.toArray();
      return c.json({ entries: entries.slice(Math.max(0, entries.length - limit)).map(({ t, ...e }) => ({ at: new Date(t).toISOString(), ...e })) });
    }),
  );
  app.get(
    '/workspaces/:ws/events',
    wrap((c) => {
      const ws = wsOf(c);
      const limit = intParam(c.req.query('limit'), 'limit', 1000, 10_000);
      const type = c.req.query('type');
      const api = c.req.query('api');
      const since = c.req.query('since') === undefined ? undefined : intParam(c.req.query('since'), 'since', 0, Number.MAX_SAFE_INTEGER);
      const events = ws.events.list((e) => (!type || e.type === type) && (!api || e.api === api) && (since === undefined || e.seq >= since), limit);
      return c.json({ events });
    }),
  );

  app.get(
    '/workspaces/:ws/operations',
    wrap((c) => {
      const ws = wsOf(c);
      const api = c.req.query('api');
      const now = ws.now();
      return c.json({ operations: listJobs(ws).filter((j) => !api || j.api === api).map((j) => jobView(j, now)) });
    }),
  );
  app.get(
    '/workspaces/:ws/operations/:id',
    wrap((c) => {
      const ws = wsOf(c);
      const job = getJob(ws, c.req.param('id')!, c.req.query('api'));
      if (!job) throw notFound(`operation ${c.req.param('id')} not found`);
      return c.json(jobView(job, ws.now()));
    }),
  );

  app.post(
    '/workspaces/:ws/inject/:kind',
    wrap(async (c) => {
      const ws = wsOf(c);
      const body = await jsonBody(c);
      const result = runtime.inject(ws, c.req.param('kind')!, body);
      return done(ws, c.json({ kind: c.req.param('kind'), result: result ?? null }));
    }),
  );

  app.get('/workspaces/:ws/snapshot', wrap((c) => c.json(runtime.exportSnapshot(wsOf(c).id))));
  app.put(
    '/workspaces/:ws/snapshot',
    wrap(async (c) => {
      const ws = runtime.require(c.req.param('ws')!);
      const body = await jsonBody(c, true);
      return c.json(workspaceView(await runtime.importSnapshot(ws.id, body)));
    }),
  );
  app.post(
    '/workspaces/:ws/flush',
    wrap(async (c) => {
      const ws = wsOf(c);
      ws.doc.flush();
      await ws.doc.written();
      return c.json({ flushed: true });
    }),
  );

  app.get('/workspaces/:ws/webhooks', wrap((c) => c.json({ webhooks: listWebhooks(wsOf(c)) })));
  app.post(
    '/workspaces/:ws/webhooks',
    wrap(async (c) => {
      const ws = wsOf(c);
      const hook = registerWebhook(ws, await jsonBody(c, true));
      return done(ws, c.json(hook, 201));
    }),
  );
  app.delete(
    '/workspaces/:ws/webhooks/:id',
    wrap((c) => {
      const ws = wsOf(c);
      deleteWebhook(ws, c.req.param('id')!);
      return done(ws, c.body(null, 204));
    }),
  );

  mountLive(app, runtime, wrap);

  app.all('*', (c) => c.json({ error: { code: 'no_route', message: `no control API route ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}
