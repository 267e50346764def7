// HTTP helpers shared by the additiv handlers: the caller, the request language, search bodies.
import type { Handler, HandlerContext } from '../../../core/api.js';
import type { Principal } from '../auth.js';
import { languageOf } from '../style.js';

export const callerOf = (ctx: { principal: unknown }) => ctx.principal as Principal;

/** The request's language (`?language=`, else Accept-Language, else the default). */
export const langOf = (ctx: Pick<HandlerContext, 'ws' | 'query' | 'headers'>) => languageOf(ctx.ws, ctx.query as Record<string, unknown>, ctx.headers.get('accept-language'));

/** A search DTO without its unset criteria (null, or an empty list: no condition). */
export function criteriaOf(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

/** A declared list whose criteria are read without their unset values. */
export const withCriteria = (h: Handler): Handler => (ctx) => h({ ...ctx, body: criteriaOf(ctx.body), query: criteriaOf(ctx.query) });
