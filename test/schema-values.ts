// Values from the specs' JSON schemas (OpenAPI 3.0, dereferenced by loadSpec): a deterministic
// example (required fields only, or every field) and a fast-check arbitrary. Enough of JSON
// Schema for the specs of this project: type/nullable, enum, formats (date-time, date, email,
// binary), patterns (fast-check's stringMatching, else a few known shapes), length and range
// bounds, arrays, objects with required fields, allOf (merged) and anyOf/oneOf (typed branches,
// and branches that only add required fields). Values are checked against the operations' own
// request validators by the callers.
import fc from 'fast-check';
import type { JsonSchema, LoadedSpec, OperationInfo } from '../src/core/spec.js';

/** Strings tried, in order, when a pattern cannot be generated from (lookaheads, ...). */
const PATTERN_FALLBACKS = ['A1bcdefg', '+33600000001', 'x', 'abc', 'a@example.com', '12', '1', 'OPTOUT', 'name'];

/** The object view of a schema: properties and required fields merged over allOf and required-only branches. */
export function objectView(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } {
  const properties: Record<string, JsonSchema> = {};
  const required = new Set<string>();
  const visit = (s: JsonSchema | undefined) => {
    if (!s || typeof s !== 'object') return;
    for (const part of s.allOf ?? []) visit(part);
    Object.assign(properties, s.properties ?? {});
    for (const r of s.required ?? []) required.add(r);
    // A branch list that only adds required fields: take the first branch's.
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches: JsonSchema[] = s[key] ?? [];
      if (branches.length && branches.every((b) => !b.type && !b.properties && Array.isArray(b.required))) for (const r of branches[0].required) required.add(r);
      else if (branches.length && branches.every((b) => !b.type && (b.anyOf || b.oneOf || b.allOf))) branches.forEach(visit);
    }
  };
  visit(schema);
  return { properties, required: [...required] };
}

/** The branch a deterministic example takes: the first typed, non-null one. */
function typedBranches(schema: JsonSchema): JsonSchema[] {
  const branches: JsonSchema[] = schema.anyOf ?? schema.oneOf ?? [];
  return branches.filter((b) => b.type !== 'null' && (b.type || b.properties || b.items || b.enum || b.anyOf || b.oneOf || b.allOf));
}

function typeOf(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t: string) => t !== 'null');
  if (s.type) return s.type;
  if (s.properties || s.allOf?.some((p: JsonSchema) => p.properties)) return 'object';
  if (s.items) return 'array';
  return undefined;
}

function patternOf(s: JsonSchema): RegExp | undefined {
  if (!s.pattern) return undefined;
  try {
    return new RegExp(s.pattern, 'u');
  } catch {
    return new RegExp(s.pattern);
  }
}

function lengthOk(v: string, s: JsonSchema): boolean {
  const n = [...v].length;
  return n >= (s.minLength ?? 0) && n <= (s.maxLength ?? Infinity);
}

function patternString(s: JsonSchema, seed: number): string {
  const re = patternOf(s)!;
  try {
    for (const v of fc.sample(fc.stringMatching(re), { seed, numRuns: 50 })) if (lengthOk(v, s) && re.test(v)) return v;
  } catch {
    /* not generable: fall back */
  }
  const hit = PATTERN_FALLBACKS.find((v) => re.test(v) && lengthOk(v, s));
  if (hit === undefined) throw new Error(`no example for pattern ${s.pattern}`);
  return hit;
}

function stringExample(s: JsonSchema, seed: number): string {
  switch (s.format) {
    case 'date-time':
      return '2026-01-06T10:00:00Z';
    case 'date':
      return '1990-05-17';
    case 'email':
      return 'someone@example.com';
    case 'uuid':
      return '497f6eca-6276-4993-bfeb-53cbbbba6f08';
    case 'uri':
    case 'url':
      return 'https://example.com/x';
    case 'binary':
      return 'x';
  }
  if (s.pattern) return patternString(s, seed);
  const min = s.minLength ?? 1;
  return 'x'.repeat(Math.max(1, min)).slice(0, s.maxLength ?? Infinity) || 'x';
}

/**
 * A deterministic schema-valid value: `required` mode writes the required object fields only,
 * `full` mode every field (nested objects too).
 */
export function example(schema: JsonSchema | undefined, mode: 'required' | 'full' = 'required', seed = 1, depth = 0): unknown {
  if (!schema || depth > 8) return {};
  if (schema.enum) return schema.enum.find((v: unknown) => v !== null) ?? null;
  if ('const' in schema) return schema.const;
  if ('example' in schema && schema.example !== undefined && typeOf(schema) !== 'object' && typeOf(schema) !== 'array') {
    // Spec examples are usually the most meaningful scalar (phone numbers, ids) - keep them when valid.
    const e = schema.example;
    if (typeof e === 'string' && (!schema.pattern || patternOf(schema)!.test(e)) && lengthOk(e, schema)) return e;
    if (typeof e === 'number' || typeof e === 'boolean') return e;
  }
  const type = typeOf(schema);
  if (!type) {
    const branches = typedBranches(schema);
    if (branches.length) {
      // An object-level allOf next to the branch list applies to the chosen branch as well.
      const extra = schema.allOf ? { allOf: schema.allOf } : {};
      return example({ ...branches[0], ...extra, ...(branches[0].type === 'array' && schema.items ? { items: schema.items, minItems: schema.minItems } : {}) }, mode, seed, depth + 1);
    }
    if (schema.allOf) return example({ type: 'object', allOf: schema.allOf }, mode, seed, depth + 1);
    return 'x';
  }
  switch (type) {
    case 'string':
      return stringExample(schema, seed);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : undefined);
      const max = schema.maximum;
      let v = min ?? 1;
      if (max !== undefined && v > max) v = max;
      return v;
    }
    case 'boolean':
      return false;
    case 'array': {
      const n = Math.max(schema.minItems ?? 0, mode === 'full' ? 1 : 0);
      return Array.from({ length: n }, (_, i) => example(schema.items ?? { type: 'string' }, mode, seed + i, depth + 1));
    }
    case 'object': {
      const { properties, required } = objectView(schema);
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(properties)) {
        if (p.readOnly) continue;
        if (mode === 'full' || required.includes(k)) out[k] = example(p, mode, seed, depth + 1);
      }
      for (const k of required) if (!(k in out)) out[k] = 'x';
      return out;
    }
  }
  return null;
}

export interface ArbOptions {
  /** Arbitraries for named properties (at any depth), replacing the schema's. */
  overrides?: Record<string, fc.Arbitrary<unknown>>;
  /** Properties never written. */
  omit?: string[];
  /** Properties always written (beyond the schema's required ones). */
  require?: string[];
  /** Offer null for nullable values. */
  nulls?: boolean;
  /** Schemas (by identity) with their own arbitrary, e.g. the spec's DateTimeInput. */
  bySchema?: Map<JsonSchema, fc.Arbitrary<unknown>>;
  maxString?: number;
}

/** A fast-check arbitrary of schema-valid values. */
export function arbitrary(schema: JsonSchema | undefined, o: ArbOptions = {}, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant({});
  const own = o.bySchema?.get(schema);
  if (own) return own;
  const nullable = (a: fc.Arbitrary<unknown>) => (o.nulls && schema.nullable ? fc.oneof(a, fc.constant(null)) : a);
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]).filter((v) => v !== null || (o.nulls ?? false)));
  const type = typeOf(schema);
  if (!type) {
    const branches = typedBranches(schema);
    if (branches.length) return fc.oneof(...branches.map((b) => arbitrary(b, o, depth + 1)));
    return fc.constant('x');
  }
  switch (type) {
    case 'string': {
      if (schema.format === 'date-time') return nullable(fc.date({ min: new Date('2026-01-06T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()));
      if (schema.format === 'date') return nullable(fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
      if (schema.format === 'uuid') return nullable(fc.uuid({ version: 4 }));
      if (schema.format === 'email') return nullable(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.constantFrom('example.com', 'x.fr')).map(([a, d]) => `${a}@${d}`));
      const re = patternOf(schema);
      const maxLength = Math.min(schema.maxLength ?? Infinity, o.maxString ?? 24);
      const minLength = schema.minLength ?? 0;
      if (re) {
        let a: fc.Arbitrary<string>;
        try {
          fc.sample(fc.stringMatching(re), { seed: 1, numRuns: 1 });
          a = fc.stringMatching(re).filter((v) => re.test(v) && lengthOk(v, { ...schema, maxLength: schema.maxLength }));
        } catch {
          a = fc.constant(patternString(schema, 1));
        }
        return nullable(a);
      }
      return nullable(fc.string({ minLength, maxLength: Math.max(minLength, maxLength) }));
    }
    case 'integer':
      return nullable(fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 }));
    case 'number':
      return nullable(fc.integer({ min: Math.ceil(schema.minimum ?? -1000), max: Math.floor(schema.maximum ?? 100_000) }));
    case 'boolean':
      return nullable(fc.boolean());
    case 'array':
      return nullable(fc.array(arbitrary(schema.items ?? { type: 'string' }, o, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) }));
    case 'object': {
      const { properties, required } = objectView(schema);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, p] of Object.entries(properties)) {
        if (p.readOnly || o.omit?.includes(k)) continue;
        model[k] = o.overrides?.[k] ?? arbitrary(p, o, depth + 1);
      }
      if (!Object.keys(model).length) return nullable(fc.constant({}));
      return nullable(fc.record(model, { requiredKeys: [...new Set([...required, ...(depth === 0 ? o.require ?? [] : [])])].filter((k) => k in model) }));
    }
  }
  return fc.constant(null);
}

/** Validates a request the way the router does; returns the validators' errors (empty when valid). */
export async function requestErrors(spec: LoadedSpec, op: OperationInfo, data: { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown }): Promise<unknown[]> {
  const validators = await spec.requestValidators(op.operationId);
  const input: Record<string, unknown> = { path: { ...(data.path ?? {}) }, query: { ...(data.query ?? {}) }, header: {}, cookie: {} };
  if (data.body !== undefined) input.requestBody = data.body;
  const errors: unknown[] = [];
  for (const v of validators) if (!v(structuredClone(input)) && v.errors) errors.push(...v.errors);
  return errors;
}

/** Fills a path template with values. */
export function fillPath(op: OperationInfo, params: Record<string, string | number>): string {
  return op.fullPath.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(String(params[name])));
}

/** A stable per-operation seed from a suite seed, so adding an operation does not reshuffle the others. */
export function seedOf(base: number, id: string): number {
  let h = base;
  for (const ch of id) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

/** A value of a parameter's schema that names nothing that exists. */
export function missingValue(schema: JsonSchema | undefined, name: string): string | number {
  if (schema?.type === 'integer' || schema?.type === 'number') return Math.min(987654, schema.maximum ?? 987654);
  const v = `nosuch-${name.toLowerCase()}`;
  return schema?.maxLength !== undefined ? v.slice(0, schema.maxLength) : v;
}
