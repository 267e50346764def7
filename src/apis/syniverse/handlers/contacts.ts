// HTTP <-> domain for access tokens, contacts and their tokens, fast access rules and contact
// groups (static members, dynamic criteria). Consent is in consent.ts, import/export jobs in
// contact-jobs.ts.
import type { OperationHandlers, TypedContext } from '../../../core/contract-types.js';
import { parseTimestamp } from '../../../core/clock.js';
import { invalid, notFound, SimError } from '../../../core/errors.js';
import type { Rec } from '../../../core/store.js';
import type { Workspace } from '../../../core/workspace.js';
import type { SynCollections } from '../collections.js';
import type { operations } from '../generated/contract.js';
import { crudActions } from '../../../core/crud.js';
import { issueAccessToken } from '../attachments.js';
import { addToGroup, createContact, createGroup, groupMember, groupMembers, removeContact, removeFromGroup, replaceGroup, updateContact, updateGroup } from '../contacts.js';
import { createRule, removeRule, updateRule } from '../fast-access.js';
import { style, idAnswer as ok } from '../style.js';


type Ctx<Id extends keyof operations> = TypedContext<operations, Id>;

function tokenExpiry(ws: Workspace, body: Record<string, unknown> | undefined): number | undefined {
  if (!body) return undefined;
  if (body.duration !== undefined && body.duration !== null && body.expiry_time !== undefined && body.expiry_time !== null) {
    throw invalid('give duration or expiry_time, not both', { field: 'duration' });
  }
  if (body.duration !== undefined && body.duration !== null) return ws.now() + Number(body.duration) * 1000;
  if (body.expiry_time !== undefined && body.expiry_time !== null) {
    const t = parseTimestamp(body.expiry_time);
    if (t === undefined || t <= ws.now()) throw invalid('expiry_time must be a future timestamp', { field: 'expiry_time' });
    return t;
  }
  return undefined;
}

export function contactsHandlers(c: SynCollections): OperationHandlers<operations> {
  const tokens = crudActions(style, c.accessTokens);
  const contacts = crudActions(style, c.contacts);
  const appTokens = crudActions(style, c.applicationTokens, { parent: { param: 'Contact_ID', collection: c.contacts } });
  const rules = crudActions(style, c.fastAccessRules);
  const groups = crudActions(style, c.contactGroups);

  const renderGroup = (ws: Workspace, g: Rec) => ({ ...c.contactGroups.render(g), member_count: groupMembers(ws, c, g).length });
  const renderContacts = (items: Rec[]) => items.map((r) => c.contacts.render(r));

  return {
    listAccessTokens: tokens.list,
    getAccessToken: tokens.get,
    createAccessToken: (ctx) => {
      const b = ctx.body ?? {};
      const resource = b.resource ? String(b.resource).toUpperCase() : null;
      const rid = b.resource_id ? String(b.resource_id) : null;
      if (Boolean(resource) !== Boolean(rid)) throw invalid('resource and resource_id go together', { field: resource ? 'resource_id' : 'resource' });
      if (resource === 'ATTACHMENT' && !c.attachments.find(ctx.ws, rid!)) throw invalid(`attachment ${rid} does not exist`, { field: 'resource_id' });
      if (resource === 'CONTACT' && !c.contacts.find(ctx.ws, rid!)) throw invalid(`contact ${rid} does not exist`, { field: 'resource_id' });
      return { body: { id: issueAccessToken(ctx.ws, c, resource, rid, tokenExpiry(ctx.ws, b)) } };
    },
    deleteAccessToken: (ctx) => ok(c.accessTokens.remove(ctx.ws, ctx.params.AccessToken_ID)),

    listContacts: (ctx) => {
      const { items, page } = c.contacts.list(ctx.ws, ctx.query, { where: fastAccessFilter(ctx.rawQuery) });
      return { body: c.contacts.envelope(renderContacts(items), page) };
    },
    getContact: contacts.get,
    createContact: (ctx) => ok(createContact(ctx.ws, c, ctx.body, ctx.operation.bodySchema)),
    updateContact: (ctx) => ok(updateContact(ctx.ws, c, ctx.params.Contact_ID, ctx.body, ctx.operation.bodySchema)),
    replaceContact: (ctx) => ok(updateContact(ctx.ws, c, ctx.params.Contact_ID, ctx.body, ctx.operation.bodySchema, true)),
    deleteContact: (ctx) => ok(removeContact(ctx.ws, c, ctx.params.Contact_ID)),
    listContactAccessTokens: (ctx) => {
      const contact = c.contacts.get(ctx.ws, ctx.params.Contact_ID);
      const { items, page } = c.accessTokens.list(ctx.ws, ctx.query, { where: (t) => t._resource === 'CONTACT' && t._resource_id === contact.id });
      return { body: c.accessTokens.envelope(items.map((t) => c.accessTokens.render(t)), page) };
    },
    createContactAccessToken: (ctx) => {
      const contact = c.contacts.get(ctx.ws, ctx.params.Contact_ID);
      return { body: { id: issueAccessToken(ctx.ws, c, 'CONTACT', String(contact.id), tokenExpiry(ctx.ws, ctx.body)) } };
    },
    getContactAccessToken: (ctx) => ({ body: c.accessTokens.render(contactToken(ctx, c)) }),
    deleteContactAccessToken: (ctx) => {
      const t = contactToken(ctx, c);
      c.accessTokens.table(ctx.ws).remove(String(t.id));
      return ok(t);
    },
    replaceContactAccessToken: (ctx) => {
      const t = contactToken(ctx, c);
      c.accessTokens.checkVersion(t, ctx.body);
      const at = tokenExpiry(ctx.ws, ctx.body) ?? ctx.ws.now() + 300_000;
      t.expiry_time = new Date(at).toISOString();
      return ok(c.accessTokens.bump(ctx.ws, t));
    },

    listContactApplicationTokens: appTokens.list,
    getContactApplicationToken: appTokens.get,
    createContactApplicationToken: appTokens.create,
    updateContactApplicationToken: appTokens.update,
    replaceContactApplicationToken: appTokens.replace,
    deleteContactApplicationToken: appTokens.remove,

    listFastAccessRules: rules.list,
    getFastAccessRule: rules.get,
    createFastAccessRule: (ctx) => ok(createRule(ctx.ws, c, ctx.body, ctx.operation.bodySchema)),
    updateFastAccessRule: (ctx) => ok(updateRule(ctx.ws, c, ctx.params.Rule_ID, ctx.body, ctx.operation.bodySchema)),
    deleteFastAccessRule: (ctx) => ok(removeRule(ctx.ws, c, ctx.params.Rule_ID)),

    listContactGroups: (ctx) => {
      const { items, page } = c.contactGroups.list(ctx.ws, ctx.query);
      return { body: c.contactGroups.envelope(items.map((g) => renderGroup(ctx.ws, g)), page) };
    },
    getContactGroup: (ctx) => ({ body: renderGroup(ctx.ws, c.contactGroups.get(ctx.ws, ctx.params.Group_ID)) }),
    createContactGroup: (ctx) => ok(createGroup(ctx.ws, c, ctx.body, ctx.operation.bodySchema)),
    updateContactGroup: (ctx) => ok(updateGroup(ctx.ws, c, ctx.params.Group_ID, ctx.body, ctx.operation.bodySchema)),
    replaceContactGroup: (ctx) => ok(replaceGroup(ctx.ws, c, ctx.params.Group_ID, ctx.body, ctx.operation.bodySchema)),
    deleteContactGroup: groups.remove,
    listContactGroupContacts: (ctx) => {
      const g = c.contactGroups.get(ctx.ws, ctx.params.Group_ID);
      const ids = new Set(groupMembers(ctx.ws, c, g).map((m) => m.id));
      const fa = fastAccessFilter(ctx.rawQuery);
      const { items, page } = c.contacts.list(ctx.ws, ctx.query, { where: (r) => ids.has(r.id) && (!fa || fa(r)) });
      return { body: c.contacts.envelope(renderContacts(items), page) };
    },
    addContactGroupContacts: (ctx) => ({ body: addToGroup(ctx.ws, c, ctx.params.Group_ID, ctx.body, ctx.operation.bodySchema) }),
    getContactGroupContact: (ctx) => ({ body: c.contacts.render(groupMember(ctx.ws, c, ctx.params.Group_ID, ctx.params.Contact_ID)) }),
    removeContactGroupContact: (ctx) => ok(removeFromGroup(ctx.ws, c, ctx.params.Group_ID, ctx.params.Contact_ID)),
  };
}

/** `fast_access.<name>=v` list parameters (read from the raw query: the names are the rules'), or undefined. */
function fastAccessFilter(rawQuery: Record<string, string>): ((r: Rec) => boolean) | undefined {
  const wanted = Object.entries(rawQuery).filter(([k, v]) => k.startsWith('fast_access.') && k.length > 12 && v !== '');
  if (!wanted.length) return undefined;
  for (const [k, v] of wanted) if (v.length > 255) throw new SimError('too_long', `${k} is longer than 255 characters`, { field: k });
  return (r) => {
    let values: Record<string, unknown> = {};
    try {
      values = typeof r.fast_access === 'string' ? (JSON.parse(r.fast_access) as Record<string, unknown>) : {};
    } catch {
      return false;
    }
    return wanted.every(([k, v]) => {
      const x = values[k.slice('fast_access.'.length)];
      return x !== undefined && x !== null && (typeof x === 'object' ? JSON.stringify(x) : String(x)) === v;
    });
  };
}

function contactToken(ctx: Ctx<'getContactAccessToken' | 'deleteContactAccessToken' | 'replaceContactAccessToken'>, c: SynCollections): Rec {
  const contact = c.contacts.get(ctx.ws, ctx.params.Contact_ID);
  const t = c.accessTokens.find(ctx.ws, ctx.params.Contact_Access_Token_Id);
  if (!t || t._resource !== 'CONTACT' || t._resource_id !== contact.id) throw notFound(`access token ${ctx.params.Contact_Access_Token_Id} of contact ${contact.id} not found`);
  return t;
}
