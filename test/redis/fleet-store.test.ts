// The shared store's rules, in process: two instances (apps) on one Redis key prefix.
// - a workspace locked by a stuck instance is waited for until its lock lapses, and a request
//   that cannot get it in time answers 503 and changes nothing;
// - a request that outlived its lock while another instance wrote is refused whole (503), and
//   its instance reloads;
// - an instance too far behind reloads the document, records in creation order;
// - two instances creating the same workspace id: one wins.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';

const SYN = '/syniverse/scg-external-api/api/v1';
let n = 0;
let redis: Redis;
const apps: App[] = [];

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  for (const a of apps) await a.runtime.shutdown();
  await redis.quit();
});

async function pair(params = ''): Promise<{ prefix: string; a: App; b: App }> {
  const prefix = `fs${process.pid}x${++n}x${Date.now().toString(36)}`;
  const store = `${inject('redisUrl')}?prefix=${prefix}${params}`;
  const a = await buildApp({ dataDir: null, store, strict: true, quiet: true } as never);
  const b = await buildApp({ dataDir: null, store, strict: true, quiet: true } as never);
  apps.push(a, b);
  return { prefix, a, b };
}

async function req(app: App, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await app.app.request(path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

async function workspace(app: App, id: string, extra: Record<string, unknown> = {}) {
  const r = await req(app, 'POST', '/_sim/workspaces', { id, clock: { mode: 'manual', now: '2026-01-05T12:00:00Z' }, ...extra });
  expect(r.status).toBe(201);
  return { authorization: `Bearer ${r.body.credentials.syniverse.token}` };
}

describe('the shared store', () => {
  it('waits for a workspace a stuck instance locked until the lock lapses; past waitMs it answers 503 and changes nothing', async () => {
    const { prefix, a } = await pair('&waitMs=2000');
    const auth = await workspace(a, 'w1');
    // Another (stuck) instance holds the workspace for 300 ms.
    await redis.set(`${prefix}:{w1}:lock`, 'stuck', 'PX', 300);
    const t0 = Date.now();
    const ok = await req(a, 'POST', `${SYN}/contacts`, { first_name: 'after' }, auth);
    expect(ok.status).toBeLessThan(300);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(a.runtime.fleet!.stats.lockWaits).toBeGreaterThan(0);

    const { prefix: p2, a: c } = await pair('&waitMs=150');
    const auth2 = await workspace(c, 'w2');
    await redis.set(`${p2}:{w2}:lock`, 'stuck', 'PX', 5000);
    const busy = await req(c, 'POST', `${SYN}/contacts`, { first_name: 'refused' }, auth2);
    expect(busy.status).toBe(503);
    expect(busy.body.error_description).toMatch(/busy: another commsim instance has held it/);
    await redis.del(`${p2}:{w2}:lock`);
    expect((await req(c, 'GET', `${SYN}/contacts?limit=1`, undefined, auth2)).body.total).toBe(0);
  });

  it('renews the lock of a turn that waits, and refuses whole a request whose lock was lost while another instance wrote', async () => {
    const { prefix, a, b } = await pair('&lockMs=150');
    // A scenario latency keeps a request inside the workspace for 500 ms: its turn renews the lock.
    const auth = await workspace(a, 'w3', { scenario: { rules: [{ match: { operationId: 'createContact', first_name: { in: ['slow', 'slow2'] } }, latencyMs: 500 }] } });
    const t0 = Date.now();
    const kept = req(a, 'POST', `${SYN}/contacts`, { first_name: 'slow' }, auth);
    await new Promise((r) => setTimeout(r, 50));
    const waited = await req(b, 'POST', `${SYN}/contacts`, { first_name: 'waited' }, auth);
    expect((await kept).status).toBeLessThan(300);
    expect(waited.status).toBeLessThan(300);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(480);
    // Now the lock is lost mid-turn (the instance stalled past its expiry, say): another
    // instance takes the workspace and writes; the stalled request's commit is refused.
    const slow = req(a, 'POST', `${SYN}/contacts`, { first_name: 'slow2' }, auth);
    await new Promise((r) => setTimeout(r, 50));
    await redis.del(`${prefix}:{w3}:lock`);
    const fast = await req(b, 'POST', `${SYN}/contacts`, { first_name: 'fast' }, auth);
    expect(fast.status).toBeLessThan(300);
    const refused = await slow;
    expect(refused.status).toBe(503);
    expect(refused.body.error_description).toMatch(/outlived its lock/);
    expect(a.runtime.fleet!.stats.refused).toBe(1);
    // Both instances: the refused contact is nowhere.
    for (const app of [a, b]) {
      const list = await req(app, 'GET', `${SYN}/contacts`, undefined, auth);
      expect(list.body.list.map((c: { first_name: string }) => c.first_name)).toEqual(['slow', 'waited', 'fast']);
    }
  });

  it('reloads an instance too far behind, with every record in creation order', async () => {
    const { a, b } = await pair('&logMax=3');
    const auth = await workspace(a, 'w4');
    expect((await req(b, 'GET', `${SYN}/contacts?limit=1`, undefined, auth)).body.total).toBe(0);
    const reloads = b.runtime.fleet!.stats.reloads;
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      names.push(`n${String(i).padStart(2, '0')}`);
      await req(a, 'POST', `${SYN}/contacts`, { first_name: names[i] }, auth);
    }
    // Updating an early record does not move it.
    const first = (await req(a, 'GET', `${SYN}/contacts?limit=1`, undefined, auth)).body.list[0];
    expect((await req(a, 'POST', `${SYN}/contacts/${first.id}`, { last_name: 'x', version_number: first.version_number }, auth)).status).toBe(200);
    const listB = await req(b, 'GET', `${SYN}/contacts?limit=100`, undefined, auth);
    expect(b.runtime.fleet!.stats.reloads).toBe(reloads + 1);
    expect(listB.body.list.map((c: { first_name: string }) => c.first_name)).toEqual(names);
    const listA = await req(a, 'GET', `${SYN}/contacts?limit=100`, undefined, auth);
    expect(listB.body).toEqual(listA.body);
  });

  it("tells an instance's listeners (event streams, dashboard) of changes made through another", async () => {
    const { a, b } = await pair();
    const auth = await workspace(a, 'w5');
    const heard: number[] = [];
    const off = a.runtime.live.subscribe('w5', (ws) => heard.push(ws.events.lastSeq()));
    try {
      const before = a.runtime.get('w5')!.events.lastSeq();
      expect((await req(b, 'POST', `${SYN}/messaging/message_requests`, { from: 'sender_id:sender-default-longcode', to: ['+15551234567'], body: 'x' }, auth)).status).toBeLessThan(300);
      const until = Date.now() + 5000;
      while (!heard.some((seq) => seq > before) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(heard.some((seq) => seq > before)).toBe(true);
    } finally {
      off();
    }
  });

  it('creates a workspace id once across the fleet', async () => {
    const { a, b } = await pair();
    const both = await Promise.all([a, b].map((app) => req(app, 'POST', '/_sim/workspaces', { id: 'same' })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const listed = await Promise.all([a, b].map((app) => req(app, 'GET', '/_sim/workspaces')));
    for (const l of listed) expect(l.body.workspaces.map((w: { id: string }) => w.id).sort()).toEqual(['default', 'same']);
  });
});
