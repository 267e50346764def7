// Random schema-valid writes to every write operation of every implemented API. For each POST, PUT,
// PATCH and DELETE, fast-check (fixed seed) draws request bodies from the operation's request schema
// (nullable values included) and values for its declared query parameters; half of the bodies have
// their references pointed at real records (see worlds.ts), path parameters name real records (now
// and then ids that do not exist). Only requests the operation's own validators accept are sent,
// one after another, to a fresh world per operation. No answer may be a 5xx, every answer is checked
// against the spec by helpers.ts (declared status, matching body), and every answer >= 400 must
// leave the workspace snapshot exactly as it was just before the request.
// The operations driven and the distribution of statuses are printed at the end.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonSchema, LoadedSpec, OperationInfo } from '../src/core/spec.js';
import { startApp, type Client } from './helpers.js';
import { arbitrary, fillPath, requestErrors, missingValue, seedOf } from './schema-values.js';
import { additivWorld, cleverWorld, paramSchemas, printFuzzReport, synWorld, type Ids, type Tally, type World } from './worlds.js';

const SEED = Number(process.env.FZ_SEED ?? 20261203);
/** Requests sent per operation. */
const RUNS = Number(process.env.FZ_RUNS ?? 10);
/** Candidates drawn per operation to find RUNS the validators accept. */
const CANDIDATES = RUNS * 6;
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const c: Client = await startApp();
const tally: Tally[] = [];
const starved: string[] = [];

afterAll(async () => {
  await c.close();
  printFuzzReport('fuzz-writes', 'write', SEED, tally, starved);
});

/** The spec's DateTimeInput (Syniverse): ISO timestamps or epoch ms, mostly in the workspace's future. */
const timeArb = fc.oneof(
  fc.date({ min: new Date('2025-06-01T00:00:00Z'), max: new Date('2028-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.integer({ min: Date.parse('2025-06-01T00:00:00Z'), max: Date.parse('2028-01-01T00:00:00Z') }),
);

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const gsm = fc.integer({ min: 0, max: 99_999_999 }).map((n) => `+336${pad(n, 8)}`);
const mail = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), fc.constantFrom('example.com', 'x.fr')).map(([a, d]) => `${a}@${d}`);
const listOf = (a: fc.Arbitrary<string>) => fc.oneof(a, fc.array(a, { minLength: 1, maxLength: 3 }).map((l) => l.join(',')), fc.array(a, { minLength: 1, maxLength: 3 }));
/** Clever's `Y-m-d H:i:s` (Europe/Paris), around the worlds' clock: past (sent at once) or future (deferred). */
const parisTime = fc
  .date({ min: new Date('2025-12-01T00:00:00Z'), max: new Date('2026-03-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 19).replace('T', ' '));
/** Realistic Clever values for fields whose random strings are always refused early (addresses, dates, criteria). */
const REALISTIC: Record<string, fc.Arbitrary<unknown>> = {
  number_list: listOf(gsm),
  email_list: listOf(mail),
  hd_send: parisTime,
  gsmPrimary: gsm,
  gsmSecondary: gsm,
  gsm_primary: gsm,
  gsm_secondary: gsm,
  telephone: gsm,
  email: mail,
  criteria: fc
    .array(
      fc.tuple(fc.constantFrom('diffusion', 'city', 'name', 'last_name', 'lastName', 'zipCode', 'email', 'nosuchfield'), fc.constantFrom('=', '!='), fc.constantFrom('on', 'off', "'a'", '"b"', 'Paris', '')),
      { minLength: 1, maxLength: 3 },
    )
    .chain((terms) => fc.array(fc.constantFrom(' and ', ' OR '), { minLength: terms.length - 1, maxLength: terms.length - 1 }).map((ops) => terms.map((t, i) => (i ? ops[i - 1] : '') + t.join('')).join(''))),
  predefined_message: fc.constantFrom(0, '0'),
};



interface Draw {
  body: unknown;
  linked: boolean;
  missing: boolean;
  query: Record<string, string>;
}

function drawsOf(spec: LoadedSpec, op: OperationInfo): Draw[] {
  const bySchema = new Map<JsonSchema, fc.Arbitrary<unknown>>();
  if (spec.schemas.DateTimeInput) bySchema.set(spec.schemas.DateTimeInput, timeArb);
  // Half the bodies purely random, half with realistic addresses and dates.
  const body = op.bodySchema
    ? fc.oneof(arbitrary(op.bodySchema, { bySchema, nulls: true, maxString: 20 }), arbitrary(op.bodySchema, { bySchema, maxString: 20, overrides: spec.id === 'clever' ? REALISTIC : {} }))
    : fc.constant(undefined);
  const queryModel: Record<string, fc.Arbitrary<string>> = {};
  const requiredQuery: string[] = [];
  for (const p of paramSchemas(spec, op).filter((x) => x.in === 'query')) {
    queryModel[p.name] = arbitrary(p.schema, { maxString: 12 }).map((v) => (Array.isArray(v) ? v.join(',') : String(v)));
    if (p.required) requiredQuery.push(p.name);
  }
  const query = fc.record(queryModel, { requiredKeys: requiredQuery }) as fc.Arbitrary<Record<string, string>>;
  const draw = fc.record({ body, linked: fc.boolean(), missing: fc.nat({ max: 7 }).map((n) => n === 0), query });
  return fc.sample(draw, { seed: seedOf(SEED, op.operationId), numRuns: CANDIDATES }) as Draw[];
}

async function drive(api: 'syniverse' | 'clever' | 'additiv', op: OperationInfo, n: number) {
  const spec = c.app.specs.get(api)!;
  const world: World = api === 'syniverse' ? await synWorld(c, `fz-syn-${n}`) : api === 'clever' ? await cleverWorld(c, `fz-clever-${n}`) : await additivWorld(c, `fz-additiv-${n}`);
  const real = world.real(op);
  const missing: Ids = {};
  for (const p of paramSchemas(spec, op).filter((x) => x.in === 'path')) missing[p.name] = missingValue(p.schema, p.name);
  let sent = 0;
  for (const d of drawsOf(spec, op)) {
    if (sent >= RUNS) break;
    const params = op.pathParams.length && (d.missing || !real) ? missing : (real ?? {});
    let body = d.body;
    // A query's sender id names a real one in the linked half (a random one is just not found).
    const query = d.linked && 'sender_id' in d.query ? { ...d.query, sender_id: 'sender-default-longcode' } : d.query;
    if (d.linked && body !== undefined) {
      const linked = world.link?.(op, body);
      if (linked !== undefined && !(await requestErrors(spec, op, { path: params, query, body: linked })).length) body = linked;
    }
    if ((await requestErrors(spec, op, { path: params, query, body })).length) continue;
    sent++;
    const what = () => `${op.operationId} ${fillPath(op, params)} query=${JSON.stringify(query)} body=${JSON.stringify(body)}`;
    const before = await c.sim('GET', `/workspaces/${world.ws}/snapshot`);
    let r;
    try {
      r = await world.send(op, fillPath(op, params), body, query);
    } catch (e) {
      throw new Error(`${what()}: ${(e as Error).message}`);
    }
    tally.push({ api, op: op.operationId, status: r.status });
    if (process.env.FZ_DEBUG) console.log(what(), '->', r.status, r.text.slice(0, 200));
    expect(r.status, `${what()}: ${r.text}`).toBeLessThan(500);
    if (r.status >= 400) {
      const after = await c.sim('GET', `/workspaces/${world.ws}/snapshot`);
      expect(after, `${what()} answered ${r.status} (${r.text}) but changed the workspace`).toEqual(before);
    }
  }
  if (!sent) starved.push(`${api} ${op.operationId}`);
  return sent;
}

for (const api of ['syniverse', 'clever', 'additiv'] as const) {
  const ops = c.app.specs.get(api)!.operations.filter((o) => WRITE.has(o.method));
  describe(`random writes: ${api}`, () => {
    it('has its write operations', () => {
      expect(ops.length).toBeGreaterThan(api === 'syniverse' ? 60 : 15);
    });
    it.each(ops.map((op, i) => [op.operationId, op, i] as const))('%s: no 5xx, declared answers, refusals change nothing', async (_id, op, i) => {
      await drive(api, op, i);
    });
  });
}
