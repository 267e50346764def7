// A fleet as a user runs one: three built servers (`dist/bundle/main.js --store redis://...`) on
// one real redis-server, driven over HTTP. What one acknowledges the others read; concurrent
// writes keep version numbers right; an instance killed under load loses no acknowledged write
// and its workspaces' events fire on the others, each exactly once; Redis going away gives 503s
// in each vendor's envelope, and the fleet recovers when it is back (AOF keeps what was written).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type RedisServer } from './server.js';

const MAIN = new URL('../../dist/bundle/main.js', import.meta.url).pathname;
const SYN = '/syniverse/scg-external-api/api/v1';
const procs: ChildProcess[] = [];
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis({ aof: true });
});
afterAll(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await redis?.stop();
});

interface Instance {
  proc: ChildProcess;
  base: string;
  kill(): Promise<void>;
}

/** A built server on the fleet `prefix`; its workspace locks lapse after `lockMs`. */
async function instance(prefix: string, lockMs = 1000): Promise<Instance> {
  const port = await freePort();
  const store = `${redis.url}?prefix=${prefix}&lockMs=${lockMs}&pollMs=50`;
  const proc = spawn(process.execPath, [MAIN, '--port', String(port), '--quiet', '--store', store], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  procs.push(proc);
  const base = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${base}/_sim/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (proc.exitCode !== null || Date.now() - t0 > 30_000) throw new Error(`instance did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const kill = () => new Promise<void>((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : (proc.once('exit', () => r()), proc.kill('SIGKILL'))));
  return { proc, base, kill };
}

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const r = await fetch(base + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text && (r.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
}

const sim = async (base: string, method: string, path: string, body?: unknown) => {
  const r = await call(base, method, `/_sim${path}`, body);
  if (r.status >= 400) throw new Error(`${method} /_sim${path} -> ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

const stateEvents = async (base: string, ws: string) =>
  (await sim(base, 'GET', `/workspaces/${ws}/events?type=message_state_change&limit=10000`)).events as Array<{ id: string; seq: number; data: { message_id: string; state: string } }>;

describe('a fleet of three instances on one Redis', () => {
  let fleet: Instance[];
  beforeAll(async () => {
    fleet = [];
    for (let i = 0; i < 3; i++) fleet.push(await instance('f1'));
  });
  afterAll(async () => {
    for (const i of fleet) await i.kill();
  });

  it('reads on any instance what another acknowledged, and fires events in order when the clock moves through a third', async () => {
    const [a, b, c] = fleet.map((i) => i.base);
    const w = await sim(a, 'POST', '/workspaces', { id: 'seq', clock: { mode: 'manual', now: '2026-01-05T12:00:00Z' } });
    const auth = { authorization: `Bearer ${w.credentials.syniverse.token}` };
    // The credential of a workspace created through `a` works at once through `b`.
    const contact = await call(b, 'POST', `${SYN}/contacts`, { first_name: 'Ann', primary_mdn: '+15551230001' }, auth);
    expect(contact.status).toBeLessThan(300);
    expect((await call(c, 'GET', `${SYN}/contacts/${contact.body.id}`, undefined, auth)).body.first_name).toBe('Ann');
    const sent = await call(c, 'POST', `${SYN}/messaging/message_requests`, { from: 'sender_id:sender-default-longcode', to: ['+15551234567'], body: 'hi' }, auth);
    expect(sent.status).toBeLessThan(300);
    // The clock moves through `a`; the events are read through `b`.
    expect((await sim(a, 'POST', '/workspaces/seq/clock/advance', { ms: 5000 })).fired).toBeGreaterThan(0);
    const states = (await stateEvents(b, 'seq')).map((e) => e.data.state);
    expect(states).toEqual(['CREATED', 'SENT', 'DELIVERED']);
    // The journal is the fleet's: requests served by every instance.
    const journal = (await sim(c, 'GET', '/workspaces/seq/journal')).entries;
    expect(JSON.stringify(journal)).toContain('createContact');
    expect(JSON.stringify(journal)).toContain('getContact');
    // Deleted through one instance, gone from all.
    await call(a, 'DELETE', '/_sim/workspaces/seq');
    expect((await call(b, 'GET', `${SYN}/contacts/${contact.body.id}`, undefined, auth)).status).toBe(401);
    expect((await call(c, 'GET', '/_sim/workspaces/seq')).status).toBe(404);
  });

  it('keeps optimistic locking right under concurrent writes from every instance, and loses no concurrent create', async () => {
    const w = await sim(fleet[0].base, 'POST', '/workspaces', { id: 'conc', clock: { mode: 'manual', now: '2026-01-05T12:00:00Z' } });
    const auth = { authorization: `Bearer ${w.credentials.syniverse.token}` };
    const created = await call(fleet[1].base, 'POST', `${SYN}/contacts`, { first_name: 'V', primary_mdn: '+15551230002' }, auth);
    const id = created.body.id as string;
    // Nine updates based on version 1, three through each instance, at once: one wins.
    const racing = await Promise.all(
      Array.from({ length: 9 }, (_, i) => call(fleet[i % 3].base, 'POST', `${SYN}/contacts/${id}`, { first_name: `V${i}`, version_number: 1 }, auth)),
    );
    const won = racing.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    for (const r of racing.filter((x) => x.status !== 200)) expect(r).toMatchObject({ status: 409, body: { error_code: '1001' } });
    // Then each update is based on what another instance read: every one succeeds, one version each.
    let version = 2;
    for (let i = 0; i < 6; i++) {
      const read = await call(fleet[i % 3].base, 'GET', `${SYN}/contacts/${id}`, undefined, auth);
      expect(read.body.version_number).toBe(version);
      const upd = await call(fleet[(i + 1) % 3].base, 'POST', `${SYN}/contacts/${id}`, { first_name: `S${i}`, version_number: read.body.version_number }, auth);
      expect(upd.status).toBe(200);
      version++;
    }
    // Sixty creates at once, spread over the fleet: all there, on every instance.
    const creates = await Promise.all(
      Array.from({ length: 60 }, (_, i) => call(fleet[i % 3].base, 'POST', `${SYN}/contacts`, { first_name: `C${i}`, primary_mdn: `+1555124${String(i).padStart(4, '0')}` }, auth)),
    );
    expect(creates.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);
    for (const f of fleet) expect((await call(f.base, 'GET', `${SYN}/contacts?limit=1`, undefined, auth)).body.total).toBe(61);
  });

  it('delivers each webhook once across the fleet, whichever instance fires it', async () => {
    const got: string[] = [];
    const receiver = createServer((req, res) => {
      got.push(String(req.headers['x-sim-delivery']));
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    try {
      const w = await sim(fleet[2].base, 'POST', '/workspaces', { id: 'hooks', clock: { mode: 'realtime', speed: 20 } });
      const auth = { authorization: `Bearer ${w.credentials.syniverse.token}` };
      await sim(fleet[0].base, 'POST', '/workspaces/hooks/webhooks', { url, events: ['message_state_change'] });
      for (let i = 0; i < 12; i++) {
        const r = await call(fleet[i % 3].base, 'POST', `${SYN}/messaging/message_requests`, { from: 'sender_id:sender-default-longcode', to: ['+15551234567'], body: `h${i}` }, auth);
        expect(r.status).toBeLessThan(300);
      }
      const deadline = Date.now() + 20_000;
      let events: Awaited<ReturnType<typeof stateEvents>> = [];
      for (;;) {
        events = await stateEvents(fleet[1].base, 'hooks');
        const pending = (await sim(fleet[1].base, 'GET', '/workspaces/hooks')).pendingEvents as number;
        if (events.length === 36 && pending === 0 && got.length >= 36) break;
        if (Date.now() > deadline) throw new Error(`${events.length} events, ${pending} pending, ${got.length} deliveries`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(got.length).toBe(36);
      expect(new Set(got).size).toBe(36);
      expect(new Set(got.map((d) => d.split('.')[0]))).toEqual(new Set(events.map((e) => e.id)));
    } finally {
      receiver.close();
    }
  });

  it('loses no acknowledged write and fires no event twice when an instance is killed under a mixed load', async () => {
    const ids = ['load-a', 'load-b', 'load-c'];
    const auths: Record<string, Record<string, string>> = {};
    for (const [i, id] of ids.entries()) {
      // Realtime clocks at 20x: messages go CREATED -> SENT -> DELIVERED in ~150 ms of host time.
      const w = await sim(fleet[i].base, 'POST', '/workspaces', { id, clock: { mode: 'realtime', speed: 20 } });
      auths[id] = { authorization: `Bearer ${w.credentials.syniverse.token}` };
    }
    const alive = new Set([0, 1, 2]);
    const contacts: Array<{ ws: string; id: string }> = [];
    const requests: Array<{ ws: string; id: string }> = [];
    let turn = 0;
    let stop = false;
    const worker = async (n: number) => {
      let k = 0;
      while (!stop) {
        const live = [...alive];
        const target = fleet[live[turn++ % live.length]].base;
        const ws = ids[(n + k) % ids.length];
        k++;
        try {
          if (k % 3 === 0) {
            const r = await call(target, 'POST', `${SYN}/messaging/message_requests`, { from: 'sender_id:sender-default-longcode', to: ['+15551234567'], body: `m${n}.${k}` }, auths[ws]);
            if (r.status < 300) requests.push({ ws, id: r.body.id });
            else expect(r.status, JSON.stringify(r.body)).toBe(503);
          } else if (k % 3 === 1) {
            const r = await call(target, 'POST', `${SYN}/contacts`, { first_name: `w${n}.${k}` }, auths[ws]);
            if (r.status < 300) contacts.push({ ws, id: r.body.id });
            else expect(r.status, JSON.stringify(r.body)).toBe(503);
          } else {
            const r = await call(target, 'GET', `${SYN}/messaging/messages?limit=5`, undefined, auths[ws]);
            expect([200, 503]).toContain(r.status);
          }
        } catch (e) {
          // Only the killed instance may fail to answer (connection refused or reset).
          if (!/fetch failed|ECONNRESET|ECONNREFUSED|socket/i.test(String((e as Error).message) + String((e as { cause?: unknown }).cause))) throw e;
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, n) => worker(n));
    await new Promise((r) => setTimeout(r, 1200));
    // kill -9 mid-load: no shutdown, its locks lapse (lockMs 1000).
    alive.delete(1);
    await fleet[1].kill();
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(workers);
    expect(contacts.length).toBeGreaterThan(20);
    expect(requests.length).toBeGreaterThan(10);
    const [a, , c] = fleet;

    // Every acknowledged contact is there, read through each survivor.
    for (const { ws, id } of contacts) {
      expect((await call(a.base, 'GET', `${SYN}/contacts/${id}`, undefined, auths[ws])).status, `contact ${id} of ${ws}`).toBe(200);
    }
    for (const ws of ids) {
      const total = (await call(c.base, 'GET', `${SYN}/contacts?limit=1`, undefined, auths[ws])).body.total as number;
      expect(total).toBeGreaterThanOrEqual(contacts.filter((x) => x.ws === ws).length);
    }
    // Every acknowledged message reaches its end state, with one event per state: the
    // scheduled events of the killed instance's requests fired on the others, once.
    const deadline = Date.now() + 20_000;
    for (const ws of ids) {
      for (;;) {
        const pending = (await sim(a.base, 'GET', `/workspaces/${ws}`)).pendingEvents as number;
        if (pending === 0) break;
        if (Date.now() > deadline) throw new Error(`${ws}: ${pending} events still pending`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const events = await stateEvents(c.base, ws);
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);
      const seen = new Map<string, string[]>();
      for (const e of events) seen.set(e.data.message_id, [...(seen.get(e.data.message_id) ?? []), e.data.state]);
      for (const states of seen.values()) expect(states).toEqual(['CREATED', 'SENT', 'DELIVERED']);
      for (const { id } of requests.filter((r) => r.ws === ws)) {
        const msgs = await call(a.base, 'GET', `${SYN}/messaging/message_requests/${id}/messages`, undefined, auths[ws]);
        expect(msgs.body.list.map((m: { state: string }) => m.state)).toEqual(['DELIVERED']);
      }
    }
  });
});

describe('Redis restarting', () => {
  it('answers 503 in each vendor envelope while Redis is away, never crashes, and recovers with every acknowledged write (AOF)', async () => {
    const inst = await instance('f2', 1000);
    const w = await sim(inst.base, 'POST', '/workspaces', { id: 'r1', clock: { mode: 'manual', now: '2026-01-05T12:00:00Z' } });
    const syn = { authorization: `Bearer ${w.credentials.syniverse.token}` };
    const made: string[] = [];
    for (let i = 0; i < 20; i++) made.push((await call(inst.base, 'POST', `${SYN}/contacts`, { first_name: `a${i}` }, syn)).body.id);

    await redis.kill();
    const down = {
      syniverse: await call(inst.base, 'POST', `${SYN}/contacts`, { first_name: 'lost' }, syn),
      dolist: await call(inst.base, 'GET', `/dolist/v1/targets?AccountID=10001`, undefined, { 'x-api-key': w.credentials.dolist.main }),
      clever: await call(inst.base, 'GET', '/clever/api/account/me', undefined, { authorization: `Basic ${Buffer.from(`${w.credentials.clever.login}:${w.credentials.clever.password}`).toString('base64')}` }),
      additiv: await call(inst.base, 'GET', '/additiv/v1.0/contacts/change-requests/statuses', undefined, { authorization: `Bearer ${w.credentials.additiv.memberToken}` }),
      control: await call(inst.base, 'GET', '/_sim/workspaces/r1'),
    };
    expect(down.syniverse).toMatchObject({ status: 503, body: { error_code: '503' } });
    expect(down.syniverse.body.error_description).toMatch(/shared store .* unreachable/);
    expect(down.dolist).toMatchObject({ status: 503, body: { ResponseStatus: { ErrorCode: 'ServiceUnavailable' } } });
    expect(down.clever).toMatchObject({ status: 503, body: { errors: { server: expect.any(String) } } });
    expect(down.additiv).toMatchObject({ status: 503, body: { code: expect.any(String), subCode: 'NA' } });
    expect(down.control).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(inst.proc.exitCode).toBeNull();

    await redis.restart();
    const t0 = Date.now();
    let back: { status: number; body: any };
    for (;;) {
      back = await call(inst.base, 'GET', `${SYN}/contacts?limit=1`, undefined, syn);
      if (back.status === 200 || Date.now() - t0 > 15_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(back.status).toBe(200);
    // Everything acknowledged before the crash, nothing of the refused request.
    expect(back.body.total).toBe(20);
    for (const id of made) expect((await call(inst.base, 'GET', `${SYN}/contacts/${id}`, undefined, syn)).status).toBe(200);
    // And a second instance started now sees the same.
    const other = await instance('f2', 1000);
    expect((await call(other.base, 'GET', `${SYN}/contacts?limit=1`, undefined, syn)).body.total).toBe(20);
    await other.kill();
    await inst.kill();
  });
});
