// What the platform handlers share: computed lists in the style's envelope (paged by Offset and
// Limit like the collections' lists), the request's application, the caller's key.
import type { HandlerContext, HandlerResult } from '../../../core/api.js';
import { envelope, pageArray } from '../../../core/engine/query.js';
import { findAccount } from '../accounts.js';
import { applicationIds, requireApplication } from '../applications.js';
import { principalOf } from '../auth.js';
import { style } from '../style.js';

/** A list the domain computed, paged as the request asks, `{ItemList, Total}`. */
export function listResult(ctx: HandlerContext, items: readonly unknown[], input: Record<string, unknown> = ctx.query): HandlerResult {
  const { items: page, page: info } = pageArray(style.list, items, input);
  return { status: 200, body: envelope(style.list, page, info) };
}

/** The request's `ApplicationID` (404 [8] when no such application). */
export function applicationOf(ctx: HandlerContext): number {
  const id = Number(ctx.query.ApplicationID);
  requireApplication(ctx.ws, id);
  return id;
}

/** The optional `ApplicationID` of the request, checked when given. */
export function optionalApplication(ctx: HandlerContext): number | undefined {
  return ctx.query.ApplicationID === undefined ? undefined : applicationOf(ctx);
}

/** The caller's key name and the accounts it may use. */
export const callerOf = (ctx: HandlerContext) => principalOf(ctx);

/** A JSON object body (absent: `{}`). */
export const bodyOf = (ctx: HandlerContext): Record<string, any> => (ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? ctx.body : {});

/** An account as a user (or the key) sees it, with its function there. */
export function userAccount(ctx: HandlerContext, accountId: number, fn: string) {
  const a = findAccount(ctx.ws, accountId)!;
  return { AccountID: a.ID, Name: a.Name, CompanyName: a.CompanyName, UserFunction: fn, ApplicationIDList: applicationIds(ctx.ws) };
}
