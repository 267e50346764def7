// Random schema-valid requests to every operation of the Dolist messages area (the project's
// fuzz suites do not drive Dolist yet): bodies drawn from each operation's request schema (nulls
// included), its declared query parameters drawn from their schemas, path parameters naming real
// records (now and then ids that do not exist), each operation in a fresh world. No answer may
// be a 5xx, every answer is checked against the spec (helpers.ts), and an answer >= 400 must
// leave the workspace snapshot exactly as it was.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesArea } from '../src/apis/dolist/area-messages.js';
import type { OperationInfo } from '../src/core/spec.js';
import { dolistWorkspace, startApp, type Client } from './helpers.js';
import { arbitrary, fillPath, missingValue, requestErrors, seedOf } from './schema-values.js';
import { paramSchemas } from './worlds.js';

const SEED = Number(process.env.FZ_SEED ?? 20261203);
const RUNS = Number(process.env.FZ_RUNS ?? 8);

let c: Client;
beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
});
afterAll(async () => {
  await c.close();
});

/** A world with one record of each kind of the area; the ids its path parameters may name. */
async function world(n: number) {
  const id = `dlm-fz-${n}`;
  const w = await dolistWorkspace(c, id, { scenario: { name: 'fz', fixtures: { dolist: { contactBase: { '10001': 4, '10002': 0 } } } } });
  const ws = c.app.runtime.require(id);
  ws.table('dolist', 'packs').put({ id: '1', ID: 1, account: '10001', Name: 'Main', IsAllowed: true });
  ws.table('dolist', 'targets').put({ id: '1', ID: 1, account: '10001', Name: 'All' });
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await w.main(method, path, body);
    expect(r.status, `${path}: ${r.text}`).toBe(201);
    return r.body.ID as number;
  };
  const packSender = await ok('POST', '/email/messages/addresses/packs/1/senders', { Email: 'a@shop.example' });
  const reply = await ok('POST', '/email/messages/addresses/replies', { Email: 'r@shop.example' });
  const smsSender = await ok('POST', '/sms/messages/senders', { Name: 'SHOP' });
  const email = await ok('POST', '/email/messages', { Name: 'E', Subject: 'S', SenderID: packSender, Content: { Html: '<a href="https://x.example/a">a</a><a href="[[UNSUBSCRIBE]]">u</a>' } });
  const sms = await ok('POST', '/sms/messages', { Name: 'S', SenderID: smsSender, Text: 'Hi STOP' });
  const link = (await w.main('GET', `/email/messages/${email}/links?LinkTypeList=Tracked`)).body.ItemList[0].LinkID as number;
  const real = (op: OperationInfo): Record<string, number> => {
    const p = op.fullPath;
    const all: Record<string, number> = {
      MessageID: p.includes('/sms/') ? sms : email,
      LinkID: link,
      SenderID: p.includes('/sms/') ? smsSender : packSender,
      ReplyID: reply,
      PackID: 1,
    };
    return Object.fromEntries(op.pathParams.map((k) => [k, all[k]]));
  };
  return { ...w, real };
}

const spec = () => c.app.specs.get('dolist')!;

describe('random requests: the Dolist messages area', () => {
  it('never answers a 5xx, and leaves the state as it was on errors', async () => {
    const ops = Object.keys(messagesArea(spec()).handlers).sort();
    expect(ops.length).toBe(54);
    let n = 0;
    const statuses: Record<string, number> = {};
    for (const operationId of ops) {
      const op = spec().operations.find((o) => o.operationId === operationId)!;
      const w = await world(n++);
      const query: Record<string, fc.Arbitrary<string>> = {};
      const required: string[] = [];
      for (const p of paramSchemas(spec(), op).filter((x) => x.in === 'query' && x.name !== 'AccountID')) {
        query[p.name] = arbitrary(p.schema, { maxString: 12 }).map((v) => (Array.isArray(v) ? v.join(',') : String(v)));
        if (p.required) required.push(p.name);
      }
      const draw = fc.record({
        body: op.bodySchema ? fc.oneof(arbitrary(op.bodySchema, { nulls: true, maxString: 20 }), arbitrary(op.bodySchema, { maxString: 20 })) : fc.constant(undefined),
        query: fc.record(query, { requiredKeys: required }) as fc.Arbitrary<Record<string, string>>,
        missing: fc.nat({ max: 5 }).map((x) => x === 0),
      });
      const missing: Record<string, string | number> = {};
      for (const p of paramSchemas(spec(), op).filter((x) => x.in === 'path')) missing[p.name] = missingValue(p.schema, p.name);
      let sent = 0;
      for (const d of fc.sample(draw, { seed: seedOf(SEED, operationId), numRuns: RUNS * 6 })) {
        if (sent >= RUNS) break;
        const params = d.missing ? missing : w.real(op);
        const q = { ...d.query, AccountID: '10001' };
        if ((await requestErrors(spec(), op, { path: params, query: q, body: d.body })).length) continue;
        sent++;
        const path = `${fillPath(op, params)}?${new URLSearchParams(q)}`;
        const what = `${operationId} ${path} body=${JSON.stringify(d.body)}`;
        const before = op.method === 'GET' ? undefined : await c.sim('GET', `/workspaces/${w.id}/snapshot`);
        const r = await c.req(op.method, path, { body: d.body, headers: { 'x-api-key': w.creds.main } });
        statuses[`${operationId} ${r.status}`] = (statuses[`${operationId} ${r.status}`] ?? 0) + 1;
        if (process.env.FZ_DEBUG && r.status === 404) console.log(what, r.text.slice(0, 160));
        expect(r.status, `${what}: ${r.text}`).toBeLessThan(500);
        if (r.status >= 400 && before) expect(await c.sim('GET', `/workspaces/${w.id}/snapshot`), `${what} answered ${r.status} but changed the workspace`).toEqual(before);
      }
      expect(sent, `${operationId}: no valid request drawn`).toBeGreaterThan(0);
    }
    if (process.env.FZ_DEBUG) console.log(statuses);
  }, 300_000);
});
