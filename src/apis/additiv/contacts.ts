// Contacts: int id + uId, a contact type, a username (unique across contacts, case-insensitively),
// schema-driven details, external connections (externalId unique across all contacts), a profile
// picture, pending communication channels and the anonymized flag. Details updates are diffed
// path by path: a member's change of an approval-required path becomes a change request (one
// pending per contact), the rest applies at once and is recorded in the change history; a new
// primary email or mobile is not written but starts a verification of that channel. No HTTP.
import { Collection } from '../../core/engine/collection.js';
import { uuid } from '../../core/engine/ids.js';
import { shapeFromKinds } from '../../core/engine/shape.js';
import { invalid, notFound, SimError } from '../../core/errors.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import type { Principal } from './auth.js';
import { createChangeRequest, pendingChangeRequestOf } from './change-requests.js';
import { recordChangeSet, type Initiator } from './history.js';
import { contactSchema, fieldOf, flatten, getPath, unflatten, validateDetails, valueText, type Details } from './schemas.js';
import { additivFixtures, style } from './style.js';
import { startVerification, type Channel, type PendingChannel } from './verification.js';

export interface ExternalConnection {
  externalId: string;
  system: string;
}

export interface ContactRec extends Rec {
  uId: string;
  contactTypeId: number;
  username: string | null;
  /** The username in lower case (the uniqueness key). */
  usernameKey: string | null;
  details: Details;
  externalConnections: ExternalConnection[];
  /** Every externalId of the contact (indexed: unique across contacts). */
  externalIds: string[];
  picture: string | null;
  pending: Partial<Record<Channel, PendingChannel>>;
  anonymized: boolean;
  correlationId: string | null;
  /** The member the contact is directly accessible to (null: every member). */
  ownerMemberId: number | null;
}

/** One changed leaf of a details update. */
export interface ChangeDetail {
  path: string;
  originalValue: string | null;
  targetValue: string | null;
  isApprovalRequired: boolean;
}

export interface Change extends ChangeDetail {
  /** The new value as written (null: removed). */
  value: unknown;
}

export const contacts = new Collection<ContactRec>({
  api: style,
  name: 'contacts',
  label: 'contact',
  shape: shapeFromKinds({
    id: 'integer', uId: 'string', contactTypeId: 'integer', username: 'string', usernameKey: 'string', details: 'object', externalConnections: 'objectArray',
    externalIds: 'stringArray', picture: 'string', pending: 'object', anonymized: 'boolean', correlationId: 'string', ownerMemberId: 'integer',
  }),
  indexes: ['uId', 'usernameKey', 'externalIds'],
  errorField: 'contactId',
  notFoundMessage: (id) => `contact ${id} not found`,
});

const table = (ws: Workspace) => contacts.table(ws);
const save = (ws: Workspace, rec: ContactRec) => table(ws).touch(rec);

/** The contact for changing (404 when unknown). */
export const contactForUpdate = (ws: Workspace, id: number | string) => contacts.get(ws, Number(id));
/** The contact for reading. */
export const contactView = (ws: Workspace, id: number | string) => contacts.view(ws, Number(id));

export function contactByUid(ws: Workspace, uid: string): ContactRec | undefined {
  return table(ws).lookup('uId', uid.toLowerCase())[0];
}

/** The name used in references: displayName, else first + last name, else the username. */
export function contactName(c: ContactRec): string | null {
  const pi = (c.details.personalInformation ?? {}) as Record<string, unknown>;
  if (typeof pi.displayName === 'string' && pi.displayName) return pi.displayName;
  const full = [pi.firstName, pi.lastName].filter((x) => typeof x === 'string' && x).join(' ');
  return full || c.username;
}

export const contactRef = (c: ContactRec) => ({ id: Number(c.id), uId: c.uId, name: contactName(c) });

export function assertUsernameFree(ws: Workspace, username: string, self?: ContactRec): void {
  const clash = table(ws).lookup('usernameKey', username.toLowerCase()).find((c) => c.id !== self?.id);
  if (clash) throw new SimError('duplicate', `the username '${username}' is not unique (it belongs to contact ${clash.id})`, { code: 'UsernameNotUnique', field: 'username' });
}

function setUsername(ws: Workspace, c: ContactRec, username: string | null): void {
  if (username !== null) assertUsernameFree(ws, username, c);
  c.username = username;
  c.usernameKey = username === null ? null : username.toLowerCase();
}

/** The path of the field with a communication alias in the contact schema. */
export function aliasPath(ws: Workspace, alias: 'PrimaryEmail' | 'PrimaryMobile'): string | undefined {
  return contactSchema(ws).fields.find((f) => f.alias === alias)?.key;
}

export interface NewContact {
  contactTypeId?: number | null;
  username?: string | null;
  details: unknown;
  correlationId?: string | null;
  externalConnections?: ExternalConnection[];
  /** The member who gets direct access (the creating member; null for an app). */
  ownerMemberId?: number | null;
}

/** A new contact (details complete and valid; the username unique). */
export function createContact(ws: Workspace, input: NewContact, opts: { id?: number; uId?: string } = {}): ContactRec {
  const f = additivFixtures(ws);
  const contactTypeId = input.contactTypeId ?? f.contactTypes[0];
  if (!f.contactTypes.includes(contactTypeId)) throw invalid(`contactTypeId ${contactTypeId} is not a contact type (known: ${f.contactTypes.join(', ')})`, { field: 'contactTypeId' });
  const schema = contactSchema(ws);
  validateDetails(ws, schema, input.details, { complete: true, member: false });
  const details = unflatten(flatten(input.details));
  let username = input.username ?? null;
  if (username !== null && !username.trim()) throw invalid(`'username' must not be empty`, { field: 'username' });
  if (f.usernameCoupledWithEmail && username === null) {
    const p = aliasPath(ws, 'PrimaryEmail');
    const email = p ? getPath(details, p) : undefined;
    if (typeof email === 'string') username = email;
  }
  if (username !== null) assertUsernameFree(ws, username);
  const conns = input.externalConnections ?? [];
  for (const c of conns) assertExternalIdFree(ws, c.externalId);
  return contacts.insert(
    ws,
    {
      uId: opts.uId ?? uuid(ws),
      contactTypeId,
      username,
      usernameKey: username?.toLowerCase() ?? null,
      details,
      externalConnections: conns.map((c) => ({ ...c })),
      externalIds: conns.map((c) => c.externalId),
      picture: null,
      pending: {},
      anonymized: false,
      correlationId: input.correlationId ?? null,
      ownerMemberId: input.ownerMemberId ?? null,
    },
    opts.id !== undefined ? { id: opts.id } : {},
  );
}

// ---- details updates ---------------------------------------------------------------------------

/** The changed leaves between two flattened details (in the order of the new, then removed ones). */
export function diffDetails(ws: Workspace, before: Map<string, unknown>, after: Map<string, unknown>): Change[] {
  const fields = contactSchema(ws).fields;
  const out: Change[] = [];
  const paths = [...new Set([...after.keys(), ...before.keys()])];
  for (const path of paths) {
    const a = valueText(before.get(path));
    const b = valueText(after.get(path));
    if (a === b) continue;
    out.push({ path, originalValue: a, targetValue: b, isApprovalRequired: fieldOf(fields, path)?.isApprovalRequired ?? false, value: after.get(path) ?? null });
  }
  return out;
}

export interface UpdateOutcome {
  isApprovalRequired: boolean;
  hasPendingEmail: boolean;
  hasPendingMobile: boolean;
  changeRequestId: number | null;
  applied: ChangeDetail[];
}

export const pendingFlags = (c: ContactRec) => ({ hasPendingEmail: Boolean(c.pending.Email), hasPendingMobile: Boolean(c.pending.Mobile) });

/**
 * PATCH (merge: only the paths sent, null removes) or PUT (the whole details). A member's
 * changes of approval-required paths go to a new pending change request (400 when one is already
 * pending); everything else applies now. An app is not subject to approval.
 */
export function updateDetails(ws: Workspace, c: ContactRec, details: unknown, opts: { mode: 'patch' | 'put'; principal: Principal; comment?: string | null }): UpdateOutcome {
  const schema = contactSchema(ws);
  const before = flatten(c.details);
  const member = opts.principal.kind === 'member';
  const sent = validateDetails(ws, schema, details, { complete: opts.mode === 'put', member, before });
  const after = opts.mode === 'put' ? sent : new Map([...before, ...sent]);
  const changes = diffDetails(ws, before, after);
  const held = member ? changes.filter((ch) => ch.isApprovalRequired) : [];
  const now = member ? changes.filter((ch) => !ch.isApprovalRequired) : changes;
  let changeRequestId: number | null = null;
  if (held.length) {
    const pending = pendingChangeRequestOf(ws, c);
    if (pending) {
      throw new SimError('state', `contact ${c.id} already has a pending change request (${pending.id}): it must be reviewed or cancelled before another change that requires approval`, { field: 'details' });
    }
    changeRequestId = createChangeRequest(ws, c, held, opts.principal as Extract<Principal, { kind: 'member' }>, opts.comment ?? null);
  }
  const applied = applyChanges(ws, c, now, opts.principal);
  return { isApprovalRequired: held.length > 0, ...pendingFlags(c), changeRequestId, applied };
}

/**
 * Writes changes to the contact. A new primary email/mobile (the schema field's alias) is held
 * as a pending channel with a key sent to it; the other paths are written and recorded as one
 * change set of the history (executed now, by `initiator`).
 */
export function applyChanges(ws: Workspace, c: ContactRec, changes: Change[], initiator: Initiator, changeRequestId: number | null = null): ChangeDetail[] {
  const fields = contactSchema(ws).fields;
  const written: Change[] = [];
  for (const ch of changes) {
    const alias = fieldOf(fields, ch.path)?.alias;
    if ((alias === 'PrimaryEmail' || alias === 'PrimaryMobile') && ch.value !== null && ch.value !== undefined) {
      startVerification(ws, c, alias === 'PrimaryEmail' ? 'Email' : 'Mobile', ch.path, ch.value);
      continue;
    }
    written.push(ch);
  }
  if (!written.length) {
    save(ws, c);
    return [];
  }
  writeLeaves(ws, c, written.map((ch) => [ch.path, ch.value]));
  const details = written.map(({ path, originalValue, targetValue, isApprovalRequired }) => ({ path, originalValue, targetValue, isApprovalRequired }));
  recordChangeSet(ws, c, details, initiator, changeRequestId);
  return details;
}

/** Sets (or, for null, removes) leaves of the details; a coupled username follows the primary email. */
export function writeLeaves(ws: Workspace, c: ContactRec, leaves: Array<[string, unknown]>): void {
  const all = flatten(c.details);
  for (const [path, v] of leaves) {
    if (v === null || v === undefined) all.delete(path);
    else all.set(path, v);
  }
  c.details = unflatten(all);
  if (additivFixtures(ws).usernameCoupledWithEmail) {
    const p = aliasPath(ws, 'PrimaryEmail');
    const email = p ? getPath(c.details, p) : undefined;
    if (typeof email === 'string' && email !== c.username) setUsername(ws, c, email);
  }
  save(ws, c);
}

// ---- username, external connections, picture ------------------------------------------------

export function updateUsername(ws: Workspace, c: ContactRec, username: string | null | undefined): void {
  if (additivFixtures(ws).usernameCoupledWithEmail) throw invalid('the username is coupled with the primary email: change the email instead', { field: 'username' });
  if (typeof username !== 'string' || !username.trim()) throw invalid(`'username' is required`, { field: 'username' });
  setUsername(ws, c, username.trim());
  save(ws, c);
}

export function assertExternalIdFree(ws: Workspace, externalId: string, self?: ContactRec): void {
  const clash = table(ws).lookup('externalIds', externalId).find((x) => x.id !== self?.id);
  if (clash) throw invalid(`externalId '${externalId}' is already used by contact ${clash.id}`, { field: 'externalId' });
}

/** Adds a connection; externalIds are unique across contacts whatever the system (the same pair again is a no-op). */
export function addExternalConnection(ws: Workspace, c: ContactRec, input: { externalId?: string | null; system?: string | null }): void {
  const externalId = input.externalId?.trim();
  const system = input.system?.trim();
  if (!externalId) throw invalid(`'externalId' is required`, { field: 'externalId' });
  if (!system) throw invalid(`'system' is required`, { field: 'system' });
  if (c.externalConnections.some((x) => x.externalId === externalId && x.system.toLowerCase() === system.toLowerCase())) return;
  assertExternalIdFree(ws, externalId, c);
  if (c.externalIds.includes(externalId)) throw invalid(`externalId '${externalId}' is already connected to this contact for another system`, { field: 'externalId' });
  c.externalConnections = [...c.externalConnections, { externalId, system }];
  c.externalIds = [...c.externalIds, externalId];
  save(ws, c);
}

export function contactByExternalConnection(ws: Workspace, system: string, externalId: string): ContactRec {
  const c = table(ws).lookup('externalIds', externalId).find((x) => x.externalConnections.some((e) => e.externalId === externalId && e.system.toLowerCase() === system.toLowerCase()));
  if (!c) throw notFound(`no contact has the external connection ${system}/${externalId}`, { field: 'externalId' });
  return c;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function setPicture(ws: Workspace, c: ContactRec, base64: string | null | undefined): void {
  if (base64 === null || base64 === undefined) {
    c.picture = null;
  } else {
    const v = base64.replace(/^data:image\/[a-z+]+;base64,/, '').replace(/\s+/g, '');
    if (!v || v.length % 4 !== 0 || !BASE64.test(v)) throw invalid(`'imageContentBase64' must be base64-encoded image content`, { field: 'imageContentBase64' });
    c.picture = v;
  }
  save(ws, c);
}

export function pictureOf(ws: Workspace, c: ContactRec) {
  return c.picture ? { imageContentBase64: c.picture, isDefaultImage: false } : { imageContentBase64: additivFixtures(ws).defaultProfileImageBase64, isDefaultImage: true };
}

export function deletePicture(ws: Workspace, c: ContactRec): void {
  if (c.picture === null) return;
  c.picture = null;
  save(ws, c);
}

// ---- anonymization -----------------------------------------------------------------------------

/** The contacts named by ids and uIds (400 naming the first unknown one; nothing changes then). */
export function contactsToAnonymize(ws: Workspace, ids: number[] | null | undefined, uids: string[] | null | undefined): ContactRec[] {
  if (!ids?.length && !uids?.length) throw invalid(`'contactIds' or 'contactUIds' must name at least one contact`, { field: 'contactIds' });
  const out = new Map<string, ContactRec>();
  for (const id of ids ?? []) {
    const c = contacts.find(ws, id);
    if (!c) throw invalid(`contactIds: contact ${id} not found`, { field: 'contactIds' });
    out.set(c.id, c);
  }
  for (const uid of uids ?? []) {
    const found = contactByUid(ws, uid);
    if (!found) throw invalid(`contactUIds: contact ${uid} not found`, { field: 'contactUIds' });
    out.set(found.id, contacts.get(ws, Number(found.id)));
  }
  return [...out.values()];
}

/** Replaces the personal data: string leaves by the fixtures' token, other leaves removed. */
export function anonymizeContact(ws: Workspace, c: ContactRec): void {
  const token = additivFixtures(ws).anonymizedValue;
  const leaves = flatten(c.details);
  const next = new Map<string, unknown>();
  for (const [p, v] of leaves) if (typeof v === 'string') next.set(p, token);
  c.details = unflatten(next);
  c.username = null;
  c.usernameKey = null;
  c.externalConnections = [];
  c.externalIds = [];
  c.picture = null;
  c.pending = {};
  c.anonymized = true;
  save(ws, c);
}

export function loadContacts(ws: Workspace): void {
  for (const fx of additivFixtures(ws).contacts) {
    createContact(ws, { contactTypeId: fx.contactTypeId, username: fx.username, details: fx.details, externalConnections: fx.externalConnections, ownerMemberId: fx.ownerMemberId ?? null }, { id: fx.id, uId: fx.uId });
  }
}

/**
 * The contacts a member may see: those directly accessible (owned by the member, or by nobody),
 * and unless `excludeHierarchy` those of the members below it. null: every contact (an app).
 */
export function accessibleContactIds(ws: Workspace, memberId: number | null, excludeHierarchy: boolean): Set<number> | null {
  if (memberId === null) return null;
  const members = additivFixtures(ws).members;
  const owners = new Set<number>([memberId]);
  if (!excludeHierarchy) {
    const queue = [memberId];
    while (queue.length) {
      const m = members.find((x) => x.id === queue.shift());
      for (const s of m?.subordinateMemberIds ?? []) if (!owners.has(s)) owners.add(s) && queue.push(s);
    }
  }
  const out = new Set<number>();
  for (const c of table(ws).scan()) if (c.ownerMemberId === null || owners.has(c.ownerMemberId)) out.add(Number(c.id));
  return out;
}

