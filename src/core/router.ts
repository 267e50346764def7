// Requests of a simulated API, as named stages: route (the operation trie of the API's spec) ->
// authenticate (the API's credentials; some vendors check accounts here) -> parse the body ->
// validate path, query, headers and body (the spec's validators, compiled at build time) ->
// scenario rules (latency, faults) -> the operation's handler inside a workspace transaction
// (an answer >= 400 or an error undoes every change) -> the vendor's response, and the journal.
// Every failure is rendered by the API's own error formatter; core never branches on a vendor.
import type { Context, Hono } from 'hono';
import type { ApiModule, HandlerContext, HandlerResult, RequestHeaders } from './api.js';
import { isSimError, SimError } from './errors.js';
import { ageJournalBodies, capBody, type JournalEntry } from './journal.js';
import { OperationRouter } from './op-router.js';
import { parseBody, preloadBody } from './request-body.js';
import { spend } from './rate-limit.js';
import { factsOf } from './scenario.js';
import type { JsonSchema, LoadedSpec, OperationInfo } from './spec.js';
import type { Runtime } from './runtime.js';
import type { Workspace } from './workspace.js';
import { describeAjvErrors, dropEmptyEnumParams, dropEmptyOptionalEnums, type AjvError } from './validation.js';

export interface RouterOptions {
  strict: boolean;
}

/** What the validators and handlers need of an operation, computed once. */
interface OpPlan {
  op: OperationInfo;
  /** Header parameters (lower case) to hand to validation. */
  headerParams: string[];
  /** Declared query names by lower case (case-insensitive query names). */
  queryByLower: Map<string, string> | null;
  /** Declared query parameters of array type: repeated (`?a=1&a=2`) and comma-separated values collected. */
  arrayQuery: Set<string>;
}

function planOf(op: OperationInfo, caseInsensitiveQuery: boolean): OpPlan {
  return {
    op,
    headerParams: op.headerParams,
    queryByLower: caseInsensitiveQuery ? new Map([...op.queryParams].map((q) => [q.toLowerCase(), q])) : null,
    arrayQuery: new Set([...op.queryParams].filter((q) => op.querySchemas[q]?.type === 'array')),
  };
}

function validateRequest(spec: LoadedSpec, op: OperationInfo, data: Record<string, unknown>): void | Promise<void> {
  const pending = spec.requestValidators(op.operationId);
  if (!Array.isArray(pending)) return pending.then((v) => runValidators(v, op, data));
  runValidators(pending, op, data);
}

function runValidators(validators: Array<(d: unknown) => boolean>, op: OperationInfo, data: Record<string, unknown>): void {
  let errors: AjvError[] | undefined;
  for (const validate of validators) {
    if (!validate(data) && (validate as { errors?: unknown }).errors) (errors ??= []).push(...((validate as { errors?: unknown }).errors as AjvError[]));
  }
  if (errors?.length) {
    const { message, tooLong, field, reason } = describeAjvErrors(errors, op);
    throw new SimError(tooLong ? 'too_long' : 'invalid', message, { field, validation: true, reason });
  }
}

/**
 * Mounts an API's operations under its prefix. For an API with case-insensitive paths it returns
 * the fallback that the app's not-found handler calls (see ApiFallback).
 */
export function mountApi(app: Hono, runtime: Runtime, mod: ApiModule, spec: LoadedSpec, opts: RouterOptions): ApiFallback | undefined {
  for (const op of spec.operations) {
    if (!mod.handlers[op.operationId]) throw new Error(`${mod.id}: no handler for operation ${op.operationId}`);
  }
  const routing = mod.routing ?? {};
  const router = new OperationRouter(spec.operations, { caseInsensitive: routing.caseInsensitivePaths, ignoreTrailingSlash: routing.ignoreTrailingSlash });
  const plans = new Map(spec.operations.map((op) => [op.operationId, planOf(op, Boolean(routing.caseInsensitiveQuery))]));
  const dispatch = (c: Context) => {
    runtime.requests++;
    const m = router.match(c.req.method, c.req.path);
    if (m.kind === 'operation') {
      const plan = plans.get(m.op.operationId)!;
      if (runtime.fleet) return serveInFleet(c, runtime, mod, spec, plan, m.params, opts);
      return serve(c, runtime, mod, spec, plan, m.params, opts);
    }
    const err =
      m.kind === 'method'
        ? new SimError('method_not_allowed', `method ${c.req.method} is not allowed on ${c.req.path} (allowed: ${m.allowed.join(', ')})`)
        : new SimError('no_route', `no operation matches ${c.req.method} ${c.req.path}`);
    return respondError(mod, err, runtime.requestId(headersOf(c).get('x-request-id')));
  };
  app.all(mod.mountPrefix, dispatch);
  app.all(`${mod.mountPrefix}/*`, dispatch);
  if (!routing.caseInsensitivePaths) return undefined;
  // The prefix in another case reaches the API through the app's not-found handler: a catch-all
  // route or middleware would match every request of every API and send each through hono's
  // compose (a chain of promises and closures per request).
  const prefix = new RegExp(`^${mod.mountPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$)`, 'i');
  return (c) => (prefix.test(c.req.path) ? dispatch(c) : undefined);
}

/** Answers a request no route took when it is for an API whose paths are case-insensitive. */
export type ApiFallback = (c: Context) => Response | Promise<Response> | undefined;

function respondError(mod: ApiModule, err: SimError, requestId: string): Response {
  const r = mod.renderError(err);
  return jsonResponse(r.status, r.body, r.headers, { requestId });
}

/** What a request leaves for its journal entry besides the status: its id and the bodies. */
interface Trace {
  requestId: string;
  requestBody?: string;
  responseBody?: string;
  fault?: string;
  /** Headers every answer of this request carries once it is known (rate-limit state). */
  headers?: Record<string, string>;
}

function jsonResponse(status: number, body: unknown, given: Record<string, string> | undefined, trace: Trace): Response {
  const headers = trace.headers ? { ...trace.headers, ...given } : given;
  // The header object is built here, plain: reading a Response's headers afterwards would make
  // @hono/node-server build a full fetch Response.
  if (body === undefined || status === 204) return new Response(null, { status, headers: { ...headers, 'x-request-id': trace.requestId } });
  const text = JSON.stringify(body);
  trace.responseBody = text;
  return new Response(text, {
    status,
    headers: headers
      ? { 'content-type': 'application/json; charset=utf-8', ...headers, 'x-request-id': trace.requestId }
      : { 'content-type': 'application/json; charset=utf-8', 'x-request-id': trace.requestId },
  });
}

/**
 * On a shared store: the request runs with its workspace to itself in the fleet, on its latest
 * state (see core/fleet). The workspace comes from the credentials, as in serve(); a credential
 * this instance does not know may belong to a workspace created or changed through another one.
 */
async function serveInFleet(c: Context, runtime: Runtime, mod: ApiModule, spec: LoadedSpec, plan: OpPlan, params: Record<string, string>, opts: RouterOptions): Promise<Response> {
  const fleet = runtime.fleet!;
  const who = (): string | undefined => {
    try {
      return mod.authenticate({ headers: headersOf(c), query: c.req.query(), params, operationId: plan.op.operationId }).ws.id;
    } catch {
      return undefined;
    }
  };
  try {
    let id = who();
    if (id === undefined) {
      await fleet.refresh();
      id = who();
    }
    // Unknown to the whole fleet: serve() answers the vendor's authentication error.
    if (id === undefined) return await serve(c, runtime, mod, spec, plan, params, opts);
    // The body is read before the workspace's turn: a slow client must not hold it.
    await preloadBody(c, plan.op, headersOf(c).get);
    return await fleet.run(id, () => serve(c, runtime, mod, spec, plan, params, opts));
  } catch (e) {
    // Only the shared store's own failures get here (serve() answers every other error).
    const err = isSimError(e) ? e : new SimError('unavailable', `the shared store failed: ${(e as Error).message}`);
    return respondError(mod, err, runtime.requestId(headersOf(c).get('x-request-id')));
  }
}

/** A value now or later: the stages below stay synchronous unless one of them has to wait. */
type Maybe<T> = T | Promise<T>;

function then<A, B>(x: Maybe<A>, f: (a: A) => Maybe<B>): Maybe<B> {
  return x instanceof Promise ? x.then(f) : f(x);
}

/** One request through the stages; synchronous unless the body, a validator or a scenario has to wait. */
function serve(
  c: Context,
  runtime: Runtime,
  mod: ApiModule,
  spec: LoadedSpec,
  plan: OpPlan,
  params: Record<string, string>,
  opts: RouterOptions,
): Maybe<Response> {
  const op = plan.op;
  // Host time for the log's duration only: the journal's `ms` is the scenario's latency (deterministic).
  const t0 = performance.now();
  const state: RequestState = { status: 500, latencyMs: 0, trace: { requestId: runtime.requestId(headersOf(c).get('x-request-id')) } };
  const finish = (res: Response): Response => {
    const ws = state.ws;
    const { trace } = state;
    const entry: JournalEntry = {
      t: ws ? ws.now() : 0,
      method: c.req.method,
      path: c.req.path,
      api: mod.id,
      operationId: op.operationId,
      status: state.status,
      // The scenario latency added to this request: deterministic, unlike host time (which
      // would make two runs of the same requests differ).
      ms: state.latencyMs,
      requestId: trace.requestId,
    };
    // The bodies as the text sent and answered, cut to JOURNAL_BODY_CAP (the dashboard shows them).
    if (trace.requestBody !== undefined) entry.requestBody = capBody(trace.requestBody);
    if (trace.responseBody !== undefined) entry.responseBody = capBody(trace.responseBody);
    if (trace.fault !== undefined) entry.fault = trace.fault;
    if (ws) {
      ws.journal.push(entry);
      ageJournalBodies(ws.journal);
      ws.afterChange();
    }
    runtime.logger?.request(entry, ws ? ws.id : null, Math.round((performance.now() - t0) * 100) / 100);
    return res;
  };
  const fail = (e: unknown): Response => finish(errorResponse(mod, spec, op, opts, e, state));
  let out: Maybe<Response>;
  try {
    out = stages(c, mod, spec, plan, params, opts, state);
  } catch (e) {
    return fail(e);
  }
  return out instanceof Promise ? out.then(finish, fail) : finish(out);
}

function stages(
  c: Context,
  mod: ApiModule,
  spec: LoadedSpec,
  plan: OpPlan,
  params: Record<string, string>,
  opts: RouterOptions,
  state: RequestState,
): Maybe<Response> {
  const op = plan.op;
  const rawQuery = c.req.query();
  const headers = headersOf(c);
  const auth = mod.authenticate({ headers, query: rawQuery, params, operationId: op.operationId });
  const ws = auth.ws;
  state.ws = ws;
  ws.sync();
  if (mod.rateLimit) {
    const r = spend(ws, mod.id, mod.rateLimit, mod.rateLimit.key(auth.principal));
    if (r) {
      state.trace.headers = r.headers;
      if (r.refusal) throw r.refusal;
    }
  }
  return then(parseBody(c, op, headers.get), (parsed) => {
    state.trace.requestBody = parsed.text ?? (parsed.rawBody ? `(${parsed.rawBody.length} bytes of ${parsed.contentType || 'binary'})` : undefined);
    const query: Record<string, unknown> = {};
    for (const k in rawQuery) {
      const name = plan.queryByLower ? plan.queryByLower.get(k.toLowerCase()) : op.queryParams.has(k) ? k : undefined;
      if (name === undefined) continue;
      query[name] = plan.arrayQuery.has(name) ? arrayQueryValues(c.req.queries(k) ?? []) : rawQuery[k];
    }
    // An SDK's '' for an optional enum is "not given" (body fields and query parameters).
    dropEmptyEnumParams(query, op.querySchemas);
    const body = dropEmptyOptionalEnums(parsed.body, op.bodySchema);
    const header: Record<string, string> = {};
    for (const h of plan.headerParams) {
      const v = headers.get(h);
      if (v !== undefined) header[h] = v;
    }
    // One schema per operation (the first media type's): a raw binary upload stands for an empty
    // form when that schema is an object, else for the string.
    const bodyForValidation =
      body !== undefined ? body : parsed.rawBody ? (op.bodySchema?.type === 'object' || op.bodySchema?.properties ? {} : '(binary)') : undefined;
    const data: Record<string, unknown> = { path: params, query, header, cookie: {} };
    if (bodyForValidation !== undefined) data.requestBody = bodyForValidation;
    return then(validateRequest(spec, op, data), () => {
      const ctx: HandlerContext = {
        ws,
        operationId: op.operationId,
        operation: op,
        params,
        query,
        rawQuery,
        body,
        rawBody: parsed.rawBody,
        contentType: parsed.contentType,
        headers,
        principal: auth.principal,
      };
      const run = (): Response => {
        const handler = mod.handlers[op.operationId];
        // All or nothing: a thrown error or an answer >= 400 undoes every change of the request.
        const result = ws.transaction(
          () => {
            const r = handler(ctx);
            if (opts.strict) checkResponse(spec, op, r.status ?? 200, r);
            return r;
          },
          (r) => (r.status ?? 200) >= 400,
        );
        state.status = result.status ?? 200;
        return toResponse(state.status, result, state.trace);
      };
      return ws.scenario ? then(scenarioHttpRule(ws, mod, op, params, query, parsed.body, state), run) : run();
    });
  });
}

/** Any failure as the vendor's error (in --strict, checked against the spec too). */
function errorResponse(mod: ApiModule, spec: LoadedSpec, op: OperationInfo, opts: RouterOptions, e: unknown, state: RequestState): Response {
  const err = isSimError(e) ? e : internalError(e, op);
  if (err.kind === 'fault') state.trace.fault = err.message;
  const ectx = { ws: state.ws, operationId: op.operationId };
  const r = mod.renderError(err, ectx);
  state.status = r.status;
  if (opts.strict && err.kind !== 'internal') {
    try {
      checkResponse(spec, op, r.status, { body: r.body });
    } catch (bad) {
      const r2 = mod.renderError(bad as SimError, ectx);
      state.status = r2.status;
      return jsonResponse(r2.status, r2.body, r2.headers, state.trace);
    }
  }
  return jsonResponse(r.status, r.body, r.headers, state.trace);
}

interface RequestState {
  ws?: Workspace;
  status: number;
  /** Latency added by a scenario rule (the journal's `ms`). */
  latencyMs: number;
  trace: Trace;
}

/**
 * Request headers. Under @hono/node-server they are read from Node's raw header list: the fetch
 * Request's Headers object is built on first use, which costs more than the rest of a GET, and
 * even Node's `headers` object parses every header to answer for one or two.
 */
function headersOf(c: Context): RequestHeaders {
  const raw = (c.env as { incoming?: { rawHeaders?: string[] } } | undefined)?.incoming?.rawHeaders;
  if (!raw) return { get: (n) => c.req.header(n) };
  return { get: (n) => rawHeader(raw, n.toLowerCase()) };
}

/** Headers of which Node keeps the first occurrence only (the rest join with ', '). */
const SINGLE = new Set(['authorization', 'content-type', 'content-length', 'host', 'user-agent', 'referer', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'etag', 'from', 'location', 'max-forwards', 'proxy-authorization', 'age', 'expires', 'last-modified', 'retry-after', 'server']);

/** A header from Node's `rawHeaders` ([name, value, ...]) by lower-case name, as Node would join it. */
export function rawHeader(raw: string[], name: string): string | undefined {
  let out: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i];
    if (k.length !== name.length || (k !== name && k.toLowerCase() !== name)) continue;
    if (out === undefined) {
      out = raw[i + 1];
      if (SINGLE.has(name)) return out;
    } else out += `, ${raw[i + 1]}`;
  }
  return out;
}

/**
 * Scenario rules on the HTTP level: added latency (drawn from the workspace RNG, so the same
 * seed and requests wait the same), then an injected fault with a vendor code.
 */
function scenarioHttpRule(ws: Workspace, mod: ApiModule, op: OperationInfo, params: Record<string, string>, query: Record<string, unknown>, body: unknown, state: { latencyMs: number }): Maybe<void> {
  const effect = ws.scenario!.httpEffect({ api: mod.id, operationId: op.operationId, ...factsOf(params, query, isPlain(body) ? body : undefined) });
  if (!effect) return;
  state.latencyMs = effect.latencyMs;
  const fault = () => {
    if (effect.fault) {
      throw new SimError('fault', effect.fault.message ?? `fault injected by scenario rule ${effect.rule.name ?? ''}`.trim(), {
        status: effect.fault.status,
        code: effect.fault.code,
      });
    }
  };
  if (effect.latencyMs > 0) return new Promise<void>((r) => setTimeout(r, effect.latencyMs)).then(fault);
  fault();
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toResponse(status: number, result: HandlerResult, trace: Trace): Response {
  if (result.raw) {
    const data = result.raw.data;
    trace.responseBody = typeof data === 'string' && !result.raw.contentType.includes('octet') ? data : `(${typeof data === 'string' ? data.length : data.byteLength} bytes of ${result.raw.contentType})`;
    return new Response(data as ConstructorParameters<typeof Response>[0], {
      status,
      headers: { 'content-type': result.raw.contentType, ...trace.headers, ...result.headers, 'x-request-id': trace.requestId },
    });
  }
  return jsonResponse(status, result.body, result.headers, trace);
}

function internalError(e: unknown, op: OperationInfo): SimError {
  // A bug in commsim: log it and answer the vendor's 500 rather than crash or leak a stack.
  console.error(`[commsim] internal error in ${op.operationId}:`, e);
  return new SimError('internal', `internal error in ${op.operationId}: ${e instanceof Error ? e.message : String(e)}`);
}

/** --strict and tests: a response that does not match the spec is a commsim bug, surfaced as such. */
function checkResponse(spec: LoadedSpec, op: OperationInfo, status: number, result: HandlerResult): void {
  if (result.raw) return;
  const declared = op.statuses.includes(String(status)) || op.statuses.includes('default');
  if (!declared) {
    throw new SimError('internal', `commsim bug: status ${status} is not declared for ${op.operationId}`);
  }
  // A status declared without content answers no body (204, or Clever's `body: null`).
  const responses = (op.raw as { responses?: Record<string, { content?: unknown; $ref?: string }> }).responses ?? {};
  const declaredResponse = responses[String(status)] ?? responses.default;
  if (declaredResponse && !declaredResponse.$ref && !declaredResponse.content) {
    if (result.body !== undefined && result.body !== null) throw new SimError('internal', `commsim bug: ${op.operationId} ${status} declares no body, the handler answered one`);
    return;
  }
  const v = spec.backend.validator.validateResponse(result.body, op.operationId, status);
  if (!v.valid) {
    const detail = (v.errors ?? []).slice(0, 5).map((e: any) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new SimError('internal', `commsim bug: ${op.operationId} ${status} response does not match the spec: ${detail}`);
  }
}

export type { JsonSchema };

/**
 * The values of an array query parameter: repeated keys, comma-separated values, and a bracketed
 * list (`[1,2,3]`, as ServiceStack's JSV and some SDKs write it) all give the same items.
 */
export function arrayQueryValues(raw: string[]): string[] {
  return raw
    .map((v) => v.trim().replace(/^\[(.*)\]$/s, '$1'))
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
