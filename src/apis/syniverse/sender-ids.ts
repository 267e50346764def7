// Sender ids and their life, as plain functions over the workspace (no HTTP):
//
//   create (no parent) -> PENDING_IMPLEMENTATION -> IMPLEMENTED -> ACTIVE, each step
//                         `senderProvisioningMs` apart, each emitting `sender_id_state_change`;
//                         with a `register_method` (sender ids that need a verification step, e.g.
//                         WhatsApp) the last step is PENDING_CONFIRMATION instead, and a POST of
//                         the `verification_code` (event `sender_id_verification_code`) -> ACTIVE
//   create (SHARED parent) / purchase (PREPROVISIONED parent) -> a PRIVATE copy, ACTIVE at once;
//                         a purchased parent is PURCHASED until its copy is deleted
//   the customer may switch ACTIVE <-> INACTIVE; system sender ids (SHARED, PREPROVISIONED,
//   PURCHASED) are managed by Syniverse.
//
// Class and type ids are the vendor's (COMMERCIAL, LONGCODE, ...); the ids the fixtures used
// before (`class-a2p-us`, `type-sms-longcode`, ...) are kept as `_aliases` of the catalogue
// records and accepted wherever a class or type id is read.
import { deepEqual } from '../../core/clone.js';
import type { Collection } from '../../core/engine/collection.js';
import { conflictState, forbidden, invalid, notFound, SimError } from '../../core/errors.js';
import type { JsonSchema } from '../../core/spec.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { baseFixtures } from '../../core/fixtures.js';
import { synFixtures, type SynCollections } from './collections.js';
import { REQUEST_FINAL, UNSENT } from './message-flow.js';
import { API_ID } from './style.js';

export const SENDER_EV = { provision: 'syniverse.sender.provision' } as const;

/** Sender ids owned and managed by Syniverse. */
export const SYSTEM_OWNERSHIP = new Set(['SHARED', 'PREPROVISIONED', 'PURCHASED']);
/** The states a customer may set. */
const CUSTOMER_STATES = ['ACTIVE', 'INACTIVE'];

// ---- catalogue ids ------------------------------------------------------------------------

/** The names of one catalogue record: its id and its aliases, upper case. */
function namesOf(rec: Rec): string[] {
  return [rec.id, ...(Array.isArray(rec._aliases) ? (rec._aliases as unknown[]) : [])].map((n) => String(n).toUpperCase());
}

/**
 * The catalogue id (class or type) that `value` names: the id itself, or one of its aliases (any
 * case). A scenario may replace a catalogue with records spelled the other way (the former ids
 * without aliases, say): the spellings the base fixtures give one record are then tried too.
 */
export function catalogueId(ws: Workspace, coll: Collection, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const v = String(value);
  if (coll.lookup(ws, v)) return v;
  const find = (names: string[]) => {
    for (const rec of coll.table(ws).scan()) if (namesOf(rec).some((n) => names.includes(n))) return String(rec.id);
    return undefined;
  };
  const upper = v.toUpperCase();
  const direct = find([upper]);
  if (direct) return direct;
  const base = (baseFixtures(API_ID)[coll.name] as Rec[] | undefined)?.find((r) => namesOf(r).includes(upper));
  return base ? find(namesOf(base)) : undefined;
}

/** A list query with its class_id/type_id filters (and, for the catalogues, id) spelled as stored. */
export function canonicalFilters(ws: Workspace, query: Record<string, unknown>, fields: Record<string, Collection>): Record<string, unknown> {
  let out = query;
  for (const [field, coll] of Object.entries(fields)) {
    const v = query[field];
    if (typeof v !== 'string' || !v) continue;
    const id = catalogueId(ws, coll, v);
    if (id && id !== v) out = { ...out, [field]: id };
  }
  return out;
}

function resolveRefs(ws: Workspace, c: SynCollections, values: Record<string, unknown>): void {
  for (const [field, coll, label] of [
    ['type_id', c.senderIdTypes, 'sender id type'],
    ['class_id', c.senderIdClasses, 'sender id class'],
  ] as const) {
    const v = values[field];
    if (v === undefined || v === null || v === '') continue;
    const id = catalogueId(ws, coll, v);
    if (!id) throw invalid(`${label} ${v} does not exist`, { field });
    values[field] = id;
  }
}

// ---- create, purchase ---------------------------------------------------------------------

function copyOfParent(p: Rec): Record<string, unknown> {
  return {
    parent_id: p.id,
    name: p.name,
    class_id: p.class_id,
    type_id: p.type_id,
    address: p.address,
    content_type: p.content_type,
    country: p.country,
    operators: p.operators,
    capabilities: p.capabilities,
    two_way_required: p.two_way_required,
    keep_sender_address: p.keep_sender_address,
    dr_required: p.dr_required,
    consent_managed_by: p.consent_managed_by,
    message_templates: p.message_templates,
    ownership: 'PRIVATE',
    state: 'ACTIVE',
  };
}

const REGISTER_METHODS = new Set(['VOICE', 'SMS']);

/** POST /messaging/sender_ids: a PRIVATE sender id, provisioned on the clock, or a copy of a SHARED parent. */
export function createSender(ws: Workspace, c: SynCollections, body: Record<string, unknown>, schema: JsonSchema | undefined): Rec {
  const own = body.ownership ? String(body.ownership).toUpperCase() : 'PRIVATE';
  if (own !== 'PRIVATE') throw forbidden(`only PRIVATE sender ids can be created; ${own} ones are provided by Syniverse`, { field: 'ownership' });
  const values = c.senderIds.pick(body, schema) as Record<string, unknown>;
  // Syniverse manages these (P6): ignored on create.
  delete values.country;
  delete values.operators;
  delete values.state;
  resolveRefs(ws, c, values);
  if (body.parent_id) {
    const parent = c.senderIds.get(ws, String(body.parent_id));
    if (parent.ownership === 'PREPROVISIONED') throw invalid(`sender id ${parent.id} is PREPROVISIONED: buy it with POST /messaging/sender_ids/purchase`, { field: 'parent_id' });
    if (parent.ownership !== 'SHARED') throw invalid(`parent_id must be a SHARED sender id (${parent.id} is ${parent.ownership})`, { field: 'parent_id' });
    return c.senderIds.insert(ws, { ...copyOfParent(parent), ...values, ownership: 'PRIVATE', state: 'ACTIVE', parent_id: parent.id });
  }
  if (!values.type_id || !values.address) throw invalid('a sender id needs type_id and address (or a SHARED parent_id)', { field: values.type_id ? 'address' : 'type_id', reason: 'missing' });
  const method = body.register_method === undefined || body.register_method === null || body.register_method === '' ? null : String(body.register_method).toUpperCase();
  if (method !== null && !REGISTER_METHODS.has(method)) throw invalid(`register_method must be voice or sms, not '${body.register_method}'`, { field: 'register_method', reason: 'format' });
  const rec = c.senderIds.insert(ws, { ...values, ownership: 'PRIVATE', state: 'PENDING_IMPLEMENTATION', _register_method: method });
  scheduleProvisioning(ws, rec.id);
  return rec;
}

/** POST /messaging/sender_ids/purchase: a PRIVATE copy of a PREPROVISIONED sender id, which becomes PURCHASED. */
export function purchaseSender(ws: Workspace, c: SynCollections, parentId: string): Rec {
  const parent = c.senderIds.get(ws, parentId);
  if (parent.ownership !== 'PREPROVISIONED') throw conflictState(`sender id ${parent.id} is ${parent.ownership}; only PREPROVISIONED sender ids can be purchased`);
  const fee = Number(synFixtures(ws).prices.senderIdPurchase ?? 0);
  if (fee > 0 && !ws.credit.charge(API_ID, fee, `purchase of sender id ${parent.id}`, String(parent.id))) {
    throw new SimError('payment', `buying sender id ${parent.id} costs ${fee}; the balance is ${ws.credit.balance(API_ID)}`);
  }
  const child = c.senderIds.insert(ws, copyOfParent(parent));
  parent.ownership = 'PURCHASED';
  c.senderIds.bump(ws, parent);
  return child;
}

// ---- update -------------------------------------------------------------------------------

function assertCustomerOwned(s: Rec): void {
  if (SYSTEM_OWNERSHIP.has(String(s.ownership))) throw forbidden(`sender id ${s.id} is ${s.ownership} and managed by Syniverse`);
}

/** The state a customer's `state` asks for (`ATIVE` is the seed's spelling), or why it is refused. */
function requestedState(s: Rec, raw: unknown): string {
  const to = String(raw).toUpperCase() === 'ATIVE' ? 'ACTIVE' : String(raw).toUpperCase();
  if (to !== s.state && (!CUSTOMER_STATES.includes(to) || !CUSTOMER_STATES.includes(String(s.state)))) {
    throw conflictState(`sender id ${s.id} is ${s.state}; a client may only switch between ACTIVE and INACTIVE`);
  }
  return to;
}

/** POST /messaging/sender_ids/{id}: a partial update, a state toggle or a verification code. */
export function updateSender(ws: Workspace, c: SynCollections, id: string, body: Record<string, unknown>, schema: JsonSchema | undefined): Rec {
  const s = c.senderIds.get(ws, id);
  assertCustomerOwned(s);
  c.senderIds.checkVersion(s, body);
  // Managed by Syniverse: a change is refused, the current value sent back (a GET body) is ignored.
  for (const f of ['country', 'operators']) {
    if (body[f] !== undefined && !deepEqual(c.senderIds.normalize(f, body[f]) ?? null, s[f] ?? null)) throw forbidden(`${f} is managed by Syniverse and cannot be changed`, { field: f });
  }
  if (body.ownership !== undefined && String(body.ownership).toUpperCase() !== s.ownership) throw forbidden('ownership cannot be changed', { field: 'ownership' });
  const patch = c.senderIds.pick(body, schema) as Record<string, unknown>;
  delete patch.country;
  delete patch.operators;
  resolveRefs(ws, c, patch);
  const code = body.verification_code === undefined || body.verification_code === null || body.verification_code === '' ? undefined : String(body.verification_code);
  let confirmed = false;
  if (code !== undefined) {
    if (s.state !== 'PENDING_CONFIRMATION') throw conflictState(`sender id ${s.id} is ${s.state}; a verification code is only taken in PENDING_CONFIRMATION`);
    if (code !== s._verification_code) throw invalid(`verification_code does not match the code sent for sender id ${s.id}`, { field: 'verification_code' });
    confirmed = true;
    if (patch.state !== undefined && patch.state !== null && !['ACTIVE', 'ATIVE', 'PENDING_CONFIRMATION'].includes(String(patch.state).toUpperCase())) {
      throw conflictState(`a verified sender id becomes ACTIVE, not ${patch.state}`);
    }
    delete patch.state;
  } else if (patch.state !== undefined && patch.state !== null) patch.state = requestedState(s, patch.state);
  else delete patch.state;
  c.senderIds.checkUnique(ws, { ...s, ...patch });
  Object.assign(s, patch);
  if (confirmed) setState(ws, c, s, 'ACTIVE', { _verification_code: null });
  return c.senderIds.bump(ws, s);
}

function setState(ws: Workspace, c: SynCollections, s: Rec, to: string, extra: Record<string, unknown> = {}): void {
  const from = s.state;
  Object.assign(s, extra, { state: to });
  c.senderIds.table(ws).touch(s);
  ws.emit(API_ID, 'sender_id_state_change', { sender_id: s.id, state: to, previous_state: from });
}

// ---- delete -------------------------------------------------------------------------------

/** A message request that is not final and sends from the sender id or channel `ref`. */
export function requestUsing(ws: Workspace, c: SynCollections, ref: string): Rec | undefined {
  return c.messageRequests.table(ws).peekFind((r) => !REQUEST_FINAL.has(String(r.state)) && (r._channel === ref || String(r.from ?? '').endsWith(ref)));
}

/** A message not yet handed to the carrier that goes out from sender id `id` (state index). */
function unsentMessageOf(ws: Workspace, c: SynCollections, id: string): Rec | undefined {
  for (const state of UNSENT) {
    const m = c.messages.table(ws).lookup('state', state).find((x) => x.customer_sender_id === id);
    if (m) return m;
  }
  return undefined;
}

/** Why the customer may not delete `s` (undefined when it may), with the error to raise. */
function deletionRefusal(ws: Workspace, c: SynCollections, s: Rec): SimError | undefined {
  if (SYSTEM_OWNERSHIP.has(String(s.ownership))) return forbidden(`sender id ${s.id} is ${s.ownership} and managed by Syniverse`);
  const user = requestUsing(ws, c, String(s.id));
  if (user) return conflictState(`sender id ${s.id} is used by message request ${user.id} (${user.state})`);
  // A message sent without a request (Send a Message) that has not gone out yet needs it too.
  const waiting = unsentMessageOf(ws, c, String(s.id));
  if (waiting) return conflictState(`sender id ${s.id} is to send message ${waiting.id} (${waiting.state})`);
  return undefined;
}

function removeSender(ws: Workspace, c: SynCollections, s: Rec): void {
  // Membership is not an attribute of the channel: its version stays (a client holding it can still update).
  for (const ch of c.channels.table(ws).filter((x) => ((x._sender_ids as string[]) ?? []).includes(String(s.id)))) {
    ch._sender_ids = (ch._sender_ids as string[]).filter((x) => x !== s.id);
    c.channels.table(ws).touch(ch);
  }
  const parent = s.parent_id ? c.senderIds.find(ws, String(s.parent_id)) : undefined;
  if (parent && parent.ownership === 'PURCHASED') {
    parent.ownership = 'PREPROVISIONED';
    c.senderIds.bump(ws, parent);
  }
  c.senderIds.table(ws).remove(String(s.id));
}

/** DELETE /messaging/sender_ids/{id}. */
export function deleteSender(ws: Workspace, c: SynCollections, id: string): Rec {
  const s = c.senderIds.get(ws, id);
  const refusal = deletionRefusal(ws, c, s);
  if (refusal) throw refusal;
  removeSender(ws, c, s);
  return s;
}

/**
 * DELETE /messaging/sender_ids?id=a,b&...: every sender id matching the filters (`id` a list),
 * all or nothing: an unknown id (404), a system sender id (403) or one in use (409) refuses the
 * whole request. Returns how many were deleted.
 */
export function deleteSenders(ws: Workspace, c: SynCollections, query: Record<string, unknown>): number {
  const ids = query.id === undefined || query.id === null || query.id === '' ? undefined : String(query.id).split(/[;,]/).map((s) => s.trim()).filter(Boolean);
  const filters: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) if (k !== 'id' && k !== 'register_number' && v !== undefined && v !== '') filters[k] = v;
  if (!ids?.length && !Object.keys(filters).length) throw invalid('name the sender ids to delete: `id` (one id or a comma-separated list) or at least one filter', { field: 'id', reason: 'missing' });
  if (ids) {
    const missing = ids.filter((id) => !c.senderIds.lookup(ws, id));
    if (missing.length) throw notFound(`sender id${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found`);
  }
  const wanted = ids ? new Set(ids) : undefined;
  const input = canonicalFilters(ws, filters, { class_id: c.senderIdClasses, type_id: c.senderIdTypes });
  const matched: Rec[] = [];
  for (let offset = 0; ; offset += 1000) {
    const { items, page } = c.senderIds.list(ws, { ...input, offset, limit: 1000 }, { where: wanted ? (s) => wanted.has(String(s.id)) : undefined });
    matched.push(...items);
    if (!items.length || offset + items.length >= page.total) break;
  }
  const refusals = matched.map((s) => deletionRefusal(ws, c, s)).filter((e): e is SimError => Boolean(e));
  if (refusals.length) {
    const first = refusals[0];
    const same = refusals.filter((e) => e.kind === first.kind);
    throw new SimError(first.kind, `nothing was deleted: ${same.map((e) => e.message).join('; ')}`);
  }
  for (const s of matched) {
    const live = c.senderIds.find(ws, String(s.id));
    if (live) removeSender(ws, c, live);
  }
  return matched.length;
}

// ---- provisioning on the clock ------------------------------------------------------------

/** Schedules the provisioning steps of a new PRIVATE sender id. */
export function scheduleProvisioning(ws: Workspace, senderId: string): void {
  const ms = synFixtures(ws).timings.senderProvisioningMs;
  ws.schedule(SENDER_EV.provision, ws.now() + ms, { sender: senderId, to: 'IMPLEMENTED' });
  ws.schedule(SENDER_EV.provision, ws.now() + 2 * ms, { sender: senderId, to: 'ACTIVE' });
}

export function senderEventHandlers(c: SynCollections) {
  return {
    [SENDER_EV.provision]: (ws: Workspace, data: Record<string, unknown>) => {
      const s = c.senderIds.table(ws).get(String(data.sender));
      if (!s) return;
      const from = data.to === 'IMPLEMENTED' ? 'PENDING_IMPLEMENTATION' : 'IMPLEMENTED';
      if (s.state !== from) return;
      if (data.to === 'ACTIVE' && s._register_method) {
        // A sender id that needs a verification step waits for the code sent to its address.
        const code = ws.rng.digits(6);
        setState(ws, c, s, 'PENDING_CONFIRMATION', { _verification_code: code });
        c.senderIds.bump(ws, s);
        ws.emit(API_ID, 'sender_id_verification_code', { sender_id: s.id, address: s.address ?? null, register_method: String(s._register_method).toLowerCase(), verification_code: code });
        return;
      }
      setState(ws, c, s, String(data.to));
      c.senderIds.bump(ws, s);
    },
  };
}
