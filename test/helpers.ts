// Test harness: the whole app in memory (no network), driven like a client through app.request.
// Every API response is validated against its spec, and the server itself runs in --strict mode.
import { expect, inject } from 'vitest';
import { buildApp, type App } from '../src/app.js';
import { CATALOGUE } from '../src/apis/dolist/error-catalogue.js';

export interface Client {
  app: App;
  /** Raw request; JSON bodies are encoded. */
  req(method: string, path: string, opts?: { body?: unknown; headers?: Record<string, string>; form?: Record<string, string> }): Promise<Res>;
  /** Control API helper returning the parsed body (fails on an error status). */
  sim(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export interface Res {
  status: number;
  body: any;
  headers: Headers;
  text: string;
}

let apps = 0;

/**
 * The store of a test app: the embedded one in memory, or (project `redis`, COMMSIM_TEST_STORE)
 * the shared Redis store under a key prefix of its own.
 */
export function testStore(): string | undefined {
  if (process.env.COMMSIM_TEST_STORE !== 'redis') return undefined;
  return `${inject('redisUrl')}?prefix=t${process.pid}x${++apps}x${Date.now().toString(36)}`;
}

/**
 * The app under test. `solo`: one instance even on the Redis store, for a suite that reaches
 * into the server's state (`c.app.runtime`), which only the instance it holds can see at once.
 */
export async function startApp(opts: { dataDir?: string | null; hostNow?: () => number; solo?: boolean } = {}): Promise<Client> {
  const store = testStore();
  const app = await buildApp({ dataDir: opts.dataDir ?? null, store, strict: true, quiet: true, hostNow: opts.hostNow } as never);
  if (store && !app.runtime.fleet) throw new Error('the test app should run on the Redis store');
  // On the Redis store, a second instance on the same keys takes every other request (a fleet
  // of two, round-robin): each suite checks that what one instance wrote, the other reads.
  // `app` (what a test reaches into directly) is the first.
  const peer = store && !opts.solo ? await buildApp({ dataDir: null, store, strict: true, quiet: true, hostNow: opts.hostNow } as never) : null;
  let turn = 0;
  const req: Client['req'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    let body: BodyInit | undefined;
    if (o.form) {
      body = new URLSearchParams(o.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (o.body !== undefined) {
      if (typeof o.body === 'string' || o.body instanceof Uint8Array || o.body instanceof FormData) body = o.body as BodyInit;
      else {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const serving = peer && turn++ % 2 === 1 ? peer : app;
    const res = await serving.app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: any = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    const out = { status: res.status, body: parsed, headers: res.headers, text };
    checkAgainstSpec(app, method, path, out);
    return out;
  };
  const sim: Client['sim'] = async (method, path, body) => {
    const r = await req(method, `/_sim${path}`, { body });
    if (r.status >= 400) throw new Error(`${method} /_sim${path} -> ${r.status} ${r.text}`);
    return r.body;
  };
  return {
    app,
    req,
    sim,
    close: async () => {
      await peer?.runtime.shutdown();
      await app.runtime.shutdown();
    },
  };
}

/** Finds the operation of an API response and validates status + body against the spec. */
function checkAgainstSpec(app: App, method: string, path: string, res: Res): void {
  const url = new URL(path, 'http://x');
  for (const mod of app.modules) {
    if (!url.pathname.startsWith(mod.mountPrefix)) continue;
    const spec = app.specs.get(mod.id)!;
    // A literal segment wins over a template one (`/contacts/fast_access` is not `/contacts/{Contact_ID}`).
    const op = spec.operations
      .filter((o) => o.method === method.toUpperCase() && matches(o.fullPath, url.pathname, o.wildcardParam))
      .sort((a, b) => literalSegments(b.fullPath) - literalSegments(a.fullPath))[0];
    if (!op) return; // unknown route: the API's 404/405 envelope is checked by the tests themselves
    if (!(res.headers.get('content-type') ?? '').includes('json')) return;
    if (!op.statuses.includes(String(res.status))) throw new Error(`${op.operationId}: status ${res.status} not declared in the spec (${res.text})`);
    const v = spec.backend.validator.validateResponse(res.body, op.operationId, res.status);
    if (!v.valid) throw new Error(`${op.operationId} ${res.status}: response does not match the spec: ${JSON.stringify(v.errors)}\n${res.text}`);
  }
}

function literalSegments(template: string): number {
  return template.split('/').filter((seg) => seg && !seg.includes('{')).length;
}

function matches(template: string, path: string, wildcard?: string): boolean {
  // A wildcard parameter (`x-sim-wildcard`, Dolist's `{Path*}`) takes the rest of the path.
  const t = wildcard ? template.replace(`{${wildcard}}`, '\u0000') : template;
  const re = new RegExp('^' + t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '[^/]+').replace('\u0000', '.*') + '$');
  return re.test(path);
}

export const SYN = '/syniverse/scg-external-api/api/v1';

/** An HTTP Basic Authorization value. */
export const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

/** A fresh manual-clock workspace and its Syniverse Bearer header. */
export async function synWorkspace(c: Client, id: string, extra: Record<string, unknown> = {}) {
  const ws = await c.sim('POST', '/workspaces', { id, clock: { mode: 'manual', now: '2026-01-05T12:00:00Z' }, ...extra });
  const auth = { authorization: `Bearer ${ws.credentials.syniverse.token}` };
  const call = (method: string, path: string, body?: unknown) => c.req(method, SYN + path, { body, headers: auth });
  const advance = (ms: number) => c.sim('POST', `/workspaces/${id}/clock/advance`, { ms });
  return { ws, auth, call, advance };
}

/** A fresh manual-clock workspace and additiv callers: the member, the reviewer (another member) and the app. */
export async function additivWorkspace(c: Client, id: string, extra: Record<string, unknown> = {}) {
  const ws = await c.sim('POST', '/workspaces', { id, clock: { mode: 'manual', now: '2026-03-02T09:00:00Z' }, ...extra });
  const creds = ws.credentials.additiv as { memberToken: string; reviewerToken: string; appToken: string };
  const as = (token: string) => (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    c.req(method, `/additiv${path}`, { body, headers: { authorization: `Bearer ${token}`, ...headers } });
  const advance = (ms: number) => c.sim('POST', `/workspaces/${id}/clock/advance`, { ms });
  /** The last verification key sent to a contact's channel (from the workspace events). */
  const lastKey = async (contactId: number, channel: 'Email' | 'Mobile'): Promise<string> => {
    const { events } = await c.sim('GET', `/workspaces/${id}/events?api=additiv&type=contact.verification.key_sent`);
    const mine = (events as Array<{ data: { contactId: number; channel: string; key: string } }>).filter((e) => e.data.contactId === contactId && e.data.channel === channel);
    return mine[mine.length - 1].data.key;
  };
  return {
    ws,
    creds,
    member: as(creds.memberToken),
    reviewer: as(creds.reviewerToken),
    app: as(creds.appToken),
    advance,
    lastKey,
    memberUid: '7d1f3b2a-6c4e-4a8f-9b0d-1e2f3a4b5c01',
    reviewerUid: '7d1f3b2a-6c4e-4a8f-9b0d-1e2f3a4b5c02',
  };
}

export const DOL = '/dolist/v1';

/**
 * A Dolist workspace on a manual clock: `main(method, path, body?)` calls with the key of both
 * accounts, `brandB(...)` with the key of account 10002 only. Paths are relative to /dolist/v1;
 * `AccountID=10001` is added to the query unless the path names an AccountID already.
 */
export async function dolistWorkspace(c: Client, id: string, extra: Record<string, unknown> = {}) {
  const ws = await c.sim('POST', '/workspaces', { id, clock: { mode: 'manual', now: '2026-03-02T09:00:00Z' }, ...extra });
  const creds = ws.credentials.dolist as { main: string; brandB: string };
  const withAccount = (path: string, account: number) => (/[?&]accountid=/i.test(path) || /^\/accounts\//i.test(path) ? path : `${path}${path.includes('?') ? '&' : '?'}AccountID=${account}`);
  const as = (key: string, account: number) => (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    c.req(method, `${DOL}${withAccount(path, account)}`, { body, headers: { 'x-api-key': key, ...headers } });
  const advance = (ms: number) => c.sim('POST', `/workspaces/${id}/clock/advance`, { ms });
  return { ws, creds, main: as(creds.main, 10001), mainB: as(creds.main, 10002), brandB: as(creds.brandB, 10002), advance, id };
}

/**
 * A Dolist answer is the catalogue's error `code`: its status, ErrorCode and Message verbatim;
 * with `field`, the first `Errors` entry names that field.
 */
export function expectDolistCode(r: Res, code: string, field?: string): void {
  const [status, message] = CATALOGUE[code];
  expect({ status: r.status, code: r.body?.ResponseStatus?.ErrorCode, message: r.body?.ResponseStatus?.Message }, r.text).toEqual({ status, code, message });
  if (field) expect(r.body.ResponseStatus.Errors?.[0]?.FieldName, r.text).toBe(field);
}
