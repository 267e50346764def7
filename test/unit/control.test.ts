// The control API (/_sim) through the whole app, in memory: the error paths and filters that
// test/core-control.test.ts does not exercise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob } from '../../src/core/jobs.js';
import { startApp, SYN, synWorkspace, type Client } from '../helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(() => c.close());

const err = async (method: string, path: string, body?: unknown) => {
  const r = await c.req(method, `/_sim${path}`, body === undefined ? {} : { body });
  return { status: r.status, code: r.body?.error?.code, message: r.body?.error?.message as string };
};

describe('bodies and unknown routes', () => {
  it('rejects malformed or non-object JSON bodies', async () => {
    expect(await err('POST', '/workspaces', '{"id":')).toMatchObject({ status: 400, code: 'invalid', message: expect.stringMatching(/^malformed JSON body: /) });
    expect(await err('POST', '/workspaces', '[1]')).toEqual({ status: 400, code: 'invalid', message: 'the body must be a JSON object' });
    expect(await err('POST', '/workspaces', 'null')).toMatchObject({ status: 400, message: 'the body must be a JSON object' });
    expect(await err('POST', '/workspaces/default/clock/advance')).toEqual({ status: 400, code: 'invalid', message: 'a JSON body is required' });
  });

  it('an empty body creates a workspace with defaults', async () => {
    const r = await c.req('POST', '/_sim/workspaces');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ seed: 1, scenario: null, clock: { mode: 'realtime', speed: 1 }, pendingEvents: expect.any(Number) });
    expect((await c.sim('GET', '/workspaces')).workspaces.map((w: { id: string }) => w.id)).toContain(r.body.id);
    await c.sim('DELETE', `/workspaces/${r.body.id}`);
  });

  it('answers unknown routes and workspaces with a 404 envelope', async () => {
    expect(await err('GET', '/nothing/here')).toEqual({ status: 404, code: 'no_route', message: 'no control API route GET /_sim/nothing/here' });
    expect(await err('GET', '/workspaces/ghost')).toEqual({ status: 404, code: 'not_found', message: 'workspace "ghost" not found' });
    expect(await err('POST', '/workspaces/ghost/reset')).toMatchObject({ status: 404 });
    expect(await err('DELETE', '/workspaces/ghost')).toMatchObject({ status: 404 });
    const root = await c.req('GET', '/nowhere');
    expect(root).toMatchObject({ status: 404, body: { error: { code: 'no_route' } } });
    const home = await c.req('GET', '/');
    expect(home.body).toMatchObject({ name: 'commsim', control: '/_sim' });
    expect(home.body.apis.map((a: { id: string }) => a.id)).toEqual(['syniverse', 'dolist', 'clever', 'additiv']);
  });

  it('lists scenarios', async () => {
    expect((await c.sim('GET', '/scenarios')).scenarios).toContainEqual({ name: 'carrier-outage', description: expect.stringMatching(/UK SMS fail/) });
  });
});

describe('clock', () => {
  it('sets mode and speed, moves forward with now, refuses to go back', async () => {
    await synWorkspace(c, 'ctl-clock');
    expect(await c.sim('POST', '/workspaces/ctl-clock/clock', { speed: 3 })).toEqual({ now: '2026-01-05T12:00:00.000Z', mode: 'manual', speed: 3 });
    expect(await c.sim('POST', '/workspaces/ctl-clock/clock', { now: '2026-01-05T13:00:00Z' })).toMatchObject({ now: '2026-01-05T13:00:00.000Z' });
    expect(await err('POST', '/workspaces/ctl-clock/clock', { now: '2026-01-05T12:00:00Z' })).toMatchObject({ status: 400, message: expect.stringMatching(/cannot move the clock backwards/) });
    expect(await err('POST', '/workspaces/ctl-clock/clock', { speed: -2 })).toMatchObject({ status: 400 });
    expect(await err('POST', '/workspaces/ctl-clock/clock', { now: '2026-02-30T00:00:00Z' })).toMatchObject({ status: 400, message: 'clock.now must be an ISO 8601 timestamp or epoch milliseconds' });
    expect((await c.sim('GET', '/workspaces/ctl-clock/clock')).now).toBe('2026-01-05T13:00:00.000Z');
  });

  it('advances to a timestamp; rejects bad or past targets', async () => {
    await synWorkspace(c, 'ctl-adv');
    expect(await c.sim('POST', '/workspaces/ctl-adv/clock/advance', { to: '2026-01-05T12:30:00Z' })).toEqual({ now: '2026-01-05T12:30:00.000Z', fired: 0 });
    expect(await c.sim('POST', '/workspaces/ctl-adv/clock/advance', { to: Date.parse('2026-01-05T12:31:00Z') })).toMatchObject({ now: '2026-01-05T12:31:00.000Z' });
    expect(await err('POST', '/workspaces/ctl-adv/clock/advance', { to: 'later' })).toMatchObject({ status: 400, message: 'to must be an ISO 8601 timestamp or epoch milliseconds' });
    expect(await err('POST', '/workspaces/ctl-adv/clock/advance', { to: '2026-01-05T12:00:00Z' })).toMatchObject({ status: 400, message: expect.stringMatching(/is before the workspace's now/) });
    expect(await err('POST', '/workspaces/ctl-adv/clock/advance', { ms: 'soon' })).toMatchObject({ status: 400, message: 'ms must be a number >= 0' });
    expect(await err('POST', '/workspaces/ctl-adv/clock/advance', { minutes: 5 })).toMatchObject({ status: 400, message: 'give {ms} or {to}' });
  });
});

describe('state, credit, journal, events', () => {
  it('lists collections and pages records; validates paging', async () => {
    const { call } = await synWorkspace(c, 'ctl-state');
    for (const name of ['a', 'b', 'c']) await call('POST', '/messaging/channels', { name });
    const st = await c.sim('GET', '/workspaces/ctl-state/state/syniverse');
    expect(st.api).toBe('syniverse');
    expect(st.collections.channels).toBe(3);
    const page = await c.sim('GET', '/workspaces/ctl-state/state/syniverse/channels?limit=1&offset=1');
    expect(page).toMatchObject({ api: 'syniverse', collection: 'channels', total: 3 });
    expect(page.records.map((r: { name: string }) => r.name)).toEqual(['b']);
    expect((await c.sim('GET', '/workspaces/ctl-state/state/syniverse/nothing')).total).toBe(0);
    expect(await err('GET', '/workspaces/ctl-state/state/nope')).toMatchObject({ status: 404, message: 'unknown api "nope"' });
    expect(await err('GET', '/workspaces/ctl-state/state/nope/x')).toMatchObject({ status: 404 });
    expect(await err('GET', '/workspaces/ctl-state/state/syniverse/channels?limit=-1')).toMatchObject({ status: 400, message: "query parameter 'limit' must be an integer from 0 to 100000" });
    expect(await err('GET', '/workspaces/ctl-state/state/syniverse/channels?offset=x')).toMatchObject({ status: 400 });
  });

  it('credit: unknown api, limited entries, a reason on set', async () => {
    await synWorkspace(c, 'ctl-credit');
    expect(await err('GET', '/workspaces/ctl-credit/credit/nope')).toMatchObject({ status: 404 });
    expect(await err('PUT', '/workspaces/ctl-credit/credit/nope', { balance: 1 })).toMatchObject({ status: 404 });
    expect(await err('PUT', '/workspaces/ctl-credit/credit/syniverse', { balance: Infinity })).toMatchObject({ status: 400 });
    await c.sim('PUT', '/workspaces/ctl-credit/credit/syniverse', { balance: 50, reason: 'top-up' });
    await c.sim('PUT', '/workspaces/ctl-credit/credit/syniverse', { balance: 40 });
    const v = await c.sim('GET', '/workspaces/ctl-credit/credit/syniverse?limit=2');
    expect(v.entries.map((e: { reason: string; amount: number }) => [e.reason, e.amount])).toEqual([
      ['top-up', -50],
      ['balance set', -10],
    ]);
  });

  it('journal keeps the newest entries up to limit', async () => {
    const { call } = await synWorkspace(c, 'ctl-journal');
    await call('GET', '/messaging/channels');
    await call('GET', '/messaging/channels/nope');
    const j = await c.sim('GET', '/workspaces/ctl-journal/journal?limit=1');
    expect(j.entries).toHaveLength(1);
    expect(j.entries[0]).toMatchObject({ at: '2026-01-05T12:00:00.000Z', method: 'GET', status: 404, api: 'syniverse' });
  });

  it('events filter by type, api and since', async () => {
    const { call, advance } = await synWorkspace(c, 'ctl-events');
    await call('POST', '/messaging/message_requests', { from: 'sender_id:sender-default-longcode', to: ['+15551239001'], body: 'x' });
    await advance(10_000);
    const all = (await c.sim('GET', '/workspaces/ctl-events/events')).events;
    expect(all.length).toBeGreaterThan(2);
    const since = all[2].seq;
    const later = (await c.sim('GET', `/workspaces/ctl-events/events?since=${since}`)).events;
    expect(later.every((e: { seq: number }) => e.seq >= since)).toBe(true);
    expect(later).toHaveLength(all.length - 2);
    expect((await c.sim('GET', '/workspaces/ctl-events/events?api=clever')).events).toEqual([]);
    const typed = (await c.sim('GET', '/workspaces/ctl-events/events?type=message_state_change&limit=1')).events;
    expect(typed).toHaveLength(1);
    expect(typed[0].type).toBe('message_state_change');
    expect(await err('GET', '/workspaces/ctl-events/events?limit=20000')).toMatchObject({ status: 400 });
    expect(await err('GET', '/workspaces/ctl-events/events?since=-1')).toMatchObject({ status: 400 });
  });
});

describe('operations, injection, snapshots, webhooks', () => {
  it('shows async jobs with their progress on the workspace clock', async () => {
    await synWorkspace(c, 'ctl-ops');
    const ws = c.app.runtime.require('ctl-ops');
    const job = createJob(ws, { api: 'syniverse', kind: 'unit-test-kind', total: 100, rate: 10 });
    const other = createJob(ws, { api: 'clever', kind: 'unit-test-kind', total: 1 });
    expect(await c.sim('GET', `/workspaces/ctl-ops/operations/${job.id}`)).toMatchObject({ id: job.id, status: 'queued', progress: 0 });
    await c.sim('POST', '/workspaces/ctl-ops/clock/advance', { ms: 6000 });
    expect(await c.sim('GET', `/workspaces/ctl-ops/operations/${job.id}`)).toMatchObject({ status: 'running', done: 50, progress: 50 });
    expect((await c.sim('GET', '/workspaces/ctl-ops/operations?api=syniverse')).operations.map((o: { id: string }) => o.id)).toEqual([job.id]);
    expect((await c.sim('GET', '/workspaces/ctl-ops/operations')).operations.map((o: { id: string }) => o.id)).toEqual([job.id, other.id]);
    expect(await err('GET', '/workspaces/ctl-ops/operations/job_nope')).toMatchObject({ status: 404, message: 'operation job_nope not found' });
  });

  it('injects through the API that recognises the input, or reports why not', async () => {
    await synWorkspace(c, 'ctl-inject');
    const r = await c.sim('POST', '/workspaces/ctl-inject/inject/mo-message', { api: 'syniverse', from: '+15551239101', to: 'sender-default-longcode', body: 'HELLO' });
    expect(r).toMatchObject({ kind: 'mo-message', result: { api: 'syniverse' } });
    expect(await err('POST', '/workspaces/ctl-inject/inject/mo-message', { api: 'syniverse', from: '+15551239101' })).toMatchObject({ status: 400 });
    expect(await err('POST', '/workspaces/ctl-inject/inject/mo-message', { api: 'dolist' })).toMatchObject({ status: 400, message: expect.stringMatching(/does not handle inject kind mo-message/) });
  });

  it('imports a snapshot back; rejects bodies that are not snapshots', async () => {
    const { call } = await synWorkspace(c, 'ctl-snap');
    await call('POST', '/messaging/channels', { name: 'before' });
    const snap = await c.sim('GET', '/workspaces/ctl-snap/snapshot');
    await call('POST', '/messaging/channels', { name: 'after' });
    const back = await c.sim('PUT', '/workspaces/ctl-snap/snapshot', snap);
    expect(back.id).toBe('ctl-snap');
    expect((await c.sim('GET', '/workspaces/ctl-snap/state/syniverse/channels')).records.map((r: { name: string }) => r.name)).toEqual(['before']);
    expect(await err('PUT', '/workspaces/ctl-snap/snapshot', { format: 'zip' })).toMatchObject({ status: 400 });
    expect(await err('PUT', '/workspaces/ctl-snap/snapshot')).toMatchObject({ status: 400, message: 'a JSON body is required' });
    expect(await err('PUT', '/workspaces/ghost/snapshot', snap)).toMatchObject({ status: 404 });
    const dup = { ...snap, meta: { ...snap.meta, credentials: (await c.sim('GET', '/workspaces/default/snapshot')).meta.credentials } };
    expect(await err('PUT', '/workspaces/ctl-snap/snapshot', dup)).toMatchObject({ status: 409, code: 'duplicate' });
    expect(await c.sim('POST', '/workspaces/ctl-snap/flush')).toEqual({ flushed: true });
  });

  it('registers, lists and deletes webhooks; validates input', async () => {
    await synWorkspace(c, 'ctl-hooks');
    expect(await err('POST', '/workspaces/ctl-hooks/webhooks', { url: 'nope' })).toMatchObject({ status: 400, code: 'invalid' });
    expect(await err('POST', '/workspaces/ctl-hooks/webhooks')).toMatchObject({ status: 400, message: 'a JSON body is required' });
    const h = await c.sim('POST', '/workspaces/ctl-hooks/webhooks', { url: 'http://127.0.0.1:9/x', events: ['message_state_change'], api: 'syniverse' });
    expect((await c.sim('GET', '/workspaces/ctl-hooks/webhooks')).webhooks).toEqual([h]);
    expect((await c.req('DELETE', `/_sim/workspaces/ctl-hooks/webhooks/${h.id}`)).status).toBe(204);
    expect(await err('DELETE', `/workspaces/ctl-hooks/webhooks/${h.id}`)).toMatchObject({ status: 404, message: `webhook ${h.id} not found` });
    expect((await c.sim('GET', '/workspaces/ctl-hooks/webhooks')).webhooks).toEqual([]);
  });
});

describe('API requests through the router', () => {
  it('bad input on a vendor route is the vendor 4xx, never a 500', async () => {
    const { auth } = await synWorkspace(c, 'ctl-api');
    const malformed = await c.req('POST', `${SYN}/messaging/channels`, { body: '{"name":', headers: { ...auth, 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error_code).toBe('SCG_ERROR_40025');
    const noAuth = await c.req('GET', `${SYN}/messaging/channels`);
    expect(noAuth.status).toBe(401);
    const unknown = await c.req('GET', `${SYN}/no/such/thing`, { headers: auth });
    expect(unknown.status).toBe(404);
    const method = await c.req('PATCH', `${SYN}/messaging/channels`, { headers: auth });
    expect(method.status).toBe(405);
  });
});
