// Syniverse message flow over HTTP on a manual clock: the per-sender send queue (work linear in
// the backlog), `recipient_count`, POST /messaging/messages, scheduled cancellation, the list
// filters of the public description, and MOs addressed to sender references.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Table } from '../src/core/table.js';
import { startApp, synWorkspace, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

const baseFixtures = JSON.parse(readFileSync(new URL('../fixtures/syniverse.json', import.meta.url), 'utf8'));
const FROM = 'sender_id:sender-default-longcode';
const T0 = Date.parse('2026-01-05T12:00:00Z');

/** The default long code's class (ALERTS, formerly class-alerts) limited to `perSecond` messages a second. */
function slowSender(perSecond: number) {
  const classes = (baseFixtures.sender_id_classes as Array<Record<string, unknown>>).map((k) =>
    k.id === 'ALERTS' ? { ...k, country_peak_throughput: perSecond } : k,
  );
  return { scenario: { fixtures: { syniverse: { sender_id_classes: classes } }, credit: { syniverse: 100_000 } } };
}

async function allMessages(call: (m: string, p: string, b?: unknown) => Promise<any>, query = '') {
  const out: any[] = [];
  for (let offset = 0; ; offset += 1000) {
    const r = await call('GET', `/messaging/messages?limit=1000&offset=${offset}${query}`);
    expect(r.status).toBe(200);
    out.push(...r.body.list);
    if (out.length >= r.body.total) return out;
  }
}

describe('send queue per sender', () => {
  it('drains a backlog in order at the sender rate with work linear in the backlog', async () => {
    const N = 2000;
    const RATE = 5;
    const { call, advance } = await synWorkspace(c, 'flow-queue', slowSender(RATE));
    const to = Array.from({ length: N }, (_, i) => `+1555${String(2000000 + i).padStart(7, '0')}`);
    const created = await call('POST', '/messaging/message_requests', { from: FROM, to, body: 'queued' });
    expect(created.status).toBe(200);
    const reqId = created.body.id;

    const writes = { n: 0 };
    const count = () => {
      writes.n++;
    };
    // Count through wrappers that call the real methods.
    const originals = { put: Table.prototype.put, touch: Table.prototype.touch, remove: Table.prototype.remove };
    Table.prototype.put = function (this: Table, rec) {
      count();
      return originals.put.call(this, rec);
    };
    Table.prototype.touch = function (this: Table, rec) {
      count();
      return originals.touch.call(this, rec);
    };
    Table.prototype.remove = function (this: Table, id) {
      count();
      return originals.remove.call(this, id);
    };
    let fired = 0;
    try {
      // 1 s to the first dispatch, then RATE a second: 11 s send 55.
      fired += (await advance(11_000)).fired;
      const mid = (await call('GET', `/messaging/message_requests/${reqId}`)).body;
      expect(mid.sent_count).toBe(11 * RATE);
      expect(mid.state).toBe('TRANSMITTING');
      const slots = N / RATE;
      fired += (await advance(slots * 1000)).fired;
    } finally {
      Object.assign(Table.prototype, originals);
    }
    const req = (await call('GET', `/messaging/message_requests/${reqId}`)).body;
    expect(req).toMatchObject({ state: 'COMPLETED', sent_count: N, delivered_count: N });

    // In creation order, message i left at T0 + 1 s + floor(i / RATE) s: FIFO at the sender's rate.
    const msgs = await allMessages(call, `&message_request_id=${reqId}`);
    expect(msgs).toHaveLength(N);
    const late = msgs.filter((m, i) => Date.parse(m.sent_date) !== T0 + 1000 + Math.floor(i / RATE) * 1000);
    expect(late).toEqual([]);

    // Linear work: one dispatch and one receipt per message, one drain per slot (the old
    // rescheduling fired ~N^2 / (2 RATE) = 400,000 events for this backlog).
    const slots = N / RATE;
    expect(fired).toBeLessThanOrEqual(2 * N + slots + 5);
    expect(fired).toBeGreaterThanOrEqual(2 * N);
    // A bounded number of record writes per message (a quadratic drain rewrites ~N^2 / RATE).
    expect(writes.n).toBeLessThan(25 * N);
  });

  it('lets canceled messages leave the queue unsent and keeps new ones behind the backlog', async () => {
    const { call, advance } = await synWorkspace(c, 'flow-queue-cancel', slowSender(1));
    const a = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15552100001', '+15552100002', '+15552100003', '+15552100004'], body: 'a' })).body.id;
    await advance(1000); // the first one leaves at T0 + 1 s, three wait
    const b = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15552100005'], body: 'b' })).body.id;
    await advance(1000); // T0 + 2 s: the second of a
    expect((await call('POST', `/messaging/message_requests/${a}`, { state: 'CANCELED' })).status).toBe(200);
    await advance(10_000);
    const ma = await allMessages(call, `&message_request_id=${a}`);
    expect(ma.map((m) => m.state)).toEqual(['DELIVERED', 'DELIVERED', 'CANCELED', 'CANCELED']);
    const [mb] = await allMessages(call, `&message_request_id=${b}`);
    // b joined behind a's backlog; the canceled entries cost no slot: it leaves at T0 + 3 s.
    expect(mb.sent_date).toBe('2026-01-05T12:00:03.000Z');
    const queue = await c.sim('GET', '/workspaces/flow-queue-cancel/state/syniverse/_send_queue');
    expect(queue.total).toBe(0);
    const [counter] = (await c.sim('GET', '/workspaces/flow-queue-cancel/state/syniverse/_throughput')).records;
    expect(counter).toMatchObject({ head: 0, tail: 0, drainAt: null });
  });
});

describe('send queue in a snapshot', () => {
  it('carries a backlog mid-drain into a clone, which drains it as the original does', async () => {
    const a = await synWorkspace(c, 'flow-snap-a', slowSender(2));
    const id = (await a.call('POST', '/messaging/message_requests', { from: FROM, to: Array.from({ length: 9 }, (_, i) => `+155522001${i}0`), body: 'x' })).body.id;
    await a.advance(2000); // 4 sent, 5 queued
    const snap = await c.sim('GET', '/workspaces/flow-snap-a/snapshot');
    expect(snap.tables['syniverse._send_queue']).toHaveLength(5);
    const b = await c.sim('POST', '/workspaces', { id: 'flow-snap-b' });
    const copy = structuredClone(snap);
    copy.meta.credentials = { ...copy.meta.credentials, syniverse: b.credentials.syniverse, clever: b.credentials.clever };
    await c.sim('PUT', '/workspaces/flow-snap-b/snapshot', copy);
    const auth = { authorization: `Bearer ${b.credentials.syniverse.token}` };
    const sentDates = async (call: (m: string, p: string) => Promise<any>) =>
      (await call('GET', `/messaging/message_requests/${id}/messages`)).body.list.map((m: any) => m.sent_date);
    for (const ws of ['flow-snap-a', 'flow-snap-b']) await c.sim('POST', `/workspaces/${ws}/clock/advance`, { ms: 5000 });
    const fromA = await sentDates(a.call);
    const fromB = await sentDates((m, p) => c.req(m, `/syniverse/scg-external-api/api/v1${p}`, { headers: auth }));
    expect(fromB).toEqual(fromA);
    expect(fromA.map((d: string) => (Date.parse(d) - T0) / 1000)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5]);
  });
});

describe('recipient_count', () => {
  it('is answered under both spellings and filters under both', async () => {
    const { call } = await synWorkspace(c, 'flow-rcount');
    const two = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15552200001', '+15552200002'], body: 'x' })).body.id;
    const one = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15552200003'], body: 'x', recipient_count: 7, 'recipient_ count': 9 })).body.id;
    const r = (await call('GET', `/messaging/message_requests/${two}`)).body;
    expect(r).toMatchObject({ 'recipient_ count': 2, recipient_count: 2 });
    // Counters are read-only: either spelling in the body is ignored.
    expect((await call('GET', `/messaging/message_requests/${one}`)).body).toMatchObject({ 'recipient_ count': 1, recipient_count: 1 });
    const byPublic = (await call('GET', '/messaging/message_requests?recipient_count=2')).body;
    expect(byPublic.list.map((x: any) => x.id)).toEqual([two]);
    const bySeed = (await call('GET', '/messaging/message_requests?recipient_%20count=1')).body;
    expect(bySeed.list.map((x: any) => x.id)).toEqual([one]);
    expect((await call('GET', '/messaging/message_requests?recipient_count=3')).body.total).toBe(0);
    const sorted = (await call('GET', '/messaging/message_requests?sort=-recipient_count')).body;
    expect(sorted.list.map((x: any) => x.id)).toEqual([two, one]);
  });
});

describe('POST /messaging/messages (Send a Message)', () => {
  it('sends one message with no message request through the same flow, charging at SENT', async () => {
    const { call, advance } = await synWorkspace(c, 'flow-send');
    const r = await call('POST', '/messaging/messages', { from: FROM, to: '+1 555 220 0010', body: 'Hi', external_id: 'ext-1', campaign_id: 'camp' });
    expect(r.status).toBe(200);
    let m = (await call('GET', `/messaging/messages/${r.body.id}`)).body;
    expect(m).toMatchObject({ direction: 'MT', state: 'CREATED', message_request_id: null, to_address: '+15552200010', customer_sender_id: 'sender-default-longcode', external_message_request_id: 'ext-1', campaign_id: 'camp', body: 'Hi' });
    const before = (await c.sim('GET', '/workspaces/flow-send/credit/syniverse')).balance;
    await advance(1000);
    m = (await call('GET', `/messaging/messages/${r.body.id}`)).body;
    expect(m).toMatchObject({ state: 'SENT', sent_date: '2026-01-05T12:00:01.000Z' });
    expect(m.price).toBeGreaterThan(0);
    expect((await c.sim('GET', '/workspaces/flow-send/credit/syniverse')).balance).toBeCloseTo(before - m.price, 6);
    await advance(2000);
    expect((await call('GET', `/messaging/messages/${r.body.id}`)).body.state).toBe('DELIVERED');
    const events = await c.sim('GET', '/workspaces/flow-send/events?type=message_state_change');
    expect(events.events.map((e: any) => e.data.state)).toEqual(['CREATED', 'SENT', 'DELIVERED']);
    expect((await call('GET', '/messaging/message_requests')).body.total).toBe(0);

    // Test numbers: 999001 fails at the carrier, 999004 is an invalid recipient.
    const fail = (await call('POST', '/messaging/messages', { from: FROM, to: '+15555999001', body: 'x' })).body.id;
    const invalidTo = (await call('POST', '/messaging/messages', { from: FROM, to: '+15555999004', body: 'x' })).body.id;
    expect((await call('GET', `/messaging/messages/${invalidTo}`)).body).toMatchObject({ state: 'FAILED', failure_code: 'INVALID_RECIPIENT', price: 0 });
    await advance(3000);
    expect((await call('GET', `/messaging/messages/${fail}`)).body).toMatchObject({ state: 'FAILED', failure_code: 'OTHER' });
  });

  it('refuses bad input and an unaffordable message, creating nothing', async () => {
    const { call } = await synWorkspace(c, 'flow-send-bad');
    const cases: Array<[unknown, number, string, RegExp]> = [
      [{ from: FROM, body: 'x' }, 400, 'SCG_ERROR_4001', /to/],
      [{ to: '+15552200020', body: 'x' }, 400, 'SCG_ERROR_4001', /from/],
      [{ from: 'sender_id:nope', to: '+15552200020', body: 'x' }, 400, 'SCG_ERROR_40018', /^Invalid senderId\/address: invalid from: sender id nope/],
      [{ from: FROM, to: '+15552200020', body: 'x'.repeat(1601) }, 400, '1012', /1601/],
      [{ from: FROM, to: '+15552200020', body: 'x', expiry_time: 'soon' }, 400, 'SCG_ERROR_4002', /expiry_time/],
    ];
    for (const [body, status, code, text] of cases) {
      const r = await call('POST', '/messaging/messages', body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(r.body.error_code).toBe(code);
      expect(r.body.error_description).toMatch(text);
    }
    await c.sim('PUT', '/workspaces/flow-send-bad/credit/syniverse', { balance: 0.001 });
    const poor = await call('POST', '/messaging/messages', { from: FROM, to: '+15552200021', body: 'x' });
    expect(poor.status).toBe(402);
    expect(poor.body.error_code).toBe('402');
    expect((await call('GET', '/messaging/messages')).body.total).toBe(0);
  });

  it('sends to a contact id and refuses a group of several', async () => {
    const { call, advance } = await synWorkspace(c, 'flow-send-contact');
    const ann = (await call('POST', '/contacts', { first_name: 'Ann', primary_mdn: '+15552200030' })).body.id;
    const bob = (await call('POST', '/contacts', { first_name: 'Bob', primary_mdn: '+15552200031' })).body.id;
    const id = (await call('POST', '/messaging/messages', { from: FROM, to: ann, body: 'x' })).body.id;
    expect((await call('GET', `/messaging/messages/${id}`)).body).toMatchObject({ to_address: '+15552200030', 'contact-id': ann });
    const group = (await call('POST', '/contact_groups', { name: 'both' })).body.id;
    expect((await call('POST', `/contact_groups/${group}/contacts`, { contacts: [ann, bob] })).status).toBe(200);
    const many = await call('POST', '/messaging/messages', { from: FROM, to: group, body: 'x' });
    expect(many.status).toBe(400);
    expect(many.body.error_description).toMatch(/one recipient/);
    await advance(1000);
    expect((await call('GET', `/messaging/messages?to=${ann}`)).body.list.map((m: any) => m.id)).toEqual([id]);
  });
});

describe('scheduled cancellation', () => {
  it('cancels a scheduled message before its time and answers 404 after it', async () => {
    const { call, advance } = await synWorkspace(c, 'flow-sched-msg');
    const at = '2026-01-05T13:00:00Z';
    const single = (await call('POST', '/messaging/messages', { from: FROM, to: '+15552200040', body: 'later', scheduled_delivery_time: at })).body.id;
    expect((await call('GET', `/messaging/messages/${single}`)).body.state).toBe('SCHEDULED');
    const del = await call('DELETE', `/messaging/messages/scheduled/${single}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await call('GET', `/messaging/messages/${single}`)).body.state).toBe('CANCELED');

    // One message of a scheduled request: the request counts it and goes on with the others.
    const req = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15552200041', '+15552200042'], body: 'later', scheduled_delivery_time: at })).body.id;
    const msgs = (await call('GET', `/messaging/message_requests/${req}/messages`)).body.list;
    expect((await call('DELETE', `/messaging/messages/scheduled/${msgs[0].id}`)).status).toBe(204);
    expect((await call('GET', `/messaging/message_requests/${req}`)).body).toMatchObject({ state: 'TRANSMITTING', canceled_count: 1 });
    await advance(3600_000 + 1000);
    expect((await call('GET', `/messaging/messages/${msgs[1].id}`)).body.state).toBe('SENT');
    expect((await call('GET', `/messaging/messages/${single}`)).body.state).toBe('CANCELED');
    expect((await call('GET', `/messaging/message_requests/${req}`)).body).toMatchObject({ state: 'COMPLETED', canceled_count: 1, sent_count: 1 });

    const late = await call('DELETE', `/messaging/messages/scheduled/${msgs[1].id}`);
    expect(late.status).toBe(404);
    expect(late.body.error_code).toBe('404');
    expect(late.body.error_description).toMatch(/no longer scheduled.*SENT/);
    const now = (await call('POST', '/messaging/messages', { from: FROM, to: '+15552200043', body: 'now' })).body.id;
    expect((await call('DELETE', `/messaging/messages/scheduled/${now}`)).body.error_description).toMatch(/not a scheduled message/);
    expect((await call('DELETE', '/messaging/messages/scheduled/nope')).status).toBe(404);
    expect((await call('GET', `/messaging/messages/${now}`)).body.state).toBe('CREATED');
  });

  it('cancels a scheduled message request before its time and answers 404 after it', async () => {
    const { call, advance } = await synWorkspace(c, 'flow-sched-req');
    const at = '2026-01-05T13:00:00Z';
    const a = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15552200050', '+15552200051'], body: 'x', scheduled_delivery_time: at })).body.id;
    const b = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15552200052'], body: 'x', scheduled_delivery_time: at })).body.id;
    const plain = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15552200053'], body: 'x' })).body.id;
    const del = await call('DELETE', `/messaging/message_requests/scheduled/${a}`);
    expect(del.status).toBe(204);
    expect((await call('GET', `/messaging/message_requests/${a}`)).body).toMatchObject({ state: 'CANCELED', canceled_count: 2, sent_count: 0 });
    const notScheduled = await call('DELETE', `/messaging/message_requests/scheduled/${plain}`);
    expect(notScheduled.status).toBe(404);
    expect(notScheduled.body.error_description).toMatch(/not a scheduled message request/);
    await advance(3600_000 + 1000);
    const late = await call('DELETE', `/messaging/message_requests/scheduled/${b}`);
    expect(late.status).toBe(404);
    expect(late.body.error_description).toMatch(/no longer scheduled/);
    expect((await call('GET', `/messaging/message_requests/${b}`)).body).toMatchObject({ state: 'COMPLETED', sent_count: 1 });
    expect((await call('GET', `/messaging/message_requests/${a}/messages`)).body.list.map((m: any) => m.state)).toEqual(['CANCELED', 'CANCELED']);
    expect((await call('DELETE', '/messaging/message_requests/scheduled/nope')).status).toBe(404);
  });
});

describe('list filters of the public description', () => {
  it('filters messages by from, to, pause flags and dates, and requests by message dates', async () => {
    const { call, advance } = await synWorkspace(c, 'flow-filters');
    const ch = (await call('POST', '/messaging/channels', { name: 'main' })).body.id;
    await call('POST', `/messaging/channels/${ch}/sender_ids`, { sender_ids: ['sender-default-longcode'] });
    const viaSender = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15552200060'], body: 'x' })).body.id;
    const viaChannel = (await call('POST', '/messaging/message_requests', { from: `channel:${ch}`, to: ['+15552200061'], body: 'x' })).body.id;
    const paused = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15552200062'], body: 'x', pause_before_transmit: true, pause_expiry_time: '2026-01-05T18:00:00Z' })).body.id;
    await advance(1000);
    const later = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15552200063'], body: 'x' })).body.id;
    await advance(1000);
    const reqOf = async (q: string) => (await call('GET', `/messaging/messages?${q}`)).body.list.map((m: any) => m.message_request_id).sort();
    expect(await reqOf(`from=channel:${ch}`)).toEqual([viaChannel]);
    expect(await reqOf(`from=channel-${ch}`)).toEqual([viaChannel]);
    expect(await reqOf('from=sender_id:sender-default-longcode')).toEqual([viaSender, viaChannel, paused, later].sort());
    expect(await reqOf('from=sender_id:nope')).toEqual([]);
    expect(await reqOf('to=%2B15552200061')).toEqual([viaChannel]);
    expect(await reqOf('to=%2B1%20555%20220%200062')).toEqual([paused]);
    expect(await reqOf('pause_before_transmit=true')).toEqual([paused]);
    expect(await reqOf('pause_before_transmit=false')).toEqual([viaSender, viaChannel, later].sort());
    expect(await reqOf('pause_expiry_time=2026-01-05T18:00:00.000Z')).toEqual([paused]);
    expect(await reqOf(`pause_expiry_time=${Date.parse('2026-01-05T18:00:00Z')}`)).toEqual([paused]);
    expect(await reqOf('sent_date=2026-01-05T12:00:02.000Z')).toEqual([later]);
    expect(await reqOf('direction=MT&to=%2B15552200060')).toEqual([viaSender]);
    // The same filters on a request's messages.
    expect((await call('GET', `/messaging/message_requests/${viaChannel}/messages?from=channel:${ch}`)).body.total).toBe(1);
    expect((await call('GET', `/messaging/message_requests/${viaSender}/messages?from=channel:${ch}`)).body.total).toBe(0);

    await advance(2000);
    const reqs = async (q: string) => (await call('GET', `/messaging/message_requests?${q}`)).body.list.map((r: any) => r.id).sort();
    expect(await reqs('sent_date=2026-01-05T12:00:01.000Z')).toEqual([viaSender, viaChannel].sort());
    expect(await reqs('delivered_date=2026-01-05T12:00:03.000Z')).toEqual([viaSender, viaChannel].sort());
    expect(await reqs('sent_date=2026-01-05T12:00:02.000Z&delivered_date=2026-01-05T12:00:03.000Z')).toEqual([]);
    expect(await reqs(`from=channel-${ch}`)).toEqual([viaChannel]);
    expect(await reqs('to=%2B1%20555%20220%200061')).toEqual([viaChannel]);
    expect(await reqs('to=%2B15552200063')).toEqual([later]);
    expect(await reqs('from=sender_id-sender-default-longcode')).toEqual([viaSender, paused, later].sort());
    const bad = await call('GET', '/messaging/message_requests?sent_date=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error_description).toMatch(/sent_date/);
  });
});

describe('MO to sender references', () => {
  it('delivers an MO addressed as sender_id:<id> or channel:<id> to that sender', async () => {
    const { call, advance } = await synWorkspace(c, 'flow-mo-ref');
    const mine = await call('POST', '/messaging/sender_ids', { name: 'mine', type_id: 'type-sms-longcode', class_id: 'class-alerts', address: '+15550109998', capabilities: ['SMS'] });
    await advance(120_000);
    const ch = (await call('POST', '/messaging/channels', { name: 'pair' })).body.id;
    await call('POST', `/messaging/channels/${ch}/sender_ids`, { sender_ids: ['sender-default-longcode', mine.body.id] });
    const inject = (to: string) => c.req('POST', '/_sim/workspaces/flow-mo-ref/inject/mo-message', { body: { from: '+15552200070', to, body: 'hello' } });

    const bySender = await inject(`sender_id:${mine.body.id}`);
    expect(bySender.status).toBe(200);
    expect(bySender.body.result.message).toMatchObject({ direction: 'MO', customer_sender_id: mine.body.id, to_address: '+15550109998' });
    expect((await inject(`sender_id-${mine.body.id}`)).body.result.message.customer_sender_id).toBe(mine.body.id);
    // A channel: its first member, until one of its members has sent to this end user.
    expect((await inject(`channel:${ch}`)).body.result.message.customer_sender_id).toBe('sender-default-longcode');
    await call('POST', '/messaging/message_requests', { from: `sender_id:${mine.body.id}`, to: ['+15552200070'], body: 'x' });
    await advance(3000);
    const reply = (await inject(`channel:${ch}`)).body.result.message;
    expect(reply.customer_sender_id).toBe(mine.body.id);
    expect(reply.reply_to).not.toBeNull();
    for (const bad of ['sender_id:nope', 'channel:nope']) {
      const r = await inject(bad);
      expect(r.status, bad).toBe(404);
    }
    const empty = (await call('POST', '/messaging/channels', { name: 'empty' })).body.id;
    expect((await inject(`channel:${empty}`)).status).toBe(404);
  });
});
