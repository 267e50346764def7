// A refused request changes nothing: per API, domain failures that happen after the handler has
// done part of its work (a contact inserted before its fast access values are refused, messages
// planned before the credit check, a campaign priced before the units check, ...) are compared
// on the whole workspace snapshot (GET /_sim/workspaces/{ws}/snapshot) before and after.
//
// What may legitimately change with any request: nothing in the snapshot. The request journal
// (GET /_sim/workspaces/{ws}/journal) records every request, refused ones included, but it is a
// memory-only ring buffer outside the snapshot; the server-wide request counter (idle detection)
// is not workspace state either. So the snapshots are compared whole, with nothing ignored, and
// the journal is checked to hold the refused request with its status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, SYN, type Client, type Res, basic } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

const START = '2026-01-05T12:00:00Z';
const FROM = 'sender_id:sender-default-longcode';
const snapshotOf = (ws: string) => c.sim('GET', `/workspaces/${ws}/snapshot`);

async function workspace(id: string, extra: Record<string, unknown> = {}) {
  const w = await c.sim('POST', '/workspaces', { id, clock: { mode: 'manual', now: START }, ...extra });
  const syn = (method: string, path: string, body?: unknown) => c.req(method, SYN + path, { body, headers: { authorization: `Bearer ${w.credentials.syniverse.token}` } });
  const clever = (method: string, path: string, body?: unknown) =>
    c.req(method, `/clever${path}`, { body, headers: { authorization: basic(w.credentials.clever.login, w.credentials.clever.password) } });
  /** Sends a request that must be refused; asserts the envelope, the unchanged snapshot and the journal entry. */
  const refused = async (label: string, send: () => Promise<Res>, expected: { status: number; envelope: 'syniverse' | 'clever'; field?: string }) => {
    const before = await snapshotOf(id);
    const r = await send();
    expect(r.status, `${label}: ${r.text}`).toBe(expected.status);
    if (expected.envelope === 'syniverse') {
      expect(r.body, label).toEqual({ error_code: expect.any(String), error_description: expect.any(String) });
      expect(r.body.error_code, label).toMatch(/^(\d{3,4}|SCG_ERROR_\d{4,5})$/);
    } else {
      expect(Object.keys(r.body), label).toEqual(['errors']);
      const fields = Object.keys(r.body.errors);
      expect(fields.length, label).toBeGreaterThan(0);
      if (expected.field) expect(fields, label).toContain(expected.field);
      for (const m of Object.values(r.body.errors)) expect(typeof m, label).toBe('string');
    }
    const after = await snapshotOf(id);
    expect(after, `${label}: the snapshot changed`).toEqual(before);
    const journal = (await c.sim('GET', `/workspaces/${id}/journal?limit=1`)).entries;
    expect(journal.at(-1), label).toMatchObject({ status: expected.status });
    return r;
  };
  return { w, syn, clever, refused, advance: (ms: number) => c.sim('POST', `/workspaces/${id}/clock/advance`, { ms }) };
}

const ok = async (p: Promise<Res>) => {
  const r = await p;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
};

describe('Syniverse: refused requests change nothing', () => {
  it('a contact with fast_access naming no rule (400; the contact was already inserted when it failed)', async () => {
    const { syn, refused } = await workspace('rb-syn-contact');
    await ok(syn('POST', '/contacts/fast_access', { target_attribute: 'fast_access_1', target_attribute_name: 'loyalty' }));
    const existing = (await ok(syn('POST', '/contacts', { first_name: 'Ann', primary_mdn: '+15551236001', fast_access: { loyalty: 'gold' } }))).id;
    await refused('POST /contacts fast_access nosuch', () => syn('POST', '/contacts', { first_name: 'Zed', external_id: 'zed', primary_mdn: '+15551236002', fast_access: { nosuch: '1' } }), {
      status: 400,
      envelope: 'syniverse',
    });
    // Mixed: a known and an unknown attribute.
    await refused('POST /contacts fast_access mixed', () => syn('POST', '/contacts', { first_name: 'Zed', fast_access: { loyalty: 'x', nosuch: '1' } }), { status: 400, envelope: 'syniverse' });
    // The same on an update and a replace of an existing contact (the attributes were written first).
    await refused('POST /contacts/{id} fast_access nosuch', () => syn('POST', `/contacts/${existing}`, { first_name: 'Changed', fast_access: { nosuch: '1' } }), { status: 400, envelope: 'syniverse' });
    await refused('PUT /contacts/{id} fast_access nosuch', () => syn('PUT', `/contacts/${existing}`, { last_name: 'Changed', fast_access: { nosuch: '1' } }), { status: 400, envelope: 'syniverse' });
    expect((await syn('GET', '/contacts')).body.total).toBe(1);
    expect((await syn('GET', `/contacts/${existing}`)).body).toMatchObject({ first_name: 'Ann', version_number: 1 });
    // A duplicate external_id (409 1011) after the first one succeeded.
    await ok(syn('POST', '/contacts', { external_id: 'dup', first_name: 'One' }));
    await refused('POST /contacts duplicate external_id', () => syn('POST', '/contacts', { external_id: 'dup', first_name: 'Two' }), { status: 409, envelope: 'syniverse' });
  });

  it('a send refused for insufficient credit (402), low balance from the workspace creation options and from the control API', async () => {
    // Workspace creation: an inline scenario's `credit` sets the starting balance per API.
    const { syn, refused } = await workspace('rb-syn-credit', { scenario: { name: 'low-credit', credit: { syniverse: 0.01 } } });
    expect((await c.sim('GET', '/workspaces/rb-syn-credit/credit/syniverse')).balance).toBe(0.01);
    const ann = (await ok(syn('POST', '/contacts', { first_name: 'Ann', primary_mdn: '+15551236101' }))).id;
    const group = (await ok(syn('POST', '/contact_groups', { name: 'g' }))).id;
    await ok(syn('POST', `/contact_groups/${group}/contacts`, { contacts: [ann] }));
    await refused(
      'POST /messaging/message_requests 402',
      () => syn('POST', '/messaging/message_requests', { from: FROM, to: ['+15551236102', '+15551236103', ann], contact_group_id: group, body: 'too expensive', external_id: 'ext-1' }),
      { status: 402, envelope: 'syniverse' },
    );
    expect((await syn('GET', '/messaging/messages')).body.total).toBe(0);
    // The external_id of the refused request is free: it was never stored.
    expect((await syn('POST', '/messaging/message_requests', { from: FROM, to: ['+15551236102'], body: 'one', external_id: 'ext-1' })).status).toBe(200);

    // Control API: PUT /credit drops the balance of an ordinary workspace.
    const other = await workspace('rb-syn-credit2');
    await c.sim('PUT', '/workspaces/rb-syn-credit2/credit/syniverse', { balance: 0 });
    await other.refused('POST /messaging/message_requests 402 (balance 0)', () => other.syn('POST', '/messaging/message_requests', { from: FROM, to: ['+15551236104'], body: 'x' }), {
      status: 402,
      envelope: 'syniverse',
    });
    await other.refused('POST /messaging/messages 402 (balance 0)', () => other.syn('POST', '/messaging/messages', { from: FROM, to: '+15551236107', body: 'x' }), {
      status: 402,
      envelope: 'syniverse',
    });
    // A paused request resumed without the credit to send it.
    await c.sim('PUT', '/workspaces/rb-syn-credit2/credit/syniverse', { balance: 100 });
    const paused = (await ok(other.syn('POST', '/messaging/message_requests', { from: FROM, to: ['+15551236105', '+15551236106'], body: 'x', pause_before_transmit: true }))).id;
    await c.sim('PUT', '/workspaces/rb-syn-credit2/credit/syniverse', { balance: 0 });
    await other.refused('POST /messaging/message_requests/{id} resume 402', () => other.syn('POST', `/messaging/message_requests/${paused}`, { state: 'TRANSMITTING' }), {
      status: 402,
      envelope: 'syniverse',
    });
  });

  it('message requests and calls naming an unknown sender id, channel, attachment, call or group', async () => {
    const { syn, refused } = await workspace('rb-syn-refs');
    const ann = (await ok(syn('POST', '/contacts', { first_name: 'Ann', primary_mdn: '+15551236201' }))).id;
    const to = ['+15551236202', ann];
    const cases: Array<[string, () => Promise<Res>, number]> = [
      ['unknown sender id', () => syn('POST', '/messaging/message_requests', { from: 'sender_id:nosuch', to, body: 'x' }), 400],
      ['unknown channel', () => syn('POST', '/messaging/message_requests', { from: 'channel:nosuch', to, body: 'x' }), 400],
      ['unknown attachment', () => syn('POST', '/messaging/message_requests', { from: FROM, to, body: 'x', attachments: ['nosuch'] }), 400],
      ['unknown template', () => syn('POST', '/messaging/message_requests', { from: FROM, to, body: '{"template_id":"nosuch"}', content_type: 'application/template+json' }), 400],
      ['call from an unknown sender id', () => syn('POST', '/calling/calls', { from: 'nosuch', to: '+15551236203' }), 400],
      ['bridge of unknown calls', () => syn('POST', '/calling/bridges', { call_ids: ['nosuch1', 'nosuch2'] }), 400],
      ['members added to an unknown group', () => syn('POST', '/contact_groups/nosuch/contacts', { contacts: [ann] }), 404],
      ['consent for an unknown sender id', () => syn('POST', '/consent/contact_address_statuses', { address: '+15551236204', sender_id: 'nosuch', consent_status: 'OPTIN' }), 400],
      ['keyword on an unknown sender id', () => syn('POST', '/messaging/keywords', { name: 'k', value: 'KK', sender_id: 'nosuch' }), 400],
      ['import from an unknown attachment', () => syn('POST', '/contactimport', { import_attachment_id: 'nosuch' }), 400],
      ['sender ids added to an unknown channel', () => syn('POST', '/messaging/channels/nosuch/sender_ids', { sender_ids: ['sender-default-longcode'] }), 404],
    ];
    // A call that is live when it is bridged with an unknown one: the known call was looked up first.
    const live = (await ok(syn('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15551236205' }))).id;
    cases.push(['bridge of a live call and an unknown one', () => syn('POST', '/calling/bridges', { call_ids: [live, 'nosuch'] }), 400]);
    const tpl = (await syn('POST', '/messaging/message_templates', { designation: 'TEMPLATE', name: 't', pattern: 'Hi {{name}}' })).body.id;
    cases.push(['template missing a variable', () => syn('POST', '/messaging/message_requests', { from: FROM, to, body: JSON.stringify({ template_id: tpl, variables: {} }), content_type: 'application/template+json' }), 400]);
    for (const [label, send, status] of cases) {
      const probe = await snapshotOf('rb-syn-refs');
      const res = await send();
      if (res.status !== status) throw new Error(`${label}: expected ${status}, got ${res.status} ${res.text}`);
      expect(await snapshotOf('rb-syn-refs'), label).toEqual(probe);
      expect(res.body, label).toEqual({ error_code: expect.any(String), error_description: expect.any(String) });
    }
    // The same through refused() for one case, to check the journal entry as well.
    await refused('unknown sender id (journal)', () => syn('POST', '/messaging/message_requests', { from: 'sender_id:nosuch', to, body: 'x' }), { status: 400, envelope: 'syniverse' });
    // By design (spec x-sim-decision of createMessageRequest) an id in `to` that names no contact or
    // group is taken as an address: the request is accepted and that message fails.
    const accepted = await syn('POST', '/messaging/message_requests', { from: FROM, to: ['nosuch-contact'], body: 'x' });
    expect(accepted.status).toBe(200);
  });

  it('state conflicts and stale versions after the record was read', async () => {
    const { syn, refused, advance } = await workspace('rb-syn-state');
    const ch = (await ok(syn('POST', '/messaging/channels', { name: 'c' }))).id;
    await refused('stale channel update', () => syn('POST', `/messaging/channels/${ch}`, { name: 'new', version_number: 7 }), { status: 409, envelope: 'syniverse' });
    await ok(syn('POST', '/messaging/channels', { name: 'taken' }));
    await refused('duplicate channel name', () => syn('POST', `/messaging/channels/${ch}`, { name: 'taken', description: 'changed too' }), { status: 409, envelope: 'syniverse' });
    const call = (await ok(syn('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15551236301' }))).id;
    await advance(3000);
    await refused('call direction change', () => syn('POST', `/calling/calls/${call}`, { direction: 'IN', external_id: 'x' }), { status: 409, envelope: 'syniverse' });
    await ok(syn('POST', `/calling/calls/${call}`, { state: 'COMPLETED' }));
    await refused('tts on a completed call', () => syn('POST', `/calling/calls/${call}/play_tts`, { text: 'x' }), { status: 409, envelope: 'syniverse' });
    await refused('reserved keyword delete', () => syn('DELETE', '/messaging/keywords/kw-stop'), { status: 403, envelope: 'syniverse' });
    // Scheduled cancellation once the scheduled time has passed.
    const sched = (await ok(syn('POST', '/messaging/message_requests', { from: FROM, to: ['+15551236302'], body: 'x', scheduled_delivery_time: '2026-01-05T12:30:00Z' }))).id;
    await advance(3600_000);
    await refused('scheduled request cancel after its time', () => syn('DELETE', `/messaging/message_requests/scheduled/${sched}`), { status: 404, envelope: 'syniverse' });
  });

  it('contacts, consent and calling: refusals after partial work', async () => {
    const { syn, refused, advance } = await workspace('rb-syn-contacts');
    // One bad address among good ones: none of them is opted out.
    await refused('bulk opt-out with a bad address last', () => syn('POST', '/consent/contact_address_statuses/optout', { sender_id: 'sender-default-longcode', addresses: ['+15551236401', '+15551236402', 'nope'] }), {
      status: 400,
      envelope: 'syniverse',
    });
    // A rule whose target is taken, or whose script is bad, recomputes no contact.
    await ok(syn('POST', '/contacts', { first_name: 'Ann', extended_attributes: { tier: 'gold' } }));
    await ok(syn('POST', '/contacts/fast_access', { target_attribute: 'fast_access_1', target_attribute_name: 'tier', value_derivation_script: '$.extended_attributes.tier' }));
    await refused('a second rule on the same target', () => syn('POST', '/contacts/fast_access', { target_attribute: 'fast_access_1', value_derivation_script: '$.first_name' }), { status: 409, envelope: 'syniverse' });
    await refused('a rule with a bad script', () => syn('POST', '/contacts/fast_access', { target_attribute: 'fast_access_2', value_derivation_script: '$.[' }), { status: 400, envelope: 'syniverse' });
    const call = (await ok(syn('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15551236403' }))).id;
    await advance(3000);
    await ok(syn('POST', `/calling/calls/${call}/digits_collector`, { prompt: { sentence: 'pin' } }));
    await refused('a second STARTED digits collector', () => syn('POST', `/calling/calls/${call}/digits_collector`, { prompt: { sentence: 'again' } }), { status: 409, envelope: 'syniverse' });
    const conf = (await ok(syn('POST', '/calling/conferences', {}))).id;
    await ok(syn('POST', `/calling/conferences/${conf}/members`, { call_id: call }));
    // hold and a refused state in one body: the hold does not land either.
    await refused('conference back to created, with hold', () => syn('POST', `/calling/conferences/${conf}`, { hold: true, state: 'created' }), { status: 409, envelope: 'syniverse' });
  });
});

describe('Clever: refused requests change nothing', () => {
  it('campaigns refused for insufficient units (402), low units from the workspace creation options and the control API', async () => {
    const { clever, refused } = await workspace('rb-cl-units', { scenario: { name: 'low-units', credit: { clever: 10 } } });
    expect((await c.sim('GET', '/workspaces/rb-cl-units/credit/clever')).balance).toBe(10);
    await ok(clever('POST', '/api/contacts', { datas: { name: 'a', lastName: 'b', gsmPrimary: '+33600006001', email: 'a@x.fr', diffusion: 'on' } }));
    await ok(clever('POST', '/api/contacts', { datas: { name: 'c', lastName: 'd', gsmPrimary: '+33600006002', email: 'c@x.fr', diffusion: 'on' } }));
    const cases: Array<[string, string, unknown]> = [
      ['push sms', '/api/pushs', { datas: { text: 'x', number_list: '+33600006003;+33600006004', encodage: 3 } }],
      ['push tts', '/api/pushs', { datas: { text: 'x', number_list: '+33600006003;+33600006004', encodage: 3, type_push: 'tts' } }],
      ['push mail', '/api/pushsmails', { datas: { text: 'x', email_subject: 's', email_list: Array.from({ length: 6 }, (_, i) => `m${i}@x.fr`) } }],
      ['push criteria', '/api/pushscriterias', { datas: { text: 'x', criteria: 'diffusion=on', encodage: 3 } }],
      ['broadcast', '/api/pushsbroadcasts', { datas: { text: 'x'.repeat(200), encodage: 3 } }],
      ['deferred push', '/api/pushs', { datas: { text: 'x', number_list: '+33600006003;+33600006004', encodage: 3, hd_send: '2026-01-06 10:00:00' } }],
    ];
    for (const [label, path, body] of cases) await refused(label, () => clever('POST', path, body), { status: 402, envelope: 'clever', field: 'credit' });
    expect((await c.sim('GET', '/workspaces/rb-cl-units/state/clever/campaigns')).total).toBe(0);
    // The control API way: units dropped to 0 on an ordinary workspace.
    const other = await workspace('rb-cl-units2');
    await c.sim('PUT', '/workspaces/rb-cl-units2/credit/clever', { balance: 0 });
    await other.refused('push with 0 units', () => other.clever('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600006005', encodage: 3 } }), { status: 402, envelope: 'clever', field: 'credit' });
    // A user's own units: the manager's are untouched by the user's refused campaign.
    await ok(
      other.clever('POST', '/api/users', { datas: { username: 'poor', password: 'A12345678e', credit: 1, account: { name: 'p', lastname: 'q', email: 'p@x.fr', telephone: '+33160536053' } } }),
    );
    const poor = (method: string, path: string, body?: unknown) => c.req(method, `/clever${path}`, { body, headers: { authorization: basic('poor', 'A12345678e') } });
    await other.refused('user push beyond its units', () => poor('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600006006', encodage: 3 } }), { status: 402, envelope: 'clever', field: 'credit' });
  });

  it('campaigns naming unknown things: criteria fields, predefined message titles, references', async () => {
    const { clever, refused } = await workspace('rb-cl-refs');
    await ok(clever('POST', '/api/contacts', { datas: { name: 'a', lastName: 'b', gsmPrimary: '+33600006101' } }));
    await refused('criteria on an unknown field', () => clever('POST', '/api/pushscriterias', { datas: { text: 'x', criteria: 'nosuchfield=1', encodage: 3 } }), { status: 400, envelope: 'clever', field: 'criteria' });
    await refused('mail criteria on an unknown field', () => clever('POST', '/api/pushsmailcriterias', { datas: { text: 'x', criteria: 'nosuchfield=1', email_subject: 's' } }), {
      status: 400,
      envelope: 'clever',
      field: 'criteria',
    });
    await refused('unknown predefined message title', () => clever('POST', '/api/pushsbroadcasts', { datas: { text: 'no such title', encodage: 3, predefined_message: 1 } }), {
      status: 400,
      envelope: 'clever',
      field: 'text',
    });
    await refused('bad number among good ones', () => clever('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600006102;+33600006103;0600', encodage: 3 } }), { status: 400, envelope: 'clever', field: 'number_list' });
    await refused('delete an unknown campaign', () => clever('DELETE', '/api/pushs/Push19990101000000'), { status: 404, envelope: 'clever' });
    const sent = (await ok(clever('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600006104', encodage: 3 } }))).push.reference;
    await refused('delete a started campaign', () => clever('DELETE', `/api/pushs/${sent}`), { status: 405, envelope: 'clever' });
  });

  it('contacts and users: an unknown user or contact, a duplicate contact, a taken username', async () => {
    const { clever, refused } = await workspace('rb-cl-contacts');
    const userBody = { username: 'u1', password: 'A12345678e', credit: 5, account: { name: 'a', lastname: 'b', email: 'a@x.fr', telephone: '+33160536053' } };
    const user = (await ok(clever('POST', '/api/users', { datas: userBody }))).user.id;
    const first = (await ok(clever('POST', '/api/contacts', { datas: { name: 'a', lastName: 'b', gsmPrimary: '+33600006201', city: 'Torcy' } }))).contact.id;
    const second = (await ok(clever('POST', '/api/contacts', { datas: { name: 'c', lastName: 'd', gsmPrimary: '+33600006202' } }))).contact.id;
    await refused('duplicate contact', () => clever('POST', '/api/contacts', { datas: { name: 'x', lastName: 'y', gsmPrimary: '+33600006201', diffusion: 'on' } }), {
      status: 409,
      envelope: 'clever',
      field: 'duplicates',
    });
    await refused('update onto another contact number', () => clever('PUT', `/api/contacts/${second}`, { datas: { name: 'c', lastName: 'changed', gsmPrimary: '+33600006201', BRINGUP: 'oui' } }), {
      status: 409,
      envelope: 'clever',
      field: 'duplicates',
    });
    await refused('update an unknown contact', () => clever('PUT', '/api/contacts/999999', { datas: { name: 'a', lastName: 'b', gsmPrimary: '+33600006203' } }), { status: 404, envelope: 'clever' });
    await refused('delete an unknown contact', () => clever('DELETE', '/api/contacts/999999'), { status: 404, envelope: 'clever' });
    await refused('update an unknown user', () => clever('PUT', '/api/users/9999', { datas: userBody }), { status: 404, envelope: 'clever' });
    await refused('a user with a taken username', () => clever('POST', '/api/users', { datas: { ...userBody, credit: 50 } }), { status: 409, envelope: 'clever', field: 'username' });
    await refused('rename a user onto the manager login', async () => {
      const login = (await c.sim('GET', '/workspaces/rb-cl-contacts')).credentials.clever.login;
      return clever('PUT', `/api/users/${user}`, { datas: { ...userBody, username: login, credit: 99 } });
    }, { status: 409, envelope: 'clever', field: 'username' });
    // A user may not create users nor reach another account's contacts.
    const asUser = (method: string, path: string, body?: unknown) => c.req(method, `/clever${path}`, { body, headers: { authorization: basic('u1', 'A12345678e') } });
    await refused('a user creating a user', () => asUser('POST', '/api/users', { datas: { ...userBody, username: 'u2' } }), { status: 403, envelope: 'clever' });
    await refused("a user updating the manager's contact", () => asUser('PUT', `/api/contacts/${first}`, { datas: { name: 'a', lastName: 'b', gsmPrimary: '+33600006204' } }), { status: 404, envelope: 'clever' });
  });
});
