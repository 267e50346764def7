// The shape of a resource, read from its schema: attributes in schema order and the kind of
// each (what conversions a written value gets, how a filter compares it).
import type { JsonSchema } from '../spec.js';

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'stringArray' | 'objectArray' | 'array' | 'object' | 'any';

export interface ResourceShape {
  /** Output attributes in schema order. */
  fields: string[];
  kinds: Map<string, FieldKind>;
  /** Legacy views (kept for callers that test membership). */
  dateFields: Set<string>;
  arrayFields: Set<string>;
  numberFields: Set<string>;
  integerFields: Set<string>;
  booleanFields: Set<string>;
}

/** The first concrete schema of an allOf/anyOf/oneOf (nullable wrappers included). */
function concrete(s: JsonSchema | undefined): JsonSchema {
  let cur: JsonSchema = s ?? {};
  for (let i = 0; i < 5; i++) {
    if (cur.type || cur.properties || cur.items) return cur;
    const next = cur.allOf?.[0] ?? cur.anyOf?.find((x: JsonSchema) => x.type !== 'null') ?? cur.oneOf?.[0];
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

export function kindOf(schema: JsonSchema | undefined): FieldKind {
  const s = concrete(schema);
  const t = Array.isArray(s.type) ? s.type.find((x: string) => x !== 'null') : s.type;
  switch (t) {
    case 'string':
      return s.format === 'date-time' ? 'date' : 'string';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const it = concrete(s.items);
      const itType = Array.isArray(it.type) ? it.type[0] : it.type;
      if (itType === 'object' || it.properties) return 'objectArray';
      if (itType === 'string' || itType === undefined) return 'stringArray';
      return 'array';
    }
    case 'object':
      return 'object';
    default:
      return s.properties ? 'object' : 'any';
  }
}

/** Properties of a schema, allOf parts merged (in order). */
export function propertiesOf(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  if (!schema) return {};
  const out: Record<string, JsonSchema> = {};
  for (const part of schema.allOf ?? []) Object.assign(out, propertiesOf(part));
  Object.assign(out, schema.properties ?? {});
  return out;
}

export function shapeOf(schema: JsonSchema | undefined, extra: Record<string, FieldKind> = {}): ResourceShape {
  const props = propertiesOf(schema);
  const kinds = new Map<string, FieldKind>();
  for (const [k, s] of Object.entries(props)) kinds.set(k, kindOf(s));
  for (const [k, kind] of Object.entries(extra)) kinds.set(k, kind);
  return shapeFromKinds(kinds);
}

/** A shape declared in code (resources whose response schema is not one object). */
export function shapeFromKinds(kinds: Map<string, FieldKind> | Record<string, FieldKind>): ResourceShape {
  const map = kinds instanceof Map ? kinds : new Map(Object.entries(kinds));
  const pick = (...ks: FieldKind[]) => new Set([...map].filter(([, k]) => ks.includes(k)).map(([f]) => f));
  return {
    fields: [...map.keys()],
    kinds: map,
    dateFields: pick('date'),
    arrayFields: pick('stringArray', 'objectArray', 'array'),
    numberFields: pick('number'),
    integerFields: pick('integer'),
    booleanFields: pick('boolean'),
  };
}
