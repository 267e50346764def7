// HTTP <-> domain for access tokens, consent (address statuses + history), contacts and their
// tokens, fast access rules, contact groups (static members, dynamic criteria) and contact
// import/export jobs (core jobs on the workspace clock, CSV in attachments).
import type { HandlerContext } from '../../../core/api.js';
import type { OperationHandlers, TypedContext } from '../../../core/contract-types.js';
import { parseTimestamp } from '../../../core/clock.js';
import { forbidden, invalid, notFound, SimError } from '../../../core/errors.js';
import { createJob, deleteJob } from '../../../core/jobs.js';
import { toStringList } from '../../../core/engine/collection.js';
import type { Rec } from '../../../core/store.js';
import type { Workspace } from '../../../core/workspace.js';
import type { SynCollections } from '../collections.js';
import type { operations } from '../generated/contract.js';
import { parseCriteria } from '../criteria.js';
import { crudActions } from '../../../core/crud.js';
import { issueAccessToken } from '../attachments.js';
import { csvRowsOf, JOB_KIND } from '../contact-jobs.js';
import { addHistory, groupMembers, removeContact, safeJson, writeFastAccess } from '../contacts.js';
import { API_ID, style } from '../style.js';

const JSON_FIELDS = ['address_list', 'customer_account_list', 'customer_device_list', 'interest_list', 'demographic_list', 'extended_attributes'];
const ok = (rec: { id: unknown }) => ({ body: { id: rec.id } });

type Ctx<Id extends keyof operations> = TypedContext<operations, Id>;

/** Client contact bodies -> stored form: JSON-valued fields as JSON text, SDK aliases, voice_preference booleans. */
function contactBody(body: Record<string, unknown> | undefined): Record<string, unknown> {
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
  const statuses = crudActions(style, c.addressStatuses);
  const history = crudActions(style, c.addressHistory);
  const contacts = crudActions(style, c.contacts);
  const appTokens = crudActions(style, c.applicationTokens, { parent: { param: 'Contact_ID', collection: c.contacts } });
  const rules = crudActions(style, c.fastAccessRules);
  const groups = crudActions(style, c.contactGroups);
  const importJobs = crudActions(style, c.importJobs);
  const exportJobs = crudActions(style, c.exportJobs);

  const writeContact = (ws: Workspace, rec: Rec, b: Record<string, unknown>) => writeFastAccess(ws, c, rec, b.fast_access as Record<string, unknown> | undefined);
  const members = (ws: Workspace, g: Rec) => groupMembers(ws, c, g);
  const renderGroup = (ws: Workspace, g: Rec) => ({ ...c.contactGroups.render(g), member_count: members(ws, g).length });

  const groupValues = (ctx: HandlerContext, existing?: Rec) => {
    const body = { ...(ctx.body ?? {}) } as Record<string, unknown>;
    if (body.criteria !== undefined && body.criteria !== null && body.criteria !== '') body.criteria = JSON.stringify(parseCriteria(body.criteria));
    else if (body.criteria === '') body.criteria = null;
    const values = c.contactGroups.pick(body, ctx.operation.bodySchema);
    const criteria = 'criteria' in values ? values.criteria : existing?.criteria;
    const type = criteria ? 'DYNAMIC' : 'STATIC';
    if (body.type && String(body.type).toUpperCase() !== type) throw invalid(`type ${body.type} contradicts the criteria (a group with criteria is DYNAMIC)`, { field: 'type' });
    return { ...values, type, status: 'Ready' } as Record<string, unknown>;
  };

  const addHistoryOf = (ws: Workspace, address: string, senderId: string, status: string, source: string) => addHistory(ws, c, address, senderId, status, source);

  const handlers: OperationHandlers<operations> = {
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
    deleteAccessToken: (ctx) => {
      const t = c.accessTokens.remove(ctx.ws, ctx.params.AccessToken_ID);
      return ok(t);
    },

    listContactAddressStatuses: statuses.list,
    getContactAddressStatus: statuses.get,
    createContactAddressStatus: (ctx) => {
      const ws = ctx.ws;
      const values = c.addressStatuses.pick(ctx.body, ctx.operation.bodySchema);
      if (!c.senderIds.lookup(ws, String(values.sender_id))) throw invalid(`sender id ${values.sender_id} does not exist`, { field: 'sender_id' });
      const rec = c.addressStatuses.insert(ws, values);
      if (rec.consent_status !== 'NONE') addHistoryOf(ws, String(rec.address), String(rec.sender_id), String(rec.consent_status), 'COMPANY');
      return ok(rec);
    },
    updateContactAddressStatus: (ctx) => {
      const ws = ctx.ws;
      const rec = c.addressStatuses.get(ws, ctx.params.AddressStatus_ID);
      const sender = c.senderIds.find(ws, String(rec.sender_id));
      if (sender?.consent_managed_by === 'SCG') throw forbidden(`consent for sender id ${sender.id} is managed by SCG (keywords), not by the application`);
      if (ctx.body?.address_type !== undefined && ctx.body.address_type !== rec.address_type) throw invalid('address_type cannot change', { field: 'address_type' });
      const before = rec.consent_status;
      c.addressStatuses.update(ws, String(rec.id), ctx.body, ctx.operation.bodySchema);
      if (rec.consent_status !== before) addHistoryOf(ws, String(rec.address), String(rec.sender_id), String(rec.consent_status), 'COMPANY');
      return ok(rec);
    },
    deleteContactAddressStatus: statuses.remove,
    listContactAddressHistory: history.list,

    listContacts: contacts.list,
    getContact: contacts.get,
    createContact: (ctx) => {
      const b = contactBody(ctx.body);
      const rec = c.contacts.insert(ctx.ws, c.contacts.pick({ ...b, fast_access: undefined }, ctx.operation.bodySchema));
      writeContact(ctx.ws, rec, b);
      return ok(rec);
    },
    updateContact: (ctx) => {
      const b = contactBody(ctx.body);
      const rec = c.contacts.update(ctx.ws, ctx.params.Contact_ID, { ...b, fast_access: undefined }, ctx.operation.bodySchema);
      writeContact(ctx.ws, rec, b);
      return ok(rec);
    },
    replaceContact: (ctx) => {
      const b = contactBody(ctx.body);
      const rec = c.contacts.replace(ctx.ws, ctx.params.Contact_ID, { ...b, fast_access: undefined }, ctx.operation.bodySchema);
      rec.fast_access = null;
      writeContact(ctx.ws, rec, b);
      return ok(rec);
    },
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
    createFastAccessRule: rules.create,
    updateFastAccessRule: rules.update,
    deleteFastAccessRule: rules.remove,

    listContactGroups: (ctx) => {
      const { items, page } = c.contactGroups.list(ctx.ws, ctx.query);
      return { body: c.contactGroups.envelope(items.map((g) => renderGroup(ctx.ws, g)), page) };
    },
    getContactGroup: (ctx) => ({ body: renderGroup(ctx.ws, c.contactGroups.get(ctx.ws, ctx.params.Group_ID)) }),
    createContactGroup: (ctx) => ok(c.contactGroups.insert(ctx.ws, { ...groupValues(ctx), _members: [] })),
    updateContactGroup: (ctx) => {
      const g = c.contactGroups.get(ctx.ws, ctx.params.Group_ID);
      c.contactGroups.checkVersion(g, ctx.body);
      const values = groupValues(ctx, g);
      c.contactGroups.checkUnique(ctx.ws, { ...g, ...values });
      if (values.type !== g.type) g._members = [];
      Object.assign(g, values);
      return ok(c.contactGroups.bump(ctx.ws, g));
    },
    replaceContactGroup: (ctx) => {
      const g = c.contactGroups.get(ctx.ws, ctx.params.Group_ID);
      const values = groupValues(ctx);
      const rec = c.contactGroups.replace(ctx.ws, String(g.id), { ...ctx.body, criteria: (values as Record<string, unknown>).criteria ?? null }, ctx.operation.bodySchema);
      if (values.type !== rec.type) rec._members = [];
      Object.assign(rec, { type: values.type, status: 'Ready' });
      return ok(rec);
    },
    deleteContactGroup: groups.remove,
    listContactGroupContacts: (ctx) => {
      const g = c.contactGroups.get(ctx.ws, ctx.params.Group_ID);
      const ids = new Set(members(ctx.ws, g).map((m) => m.id));
      const { items, page } = c.contacts.list(ctx.ws, ctx.query, { where: (r) => ids.has(r.id) });
      return { body: c.contacts.envelope(items.map((r) => c.contacts.render(r)), page) };
    },
    addContactGroupContacts: (ctx) => {
      const ws = ctx.ws;
      const g = c.contactGroups.get(ws, ctx.params.Group_ID);
      if (g.type === 'DYNAMIC') throw invalid(`group ${g.id} is DYNAMIC: its members follow its criteria`);
      const body = ctx.body ?? {};
      const members = [...((g._members as string[]) ?? [])];
      if (body.contacts !== undefined && body.contacts !== null) {
        const errors: Record<string, string> = {};
        for (const id of toStringList(body.contacts) ?? []) {
          if (!c.contacts.lookup(ws, id)) errors[id] = `Unknown document: ${id}`;
          else if (!members.includes(id)) members.push(id);
        }
        g._members = members;
        c.contactGroups.bump(ws, g);
        return { body: { id: g.id, errors } };
      }
      const b = contactBody(body);
      const values = c.contacts.pick({ ...b, fast_access: undefined }, ctx.operation.bodySchema);
      if (!Object.keys(values).length) throw invalid('send {"contacts": [ids]} or the fields of a new contact');
      const rec = c.contacts.insert(ws, values);
      writeContact(ws, rec, b);
      g._members = [...members, String(rec.id)];
      c.contactGroups.bump(ws, g);
      return { body: { id: rec.id } };
    },
    getContactGroupContact: (ctx) => ({ body: c.contacts.render(groupMember(ctx, c, members)) }),
    removeContactGroupContact: (ctx) => {
      const g = c.contactGroups.get(ctx.ws, ctx.params.Group_ID);
      if (g.type === 'DYNAMIC') throw invalid(`group ${g.id} is DYNAMIC: its members follow its criteria`);
      const m = groupMember(ctx, c, members);
      g._members = ((g._members as string[]) ?? []).filter((x) => x !== m.id);
      c.contactGroups.bump(ctx.ws, g);
      return ok(m);
    },

    listContactImportJobs: importJobs.list,
    getContactImportJob: importJobs.get,
    createContactImportJob: (ctx) => {
      const ws = ctx.ws;
      const b = ctx.body ?? {};
      const a = c.attachments.find(ws, String(b.import_attachment_id));
      if (!a) throw invalid(`attachment ${b.import_attachment_id} does not exist`, { field: 'import_attachment_id' });
      if (a.state !== 'UPLOADED') throw invalid(`attachment ${a.id} has no content`, { field: 'import_attachment_id' });
      if (b.contact_group_id) {
        const g = c.contactGroups.find(ws, String(b.contact_group_id));
        if (!g) throw invalid(`contact group ${b.contact_group_id} does not exist`, { field: 'contact_group_id' });
        if (g.type !== 'STATIC') throw invalid(`contact group ${g.id} is DYNAMIC`, { field: 'contact_group_id' });
      }
      const rows = csvRowsOf(ws, String(a.id));
      const rec = c.importJobs.insert(ws, { import_attachment_id: a.id, contact_group_id: b.contact_group_id ?? null, state: 'CREATED', imported_count: 0, failed_count: 0 });
      const job = createJob(ws, { api: API_ID, kind: JOB_KIND.import, total: Math.max(1, rows.length - 1), input: { record: rec.id } });
      rec._job = job.id;
      return ok(rec);
    },
    deleteContactImportJob: (ctx) => {
      const rec = c.importJobs.remove(ctx.ws, ctx.params.Job_ID);
      if (rec._job) deleteJob(ctx.ws, String(rec._job));
      return ok(rec);
    },
    listContactExportJobs: exportJobs.list,
    getContactExportJob: exportJobs.get,
    createContactExportJob: (ctx) => {
      const ws = ctx.ws;
      const b = ctx.body ?? {};
      let groupSize = c.contacts.table(ws).size;
      if (b.contact_group_id) {
        const g = c.contactGroups.find(ws, String(b.contact_group_id));
        if (!g) throw invalid(`contact group ${b.contact_group_id} does not exist`, { field: 'contact_group_id' });
        groupSize = members(ws, g).length;
      }
      let attachmentId = b.export_attachment_id ? String(b.export_attachment_id) : undefined;
      if (attachmentId && !c.attachments.lookup(ws, attachmentId)) throw invalid(`attachment ${attachmentId} does not exist`, { field: 'export_attachment_id' });
      if (!attachmentId) attachmentId = String(c.attachments.insert(ws, { name: 'contact-export', type: 'text/csv', filename: 'contacts.csv' }).id);
      const rec = c.exportJobs.insert(ws, { contact_group_id: b.contact_group_id ?? null, export_attachment_id: attachmentId, state: 'CREATED', exported_count: 0 });
      const job = createJob(ws, { api: API_ID, kind: JOB_KIND.export, total: Math.max(1, groupSize), input: { record: rec.id } });
      rec._job = job.id;
      return ok(rec);
    },
    deleteContactExportJob: (ctx) => {
      const rec = c.exportJobs.remove(ctx.ws, ctx.params.Job_ID);
      if (rec._job) deleteJob(ctx.ws, String(rec._job));
      return ok(rec);
    },
  };
  return handlers;
}

function contactToken(ctx: Ctx<'getContactAccessToken' | 'deleteContactAccessToken' | 'replaceContactAccessToken'>, c: SynCollections): Rec {
  const contact = c.contacts.get(ctx.ws, ctx.params.Contact_ID);
  const t = c.accessTokens.find(ctx.ws, ctx.params.Contact_Access_Token_Id);
  if (!t || t._resource !== 'CONTACT' || t._resource_id !== contact.id) throw notFound(`access token ${ctx.params.Contact_Access_Token_Id} of contact ${contact.id} not found`);
  return t;
}

function groupMember(ctx: Ctx<'getContactGroupContact' | 'removeContactGroupContact'>, c: SynCollections, members: (ws: Workspace, g: Rec) => Rec[]): Rec {
  const g = c.contactGroups.get(ctx.ws, ctx.params.Group_ID);
  const m = members(ctx.ws, g).find((x) => x.id === ctx.params.Contact_ID);
  if (!m) throw notFound(`contact ${ctx.params.Contact_ID} is not a member of group ${g.id}`);
  return m;
}

