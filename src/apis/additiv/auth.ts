// additiv authentication: `Authorization: Bearer <token>`. A workspace has three tokens: two
// back-office members (the initiator and a reviewer of change requests) and an app (not subject
// to approval). The token names the workspace and the caller.
import type { AuthSuccess, RequestHeaders } from '../../core/api.js';
import { SimError } from '../../core/errors.js';
import type { Runtime } from '../../core/runtime.js';
import type { Workspace } from '../../core/workspace.js';
import { additivFixtures, API_ID, TOKEN_NAMES, type TokenName } from './style.js';

export type Principal =
  | { kind: 'member'; memberId: number; uid: string; name: string }
  | { kind: 'app'; uid: string; name: string };

/** The caller a token of `ws` stands for. */
export function principalOf(ws: Workspace, token: TokenName): Principal {
  const f = additivFixtures(ws);
  const m = f.members.find((x) => x.token === token);
  if (m) return { kind: 'member', memberId: m.id, uid: m.uid, name: m.name };
  return { kind: 'app', uid: f.app.uid, name: f.app.name };
}

export function authenticate(runtime: Runtime, headers: RequestHeaders): AuthSuccess {
  const header = headers.get('authorization');
  if (!header || !header.trim()) throw new SimError('unauthorized', 'missing Authorization header (expected "Bearer <token>")');
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new SimError('unauthorized', 'the Authorization header must be "Bearer <token>"');
  const hint = headers.get('x-sim-workspace');
  const found = runtime.findByCredential(API_ID, m[1], hint);
  if (found.length !== 1) throw new SimError('unauthorized', hint ? `the token is not valid for workspace ${hint}` : 'unknown bearer token');
  const ws = found[0];
  const creds = ws.credentials[API_ID] ?? {};
  const name = TOKEN_NAMES.find((n) => creds[n] === m[1]);
  if (!name) throw new SimError('unauthorized', 'unknown bearer token');
  return { ws, principal: principalOf(ws, name) };
}
