// Random schema-valid requests to the 47 operations of the Dolist contacts area (fast-check, fixed
// seed): bodies drawn from the request schema (nulls included), declared query parameters, path
// ids naming real records or ids that do not exist. No answer may be a 5xx but the vendor's
// documented business-rule 500s ([412], [419], [446]), every answer is
// checked against the spec by helpers.ts, and an answer >= 400 must leave the workspace as it was.
// (Until the common fuzz suites drive Dolist, this covers the area.)
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { CATALOGUE } from '../src/apis/dolist/error-catalogue.js';
import { dolistWorkspace, startApp } from './helpers.js';
import { arbitrary, fillPath, missingValue, requestErrors, seedOf } from './schema-values.js';
import { paramSchemas } from './worlds.js';

const SEED = Number(process.env.FZ_SEED ?? 20261203);
const RUNS = Number(process.env.FZ_RUNS ?? 8);

const c = await startApp();
afterAll(() => c.close());
const spec = c.app.specs.get('dolist')!;
const text = readFileSync(new URL('../specs/dolist.yaml', import.meta.url), 'utf8');
const block = text.slice(text.indexOf('# ===== area: contacts (paths)'), text.indexOf('# ===== area: targets (paths)'));
const mine = new Set([...block.matchAll(/operationId: (\w+)/g)].map((m) => m[1]));
const ops = spec.operations.filter((o) => mine.has(o.operationId));
/** Path ids of records every fresh workspace has. */
const REAL: Record<string, string> = { ContactID: '1000001', FieldID: '3', InterestID: '5001', GroupID: '501', FormID: '801', TypeID: '1' };

it('drives the whole area', () => {
  expect(ops).toHaveLength(47);
});

it.each(ops.map((o, i) => [o.operationId, o, i] as const))('%s: no 500 [0], declared answers, refusals change nothing', async (_id, op, n) => {
  const id = `dlc-fz-${n}`;
  const w = await dolistWorkspace(c, id);
  const body = op.bodySchema ? arbitrary(op.bodySchema, { nulls: true, maxString: 20 }) : fc.constant(undefined);
  const model: Record<string, fc.Arbitrary<string>> = {};
  const required: string[] = [];
  for (const p of paramSchemas(spec, op).filter((x) => x.in === 'query' && x.name !== 'AccountID')) {
    model[p.name] = arbitrary(p.schema, { maxString: 12 }).map((v) => (Array.isArray(v) ? v.join(',') : String(v)));
    if (p.required) required.push(p.name);
  }
  const draws = fc.sample(fc.record({ body, missing: fc.nat({ max: 4 }).map((x) => x === 0), query: fc.record(model, { requiredKeys: required }) }), { seed: seedOf(SEED, op.operationId), numRuns: RUNS * 8 }) as Array<{
    body: unknown;
    missing: boolean;
    query: Record<string, string>;
  }>;
  let sent = 0;
  for (const d of draws) {
    if (sent >= RUNS) break;
    const params: Record<string, string | number> = {};
    for (const p of op.pathParams) params[p] = d.missing ? missingValue(paramSchemas(spec, op).find((x) => x.name === p)!.schema, p) : REAL[p];
    const query = { ...d.query, AccountID: '10001' };
    if ((await requestErrors(spec, op, { path: params, query, body: d.body })).length) continue;
    sent++;
    const qs = new URLSearchParams(query).toString();
    const what = `${op.operationId} ${fillPath(op, params)}?${qs} body=${JSON.stringify(d.body)}`;
    const before = await c.sim('GET', `/workspaces/${id}/snapshot`);
    const r = await c.req(op.method, `${fillPath(op, params)}?${qs}`, { body: d.body, headers: { 'x-api-key': w.creds.main } });
    if (process.env.FZ_DEBUG) console.log(what, '->', r.status, r.text.slice(0, 160));
    // The vendor's own 500s ([412], [419], [446]: business rules) are answers; [0] is a bug.
    if (r.status >= 500) expect(r.body.ResponseStatus.ErrorCode !== '0' && CATALOGUE[r.body.ResponseStatus.ErrorCode]?.[0] === 500, `${what}: ${r.text}`).toBe(true);
    if (r.status >= 400) expect(await c.sim('GET', `/workspaces/${id}/snapshot`), `${what} answered ${r.status} but changed the workspace`).toEqual(before);
  }
  expect(sent, 'no request the validators accept').toBeGreaterThan(0);
});
