// Syniverse sender ids, channels, keywords and attachments over HTTP on a manual clock, as a
// client written against the vendor's public description and SDKs sends them (issue #10).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, SYN, synWorkspace, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

type Call = (m: string, p: string, b?: unknown) => Promise<any>;
const PROVISIONING_MS = 60_000;

async function privateSender(call: Call, name: string, address: string, extra: Record<string, unknown> = {}) {
  const r = await call('POST', '/messaging/sender_ids', { name, type_id: 'LONGCODE', class_id: 'ALERTS', address, capabilities: ['SMS'], ...extra });
  expect(r.status).toBe(200);
  return String(r.body.id);
}

describe('what the SDKs send', () => {
  it("treats an optional enum sent as '' as absent (channel priority, as the SDK examples send it)", async () => {
    const { call } = await synWorkspace(c, 's-empty-enum');
    const created = await call('POST', '/messaging/channels', { name: 'Freeman', description: 'Test channel', priority: '' });
    expect(created.status).toBe(200);
    const ch = (await call('GET', `/messaging/channels/${created.body.id}`)).body;
    expect(ch.priority).toBe('normal');
    expect((await call('POST', `/messaging/channels/${ch.id}`, { priority: 'high', version_number: 1 })).status).toBe(200);
    expect((await call('POST', `/messaging/channels/${ch.id}`, { priority: '', version_number: 2 })).status).toBe(200);
    expect((await call('GET', `/messaging/channels/${ch.id}`)).body).toMatchObject({ priority: 'high', version_number: 3 });
    // Still refused: a value that is not in the enum, and '' where the enum is required of nothing else.
    const bad = await call('POST', '/messaging/channels', { name: 'x', priority: 'urgent' });
    expect(bad.status).toBe(400);
    expect(bad.body.error_description).toContain("body field 'priority' must be one of");
    const sender = await call('POST', '/messaging/sender_ids', { name: 'e', type_id: 'LONGCODE', address: '+15550108801', consent_managed_by: '', state: '' });
    expect(sender.status).toBe(200);
    expect((await call('GET', `/messaging/sender_ids/${sender.body.id}`)).body.consent_managed_by).toBe('USER');
  });

  it("keeps a channel's version_number when its sender ids change, so an update with the version read succeeds", async () => {
    const { call } = await synWorkspace(c, 's-channel-version');
    const id = (await call('POST', '/messaging/channels', { name: 'main' })).body.id;
    const read = (await call('GET', `/messaging/channels/${id}`)).body;
    expect(read.version_number).toBe(1);
    expect((await call('POST', `/messaging/channels/${id}/sender_ids`, { sender_ids: ['sender-default-longcode'] })).status).toBe(200);
    expect((await call('GET', `/messaging/channels/${id}`)).body.version_number).toBe(1);
    expect((await call('POST', `/messaging/channels/${id}`, { name: 'renamed', version_number: read.version_number })).status).toBe(200);
    expect((await call('DELETE', `/messaging/channels/${id}/sender_ids/sender-default-longcode`)).status).toBe(200);
    expect((await call('GET', `/messaging/channels/${id}/sender_ids`)).body.total).toBe(0);
    const after = (await call('GET', `/messaging/channels/${id}`)).body;
    expect(after).toMatchObject({ name: 'renamed', version_number: 2 });
    expect((await call('PUT', `/messaging/channels/${id}`, { name: 'again', version_number: 2 })).status).toBe(200);
    // A stale version is still refused.
    const stale = await call('POST', `/messaging/channels/${id}`, { name: 'late', version_number: 2 });
    expect(stale.status).toBe(409);
    expect(stale.body.error_code).toBe('1001');
  });

  it('accepts the vendor class and type ids (COMMERCIAL, LONGCODE) beside the former fixture ids, and shows the vendor ids', async () => {
    const { call } = await synWorkspace(c, 's-vendor-ids');
    // The Node SDK's example body.
    const sdk = await call('POST', '/messaging/sender_ids', {
      name: 'Syntest 05142', class_id: 'COMMERCIAL', type_id: 'LONGCODE', address: '1321345681', country: 'USA', consent_managed_by: 'SCG', capabilities: ['SMS', 'MMS'],
    });
    expect(sdk.status).toBe(200);
    expect((await call('GET', `/messaging/sender_ids/${sdk.body.id}`)).body).toMatchObject({ class_id: 'COMMERCIAL', type_id: 'LONGCODE', country: null });
    const old = await call('POST', '/messaging/sender_ids', { name: 'old', class_id: 'class-a2p-us', type_id: 'type-sms-longcode', address: '+15550108802' });
    expect(old.status).toBe(200);
    expect((await call('GET', `/messaging/sender_ids/${old.body.id}`)).body).toMatchObject({ class_id: 'COMMERCIAL', type_id: 'LONGCODE' });
    expect((await call('GET', '/messaging/sender_ids/sender-default-longcode')).body).toMatchObject({ class_id: 'ALERTS', type_id: 'LONGCODE' });
    // Filters in either spelling (and any case for the vendor's).
    const byVendor = (await call('GET', '/messaging/sender_ids?class_id=COMMERCIAL')).body;
    const byOld = (await call('GET', '/messaging/sender_ids?class_id=class-a2p-us')).body;
    expect(byOld.total).toBe(byVendor.total);
    expect(byVendor.list.map((s: any) => s.id)).toEqual(expect.arrayContaining([sdk.body.id, old.body.id, 'sender-preprov-1']));
    expect((await call('GET', '/messaging/sender_ids?type_id=longcode')).body.total).toBe((await call('GET', '/messaging/sender_ids?type_id=type-sms-longcode')).body.total);
    // The catalogues answer both ids with the vendor's.
    expect((await call('GET', '/messaging/sender_id_classes/class-a2p-us')).body).toMatchObject({ id: 'COMMERCIAL', designation: 'commercial' });
    expect((await call('GET', '/messaging/sender_id_classes/COMMERCIAL')).body.id).toBe('COMMERCIAL');
    expect((await call('GET', '/messaging/sender_id_types/type-sms-shortcode')).body.id).toBe('SHORTCODE');
    expect((await call('GET', '/messaging/sender_id_types?id=type-sms-longcode')).body.list.map((t: any) => t.id)).toEqual(['LONGCODE']);
    const classes = (await call('GET', '/messaging/sender_id_classes')).body.list.map((x: any) => x.id);
    expect(classes).toEqual(expect.arrayContaining(['COMMERCIAL', 'ALERTS', 'NOTIFICATIONS']));
    expect((await call('GET', '/messaging/sender_id_classes/nope')).status).toBe(404);
    const unknown = await call('POST', '/messaging/sender_ids', { name: 'u', type_id: 'TOLLFREE_X', address: '+15550108803' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_description).toContain('sender id type TOLLFREE_X does not exist');
    const badClass = await call('POST', `/messaging/sender_ids/${old.body.id}`, { class_id: 'NOPE' });
    expect(badClass.status).toBe(400);
  });

  it('resolves class ids when a scenario replaces the catalogue with records spelled the former way', async () => {
    const classes = [{ id: 'class-alerts', name: 'Alerts', applicable_countries: ['US'], country_peak_throughput: 1 }];
    const { call } = await synWorkspace(c, 's-old-catalogue', { scenario: { fixtures: { syniverse: { sender_id_classes: classes } } } });
    expect((await call('GET', '/messaging/sender_ids/sender-default-longcode')).body.class_id).toBe('class-alerts');
    const id = await privateSender(call, 'o', '+15550108822');
    expect((await call('GET', `/messaging/sender_ids/${id}`)).body.class_id).toBe('class-alerts');
    expect((await call('GET', '/messaging/sender_id_classes/ALERTS')).body.id).toBe('class-alerts');
    expect((await call('POST', '/messaging/sender_ids', { name: 'n', type_id: 'LONGCODE', class_id: 'COMMERCIAL', address: '+15550108823' })).status).toBe(400);
  });

  it("accepts the SDKs' check_whitelist for check_white_list, in bodies and filters", async () => {
    const { call } = await synWorkspace(c, 's-whitelist');
    const id = await privateSender(call, 'w', '+15550108821', { check_whitelist: true });
    expect((await call('GET', `/messaging/sender_ids/${id}`)).body.check_white_list).toBe(true);
    expect((await call('GET', '/messaging/sender_ids?check_whitelist=true')).body.list.map((s: any) => s.id)).toEqual([id]);
    expect((await call('POST', `/messaging/sender_ids/${id}`, { check_whitelist: false })).status).toBe(200);
    expect((await call('GET', '/messaging/sender_ids?check_white_list=true')).body.total).toBe(0);
  });

  it('accepts consent_managed_by SCG_UNSOLICITED_OPT_OUT (public description)', async () => {
    const { call } = await synWorkspace(c, 's-consent-enum');
    const id = await privateSender(call, 'c', '+15550108804', { consent_managed_by: 'SCG_UNSOLICITED_OPT_OUT' });
    expect((await call('GET', `/messaging/sender_ids/${id}`)).body.consent_managed_by).toBe('SCG_UNSOLICITED_OPT_OUT');
    expect((await call('GET', '/messaging/sender_ids?consent_managed_by=SCG_UNSOLICITED_OPT_OUT')).body.total).toBe(1);
  });
});

describe('If-Match on the sender id, channel, keyword and attachment writes', () => {
  it('is 412 unless it names the current version, and a refused write changes nothing', async () => {
    const { call, auth } = await synWorkspace(c, 's-if-match');
    const sender = await privateSender(call, 'im', '+15550108830');
    const channel = (await call('POST', '/messaging/channels', { name: 'im' })).body.id;
    const keyword = (await call('POST', '/messaging/keywords', { name: 'im', value: 'IMATCH' })).body.id;
    const send = (method: string, path: string, ifMatch: string, body?: unknown) => c.req(method, SYN + path, { body, headers: { ...auth, 'if-match': ifMatch } });
    const refused = await send('POST', `/messaging/sender_ids/${sender}`, '"2"', { name: 'changed' });
    expect(refused.status).toBe(412);
    expect(refused.body.error_code).toBe('412');
    expect((await call('GET', `/messaging/sender_ids/${sender}`)).body).toMatchObject({ name: 'im', version_number: 1 });
    expect((await send('POST', `/messaging/sender_ids/${sender}`, 'W/"1"', { name: 'changed' })).status).toBe(200);
    expect((await send('DELETE', `/messaging/sender_ids/${sender}`, '1')).status).toBe(412);
    expect((await send('PUT', `/messaging/channels/${channel}`, '5', { name: 'x' })).status).toBe(412);
    expect((await send('DELETE', `/messaging/channels/${channel}`, '5')).status).toBe(412);
    expect((await call('GET', `/messaging/channels/${channel}`)).body).toMatchObject({ name: 'im', version_number: 1 });
    expect((await send('PUT', `/messaging/keywords/${keyword}`, '3', { name: 'x', value: 'X' })).status).toBe(412);
    expect((await send('DELETE', `/messaging/channels/${channel}`, '*')).status).toBe(200);
    expect((await send('DELETE', `/messaging/sender_ids/${sender}`, '2')).status).toBe(200);
  });
});

describe('keywords and consent', () => {
  it('records only opt-outs for a sender id whose consent is managed by SCG_UNSOLICITED_OPT_OUT, both for SCG', async () => {
    const { call, advance } = await synWorkspace(c, 's-unsolicited');
    const id = await privateSender(call, 'u', '+15550108820', { consent_managed_by: 'SCG_UNSOLICITED_OPT_OUT' });
    await advance(2 * PROVISIONING_MS);
    const statusOf = async (address: string, sender: string) =>
      (await call('GET', `/consent/contact_address_statuses?address=${encodeURIComponent(address)}&sender_id=${sender}`)).body.list.map((x: any) => x.consent_status);
    await c.sim('POST', '/workspaces/s-unsolicited/inject/mo-message', { from: '+15551230070', to: '+15550108820', body: 'START' });
    expect(await statusOf('+15551230070', id)).toEqual([]);
    await c.sim('POST', '/workspaces/s-unsolicited/inject/mo-message', { from: '+15551230070', to: '+15550108820', body: 'stop' });
    expect(await statusOf('+15551230070', id)).toEqual(['OPTOUT']);
    // The fixture long code is managed by SCG: an opt-in is recorded.
    await c.sim('POST', '/workspaces/s-unsolicited/inject/mo-message', { from: '+15551230071', to: '+15550100001', body: 'start' });
    expect(await statusOf('+15551230071', 'sender-default-longcode')).toEqual(['OPTIN']);
  });
});

describe('sender id lifecycle: PENDING_CONFIRMATION', () => {
  it('ends the provisioning of a sender id with a register_method in PENDING_CONFIRMATION until its verification code is sent', async () => {
    const { call, advance } = await synWorkspace(c, 's-confirm');
    const id = await privateSender(call, 'wa', '+15550108805', { register_method: 'sms', register_number: 'true' });
    await advance(2 * PROVISIONING_MS);
    const s = (await call('GET', `/messaging/sender_ids/${id}`)).body;
    expect(s.state).toBe('PENDING_CONFIRMATION');
    expect((await call('GET', '/messaging/sender_ids?state=PENDING_CONFIRMATION')).body.list.map((x: any) => x.id)).toEqual([id]);
    const events = await c.sim('GET', '/workspaces/s-confirm/events?type=sender_id_verification_code');
    expect(events.events).toHaveLength(1);
    const code = events.events[0].data.verification_code;
    expect(events.events[0].data).toMatchObject({ sender_id: id, register_method: 'sms', address: '+15550108805' });
    expect(code).toMatch(/^\d{6}$/);
    // Not usable to send yet, and the customer cannot activate it by state alone.
    expect((await call('POST', `/messaging/sender_ids/${id}`, { state: 'ACTIVE' })).status).toBe(409);
    const wrong = await call('POST', `/messaging/sender_ids/${id}`, { verification_code: code === '000000' ? '111111' : '000000', version_number: s.version_number });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error_description).toContain('verification_code does not match');
    expect((await call('GET', `/messaging/sender_ids/${id}`)).body.state).toBe('PENDING_CONFIRMATION');
    expect((await call('POST', `/messaging/sender_ids/${id}`, { verification_code: code, version_number: s.version_number })).status).toBe(200);
    const active = (await call('GET', `/messaging/sender_ids/${id}`)).body;
    expect(active).toMatchObject({ state: 'ACTIVE', version_number: s.version_number + 1 });
    const changes = await c.sim('GET', '/workspaces/s-confirm/events?type=sender_id_state_change');
    expect(changes.events.map((e: any) => e.data.state)).toEqual(['IMPLEMENTED', 'PENDING_CONFIRMATION', 'ACTIVE']);
    expect((await call('POST', `/messaging/sender_ids/${id}`, { verification_code: code })).status).toBe(409);
    const fax = await call('POST', '/messaging/sender_ids', { name: 'x', type_id: 'LONGCODE', address: '+15550108806', register_method: 'fax' });
    expect(fax.status).toBe(400);
    expect(fax.body.error_code).toBe('SCG_ERROR_4002');
    const noAddress = await call('POST', '/messaging/sender_ids', { name: 'x', type_id: 'LONGCODE' });
    expect(noAddress.body).toMatchObject({ error_code: 'SCG_ERROR_4001' });
  });

  it('provisions a sender id without a register_method straight to ACTIVE', async () => {
    const { call, advance } = await synWorkspace(c, 's-no-confirm');
    const id = await privateSender(call, 'plain', '+15550108807');
    await advance(2 * PROVISIONING_MS);
    expect((await call('GET', `/messaging/sender_ids/${id}`)).body.state).toBe('ACTIVE');
    expect((await c.sim('GET', '/workspaces/s-no-confirm/events?type=sender_id_verification_code')).events).toHaveLength(0);
  });
});

describe('operations of the public description', () => {
  it('GET /messaging/sender_ids/list: sender addresses whose name contains the filter, limited attributes', async () => {
    const { call } = await synWorkspace(c, 's-list-limited');
    const id = await privateSender(call, 'Marketing Main', '+15550108808');
    const r = await call('GET', '/messaging/sender_ids/list?name=marketing');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 1, offset: 0, limit: 100 });
    expect(r.body.list[0]).toEqual({
      id, version_number: 1, name: 'Marketing Main', address: '+15550108808', country: null, countries: [], capabilities: ['SMS'], application_id: expect.any(Number), type_id: 'LONGCODE', state: 'PENDING_IMPLEMENTATION',
    });
    const uk = (await call('GET', '/messaging/sender_ids/list?name=UK')).body.list;
    expect(uk.map((s: any) => [s.id, s.countries])).toEqual([['sender-preprov-uk', ['GB']]]);
    const all = (await call('GET', '/messaging/sender_ids/list')).body;
    expect(all.total).toBe((await call('GET', '/messaging/sender_ids')).body.total);
    const page = (await call('GET', '/messaging/sender_ids/list?limit=2&offset=1&sort=-name')).body;
    expect(page.list).toHaveLength(2);
    expect(page.list[0].name >= page.list[1].name).toBe(true);
    expect((await call('GET', '/messaging/sender_ids/list?name=nothing-like-this')).body.total).toBe(0);
  });

  it('DELETE /messaging/sender_ids deletes the matching sender ids, all or nothing', async () => {
    const { call } = await synWorkspace(c, 's-bulk-delete');
    const a = await privateSender(call, 'bulk a', '+15550108811');
    const b = await privateSender(call, 'bulk b', '+15550108812');
    const keep = await privateSender(call, 'keep', '+15550108813');
    const ch = (await call('POST', '/messaging/channels', { name: 'bulk' })).body.id;
    await call('POST', `/messaging/channels/${ch}/sender_ids`, { sender_ids: [a, keep] });
    const before = (await call('GET', '/messaging/sender_ids')).body.total;

    const unknown = await call('DELETE', `/messaging/sender_ids?id=${a},nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error_description).toContain('nope');
    const system = await call('DELETE', `/messaging/sender_ids?id=${a},sender-shared-shortcode`);
    expect(system.status).toBe(403);
    expect(system.body.error_description).toContain('nothing was deleted');
    const nothing = await call('DELETE', '/messaging/sender_ids');
    expect(nothing.status).toBe(400);
    expect(nothing.body.error_code).toBe('SCG_ERROR_4001');
    expect((await call('GET', '/messaging/sender_ids')).body.total).toBe(before);

    const r = await call('DELETE', `/messaging/sender_ids?id=${a},${b}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ del_qty: '2', err_qty: '0', err_msg: null });
    expect((await call('GET', `/messaging/sender_ids/${a}`)).status).toBe(404);
    expect((await call('GET', `/messaging/sender_ids/${b}`)).status).toBe(404);
    expect((await call('GET', `/messaging/channels/${ch}/sender_ids`)).body.list.map((s: any) => s.id)).toEqual([keep]);
    expect((await call('GET', '/messaging/sender_ids')).body.total).toBe(before - 2);

    // By filter: the name matches one PRIVATE sender id; a filter that matches system ones refuses.
    expect((await call('DELETE', '/messaging/sender_ids?ownership=SHARED')).status).toBe(403);
    expect((await call('DELETE', '/messaging/sender_ids?name=keep&type_id=type-sms-longcode')).body.del_qty).toBe('1');
    expect((await call('DELETE', '/messaging/sender_ids?name=keep')).body.del_qty).toBe('0');
  });

  it('DELETE /messaging/sender_ids refuses a sender id used by a message request that is not final', async () => {
    const { call } = await synWorkspace(c, 's-bulk-in-use');
    const own = await privateSender(call, 'own', '+15550108814');
    const req = await call('POST', '/messaging/message_requests', { from: 'sender_id:sender-default-longcode', to: ['+15551230060'], body: 'x', pause_before_transmit: true });
    expect(req.status).toBe(200);
    const r = await call('DELETE', `/messaging/sender_ids?id=${own},sender-default-longcode`);
    expect(r.status).toBe(409);
    expect(r.body.error_description).toContain(req.body.id);
    expect((await call('GET', `/messaging/sender_ids/${own}`)).status).toBe(200);
  });
});

describe('attachments', () => {
  it("shows content_url, the content URL of the latest access token, without changing the attachment's version", async () => {
    const { call, advance } = await synWorkspace(c, 's-content-url');
    const a = (await call('POST', '/messaging/attachments', { name: 'pic', type: 'image/png', filename: 'pic.png' })).body.id;
    expect((await call('GET', `/messaging/attachments/${a}`)).body).toMatchObject({ content_url: null, version_number: 1 });
    const token = (await call('POST', `/messaging/attachments/${a}/access_tokens`, {})).body.id;
    const got = (await call('GET', `/messaging/attachments/${a}`)).body;
    expect(got.content_url).toBe(`/syniverse/scg-attachment/api/v1/messaging/attachments/${encodeURIComponent(token)}/content`);
    expect(got.version_number).toBe(1);
    expect((await call('GET', `/messaging/attachments?id=${a}`)).body.list[0].content_url).toBe(got.content_url);
    // The URL works as it is, and an update that sends the GET body back (content_url included) is accepted.
    expect((await c.req('POST', got.content_url, { body: new Uint8Array([7, 8]), headers: { 'content-type': 'application/octet-stream' } })).status).toBe(200);
    expect((await call('POST', `/messaging/attachments/${a}`, { name: 'renamed', content_url: 'ignored', version_number: 2 })).status).toBe(200);
    expect((await call('GET', `/messaging/attachments/${a}`)).body).toMatchObject({ name: 'renamed', content_url: got.content_url, size: 2 });
    // expiry_time (public description) sets when the token expires.
    const t2 = (await call('POST', `/messaging/attachments/${a}/access_tokens`, { expiry_time: '2026-01-05T12:00:10Z' })).body.id;
    const url2 = (await call('GET', `/messaging/attachments/${a}`)).body.content_url;
    expect(url2).toContain(encodeURIComponent(t2));
    expect((await c.req('GET', url2)).status).toBe(200);
    await advance(11_000);
    expect((await c.req('GET', url2)).status).toBe(401);
    const past = await call('POST', `/messaging/attachments/${a}/access_tokens`, { expiry_time: '2026-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error_description).toContain('not in the future');
  });

  it('reads and writes the content by attachment id with the Bearer token (public description)', async () => {
    const { call, auth } = await synWorkspace(c, 's-content-by-id');
    const a = (await call('POST', '/messaging/attachments', { name: 'doc', type: 'image/gif', filename: 'a.gif' })).body.id;
    expect((await call('GET', `/messaging/attachments/${a}/content`)).status).toBe(404);
    const json = await call('POST', `/messaging/attachments/${a}/content`, { 'content-data': Buffer.from('GIF89a').toString('base64') });
    expect(json.status).toBe(200);
    expect(json.body).toEqual({ id: a });
    expect((await call('GET', `/messaging/attachments/${a}`)).body).toMatchObject({ state: 'UPLOADED', size: 6, version_number: 2 });
    const down = await c.app.app.request(`/syniverse/scg-external-api/api/v1/messaging/attachments/${a}/content`, { headers: auth });
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('image/gif');
    expect(Buffer.from(await down.arrayBuffer()).toString()).toBe('GIF89a');
    // Raw bytes in the attachment's own content type; another type is refused and changes nothing.
    const raw = await c.req('POST', `/syniverse/scg-external-api/api/v1/messaging/attachments/${a}/content`, { body: new Uint8Array([1, 2, 3]), headers: { ...auth, 'content-type': 'image/gif' } });
    expect(raw.status).toBe(200);
    const wrongType = await c.req('POST', `/syniverse/scg-external-api/api/v1/messaging/attachments/${a}/content`, { body: new Uint8Array([9]), headers: { ...auth, 'content-type': 'image/png' } });
    expect(wrongType.status).toBe(400);
    expect((await call('GET', `/messaging/attachments/${a}`)).body).toMatchObject({ size: 3, version_number: 3 });
    const notBase64 = await call('POST', `/messaging/attachments/${a}/content`, { 'content-data': 'not base64!' });
    expect(notBase64.status).toBe(400);
    expect(notBase64.body.error_description).toContain("'content-data' must be the content in base64");
    expect(notBase64.body.error_code).toBe('SCG_ERROR_4002');
    expect((await call('POST', `/messaging/attachments/${a}/content`, {})).status).toBe(400);
    // A text attachment uploaded as raw text/plain is content, not a JSON document.
    const t = (await call('POST', '/messaging/attachments', { name: 'note', type: 'text/plain', filename: 'n.txt' })).body.id;
    const text = await c.req('POST', `/syniverse/scg-external-api/api/v1/messaging/attachments/${t}/content`, { body: 'plain words', headers: { ...auth, 'content-type': 'text/plain' } });
    expect(text.status, text.text).toBe(200);
    expect((await call('GET', `/messaging/attachments/${t}`)).body).toMatchObject({ state: 'UPLOADED', size: 11 });
    const noAuth = await c.req('GET', `/syniverse/scg-external-api/api/v1/messaging/attachments/${a}/content`);
    expect(noAuth.status).toBe(401);
  });
});


describe('deleting a sender id that a message is still to go out from', () => {
  it('a scheduled Send a Message keeps its sender id (409) until it has gone out', async () => {
    const { call, advance } = await synWorkspace(c, 's-delete-busy');
    const sender = await privateSender(call, 'busy', '+15550108871');
    await advance(2 * PROVISIONING_MS);
    expect((await call('GET', `/messaging/sender_ids/${sender}`)).body.state).toBe('ACTIVE');
    const at = new Date(Date.parse((await c.sim('GET', '/workspaces/s-delete-busy/clock')).now) + 3_600_000).toISOString();
    const msg = (await call('POST', '/messaging/messages', { from: `sender_id:${sender}`, to: '+15552200090', body: 'later', scheduled_delivery_time: at })).body.id;
    expect((await call('GET', `/messaging/messages/${msg}`)).body.state).toBe('SCHEDULED');
    const refused = await call('DELETE', `/messaging/sender_ids/${sender}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error_description).toContain(`is to send message ${msg} (SCHEDULED)`);
    expect((await call('GET', `/messaging/sender_ids/${sender}`)).status).toBe(200);
    await advance(3_600_000 + 10_000);
    expect((await call('GET', `/messaging/messages/${msg}`)).body.state).toBe('DELIVERED');
    expect((await call('DELETE', `/messaging/sender_ids/${sender}`)).status).toBe(200);
  });
});
