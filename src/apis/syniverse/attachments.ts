// Attachments' content and access tokens, as plain functions (no HTTP): the bytes live apart from
// the metadata (lists stay small); an access token opens one resource (an attachment's content
// URL, a contact) until it expires, and is a credential of the workspace meanwhile.
//
//   CREATED --upload (<= attachmentBytes, type matching)--> UPLOADED --delete (content only)--> CREATED
//
// `content_url` (public description) is the content URL of the attachment's latest access token;
// issuing a token is not a change of the attachment (its version stays).
import { parseTimestamp } from '../../core/clock.js';
import { invalid, notFound, SimError } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { accessTokenKey } from './auth.js';
import { synFixtures, type SynCollections } from './collections.js';
import { API_ID } from './style.js';

/** Where the content of an attachment is served (a path-level server of the spec). */
export const CONTENT_BASE = '/syniverse/scg-attachment/api/v1/messaging/attachments';

/** Access tokens (`/access_tokens`); attachment ones carry `_resource: ATTACHMENT` and `_resource_id`. */
export const tokenTable = (ws: Workspace) => ws.table<Rec>(API_ID, 'access_tokens');
/** Attachment bytes (base64), apart from the metadata so lists stay small. */
export const contentTable = (ws: Workspace) => ws.table<Rec>(API_ID, 'attachment_contents');

export const contentUrl = (token: string) => `${CONTENT_BASE}/${encodeURIComponent(token)}/content`;

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

/**
 * The expiry a client asks for with `expiry_time` (public description), undefined for the
 * default TTL; it must lie in the future.
 */
export function requestedExpiry(ws: Workspace, body: Record<string, unknown> | undefined): number | undefined {
  const raw = body?.expiry_time;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const at = parseTimestamp(raw);
  if (at === undefined) throw invalid(`body field 'expiry_time' must be an ISO 8601 timestamp or epoch milliseconds`, { field: 'expiry_time', reason: 'format' });
  if (at <= ws.now()) throw invalid(`expiry_time ${new Date(at).toISOString()} is not in the future`, { field: 'expiry_time' });
  return at;
}

/** POST /messaging/attachments/{id}/access_tokens: a token for the content URL, which becomes the attachment's content_url. */
export function attachmentToken(ws: Workspace, c: SynCollections, attachmentId: string, expiresAt?: number): string {
  const a = c.attachments.get(ws, attachmentId);
  const token = issueAccessToken(ws, c, 'ATTACHMENT', String(a.id), expiresAt);
  a.content_url = contentUrl(token);
  c.attachments.table(ws).touch(a);
  return token;
}

/** The attachment an access token opens (401 when unknown, expired or not an attachment's). */
export function attachmentOfToken(ws: Workspace, c: SynCollections, token: string): Rec {
  const row = tokenTable(ws).get(token);
  const exp = row ? parseTimestamp(row.expiry_time) : undefined;
  if (!row || (exp !== undefined && exp <= ws.now())) throw new SimError('unauthorized', 'the access token is unknown or expired; request a new one');
  if (row._resource !== 'ATTACHMENT') throw new SimError('unauthorized', 'this access token does not open an attachment');
  return c.attachments.get(ws, String(row._resource_id));
}

/** Stores uploaded bytes as the content of `a` (a fresh copy): size and type checked, UPLOADED. */
export function uploadContent(ws: Workspace, c: SynCollections, a: Rec, bytes: Uint8Array | undefined, contentType: string): Rec {
  if (!bytes || !bytes.length) throw invalid('the upload has no content: send the file as the multipart part or as the raw body');
  const limit = synFixtures(ws).limits.attachmentBytes;
  if (bytes.length > limit) throw new SimError('rule', `the content has ${bytes.length} bytes; the limit is ${limit}`, { code: '1019' });
  const partType = contentType.split(';')[0].trim().toLowerCase();
  if (a.type && partType && !['application/octet-stream', 'multipart/form-data'].includes(partType) && partType !== String(a.type).toLowerCase()) {
    throw invalid(`the content type ${partType} does not match the attachment type ${a.type}`);
  }
  storeContent(ws, String(a.id), bytes);
  Object.assign(a, { state: 'UPLOADED', size: bytes.length });
  return c.attachments.bump(ws, a);
}

/** The bytes of a JSON upload's `content-data` (public description): base64, standard or URL-safe. */
export function decodeContentData(value: unknown): Uint8Array | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw invalid(`body field 'content-data' must be the content in base64`, { field: 'content-data', reason: 'format' });
  }
  return new Uint8Array(Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64'));
}

/** The bytes and content type of an attachment's content (404 when none is uploaded). */
export function downloadContent(ws: Workspace, a: Rec): { data: Uint8Array; contentType: string } {
  const row = contentTable(ws).get(String(a.id));
  if (!row) throw notFound(`attachment ${a.id} has no content`);
  return { data: new Uint8Array(Buffer.from(String(row.data), 'base64')), contentType: String(a.type ?? 'application/octet-stream') };
}

/** DELETE /messaging/attachments/{id}: "deletes the content"; the metadata stays, back to CREATED (A6). */
export function clearContent(ws: Workspace, c: SynCollections, attachmentId: string): Rec {
  const a = c.attachments.get(ws, attachmentId);
  contentTable(ws).remove(String(a.id));
  Object.assign(a, { state: 'CREATED', size: 0 });
  return c.attachments.bump(ws, a);
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
