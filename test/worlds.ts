// Workspaces with real records for the spec-driven write suites (refusals.test.ts, fuzz-writes.test.ts):
// a small world per API, its real path parameter values, and request bodies whose references name
// real records.
import type { LoadedSpec, OperationInfo } from '../src/core/spec.js';
import { SYN, type Client, type Res, basic } from './helpers.js';

export const START = '2026-01-05T12:00:00Z';

export type Ids = Record<string, string | number>;
export interface World {
  ws: string;
  send(op: OperationInfo, path: string, body: unknown, query?: Record<string, string>): Promise<Res>;
  /** Real path parameter values of an operation (undefined when not available). */
  real(op: OperationInfo): Ids | undefined;
  /** A body whose references (sender ids, calls, contacts, attachments, ...) name real records; undefined when none does. */
  link?(op: OperationInfo, body: unknown): unknown;
}


export function paramSchemas(spec: LoadedSpec, op: OperationInfo): Array<{ name: string; in: string; required: boolean; schema: any }> {
  const item = spec.document.paths[op.path] ?? {};
  return [...(item.parameters ?? []), ...(op.raw.parameters ?? [])].map((p: any) => ({ name: p.name, in: p.in, required: Boolean(p.required), schema: p.schema }));
}

export async function synWorld(c: Client, ws: string): Promise<World> {
  const w = await c.sim('POST', '/workspaces', { id: ws, clock: { mode: 'manual', now: START } });
  const auth = { authorization: `Bearer ${w.credentials.syniverse.token}` };
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await c.req(method, SYN + path, { body, headers: auth });
    if (r.status >= 300) throw new Error(`setup ${method} ${path}: ${r.status} ${r.text}`);
    return r.body;
  };
  const advance = (ms: number) => c.sim('POST', `/workspaces/${ws}/clock/advance`, { ms });
  const ids: Ids = { Class_ID: 'class-alerts', Type_ID: 'type-sms-longcode' };
  ids.Template_ID = (await call('POST', '/messaging/message_templates', { designation: 'TEMPLATE', name: 'tpl', pattern: 'Hi {{name}}' })).id;
  ids.Sender_ID = (await call('POST', '/messaging/sender_ids', { name: 'own', type_id: 'type-sms-longcode', address: '+15550106666', consent_managed_by: 'USER' })).id;
  ids.Channel_ID = (await call('POST', '/messaging/channels', { name: 'ch' })).id;
  await call('POST', `/messaging/channels/${ids.Channel_ID}/sender_ids`, { sender_ids: ['sender-default-longcode', ids.Sender_ID] });
  ids.MessageRequest_ID = (await call('POST', '/messaging/message_requests', { from: 'sender_id:sender-default-longcode', to: ['+15551234001', '+15551234002'], body: 'hello', pause_before_transmit: true })).id;
  ids.Message_ID = (await call('GET', `/messaging/message_requests/${ids.MessageRequest_ID}/messages`)).list[0].id;
  ids.Attachment_ID = (await call('POST', '/messaging/attachments', { name: 'a', type: 'text/csv', filename: 'a.csv' })).id;
  ids.AccessToken = (await call('POST', `/messaging/attachments/${ids.Attachment_ID}/access_tokens`, {})).id;
  ids.Keyword_ID = (await call('POST', '/messaging/keywords', { name: 'promo', value: 'PROMO' })).id;
  const calls: string[] = [];
  for (let i = 0; i < 4; i++) calls.push((await call('POST', '/calling/calls', { from: 'sender-default-longcode', to: `+155512343${i}0` })).id);
  await advance(3000);
  [ids.Call_ID, ids.call_id] = calls;
  ids.Bridge_ID = (await call('POST', '/calling/bridges', { call_ids: [calls[2], calls[3]] })).id;
  ids.Conference_ID = (await call('POST', '/calling/conferences', {})).id;
  const memberCall = (await call('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15551234400' })).id;
  await advance(3000);
  ids.Member_ID = (await call('POST', `/calling/conferences/${ids.Conference_ID}/members`, { call_id: memberCall })).id;
  ids.AccessToken_ID = (await call('POST', '/access_tokens', {})).id;
  ids.AddressStatus_ID = (await call('POST', '/consent/contact_address_statuses', { address: '+15551234500', sender_id: ids.Sender_ID, consent_status: 'OPTIN' })).id;
  await call('POST', '/contacts/fast_access', { target_attribute: 'fast_access_2', target_attribute_name: 'tier' });
  ids.Contact_ID = (await call('POST', '/contacts', { first_name: 'Ann', primary_mdn: '+15551234600', external_id: 'ann', fast_access: { tier: 'gold' } })).id;
  ids.Contact_Access_Token_Id = (await call('POST', `/contacts/${ids.Contact_ID}/access_tokens`, {})).id;
  ids.Contact_Application_Token_Id = (await call('POST', `/contacts/${ids.Contact_ID}/application_tokens`, { sender_id_address: 'app', message_delivery_provider: 'APN', token: 't' })).id;
  ids.Rule_ID = (await call('POST', '/contacts/fast_access', { target_attribute: 'fast_access_1', target_attribute_name: 'loyalty' })).id;
  ids.Group_ID = (await call('POST', '/contact_groups', { name: 'g' })).id;
  await call('POST', `/contact_groups/${ids.Group_ID}/contacts`, { contacts: [ids.Contact_ID] });
  const csv = (await call('POST', '/messaging/attachments', { name: 'in', type: 'text/csv' })).id;
  const tok = (await call('POST', `/messaging/attachments/${csv}/access_tokens`, {})).id;
  const up = await c.req('POST', `/syniverse/scg-attachment/api/v1/messaging/attachments/${tok}/content`, { body: 'external_id,first_name\nx1,X\n', headers: { 'content-type': 'application/octet-stream' } });
  if (up.status !== 200) throw new Error(up.text);
  const importJob = (await call('POST', '/contactimport', { import_attachment_id: csv })).id;
  const exportJob = (await call('POST', '/contactexport', {})).id;
  const freeCall = (await call('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15551234700' })).id;
  await advance(3000);
  const preprovisioned = (await call('GET', '/messaging/sender_ids?ownership=PREPROVISIONED')).list[0]?.id;
  const isoTime = '2026-01-06T10:00:00Z';
  return {
    ws,
    link: (op, body) => {
      if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
      const calling = op.path.startsWith('/calling');
      const refs: Record<string, unknown> = {
        from: calling ? 'sender-default-longcode' : 'sender_id:sender-default-longcode',
        to: calling ? '+15551234999' : ['+15551234999', ids.Contact_ID],
        to_address: ['+15551234998'],
        sender_id: ids.Sender_ID,
        sender_ids: [ids.Sender_ID],
        id: ids.Sender_ID,
        type_id: 'type-sms-longcode',
        class_id: 'class-alerts',
        parent_id: preprovisioned,
        call_id: freeCall,
        callId: freeCall,
        call_ids: [freeCall],
        bridge_id: ids.Bridge_ID,
        import_attachment_id: csv,
        attachments: [csv],
        contacts: [ids.Contact_ID],
        contact_group_id: ids.Group_ID,
        resource: 'CONTACT',
        resource_id: ids.Contact_ID,
        reply_template: 'tpl',
        message_templates: [ids.Template_ID],
        external_id: 'ext-linked',
        value: 'LINKED',
        address: '+15551234997',
        target_attribute: 'fast_access_3',
        target_attribute_name: 'linked',
        body: 'hello from the linked variant',
        criteria: op.path.startsWith('/contact_groups') ? { first_name: 'Ann' } : '{"first_name":"Ann"}',
      };
      const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
      let linked = false;
      for (const [k, v] of Object.entries(refs)) {
        if (!(k in out) || v === undefined) continue;
        out[k] = Array.isArray(out[k]) || !Array.isArray(v) ? v : (v as unknown[])[0];
        linked = true;
      }
      // Timestamps: the generic example of the spec's DateTimeInput is a placeholder string.
      for (const k of Object.keys(out)) if (/(_time|_date|^valid_from|^valid_to)$/.test(k) && out[k] === 'x') out[k] = isoTime;
      // What would only trip an early check: the version (the records have moved on), values the
      // platform manages, a RESERVED type, unset fast access attributes, two expiry spellings.
      for (const k of ['version_number', 'from_address', 'country', 'operators', 'fast_access', 'export_attachment_id', ...Array.from({ length: 20 }, (_, i) => `fast_access_${i + 1}`)]) delete out[k];
      if (out.type === 'RESERVED') out.type = 'COMPANY';
      if (op.path.startsWith('/contact_groups')) delete out.type;
      if ('duration' in out) delete out.expiry_time;
      return linked ? out : undefined;
    },
    send: (op, path, body, query) => {
      const qs = query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : '';
      if (op.bodyTypes.length && !op.bodyTypes.includes('application/json')) {
        return c.req(op.method, path + qs, { body: new TextEncoder().encode('a,b\n1,2\n'), headers: { ...(op.public ? {} : auth), 'content-type': 'application/octet-stream' } });
      }
      return c.req(op.method, path + qs, { body, headers: op.public ? {} : auth });
    },
    real: (op) => {
      const out: Ids = {};
      for (const p of op.pathParams) {
        if (p === 'Job_ID') out[p] = op.path.startsWith('/contactimport') ? importJob : exportJob;
        else if (ids[p] === undefined) return undefined;
        else out[p] = ids[p];
      }
      return out;
    },
  };
}

export async function cleverWorld(c: Client, ws: string): Promise<World> {
  const w = await c.sim('POST', '/workspaces', { id: ws, clock: { mode: 'manual', now: START } });
  const auth = { authorization: basic(w.credentials.clever.login, w.credentials.clever.password) };
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await c.req(method, `/clever${path}`, { body, headers: auth });
    if (r.status >= 300) throw new Error(`setup ${method} ${path}: ${r.status} ${r.text}`);
    return r.body;
  };
  const user = (await call('POST', '/api/users', { datas: { username: 'u1', password: 'A12345678e', credit: 10, account: { name: 'a', lastname: 'b', email: 'a@x.fr', telephone: '+33160536053' } } })).user.id;
  const contact = (await call('POST', '/api/contacts', { datas: { name: 'a', lastName: 'b', gsmPrimary: '+33600003001', email: 'a@x.fr', diffusion: 'on' } })).contact.id;
  const sms = (await call('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600003002', encodage: 3, hd_send: '2026-01-06 10:00:00' } })).push.reference;
  const mail = (await call('POST', '/api/pushsmails', { datas: { text: 'x', email_list: 'b@x.fr', email_subject: 's', hd_send: '2026-01-06 10:00:00' } })).push.reference;
  return {
    ws,
    send: (op, path, body, query) => c.req(op.method, path + (query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''), { body, headers: auth }),
    real: (op) => {
      const out: Ids = {};
      for (const p of op.pathParams) {
        if (p === 'id_user') out[p] = user;
        else if (p === 'id_contact') out[p] = contact;
        else if (p === 'referencePush') out[p] = op.path.includes('mail') ? mail : sms;
        else return undefined;
      }
      return out;
    },
  };
}


/** Complete, valid contact details of the additiv contact schema. */
export const additivDetails = (n: string) => ({
  personalInformation: { firstName: n, lastName: 'World', nationality: 'CH' },
  communicationMethods: { primaryEmail: `${n}@example.com` },
  address: { city: 'Bern', country: 'CH', state: 'BE' },
});

export async function additivWorld(c: Client, ws: string): Promise<World> {
  const w = await c.sim('POST', '/workspaces', { id: ws, clock: { mode: 'manual', now: START } });
  const auth = { authorization: `Bearer ${w.credentials.additiv.memberToken}` };
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await c.req(method, `/additiv${path}`, { body, headers: auth });
    if (r.status >= 300) throw new Error(`setup ${method} ${path}: ${r.status} ${r.text}`);
    return r.body;
  };
  // A pending change request on contact 2, a finished export of each kind, a finished sync.
  await call('PATCH', '/v1.0/contacts/2/details', { details: { address: { city: 'Lausanne' } }, comment: 'world' });
  const contactsExport = (await call('POST', '/v1.0/contacts/export', {})).exportJobId;
  const leExport = (await call('POST', '/v1.0/legal-entities/export', {})).exportJobId;
  await call('POST', '/v1.0/contacts/import/files', [{ externalId: 'W-1', details: additivDetails('imported') }]);
  const statusId = (await call('POST', '/v1.0/contacts/import/sync')).statusId;
  await c.sim('POST', `/workspaces/${ws}/clock/advance`, { ms: 10_000 });
  let n = 0;
  return {
    ws,
    link: (op, body) => {
      if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
      const b = body as Record<string, unknown>;
      switch (op.operationId) {
        case 'createContact':
          return { ...b, contactTypeId: 1, username: `linked${++n}@example.com`, details: additivDetails(`linked${n}`) };
        case 'patchContactDetails':
          return { ...b, details: { address: { city: 'Basel' }, preferences: { newsletter: true } } };
        case 'updateContactDetails':
          return { ...b, details: additivDetails('replaced') };
        case 'createLegalEntityV10':
          return { ...b, contacts: [{ contactId: 1, accessPolicyIds: [1], share: 0.5 }], details: { name: 'Linked AG' } };
        case 'createLegalEntity':
          return { ...b, contacts: [{ contactId: 1, accessPolicyKeys: ['Owner'] }], details: { name: 'Linked AG' } };
        case 'updateLegalEntityDetails':
          return { details: { name: 'Renamed AG', legalForm: 'AG' } };
        case 'addExternalConnection':
          return { externalId: `X-${++n}`, system: 'SSO' };
        case 'updateContactUsername':
          return { username: `renamed${++n}` };
        case 'anonymizeContacts':
          return { contactIds: [3] };
        case 'reviewChangeRequest':
          return { isApproved: true, comment: 'linked' };
        case 'lookupList':
          return { filter: 's', limit: 3 };
        default:
          return undefined;
      }
    },
    send: (op, path, body, query) => c.req(op.method, path + (query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''), { body, headers: auth }),
    real: (op) => {
      const out: Ids = {};
      const cr = op.pathParams.includes('changeRequestId');
      for (const p of op.pathParams) {
        if (p === 'contactId') out[p] = cr ? 2 : 1;
        else if (p === 'changeRequestId') out[p] = 1;
        else if (p === 'memberId') out[p] = 1;
        else if (p === 'legalEntityId') out[p] = 1;
        else if (p === 'key') out[p] = 'contact';
        else if (p === 'listKey') out[p] = 'countries';
        else if (p === 'exportJobId') out[p] = op.path.startsWith('/v1.0/contacts') ? contactsExport : leExport;
        else if (p === 'statusId') out[p] = statusId;
        else if (p === 'system') out[p] = 'CBS';
        else if (p === 'externalId') out[p] = 'CBS-100001';
        else return undefined;
      }
      return out;
    },
  };
}


/** One request of a fuzz run, for its report. */
export interface Tally {
  api: string;
  op: string;
  status: number;
}

/** Prints a fuzz run: requests, the status distribution, operations no random request reached, and each operation's statuses. */
export function printFuzzReport(label: string, kind: string, seed: number, tally: Tally[], starved: string[]): void {
  const byStatus = new Map<number, number>();
  for (const t of tally) byStatus.set(t.status, (byStatus.get(t.status) ?? 0) + 1);
  const ops = new Map<string, Map<number, number>>();
  for (const t of tally) {
    const m = ops.get(`${t.api} ${t.op}`) ?? new Map<number, number>();
    m.set(t.status, (m.get(t.status) ?? 0) + 1);
    ops.set(`${t.api} ${t.op}`, m);
  }
  const fmt = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}x${n}`).join(' ');
  console.log(
    [
      `${label}: ${tally.length} requests over ${ops.size} ${kind} operations (seed ${seed})`,
      `status distribution: ${fmt(byStatus)}`,
      ...(starved.length ? [`no accepted random request: ${starved.join(', ')}`] : []),
      ...[...ops].map(([op, m]) => `  ${op}: ${fmt(m)}`),
    ].join('\n'),
  );
}
