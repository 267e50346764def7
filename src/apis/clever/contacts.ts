// The address book: contacts belong to one account (owner 0 = the manager, else a user id), carry
// the seed's snake_case fields plus additional fields (GET /api/fieldlist) used by criteria, and
// are unique per owner by normalised `gsm_primary` unless the client sends duplicates=1.
import { SimError, notFound } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { displayPhone, normalizePhone } from './addresses.js';
import { compileCriteria, parseCriteria } from './criteria.js';
import { API_ID, cleverFixtures, nextId, reserveIdsUpTo } from './style.js';

/** Optional fields in their output (snake_case) spelling, in the order the seed lists them. */
export const OPTIONAL_FIELDS = [
  'gsm_secondary',
  'landline_primary',
  'landline_secondary',
  'email',
  'fax_primary',
  'fax_secondary',
  'zip_code',
  'city',
  'street',
  'street_number',
  'longitude',
  'latitude',
] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

export const PHONE_FIELDS = new Set(['gsm_primary', 'gsm_secondary', 'landline_primary', 'landline_secondary', 'fax_primary', 'fax_secondary']);

export interface ContactRec extends Rec {
  owner: number;
  name: string;
  last_name: string;
  /** International form; shown in national form for +33. */
  gsm_primary: string;
  fields: Partial<Record<OptionalField, string>>;
  /** Additional fields by their canonical name (as GET /api/fieldlist spells it). */
  extra: Record<string, string>;
}

export interface ContactInput {
  name?: string;
  last_name?: string;
  gsm_primary?: string;
  fields: Partial<Record<OptionalField, string>>;
  extra: Record<string, string>;
}

export const contactsTable = (ws: Workspace) => ws.table<ContactRec>(API_ID, 'contacts');

/** Every spelling a client may use for a contact field (criteria), lower-cased -> canonical. */
const FIELD_ALIASES: Record<string, string> = {
  id: 'id',
  name: 'name',
  last_name: 'last_name',
  lastname: 'last_name',
  gsm_primary: 'gsm_primary',
  gsmprimary: 'gsm_primary',
  gsm_secondary: 'gsm_secondary',
  gsmsecondary: 'gsm_secondary',
  landline_primary: 'landline_primary',
  landlineprimary: 'landline_primary',
  landline_secondary: 'landline_secondary',
  landlinesecondary: 'landline_secondary',
  fax_primary: 'fax_primary',
  faxprimary: 'fax_primary',
  fax_secondary: 'fax_secondary',
  faxsecondary: 'fax_secondary',
  email: 'email',
  zip_code: 'zip_code',
  zipcode: 'zip_code',
  city: 'city',
  street: 'street',
  street_number: 'street_number',
  streetnumber: 'street_number',
  longitude: 'longitude',
  latitude: 'latitude',
};

/** The canonical name of an additional field (case-insensitive), or undefined. */
export function additionalField(ws: Workspace, name: string): string | undefined {
  const lower = name.toLowerCase();
  return cleverFixtures(ws).fields.find((f) => f.name.toLowerCase() === lower)?.name;
}

export function isContactField(name: string): boolean {
  return name.toLowerCase() in FIELD_ALIASES;
}

function gsmKey(n: string): string {
  return normalizePhone(n) ?? n;
}

function assertNoDuplicate(ws: Workspace, owner: number, gsm: string, except?: string): void {
  const key = gsmKey(gsm);
  const other = contactsTable(ws).find((c) => c.owner === owner && c.id !== except && gsmKey(c.gsm_primary) === key);
  if (other) {
    throw new SimError('duplicate', `Le contact existe, le paramètre duplicates doit être activé. (contact ${other.id} has the same gsm_primary ${gsm})`, { field: 'duplicates' });
  }
}

export function createContact(ws: Workspace, owner: number, input: ContactInput, allowDuplicates: boolean): ContactRec {
  const gsm = gsmKey(input.gsm_primary!);
  if (!allowDuplicates) assertNoDuplicate(ws, owner, gsm);
  return contactsTable(ws).put({
    id: String(nextId(ws, 'contact')),
    owner,
    name: input.name!,
    last_name: input.last_name!,
    gsm_primary: gsm,
    fields: normalizeFields(input.fields),
    extra: { ...input.extra },
  });
}

function normalizeFields(fields: ContactInput['fields']): ContactInput['fields'] {
  const out: ContactInput['fields'] = {};
  for (const [k, v] of Object.entries(fields) as Array<[OptionalField, string]>) out[k] = PHONE_FIELDS.has(k) && v ? gsmKey(v) : v;
  return out;
}

/** A contact of the caller; another owner's contact is not found (the spec's 404 for foreign ids). */
export function getContact(ws: Workspace, owner: number, id: number): ContactRec {
  const c = contactsTable(ws).get(String(id));
  if (!c || c.owner !== owner) throw notFound(`no contact ${id}`, { field: 'id_contact' });
  return c;
}

export function updateContact(ws: Workspace, owner: number, id: number, input: ContactInput, allowDuplicates: boolean): ContactRec {
  const c = getContact(ws, owner, id);
  const gsm = input.gsm_primary !== undefined ? gsmKey(input.gsm_primary) : c.gsm_primary;
  if (!allowDuplicates) assertNoDuplicate(ws, owner, gsm, c.id);
  if (input.name !== undefined) c.name = input.name;
  if (input.last_name !== undefined) c.last_name = input.last_name;
  c.gsm_primary = gsm;
  c.fields = { ...c.fields, ...normalizeFields(input.fields) };
  c.extra = { ...c.extra, ...input.extra };
  contactsTable(ws).touch(c);
  return c;
}

export function deleteContact(ws: Workspace, owner: number, id: number): void {
  const c = getContact(ws, owner, id);
  contactsTable(ws).remove(c.id);
}

/** The owner's contacts in id (creation) order. */
export function contactsOf(ws: Workspace, owner: number): ContactRec[] {
  return contactsTable(ws)
    .filter((c) => c.owner === owner)
    .sort((a, b) => Number(a.id) - Number(b.id));
}

/** The Contact shape of the spec: snake_case, integer id, numbers as the captures show them. */
export function renderContact(c: ContactRec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: Number(c.id), name: c.name, last_name: c.last_name, gsm_primary: displayPhone(c.gsm_primary) };
  for (const k of OPTIONAL_FIELDS) {
    const v = c.fields[k];
    if (v !== undefined) out[k] = PHONE_FIELDS.has(k) && v ? displayPhone(v) : v;
  }
  return out;
}

/** The values a criteria term compares with (numbers in both their stored and shown forms). */
function valuesOf(c: ContactRec, field: string): string[] {
  if (field === 'id') return [c.id];
  if (field === 'name') return [c.name];
  if (field === 'last_name') return [c.last_name];
  if (field === 'gsm_primary') return [c.gsm_primary, displayPhone(c.gsm_primary), `0${displayPhone(c.gsm_primary)}`];
  if (field in FIELD_ALIASES) {
    const v = c.fields[field as OptionalField] ?? '';
    return PHONE_FIELDS.has(field) && v ? [v, displayPhone(v), `0${displayPhone(v)}`] : [v];
  }
  return [c.extra[field] ?? ''];
}

/** The owner's contacts matching a criteria expression (400 `criteria` when it is malformed). */
export function matchCriteria(ws: Workspace, owner: number, expression: string): ContactRec[] {
  const matcher = compileCriteria(parseCriteria(expression), (name) => FIELD_ALIASES[name.toLowerCase()] ?? additionalField(ws, name));
  return contactsOf(ws, owner).filter((c) => matcher((f) => valuesOf(c, f)));
}

/** Fixture contacts (scenario data): output spelling; other keys are additional fields. */
export function loadFixtureContacts(ws: Workspace): void {
  for (const row of cleverFixtures(ws).contacts ?? []) {
    const fields: ContactInput['fields'] = {};
    const extra: Record<string, string> = {};
    for (const [k, v] of Object.entries(row)) {
      if (['id', 'owner', 'name', 'last_name', 'gsm_primary'].includes(k) || v === undefined || v === null) continue;
      if ((OPTIONAL_FIELDS as readonly string[]).includes(k)) fields[k as OptionalField] = String(v);
      else extra[additionalField(ws, k) ?? k] = String(v);
    }
    const id = row.id !== undefined ? Number(row.id) : nextId(ws, 'contact');
    reserveIdsUpTo(ws, 'contact', id);
    contactsTable(ws).put({
      id: String(id),
      owner: Number(row.owner ?? 0),
      name: String(row.name ?? ''),
      last_name: String(row.last_name ?? ''),
      gsm_primary: gsmKey(String(row.gsm_primary ?? '')),
      fields: normalizeFields(fields),
      extra,
    });
  }
}
