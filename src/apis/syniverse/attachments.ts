// Attachments' content and access tokens: the bytes live apart from the metadata (lists stay
// small); an access token opens one resource (an attachment's content URL, a contact) until it
// expires, and is a credential of the workspace meanwhile.
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { accessTokenKey } from './auth.js';
import { synFixtures, type SynCollections } from './collections.js';
import { API_ID } from './style.js';

/** Access tokens (`/access_tokens`); attachment ones carry `_resource: ATTACHMENT` and `_resource_id`. */
export const tokenTable = (ws: Workspace) => ws.table<Rec>(API_ID, 'access_tokens');
/** Attachment bytes (base64), apart from the metadata so lists stay small. */
export const contentTable = (ws: Workspace) => ws.table<Rec>(API_ID, 'attachment_contents');

/** A new access token for a resource, valid `ttlSeconds` (default from the fixtures), bound for the content URL. */
export function issueAccessToken(ws: Workspace, c: SynCollections, resource: string | null, resourceId: string | null, expiresAt?: number): string {
  // The token alone authenticates the content URL, so it must be unique across workspaces:
  // workspaces with the same seed draw the same random part, the workspace id tells them apart.
  const token = `${ws.id}.${ws.rng.base64url(32)}`;
  const at = expiresAt ?? ws.now() + synFixtures(ws).limits.accessTokenTtlSeconds * 1000;
  c.accessTokens.insert(ws, { expiry_time: new Date(at).toISOString(), _resource: resource, _resource_id: resourceId }, { id: token });
  ws.runtime.bindKey(API_ID, accessTokenKey(token), ws);
  return token;
}

/** The stored bytes of an attachment, as text (CSV imports). */
export function attachmentText(ws: Workspace, attachmentId: string): string {
  return Buffer.from(String(contentTable(ws).peek(attachmentId)?.data ?? ''), 'base64').toString('utf8');
}

/** Stores bytes as an attachment's content. */
export function storeContent(ws: Workspace, attachmentId: string, bytes: Uint8Array | string): number {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
  contentTable(ws).put({ id: attachmentId, data: buf.toString('base64') });
  return buf.length;
}
