import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallbackFormat } from '../../src/core/api.js';
import { isSimError } from '../../src/core/errors.js';
import type { Runtime } from '../../src/core/runtime.js';
import {
  backoffMs,
  defaultPoster,
  deleteWebhook,
  listWebhooks,
  MAX_ATTEMPTS,
  payloadOf,
  registerWebhook,
  sign,
  type Poster,
} from '../../src/core/webhooks.js';
import type { Workspace } from '../../src/core/workspace.js';
import { fakeModule, manualWorkspace, startRuntime, T0 } from './support.js';

/** An injected transport: records each call and answers from a script (status or thrown error). */
const posted: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
let answers: Array<number | Error | string> = [];
const poster: Poster = async (url, init) => {
  posted.push({ url, ...init });
  const a = answers.length ? answers.shift()! : 200;
  if (typeof a === 'number') return a;
  throw a;
};

/** Lets the poster's promise settle (no timers involved). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};
const attempts = (ws: Workspace) => ws.events.list((e) => e.type === 'webhook.attempt').map((e) => e.data);

/**
 * A vendor format of the fake API: `thing.created` becomes `ThingCreated` carrying the value the
 * `fake.things` record holds when the event happens; `thing.ignored` has no vendor event.
 */
const vendorFormat: CallbackFormat = {
  eventTypes: ['ThingCreated', 'ThingDeleted'],
  groups: { Things: ['ThingCreated', 'ThingDeleted'], Empty: [] },
  render(ev, w) {
    if (ev.type === 'thing.boom') throw new Error('boom');
    if (ev.type !== 'thing.created') return null;
    return { type: 'ThingCreated', data: { thing: ev.data.n, colour: w.table('fake', 'things').peek('t1')?.colour ?? null } };
  },
  deliver: (v, { ev, attempt }) => ({ body: { kind: v.type, try: attempt, at: ev.at, ...v.data }, headers: { 'x-vendor-event': v.type } }),
};

let rt: Runtime;
let ws: Workspace;
beforeEach(async () => {
  posted.length = 0;
  answers = [];
  rt = await startRuntime((r) => [fakeModule(r, { callbackFormats: { fakevendor: vendorFormat } }), fakeModule(r, { id: 'other' })], { poster });
  ws = await manualWorkspace(rt, 'hooks');
});
afterEach(() => rt.shutdown());

const catchSim = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (isSimError(e)) return `${e.kind}: ${e.message}`;
    throw e;
  }
  return 'no error';
};

describe('registerWebhook', () => {
  it('validates url, events, api and secret', () => {
    expect(catchSim(() => registerWebhook(ws, {}))).toBe('invalid: url must be an absolute http(s) URL');
    expect(catchSim(() => registerWebhook(ws, { url: 'ftp://x/y' }))).toMatch(/^invalid: url/);
    expect(catchSim(() => registerWebhook(ws, { url: '/relative' }))).toMatch(/^invalid: url/);
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', events: 'all' }))).toMatch(/^invalid: events must be an array/);
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', events: [''] }))).toMatch(/^invalid: events/);
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', events: [1] }))).toMatch(/^invalid: events/);
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', api: 'nope' }))).toBe('invalid: unknown api "nope"');
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', api: 5 }))).toBe('invalid: unknown api 5');
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', secret: '' }))).toBe('invalid: secret must be a non-empty string');
    expect(listWebhooks(ws)).toEqual([]);
  });

  it('fills in defaults: every event, every API, a random secret', () => {
    const h = registerWebhook(ws, { url: 'HTTPS://example.test/hook', api: null });
    expect(h).toMatchObject({ url: 'HTTPS://example.test/hook', events: ['*'], api: null, format: 'sim', headers: {}, createdAt: '2026-01-05T12:00:00.000Z' });
    expect(h.id).toMatch(/^wh_/);
    expect(h.secret).toMatch(/^[0-9a-f]{32}$/);
    const g = registerWebhook(ws, { url: 'http://127.0.0.1:1/x', api: 'other', events: ['a', 'b'], secret: 's' });
    expect(listWebhooks(ws).map((w) => w.id)).toEqual([h.id, g.id]);
  });

  it('deletes, and reports an unknown id as not found', () => {
    const h = registerWebhook(ws, { url: 'http://127.0.0.1:1/x' });
    deleteWebhook(ws, h.id);
    expect(listWebhooks(ws)).toEqual([]);
    expect(catchSim(() => deleteWebhook(ws, h.id))).toBe(`not_found: webhook ${h.id} not found`);
  });
});

describe('deliveries', () => {
  it('POSTs matching events, signed, once per matching webhook', async () => {
    const all = registerWebhook(ws, { url: 'http://127.0.0.1:1/all', secret: 'k1' });
    registerWebhook(ws, { url: 'http://127.0.0.1:1/typed', events: ['thing.created'], secret: 'k2' });
    registerWebhook(ws, { url: 'http://127.0.0.1:1/other-api', api: 'other' });
    registerWebhook(ws, { url: 'http://127.0.0.1:1/other-type', events: ['thing.deleted'] });
    const ev = ws.emit('fake', 'thing.created', { n: 1 });
    ws.afterChange();
    await settle();
    expect(posted.map((p) => p.url).sort()).toEqual(['http://127.0.0.1:1/all', 'http://127.0.0.1:1/typed']);
    const p = posted.find((x) => x.url.endsWith('/all'))!;
    expect(JSON.parse(p.body)).toEqual({ id: ev.id, type: 'thing.created', api: 'fake', workspace: 'hooks', created: ev.at, data: { n: 1 } });
    expect(p.body).toBe(payloadOf(ws, ev));
    expect(p.headers).toEqual({
      'content-type': 'application/json',
      'user-agent': 'commsim-webhooks',
      'x-sim-signature': `sha256=${createHmac('sha256', 'k1').update(p.body).digest('hex')}`,
      'x-sim-event': 'thing.created',
      'x-sim-delivery': `${ev.id}.1`,
      'x-sim-workspace': 'hooks',
    });
    expect(attempts(ws)).toHaveLength(2);
    expect(attempts(ws).find((a) => a.webhook_id === all.id)).toEqual({
      webhook_id: all.id,
      url: 'http://127.0.0.1:1/all',
      format: 'sim',
      event_id: ev.id,
      event_type: 'thing.created',
      vendor_event_type: null,
      attempt: 1,
      ok: true,
      status: 200,
      error: null,
      next_attempt_at: null,
    });
  });

  it('retries failures with exponential backoff on the workspace clock, 5 attempts in all', async () => {
    registerWebhook(ws, { url: 'http://127.0.0.1:1/h' });
    answers = [500, 503, new Error('connect ECONNREFUSED'), 'plain failure', 404];
    ws.emit('fake', 'x', {});
    ws.afterChange();
    await settle();
    expect(attempts(ws)).toMatchObject([{ attempt: 1, ok: false, status: 500, next_attempt_at: '2026-01-05T12:00:01.000Z' }]);
    ws.advance(T0 + 999);
    await settle();
    expect(posted).toHaveLength(1);
    let t = T0;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      t += backoffMs(attempt);
      ws.advance(t);
      await settle();
      expect(posted).toHaveLength(attempt + 1);
      expect(posted[attempt].headers['x-sim-delivery']).toMatch(new RegExp(`\\.${attempt + 1}$`));
    }
    expect(attempts(ws).map((a) => [a.attempt, a.ok, a.status, a.error, a.next_attempt_at])).toEqual([
      [1, false, 500, null, '2026-01-05T12:00:01.000Z'],
      [2, false, 503, null, '2026-01-05T12:00:03.000Z'],
      [3, false, null, 'connect ECONNREFUSED', '2026-01-05T12:00:07.000Z'],
      [4, false, null, 'plain failure', '2026-01-05T12:00:15.000Z'],
      [5, false, 404, null, null],
    ]);
    ws.advance(T0 + 3_600_000);
    await settle();
    expect(posted).toHaveLength(5);
    expect(ws.scheduler.size).toBe(0);
  });

  it('a success after a failure stops the retries', async () => {
    registerWebhook(ws, { url: 'http://127.0.0.1:1/h' });
    answers = [500, 204];
    ws.emit('fake', 'x', {});
    ws.afterChange();
    await settle();
    ws.advance(T0 + 1000);
    await settle();
    expect(attempts(ws).map((a) => a.ok)).toEqual([false, true]);
    expect(ws.scheduler.size).toBe(0);
  });

  it('drops a delivery whose webhook was deleted, and records nothing once the workspace closed', async () => {
    const h = registerWebhook(ws, { url: 'http://127.0.0.1:1/h' });
    ws.emit('fake', 'x', {});
    deleteWebhook(ws, h.id);
    ws.afterChange();
    await settle();
    expect(posted).toEqual([]);

    registerWebhook(ws, { url: 'http://127.0.0.1:1/h2' });
    answers = [500];
    ws.emit('fake', 'y', {});
    ws.afterChange(); // posted, outcome pending
    ws.close();
    await settle();
    expect(posted).toHaveLength(1);
    expect(attempts(ws)).toEqual([]);
  });

  it('delivering an event no longer in the log does nothing', async () => {
    registerWebhook(ws, { url: 'http://127.0.0.1:1/h' });
    const ev = ws.emit('fake', 'x', {});
    ws.doc.table('_events').remove(ev.id);
    ws.afterChange();
    await settle();
    expect(posted).toEqual([]);
  });

  it('backoff doubles from 1 s; signatures are HMAC-SHA256 hex', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(sign('key', 'body')).toBe(`sha256=${createHmac('sha256', 'key').update('body').digest('hex')}`);
    expect(sign('key', 'body')).not.toBe(sign('key2', 'body'));
  });
});

describe('vendor formats', () => {
  it('validates format, events against the format, api and headers; nothing is stored on refusal', () => {
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', format: 'nope' }))).toBe('invalid: unknown format "nope" (formats: sim, fakevendor)');
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', format: 7 }))).toBe('invalid: unknown format 7 (formats: sim, fakevendor)');
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', format: 'fakevendor', events: ['ThingCreated', 'thing.created'] }))).toBe(
      'invalid: unknown fakevendor event type "thing.created" (known: ThingCreated, ThingDeleted, Things, Empty)',
    );
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', format: 'fakevendor', api: 'other' }))).toBe(
      'invalid: format "fakevendor" carries events of api "fake" only, not "other"',
    );
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', headers: 'x' }))).toBe('invalid: headers must be an object of header names to string values');
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', headers: { 'bad name': 'x' } }))).toBe('invalid: headers: "bad name" is not a valid header name');
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', headers: { 'X-Sim-Signature': 'x' } }))).toBe(
      'invalid: headers: X-Sim-Signature is set by commsim and cannot be overridden',
    );
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', headers: { 'Content-Type': 'text/plain' } }))).toMatch(/cannot be overridden/);
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', headers: { authorization: 1 } }))).toBe('invalid: headers: the value of authorization must be a string on one line');
    expect(catchSim(() => registerWebhook(ws, { url: 'http://127.0.0.1/', headers: { authorization: 'a\r\nb: c' } }))).toMatch(/on one line/);
    expect(listWebhooks(ws)).toEqual([]);
    const h = registerWebhook(ws, { url: 'http://127.0.0.1/', format: 'fakevendor', events: ['Things'], headers: { Authorization: 'Basic eDp5' } });
    expect(h).toMatchObject({ format: 'fakevendor', api: 'fake', events: ['Things'], headers: { authorization: 'Basic eDp5' } });
    expect(registerWebhook(ws, { url: 'http://127.0.0.1/', format: 'sim' })).toMatchObject({ format: 'sim', api: null });
    expect(registerWebhook(ws, { url: 'http://127.0.0.1/', format: 'fakevendor', api: 'fake' }).api).toBe('fake');
  });

  it('delivers the vendor payload (rendered when the event happened) beside sim hooks, with the same signing', async () => {
    ws.table('fake', 'things').put({ id: 't1', colour: 'red' });
    const v = registerWebhook(ws, { url: 'http://127.0.0.1:1/vendor', format: 'fakevendor', secret: 'vk', headers: { Authorization: 'Basic eDp5' } });
    registerWebhook(ws, { url: 'http://127.0.0.1:1/topic', format: 'fakevendor', events: ['Things'] });
    registerWebhook(ws, { url: 'http://127.0.0.1:1/empty-topic', format: 'fakevendor', events: ['Empty'] });
    registerWebhook(ws, { url: 'http://127.0.0.1:1/deleted-only', format: 'fakevendor', events: ['ThingDeleted'] });
    registerWebhook(ws, { url: 'http://127.0.0.1:1/sim' });
    const ev = ws.emit('fake', 'thing.created', { n: 1 });
    ws.emit('fake', 'thing.ignored', {}); // no vendor event: sim hook only
    ws.emit('other', 'thing.created', { n: 2 }); // another API's event: sim hook only
    ws.afterChange();
    await settle();
    expect(posted.map((p) => p.url).sort()).toEqual([
      'http://127.0.0.1:1/sim',
      'http://127.0.0.1:1/sim',
      'http://127.0.0.1:1/sim',
      'http://127.0.0.1:1/topic',
      'http://127.0.0.1:1/vendor',
    ]);
    const p = posted.find((x) => x.url.endsWith('/vendor'))!;
    expect(JSON.parse(p.body)).toEqual({ kind: 'ThingCreated', try: 1, at: ev.at, thing: 1, colour: 'red' });
    expect(p.headers).toEqual({
      'content-type': 'application/json',
      'user-agent': 'commsim-webhooks',
      'x-vendor-event': 'ThingCreated',
      authorization: 'Basic eDp5',
      'x-sim-signature': sign('vk', p.body),
      'x-sim-event': 'ThingCreated',
      'x-sim-delivery': `${ev.id}.1`,
      'x-sim-workspace': 'hooks',
      'x-sim-format': 'fakevendor',
    });
    expect(attempts(ws).find((a) => a.webhook_id === v.id)).toMatchObject({ format: 'fakevendor', event_type: 'thing.created', vendor_event_type: 'ThingCreated', ok: true });
  });

  it('retries a vendor delivery with the facts of the event, the attempt number in the body', async () => {
    ws.table('fake', 'things').put({ id: 't1', colour: 'red' });
    registerWebhook(ws, { url: 'http://127.0.0.1:1/vendor', format: 'fakevendor', secret: 'vk' });
    answers = [500, 502];
    ws.emit('fake', 'thing.created', { n: 1 });
    ws.afterChange();
    await settle();
    ws.table('fake', 'things').put({ id: 't1', colour: 'blue' }); // later state does not leak into retries
    ws.advance(T0 + 1000);
    await settle();
    ws.advance(T0 + 3000);
    await settle();
    expect(posted.map((p) => JSON.parse(p.body))).toMatchObject([
      { try: 1, colour: 'red' },
      { try: 2, colour: 'red' },
      { try: 3, colour: 'red' },
    ]);
    for (const p of posted) expect(p.headers['x-sim-signature']).toBe(sign('vk', p.body));
    expect(attempts(ws).map((a) => [a.attempt, a.ok, a.status])).toEqual([
      [1, false, 500],
      [2, false, 502],
      [3, true, 200],
    ]);
    expect(ws.scheduler.size).toBe(0);
  });

  it('a format that throws does not fail the change: logged, not delivered', async () => {
    registerWebhook(ws, { url: 'http://127.0.0.1:1/vendor', format: 'fakevendor' });
    const err = console.error;
    console.error = () => undefined;
    try {
      ws.transaction(() => ws.emit('fake', 'thing.boom', {}));
    } finally {
      console.error = err;
    }
    ws.afterChange();
    await settle();
    expect(posted).toEqual([]);
    expect(ws.events.list((e) => e.type === 'webhook.render_failed').map((e) => e.data)).toMatchObject([{ format: 'fakevendor', event_type: 'thing.boom', error: 'boom' }]);
  });

  it('format names are unique across APIs, and sim is reserved', async () => {
    await expect(startRuntime((r) => [fakeModule(r, { callbackFormats: { x: vendorFormat } }), fakeModule(r, { id: 'other', callbackFormats: { x: vendorFormat } })])).rejects.toThrow(
      'callback format "x" of other is already taken by fake',
    );
    await expect(startRuntime((r) => [fakeModule(r, { callbackFormats: { sim: vendorFormat } })])).rejects.toThrow('callback format "sim" of fake is already taken');
  });
});

describe('defaultPoster', () => {
  it('POSTs to a loopback receiver and answers its status', async () => {
    const got: Array<{ method?: string; headers: Record<string, unknown>; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        got.push({ method: req.method, headers: req.headers, body });
        res.writeHead(202, { 'content-type': 'text/plain' }).end('accepted');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const status = await defaultPoster(url, { headers: { 'content-type': 'application/json', 'x-sim-event': 'e' }, body: '{"a":1}' });
      expect(status).toBe(202);
      expect(got).toMatchObject([{ method: 'POST', headers: { 'x-sim-event': 'e', 'content-type': 'application/json' }, body: '{"a":1}' }]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
