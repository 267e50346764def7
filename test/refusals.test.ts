// Every write operation of every implemented API, driven from its spec: for each POST, PUT, PATCH
// and DELETE a schema-valid request is built from the operation's request schema (required
// fields, then every field; enums, formats, patterns, bounds - see schema-values.ts), checked
// against the operation's own request validators, and sent with its path parameters pointing at
// ids that do not exist and at real ones created first. No answer may be a 5xx, and every answer
// >= 400 must leave the workspace snapshot exactly as it was (nothing in a snapshot changes with
// a request as such: the request journal is memory-only and outside it).
// The operations driven and the distribution of statuses are printed at the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedSpec, OperationInfo } from '../src/core/spec.js';
import { startApp, type Client } from './helpers.js';
import { example, fillPath, requestErrors } from './schema-values.js';
import { additivWorld, cleverWorld, paramSchemas, synWorld, type Ids, type World } from './worlds.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Tallies for the report. */
const tally: Array<{ api: string; op: string; variant: string; status: number }> = [];

afterAll(async () => {
  await c.close();
  const byStatus = new Map<number, number>();
  for (const t of tally) byStatus.set(t.status, (byStatus.get(t.status) ?? 0) + 1);
  const ops = new Map<string, string[]>();
  for (const t of tally) ops.set(`${t.api} ${t.op}`, [...(ops.get(`${t.api} ${t.op}`) ?? []), `${t.variant}=${t.status}`]);
  const lines = [...ops].map(([op, v]) => `  ${op}: ${v.join(' ')}`);
  console.log(
    [
      `refusals: ${tally.length} requests over ${ops.size} write operations`,
      `status distribution: ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}x${n}`).join(' ')}`,
      ...lines,
    ].join('\n'),
  );
});

/** A nonexistent value for a path parameter, valid for its schema. */
function missingValue(schema: Record<string, any> | undefined, name: string): string | number {
  if (schema?.type === 'integer' || schema?.type === 'number') return Math.min(987654, schema.maximum ?? 987654);
  const v = `nosuch-${name.toLowerCase()}`;
  return schema?.maxLength !== undefined ? v.slice(0, schema.maxLength) : v;
}

interface Variant {
  name: string;
  params: Ids;
  body: unknown;
}

function variantsOf(spec: LoadedSpec, op: OperationInfo, world: World): Variant[] {
  const ps = paramSchemas(spec, op);
  const missing: Ids = {};
  for (const p of ps.filter((x) => x.in === 'path')) missing[p.name] = missingValue(p.schema, p.name);
  const body = (mode: 'required' | 'full') => (op.bodySchema ? example(op.bodySchema, mode) : undefined);
  const out: Variant[] = [];
  const real = world.real(op);
  if (op.pathParams.length) {
    out.push({ name: 'missing', params: missing, body: body('required') });
    if (real && op.pathParams.length > 1) out.push({ name: 'missing-child', params: { ...real, [op.pathParams.at(-1)!]: missing[op.pathParams.at(-1)!] }, body: body('required') });
  }
  if (real || !op.pathParams.length) {
    out.push({ name: 'real', params: real ?? {}, body: body('required') });
    if (op.bodySchema) out.push({ name: 'real-full', params: real ?? {}, body: body('full') });
    const linked = op.bodySchema ? world.link?.(op, body('full')) : undefined;
    if (linked !== undefined) out.push({ name: 'linked', params: real ?? {}, body: linked });
  }
  return out;
}

async function drive(api: 'syniverse' | 'clever' | 'additiv') {
  const spec = c.app.specs.get(api)!;
  const ops = spec.operations.filter((o) => WRITE.has(o.method));
  expect(ops.length).toBeGreaterThan(api === 'syniverse' ? 60 : 15);
  let n = 0;
  for (const op of ops) {
    const make = () => (api === 'syniverse' ? synWorld(c, `rf-${api}-${++n}`) : api === 'clever' ? cleverWorld(c, `rf-${api}-${++n}`) : additivWorld(c, `rf-${api}-${++n}`));
    const probe = await make();
    const names = variantsOf(spec, op, probe).map((v) => v.name);
    expect(names.length, op.operationId).toBeGreaterThan(0);
    for (const [i, name] of names.entries()) {
      // Each variant on a fresh world: a success of the previous one (a delete) must not leak in.
      const world = i === 0 ? probe : await make();
      const v = variantsOf(spec, op, world).find((x) => x.name === name)!;
      const query: Record<string, string> = {};
      for (const p of paramSchemas(spec, op).filter((x) => x.in === 'query' && x.required)) {
        query[p.name] = p.name === 'sender_id' ? 'sender-default-longcode' : String(example(p.schema));
      }
      const errors = await requestErrors(spec, op, { path: v.params, query, body: v.body });
      expect(errors, `${op.operationId} ${v.name}: the generated request is not schema-valid: ${JSON.stringify(v.body)}`).toEqual([]);
      const before = await c.sim('GET', `/workspaces/${world.ws}/snapshot`);
      const r = await world.send(op, fillPath(op, v.params), v.body, query);
      tally.push({ api, op: op.operationId, variant: v.name, status: r.status });
      if (process.env.RF_DEBUG && r.status >= 400) console.log(op.operationId, v.name, fillPath(op, v.params), r.status, r.text.slice(0, 300));
      expect(r.status, `${op.operationId} ${v.name}: ${r.text}`).toBeLessThan(500);
      if (r.status >= 400) {
        const after = await c.sim('GET', `/workspaces/${world.ws}/snapshot`);
        expect(after, `${op.operationId} ${v.name} answered ${r.status} but changed the workspace`).toEqual(before);
      }
    }
  }
}

describe('refused writes change nothing and nothing answers 5xx', () => {
  it('Syniverse: every POST/PUT/PATCH/DELETE', async () => {
    await drive('syniverse');
  });
  it('Clever: every POST/PUT/PATCH/DELETE', async () => {
    await drive('clever');
  });
  it('additiv: every POST/PUT/PATCH/DELETE', async () => {
    await drive('additiv');
  });
});
