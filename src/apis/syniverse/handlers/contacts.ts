// HTTP <-> domain for access tokens, consent (address statuses + history), contacts and their
// tokens, fast access rules, contact groups (static members, dynamic criteria) and contact
// import/export jobs (core jobs on the workspace clock, CSV in attachments).
import type { Handler, HandlerContext } from '../../../core/api.js';
import { parseTimestamp } from '../../../core/clock.js';
import { forbidden, invalid, notFound, SimError } from '../../../core/errors.js';
import { createJob, deleteJob, type Job, type JobKind } from '../../../core/jobs.js';
import { toStringList } from '../../../core/engine/collection.js';
import type { Rec } from '../../../core/store.js';
import type { Workspace } from '../../../core/workspace.js';
import type { SynCollections } from '../collections.js';
import { compile, parseCriteria } from '../criteria.js';
import { crudActions } from '../../../core/crud.js';
import type { RecipientDirectory } from '../messaging.js';
import { normalizeMdn } from '../numbers.js';
import { API_ID, style } from '../style.js';
import { contentTable, issueAccessToken } from './messaging.js';

const JSON_FIELDS = ['address_list', 'customer_account_list', 'customer_device_list', 'interest_list', 'demographic_list', 'extended_attributes'];
const ok = (rec: { id: unknown }) => ({ body: { id: rec.id } });
export const JOB_KIND = { import: 'syniverse.contactimport', export: 'syniverse.contactexport' } as const;

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

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
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

export function contactsHandlers(c: SynCollections): { handlers: Record<string, Handler>; directory: RecipientDirectory; jobKinds: Record<string, JobKind> } {
  const tokens = crudActions(style, c.accessTokens);
  const statuses = crudActions(style, c.addressStatuses);
  const history = crudActions(style, c.addressHistory);
  const contacts = crudActions(style, c.contacts);
  const appTokens = crudActions(style, c.applicationTokens, { parent: { param: 'Contact_ID', collection: c.contacts } });
  const rules = crudActions(style, c.fastAccessRules);
  const groups = crudActions(style, c.contactGroups);
  const importJobs = crudActions(style, c.importJobs);
  const exportJobs = crudActions(style, c.exportJobs);

  const writeContact = (ws: Workspace, rec: Rec, b: Record<string, unknown>) => {
    if (b.fast_access && typeof b.fast_access === 'object') {
      const current = (typeof rec.fast_access === 'string' ? safeJson(rec.fast_access) : {}) as Record<string, unknown>;
      const names = new Set(c.fastAccessRules.table(ws).all().flatMap((r) => [String(r.target_attribute), String(r.target_attribute_name ?? '')]));
      for (const k of Object.keys(b.fast_access as object)) if (!names.has(k)) throw invalid(`no fast access rule defines '${k}'`, { field: 'fast_access' });
      rec.fast_access = JSON.stringify({ ...(current ?? {}), ...(b.fast_access as object) });
    }
  };

  const groupMembers = (ws: Workspace, g: Rec): Rec[] => {
    if (g.type === 'DYNAMIC' && g.criteria) {
      const p = compile(parseCriteria(g.criteria));
      return c.contacts.table(ws).filter(p);
    }
    const ids = (g._members as string[]) ?? [];
    return ids.map((id) => c.contacts.table(ws).get(id)).filter((x): x is Rec => Boolean(x));
  };
  const renderGroup = (ws: Workspace, g: Rec) => ({ ...c.contactGroups.render(g), member_count: groupMembers(ws, g).length });

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

  const consentRecord = (ws: Workspace, address: string, senderId: string) => {
    const norm = normalizeMdn(address) ?? address;
    return c.addressStatuses.table(ws).find((s) => s.sender_id === senderId && (normalizeMdn(String(s.address)) ?? s.address) === norm);
  };
  const addHistory = (ws: Workspace, address: string, senderId: string, status: string, source: string, extra: Record<string, unknown> = {}) =>
    c.addressHistory.insert(ws, { msisdn: address, sender_id: senderId, source, status, timestamp: ws.nowIso(), message: null, keyword: null, ...extra });

  const directory: RecipientDirectory = {
    resolve(ws, element, priority) {
      const contact = c.contacts.find(ws, element);
      if (contact) {
        const addr = addressOf(contact, priority);
        return addr ? [{ address: addr, contactId: String(contact.id) }] : [];
      }
      const g = c.contactGroups.find(ws, element);
      if (g) return groupMembers(ws, g).flatMap((m) => (addressOf(m, priority) ? [{ address: addressOf(m, priority)!, contactId: String(m.id) }] : []));
      return undefined;
    },
    criteria(ws, expression, priority) {
      const p = compile(parseCriteria(expression));
      return c.contacts.table(ws).filter(p).flatMap((m) => (addressOf(m, priority) ? [{ address: addressOf(m, priority)!, contactId: String(m.id) }] : []));
    },
    consent(ws, address, senderId) {
      return consentRecord(ws, address, senderId)?.consent_status as string | undefined;
    },
    setConsent(ws, address, senderId, status, keyword, message) {
      let rec = consentRecord(ws, address, senderId);
      if (rec && (rec.consent_status === 'WHITELIST' || rec.consent_status === 'BLACKLIST')) return; // end users cannot override these
      if (!rec) rec = c.addressStatuses.insert(ws, { address_type: 'MDN', address, sender_id: senderId, consent_status: status });
      else if (rec.consent_status !== status) {
        rec.consent_status = status;
        c.addressStatuses.bump(ws, rec);
      }
      addHistory(ws, address, senderId, status, 'MESSAGE', { keyword, message });
    },
  };

  const jobKinds: Record<string, JobKind> = {
    [JOB_KIND.import]: {
      onStart: (ws, job) => markJob(ws, c.importJobs, job, 'RUNNING'),
      run: (ws, job) => runImport(ws, c, job),
      onEnd: (ws, job) => markJob(ws, c.importJobs, job, 'COMPLETED'),
    },
    [JOB_KIND.export]: {
      onStart: (ws, job) => markJob(ws, c.exportJobs, job, 'RUNNING'),
      run: (ws, job) => runExport(ws, c, job, groupMembers),
      onEnd: (ws, job) => markJob(ws, c.exportJobs, job, 'COMPLETED'),
    },
  };

  const handlers: Record<string, Handler> = {
    listAccessTokens: tokens.list,
    getAccessToken: tokens.get,
    createAccessToken: (ctx) => {
      const b = (ctx.body ?? {}) as Record<string, unknown>;
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
      if (!c.senderIds.find(ws, String(values.sender_id))) throw invalid(`sender id ${values.sender_id} does not exist`, { field: 'sender_id' });
      const rec = c.addressStatuses.insert(ws, values);
      if (rec.consent_status !== 'NONE') addHistory(ws, String(rec.address), String(rec.sender_id), String(rec.consent_status), 'COMPANY');
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
      if (rec.consent_status !== before) addHistory(ws, String(rec.address), String(rec.sender_id), String(rec.consent_status), 'COMPANY');
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
    deleteContact: (ctx) => {
      const ws = ctx.ws;
      const rec = c.contacts.remove(ws, ctx.params.Contact_ID);
      for (const g of c.contactGroups.table(ws).filter((g) => ((g._members as string[]) ?? []).includes(String(rec.id)))) {
        g._members = (g._members as string[]).filter((x) => x !== rec.id);
        c.contactGroups.bump(ws, g);
      }
      for (const t of c.applicationTokens.table(ws).filter((t) => t._contact_id === rec.id)) c.applicationTokens.table(ws).remove(String(t.id));
      for (const t of c.accessTokens.table(ws).filter((t) => t._resource === 'CONTACT' && t._resource_id === rec.id)) c.accessTokens.table(ws).remove(String(t.id));
      return ok(rec);
    },
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
      const ids = new Set(groupMembers(ctx.ws, g).map((m) => m.id));
      const { items, page } = c.contacts.list(ctx.ws, ctx.query, { where: (r) => ids.has(r.id) });
      return { body: c.contacts.envelope(items.map((r) => c.contacts.render(r)), page) };
    },
    addContactGroupContacts: (ctx) => {
      const ws = ctx.ws;
      const g = c.contactGroups.get(ws, ctx.params.Group_ID);
      if (g.type === 'DYNAMIC') throw invalid(`group ${g.id} is DYNAMIC: its members follow its criteria`);
      const body = (ctx.body ?? {}) as Record<string, unknown>;
      const members = [...((g._members as string[]) ?? [])];
      if (body.contacts !== undefined && body.contacts !== null) {
        const errors: Record<string, string> = {};
        for (const id of toStringList(body.contacts) ?? []) {
          if (!c.contacts.find(ws, id)) errors[id] = `Unknown document: ${id}`;
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
    getContactGroupContact: (ctx) => ({ body: c.contacts.render(groupMember(ctx, c, groupMembers)) }),
    removeContactGroupContact: (ctx) => {
      const g = c.contactGroups.get(ctx.ws, ctx.params.Group_ID);
      if (g.type === 'DYNAMIC') throw invalid(`group ${g.id} is DYNAMIC: its members follow its criteria`);
      const m = groupMember(ctx, c, groupMembers);
      g._members = ((g._members as string[]) ?? []).filter((x) => x !== m.id);
      c.contactGroups.bump(ctx.ws, g);
      return ok(m);
    },

    listContactImportJobs: importJobs.list,
    getContactImportJob: importJobs.get,
    createContactImportJob: (ctx) => {
      const ws = ctx.ws;
      const b = (ctx.body ?? {}) as Record<string, unknown>;
      const a = c.attachments.find(ws, String(b.import_attachment_id));
      if (!a) throw invalid(`attachment ${b.import_attachment_id} does not exist`, { field: 'import_attachment_id' });
      if (a.state !== 'UPLOADED') throw invalid(`attachment ${a.id} has no content`, { field: 'import_attachment_id' });
      if (b.contact_group_id) {
        const g = c.contactGroups.find(ws, String(b.contact_group_id));
        if (!g) throw invalid(`contact group ${b.contact_group_id} does not exist`, { field: 'contact_group_id' });
        if (g.type !== 'STATIC') throw invalid(`contact group ${g.id} is DYNAMIC`, { field: 'contact_group_id' });
      }
      const rows = parseCsv(Buffer.from(String(contentTable(ws).get(String(a.id))?.data ?? ''), 'base64').toString('utf8'));
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
      const b = (ctx.body ?? {}) as Record<string, unknown>;
      let groupSize = c.contacts.table(ws).size;
      if (b.contact_group_id) {
        const g = c.contactGroups.find(ws, String(b.contact_group_id));
        if (!g) throw invalid(`contact group ${b.contact_group_id} does not exist`, { field: 'contact_group_id' });
        groupSize = groupMembers(ws, g).length;
      }
      let attachmentId = b.export_attachment_id ? String(b.export_attachment_id) : undefined;
      if (attachmentId && !c.attachments.find(ws, attachmentId)) throw invalid(`attachment ${attachmentId} does not exist`, { field: 'export_attachment_id' });
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
  return { handlers, directory, jobKinds };
}

/** The address of a contact for the first kind of `priority` it has (MDN -> primary_mdn, EMAIL -> primary_email_addr). */
function addressOf(contact: Rec, priority: string[]): string | undefined {
  for (const kind of priority.length ? priority : ['MDN']) {
    if (kind.toUpperCase() === 'MDN' && contact.primary_mdn) return String(contact.primary_mdn);
    if (kind.toUpperCase() === 'EMAIL' && contact.primary_email_addr) return String(contact.primary_email_addr);
  }
  return undefined;
}

function contactToken(ctx: HandlerContext, c: SynCollections): Rec {
  const contact = c.contacts.get(ctx.ws, ctx.params.Contact_ID);
  const t = c.accessTokens.find(ctx.ws, ctx.params.Contact_Access_Token_Id);
  if (!t || t._resource !== 'CONTACT' || t._resource_id !== contact.id) throw notFound(`access token ${ctx.params.Contact_Access_Token_Id} of contact ${contact.id} not found`);
  return t;
}

function groupMember(ctx: HandlerContext, c: SynCollections, members: (ws: Workspace, g: Rec) => Rec[]): Rec {
  const g = c.contactGroups.get(ctx.ws, ctx.params.Group_ID);
  const m = members(ctx.ws, g).find((x) => x.id === ctx.params.Contact_ID);
  if (!m) throw notFound(`contact ${ctx.params.Contact_ID} is not a member of group ${g.id}`);
  return m;
}

function markJob(ws: Workspace, coll: SynCollections['importJobs'], job: Job, state: string): void {
  const rec = coll.table(ws).get(String(job.input.record));
  if (!rec) return;
  rec.state = state;
  if (state === 'RUNNING') rec.started_date = ws.nowIso();
  if (state === 'COMPLETED') rec.completed_date = ws.nowIso();
  coll.bump(ws, rec);
}

/** RFC 4180-ish CSV: quoted fields with "" escapes, comma separated, first row = header. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function runImport(ws: Workspace, c: SynCollections, job: Job) {
  const rec = c.importJobs.table(ws).get(String(job.input.record));
  if (!rec) return null;
  const a = c.attachments.table(ws).get(String(rec.import_attachment_id));
  const text = Buffer.from(String(contentTable(ws).get(String(a?.id))?.data ?? ''), 'base64').toString('utf8');
  const [header = [], ...rows] = parseCsv(text);
  const fields = new Set(c.contacts.cfg.shape.fields);
  const failures: string[][] = [];
  let imported = 0;
  const group = rec.contact_group_id ? c.contactGroups.table(ws).get(String(rec.contact_group_id)) : undefined;
  for (const row of rows) {
    try {
      const values: Record<string, unknown> = {};
      header.forEach((h, i) => {
        const k = h.trim();
        if (!fields.has(k) || ['id', 'version_number', 'created_date', 'last_updated_date', 'application_id', 'fast_access'].includes(k)) return;
        values[k] = row[i] === '' || row[i] === undefined ? null : c.contacts.normalize(k, row[i]);
      });
      if (values.primary_mdn && !normalizeMdn(String(values.primary_mdn))) throw new SimError('invalid', `primary_mdn ${values.primary_mdn} is not a phone number`);
      const existing = values.external_id ? c.contacts.table(ws).find((x) => x.external_id === values.external_id) : undefined;
      let contact: Rec;
      if (existing) {
        Object.assign(existing, values);
        contact = c.contacts.bump(ws, existing);
      } else contact = c.contacts.insert(ws, values);
      if (group && !((group._members as string[]) ?? []).includes(String(contact.id))) {
        group._members = [...((group._members as string[]) ?? []), String(contact.id)];
        c.contactGroups.bump(ws, group);
      }
      imported++;
    } catch (e) {
      failures.push([...row, e instanceof Error ? e.message : String(e)]);
    }
  }
  rec.imported_count = imported;
  rec.failed_count = failures.length;
  if (failures.length) {
    const fa = c.attachments.insert(ws, { name: 'contact-import-failures', type: 'text/csv', filename: 'failures.csv', state: 'UPLOADED' });
    const csv = [[...header, 'error'], ...failures].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
    contentTable(ws).put({ id: String(fa.id), data: Buffer.from(csv).toString('base64') });
    fa.size = Buffer.byteLength(csv);
    c.attachments.table(ws).touch(fa);
    rec.failures_attachment_id = fa.id;
  }
  c.importJobs.table(ws).touch(rec);
  return { imported, failed: failures.length };
}

function runExport(ws: Workspace, c: SynCollections, job: Job, members: (ws: Workspace, g: Rec) => Rec[]) {
  const rec = c.exportJobs.table(ws).get(String(job.input.record));
  if (!rec) return null;
  const g = rec.contact_group_id ? c.contactGroups.table(ws).get(String(rec.contact_group_id)) : undefined;
  const list = g ? members(ws, g) : c.contacts.table(ws).all();
  const fields = c.contacts.cfg.shape.fields;
  const csv = [fields.join(','), ...list.map((r) => fields.map((f) => csvCell(r[f])).join(','))].join('\n') + '\n';
  const a = c.attachments.table(ws).get(String(rec.export_attachment_id));
  if (a) {
    contentTable(ws).put({ id: String(a.id), data: Buffer.from(csv).toString('base64') });
    Object.assign(a, { state: 'UPLOADED', size: Buffer.byteLength(csv) });
    c.attachments.bump(ws, a);
  }
  rec.exported_count = list.length;
  c.exportJobs.table(ws).touch(rec);
  return { exported: list.length };
}
