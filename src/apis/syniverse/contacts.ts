// Contacts of the SCG as recipients: the client's contact bodies, static and dynamic groups
// (members by id, or by the criteria grammar), and the directory the messaging simulator
// resolves `to`, `criteria` and consent through. Fast access attributes are in fast-access.ts,
// consent in consent.ts. Plain functions over the collections: no HTTP here.
import { invalid, notFound } from '../../core/errors.js';
import { toStringList } from '../../core/engine/collection.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { synFixtures, type SynCollections } from './collections.js';
import { consentRecord, setConsentByMessage } from './consent.js';
import { compile, parseCriteria } from './criteria.js';
import { writeFastAccess } from './fast-access.js';
import type { RecipientDirectory } from './messaging.js';

export function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** What a criteria entry may name: the contact's attributes (fast_access.<name> besides). */
export const contactAttributes = (c: SynCollections): ReadonlySet<string> => new Set(c.contacts.cfg.shape.fields);

/** The members of a group: its criteria's matches (DYNAMIC) or its listed contacts (STATIC), read-only. */
export function groupMembers(ws: Workspace, c: SynCollections, g: Rec): Rec[] {
  const contacts = c.contacts.table(ws);
  if (g.type === 'DYNAMIC' && g.criteria) {
    const p = compile(parseCriteria(g.criteria));
    return [...contacts.scan()].filter(p);
  }
  const ids = (g._members as string[]) ?? [];
  return ids.map((id) => contacts.peek(id)).filter((x): x is Rec => Boolean(x));
}

/** The address of a contact for the first kind of `priority` it has (MDN -> primary_mdn, EMAIL -> primary_email_addr). */
export function addressOf(contact: Rec, priority: string[]): string | undefined {
  for (const kind of priority.length ? priority : ['MDN']) {
    if (kind.toUpperCase() === 'MDN' && contact.primary_mdn) return String(contact.primary_mdn);
    if (kind.toUpperCase() === 'EMAIL' && contact.primary_email_addr) return String(contact.primary_email_addr);
  }
  return undefined;
}

/** Removes a contact and what hangs on it (group memberships, its tokens). */
export function removeContact(ws: Workspace, c: SynCollections, id: string): Rec {
  const rec = c.contacts.remove(ws, id);
  // Membership is not an attribute of the group: its version_number stays.
  for (const g of c.contactGroups.table(ws).filter((g) => ((g._members as string[]) ?? []).includes(String(rec.id)))) {
    g._members = (g._members as string[]).filter((x) => x !== rec.id);
    c.contactGroups.table(ws).touch(g);
  }
  for (const t of c.applicationTokens.table(ws).lookup('_contact_id', rec.id)) c.applicationTokens.table(ws).remove(String(t.id));
  for (const t of c.accessTokens.table(ws).lookup('_resource_id', rec.id)) if (t._resource === 'CONTACT') c.accessTokens.table(ws).remove(String(t.id));
  return rec;
}

/** How the messaging simulator sees contacts, groups and consent. */
export function contactDirectory(c: SynCollections): RecipientDirectory {
  const asRecipients = (members: Rec[], priority: string[]) =>
    members.flatMap((m) => {
      const address = addressOf(m, priority);
      return address ? [{ address, contactId: String(m.id) }] : [];
    });
  return {
    resolve(ws, element, priority) {
      const contact = c.contacts.lookup(ws, element);
      if (contact) return asRecipients([contact], priority);
      const g = c.contactGroups.lookup(ws, element);
      if (g) return asRecipients(groupMembers(ws, c, g), priority);
      return undefined;
    },
    criteria(ws, expression, priority) {
      const p = compile(parseCriteria(expression, contactAttributes(c)));
      return asRecipients([...c.contacts.table(ws).scan()].filter(p), priority);
    },
    consent(ws, address, senderId) {
      return consentRecord(ws, c, address, senderId)?.consent_status as string | undefined;
    },
    setConsent(ws, address, senderId, status, keyword, message) {
      setConsentByMessage(ws, c, address, senderId, status, keyword, message);
    },
  };
}

const JSON_FIELDS = ['address_list', 'customer_account_list', 'customer_device_list', 'interest_list', 'demographic_list', 'extended_attributes'];

/** Client contact bodies -> stored form: JSON-valued fields as JSON text, SDK aliases, voice_preference booleans. */
export function contactBody(body: Record<string, unknown> | undefined): Record<string, unknown> {
  const b: Record<string, unknown> = { ...(body ?? {}) };
  if (b.account_list !== undefined && b.customer_account_list === undefined) b.customer_account_list = b.account_list;
  if (b.device_list !== undefined && b.customer_device_list === undefined) b.customer_device_list = b.device_list;
  for (const f of JSON_FIELDS) if (b[f] !== undefined && b[f] !== null && typeof b[f] !== 'string') b[f] = JSON.stringify(b[f]);
  if (typeof b.voice_preference === 'boolean' || b.voice_preference === 'true' || b.voice_preference === 'false') {
    b.voice_preference = b.voice_preference === true || b.voice_preference === 'true' ? 'PREFER_VOICE' : 'NONE';
  }
  const fa: Record<string, unknown> = {};
  if (b.fast_access !== undefined && b.fast_access !== null) {
    const v = typeof b.fast_access === 'string' ? safeJson(b.fast_access) : b.fast_access;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('fast_access must be an object of attribute values', { field: 'fast_access' });
    Object.assign(fa, v);
  }
  for (let i = 1; i <= 20; i++) if (b[`fast_access_${i}`] !== undefined && b[`fast_access_${i}`] !== null) fa[`fast_access_${i}`] = b[`fast_access_${i}`];
  if (Object.keys(fa).length) b.fast_access = fa;
  else delete b.fast_access;
  return b;
}

type Schema = Record<string, any> | undefined;
const withoutFastAccess = (b: Record<string, unknown>) => ({ ...b, fast_access: undefined });

/** POST /contacts (and a new contact added to a group). */
export function createContact(ws: Workspace, c: SynCollections, body: Record<string, unknown> | undefined, schema: Schema): Rec {
  const b = contactBody(body);
  const rec = c.contacts.insert(ws, c.contacts.pick(withoutFastAccess(b), schema));
  writeFastAccess(ws, c, rec, b.fast_access as Record<string, unknown> | undefined);
  return rec;
}

/** POST /contacts/{id} (partial) or PUT (replace: every attribute, fast access values included, as the body says). */
export function updateContact(ws: Workspace, c: SynCollections, id: string, body: Record<string, unknown> | undefined, schema: Schema, replace = false): Rec {
  const b = contactBody(body);
  const rec = replace ? c.contacts.replace(ws, id, withoutFastAccess(b), schema) : c.contacts.update(ws, id, withoutFastAccess(b), schema);
  if (replace) rec._fast_access = {};
  writeFastAccess(ws, c, rec, b.fast_access as Record<string, unknown> | undefined);
  return rec;
}

/** A STATIC group's member ids (in the order they were added). */
const memberIds = (g: Rec) => (g._members as string[] | undefined) ?? [];

/**
 * A group's values from a create/update body: criteria checked (1017) and stored as JSON text,
 * type from the criteria (a contradicting `type` is 400), status Ready.
 */
export function groupValues(c: SynCollections, body: Record<string, unknown> | undefined, schema: Schema, existing?: Rec): Record<string, unknown> {
  const b = { ...(body ?? {}) };
  if (b.criteria !== undefined && b.criteria !== null && b.criteria !== '') b.criteria = JSON.stringify(parseCriteria(b.criteria, contactAttributes(c)));
  else if (b.criteria === '') b.criteria = null;
  const values = c.contactGroups.pick(b, schema);
  const criteria = 'criteria' in values ? values.criteria : existing?.criteria;
  const type = criteria ? 'DYNAMIC' : 'STATIC';
  if (b.type && String(b.type).toUpperCase() !== type) throw invalid(`type ${b.type} contradicts the criteria (a group with criteria is DYNAMIC)`, { field: 'type' });
  return { ...values, type, status: 'Ready' };
}

export const GROUP_EV = { ready: 'syniverse.contactgroup.ready' } as const;

/**
 * A DYNAMIC group whose criteria was just written is Processing for the workspace's
 * `timings.groupProcessingMs` (fixtures; default 0: Ready at once), then Ready.
 */
function startProcessing(ws: Workspace, g: Rec): void {
  const delay = Number(synFixtures(ws).timings.groupProcessingMs ?? 0);
  if (g.type !== 'DYNAMIC' || !(delay > 0)) return;
  g.status = 'Processing';
  ws.schedule(GROUP_EV.ready, ws.now() + delay, { group: g.id, criteria: g.criteria });
}

export function groupEventHandlers(c: SynCollections): Record<string, (ws: Workspace, data: Record<string, unknown>) => void> {
  return {
    [GROUP_EV.ready]: (ws, data) => {
      const g = c.contactGroups.table(ws).get(String(data.group));
      // A later criteria change scheduled its own event.
      if (!g || g.status !== 'Processing' || g.criteria !== data.criteria) return;
      g.status = 'Ready';
      c.contactGroups.bump(ws, g);
    },
  };
}

export function createGroup(ws: Workspace, c: SynCollections, body: Record<string, unknown> | undefined, schema: Schema): Rec {
  const g = c.contactGroups.insert(ws, { ...groupValues(c, body, schema), _members: [] });
  startProcessing(ws, g);
  return g;
}

export function updateGroup(ws: Workspace, c: SynCollections, id: string, body: Record<string, unknown> | undefined, schema: Schema): Rec {
  const g = c.contactGroups.get(ws, id);
  c.contactGroups.checkVersion(g, body);
  const values = groupValues(c, body, schema, g);
  c.contactGroups.checkUnique(ws, { ...g, ...values });
  if (values.type !== g.type) g._members = [];
  const before = { criteria: g.criteria ?? null, status: g.status };
  Object.assign(g, values);
  const changed = (g.criteria ?? null) !== before.criteria;
  g.status = changed ? 'Ready' : before.status ?? 'Ready';
  if (changed) startProcessing(ws, g);
  return c.contactGroups.bump(ws, g);
}

export function replaceGroup(ws: Workspace, c: SynCollections, id: string, body: Record<string, unknown> | undefined, schema: Schema): Rec {
  const g = c.contactGroups.get(ws, id);
  const before = { criteria: g.criteria ?? null, status: g.status, type: g.type };
  const values = groupValues(c, body, schema);
  const rec = c.contactGroups.replace(ws, String(g.id), { ...body, criteria: values.criteria ?? null }, schema);
  if (values.type !== before.type) rec._members = [];
  const changed = (rec.criteria ?? null) !== before.criteria;
  Object.assign(rec, { type: values.type, status: changed ? 'Ready' : before.status ?? 'Ready' });
  if (changed) startProcessing(ws, rec);
  return rec;
}

function assertStatic(g: Rec): void {
  if (g.type === 'DYNAMIC') throw invalid(`group ${g.id} is DYNAMIC: its members follow its criteria`);
}

/** Adds contacts to a STATIC group. Membership does not change the group's version_number. */
export function addMembers(ws: Workspace, c: SynCollections, g: Rec, ids: string[]): void {
  assertStatic(g);
  const members = [...memberIds(g)];
  for (const id of ids) if (!members.includes(id)) members.push(id);
  g._members = members;
  c.contactGroups.table(ws).touch(g);
}

/**
 * POST /contact_groups/{id}/contacts: `{contacts: [ids]}` adds existing contacts (unknown ids in
 * `errors`), otherwise the body is a new contact, created and added.
 */
export function addToGroup(ws: Workspace, c: SynCollections, groupId: string, body: Record<string, unknown> | undefined, schema: Schema): { id: unknown; errors?: Record<string, string> } {
  const g = c.contactGroups.get(ws, groupId);
  assertStatic(g);
  const b = body ?? {};
  if (b.contacts !== undefined && b.contacts !== null) {
    const errors: Record<string, string> = {};
    const known: string[] = [];
    for (const id of toStringList(b.contacts) ?? []) {
      if (!c.contacts.lookup(ws, id)) errors[id] = `Unknown document: ${id}`;
      else known.push(id);
    }
    addMembers(ws, c, g, known);
    return { id: g.id, errors };
  }
  const probe = c.contacts.pick(withoutFastAccess(contactBody(b)), schema);
  if (!Object.keys(probe).length) throw invalid('send {"contacts": [ids]} or the fields of a new contact');
  const rec = createContact(ws, c, b, schema);
  addMembers(ws, c, g, [String(rec.id)]);
  return { id: rec.id };
}

/** A member of a group (404 when the contact is not one). */
export function groupMember(ws: Workspace, c: SynCollections, groupId: string, contactId: string): Rec {
  const g = c.contactGroups.get(ws, groupId);
  const m = groupMembers(ws, c, g).find((x) => x.id === contactId);
  if (!m) throw notFound(`contact ${contactId} is not a member of group ${g.id}`);
  return m;
}

export function removeFromGroup(ws: Workspace, c: SynCollections, groupId: string, contactId: string): Rec {
  const g = c.contactGroups.get(ws, groupId);
  assertStatic(g);
  const m = groupMember(ws, c, groupId, contactId);
  g._members = memberIds(g).filter((x) => x !== m.id);
  c.contactGroups.table(ws).touch(g);
  return m;
}
