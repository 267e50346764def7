// Spec -> one hono route per operation. hono matches the route (openapi-backend's own matcher
// scans every operation per request); openapi-backend's compiled ajv validators check path,
// query, headers and body; every failure is rendered by the API's own error formatter.
import type { Context, Hono } from 'hono';
import type { ApiModule, HandlerContext, HandlerResult, RequestHeaders } from './api.js';
import { isSimError, SimError } from './errors.js';
import { factsOf } from './scenario.js';
import type { JsonSchema, LoadedSpec, OperationInfo } from './spec.js';
import type { Runtime } from './runtime.js';
import type { Workspace } from './workspace.js';
import { coerceForm, describeAjvErrors, type AjvError } from './validation.js';

const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** Static segments before parameters, so `/sender_ids/purchase` wins over `/sender_ids/{id}`. */
export function routeOrder(a: OperationInfo, b: OperationInfo): number {
  const sa = a.fullPath.split('/');
  const sb = b.fullPath.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = sa[i].startsWith('{');
    const pb = sb[i].startsWith('{');
    if (pa !== pb) return pa ? 1 : -1;
  }
  return 0;
}

export function honoPath(fullPath: string): string {
  return fullPath.replace(/\{([^}]+)\}/g, ':$1');
}

function templateRegex(fullPath: string, caseInsensitive: boolean): RegExp {
  const src = fullPath.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
  return new RegExp(`^${src}/?$`, caseInsensitive ? 'i' : '');
}

interface ParsedBody {
  body: unknown;
  rawBody: Uint8Array | undefined;
  contentType: string;
}

async function parseBody(c: Context, op: OperationInfo): Promise<ParsedBody> {
  const contentType = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const length = Number(c.req.header('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) throw new SimError('invalid', `request body too large (limit ${MAX_BODY_BYTES} bytes)`, { code: 'too_large' });
  if (!op.bodyTypes.length || c.req.method === 'GET' || c.req.method === 'DELETE' && !op.bodySchema) {
    return { body: undefined, rawBody: undefined, contentType };
  }
  if (contentType === 'multipart/form-data') {
    const form = await c.req.parseBody({ all: true }).catch(() => {
      throw new SimError('invalid', 'malformed multipart/form-data body');
    });
    const fields: Record<string, unknown> = {};
    let rawBody: Uint8Array | undefined;
    let partType = '';
    for (const [k, v] of Object.entries(form)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (first instanceof File) {
        if (!rawBody) {
          rawBody = new Uint8Array(await first.arrayBuffer());
          partType = first.type;
          fields.__filename = first.name;
        }
        fields[k] = '(binary)';
      } else fields[k] = v;
    }
    return { body: fields, rawBody, contentType: partType || contentType };
  }
  const isText = contentType === '' || contentType.includes('json') || contentType === 'application/x-www-form-urlencoded' || contentType.startsWith('text/');
  if (!isText) {
    const rawBody = new Uint8Array(await c.req.arrayBuffer());
    return { body: undefined, rawBody, contentType };
  }
  const text = await c.req.text();
  if (!text.trim()) return { body: undefined, rawBody: undefined, contentType };
  const trimmed = text.trimStart();
  // curl -d sends form-urlencoded by default; a JSON-looking body is taken as JSON.
  if (contentType !== 'application/x-www-form-urlencoded' || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { body: JSON.parse(text), rawBody: undefined, contentType: 'application/json' };
    } catch (e) {
      throw new SimError('invalid', `malformed JSON body: ${(e as Error).message}`, { code: 'malformed' });
    }
  }
  const params = new URLSearchParams(text);
  const fields: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    fields[key.endsWith('[]') ? key.slice(0, -2) : key] = all.length > 1 || key.endsWith('[]') ? all : all[0];
  }
  return { body: coerceForm(fields, op.bodySchema), rawBody: undefined, contentType };
}

async function validateRequest(spec: LoadedSpec, op: OperationInfo, input: {
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  body: unknown;
}): Promise<void> {
  const pending = spec.requestValidators(op.operationId);
  const validators = Array.isArray(pending) ? pending : await pending;
  const data: Record<string, unknown> = { path: input.params, query: input.query, header: input.headers, cookie: {} };
  if (input.body !== undefined) data.requestBody = input.body;
  const errors: AjvError[] = [];
  for (const validate of validators) {
    if (!validate(data) && validate.errors) errors.push(...(validate.errors as AjvError[]));
  }
  if (errors.length) {
    const { message, tooLong, field } = describeAjvErrors(errors, op);
    throw new SimError(tooLong ? 'too_long' : 'invalid', message, { field, validation: true });
  }
}

export interface RouterOptions {
  strict: boolean;
}

export function mountApi(app: Hono, runtime: Runtime, mod: ApiModule, spec: LoadedSpec, opts: RouterOptions): void {
  const ops = [...spec.operations].sort(routeOrder);
  for (const op of ops) {
    const handler = mod.handlers[op.operationId];
    if (!handler) throw new Error(`${mod.id}: no handler for operation ${op.operationId}`);
    app.on(op.method, honoPath(op.fullPath), (c) => serve(c, runtime, mod, spec, op, opts));
  }
  // Anything else under the API's prefix: the vendor's 405 (known path) or 404.
  const templates = ops.map((op) => ({ op, re: templateRegex(op.fullPath, Boolean(mod.routing?.caseInsensitivePaths)) }));
  const fallback = (c: Context) => {
    const path = c.req.path;
    const sameP = templates.filter((t) => t.re.test(path));
    const err = sameP.length
      ? new SimError('method_not_allowed', `method ${c.req.method} is not allowed on ${path} (allowed: ${[...new Set(sameP.map((t) => t.op.method))].join(', ')})`)
      : new SimError('no_route', `no operation matches ${c.req.method} ${path}`);
    return respondError(c, mod, err);
  };
  app.all(mod.mountPrefix, fallback);
  app.all(`${mod.mountPrefix}/*`, fallback);
}

function respondError(c: Context, mod: ApiModule, err: SimError): Response {
  const r = mod.renderError(err);
  return jsonResponse(r.status, r.body, r.headers);
}

function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): Response {
  if (body === undefined || status === 204) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

async function serve(
  c: Context,
  runtime: Runtime,
  mod: ApiModule,
  spec: LoadedSpec,
  op: OperationInfo,
  opts: RouterOptions,
): Promise<Response> {
  const t0 = performance.now();
  let ws: Workspace | undefined;
  let status = 500;
  try {
    const rawQuery = c.req.query();
    const headers: RequestHeaders = { get: (n) => c.req.header(n) };
    const params = c.req.param() as Record<string, string>;
    const auth = mod.authenticate(headers, { ...rawQuery, ...prefixed(params) }, op.operationId);
    ws = auth.ws;
    ws.sync();
    const parsed = await parseBody(c, op);
    const query: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rawQuery)) if (op.queryParams.has(k)) query[k] = v;
    // openapi-backend validates against one schema per operation (the first media type's): a raw
    // binary upload stands for an empty form when that schema is an object, else for the string.
    const bodyForValidation =
      parsed.body !== undefined ? parsed.body : parsed.rawBody ? (op.bodySchema?.type === 'object' || op.bodySchema?.properties ? {} : '(binary)') : undefined;
    await validateRequest(spec, op, { params, query, headers: c.req.header(), body: bodyForValidation });
    const ctx: HandlerContext = {
      ws,
      operationId: op.operationId,
      operation: op,
      params,
      query,
      rawQuery,
      body: parsed.body,
      rawBody: parsed.rawBody,
      contentType: parsed.contentType,
      headers,
      principal: auth.principal,
    };
    if (ws.scenario) {
      const rule = ws.scenario.httpRule({ api: mod.id, operationId: op.operationId, ...factsOf(params, query, isPlain(parsed.body) ? parsed.body : undefined) });
      if (rule?.latencyMs) await new Promise((r) => setTimeout(r, rule.latencyMs));
      if (rule?.fault) {
        throw new SimError('fault', rule.fault.message ?? `fault injected by scenario rule ${rule.name ?? ''}`.trim(), {
          status: rule.fault.status,
          code: rule.fault.code,
        });
      }
    }
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
    status = result.status ?? 200;
    return toResponse(status, result);
  } catch (e) {
    const err = isSimError(e) ? e : internalError(e, op);
    const r = mod.renderError(err);
    status = r.status;
    if (opts.strict && err.kind !== 'internal') {
      try {
        checkResponse(spec, op, r.status, { body: r.body });
      } catch (bad) {
        const r2 = mod.renderError(bad as SimError);
        status = r2.status;
        return jsonResponse(r2.status, r2.body, r2.headers);
      }
    }
    return jsonResponse(r.status, r.body, r.headers);
  } finally {
    if (ws) {
      ws.journal.push({
        at: new Date(ws.now()).toISOString(),
        method: c.req.method,
        path: c.req.path,
        api: mod.id,
        operationId: op.operationId,
        status,
        ms: Math.round((performance.now() - t0) * 100) / 100,
      });
      ws.afterChange();
    }
  }
}

/** Path parameters are offered to authenticate() too (public content URLs carry their token). */
function prefixed(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[`path:${k}`] = v;
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toResponse(status: number, result: HandlerResult): Response {
  if (result.raw) {
    return new Response(result.raw.data as ConstructorParameters<typeof Response>[0], {
      status,
      headers: { 'content-type': result.raw.contentType, ...result.headers },
    });
  }
  return jsonResponse(status, result.body, result.headers);
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
  const v = spec.backend.validator.validateResponse(result.body, op.operationId, status);
  if (!v.valid) {
    const detail = (v.errors ?? []).slice(0, 5).map((e: any) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new SimError('internal', `commsim bug: ${op.operationId} ${status} response does not match the spec: ${detail}`);
  }
}

export type { JsonSchema };
