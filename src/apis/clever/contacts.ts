// The address book: contacts belong to one account (owner 0 = the manager, else a user id), carry
// the seed's snake_case fields plus additional fields (GET /api/fieldlist) used by criteria, and
// are unique per owner by normalised `gsm_primary` unless the client sends duplicates=1. The
// collection (engine declaration) holds the input spellings, phone normalisation and display.
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { displayPhone, normalizePhone } from './addresses.js';
import { compileCriteria, parseCriteria } from './criteria.js';
import { API_ID, cleverFixtures, style } from './style.js';

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
  /** The owning account: '0' (manager) or a user id. */
  owner: string;
  name: string;
  last_name: string;
  /** International form; shown in national form for +33. */
  gsm_primary: string;
  /** Additional fields by their canonical name (as GET /api/fieldlist spells it). */
  extra: Record<string, string>;
  [field: string]: unknown;
}

/** The partition key of an owner. */
export const ownerKey = (owner: number) => String(owner);

export const contactsTable = (ws: Workspace) => ws.table<ContactRec>(API_ID, 'contacts');

/** Input spellings of each field, in priority order (camelCase example name first). */
const INPUT_NAMES: Record<string, string[]> = {
  name: ['name'],
  last_name: ['lastName', 'lastname', 'last_name'],
  gsm_primary: ['gsmPrimary', 'gsm_primary'],
  gsm_secondary: ['gsmSecondary', 'gsm_secondary'],
  landline_primary: ['landlinePrimary', 'landline_primary'],
  landline_secondary: ['landlineSecondary', 'landline_secondary'],
  email: ['email'],
  fax_primary: ['faxPrimary', 'fax_primary'],
  fax_secondary: ['faxSecondary', 'fax_secondary'],
  zip_code: ['zipCode', 'zip_code'],
  city: ['city'],
  street: ['street'],
  street_number: ['streetNumber', 'street_number'],
};

/** Every input key that names a contact field (the rest may name additional fields). */
export const CONTACT_INPUT_KEYS = new Set(['duplicates', ...Object.values(INPUT_NAMES).flat()]);

/** A number in international form when it is one, else as sent. */
export function phoneKey(n: string): string {
  return normalizePhone(n) ?? n;
}

const text = (v: unknown) => String(v).trim();

export function contactsCollection(spec: LoadedSpec): Collection<ContactRec> {
  const fields: Record<string, { from?: string[]; input?: (v: unknown) => unknown; output?: (v: unknown) => unknown }> = {};
  for (const [f, names] of Object.entries(INPUT_NAMES)) {
    const phone = PHONE_FIELDS.has(f);
    fields[f] = {
      from: names,
      input: phone ? (v) => (text(v) ? phoneKey(text(v)) : '') : text,
      output: phone ? (v) => (v ? displayPhone(String(v)) : v) : undefined,
    };
  }
  return new Collection<ContactRec>({
    api: style,
    name: 'contacts',
    label: 'contact',
    wrap: 'contact',
    shape: shapeOf(spec.schemas.Contact),
    resource: { id: { ...style.resource.id, sequence: 'contact' } },
    partition: 'owner',
    // Coordinates are geocoded by the vendor, never written by clients.
    readOnly: ['longitude', 'latitude'],
    fields,
    uniqueKeys: [
      {
        fields: ['gsm_primary'],
        bypassable: true,
        field: 'duplicates',
        message: (values, other) => `Le contact existe, le paramètre duplicates doit être activé. (contact ${other.id} has the same gsm_primary ${values[0]})`,
      },
    ],
    defaults: () => ({ extra: {} }),
    errorField: 'id_contact',
    notFoundMessage: (id) => `no contact ${id}`,
  });
}

/** The canonical name of an additional field (case-insensitive), or undefined. */
export function additionalField(ws: Workspace, name: string): string | undefined {
  const lower = name.toLowerCase();
  return cleverFixtures(ws).fields.find((f) => f.name.toLowerCase() === lower)?.name;
}

/** Every spelling a client may use for a contact field (criteria), lower-cased -> canonical. */
const FIELD_ALIASES: Record<string, string> = { id: 'id' };
for (const [f, names] of Object.entries(INPUT_NAMES)) for (const n of [f, ...names]) FIELD_ALIASES[n.toLowerCase()] = f;
FIELD_ALIASES.longitude = 'longitude';
FIELD_ALIASES.latitude = 'latitude';

export function isContactField(name: string): boolean {
  return name.toLowerCase() in FIELD_ALIASES;
}

/** Keeps the additional fields a body names (keys of GET /api/fieldlist) on the contact. */
export function storeAdditionalFields(ws: Workspace, contact: ContactRec, datas: Record<string, unknown>): void {
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(datas)) {
    if (CONTACT_INPUT_KEYS.has(k) || isContactField(k) || v === null || v === undefined || typeof v === 'object') continue;
    const name = additionalField(ws, k);
    if (name) extra[name] = String(v).trim();
  }
  if (!Object.keys(extra).length) return;
  contact.extra = { ...(contact.extra ?? {}), ...extra };
  contactsTable(ws).touch(contact);
}

/** The owner's contacts in creation (id) order, read-only. */
export function contactsOf(ws: Workspace, owner: number): ContactRec[] {
  return contactsTable(ws).lookup('owner', ownerKey(owner));
}

/** The values a criteria term compares with (numbers in both their stored and shown forms). */
function valuesOf(c: ContactRec, field: string): string[] {
  if (field === 'id') return [c.id];
  if (field in INPUT_NAMES || field === 'longitude' || field === 'latitude') {
    const v = c[field] === undefined || c[field] === null ? '' : String(c[field]);
    return PHONE_FIELDS.has(field) && v ? [v, displayPhone(v), `0${displayPhone(v)}`] : [v];
  }
  return [c.extra?.[field] ?? ''];
}

/** The owner's contacts matching a criteria expression (400 `criteria` when it is malformed). */
export function matchCriteria(ws: Workspace, owner: number, expression: string): ContactRec[] {
  const matcher = compileCriteria(parseCriteria(expression), (name) => FIELD_ALIASES[name.toLowerCase()] ?? additionalField(ws, name));
  return contactsOf(ws, owner).filter((c) => matcher((f) => valuesOf(c, f)));
}

/** Fixture contacts (scenario data): output spelling; other keys are additional fields. */
export function loadFixtureContacts(ws: Workspace, contacts: Collection<ContactRec>): void {
  for (const row of cleverFixtures(ws).contacts ?? []) {
    const values: Record<string, unknown> = { extra: {} };
    const extra: Record<string, string> = {};
    for (const [k, v] of Object.entries(row)) {
      if (['id', 'owner'].includes(k) || v === undefined || v === null) continue;
      if (k in INPUT_NAMES || k === 'longitude' || k === 'latitude') values[k] = PHONE_FIELDS.has(k) ? phoneKey(String(v)) : String(v);
      else extra[additionalField(ws, k) ?? k] = String(v);
    }
    values.extra = extra;
    contacts.insert(ws, values as Partial<ContactRec>, {
      id: row.id !== undefined ? Number(row.id) : undefined,
      partition: ownerKey(Number(row.owner ?? 0)),
      allowDuplicates: true,
    });
  }
}
