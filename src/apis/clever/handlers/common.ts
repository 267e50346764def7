// HTTP helpers shared by the Clevermultimedias handlers: the `{"datas": {...}}` wrapper (or its
// one-element array form), the caller, and small value readers.
import type { HandlerContext } from '../../../core/api.js';
import { invalid } from '../../../core/errors.js';
import type { Principal } from '../accounts.js';

export type Datas = Record<string, unknown>;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The request parameters: `datas`, or the single object of a `datas` array (seed 3.16 capture). */
export function datasOf(ctx: HandlerContext): Datas {
  const d = isObject(ctx.body) ? ctx.body.datas : undefined;
  const obj = Array.isArray(d) ? d[0] : d;
  if (!isObject(obj)) throw invalid(`the body must be {"datas": {...}}`, { field: 'datas' });
  return obj;
}

export function principalOf(ctx: HandlerContext): Principal {
  return ctx.principal as Principal;
}

/** A string parameter, undefined when absent (null counts as absent). */
export function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** The first defined value among aliases (the spec fixes their priority). */
export function firstOf(d: Datas, ...names: string[]): unknown {
  for (const n of names) if (d[n] !== undefined && d[n] !== null) return d[n];
  return undefined;
}

/** An integer path parameter (the schema already checked it). */
export function intParam(ctx: HandlerContext, name: string): number {
  const n = Number(ctx.params[name]);
  if (!Number.isInteger(n) || n < 1) throw invalid(`path parameter '${name}' must be an integer ("doit être un entier")`, { field: name });
  return n;
}

/**
 * 204 without body. The body is `null` rather than absent: the router writes no body for a 204
 * either way, and strict-mode response validation checks a 204's (absent) content as null.
 */
export const NO_CONTENT = { status: 204, body: null } as const;
