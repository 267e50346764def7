// Request budgets per API key, as a vendor's gateway counts them (Dolist sends
// X-Rate-Limit-Remaining / X-Rate-Limit-Reset and production clients pace themselves on them).
// Windows are fixed and aligned on the workspace clock (a test that advances the clock sees the
// budget come back). What was spent is not part of a request's transaction: a refused request
// costs its budget too, as at the vendor. The budget of a workspace is the API's default
// (fixtures, a scenario's fixtures) unless the control API set one
// (`PUT /_sim/workspaces/{ws}/rate-limit/{api}`), which is kept in the workspace's state.
import { invalid, SimError } from './errors.js';
import type { Workspace } from './workspace.js';

export interface RateBudget {
  /** Requests per window (0: every request refused). */
  limit: number;
  windowMs: number;
}

export interface RateLimitSpec {
  /** The API's default budget in a workspace (null: unlimited). */
  budget(ws: Workspace): RateBudget | null;
  /** Who spends the budget: the caller's key, from what authenticate() resolved. */
  key(principal: unknown): string;
  /** Response header names. */
  headers: { remaining: string; reset: string; limit?: string };
  /** The refusal's message. */
  message?(budget: RateBudget, resetAt: number): string;
}

const OVERRIDES = '_ratelimits';

interface Override {
  [key: string]: unknown;
  id: string;
  limit: number;
  windowMs: number;
}

/**
 * What each key spent in its current window: a meta value of the workspace, so that it is kept
 * across a restart and, on a shared store, spent from by every instance of the fleet. It is left
 * out of snapshots: an imported workspace starts with full budgets.
 */
export const RATE_SPENT_META = 'rateLimitSpent';

type Spent = Record<string, { window: number; used: number }>;

function spentOf(ws: Workspace): Spent {
  let o = ws.doc.getMeta<Spent>(RATE_SPENT_META);
  if (!o) ws.doc.setMeta(RATE_SPENT_META, (o = {}));
  return o;
}

export function budgetOf(ws: Workspace, api: string, spec: RateLimitSpec): RateBudget | null {
  const o = ws.doc.table<Override>(OVERRIDES).get(api);
  if (o) return { limit: o.limit, windowMs: o.windowMs };
  return spec.budget(ws);
}

/** Sets (or with null, clears) a workspace's budget for an API. */
export function setBudget(ws: Workspace, api: string, body: Record<string, unknown> | null): void {
  const t = ws.doc.table<Override>(OVERRIDES);
  if (body === null) {
    t.remove(api);
    return;
  }
  const limit = body.limit;
  const windowMs = body.windowMs;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) throw invalid('limit must be an integer >= 0', { field: 'limit' });
  if (typeof windowMs !== 'number' || !Number.isInteger(windowMs) || windowMs < 1) throw invalid('windowMs must be an integer >= 1', { field: 'windowMs' });
  t.put({ id: api, limit, windowMs });
  ws.doc.setMeta(RATE_SPENT_META, {});
}

export interface RateState {
  limit: number;
  remaining: number;
  /** Epoch ms (workspace clock) when the window ends. */
  resetAt: number;
}

/** The budget's state for a key without spending (control API). */
export function peek(ws: Workspace, api: string, spec: RateLimitSpec, key: string): RateState | null {
  const b = budgetOf(ws, api, spec);
  if (!b) return null;
  const window = Math.floor(ws.now() / b.windowMs);
  const s = spentOf(ws)[`${api}/${key}`];
  const used = s && s.window === window ? s.used : 0;
  return { limit: b.limit, remaining: Math.max(0, b.limit - used), resetAt: (window + 1) * b.windowMs };
}

/**
 * Spends one request of `key`'s budget. Returns the headers every response carries, and the
 * refusal to throw when the budget is spent (the headers then say 0 remaining).
 */
export function spend(ws: Workspace, api: string, spec: RateLimitSpec, key: string): { headers: Record<string, string>; refusal?: SimError } | null {
  const b = budgetOf(ws, api, spec);
  if (!b) return null;
  const now = ws.now();
  const window = Math.floor(now / b.windowMs);
  const byKey = spentOf(ws);
  const k = `${api}/${key}`;
  let s = byKey[k];
  if (!s || s.window !== window) byKey[k] = s = { window, used: 0 };
  const resetAt = (window + 1) * b.windowMs;
  const allowed = s.used < b.limit;
  if (allowed) {
    s.used++;
    ws.doc.touchMeta(RATE_SPENT_META);
  }
  const headers: Record<string, string> = {
    [spec.headers.remaining]: String(Math.max(0, b.limit - s.used)),
    [spec.headers.reset]: String(resetAt),
  };
  if (spec.headers.limit) headers[spec.headers.limit] = String(b.limit);
  if (allowed) return { headers };
  const message = spec.message?.(b, resetAt) ?? `rate limit exceeded: ${b.limit} requests per ${b.windowMs} ms; the budget is back at ${new Date(resetAt).toISOString()}`;
  return { headers: { ...headers, 'retry-after': String(Math.max(1, Math.ceil((resetAt - now) / 1000))) }, refusal: new SimError('rate_limited', message, { resetAt }) };
}
