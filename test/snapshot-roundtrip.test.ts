// Snapshots (GET/PUT /_sim/workspaces/{ws}/snapshot) round-trip a workspace with data in both
// implemented APIs: Syniverse messages in flight (pending SENT/DELIVERED events, a scheduled
// message), a sender id being provisioned, a ringing call, contacts and groups, consent, ledger
// movements; Clever users, contacts, campaigns with pending acknowledgements and a deferred one,
// units spent. Imported back into the same workspace, into a new workspace (moved: the original
// deleted first, so its credentials are free) and cloned next to the original (the copy given
// its own credentials), the APIs answer the same, the pending events still fire on the copies as
// on the original, and a re-export equals the first export (modulo `workspace`, and the
// credentials for the clone). Every response is validated against the specs by the helpers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, SYN, type Client, basic } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

const START = '2026-01-05T12:00:00Z';
const FROM = 'sender_id:sender-default-longcode';

interface Creds {
  syniverse: { token: string };
  clever: { login: string; password: string };
  additiv: { memberToken: string };
}

/** Calls to both APIs with one workspace's credentials. */
function clientsOf(creds: Creds) {
  const syn = (method: string, path: string, body?: unknown) => c.req(method, SYN + path, { body, headers: { authorization: `Bearer ${creds.syniverse.token}` } });
  const clever = (method: string, path: string, body?: unknown) => c.req(method, `/clever${path}`, { body, headers: { authorization: basic(creds.clever.login, creds.clever.password) } });
  const additiv = (method: string, path: string, body?: unknown) => c.req(method, `/additiv${path}`, { body, headers: { authorization: `Bearer ${creds.additiv.memberToken}` } });
  return { syn, clever, additiv };
}

const ok = async (p: Promise<{ status: number; body: any; text: string }>) => {
  const r = await p;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
};

interface Fixture {
  ids: Record<string, string>;
  refs: string[];
  userId: number;
  contactIds: number[];
  additiv: { exportJobId: string; statusId: string };
}

/** A workspace with state in flight in both APIs. */
async function populate(ws: string): Promise<Fixture> {
  const w = await c.sim('POST', '/workspaces', { id: ws, clock: { mode: 'manual', now: START } });
  const { syn, clever, additiv } = clientsOf(w.credentials);
  const ids: Record<string, string> = {};

  // additiv: a pending change request, a pending email verification, an export and a sync in flight.
  await ok(additiv('PATCH', '/v1.0/contacts/2/details', { details: { address: { city: 'Lausanne' }, preferences: { newsletter: true } }, comment: 'snap' }));
  await ok(additiv('PATCH', '/v1.0/contacts/1/details', { details: { communicationMethods: { primaryEmail: 'snap@example.com' } } }));
  const exportJobId = (await ok(additiv('POST', '/v1.0/contacts/export', { query: '{ contacts(where: { address: { country: { eq: "CH" } } }) { items { id } } }' }))).exportJobId;
  await ok(additiv('POST', '/v1.0/contacts/import/files', [{ externalId: 'SNAP-1', details: { personalInformation: { firstName: 'Snap', lastName: 'Shot' } } }]));
  const statusId = (await ok(additiv('POST', '/v1.0/contacts/import/sync'))).statusId;

  // Syniverse: contacts, a group, consent, a channel.
  ids.ann = (await ok(syn('POST', '/contacts', { first_name: 'Ann', primary_mdn: '+15551237101', external_id: 'ann', address_list: [{ city: 'X' }] }))).id;
  ids.bob = (await ok(syn('POST', '/contacts', { first_name: 'Bob', last_name: 'B', primary_mdn: '+15551237102' }))).id;
  ids.group = (await ok(syn('POST', '/contact_groups', { name: 'all' }))).id;
  await ok(syn('POST', `/contact_groups/${ids.group}/contacts`, { contacts: [ids.ann, ids.bob] }));
  ids.channel = (await ok(syn('POST', '/messaging/channels', { name: 'main', description: 'd' }))).id;
  await ok(syn('POST', `/messaging/channels/${ids.channel}/sender_ids`, { sender_ids: ['sender-default-longcode'] }));
  ids.template = (await ok(syn('POST', '/messaging/message_templates', { designation: 'TEMPLATE', name: 'tpl', pattern: 'Hi {name}' }))).id;
  ids.keyword = (await ok(syn('POST', '/messaging/keywords', { name: 'promo', value: 'PROMO' }))).id;
  // A first request reaches SENT (charged: ledger movement), the later ones stay in flight.
  ids.req1 = (await ok(syn('POST', '/messaging/message_requests', { from: FROM, to: ['+15551237201', '+15551237202'], body: 'first' }))).id;
  await c.sim('POST', `/workspaces/${ws}/clock/advance`, { ms: 1000 });
  await c.sim('PUT', `/workspaces/${ws}/credit/syniverse`, { balance: 50, reason: 'top-up for the test' });
  // An MO STOP on the SCG-managed sender: consent status + history, an MO message.
  await c.sim('POST', `/workspaces/${ws}/inject/mo-message`, { api: 'syniverse', from: '+15551237201', to: '+15550100001', body: 'STOP' });
  ids.req2 = (await ok(syn('POST', '/messaging/message_requests', { from: FROM, to: [ids.group], body: 'to the group' }))).id;
  ids.req3 = (await ok(syn('POST', '/messaging/message_requests', { from: `channel:${ids.channel}`, to: ['+15551237203'], body: 'later', scheduled_delivery_time: '2026-01-05T13:00:00Z' }))).id;
  ids.sender = (await ok(syn('POST', '/messaging/sender_ids', { name: 'mine', type_id: 'type-sms-longcode', class_id: 'class-alerts', address: '+15550107777', capabilities: ['SMS'] }))).id;
  ids.call = (await ok(syn('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15551237301' }))).id;

  // Clever: a user with units of its own, contacts, campaigns (one deferred), units spent.
  const user = await ok(
    clever('POST', '/api/users', {
      datas: { username: 'snapuser', password: 'A12345678e', credit: 30, account: { name: 'snap', lastname: 'user', email: 'snap@x.fr', telephone: '+33160536053', company: { company_name: 'IS' } } },
    }),
  );
  const contactIds: number[] = [];
  for (const [i, extra] of [{ diffusion: 'on', email: 'a@x.fr' }, { diffusion: 'off', city: 'Torcy' }].entries()) {
    contactIds.push((await ok(clever('POST', '/api/contacts', { datas: { name: `n${i}`, lastName: 'l', gsmPrimary: `+3360000710${i}`, ...extra } }))).contact.id);
  }
  const refs: string[] = [];
  refs.push((await ok(clever('POST', '/api/pushs', { datas: { text: 'hello', number_list: '+33600007201;+33600999003', encodage: 3 } }))).push.reference);
  refs.push((await ok(clever('POST', '/api/pushs', { datas: { text: 'deferred', number_list: '+33600007202', encodage: 3, hd_send: '2026-01-05 14:00:00' } }))).push.reference);
  refs.push((await ok(clever('POST', '/api/pushsmails', { datas: { text: 'mail', email_list: 'a@x.fr;x+bounce@y.fr', email_subject: 's' } }))).push.reference);
  refs.push((await ok(clever('POST', '/api/pushscriterias', { datas: { text: 'crit', criteria: 'diffusion=on', encodage: 3 } }))).push.reference);
  await c.sim('POST', `/workspaces/${ws}/inject/mo-message`, { api: 'clever', from: '+33600007201', body: 'reply' });
  return { ids, refs, userId: user.user.id, contactIds, additiv: { exportJobId, statusId } };
}

/** What a client sees of the workspace: lists and items of both APIs, clock, ledgers, jobs. */
async function observe(ws: string, creds: Creds, f: Fixture): Promise<Record<string, unknown>> {
  const { syn, clever, additiv } = clientsOf(creds);
  const out: Record<string, unknown> = {};
  const get = async (key: string, p: Promise<{ status: number; body: unknown }>) => {
    const r = await p;
    out[key] = { status: r.status, body: r.body };
  };
  for (const path of [
    '/messaging/message_requests',
    '/messaging/messages?limit=1000',
    '/messaging/sender_ids',
    '/messaging/channels',
    '/messaging/keywords',
    '/messaging/message_templates',
    '/contacts',
    '/contact_groups',
    `/contact_groups/${f.ids.group}/contacts`,
    '/consent/contact_address_statuses',
    '/consent/contact_address_history',
    '/calling/calls',
    `/messaging/channels/${f.ids.channel}/sender_ids`,
    ...['req1', 'req2', 'req3'].flatMap((r) => [`/messaging/message_requests/${f.ids[r]}`, `/messaging/message_requests/${f.ids[r]}/messages`]),
    `/messaging/sender_ids/${f.ids.sender}`,
    `/calling/calls/${f.ids.call}`,
    `/contacts/${f.ids.ann}`,
    `/contact_groups/${f.ids.group}`,
  ]) {
    await get(`syn ${path}`, syn('GET', path));
  }
  for (const path of [
    '/api/account/me',
    `/api/users/${f.userId}`,
    '/api/contactlists',
    '/api/contactlists/snapuser',
    ...f.contactIds.map((id) => `/api/contacts/${id}`),
    ...f.refs.flatMap((r, i) => (i === 2 ? [`/api/pushsmails/${r}`, `/api/pushmails/${r}/deliveries`] : [`/api/pushs/${r}`, `/api/pushs/${r}/deliveries`, `/api/pushs/${r}/mos`])),
  ]) {
    await get(`clever ${path}`, clever('GET', path));
  }
  for (const path of [
    '/v1.0/contacts/1/details',
    '/v1.0/contacts/2/details',
    '/v1.1/contacts/2/change-requests/1',
    '/v1.1/contacts/2/pending-change-request/check',
    '/v1.1/contacts/2/details/change-history/search',
    '/v1.0/contacts/external-connections/Default/SNAP-1',
    `/v1.0/contacts/export/${f.additiv.exportJobId}`,
    `/v1.0/import/sync/${f.additiv.statusId}`,
  ]) {
    const r = await additiv('GET', path);
    // An error's correlationId is per request (derived from the journal position), not state.
    const body = r.status >= 400 ? { ...r.body, correlationId: '(per request)' } : r.body;
    out[`additiv ${path}`] = { status: r.status, body };
  }
  const simGet = async (key: string, path: string) => {
    const r = await c.req('GET', `/_sim/workspaces/${ws}${path}`);
    out[key] = r.body;
  };
  await simGet('clock', '/clock');
  await simGet('credit syniverse', '/credit/syniverse');
  await simGet('credit clever', '/credit/clever');
  await simGet('events', '/events');
  await simGet('operations', '/operations');
  const view = await c.sim('GET', `/workspaces/${ws}`);
  out.pendingEvents = view.pendingEvents;
  return out;
}

const snapshotOf = (ws: string) => c.sim('GET', `/workspaces/${ws}/snapshot`);
const withoutWorkspace = ({ workspace: _w, ...rest }: any) => rest;
const advance = (ws: string, ms: number) => c.sim('POST', `/workspaces/${ws}/clock/advance`, { ms });

describe('workspace snapshots', () => {
  let f: Fixture;
  let creds: Creds;
  let first: any;
  let seen: Record<string, unknown>;

  beforeAll(async () => {
    f = await populate('snap-a');
    creds = (await c.sim('GET', '/workspaces/snap-a')).credentials;
    first = await snapshotOf('snap-a');
    seen = await observe('snap-a', creds, f);
  });

  it('exports everything in flight and reading changes nothing', async () => {
    expect(first).toMatchObject({ format: 'commsim-workspace', workspace: 'snap-a' });
    const tables = Object.keys(first.tables);
    for (const t of ['_schedule', '_events', 'syniverse.messages', 'syniverse.message_requests', 'syniverse.contacts', 'syniverse.calls', 'clever.contacts', 'clever.users', 'clever.campaigns']) {
      expect(tables, t).toContain(t);
    }
    // Pending work: SENT/DELIVERED of req2, the scheduled req3, provisioning, the ringing call, acks, the deferred campaign.
    const statuses = Object.entries(seen).filter(([k]) => k.startsWith('syn ') || k.startsWith('clever ')).map(([k, v]) => [k, (v as any).status]);
    expect(statuses.filter(([, s]) => s !== 200)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(30);
    expect((seen.pendingEvents as number) > 5).toBe(true);
    expect(((seen['credit syniverse'] as any).entries as any[]).length).toBeGreaterThan(1);
    expect(((seen['credit clever'] as any).entries as any[]).some((e) => e.amount < 0)).toBe(true);
    // GETs (API and control) leave the snapshot as it was.
    expect(await snapshotOf('snap-a')).toEqual(first);
  });

  it('imports back into the same workspace: same answers, same re-export', async () => {
    const view = await c.sim('PUT', '/workspaces/snap-a/snapshot', first);
    expect(view).toMatchObject({ id: 'snap-a', pendingEvents: seen.pendingEvents });
    expect(await snapshotOf('snap-a')).toEqual(first);
    expect(await observe('snap-a', creds, f)).toEqual(seen);
  });

  it('clones into a new workspace next to the original (own credentials); both then evolve alike', async () => {
    const b = await c.sim('POST', '/workspaces', { id: 'snap-b' });
    const copy = structuredClone(first);
    // Every API's credentials of the new workspace (each API's are its own).
    copy.meta.credentials = { ...copy.meta.credentials, ...b.credentials };
    // The original's credentials cannot be imported while it holds them.
    const refused = await c.req('PUT', '/_sim/workspaces/snap-b/snapshot', { body: first });
    expect(refused.status).toBe(409);
    await c.sim('PUT', '/workspaces/snap-b/snapshot', copy);
    const again = await snapshotOf('snap-b');
    expect(again.workspace).toBe('snap-b');
    expect(withoutWorkspace(again)).toEqual(withoutWorkspace(copy));
    const bCreds = (await c.sim('GET', '/workspaces/snap-b')).credentials;
    expect(bCreds.syniverse.token).toBe(b.credentials.syniverse.token);
    expect(await observe('snap-b', bCreds, f)).toEqual(seen);

    // Pending events fire on both, at the same virtual times, with the same outcome.
    for (const ms of [1000, 2000, 60_000, 3600_000]) {
      const [ra, rb] = [await advance('snap-a', ms), await advance('snap-b', ms)];
      expect(rb).toEqual(ra);
    }
    const [oa, ob] = [await observe('snap-a', creds, f), await observe('snap-b', bCreds, f)];
    expect(ob).toEqual(oa);
    // ... and they did fire: messages delivered, the scheduled request sent, provisioning done, acks in.
    const msgs = (oa[`syn /messaging/message_requests/${f.ids.req2}/messages`] as any).body.list as any[];
    expect(msgs.map((m) => m.state)).toEqual(msgs.map(() => 'DELIVERED'));
    expect(((oa[`syn /messaging/message_requests/${f.ids.req3}/messages`] as any).body.list as any[])[0].state).toBe('DELIVERED');
    expect((oa[`additiv /v1.0/contacts/export/${f.additiv.exportJobId}`] as any).status).toBe(200);
    expect((oa[`additiv /v1.0/import/sync/${f.additiv.statusId}`] as any).body.status).toBe('Completed');
    expect((oa[`syn /messaging/sender_ids/${f.ids.sender}`] as any).body.state).toBe('ACTIVE');
    expect((oa[`clever /api/pushs/${f.refs[1]}`] as any).body.push.status).toBe(2);
    expect(((oa[`clever /api/pushs/${f.refs[0]}/deliveries`] as any).body.deliveries as any[]).map((d) => d.status)).toEqual(['3', '3']);
    expect((oa.pendingEvents as number) < (seen.pendingEvents as number)).toBe(true);
  });

  it('moves into a new workspace once the original is deleted: same credentials, same answers, pending events fire', async () => {
    // snap-a has moved on since `first`: restore it, then move it.
    await c.sim('PUT', '/workspaces/snap-a/snapshot', first);
    await c.sim('POST', '/workspaces', { id: 'snap-c' });
    await c.sim('DELETE', '/workspaces/snap-a');
    await c.sim('PUT', '/workspaces/snap-c/snapshot', first);
    const again = await snapshotOf('snap-c');
    expect(again.workspace).toBe('snap-c');
    expect(withoutWorkspace(again)).toEqual(withoutWorkspace(first));
    const cCreds = (await c.sim('GET', '/workspaces/snap-c')).credentials;
    expect(cCreds).toEqual(creds);
    const { syn } = clientsOf(creds);
    expect((await syn('GET', `/contacts/${f.ids.ann}`)).status).toBe(200);
    const now = await observe('snap-c', creds, f);
    expect(now).toEqual(seen);

    const fired = await advance('snap-c', 3600_000 + 63_000);
    expect(fired.fired).toBeGreaterThan(5);
    const after = await observe('snap-c', creds, f);
    expect(((after[`syn /messaging/message_requests/${f.ids.req3}/messages`] as any).body.list as any[])[0].state).toBe('DELIVERED');
    expect((after[`clever /api/pushs/${f.refs[1]}`] as any).body.push.status).toBe(2);
  });

  it('refuses a body that is not a snapshot, changing nothing', async () => {
    await c.sim('POST', '/workspaces', { id: 'snap-d', clock: { mode: 'manual', now: START } });
    const before = await snapshotOf('snap-d');
    for (const body of [{}, { format: 'commsim-workspace', meta: {}, tables: {} }, { ...before, tables: { 'syniverse.contacts': [{ noid: 1 }] } }]) {
      const r = await c.req('PUT', '/_sim/workspaces/snap-d/snapshot', { body });
      expect(r.status).toBe(400);
    }
    expect(await snapshotOf('snap-d')).toEqual(before);
  });
});
