// Request validation helpers: form fields coerced to their schema types, and ajv errors turned
// into one precise, human-readable message.
import type { JsonSchema, OperationInfo } from './spec.js';

export interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, any>;
  schemaPath: string;
}

function typesOf(schema: JsonSchema | undefined): string[] {
  if (!schema) return [];
  if (schema.type) return Array.isArray(schema.type) ? schema.type : [schema.type];
  const alts = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alts)) return alts.flatMap((s: JsonSchema) => typesOf(s));
  if (Array.isArray(schema.allOf)) return schema.allOf.flatMap((s: JsonSchema) => typesOf(s));
  return [];
}

function coerceValue(value: unknown, schema: JsonSchema | undefined): unknown {
  const types = typesOf(schema);
  if (typeof value !== 'string') {
    if (Array.isArray(value) && types.length && !types.includes('array')) return coerceValue(value[value.length - 1], schema);
    return value;
  }
  if (types.includes('string')) return value;
  if (value === '' && (schema?.nullable || types.length === 0)) return null;
  if (types.includes('boolean') && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (types.includes('array')) return value === '' ? [] : value.split(/[;,]/).map((s) => s.trim());
  if (types.includes('object')) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

/** Form-urlencoded values are strings: convert them to the types the body schema declares. */
export function coerceForm(fields: Record<string, unknown>, schema: JsonSchema | undefined): Record<string, unknown> {
  const props: Record<string, JsonSchema> = schema?.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = coerceValue(v, props[k]);
  return out;
}

/** The enum values a schema allows (directly, or in every anyOf/oneOf branch); undefined when it is not an enum. */
function enumOf(schema: JsonSchema | undefined): unknown[] | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  if (Array.isArray(schema.enum)) return schema.enum;
  const alts = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(alts) || !alts.length) return undefined;
  const values: unknown[] = [];
  for (const alt of alts) {
    const e = enumOf(alt);
    if (!e) return undefined;
    values.push(...e);
  }
  return values;
}

/**
 * Vendor SDKs send an empty string for an optional enum they leave unset (`priority: ''`). Such a
 * value stands for "absent": the properties of `value` that are `''`, not required by `schema`, and
 * whose schema is an enum without `''` are dropped, in nested objects too (a request envelope such
 * as `{"datas": {...}}`, arrays of objects). Changed objects are copies; the input is not changed.
 * Anything else, including a value that is not an object, is returned as it is.
 */
export function dropEmptyOptionalEnums<T>(value: T, schema: JsonSchema | undefined): T {
  if (!value || typeof value !== 'object' || !schema || typeof schema !== 'object') return value;
  if (Array.isArray(value)) {
    if (!schema.items || typeof schema.items !== 'object') return value;
    let changed = false;
    const out = value.map((v) => {
      const d = dropEmptyOptionalEnums(v, schema.items);
      if (d !== v) changed = true;
      return d;
    });
    return (changed ? out : value) as T;
  }
  if (!schema.properties) return value;
  const props: Record<string, JsonSchema> = schema.properties;
  const required: unknown[] = Array.isArray(schema.required) ? schema.required : [];
  let out: Record<string, unknown> | undefined;
  const obj = value as Record<string, unknown>;
  // for...in over a parsed body (own properties only): no array of entries per request.
  for (const k in obj) {
    const v = obj[k];
    if (v !== null && typeof v === 'object') {
      const inner = dropEmptyOptionalEnums(v, props[k]);
      if (inner !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = inner;
      continue;
    }
    if (v !== '' || required.includes(k)) continue;
    const allowed = enumOf(props[k]);
    if (!allowed || allowed.includes('')) continue;
    out ??= { ...(value as Record<string, unknown>) };
    delete out[k];
  }
  return (out ?? value) as T;
}

/** The same for declared query parameters (`?state=` on an enum filter is no filter). */
export function dropEmptyEnumParams(query: Record<string, unknown>, schemas: Record<string, JsonSchema>): Record<string, unknown> {
  for (const k of Object.keys(query)) {
    if (query[k] !== '') continue;
    const allowed = enumOf(schemas[k]);
    if (allowed && !allowed.includes('')) delete query[k];
  }
  return query;
}

function fieldOf(path: string): { location: string; field: string } {
  const parts = path.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const head = parts.shift() ?? '';
  const location = head === 'requestBody' ? 'body' : head;
  return { location, field: parts.join('.') };
}

function describeOne(e: AjvError, op: OperationInfo): string {
  const { location, field } = fieldOf(e.instancePath);
  const where = (name: string) => (location === 'body' ? `body field '${name}'` : `${location} parameter '${name}'`);
  switch (e.keyword) {
    case 'required': {
      const missing = e.params.missingProperty as string;
      if (location === 'body' && !field) return `missing required ${where(missing)}`;
      if (location === '' && missing === 'requestBody') return 'a request body is required';
      if (!field) return `missing required ${location} parameter '${missing}'`;
      return `missing required ${where(`${field}.${missing}`)}`;
    }
    case 'enum':
      return `${where(field)} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${where(field || '(root)')} must be ${e.params.type === 'object' ? 'an object' : `of type ${e.params.type}`}`;
    case 'maxLength':
      return `${where(field)} is too long (maximum ${e.params.limit} characters)`;
    case 'minLength':
      return `${where(field)} must not be empty` + (e.params.limit > 1 ? ` (minimum ${e.params.limit} characters)` : '');
    case 'format':
      return `${where(field)} must be a valid ${e.params.format}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${where(field)} ${e.message}`;
    case 'additionalProperties':
      return `${location === 'body' ? 'body' : location} has an unknown property '${e.params.additionalProperty}'`;
    case 'pattern':
      return `${where(field)} has an invalid format`;
    default:
      return `${where(field || '(root)')} ${e.message ?? 'is invalid'}` + (op ? '' : '');
  }
}

/**
 * One message for a list of ajv errors. anyOf failures are reported once per field with the
 * accepted types instead of one line per branch; an anyOf whose branches only require properties
 * (aliases such as `lastName` | `lastname` | `last_name`) names the missing ones and their
 * alternatives. Errors beside an anyOf at the same place, but outside its branches, are reported too.
 */
/**
 * What kind of mistake a validation failure is, for vendors whose error codes tell them apart
 * (e.g. Syniverse's SCG_ERROR_4001 missing, 4002 wrong type or format, 4004 unknown parameter).
 */
export type InvalidReason = 'missing' | 'format' | 'unknown';

function reasonOf(e: AjvError): InvalidReason {
  if (e.keyword === 'required') return 'missing';
  if (e.keyword === 'additionalProperties') return 'unknown';
  return 'format';
}

export function describeAjvErrors(errors: AjvError[], op: OperationInfo): { message: string; tooLong: boolean; field?: string; reason: InvalidReason } {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const anyOfPaths = new Set(alternatives.map((e) => e.instancePath));
  /** The errors of the branches of one anyOf/oneOf error (same place, schema path under it). */
  const branchesOf = (a: AjvError) =>
    errors.filter((x) => x !== a && x.instancePath === a.instancePath && (!a.schemaPath || !x.schemaPath || x.schemaPath.startsWith(`${a.schemaPath}/`)));
  const inBranch = (e: AjvError) => alternatives.some((a) => a !== e && a.instancePath === e.instancePath && (!a.schemaPath || !e.schemaPath || e.schemaPath.startsWith(`${a.schemaPath}/`)));
  const parts: string[] = [];
  const seen = new Set<string>();
  let tooLong = false;
  let firstField: string | undefined;
  let reason: InvalidReason | undefined;
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    let text: string;
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && inBranch(e)) {
      if (e.keyword === 'maxLength') tooLong = true;
      continue;
    }
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const { location, field } = fieldOf(e.instancePath);
      const branches = branchesOf(e);
      if (branches.length && branches.every((x) => x.keyword === 'required')) {
        text = describeRequiredAlternatives(e, branches, location, field);
        // At the top of the body there is no object to name: name the first spelling asked for
        // (`lastName` of lastName | last_name), as a missing required field names itself.
        const missing = String(branches[0].params.missingProperty ?? '');
        if (firstField === undefined && !field && missing) firstField = missing;
      } else {
        const types = [...new Set(errors.filter((x) => x.instancePath === e.instancePath && x.keyword === 'type').map((x) => String(x.params.type)))];
        const lengthIssue = errors.some((x) => x.instancePath === e.instancePath && x.keyword === 'maxLength');
        const name = location === 'body' ? `body field '${field}'` : `${location} parameter '${field}'`;
        text = lengthIssue ? `${name} is too long` : `${name} must be ${types.length ? types.join(' or ') : 'valid'}`;
      }
    } else {
      if (e.keyword === 'maxLength') tooLong = true;
      text = describeOne(e, op);
    }
    if (firstField === undefined) firstField = fieldOf(e.instancePath).field || (e.params.missingProperty as string | undefined);
    // An alternative of required fields (anyOf of `required`) is a missing field too.
    reason ??= (e.keyword === 'anyOf' || e.keyword === 'oneOf') && branchesOf(e).every((x) => x.keyword === 'required') && branchesOf(e).length ? 'missing' : reasonOf(e);
    if (!seen.has(text)) {
      seen.add(text);
      parts.push(text);
    }
  }
  const onlyLength = tooLong && errors.every((e) => e.keyword === 'maxLength' || e.keyword === 'anyOf' || (anyOfPaths.has(e.instancePath)));
  return { message: parts.join('; ') || 'invalid request', tooLong: onlyLength, field: firstField, reason: reason ?? 'format' };
}

/** "missing required body field 'datas.lastName' (or 'datas.lastname', or 'datas.last_name')". */
function describeRequiredAlternatives(a: AjvError, branches: AjvError[], location: string, field: string): string {
  const groups = new Map<string, string[]>();
  for (const b of branches) {
    const key = a.schemaPath && b.schemaPath ? b.schemaPath.slice(a.schemaPath.length + 1).split('/')[0] : String(groups.size);
    const name = field ? `${field}.${b.params.missingProperty}` : String(b.params.missingProperty);
    groups.set(key, [...(groups.get(key) ?? []), `'${name}'`]);
  }
  const [first, ...rest] = [...groups.values()];
  const what = location === 'body' ? 'body field' : `${location} parameter`;
  const head = `missing required ${what}${first.length > 1 ? 's' : ''} ${first.join(' + ')}`;
  return rest.length ? `${head} (${rest.map((g) => `or ${g.join(' + ')}`).join(', ')})` : head;
}
