// Clevermultimedias authentication: HTTP Basic `base64(login:password)`. The seed literally says
// `Authorization : base_64(identifiant:mot_de_passe)` while every capture sends `Basic ...`, so
// both forms are accepted. The credential index maps `login:password` to workspaces; the
// principal (manager or user) is resolved inside the workspace. The 430 of an expired account
// depends on the operation (GET /api/account/me stays readable), so it is checked by the
// module's authenticate (index.ts), which knows the operation, not here.
import type { AuthSuccess, RequestHeaders } from '../../core/api.js';
import { SimError } from '../../core/errors.js';
import type { Runtime } from '../../core/runtime.js';
import { credentialKey, principalFor } from './accounts.js';
import { API_ID } from './style.js';

const unauthorized = (why: string) => new SimError('unauthorized', why, { field: 'authentication' });

/** `login:password` from the header value, or an explanation of why not. */
export function parseBasic(header: string | undefined): { login: string; password: string } {
  if (!header || !header.trim()) throw unauthorized('missing Authorization header (expected "Basic base64(login:password)")');
  const m = /^\s*(?:Basic\s+)?([A-Za-z0-9+/_-]+={0,2})\s*$/i.exec(header);
  if (!m) throw unauthorized('the Authorization header must be "Basic base64(login:password)" (or the bare base64 value)');
  const decoded = Buffer.from(m[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw unauthorized('the Authorization value does not decode to "login:password"');
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function authenticate(runtime: Runtime, headers: RequestHeaders): AuthSuccess {
  const { login, password } = parseBasic(headers.get('authorization'));
  const hint = headers.get('x-sim-workspace');
  const found = runtime.findByCredential(API_ID, credentialKey(login, password), hint);
  // Users are created by clients, so two workspaces may hold the same login and password (the
  // same test run twice). Without X-Sim-Workspace the most recently bound one answers.
  for (let i = found.length - 1; i >= 0; i--) {
    const principal = principalFor(found[i], login, password);
    if (principal) return { ws: found[i], principal };
  }
  throw unauthorized(hint ? `wrong login or password for workspace ${hint}` : 'wrong login or password');
}
