// Outbound callbacks. A workspace registers URLs for event types; every matching event is
// POSTed as JSON, signed with HMAC-SHA256 of the body (`X-Sim-Signature: sha256=<hex>`), off the
// request path. A failed attempt is retried with exponential backoff on the workspace clock
// (1 s, 2 s, 4 s, 8 s: 5 attempts). Every attempt is recorded in the workspace's events.
import { createHmac } from 'node:crypto';
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
  createdAt: string;
  [key: string]: unknown;
}

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
  input: { url?: unknown; events?: unknown; api?: unknown; secret?: unknown },
): Webhook {
  if (typeof input.url !== 'string' || !/^https?:\/\/[^\s/]+/i.test(input.url)) {
    throw invalid('url must be an absolute http(s) URL');
  }
  let events: string[] = ['*'];
  if (input.events !== undefined) {
    if (!Array.isArray(input.events) || input.events.some((e) => typeof e !== 'string' || !e)) {
      throw invalid('events must be an array of event type names (or ["*"])');
    }
    events = input.events as string[];
  }
  if (input.api !== undefined && input.api !== null && (typeof input.api !== 'string' || !ws.runtime.api(input.api))) {
    throw invalid(`unknown api ${JSON.stringify(input.api)}`);
  }
  if (input.secret !== undefined && (typeof input.secret !== 'string' || !input.secret)) {
    throw invalid('secret must be a non-empty string');
  }
  const hook: Webhook = {
    id: `wh_${ws.rng.base64url(12)}`,
    url: input.url,
    events,
    api: (input.api as string | undefined) ?? null,
    secret: (input.secret as string | undefined) ?? ws.rng.hex(32),
    createdAt: new Date(ws.now()).toISOString(),
  };
  ws.doc.table<Webhook>(TABLE).put(hook);
  return hook;
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

/** Queues a delivery of `ev` to every matching webhook (due now). */
export function dispatchEvent(ws: Workspace, ev: SimEvent): void {
  for (const hook of ws.doc.table<Webhook>(TABLE).scan()) {
    if (matches(hook, ev)) ws.schedule(WEBHOOK_DELIVER, ws.now(), { webhook: hook.id, event: ev.id, attempt: 1 });
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
    const body = payloadOf(ws, ev);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'commsim-webhooks',
      'x-sim-signature': sign(hook.secret, body),
      'x-sim-event': ev.type,
      'x-sim-delivery': `${ev.id}.${attempt}`,
      'x-sim-workspace': ws.id,
    };
    // The HTTP call runs off the request path and off the clock; its outcome is recorded when it lands.
    const poster = ws.runtime.poster;
    void poster(hook.url, { headers, body }).then(
      (status) => settle(ws, hook, ev, attempt, status >= 200 && status < 300, status, null),
      (err: unknown) => settle(ws, hook, ev, attempt, false, null, err instanceof Error ? err.message : String(err)),
    );
  },
};

function settle(
  ws: Workspace,
  hook: Webhook,
  ev: SimEvent,
  attempt: number,
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
      event_id: ev.id,
      event_type: ev.type,
      attempt,
      ok,
      status,
      error,
      next_attempt_at: nextAt === null ? null : new Date(nextAt).toISOString(),
    });
    if (retry) ws.schedule(WEBHOOK_DELIVER, nextAt!, { webhook: hook.id, event: ev.id, attempt: attempt + 1 });
  });
  ws.afterChange();
}
