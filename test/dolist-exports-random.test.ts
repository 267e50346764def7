// Random schema-valid requests to every operation of the exports area (exports and files tags):
// fast-check (fixed seed) draws bodies and query values from the operation's schemas, path
// parameters name real records of a prepared world (now and then ids that do not exist), the
// AccountID is the caller's in most draws. No answer may be a 5xx, every answer is checked
// against the spec (helpers.ts), and a refused request leaves the workspace as it was.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { OperationInfo } from '../src/core/spec.js';
import { arbitrary, fillPath, missingValue, requestErrors, seedOf } from './schema-values.js';
import { dolistWorkspace, DOL, startApp, type Client } from './helpers.js';
import { paramSchemas } from './worlds.js';

const SEED = Number(process.env.FZ_SEED ?? 20261203);
const RUNS = Number(process.env.FZ_RUNS ?? 10);

const c: Client = await startApp();
const tally = new Map<string, number[]>();
afterAll(async () => {
  await c.close();
  if (process.env.FZ_DEBUG) for (const [op, st] of tally) console.log(op, st.join(' '));
});

const spec = c.app.specs.get('dolist')!;
const ops = spec.operations.filter((o) => (o.raw.tags ?? []).some((t: string) => t === 'exports' || t === 'files'));

/** A workspace with one of everything the area's paths name. */
async function world(n: number) {
  const w = await dolistWorkspace(c, `dl-exp-rnd-${n}`);
  const m = (await w.main('POST', '/exports/mappings', { Name: 'World', TypeID: 1 })).body.ID;
  await w.main('POST', `/exports/mappings/${m}/columns`, { ColumnReferenceID: 7 });
  await w.main('POST', `/exports/mappings/${m}/columns`, { ColumnReferenceID: 10, Format: 'dd/MM/yyyy' });
  const col = (await w.main('GET', `/exports/mappings/${m}/columns`)).body.ItemList[0].ID;
  const done = (await w.main('POST', '/exports', { Name: 'Done', FileName: 'done.csv', MappingID: m })).body.ID;
  const paused = (await w.main('POST', '/exports', { Name: 'Paused', FileName: 'paused.csv', MappingID: m })).body.ID;
  await w.advance(5000);
  await w.main('PUT', `/exports/${paused}`, { Status: 'Paused' });
  await w.main('POST', `/exports/${paused}/filters`, { FilterList: [{ Type: 'LastDays', Value: 30 }] });
  const rec = (await w.main('POST', `/exports/${paused}/recipients`, { Type: 'Email', Value: 'ops@example.com' })).body.ID;
  const job = (await w.main('GET', `/exports/${done}`)).body.LastJob.ID;
  await w.main('POST', '/files/accounts/in/notes.txt?ApplicationID=1', { Content: 'hello' });
  return { w, real: { ExportID: paused, MappingID: m, ColumnID: col, FilterID: 'LastDays', RecipientID: rec, JobID: job, Path: 'in/notes.txt' } as Record<string, string | number>, done };
}

describe('random requests: dolist exports area', () => {
  it('has its 36 operations', () => {
    expect(ops).toHaveLength(36);
  });

  it.each(ops.map((op, i) => [op.operationId, op, i] as const))('%s: no 5xx, declared answers, refusals change nothing', async (_id, op: OperationInfo, i) => {
    const { w, real, done } = await world(i);
    const params = paramSchemas(spec, op);
    const query: Record<string, fc.Arbitrary<unknown>> = {};
    for (const p of params.filter((x) => x.in === 'query')) query[p.name] = arbitrary(p.schema, { maxString: 12 });
    const draw = fc.record({
      body: op.bodySchema ? arbitrary(op.bodySchema, { nulls: true, maxString: 16 }) : fc.constant(undefined),
      query: fc.record(query, { requiredKeys: [] }),
      ownAccount: fc.nat({ max: 9 }).map((n) => n > 0),
      missing: fc.nat({ max: 5 }).map((n) => n === 0),
      doneExport: fc.boolean(),
    });
    let sent = 0;
    for (const d of fc.sample(draw, { seed: seedOf(SEED, op.operationId), numRuns: RUNS * 6 })) {
      if (sent >= RUNS) break;
      const path: Record<string, string | number> = {};
      for (const p of params.filter((x) => x.in === 'path')) path[p.name] = d.missing ? missingValue(p.schema, p.name) : p.name === 'ExportID' && (d.doneExport || op.operationId === 'getExportJobFile') ? done : real[p.name];
      const q: Record<string, unknown> = { ...(d.query as Record<string, unknown>) };
      if (d.ownAccount) q.AccountID = 10001;
      if ('ApplicationID' in q || params.some((p) => p.name === 'ApplicationID' && p.required)) q.ApplicationID = q.ApplicationID ?? 1;
      if ((await requestErrors(spec, op, { path, query: q, body: d.body })).length) continue;
      sent++;
      const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString();
      const url = `${fillPath(op, path).replace(/%2F/gi, '/')}?${qs}`.slice(DOL.length);
      const before = await c.sim('GET', `/workspaces/${w.id}/snapshot`);
      const r = await w.main(op.method, url, d.body);
      const what = `${op.operationId} ${url} body=${JSON.stringify(d.body)}`;
      tally.set(op.operationId, [...(tally.get(op.operationId) ?? []), r.status]);
      expect(r.status, `${what}: ${r.text}`).toBeLessThan(500);
      if (r.status >= 400) expect(await c.sim('GET', `/workspaces/${w.id}/snapshot`), `${what} answered ${r.status} but changed the workspace`).toEqual(before);
    }
    expect(sent, `${op.operationId}: no draw passed the request validators`).toBeGreaterThan(0);
  });
});
