// Syniverse's own event callbacks over HTTP: a `format: 'syniverse'` registration through the
// control API, a loopback receiver standing in for the application's callback handler, and the
// workspace's manual clock. The receiver gets ESS payloads, signed, retried after a failure.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startApp, synWorkspace, type Client } from './helpers.js';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  raw: string;
}

let c: Client;
let server: Server;
let base = '';
const received: Received[] = [];
/** Answers to give per path before the default 200 (a failing handler, then a working one). */
const failures = new Map<string, number[]>();

beforeAll(async () => {
  c = await startApp();
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: JSON.parse(raw), raw });
      const queue = failures.get(path);
      res.writeHead(queue?.length ? queue.shift()! : 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await c.close();
});

/** Waits for loopback I/O (never for the simulated clock, which only the test moves). */
async function until(cond: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await cond()) return;
    await new Promise((r) => (i < 100 ? setImmediate(r) : setTimeout(r, 5)));
  }
  throw new Error('timed out waiting for loopback deliveries');
}

const at = (path: string) => received.filter((r) => r.path === path);
/** Concurrent deliveries may land in any order: sorted by event (`x-sim-delivery: e<seq>.<attempt>`), then attempt. */
const ordered = (rs: Received[]) => {
  const key = (r: Received) => String(r.headers['x-sim-delivery']).slice(1).split('.').map(Number);
  return [...rs].sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]);
};
const fields = (r: Received) => r.body.event['fld-val-list'];

describe('syniverse-format callbacks', () => {
  it('registration: validated precisely, a refused one stores nothing', async () => {
    await synWorkspace(c, 'cb-reg');
    const post = (body: unknown) => c.req('POST', '/_sim/workspaces/cb-reg/webhooks', { body });
    const refused = async (body: unknown) => {
      const r = await post(body);
      expect(r.status, r.text).toBe(400);
      return r.body.error.message as string;
    };
    expect(await refused({ url: `${base}/x`, format: 'twilio' })).toBe('unknown format "twilio" (formats: sim, syniverse)');
    expect(await refused({ url: `${base}/x`, format: 'syniverse', events: ['message_state_change', 'thing.created'] })).toMatch(
      /^unknown syniverse event type "thing.created" \(known: message_request_state_change, message_state_change, mo_message_received, .*SCG-Message, SCG-Voice-Call\)$/,
    );
    expect(await refused({ url: `${base}/x`, format: 'syniverse', api: 'clever' })).toBe('format "syniverse" carries events of api "syniverse" only, not "clever"');
    expect(await refused({ url: `${base}/x`, format: 'syniverse', headers: { 'X-Sim-Event': 'x' } })).toBe('headers: X-Sim-Event is set by commsim and cannot be overridden');
    expect((await c.sim('GET', '/workspaces/cb-reg/webhooks')).webhooks).toEqual([]);
    const ok = await post({ url: `${base}/x`, format: 'syniverse', events: ['SCG-Voice-Call', 'mo_message_received'] });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ url: `${base}/x`, format: 'syniverse', api: 'syniverse', events: ['SCG-Voice-Call', 'mo_message_received'], headers: {} });
    expect((await c.sim('GET', '/workspaces/cb-reg/webhooks')).webhooks).toEqual([ok.body]);
  });

  it('an SMS: each message state as message_state_change, signed, the failed attempt retried', async () => {
    const { call, advance } = await synWorkspace(c, 'cb-sms');
    const auth = basic('app', 'pw');
    const hook = await c.sim('POST', '/workspaces/cb-sms/webhooks', {
      url: `${base}/sms`,
      format: 'syniverse',
      events: ['message_state_change'],
      secret: 'syn-secret',
      headers: { Authorization: auth },
    });
    failures.set('/sms', [500]);
    const req = await call('POST', '/messaging/message_requests', { from: 'sender_id:sender-default-longcode', to: ['+15551238201'], body: 'hello callbacks', external_id: 'order-17' });
    expect(req.status).toBe(200);
    const attempts = async () => (await c.sim('GET', '/workspaces/cb-sms/events?type=webhook.attempt')).events as any[];
    await until(async () => (await attempts()).length === 1);
    expect((await attempts())[0].data).toMatchObject({ webhook_id: hook.id, format: 'syniverse', vendor_event_type: 'message_state_change', attempt: 1, ok: false, status: 500 });
    await advance(1000); // the retry of CREATED, and SENT
    await until(async () => (await attempts()).length === 3);
    await advance(2000); // DELIVERED
    await until(async () => (await attempts()).length === 4);

    const got = ordered(at('/sms'));
    expect(got.map((r) => [r.body.attempt, fields(r).previous_state ?? null, fields(r).new_state])).toEqual([
      [1, null, 'CREATED'],
      [2, null, 'CREATED'],
      [1, 'CREATED', 'SENT'],
      [1, 'SENT', 'DELIVERED'],
    ]);
    expect(got[1].body.event_id).toBe(got[0].body.event_id);
    expect(fields(got[1])).toEqual(fields(got[0]));
    expect(new Set(got.map((r) => r.body.event_id)).size).toBe(3);
    for (const r of got) {
      expect(r.headers['x-sim-signature']).toBe(`sha256=${createHmac('sha256', 'syn-secret').update(r.raw).digest('hex')}`);
      expect(r.headers.authorization).toBe(auth);
      expect(r.headers['x-sim-event']).toBe('message_state_change');
      expect(r.headers['x-sim-format']).toBe('syniverse');
      expect(r.body).toMatchObject({ topic: 'SCG-Message', event: { 'evt-tp': 'message_state_change' } });
      expect(r.body['event-id']).toBe(r.body.event_id);
    }
    const delivered = got[3];
    const msg = (await call('GET', `/messaging/messages?message_request_id=${req.body.id}`)).body.list[0];
    expect(delivered.body.event.timestamp).toBe('2026-01-05T12:00:03.000Z');
    expect(fields(delivered)).toEqual({
      previous_state: 'SENT',
      message_request_id: req.body.id,
      message_id: msg.id,
      to_address: '+15551238201',
      has_attachment: false,
      reason_code: '200',
      reason_description: 'SUCCESS',
      application_id: 1000,
      'company-id': 1000,
      sender_id_alias: 'Default long code',
      sender_id_id: 'sender-default-longcode',
      external_message_request_id: 'order-17',
      new_state: 'DELIVERED',
      fragments_count: 1,
      from_address: '+15550100001',
      mt_price: msg.price,
    });
    expect(msg.price).toBeGreaterThan(0);
  });

  it('a failed message carries its failure code; an inbound message arrives as mo_message_received', async () => {
    const { call, advance } = await synWorkspace(c, 'cb-mo');
    await c.sim('POST', '/workspaces/cb-mo/webhooks', { url: `${base}/mo`, format: 'syniverse', events: ['SCG-Message'] });
    await call('POST', '/messaging/message_requests', { from: 'sender_id:sender-default-longcode', to: ['+15551999001'], body: 'undeliverable' });
    await advance(5000);
    const injected = await c.sim('POST', '/workspaces/cb-mo/inject/mo-message', { from: '+15551230030', to: '+15550100001', body: 'Help' });
    await until(() => at('/mo').some((r) => r.body.event['evt-tp'] === 'mo_message_received'));
    await until(() => at('/mo').some((r) => fields(r).new_state === 'FAILED'));
    const types = new Set(at('/mo').map((r) => r.body.event['evt-tp']));
    expect([...types].sort()).toEqual(['message_request_state_change', 'message_state_change', 'mo_message_received']);
    expect(fields(at('/mo').find((r) => fields(r).new_state === 'FAILED')!)).toMatchObject({ previous_state: 'SENT', reason_code: '1009', to_address: '+15551999001' });
    const mo = at('/mo').find((r) => r.body.event['evt-tp'] === 'mo_message_received')!;
    expect(mo.body).toMatchObject({ topic: 'SCG-Message', attempt: 1, event: { timestamp: '2026-01-05T12:00:05.000Z' } });
    expect(fields(mo)).toEqual({
      message_id: injected.result.message.id,
      to_address: '+15550100001',
      from_address: '+15551230030',
      has_attachment: false,
      application_id: 1000,
      'company-id': 1000,
      sender_id_alias: 'Default long code',
      sender_id_id: 'sender-default-longcode',
      message_body: 'Help',
      message_body_truncated: false,
      fragments_count: 1,
      mo_price: 0,
    });
  });

  it('a call: call_state_change for each state, the last with its duration and price', async () => {
    const { call, advance } = await synWorkspace(c, 'cb-call');
    await c.sim('POST', '/workspaces/cb-call/webhooks', { url: `${base}/voice`, format: 'syniverse', events: ['SCG-Voice-Call'] });
    await c.sim('POST', '/workspaces/cb-call/webhooks', { url: `${base}/sim`, events: ['call_state_change'] }); // the sim format, side by side
    // 999003: answered after 3 s, the far end hangs up 10 s later.
    const created = await call('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15555999003', external_id: 'crm-call-1' });
    expect(created.status).toBe(200);
    await advance(3000);
    await advance(10_000);
    await until(() => at('/voice').length === 3 && at('/sim').length === 3);
    const got = ordered(at('/voice'));
    expect(got.map((r) => [r.body.event['evt-tp'], fields(r).previous_state ?? null, fields(r).new_state, r.body.event.timestamp])).toEqual([
      ['call_state_change', null, 'STARTED', '2026-01-05T12:00:00.000Z'],
      ['call_state_change', 'STARTED', 'ACTIVE', '2026-01-05T12:00:03.000Z'],
      ['call_state_change', 'ACTIVE', 'COMPLETED', '2026-01-05T12:00:13.000Z'],
    ]);
    const rec = (await call('GET', `/calling/calls/${created.body.id}`)).body;
    expect(fields(got[2])).toEqual({
      call_id: created.body.id,
      from_address: '+15550100001',
      to_address: '+15555999003',
      reason_code: '200',
      reason_description: 'SUCCESS',
      application_id: 1000,
      previous_state: 'ACTIVE',
      new_state: 'COMPLETED',
      external_call_id: 'crm-call-1',
      call_duration: 10,
      call_price: rec.price,
    });
    expect(rec.price).toBeGreaterThan(0);
    expect(got.every((r) => r.body.topic === 'SCG-Voice-Call')).toBe(true);
    expect(ordered(at('/sim')).map((r) => [r.body.type, r.body.data.state])).toEqual([
      ['call_state_change', 'STARTED'],
      ['call_state_change', 'ACTIVE'],
      ['call_state_change', 'COMPLETED'],
    ]);
  });

  it('a digits collector as collector_state_change: started, then completed with the digits', async () => {
    const { call, advance } = await synWorkspace(c, 'cb-digits');
    await c.sim('POST', '/workspaces/cb-digits/webhooks', { url: `${base}/digits`, format: 'syniverse', events: ['collector_state_change'] });
    const id = (await call('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15551239501', external_id: 'crm-call-9' })).body.id;
    await advance(3000);
    const col = (await call('POST', `/calling/calls/${id}/digits_collector`, { prompt: { sentence: 'PIN' }, terminating_digits: '#', external_id: 'pin' })).body.id;
    await c.sim('POST', '/workspaces/cb-digits/inject/dtmf', { call_id: id, digits: '12#' });
    await until(() => at('/digits').length === 2);
    const got = ordered(at('/digits'));
    expect(got.map((r) => r.body.event['evt-tp'])).toEqual(['collector_state_change', 'collector_state_change']);
    expect(got.every((r) => r.body.topic === 'SCG-Voice-Call')).toBe(true);
    expect(fields(got[0])).toMatchObject({ collector_id: col, call_id: id, state: 'STARTED', digits: '' });
    expect(fields(got[1])).toEqual({
      collector_id: col,
      collector_external_id: 'pin',
      call_id: id,
      call_external_id: 'crm-call-9',
      state: 'COMPLETED',
      reason: 'terminating_digit',
      digits: '12',
      application_id: 1000,
    });
  });

  it('playbacks and conference members as their voice events', async () => {
    const { call, advance } = await synWorkspace(c, 'cb-conf');
    await c.sim('POST', '/workspaces/cb-conf/webhooks', { url: `${base}/conf`, format: 'syniverse', events: ['SCG-Voice-Call'] });
    const id = (await call('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15551239401', external_id: 'crm-call-2' })).body.id;
    await advance(3000);
    expect((await call('POST', `/calling/calls/${id}/play_tts`, { text: 'hello there' })).status).toBe(200);
    await advance(1000); // the two-word tts ends after 800 ms
    const conf = (await call('POST', '/calling/conferences', { external_id: 'conf-x' })).body.id;
    const member = (await call('POST', `/calling/conferences/${conf}/members`, { call_id: id, external_id: 'mem-x' })).body.id;
    expect((await call('POST', `/calling/conferences/${conf}/members/${member}/play_audio`, { source_type: 'URL', source: 'https://example.test/a.wav' })).status).toBe(200);
    await advance(2000); // the audio ends after 2 s
    await call('DELETE', `/calling/conferences/${conf}/members/${member}`);
    const kinds = ['call_state_change', 'call_state_change', 'call_tts_state_change', 'call_tts_state_change', 'conference_member_state_change', 'conference_member_play_state_change', 'conference_member_play_state_change', 'conference_member_state_change'];
    await until(() => at('/conf').length === kinds.length);
    const got = ordered(at('/conf'));
    expect(got.map((r) => r.body.event['evt-tp'])).toEqual(kinds);
    expect(got.slice(2, 4).map(fields)).toEqual([
      { call_id: id, state: 'playing', application_id: 1000, call_external_id: 'crm-call-2' },
      { call_id: id, state: 'finished', application_id: 1000, call_external_id: 'crm-call-2' },
    ]);
    const ids = { member_id: member, conference_id: conf, conference_external_id: 'conf-x', member_external_id: 'mem-x', call_id: id, call_external_id: 'crm-call-2', application_id: 1000 };
    expect(fields(got[4])).toEqual({ ...ids, state: 'active', active_members: 1, mute: false });
    expect(got.slice(5, 7).map((r) => fields(r))).toEqual([
      { ...ids, state: 'playing' },
      { ...ids, state: 'finished' },
    ]);
    expect(fields(got[7])).toEqual({ ...ids, state: 'completed', active_members: 0, mute: false });
  });
});
