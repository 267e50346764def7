// Watching a workspace: request ids and bodies in the journal, the event stream (SSE) with its
// filters and resume, the injector list, and the specs the docs pages read.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startApp, synWorkspace, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(() => c.close());

interface Sse {
  event: string;
  id?: string;
  data: any;
}

/** Reads an SSE response until `enough` says so (or 10 s of real time pass), then hangs up. */
async function stream(path: string, enough: (msgs: Sse[]) => boolean, headers: Record<string, string> = {}, during?: () => Promise<unknown>): Promise<Sse[]> {
  const res = await c.app.app.request(path, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const msgs: Sse[] = [];
  let buf = '';
  const deadline = Date.now() + 10_000;
  let started = false;
  while (!enough(msgs)) {
    if (Date.now() > deadline) throw new Error(`stream: not enough messages: ${JSON.stringify(msgs)}`);
    const next = reader.read();
    if (!started && during) {
      started = true;
      await during();
    }
    const { value, done } = await next;
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let at: number;
    while ((at = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, at);
      buf = buf.slice(at + 2);
      const m: Sse = { event: 'message', data: undefined };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const [k, ...rest] = line.split(': ');
        const v = rest.join(': ');
        if (k === 'event') m.event = v;
        else if (k === 'id') m.id = v;
        else if (k === 'data') m.data = JSON.parse(v);
      }
      if (m.data !== undefined) msgs.push(m);
    }
  }
  await reader.cancel();
  return msgs;
}

const sends = (call: Awaited<ReturnType<typeof synWorkspace>>['call'], to: string) =>
  call('POST', '/messaging/message_requests', { from: 'sender_id:sender-default-longcode', to: [to], body: 'Hi' });

describe('request ids and the journal', () => {
  it('answers every API request with an X-Request-Id that its journal entry carries, with the bodies', async () => {
    const { call, auth } = await synWorkspace(c, 'rid');
    const r = await sends(call, '+15551230001');
    const id = r.headers.get('x-request-id');
    expect(id).toMatch(/^req-[0-9a-z]{6,}$/);
    const own = await c.req('GET', `/syniverse/scg-external-api/api/v1/messaging/message_requests/${r.body.id}`, { headers: { ...auth, 'x-request-id': 'my-trace-42' } });
    expect(own.headers.get('x-request-id')).toBe('my-trace-42');
    const bad = await c.req('GET', '/syniverse/scg-external-api/api/v1/nope', { headers: auth });
    expect(bad.headers.get('x-request-id')).toMatch(/^req-/);
    const { entries } = await c.sim('GET', '/workspaces/rid/journal');
    expect(entries[0]).toMatchObject({ requestId: id, status: 200, operationId: 'createMessageRequest' });
    expect(JSON.parse(entries[0].requestBody)).toEqual({ from: 'sender_id:sender-default-longcode', to: ['+15551230001'], body: 'Hi' });
    expect(JSON.parse(entries[0].responseBody)).toEqual({ id: r.body.id });
    expect(entries[1].requestId).toBe('my-trace-42');
    expect(entries[1].requestBody).toBeUndefined();
  });

  it('cuts long bodies', async () => {
    const { call } = await synWorkspace(c, 'cut');
    await call('POST', '/messaging/message_requests', { from: 'sender_id:sender-default-longcode', to: ['+15551230001'], body: 'x'.repeat(10_000) });
    const { entries } = await c.sim('GET', '/workspaces/cut/journal');
    expect(entries[0].requestBody.length).toBeLessThan(4200);
    expect(entries[0].requestBody).toMatch(/more characters\)$/);
  });
});

describe('event stream', () => {
  it('streams requests, events and clock changes as they happen, in order', async () => {
    const { call, advance } = await synWorkspace(c, 'sse1');
    const msgs = await stream(
      '/_sim/workspaces/sse1/events/stream?requests=1',
      (m) => m.some((x) => x.data?.data?.state === 'DELIVERED'),
      {},
      async () => {
        await sends(call, '+15551230001');
        await advance(5000);
      },
    );
    expect(msgs[0]).toMatchObject({ event: 'hello', data: { workspace: 'sse1', lastSeq: -1 } });
    expect(msgs.find((m) => m.event === 'request')!.data).toMatchObject({ method: 'POST', status: 200, operationId: 'createMessageRequest', at: '2026-01-05T12:00:00.000Z' });
    const events = msgs.filter((m) => m.event === 'message');
    expect(events.map((m) => Number(m.id))).toEqual(events.map((m) => m.data.seq));
    expect(events.map((m) => m.data.seq)).toEqual([...events.map((m) => m.data.seq)].sort((a, b) => a - b));
    expect(msgs.filter((m) => m.event === 'clock').map((m) => m.data.now)).toEqual(['2026-01-05T12:00:00.000Z', '2026-01-05T12:00:05.000Z']);
  });

  it('filters by type and api, and resumes after Last-Event-ID or from ?since', async () => {
    const { call, advance } = await synWorkspace(c, 'sse2');
    await sends(call, '+15551230001');
    await advance(5000);
    const all = (await c.sim('GET', '/workspaces/sse2/events')).events as Array<{ seq: number; type: string }>;
    const states = all.filter((e) => e.type === 'message_state_change');
    const last = all[all.length - 1].seq;

    const typed = await stream('/_sim/workspaces/sse2/events/stream?since=0&type=message_state_change&api=syniverse', (m) => m.filter((x) => x.event === 'message').length >= states.length);
    expect(typed.filter((m) => m.event === 'message').map((m) => m.data.seq)).toEqual(states.map((e) => e.seq));

    const resumed = await stream('/_sim/workspaces/sse2/events/stream', (m) => m.some((x) => x.event === 'message'), { 'last-event-id': String(states[1].seq) }, () => sends(call, '+15551230002'));
    expect(resumed.filter((m) => m.event === 'message')[0].data.seq).toBe(states[1].seq + 1);

    const since = await stream(`/_sim/workspaces/sse2/events/stream?since=${last}`, (m) => m.some((x) => x.event === 'message'));
    expect(since.filter((m) => m.event === 'message')[0].data.seq).toBe(last);

    const otherApi = await stream('/_sim/workspaces/sse2/events/stream?since=0&api=clever', (m) => m.some((x) => x.event === 'clock'));
    expect(otherApi.filter((m) => m.event === 'message')).toEqual([]);
  });

  it('says when the workspace is reset or deleted', async () => {
    await synWorkspace(c, 'sse3');
    const reset = await stream('/_sim/workspaces/sse3/events/stream', (m) => m.some((x) => x.event === 'reset'), {}, () => c.sim('POST', '/workspaces/sse3/reset'));
    expect(reset.find((m) => m.event === 'reset')!.data).toEqual({ workspace: 'sse3' });
    const gone = await stream('/_sim/workspaces/sse3/events/stream', (m) => m.some((x) => x.event === 'deleted'), {}, () => c.req('DELETE', '/_sim/workspaces/sse3'));
    expect(gone.at(-1)).toMatchObject({ event: 'deleted', data: { workspace: 'sse3' } });
  });

  it('refuses bad input precisely', async () => {
    expect((await c.req('GET', '/_sim/workspaces/none/events/stream')).status).toBe(404);
    const bad = await c.req('GET', '/_sim/workspaces/default/events/stream?since=-1');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/since/);
    expect((await c.app.app.request('/_sim/workspaces/default/events/stream', { headers: { 'last-event-id': 'x' } })).status).toBe(400);
  });
});

describe('injectors, specs and pages', () => {
  it('lists the registered injectors with the fields of their bodies', async () => {
    const { injectors } = await c.sim('GET', '/injectors');
    const mo = injectors.find((i: { kind: string }) => i.kind === 'mo-message');
    expect(mo.apis.sort()).toEqual(['clever', 'syniverse']);
    expect(mo.fields.map((f: { name: string }) => f.name)).toEqual(['from', 'to', 'body']);
  });

  it('serves each spec as JSON, or YAML when asked, with the operations the router serves', async () => {
    for (const mod of c.app.modules) {
      const json = await c.req('GET', `/_sim/specs/${mod.id}`);
      expect(json.status).toBe(200);
      const ops = (doc: any) => Object.values<any>(doc.paths).flatMap((item) => Object.keys(item).filter((k) => ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].includes(k))).length;
      expect(ops(json.body)).toBe(c.app.specs.get(mod.id)!.operations.length);
      const yaml = await c.req('GET', `/_sim/specs/${mod.id}`, { headers: { accept: 'application/yaml' } });
      expect(yaml.headers.get('content-type')).toContain('application/yaml');
      expect(parseYaml(yaml.text)).toEqual(json.body);
    }
    // The README's table says how many operations each API serves: it must stay true.
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const mod of c.app.modules) {
      const row = readme.split('\n').find((l) => l.startsWith('|') && l.includes(`127.0.0.1:4010${mod.mountPrefix}`));
      const m = /(\d+) operations(?: \(\+(\d+))?/.exec(row ?? '');
      expect(m, `README row of ${mod.id}`).not.toBeNull();
      expect(Number(m![1]) + Number(m![2] ?? 0), mod.id).toBe(c.app.specs.get(mod.id)!.operations.length);
    }
    expect((await c.req('GET', '/_sim/specs/nope')).status).toBe(404);
  });

  it('serves the docs pages and the dashboard from local files only', async () => {
    const docs = await c.req('GET', '/_sim/docs/clever');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('/_sim/assets/swagger-ui-bundle.js');
    expect(docs.text).not.toMatch(/src="https?:|href="https?:/);
    expect((await c.req('GET', '/_sim/assets/swagger-ui-bundle.js')).status).toBe(200);
    expect((await c.req('GET', '/_sim/assets/package.json')).status).toBe(404);
    expect((await c.req('GET', '/_sim/docs/nope')).status).toBe(404);
    const dash = await c.req('GET', '/_sim/dashboard');
    expect(dash.text).toContain('/_sim/dashboard/app.js');
    const js = await c.req('GET', '/_sim/dashboard/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
  });
});
