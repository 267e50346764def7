// Random schema-valid requests to every operation of the Dolist platform area (fast-check, fixed
// seed): bodies and query values drawn from the spec, path ids naming real records (or not), the
// ApplicationID and AccountID mostly real. No answer may be a 500 [0] (an unexpected failure:
// the catalogue's business 500s such as [906] are documented answers), every answer is checked
// against the spec (helpers.ts), and an answer >= 400 must leave the workspace as it was.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { OperationInfo } from '../src/core/spec.js';
import { DOL, dolistWorkspace, startApp, type Client } from './helpers.js';
import { arbitrary, fillPath, missingValue, requestErrors, seedOf } from './schema-values.js';
import { paramSchemas } from './worlds.js';

const SEED = Number(process.env.FZ_SEED ?? 20261203);
const RUNS = Number(process.env.FZ_RUNS ?? 8);
const AREA = new Set(['applications', 'accounts', 'users', 'roles', 'rights', 'tags', 'variables', 'forms']);

const c: Client = await startApp();
afterAll(async () => {
  await c.close();
});

/** Real values of the fixtures for each path parameter, and the query's references. */
const REAL: Record<string, Array<string | number>> = {
  AccountID: [10001],
  ApplicationID: [1, 1, 2],
  PackID: [71],
  RoleID: [151, 163],
  UserID: [301, 302, 304],
  RightID: [101, 105],
  CategoryID: [11],
  TemplateID: [31, 33],
  TagID: [1],
  ColorID: [2],
  ItemTypeID: [2],
  ItemType: ['Form', 'EmailMessage'],
  ItemID: [801],
  FormID: [801],
  VariableID: [7],
  Token: ['nosuch'],
};

async function world(id: string) {
  const w = await dolistWorkspace(c, id);
  const ok = async (m: string, p: string, b?: unknown) => {
    const r = await w.main(m, p, b);
    if (r.status >= 300) throw new Error(`setup ${m} ${p}: ${r.status} ${r.text}`);
  };
  await ok('POST', '/roles?ApplicationID=1', { Name: 'Fuzz', TemplateID: 33 });
  await ok('POST', '/users', { Email: 'fuzz@commsim.example' });
  await ok('POST', '/tags', { Name: 'Fuzz' });
  await ok('PUT', '/tags/items', { TagIDList: [1], ItemList: [{ ItemType: 'Form', ItemID: 801 }] });
  return w;
}

const ops = c.app.specs.get('dolist')!.operations.filter((o) => (o.raw.tags ?? []).some((t: string) => AREA.has(t)));

async function drive(op: OperationInfo, n: number) {
  const spec = c.app.specs.get('dolist')!;
  const w = await world(`dlp-fz-${n}`);
  const params = paramSchemas(spec, op);
  const pick = (name: string, schema: any) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(REAL[name] ?? [missingValue(schema, name)])) }, { weight: 1, arbitrary: fc.constant(missingValue(schema, name)) });
  const path: Record<string, fc.Arbitrary<string | number>> = {};
  const query: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const p of params) {
    if (p.in === 'path') path[p.name] = pick(p.name, p.schema);
    if (p.in !== 'query') continue;
    query[p.name] = REAL[p.name] ? fc.oneof({ weight: 3, arbitrary: pick(p.name, p.schema) }, { weight: 1, arbitrary: arbitrary(p.schema, { maxString: 12 }) }) : arbitrary(p.schema, { maxString: 12 });
    if (p.required) required.push(p.name);
  }
  const draw = fc.record({
    path: fc.record(path),
    query: fc.record(query, { requiredKeys: required }) as fc.Arbitrary<Record<string, unknown>>,
    body: op.bodySchema ? arbitrary(op.bodySchema, { nulls: true, maxString: 16 }) : fc.constant(undefined),
  });
  let sent = 0;
  for (const d of fc.sample(draw, { seed: seedOf(SEED, op.operationId), numRuns: RUNS * 8 })) {
    if (sent >= RUNS) break;
    const q = Object.fromEntries(Object.entries(d.query).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
    if ((await requestErrors(spec, op, { path: d.path, query: q, body: d.body })).length) continue;
    sent++;
    const qs = new URLSearchParams(q).toString();
    const url = fillPath(op, d.path as Record<string, string | number>).replace(/^\/dolist\/v1/, '') + (qs ? `?${qs}` : '');
    const what = `${op.method} ${url} body=${JSON.stringify(d.body)}`;
    const before = await c.sim('GET', `/workspaces/${w.id}/snapshot`);
    const r = await c.req(op.method, `${DOL}${url}`, { body: d.body, headers: { 'x-api-key': w.creds.main } });
    if (process.env.FZ_DEBUG) console.log(what, "->", r.status, r.text.slice(0, 160));
    expect(r.status >= 500 && r.body?.ResponseStatus?.ErrorCode === '0', `${what}: ${r.text}`).toBe(false);
    if (r.status >= 400) expect(await c.sim('GET', `/workspaces/${w.id}/snapshot`), `${what} answered ${r.status} (${r.text}) but changed the workspace`).toEqual(before);
  }
  return sent;
}

describe('random requests: dolist platform', () => {
  it('has the area\'s operations', () => {
    expect(ops.length).toBe(55);
  });
  it.each(ops.map((op, i) => [op.operationId, op, i] as const))('%s: no 500 [0], declared answers, refusals change nothing', async (_id, op, i) => {
    expect(await drive(op, i)).toBeGreaterThan(0);
  });
});
