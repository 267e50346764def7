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

/** The default long code's class (class-alerts) limited to `perSecond` messages a second. */
function slowSender(perSecond: number) {
  const classes = (baseFixtures.sender_id_classes as Array<Record<string, unknown>>).map((k) =>
    k.id === 'class-alerts' ? { ...k, country_peak_throughput: perSecond } : k,
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
