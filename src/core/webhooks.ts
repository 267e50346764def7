// Outbound callbacks. A workspace registers URLs for event types; every matching event is
// POSTed as JSON, signed with HMAC-SHA256 of the body (`X-Sim-Signature: sha256=<hex>`), off the
// request path. A failed attempt is retried with exponential backoff on the workspace clock
// (1 s, 2 s, 4 s, 8 s: 5 attempts). Every attempt is recorded in the workspace's events.
//
// A registration has a payload format: `sim` (commsim's own envelope, every event) or a vendor's
// (`ApiModule.callbackFormats`, e.g. `syniverse`), which maps the API's events to the payloads the
// vendor's own callbacks carry, so an application's real callback handler can be tested. The
// vendor event is rendered when the simulated event happens and travels with the delivery job, so
// every attempt carries the same facts; delivery, signing and retries are the same for every format.
import { createHmac } from 'node:crypto';
import type { VendorEvent } from './api.js';
import { invalid, notFound } from './errors.js';
import type { SimEvent } from './journal.js';
import type { Workspace } from './workspace.js';

export interface Webhook {
  id: string;
  url: string;
  /** Event types, or ["*"] for all. */
  events: string[];
  /** Only events of this API (optional). */
  api: string | null;
  secret: string;
  /** Payload format: `sim`, or a vendor format an API provides (absent on older records: `sim`). */
  format?: string;
  /** Extra request headers sent with every attempt (e.g. the receiver's Basic credentials). */
  headers?: Record<string, string>;
  createdAt: string;
  [key: string]: unknown;
}

export const SIM_FORMAT = 'sim';
/** Headers a registration may not set: the transport's own and the signature's. */
const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'host', 'transfer-encoding', 'connection']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

export const WEBHOOK_DELIVER = 'core.webhook.deliver';
export const MAX_ATTEMPTS = 5;
const TABLE = '_webhooks';
const ATTEMPT_TIMEOUT_MS = 5000;

export function backoffMs(attempt: number): number {
  return 1000 * 2 ** (attempt - 1);
}

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function registerWebhook(
  ws: Workspace,
  input: { url?: unknown; events?: unknown; api?: unknown; secret?: unknown; format?: unknown; headers?: unknown },
): Webhook {
  if (typeof input.url !== 'string' || !/^https?:\/\/[^\s/]+/i.test(input.url)) {
    throw invalid('url must be an absolute http(s) URL');
  }
  let format = SIM_FORMAT;
  let formatApi: string | null = null;
  let known: Set<string> | null = null;
  if (input.format !== undefined && input.format !== null && input.format !== SIM_FORMAT) {
    const names = [SIM_FORMAT, ...ws.runtime.callbackFormatNames()].join(', ');
    const f = typeof input.format === 'string' ? ws.runtime.callbackFormat(input.format) : undefined;
    if (!f) throw invalid(`unknown format ${JSON.stringify(input.format)} (formats: ${names})`);
    format = input.format as string;
    formatApi = f.api;
    known = new Set([...f.format.eventTypes, ...Object.keys(f.format.groups ?? {})]);
  }
  let events: string[] = ['*'];
  if (input.events !== undefined) {
    if (!Array.isArray(input.events) || input.events.some((e) => typeof e !== 'string' || !e)) {
      throw invalid('events must be an array of event type names (or ["*"])');
    }
    events = input.events as string[];
    const unknown = known ? events.filter((e) => e !== '*' && !known.has(e)) : [];
    if (unknown.length) {
      throw invalid(`unknown ${format} event type ${JSON.stringify(unknown[0])} (known: ${[...known!].join(', ')})`);
    }
  }
  if (input.api !== undefined && input.api !== null && (typeof input.api !== 'string' || !ws.runtime.api(input.api))) {
    throw invalid(`unknown api ${JSON.stringify(input.api)}`);
  }
  if (formatApi && input.api !== undefined && input.api !== null && input.api !== formatApi) {
    throw invalid(`format ${JSON.stringify(format)} carries events of api ${JSON.stringify(formatApi)} only, not ${JSON.stringify(input.api)}`);
  }
  if (input.secret !== undefined && (typeof input.secret !== 'string' || !input.secret)) {
    throw invalid('secret must be a non-empty string');
  }
  const headers = parseHeaders(input.headers);
  const hook: Webhook = {
    id: `wh_${ws.rng.base64url(12)}`,
    url: input.url,
    events,
    api: formatApi ?? (input.api as string | undefined) ?? null,
    format,
    headers,
    secret: (input.secret as string | undefined) ?? ws.rng.hex(32),
    createdAt: new Date(ws.now()).toISOString(),
  };
  ws.doc.table<Webhook>(TABLE).put(hook);
  return hook;
}

function parseHeaders(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid('headers must be an object of header names to string values');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(v as Record<string, unknown>)) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) throw invalid(`headers: ${JSON.stringify(name)} is not a valid header name`);
    if (RESERVED_HEADERS.has(lower) || lower.startsWith('x-sim-')) throw invalid(`headers: ${name} is set by commsim and cannot be overridden`);
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) throw invalid(`headers: the value of ${name} must be a string on one line`);
    out[lower] = value;
  }
  return out;
}

export function listWebhooks(ws: Workspace): Webhook[] {
  return ws.doc.table<Webhook>(TABLE).all();
}

export function deleteWebhook(ws: Workspace, id: string): void {
  if (!ws.doc.table<Webhook>(TABLE).remove(id)) throw notFound(`webhook ${id} not found`);
}

function matches(hook: Webhook, ev: SimEvent): boolean {
  if (hook.api && hook.api !== ev.api) return false;
  return hook.events.includes('*') || hook.events.includes(ev.type);
}

/** A vendor-format hook takes the vendor event by its type or by a group (topic) holding it. */
function matchesVendor(hook: Webhook, type: string, groups: Record<string, readonly string[]> | undefined): boolean {
  return hook.events.some((e) => e === '*' || e === type || Boolean(groups?.[e]?.includes(type)));
}

/** Queues a delivery of `ev` to every matching webhook (due now). */
export function dispatchEvent(ws: Workspace, ev: SimEvent): void {
  let rendered: Map<string, VendorEvent | null> | undefined;
  for (const hook of ws.doc.table<Webhook>(TABLE).scan()) {
    const format = hook.format ?? SIM_FORMAT;
    if (format === SIM_FORMAT) {
      if (matches(hook, ev)) ws.schedule(WEBHOOK_DELIVER, ws.now(), { webhook: hook.id, event: ev.id, attempt: 1 });
      continue;
    }
    const f = ws.runtime.callbackFormat(format);
    if (!f || f.api !== ev.api || (hook.api && hook.api !== ev.api)) continue;
    rendered ??= new Map();
    let vendor = rendered.get(format);
    if (vendor === undefined) {
      vendor = renderVendor(ws, format, f.format.render.bind(f.format), ev);
      rendered.set(format, vendor);
    }
    if (vendor && matchesVendor(hook, vendor.type, f.format.groups)) {
      ws.schedule(WEBHOOK_DELIVER, ws.now(), { webhook: hook.id, event: ev.id, attempt: 1, vendor });
    }
  }
}

/** A format that throws must not fail the change that emitted the event: logged, not delivered. */
function renderVendor(ws: Workspace, format: string, render: (ev: SimEvent, ws: Workspace) => VendorEvent | null, ev: SimEvent): VendorEvent | null {
  try {
    return render(ev, ws);
  } catch (e) {
    console.error(`[commsim] workspace ${ws.id}: callback format ${format} failed on event ${ev.type}:`, e);
    ws.events.record(ws.now(), 'sim', 'webhook.render_failed', { format, event_id: ev.id, event_type: ev.type, error: e instanceof Error ? e.message : String(e) });
    return null;
  }
}

export function payloadOf(ws: Workspace, ev: SimEvent): string {
  return JSON.stringify({ id: ev.id, type: ev.type, api: ev.api, workspace: ws.id, created: ev.at, data: ev.data });
}

/** The fetch used for deliveries (replaceable in tests of failure paths). */
export type Poster = (url: string, init: { headers: Record<string, string>; body: string }) => Promise<number>;

export const defaultPoster: Poster = async (url, init) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: init.headers,
    body: init.body,
    signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
  });
  await res.arrayBuffer().catch(() => undefined);
  return res.status;
};

export const webhookEventHandlers = {
  [WEBHOOK_DELIVER](ws: Workspace, data: Record<string, unknown>): void {
    const hook = ws.doc.table<Webhook>(TABLE).peek(String(data.webhook));
    const ev = ws.doc.table<SimEvent>('_events').peek(String(data.event));
    if (!hook || !ev) return;
    const attempt = Number(data.attempt) || 1;
    const format = hook.format ?? SIM_FORMAT;
    const vendor = format !== SIM_FORMAT ? (data.vendor as VendorEvent | undefined) : undefined;
    let body: string;
    let vendorHeaders: Record<string, string> = {};
    if (vendor) {
      const f = ws.runtime.callbackFormat(format);
      if (!f) return; // the API that rendered it is no longer served
      const out = f.format.deliver(vendor, { ev, attempt, ws });
      body = JSON.stringify(out.body);
      vendorHeaders = out.headers ?? {};
    } else body = payloadOf(ws, ev);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'commsim-webhooks',
      ...vendorHeaders,
      ...(hook.headers ?? {}),
      'x-sim-signature': sign(hook.secret, body),
      'x-sim-event': vendor?.type ?? ev.type,
      'x-sim-delivery': `${ev.id}.${attempt}`,
      'x-sim-workspace': ws.id,
    };
    if (vendor) headers['x-sim-format'] = format;
    // The HTTP call runs off the request path and off the clock; its outcome is recorded when it lands.
    const poster = ws.runtime.poster;
    const done = { hook, ev, attempt, vendor };
    // Recorded as a change of its own: on a shared store, with the workspace to itself in the
    // fleet (the object may have been replaced by a reload meanwhile).
    const record = (ok: boolean, status: number | null, error: string | null) =>
      void Promise.resolve(
        ws.runtime.exclusive(ws.id, () => {
          const current = ws.runtime.get(ws.id) ?? ws;
          settle(current, done, ok, status, error);
        }),
      ).catch(() => undefined);
    // Sent once the firing of this delivery is kept (in a fleet: committed), never for one undone.
    ws.afterCommit(
      () =>
        void poster(hook.url, { headers, body }).then(
          (status) => record(status >= 200 && status < 300, status, null),
          (err: unknown) => record(false, null, err instanceof Error ? err.message : String(err)),
        ),
    );
  },
};

function settle(
  ws: Workspace,
  { hook, ev, attempt, vendor }: { hook: Webhook; ev: SimEvent; attempt: number; vendor: VendorEvent | undefined },
  ok: boolean,
  status: number | null,
  error: string | null,
): void {
  if (ws.closed) return;
  ws.transaction(() => {
    const retry = !ok && attempt < MAX_ATTEMPTS;
    const nextAt = retry ? ws.now() + backoffMs(attempt) : null;
    ws.events.record(ws.now(), ev.api, 'webhook.attempt', {
      webhook_id: hook.id,
      url: hook.url,
      format: hook.format ?? SIM_FORMAT,
      event_id: ev.id,
      event_type: ev.type,
      vendor_event_type: vendor?.type ?? null,
      attempt,
      ok,
      status,
      error,
      next_attempt_at: nextAt === null ? null : new Date(nextAt).toISOString(),
    });
    if (retry) ws.schedule(WEBHOOK_DELIVER, nextAt!, { webhook: hook.id, event: ev.id, attempt: attempt + 1, ...(vendor ? { vendor } : {}) });
  });
  ws.afterChange();
}
