// Contacts: HTTP <-> contacts.ts. Every spelling of the seed (camelCase examples, table names,
// snake_case output names) is read; additional fields are any key naming a field of
// GET /api/fieldlist.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { forbidden, notFound } from '../../../core/errors.js';
import type { Workspace } from '../../../core/workspace.js';
import { findUserByLogin, managerCredentials } from '../accounts.js';
import {
  additionalField,
  contactsOf,
  createContact,
  deleteContact,
  getContact,
  isContactField,
  renderContact,
  updateContact,
  type ContactInput,
  type OptionalField,
} from '../contacts.js';
import { flag } from '../style.js';
import { datasOf, firstOf, intParam, NO_CONTENT, principalOf, str, type Datas } from './common.js';

/** Input spellings of each optional field, in priority order (camelCase example name first). */
const OPTIONAL_ALIASES: Record<OptionalField, string[]> = {
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
  // Coordinates are geocoded by the vendor, never written by clients.
  longitude: [],
  latitude: [],
};

const KNOWN = new Set(['name', 'lastName', 'lastname', 'last_name', 'gsmPrimary', 'gsm_primary', 'duplicates', ...Object.values(OPTIONAL_ALIASES).flat()]);

export function contactInputOf(ws: Workspace, d: Datas): ContactInput {
  const fields: ContactInput['fields'] = {};
  for (const [field, aliases] of Object.entries(OPTIONAL_ALIASES) as Array<[OptionalField, string[]]>) {
    const v = str(firstOf(d, ...aliases));
    if (v !== undefined) fields[field] = v.trim();
  }
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(d)) {
    if (KNOWN.has(k) || isContactField(k) || v === null || typeof v === 'object') continue;
    const name = additionalField(ws, k);
    if (name) extra[name] = String(v).trim();
  }
  return {
    name: str(d.name)?.trim(),
    last_name: str(firstOf(d, 'lastName', 'lastname', 'last_name'))?.trim(),
    gsm_primary: str(firstOf(d, 'gsmPrimary', 'gsm_primary'))?.trim(),
    fields,
    extra,
  };
}

/** `duplicates` from the body, else from the query (`?duplicates=1`). */
export function duplicatesOf(ctx: HandlerContext, d: Datas): 0 | 1 {
  return flag(d.duplicates ?? ctx.query.duplicates);
}

export function contactHandlers(): Record<string, Handler> {
  return {
    createContact: (ctx) => {
      const d = datasOf(ctx);
      const c = createContact(ctx.ws, principalOf(ctx).owner, contactInputOf(ctx.ws, d), duplicatesOf(ctx, d) === 1);
      return { status: 201, body: { contact: renderContact(c) } };
    },
    updateContact: (ctx) => {
      const d = datasOf(ctx);
      updateContact(ctx.ws, principalOf(ctx).owner, intParam(ctx, 'id_contact'), contactInputOf(ctx.ws, d), duplicatesOf(ctx, d) === 1);
      return NO_CONTENT;
    },
    getContact: (ctx) => ({ body: { contact: renderContact(getContact(ctx.ws, principalOf(ctx).owner, intParam(ctx, 'id_contact'))) } }),
    deleteContact: (ctx) => {
      deleteContact(ctx.ws, principalOf(ctx).owner, intParam(ctx, 'id_contact'));
      return NO_CONTENT;
    },
    listContacts: (ctx) => ({ body: { contact: contactsOf(ctx.ws, principalOf(ctx).owner).map(renderContact) } }),
    listUserContacts: (ctx) => {
      const p = principalOf(ctx);
      if (p.role !== 'manager') throw forbidden("only a manager account may list another user's contacts", { field: 'role' });
      const login = ctx.params.login;
      let owner: number;
      if (login === managerCredentials(ctx.ws)?.login) owner = 0;
      else {
        const u = findUserByLogin(ctx.ws, login);
        if (!u) throw notFound(`no user with login '${login}' among this manager's users`, { field: 'login' });
        owner = Number(u.id);
      }
      return { body: { contact: contactsOf(ctx.ws, owner).map(renderContact) } };
    },
  };
}
