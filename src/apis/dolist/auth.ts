// Dolist authentication and tenancy. The key comes in the `X-API-Key` header (any case; the
// public clients of the production API send it there) or an `apikey` query parameter; a missing
// or unknown key is 401. A key names the workspace and the accounts it may use: `AccountID`
// (query, or the path of /accounts/{AccountID}/...) must be one of them, else 403 [6]. The
// account check runs with the handler (after request validation), so a refused request still
// carries the rate-limit headers and is journaled.
import type { AuthSuccess, Handler, HandlerContext, RequestHeaders } from '../../core/api.js';
import { SimError } from '../../core/errors.js';
import type { Runtime } from '../../core/runtime.js';
import { dolistError } from './error-catalogue.js';
import { API_ID, dolistFixtures, KEY_NAMES, type KeyName } from './style.js';

export interface Principal {
  key: KeyName;
  /** The accounts this key may use. */
  accounts: number[];
}

function keyOf(headers: RequestHeaders, query: Record<string, string>): string | undefined {
  const h = headers.get('x-api-key');
  if (h !== undefined && h.trim()) return h.trim();
  for (const k in query) if (k.toLowerCase() === 'apikey' && query[k].trim()) return query[k].trim();
  return undefined;
}

export function authenticate(runtime: Runtime, headers: RequestHeaders, query: Record<string, string>): AuthSuccess {
  const key = keyOf(headers, query);
  if (!key) throw new SimError('unauthorized', 'The X-API-Key header is missing: every request needs the account\'s API key.');
  const hint = headers.get('x-sim-workspace');
  const found = runtime.findByCredential(API_ID, key, hint);
  if (found.length !== 1) throw new SimError('unauthorized', hint ? `The API key is not valid for workspace ${hint}.` : 'The API key is not valid.');
  const ws = found[0];
  const creds = ws.credentials[API_ID] ?? {};
  const name = KEY_NAMES.find((n) => creds[n] === key);
  if (!name) throw new SimError('unauthorized', 'The API key is not valid.');
  return { ws, principal: { key: name, accounts: dolistFixtures(ws).keys[name] ?? [] } satisfies Principal };
}

export const principalOf = (ctx: HandlerContext) => ctx.principal as Principal;

/** The request's AccountID must be an account of the key (403 [6]); operations without one pass. */
export function checkAccount(ctx: HandlerContext): void {
  const v = ctx.query.AccountID ?? ctx.params.AccountID;
  if (v === undefined) return;
  const id = Number(v);
  if (!principalOf(ctx).accounts.includes(id)) throw dolistError('6', `AccountID ${v} is not an account of this API key`, 'AccountID');
}

/** Every handler, behind the account check. */
export function withAccountCheck(handlers: Record<string, Handler>): Record<string, Handler> {
  const out: Record<string, Handler> = {};
  for (const [id, h] of Object.entries(handlers)) {
    out[id] = (ctx) => {
      checkAccount(ctx);
      return h(ctx);
    };
  }
  return out;
}
