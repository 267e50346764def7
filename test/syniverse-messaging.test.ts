// Syniverse messaging over HTTP on a manual clock: fan-out, state progression, counters, test
// numbers, credit, scheduling, pause/resume/cancel, client transitions, MO + keywords, attachments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, synWorkspace, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

const FROM = 'sender_id:sender-default-longcode';

async function messagesOf(call: (m: string, p: string, b?: unknown) => Promise<any>, reqId: string) {
  const r = await call('GET', `/messaging/message_requests/${reqId}/messages?limit=1000`);
  expect(r.status).toBe(200);
  return r.body.list as any[];
}

function expectCountersMatch(req: any, msgs: any[]) {
  const has = (states: string[]) => msgs.filter((m) => states.includes(m.state)).length;
  expect(req['recipient_ count']).toBe(msgs.length);
  expect(req.delivered_count).toBe(has(['DELIVERED', 'READ']));
  expect(req.read_count).toBe(has(['READ']));
  expect(req.failed_count).toBe(has(['FAILED', 'EXPIRED']));
  expect(req.canceled_count).toBe(has(['CANCELED']));
}

describe('message requests', () => {
  it('fans out, progresses on the clock and keeps counters equal to the messages', async () => {
    const { call, advance } = await synWorkspace(c, 'm-fanout');
    const to = ['+15551230001', '+15555999001', '+15555999002', '+15555999003', '+15555999004', '+15555999005'];
    const created = await call('POST', '/messaging/message_requests', { from: FROM, to, body: 'Hello there' });
    expect(created.status).toBe(200);
    const id = created.body.id;
    let req = (await call('GET', `/messaging/message_requests/${id}`)).body;
    expect(req.state).toBe('TRANSMITTING');
    let msgs = await messagesOf(call, id);
    expect(msgs).toHaveLength(6);
    expect(msgs.find((m) => m.to_address === '+15555999004')).toMatchObject({ state: 'FAILED', failure_code: 'INVALID_RECIPIENT' });
    expect(msgs.filter((m) => m.state === 'CREATED')).toHaveLength(5);
    expectCountersMatch(req, msgs);

    await advance(1000);
    msgs = await messagesOf(call, id);
    expect(msgs.filter((m) => m.state === 'SENT')).toHaveLength(5);
    req = (await call('GET', `/messaging/message_requests/${id}`)).body;
    expect(req.state).toBe('COMPLETED');
    expect(req.sent_count).toBe(5);
    expectCountersMatch(req, msgs);

    await advance(2000);
    msgs = await messagesOf(call, id);
    const by = (n: string) => msgs.find((m) => m.to_address.endsWith(n));
    expect(by('1230001').state).toBe('DELIVERED');
    expect(by('1230001').delivered_date).toBe('2026-01-05T12:00:03.000Z');
    expect(by('999001')).toMatchObject({ state: 'FAILED', failure_code: 'OTHER' });
    expect(by('999002').state).toBe('SENT');
    expect(by('999003').state).toBe('DELIVERED');
    expect(by('999005').state).toBe('SENT');
    req = (await call('GET', `/messaging/message_requests/${id}`)).body;
    expectCountersMatch(req, msgs);

    await advance(5000);
    msgs = await messagesOf(call, id);
    expect(by('999003').state).toBe('READ');
    await advance(30_000);
    msgs = await messagesOf(call, id);
    expect(msgs.find((m) => m.to_address.endsWith('999005'))).toMatchObject({ state: 'FAILED', failure_code: 'OTHER' });
    await advance(24 * 3600_000);
    msgs = await messagesOf(call, id);
    expect(msgs.find((m) => m.to_address.endsWith('999002')).state).toBe('EXPIRED');
    req = (await call('GET', `/messaging/message_requests/${id}`)).body;
    expectCountersMatch(req, msgs);
    expect(req.failed_count).toBe(4);
    expect(req.version_number).toBeGreaterThan(5);
  });

  it('bumps version_number and last_updated_date on every simulated transition', async () => {
    const { call, advance } = await synWorkspace(c, 'm-version');
    const id = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230002'], body: 'x' })).body.id;
    const [m0] = await messagesOf(call, id);
    expect(m0.version_number).toBe(1);
    await advance(1000);
    const [m1] = await messagesOf(call, id);
    expect(m1).toMatchObject({ state: 'SENT', version_number: 2, last_updated_date: '2026-01-05T12:00:01.000Z' });
    expect(m1.sent_date).toBe('2026-01-05T12:00:01.000Z');
    expect(m1.price).toBeGreaterThan(0);
    const events = await c.sim('GET', '/workspaces/m-version/events?type=message_state_change');
    expect(events.events.map((e: any) => e.data.state)).toEqual(['CREATED', 'SENT']);
  });

  it('rejects a request whose only recipient is invalid, and one with no recipients', async () => {
    const { call } = await synWorkspace(c, 'm-reject');
    const a = await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15555999004'], body: 'x' });
    expect((await call('GET', `/messaging/message_requests/${a.body.id}`)).body.state).toBe('REJECTED');
    const b = await call('POST', '/messaging/message_requests', { from: FROM, to: [], body: 'x' });
    expect((await call('GET', `/messaging/message_requests/${b.body.id}`)).body).toMatchObject({ state: 'REJECTED', 'recipient_ count': 0 });
  });

  it('answers 402 and creates nothing when the estimate exceeds the balance; charges at SENT', async () => {
    const { call, advance } = await synWorkspace(c, 'm-credit');
    await c.sim('PUT', '/workspaces/m-credit/credit/syniverse', { balance: 0.01 });
    const r = await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230003', '+15551230004'], body: 'x' });
    expect(r.status).toBe(402);
    expect(r.body.error_code).toBe('402');
    expect((await call('GET', '/messaging/message_requests')).body.total).toBe(0);
    expect((await call('GET', '/messaging/messages')).body.total).toBe(0);
    const ok = await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230003'], body: 'x' });
    expect(ok.status).toBe(200);
    expect((await c.sim('GET', '/workspaces/m-credit/credit/syniverse')).balance).toBe(0.01);
    await advance(1000);
    expect((await c.sim('GET', '/workspaces/m-credit/credit/syniverse')).balance).toBeCloseTo(0.0021, 6);
  });

  it('fails the remaining messages when credit runs out mid-request', async () => {
    const { call, advance } = await synWorkspace(c, 'm-exhaust');
    await c.sim('PUT', '/workspaces/m-exhaust/credit/syniverse', { balance: 0.02 });
    const id = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230005', '+15551230006'], body: 'x' })).body.id;
    await c.sim('PUT', '/workspaces/m-exhaust/credit/syniverse', { balance: 0.01 });
    await advance(1000);
    const msgs = await messagesOf(call, id);
    expect(msgs.map((m) => m.state).sort()).toEqual(['FAILED', 'SENT']);
    expect(msgs.find((m) => m.state === 'FAILED').failure_details).toMatch(/Insufficient credit/);
  });

  it('prices multi-part and UCS-2 bodies per segment', async () => {
    const { call, advance } = await synWorkspace(c, 'm-segments');
    const id = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230007'], body: 'é'.repeat(10) + '€'.repeat(1) + 'ж'.repeat(100) })).body.id;
    await advance(1000);
    const [m] = await messagesOf(call, id);
    expect(m.external_transaction_ids.split(',')).toHaveLength(2);
    expect(m.price).toBeCloseTo(0.0158, 6);
  });

  it('honours scheduled_delivery_time, expiry_time and test_message_flag', async () => {
    const { call, advance } = await synWorkspace(c, 'm-schedule');
    const id = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230008'], body: 'later', scheduled_delivery_time: '2026-01-05T13:00:00Z' })).body.id;
    let [m] = await messagesOf(call, id);
    expect(m.state).toBe('SCHEDULED');
    expect((await call('GET', `/messaging/message_requests/${id}`)).body.state).toBe('TRANSMITTING');
    await advance(3600_000);
    [m] = await messagesOf(call, id);
    expect(m.state).toBe('CREATED');
    await advance(1000);
    [m] = await messagesOf(call, id);
    expect(m.state).toBe('SENT');

    const exp = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230009'], body: 'x', scheduled_delivery_time: '2026-01-05T15:00:00Z', expiry_time: '2026-01-05T14:00:00Z' })).body.id;
    await advance(3 * 3600_000);
    [m] = await messagesOf(call, exp);
    expect(m.state).toBe('EXPIRED');
    expect((await call('GET', `/messaging/message_requests/${exp}`)).body).toMatchObject({ state: 'COMPLETED', failed_count: 1 });

    const test = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230010'], body: 'x', test_message_flag: true })).body.id;
    [m] = await messagesOf(call, test);
    expect(m.state).toBe('TEST');
    expect((await call('GET', `/messaging/message_requests/${test}`)).body).toMatchObject({ state: 'COMPLETED', sent_count: 0 });
  });

  it('pauses, resumes and cancels', async () => {
    const { call, advance } = await synWorkspace(c, 'm-pause');
    const id = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230011', '+15551230012'], body: 'x', pause_before_transmit: true })).body.id;
    let req = (await call('GET', `/messaging/message_requests/${id}`)).body;
    expect(req.state).toBe('PAUSED');
    await advance(5000);
    expect((await messagesOf(call, id)).every((m) => m.state === 'PAUSED')).toBe(true);
    const stale = await call('POST', `/messaging/message_requests/${id}`, { state: 'TRANSMITTING', version_number: req.version_number - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error_code).toBe('1001');
    expect((await call('POST', `/messaging/message_requests/${id}`, { state: 'TRANSMITTING', version_number: req.version_number })).status).toBe(200);
    await advance(1000);
    expect((await messagesOf(call, id)).every((m) => m.state === 'SENT')).toBe(true);
    req = (await call('GET', `/messaging/message_requests/${id}`)).body;
    expect(req.state).toBe('COMPLETED');
    expect((await call('POST', `/messaging/message_requests/${id}`, { state: 'CANCELED' })).status).toBe(409);

    const other = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230013'], body: 'x', scheduled_delivery_time: '2026-01-06T00:00:00Z' })).body.id;
    expect((await call('POST', `/messaging/message_requests/${other}`, { state: 'CANCELED' })).status).toBe(200);
    const cancelled = (await call('GET', `/messaging/message_requests/${other}`)).body;
    expect(cancelled).toMatchObject({ state: 'CANCELED', canceled_count: 1 });
    expect((await call('DELETE', `/messaging/message_requests/${other}`)).status).toBe(200);
    expect((await call('GET', `/messaging/message_requests/${other}`)).status).toBe(404);
  });

  it('rejects bad input with the SCG envelope and creates nothing', async () => {
    const { call } = await synWorkspace(c, 'm-bad');
    const cases: Array<[unknown, number, string]> = [
      [{ to: ['+15551230014'], body: 'x' }, 400, 'SCG_ERROR_4001'],
      [{ from: 'sender_id:nope', to: ['+15551230014'], body: 'x' }, 400, 'SCG_ERROR_40018'],
      [{ from: FROM, to: ['+15551230014'], body: 'x'.repeat(1601) }, 400, '1012'],
      [{ from: FROM, to: ['+15551230014'], body: 'see http://exa mple' }, 400, '1020'],
      [{ from: FROM, to: ['+15551230014'], body: 'x', external_id: 'e'.repeat(256) }, 400, '1023'],
      [{ from: FROM, to: ['+15551230014'], body: 'x', test_message_flag: 'maybe' }, 400, 'SCG_ERROR_4002'],
    ];
    for (const [body, status, code] of cases) {
      const r = await call('POST', '/messaging/message_requests', body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(r.body.error_code).toBe(code);
      expect(typeof r.body.error_description).toBe('string');
    }
    const broken = await c.req('POST', '/syniverse/scg-external-api/api/v1/messaging/message_requests', {
      body: '{"from":',
      headers: { authorization: (await synWorkspace(c, 'm-bad2')).auth.authorization, 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect((await call('GET', '/messaging/message_requests')).body.total).toBe(0);
    // POST /messaging/messages is "Send a Message" (public description): `from` and `to` are required.
    const noFrom = await call('POST', '/messaging/messages', { state: 'SENT' });
    expect(noFrom.status).toBe(400);
    expect(noFrom.body.error_description).toMatch(/from/);
    expect((await call('GET', '/messaging/messages')).body.total).toBe(0);
  });

  it('accepts form-urlencoded bodies', async () => {
    const { auth, call } = await synWorkspace(c, 'm-form');
    const r = await c.req('POST', '/syniverse/scg-external-api/api/v1/messaging/channels', { form: { name: 'alerts', priority: 'HIGH' }, headers: auth });
    expect(r.status).toBe(200);
    expect((await call('GET', `/messaging/channels/${r.body.id}`)).body).toMatchObject({ name: 'alerts', priority: 'high' });
  });
});

describe('messages', () => {
  it('allows exactly the documented client transitions', async () => {
    const { call, advance } = await synWorkspace(c, 'm-client');
    const id = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230020'], body: 'x' })).body.id;
    await advance(3000);
    const [m] = await messagesOf(call, id);
    expect((await call('POST', `/messaging/messages/${m.id}`, { state: 'SENT' })).status).toBe(400);
    expect((await call('POST', `/messaging/messages/${m.id}`, { state: 'PROCESSED' })).status).toBe(409);
    const conv = await call('POST', `/messaging/messages/${m.id}`, { state: 'CONVERTED', conversion_info_source: 'web' });
    expect(conv.status).toBe(200);
    const after = (await call('GET', `/messaging/messages/${m.id}`)).body;
    expect(after).toMatchObject({ state: 'CONVERTED', conversion_info_source: 'web', converted_date: '2026-01-05T12:00:03.000Z' });
    expect((await call('GET', `/messaging/message_requests/${id}`)).body.converted_count).toBe(1);
    expect((await call('DELETE', `/messaging/messages/${m.id}`)).status).toBe(200);
    expect((await call('GET', `/messaging/messages/${m.id}`)).body.state).toBe('DELETED');
    expect((await call('GET', '/messaging/messages')).body.total).toBe(0);
    expect((await call('GET', '/messaging/messages?state=DELETED')).body.total).toBe(1);
    expect((await call('POST', `/messaging/messages/${m.id}`, { state: 'CONVERTED' })).status).toBe(409);
  });
});

describe('MO and keywords', () => {
  it('injects an MO linked to the latest MT and applies STOP to consent-managed senders', async () => {
    const { call, advance } = await synWorkspace(c, 'm-mo');
    const id = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230030'], body: 'Offer', conversation_id: 'conv-1' })).body.id;
    await advance(3000);
    const [mt] = await messagesOf(call, id);
    const mo = (await c.sim('POST', '/workspaces/m-mo/inject/mo-message', { from: '+15551230030', to: '+15550100001', body: 'stop' })).result;
    expect(mo.message).toMatchObject({ direction: 'MO', state: 'RECEIVED', reply_to: mt.id, conversation_id: 'conv-1', from_address: '+15551230030' });
    const events = await c.sim('GET', '/workspaces/m-mo/events?type=mo_message_received');
    expect(events.events[0].data).toMatchObject({ body: 'stop', keyword: 'STOP' });
    expect((await call('POST', `/messaging/messages/${mo.message.id}`, { state: 'PROCESSED' })).status).toBe(200);
    const unknown = await c.req('POST', '/_sim/workspaces/m-mo/inject/mo-message', { body: { from: '+15551230030', to: '+19999999999', body: 'x' } });
    expect(unknown.status).toBe(404);
  });

  it('protects RESERVED keywords and validates COMPANY ones', async () => {
    const { call } = await synWorkspace(c, 'm-kw');
    const list = (await call('GET', '/messaging/keywords')).body;
    expect(list.list.map((k: any) => k.name)).toEqual(expect.arrayContaining(['STOP', 'START', 'HELP']));
    expect((await call('DELETE', '/messaging/keywords/kw-stop')).status).toBe(403);
    expect((await call('POST', '/messaging/keywords', { name: 'x', value: 'STOP' })).body.error_code).toBe('1011');
    expect((await call('POST', '/messaging/keywords', { name: 'x', value: '(' })).status).toBe(400);
    const ok = await call('POST', '/messaging/keywords', { name: 'promo', value: 'PROMO', reply_template: 'HELP' });
    expect(ok.status).toBe(200);
    expect((await call('GET', `/messaging/keywords/${ok.body.id}`)).body).toMatchObject({ type: 'COMPANY', case: 'INSENSITIVE', version_number: 1 });
  });
});

describe('sender ids and channels', () => {
  it('provisions created sender ids on the clock and buys preprovisioned ones', async () => {
    const { call, advance } = await synWorkspace(c, 'm-senders');
    const created = await call('POST', '/messaging/sender_ids', { name: 'mine', type_id: 'type-sms-longcode', class_id: 'class-alerts', address: '+15550109999', capabilities: ['SMS'] });
    expect(created.status).toBe(200);
    expect((await call('GET', `/messaging/sender_ids/${created.body.id}`)).body.state).toBe('PENDING_IMPLEMENTATION');
    await advance(120_000);
    expect((await call('GET', `/messaging/sender_ids/${created.body.id}`)).body.state).toBe('ACTIVE');
    const pre = (await call('GET', '/messaging/sender_ids?ownership=PREPROVISIONED')).body.list[0];
    const bought = await call('POST', '/messaging/sender_ids/purchase', { parent_id: pre.id });
    expect(bought.status).toBe(200);
    expect((await call('GET', `/messaging/sender_ids/${pre.id}`)).body.ownership).toBe('PURCHASED');
    expect((await call('POST', '/messaging/sender_ids/purchase', { parent_id: pre.id })).status).toBe(409);
    expect((await call('GET', `/messaging/sender_ids/${bought.body.id}`)).body).toMatchObject({ ownership: 'PRIVATE', parent_id: pre.id, state: 'ACTIVE' });
    expect((await call('DELETE', `/messaging/sender_ids/${bought.body.id}`)).status).toBe(200);
    expect((await call('GET', `/messaging/sender_ids/${pre.id}`)).body.ownership).toBe('PREPROVISIONED');
    expect((await call('POST', '/messaging/sender_ids', { ownership: 'SHARED', type_id: 'type-sms-longcode', address: '+1555' })).status).toBe(403);
  });

  it('sends through a channel to its cheapest eligible sender', async () => {
    const { call, advance } = await synWorkspace(c, 'm-channel');
    const ch = (await call('POST', '/messaging/channels', { name: 'main' })).body.id;
    expect((await call('POST', `/messaging/channels/${ch}/sender_ids`, { sender_ids: ['sender-default-longcode', 'nope'] })).body.errors).toHaveLength(1);
    expect((await call('GET', `/messaging/channels/${ch}/sender_ids`)).body.total).toBe(1);
    const id = (await call('POST', '/messaging/message_requests', { from: `channel:${ch}`, to: ['+15551230040'], body: 'x' })).body.id;
    await advance(1000);
    const [m] = await messagesOf(call, id);
    expect(m).toMatchObject({ state: 'SENT', customer_sender_id: 'sender-default-longcode', from_address: '+15550100001' });
    expect((await call('DELETE', `/messaging/channels/${ch}/sender_ids/sender-default-longcode`)).status).toBe(200);
    const none = (await call('POST', '/messaging/message_requests', { from: `channel:${ch}`, to: ['+15551230041'], body: 'x' })).body.id;
    const [f] = await messagesOf(call, none);
    expect(f).toMatchObject({ state: 'FAILED', failure_code: 'OTHER' });
  });
});

describe('attachments', () => {
  it('uploads and downloads content through expiring access tokens', async () => {
    const { call, advance } = await synWorkspace(c, 'm-attach');
    const a = (await call('POST', '/messaging/attachments', { name: 'pic', type: 'image/png', filename: 'pic.png' })).body.id;
    const token = (await call('POST', `/messaging/attachments/${a}/access_tokens`, {})).body.id;
    const url = `/syniverse/scg-attachment/api/v1/messaging/attachments/${token}/content`;
    const up = await c.req('POST', url, { body: new Uint8Array([1, 2, 3, 4]), headers: { 'content-type': 'application/octet-stream' } });
    expect(up.status).toBe(200);
    expect((await call('GET', `/messaging/attachments/${a}`)).body).toMatchObject({ state: 'UPLOADED', size: 4, version_number: 2 });
    const down = await c.app.app.request(url);
    expect(down.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await down.arrayBuffer())]).toEqual([1, 2, 3, 4]);
    const req = await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230050'], body: 'look', attachments: [a] });
    expect(req.status).toBe(200);
    await advance(301_000);
    const expired = await c.req('GET', url);
    expect(expired.status).toBe(401);
    expect(expired.body.error_code).toBe('401');
    expect((await call('DELETE', `/messaging/attachments/${a}`)).status).toBe(200);
    expect((await call('GET', `/messaging/attachments/${a}`)).body).toMatchObject({ state: 'CREATED', size: 0 });
  });
});

describe('isolation and auth', () => {
  it('keeps workspaces apart and answers 401 in the SCG envelope', async () => {
    const a = await synWorkspace(c, 'm-iso-a');
    const b = await synWorkspace(c, 'm-iso-b');
    const id = (await a.call('POST', '/messaging/channels', { name: 'only-a' })).body.id;
    expect((await b.call('GET', `/messaging/channels/${id}`)).status).toBe(404);
    expect((await b.call('GET', '/messaging/channels')).body.total).toBe(0);
    const r = await c.req('GET', '/syniverse/scg-external-api/api/v1/messaging/channels', { headers: { authorization: 'Bearer nope' } });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error_code: '401' });
    const missing = await c.req('GET', '/syniverse/scg-external-api/api/v1/messaging/nothing-here', { headers: a.auth });
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('404');
  });
});
