// The control API (/_sim) and the platform under it: workspaces and credentials, clock and
// scheduler, state, credit, journal, events, snapshots, webhooks to a real local receiver, specs lint.
import { createServer, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintAll } from '../src/tools/lint-specs.js';
import { startApp, SYN, synWorkspace, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

describe('specs', () => {
  it('every spec is valid OpenAPI 3.0.3 with operationIds and error schemas', async () => {
    const results = await lintAll();
    expect(results.map((r) => r.file.split('/').pop())).toEqual(expect.arrayContaining(['syniverse.yaml']));
    for (const r of results) expect(r.problems, r.file).toEqual([]);
    expect(results.find((r) => r.file.endsWith('syniverse.yaml'))!.operations).toBeGreaterThanOrEqual(127);
  });
});

describe('control API', () => {
  it('serves health, the default workspace and its documented credentials', async () => {
    const h = await c.sim('GET', '/health');
    expect(h.status).toBe('ok');
    const d = await c.sim('GET', '/workspaces/default');
    expect(d.credentials.syniverse.token).toBe('commsim-syniverse-token');
    const r = await c.req('GET', `${SYN}/messaging/sender_id_classes`, { headers: { authorization: 'Bearer commsim-syniverse-token' } });
    expect(r.status).toBe(200);
    expect(r.body.total).toBeGreaterThan(0);
  });

  it('creates, lists, resets and deletes workspaces; rejects bad input without changes', async () => {
    const w = await c.sim('POST', '/workspaces', { id: 'c-ws', seed: 7, clock: { mode: 'manual', now: '2026-02-01T00:00:00Z' } });
    expect(w.credentials.syniverse.token).toMatch(/^syn_c-ws_/);
    expect((await c.req('POST', '/_sim/workspaces', { body: { id: 'c-ws' } })).status).toBe(409);
    expect((await c.req('POST', '/_sim/workspaces', { body: { id: 'bad id!' } })).status).toBe(400);
    expect((await c.req('POST', '/_sim/workspaces', { body: { clock: { mode: 'sideways' } } })).status).toBe(400);
    const auth = { authorization: `Bearer ${w.credentials.syniverse.token}` };
    await c.req('POST', `${SYN}/messaging/channels`, { body: { name: 'x' }, headers: auth });
    expect((await c.sim('GET', '/workspaces/c-ws/state/syniverse/channels')).total ?? (await c.sim('GET', '/workspaces/c-ws/state/syniverse/channels')).items?.length).toBe(1);
    await c.sim('POST', '/workspaces/c-ws/reset');
    expect((await c.req('GET', `${SYN}/messaging/channels`, { headers: auth })).body.total).toBe(0);
    expect((await c.sim('GET', '/workspaces/c-ws/clock')).now).toBe('2026-02-01T00:00:00.000Z');
    expect((await c.req('DELETE', '/_sim/workspaces/c-ws')).status).toBeLessThan(300);
    expect((await c.req('GET', `${SYN}/messaging/channels`, { headers: auth })).status).toBe(401);
    expect((await c.req('GET', '/_sim/workspaces/c-ws')).status).toBe(404);
  });

  it('fires due events in time order, each at its own timestamp', async () => {
    const { call, advance } = await synWorkspace(c, 'c-clock');
    await call('POST', '/messaging/message_requests', { from: 'sender_id:sender-default-longcode', to: ['+15551238001'], body: 'a' });
    await advance(500);
    await call('POST', '/messaging/message_requests', { from: 'sender_id:sender-default-longcode', to: ['+15551238002'], body: 'b' });
    const r = await advance(10_000);
    expect(r.now).toBe('2026-01-05T12:00:10.500Z');
    const ev = (await c.sim('GET', '/workspaces/c-clock/events?type=message_state_change')).events as any[];
    const ats = ev.map((e) => e.at);
    expect([...ats].sort()).toEqual(ats);
    expect(ev.filter((e) => e.data.state === 'SENT').map((e) => e.at)).toEqual(['2026-01-05T12:00:01.000Z', '2026-01-05T12:00:01.500Z']);
    expect((await c.req('POST', '/_sim/workspaces/c-clock/clock/advance', { body: { ms: -1 } })).status).toBe(400);
  });

  it('reads and sets credit, and exposes journal, operations and snapshots', async () => {
    const { call } = await synWorkspace(c, 'c-misc');
    expect((await c.sim('GET', '/workspaces/c-misc/credit/syniverse')).balance).toBe(100);
    await c.sim('PUT', '/workspaces/c-misc/credit/syniverse', { balance: 5 });
    const credit = await c.sim('GET', '/workspaces/c-misc/credit/syniverse');
    expect(credit.balance).toBe(5);
    expect(credit.entries.at(-1)).toMatchObject({ amount: -95 });
    expect((await c.req('PUT', '/_sim/workspaces/c-misc/credit/syniverse', { body: { balance: 'lots' } })).status).toBe(400);
    await call('GET', '/messaging/channels');
    const journal = await c.sim('GET', '/workspaces/c-misc/journal');
    expect(JSON.stringify(journal)).toContain('listChannels');
    const snap = await c.sim('GET', '/workspaces/c-misc/snapshot');
    expect(snap.workspace).toBe('c-misc');
    expect((await c.req('POST', '/_sim/workspaces/c-misc/inject/no-such-kind', { body: {} })).status).toBe(404);
  });
});

describe('webhooks', () => {
  let server: Server;
  let url = '';
  const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
  let failFirst = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (failFirst > 0) {
          failFirst--;
          res.writeHead(500).end();
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const waitFor = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 5)); // loopback I/O, not the clock
  };

  it('delivers signed message_state_change events and retries with backoff on the workspace clock', async () => {
    const { call, advance } = await synWorkspace(c, 'c-hooks');
    const hook = await c.sim('POST', '/workspaces/c-hooks/webhooks', { url, events: ['message_state_change'], secret: 's3cret' });
    expect(hook.id).toBeTruthy();
    failFirst = 1;
    await call('POST', '/messaging/message_requests', { from: 'sender_id:sender-default-longcode', to: ['+15551238101'], body: 'hook' });
    await waitFor(() => received.length >= 1);
    expect(received).toHaveLength(1);
    const first = received[0];
    expect(first.headers['x-sim-signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(first.body).digest('hex')}`);
    expect(JSON.parse(first.body)).toMatchObject({ type: 'message_state_change', data: { state: 'CREATED' } });
    let attempts: any[] = [];
    for (let i = 0; i < 200 && !attempts.length; i++) {
      attempts = (await c.sim('GET', '/workspaces/c-hooks/events?type=webhook.attempt')).events;
      if (!attempts.length) await new Promise((r) => setTimeout(r, 5));
    }
    expect(attempts[0].data).toMatchObject({ attempt: 1, ok: false, status: 500 });
    await advance(1000); // retry after 1 s, and the SENT event at +1 s
    for (let i = 0; i < 200; i++) {
      attempts = (await c.sim('GET', '/workspaces/c-hooks/events?type=webhook.attempt')).events;
      if (attempts.length >= 3) break;
      await new Promise((r) => setTimeout(r, 5)); // loopback I/O completing, not the simulated clock
    }
    expect(attempts.filter((a: any) => a.data.ok)).toHaveLength(2);
    expect(received.map((r) => JSON.parse(r.body).data.state).sort()).toEqual(['CREATED', 'CREATED', 'SENT']);
  });
});
