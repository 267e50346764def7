// SCG authentication: `Authorization: Bearer <token>`; the token names the workspace (and its
// application). Attachment content URLs carry their own access token instead.
import type { AuthSuccess, RequestHeaders } from '../../core/api.js';
import { SimError } from '../../core/errors.js';
import type { Runtime } from '../../core/runtime.js';
import { API_ID } from './style.js';

/** Credential-index key of an attachment access token. */
export const accessTokenKey = (token: string) => `access-token:${token}`;

export function authenticate(runtime: Runtime, headers: RequestHeaders, params: Record<string, string>): AuthSuccess {
  const hint = headers.get('x-sim-workspace');
  const pathToken = params.AccessToken;
  if (pathToken !== undefined) {
    const [ws] = runtime.findByCredential(API_ID, accessTokenKey(pathToken), hint);
    if (!ws) throw new SimError('unauthorized', 'unknown or expired access token');
    return { ws };
  }
  const header = headers.get('authorization');
  if (!header) throw new SimError('unauthorized', 'missing Authorization header (expected "Bearer <token>")');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new SimError('unauthorized', 'the Authorization header must be "Bearer <token>"');
  const found = runtime.findByCredential(API_ID, m[1], hint);
  if (found.length !== 1) throw new SimError('unauthorized', hint ? `the token is not valid for workspace ${hint}` : 'unknown access token');
  return { ws: found[0] };
}
