// Contacts: declared CRUD over the contacts collection, partitioned by the caller's account.
// Every spelling of the seed is read by the collection (camelCase examples, table names,
// snake_case output names); additional fields are any key naming a field of GET /api/fieldlist.
import type { HandlerContext } from '../../../core/api.js';
import type { OperationMap } from '../../../core/contract-types.js';
import { crud, type CrudDecl } from '../../../core/crud.js';
import type { Collection } from '../../../core/engine/collection.js';
import { notFound } from '../../../core/errors.js';
import { assertManager, findUserByLogin, managerCredentials } from '../accounts.js';
import { ownerKey, storeAdditionalFields, type ContactRec } from '../contacts.js';
import type { operations } from '../generated/contract.js';
import { flag, style } from '../style.js';
import { datasOf, principalOf } from './common.js';

/** `duplicates` from the body, else from the query (`?duplicates=1`). */
export function duplicatesOf(ctx: HandlerContext): 0 | 1 {
  const d = ctx.body && typeof ctx.body === 'object' ? datasOf(ctx) : {};
  return flag(d.duplicates ?? ctx.query.duplicates);
}

const callerOwner = (ctx: HandlerContext) => ownerKey(principalOf(ctx).owner);

/** The owner whose contacts `GET /api/contactlists/{login}` lists: the manager or one of its users. */
function ownerOfLogin(ctx: HandlerContext): string {
  const login = ctx.params.login;
  if (login === managerCredentials(ctx.ws)?.login) return ownerKey(0);
  const u = findUserByLogin(ctx.ws, login);
  if (!u) throw notFound(`no user with login '${login}' among this manager's users`, { field: 'login' });
  return u.id;
}

export function contactHandlers(contacts: Collection<ContactRec>) {
  const keepExtra = (ctx: HandlerContext, rec: ContactRec) => storeAdditionalFields(ctx.ws, rec, datasOf(ctx));
  return crud(style, {
    createContact: { collection: contacts, action: 'create', partition: callerOwner, allowDuplicates: (ctx) => duplicatesOf(ctx) === 1, after: keepExtra },
    updateContact: { collection: contacts, action: 'update', partition: callerOwner, allowDuplicates: (ctx) => duplicatesOf(ctx) === 1, after: keepExtra },
    getContact: { collection: contacts, action: 'get', partition: callerOwner },
    deleteContact: { collection: contacts, action: 'delete', partition: callerOwner },
    listContacts: { collection: contacts, action: 'list', partition: callerOwner },
    listUserContacts: {
      collection: contacts,
      action: 'list',
      authorize: (ctx) => assertManager(principalOf(ctx), "list another user's contacts"),
      partition: ownerOfLogin,
    },
  } satisfies OperationMap<operations, CrudDecl<ContactRec>>);
}
