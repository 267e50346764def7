// Random schema-valid reads of every GET operation of every implemented API. For each GET,
// fast-check (fixed seed) draws a few of the operation's declared query parameters at a time
// (paging at its bounds, sort on known, unknown and signed attribute names, filters with real
// values, random strings, empty strings, dates in several spellings, booleans) and points path
// parameters at real records (now and then at ids that do not exist). Only requests the
// operation's own validators accept are sent, one after another, to one world per API (reads share
// it: none may change it). No answer may be a 5xx, every answer is checked against the spec by
// helpers.ts (declared status, matching body), and the workspace snapshot, taken once before the
// reads, must be unchanged after every 5th request and after each operation.
// The operations driven and the distribution of statuses are printed at the end.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonSchema, LoadedSpec, OperationInfo } from '../src/core/spec.js';
import { startApp, type Client } from './helpers.js';
import { arbitrary, fillPath, objectView, requestErrors, missingValue, seedOf } from './schema-values.js';
import { additivWorld, cleverWorld, paramSchemas, printFuzzReport, synWorld, type Ids, type Tally, type World } from './worlds.js';

const SEED = Number(process.env.FZ_SEED ?? 20261203);
/** Requests sent per operation. */
const RUNS = Number(process.env.FZ_RUNS ?? 12);
/** Candidates drawn per operation to find RUNS the validators accept. */
const CANDIDATES = RUNS * 6;
/** Compare the snapshot after every n-th request (and after each operation). */
const SNAP_EVERY = 5;

const c: Client = await startApp();
const tally: Tally[] = [];
const starved: string[] = [];

afterAll(async () => {
  await c.close();
  printFuzzReport('fuzz-reads', 'read', SEED, tally, starved);
});



/** The attribute names of the records an operation answers (a list's items, or the record itself). */
function fieldsOf(op: OperationInfo): string[] {
  const s: JsonSchema | undefined = op.raw.responses?.['200']?.content?.['application/json']?.schema;
  if (!s) return [];
  const { properties } = objectView(s);
  for (const p of Object.values(properties)) if (p?.type === 'array' && p.items) return Object.keys(objectView(p.items).properties);
  return Object.keys(properties);
}

/** Values that exist in the worlds (see worlds.ts), offered to string filters next to random ones. */
const KNOWN = ['sender-default-longcode', 'class-alerts', 'type-sms-longcode', 'Ann', 'ann', 'tpl', 'PROMO', 'promo', '+15551234600', '+15551234001', 'OPTIN', 'NONE', 'MDN', 'PRIVATE', 'PREPROVISIONED', 'DELIVERED', 'PAUSED', 'ANSWERED', 'COMPLETED', 'CONTACT', 'g', 'TEMPLATE', 'USER', 'INSENSITIVE', 'COMPANY'];
const DATES = fc.oneof(
  fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => String(d.getTime())),
  fc.constantFrom('2026-01-05', '2026-01-05T12:00:00Z', '2026-01-05T12:00:00.000+01:00', '0', '-1', 'not-a-date', '', '2026-13-45T99:99:99Z', '9999999999999999'),
);

function paramArb(spec: LoadedSpec, op: OperationInfo, p: { name: string; schema: JsonSchema }, reals: string[]): fc.Arbitrary<string> {
  const s = p.schema ?? { type: 'string' };
  const str = (a: fc.Arbitrary<unknown>) => a.map((v) => (Array.isArray(v) ? v.join(',') : String(v)));
  if (s.type === 'integer' || s.type === 'number') {
    const edges = [s.minimum, s.maximum, 0, -1, 1, 2, 1001, 2 ** 31, -(2 ** 31)].filter((v): v is number => typeof v === 'number');
    return fc.oneof(str(arbitrary(s)), fc.constantFrom(...edges).map(String));
  }
  if (s.type === 'boolean') return fc.constantFrom('true', 'false');
  if (s.enum) return str(arbitrary(s));
  if (p.name === 'sort') {
    const names = [...fieldsOf(op), 'nosuchfield', 'ID', ''];
    const key = fc.tuple(fc.constantFrom('', '-', '+'), fc.constantFrom(...names)).map(([sign, n]) => sign + n);
    return fc.oneof(key, fc.array(key, { minLength: 1, maxLength: 3 }).map((l) => l.join(',')), fc.constantFrom('', ',', '-', ' id', 'id,,-name'));
  }
  if (s.maxLength === 64 || /(_date|_time|^valid_|_at$)/.test(p.name)) return fc.oneof(DATES, str(arbitrary(s, { maxString: 12 })));
  return fc.oneof(
    { weight: 2, arbitrary: str(arbitrary(s, { maxString: 12 })) },
    { weight: 2, arbitrary: fc.constantFrom(...KNOWN, ...reals) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '%', '*', 'a,b', 'null', 'true', '0', '\u00e9t\u00e9', 'x'.repeat(Math.min(s.maxLength ?? 255, 255))) },
  );
}

interface Draw {
  missing: boolean;
  /** Random path parameter values (ids that do not exist, odd characters included), used when missing. */
  odd: Record<string, string | number> | null;
  query: Record<string, string>;
}

function drawsOf(spec: LoadedSpec, op: OperationInfo, reals: string[]): Draw[] {
  const qp = paramSchemas(spec, op).filter((x) => x.in === 'query');
  const required = qp.filter((p) => p.required).map((p) => p.name);
  const arbs = Object.fromEntries(qp.map((p) => [p.name, paramArb(spec, op, p, reals)]));
  // A few parameters at a time (so filters still match records now and then), required ones always.
  const query: fc.Arbitrary<Record<string, string>> = qp.length
    ? fc
        .subarray(
          qp.map((p) => p.name),
          { maxLength: Math.min(4, qp.length) },
        )
        .chain((names) => {
          const keys = [...new Set([...required, ...names])];
          return fc.record(Object.fromEntries(keys.map((k) => [k, arbs[k]])) as Record<string, fc.Arbitrary<string>>);
        })
    : fc.constant({});
  const pp = paramSchemas(spec, op).filter((x) => x.in === 'path');
  // Not empty, not a dot segment (the URL would name another resource).
  // Names an object already has (a store keyed by a plain object would find them) are offered too.
  const inherited = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'length', '0');
  const segment = (sc: JsonSchema) =>
    fc.oneof(arbitrary(sc, { maxString: 40 }), inherited).filter((v) => String(v) !== '' && String(v) !== '.' && String(v) !== '..') as fc.Arbitrary<string | number>;
  const odd = pp.length ? fc.option(fc.record(Object.fromEntries(pp.map((p) => [p.name, segment(p.schema ?? { type: 'string' })]))), { freq: 2 }) : fc.constant(null);
  const draw = fc.record({ missing: fc.nat({ max: 7 }).map((n) => n === 0), odd, query });
  return fc.sample(draw, { seed: seedOf(SEED ^ 0x5eed, op.operationId), numRuns: CANDIDATES });
}

const worlds = new Map<string, { world: World; before: unknown; extra: Ids }>();

async function worldOf(api: 'syniverse' | 'clever' | 'additiv') {
  let w = worlds.get(api);
  if (!w) {
    const world = api === 'syniverse' ? await synWorld(c, 'fr-syn') : api === 'clever' ? await cleverWorld(c, 'fr-clever') : await additivWorld(c, 'fr-additiv');
    const extra: Ids = {};
    if (api === 'clever') extra.login = 'u1';
    else if (api === 'syniverse') {
      // The world's attachment has no content yet: upload some, so that downloads find it.
      const download = c.app.specs.get(api)!.operations.find((o) => o.operationId === 'downloadAttachmentContent')!;
      const up = await c.req('POST', fillPath(download, world.real(download)!), { body: new TextEncoder().encode('a,b\n1,2\n'), headers: { 'content-type': 'application/octet-stream' } });
      if (up.status !== 200) throw new Error(`upload: ${up.status} ${up.text}`);
    }
    w = { world, before: await c.sim('GET', `/workspaces/${world.ws}/snapshot`), extra };
    worlds.set(api, w);
  }
  return w;
}

async function drive(api: 'syniverse' | 'clever' | 'additiv', op: OperationInfo) {
  const spec = c.app.specs.get(api)!;
  const { world, before, extra } = await worldOf(api);
  const pathParams = paramSchemas(spec, op).filter((x) => x.in === 'path');
  const real: Ids | undefined = pathParams.every((p) => extra[p.name] !== undefined)
    ? Object.fromEntries(pathParams.map((p) => [p.name, extra[p.name]]))
    : world.real(op);
  const missing: Ids = {};
  for (const p of pathParams) missing[p.name] = missingValue(p.schema, p.name);
  const reals = Object.values(real ?? {}).map(String);
  const snapshotUnchanged = async (what: string) => {
    const after = await c.sim('GET', `/workspaces/${world.ws}/snapshot`);
    expect(after, `${what} changed the workspace`).toEqual(before);
  };
  let sent = 0;
  for (const d of drawsOf(spec, op, reals)) {
    if (sent >= RUNS) break;
    const params = op.pathParams.length && (d.missing || !real) ? (d.odd ?? missing) : (real ?? {});
    if ((await requestErrors(spec, op, { path: params, query: d.query })).length) continue;
    sent++;
    const what = () => `${op.operationId} ${fillPath(op, params)} query=${JSON.stringify(d.query)}`;
    let r;
    try {
      r = await world.send(op, fillPath(op, params), undefined, d.query);
    } catch (e) {
      throw new Error(`${what()}: ${(e as Error).message}`);
    }
    tally.push({ api, op: op.operationId, status: r.status });
    if (process.env.FZ_DEBUG) console.log(what(), '->', r.status, r.text.slice(0, 200));
    expect(r.status, `${what()}: ${r.text}`).toBeLessThan(500);
    if (sent % SNAP_EVERY === 0) await snapshotUnchanged(`${what()} (answered ${r.status})`);
  }
  await snapshotUnchanged(`a read of ${op.operationId}`);
  if (!sent) starved.push(`${api} ${op.operationId}`);
  return sent;
}

for (const api of ['syniverse', 'clever', 'additiv'] as const) {
  const ops = c.app.specs.get(api)!.operations.filter((o) => o.method === 'GET');
  describe(`random reads: ${api}`, () => {
    beforeAll(async () => {
      await worldOf(api);
    });
    it('has its read operations', () => {
      expect(ops.length).toBeGreaterThan(api === 'syniverse' ? 40 : 10);
    });
    if (api === 'syniverse') {
      it('checks a literal path against its own operation (`/contacts/fast_access` is no `/contacts/{Contact_ID}`)', async () => {
        const { world } = await worldOf(api);
        const list = ops.find((o) => o.operationId === 'listFastAccessRules')!;
        const r = await world.send(list, list.fullPath, undefined, { offset: '5' });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ list: [], offset: 5, total: expect.any(Number) });
      });
    }
    it.each(ops.map((op) => [op.operationId, op] as const))('%s: no 5xx, declared answers, nothing changes', async (_id, op) => {
      const sent = await drive(api, op);
      expect(sent).toBeGreaterThan(0);
    });
  });
}
