// The contact base: a contact is its field values (`FieldList: [{ID, Value}]`, values as
// strings), its interests (with the origin that set them), subscription dates and a composite
// key: the values of the account's `IsCompositeKey` fields (the email address, field 7, by
// default), unique among the account's contacts. Stored in the `contacts` table keyed by the
// contact ID (one counter for all accounts), partitioned by `account`; `Key` holds the normalized
// composite key (indexed) so an import of thousands of rows finds each contact without a scan.
// Domain only: no HTTP; errors are the reference's codes ([401], [406], [409], [410], [415], [454]).
import { nextInSequence, sequenceKey } from '../../core/engine/ids.js';
import { fieldIndex } from '../../core/table.js';
import { parsePhone } from '../../core/phone.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { compositeKeyFields, FIELD_TYPE, findField, type FieldRec } from './fields.js';
import { API_ID, dolistFixtures, ID_START } from './style.js';

/** Who set a value or an interest (the reference's enumeration). */
export const ORIGIN = { None: 0, API: 1, Extranet: 2, Forms: 3, Import: 4, Tracking: 5 } as const;

export interface ContactInterestLink {
  Origin: number;
  /** When the link was made (ISO). */
  Date: string;
}

export interface ContactRec extends Rec {
  id: string;
  ID: number;
  account: string;
  /** field ID -> value */
  Values: Record<string, string>;
  /** interest ID -> link */
  Interests: Record<string, ContactInterestLink>;
  CreateDate: string;
  UpdateDate: string;
  SubscribeDate: string;
  UnsubscribeDate: string | null;
  CreateOrigin: number;
  UpdateOrigin: number;
  /** `<account>|<normalized composite key values>`; null while a key value is missing. */
  Key: string | null;
  /** The reference's "gestion commerciale" partition (targets may restrict to one). */
  SaleManagementID: number | null;
  /** The first unsubscription through a form link (unsubscribe-form.ts). */
  UnsubscribeSource?: { FormID: number; SendingID: number; OccurrenceID: number; Date: string; Reason?: string } | null;
}

export interface FieldValueInput {
  ID: number;
  Value: unknown;
}

const KEY_INDEX = fieldIndex<ContactRec>(['Key']);

export function contactsTable(ws: Workspace) {
  const t = ws.table<ContactRec>(API_ID, 'contacts');
  if (!t.index(KEY_INDEX.name)) t.ensureIndex(KEY_INDEX);
  return t;
}

/** The live contacts of an account, by ID (read-only views: use `contactsTable(ws).get` to change one). */
export function accountContacts(ws: Workspace, account: string): ContactRec[] {
  return contactsTable(ws).lookup('account', account);
}

/** A contact of the account (read-only view), or undefined. */
export function findContact(ws: Workspace, account: string, id: number): ContactRec | undefined {
  const c = contactsTable(ws).peek(String(id));
  return c && c.account === account ? c : undefined;
}

/** The contact for writing (tracked by the request's transaction), or 404 [401]. */
export function contactForWrite(ws: Workspace, account: string, id: number): ContactRec {
  if (!findContact(ws, account, id)) throw dolistError('401', `no contact ${id} in account ${account}`, 'ContactID');
  return contactsTable(ws).get(String(id))!;
}

export const valueOf = (c: ContactRec, fieldId: number): string | undefined => c.Values[String(fieldId)];

/** The contact's email address (field 7 by default). */
export const emailOf = (ws: Workspace, c: ContactRec): string | undefined => valueOf(c, dolistFixtures(ws).standardFieldIds.email);

/** Field 72's value: the email address's status ("1" valid ... "4" hard bounce, "7" unsubscribed). */
export const emailStatusOf = (ws: Workspace, c: ContactRec): string | undefined => valueOf(c, dolistFixtures(ws).standardFieldIds.emailStatus);

/** The address must not be written to (a status marked doNotWrite in the fixtures, "4" and "7" among them). */
export function isDoNotWrite(ws: Workspace, c: ContactRec): boolean {
  const s = emailStatusOf(ws, c);
  return s !== undefined && dolistFixtures(ws).emailStatuses.some((e) => e.Value === s && e.doNotWrite);
}

/** The contact as the API shows it: every value, or those of `only` (field ids) in that order. */
export function fieldList(c: ContactRec, only?: number[]): Array<{ ID: number; Value: string }> {
  const ids = only && only.length ? only : Object.keys(c.Values).map(Number).sort((a, b) => a - b);
  const out: Array<{ ID: number; Value: string }> = [];
  for (const id of ids) {
    const v = c.Values[String(id)];
    if (v !== undefined) out.push({ ID: id, Value: v });
  }
  return out;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A mobile number in international form, or undefined (French national `06...`/`07...` accepted). */
export function mobileOf(v: string): string | undefined {
  const s = v.replace(/[\s.\-()]/g, '');
  const text = /^0[1-9]\d{8}$/.test(s) ? `+33${s.slice(1)}` : s;
  // A French mobile in international form is valid as it is: the generated contact base writes
  // hundreds of them at start-up, and parsing them would load the phone metadata (~40 ms, 10 MB).
  if (/^\+33[67]\d{8}$/.test(text)) return text;
  return parsePhone(text)?.e164;
}

/**
 * One written value, converted to its stored string form by its field's type. Unknown field
 * 404 [415]; a bad email 400 [406]; a bad mobile 400 [454]; other type or length problems 400 [36].
 * An empty value clears it ('' stored as absent).
 */
export function storedValue(ws: Workspace, account: string, fieldId: number, value: unknown, opts: { allowReadOnly?: boolean } = {}): { field: FieldRec; value: string | null } {
  const field = findField(ws, account, fieldId);
  if (!field) throw dolistError('415', `no field ${fieldId} in account ${account}`, 'FieldList.ID');
  if (field.IsReadOnly && !opts.allowReadOnly) throw dolistError('36', `field ${fieldId} (${field.Name}) is read-only`, 'FieldList.Value');
  if (value === null || value === undefined) return { field, value: null };
  if (typeof value === 'object') throw dolistError('36', `the value of field ${fieldId} must be a string, a number or a boolean`, 'FieldList.Value');
  const s = String(value).trim();
  if (s === '') return { field, value: null };
  const bad = (why: string) => dolistError('36', `field ${fieldId} (${field.Name}): ${why}`, 'FieldList.Value');
  switch (field.FieldTypeID) {
    case FIELD_TYPE.email:
      if (!EMAIL.test(s)) throw dolistError('406', `'${s}' is not an email address`, 'FieldList.Value');
      return { field, value: s.toLowerCase() };
    case FIELD_TYPE.mobile: {
      const m = mobileOf(s);
      if (!m) throw dolistError('454', `'${s}' is not a mobile number`, 'FieldList.Value');
      return { field, value: m };
    }
    case FIELD_TYPE.integer:
      if (!/^-?\d+$/.test(s)) throw bad(`'${s}' is not an integer`);
      return { field, value: String(Number(s)) };
    case FIELD_TYPE.decimal:
      if (!/^-?\d+([.,]\d+)?$/.test(s)) throw bad(`'${s}' is not a number`);
      return { field, value: s.replace(',', '.') };
    case FIELD_TYPE.date: {
      const t = Date.parse(/^\d{2}\/\d{2}\/\d{4}$/.test(s) ? s.split('/').reverse().join('-') : s);
      if (Number.isNaN(t)) throw bad(`'${s}' is not a date (ISO 8601 or dd/MM/yyyy)`);
      return { field, value: new Date(t).toISOString().slice(0, 10) };
    }
    case FIELD_TYPE.boolean: {
      const l = s.toLowerCase();
      if (!['true', 'false', '1', '0'].includes(l)) throw bad(`'${s}' is not a boolean`);
      return { field, value: l === 'true' || l === '1' ? '1' : '0' };
    }
    default:
      if (field.MaxLength !== null && s.length > field.MaxLength) throw bad(`longer than ${field.MaxLength} characters`);
      if (field.MinLength !== null && s.length < field.MinLength) throw bad(`shorter than ${field.MinLength} characters`);
      return { field, value: s };
  }
}

/** Applies written values over `values` (a copy is returned); each value checked as storedValue does. */
export function applyValues(ws: Workspace, account: string, values: Record<string, string>, list: FieldValueInput[], opts: { allowReadOnly?: boolean } = {}): Record<string, string> {
  const out = { ...values };
  for (const fv of list) {
    const id = Number(fv?.ID);
    if (!Number.isInteger(id)) throw dolistError('36', 'each FieldList entry needs an integer ID', 'FieldList.ID');
    const { value } = storedValue(ws, account, id, fv.Value, opts);
    if (value === null) delete out[String(id)];
    else out[String(id)] = value;
  }
  return out;
}

/** The normalized composite key of `values` in the account, or null when a key value is missing. */
export function compositeKeyOf(ws: Workspace, account: string, values: Record<string, string>, keyFields?: FieldRec[]): string | null {
  const fields = keyFields ?? compositeKeyFields(ws, account);
  if (!fields.length) return null;
  const parts: string[] = [];
  for (const f of fields) {
    const v = values[String(f.ID)];
    if (v === undefined || v === '') return null;
    parts.push(v.toLowerCase());
  }
  return `${account}|${parts.join('|')}`;
}

/** The live contact holding a composite key, read-only. */
export function contactByKey(ws: Workspace, key: string): ContactRec | undefined {
  return contactsTable(ws).lookup('Key', key)[0];
}

/** The contact whose composite-key fields have these values (exists / read / imports). */
export function findByKeyValues(ws: Workspace, account: string, list: FieldValueInput[]): ContactRec | undefined {
  const values: Record<string, string> = {};
  for (const fv of list) {
    const id = Number(fv?.ID);
    if (!Number.isInteger(id) || fv.Value === null || fv.Value === undefined) continue;
    const f = findField(ws, account, id);
    if (!f) continue;
    try {
      const { value } = storedValue(ws, account, id, fv.Value, { allowReadOnly: true });
      if (value !== null) values[String(id)] = value;
    } catch {
      values[String(id)] = String(fv.Value).trim();
    }
  }
  const key = compositeKeyOf(ws, account, values);
  return key ? contactByKey(ws, key) : undefined;
}

function keyFieldNames(ws: Workspace, account: string): string {
  return compositeKeyFields(ws, account).map((f) => `${f.ID} (${f.Name})`).join(', ');
}

/** Creates a contact: every composite-key field given (400 [409]), the key unused (409 [410]). */
export function createContact(ws: Workspace, account: string, list: FieldValueInput[], opts: { origin?: number; saleManagementId?: number | null; interests?: Record<string, ContactInterestLink> } = {}): ContactRec {
  const values = applyValues(ws, account, {}, list);
  const key = compositeKeyOf(ws, account, values);
  if (!key) throw dolistError('409', `the composite key fields ${keyFieldNames(ws, account)} must all have a value`, 'FieldList');
  const clash = contactByKey(ws, key);
  if (clash) throw dolistError('410', `contact ${clash.ID} has the same composite key`, 'FieldList');
  const now = new Date(ws.now()).toISOString();
  const fx = dolistFixtures(ws);
  const statusField = String(fx.standardFieldIds.emailStatus);
  if (values[String(fx.standardFieldIds.email)] !== undefined && values[statusField] === undefined && findField(ws, account, fx.standardFieldIds.emailStatus)) values[statusField] = '1';
  const ID = nextInSequence(ws, sequenceKey(API_ID, 'contacts'), ID_START.contacts);
  const origin = opts.origin ?? ORIGIN.API;
  return contactsTable(ws).put({
    id: String(ID),
    ID,
    account,
    Values: values,
    Interests: opts.interests ?? {},
    CreateDate: now,
    UpdateDate: now,
    SubscribeDate: now,
    UnsubscribeDate: values[statusField] === '7' ? now : null,
    CreateOrigin: origin,
    UpdateOrigin: origin,
    Key: key,
    SaleManagementID: opts.saleManagementId ?? null,
  });
}

/** Merges values into a contact: the key must stay complete (400 [409]) and unused (409 [410]). */
export function updateContact(ws: Workspace, account: string, id: number, list: FieldValueInput[], opts: { origin?: number } = {}): ContactRec {
  const c = contactForWrite(ws, account, id);
  const values = applyValues(ws, account, c.Values, list);
  const key = compositeKeyOf(ws, account, values);
  if (!key) throw dolistError('409', `the composite key fields ${keyFieldNames(ws, account)} must keep a value`, 'FieldList');
  if (key !== c.Key) {
    const clash = contactByKey(ws, key);
    if (clash && clash.ID !== c.ID) throw dolistError('410', `contact ${clash.ID} has the same composite key`, 'FieldList');
  }
  const now = new Date(ws.now()).toISOString();
  followStatus(ws, c, values, now);
  c.Values = values;
  c.Key = key;
  c.UpdateDate = now;
  c.UpdateOrigin = opts.origin ?? ORIGIN.API;
  return contactsTable(ws).put(c);
}

/**
 * The subscription dates follow the email status written (field 72): becoming "7" (unsubscribed)
 * dates the unsubscription, leaving it is a new subscription.
 */
function followStatus(ws: Workspace, c: ContactRec, values: Record<string, string>, now: string): void {
  const f = String(dolistFixtures(ws).standardFieldIds.emailStatus);
  const was = c.Values[f];
  const is = values[f];
  if (is === was) return;
  if (is === '7') c.UnsubscribeDate = now;
  else if (was === '7') {
    c.UnsubscribeDate = null;
    c.SubscribeDate = now;
  }
}

/** Deletes a contact (404 [401] when it is not in the account). */
export function deleteContact(ws: Workspace, account: string, id: number): void {
  contactForWrite(ws, account, id);
  contactsTable(ws).remove(String(id));
}

/** Marks the contact's address unsubscribed (field 72 "7", the date kept); idempotent. */
export function unsubscribeContact(ws: Workspace, c: ContactRec, origin: number = ORIGIN.API): ContactRec {
  const fx = dolistFixtures(ws);
  const w = contactsTable(ws).get(c.id)!;
  const now = new Date(ws.now()).toISOString();
  if (w.Values[String(fx.standardFieldIds.emailStatus)] !== '7' || !w.UnsubscribeDate) {
    w.Values = { ...w.Values, [String(fx.standardFieldIds.emailStatus)]: '7' };
    w.UnsubscribeDate = now;
    w.UpdateDate = now;
    w.UpdateOrigin = origin;
    contactsTable(ws).put(w);
  }
  return w;
}

/** After the account's composite-key fields changed: every contact's Key again (a clash: 409 [410]). */
export function recomputeKeys(ws: Workspace, account: string): void {
  const keyFields = compositeKeyFields(ws, account);
  const seen = new Map<string, number>();
  for (const view of accountContacts(ws, account)) {
    const key = compositeKeyOf(ws, account, view.Values, keyFields);
    if (key) {
      const other = seen.get(key);
      if (other !== undefined) throw dolistError('410', `contacts ${other} and ${view.ID} would have the same composite key`, 'IsCompositeKey');
      seen.set(key, view.ID);
    }
    if (key !== view.Key) {
      const c = contactsTable(ws).get(view.id)!;
      c.Key = key;
      contactsTable(ws).put(c);
    }
  }
}
