// The request-validation schemas of an OpenAPI document, one pair per operation, in the shape
// openapi-backend validates (`{path, query, header, cookie}` with coerced parameters, and
// `{requestBody}`), but referencing the document's components instead of copying them, so that
// they compile once per API: at build time into standalone code (tools/build-specs.ts), or at
// run time when that code is missing or stale.
import { deepClone } from './clone.js';

export type JsonSchema = Record<string, any>;

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** The $id under which the document's components are registered. */
export const SPEC_ID = 'spec';

/** Follows local `$ref`s (`#/components/...`) of a raw document. */
export function resolveRef(doc: JsonSchema, node: JsonSchema | undefined): JsonSchema | undefined {
  let n = node;
  for (let i = 0; n && typeof n.$ref === 'string' && i < 20; i++) {
    n = n.$ref.replace(/^#\//, '').split('/').reduce((o: any, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return n;
}

/** Rewrites `#/...` refs to point into the registered components (`spec#/...`). */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SPEC_ID}${v}` : rewriteRefs(v);
  return out;
}

/**
 * Inlines refs that are direct branches of anyOf/oneOf (one level): error messages group a
 * branch's errors by their schema path, which must lie under the anyOf's.
 */
function inlineBranchRefs(doc: JsonSchema, node: unknown, seen = new Set<unknown>()): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  const n = node as JsonSchema;
  for (const key of ['anyOf', 'oneOf']) {
    if (!Array.isArray(n[key])) continue;
    n[key] = n[key].map((b: JsonSchema) => (b && typeof b.$ref === 'string' ? deepClone(resolveRef(doc, b)) : b));
  }
  for (const v of Object.values(n)) inlineBranchRefs(doc, v, seen);
}

/** openapi-backend's rule: binary properties cannot be validated, so they are never required. */
function dropBinaryRequired(doc: JsonSchema, schema: JsonSchema | undefined, seen = new Set<unknown>()): void {
  const s = resolveRef(doc, schema);
  if (!s || typeof s !== 'object' || seen.has(s)) return;
  seen.add(s);
  if (s.properties && Array.isArray(s.required)) {
    const binary = Object.keys(s.properties).filter((p) => {
      const prop = resolveRef(doc, s.properties[p]);
      return prop && prop.type === 'string' && prop.format === 'binary';
    });
    if (binary.length) s.required = s.required.filter((p: string) => !binary.includes(p));
  }
  for (const prop of Object.values<JsonSchema>(s.properties ?? {})) dropBinaryRequired(doc, prop, seen);
  for (const key of ['allOf', 'anyOf', 'oneOf']) for (const sub of s[key] ?? []) dropBinaryRequired(doc, sub, seen);
}

export interface OperationSchemas {
  operationId: string;
  /** Validates `{requestBody}` (no coercion); absent when the operation takes no JSON/form body. */
  body?: JsonSchema;
  /** Validates `{path, query, header, cookie}` (types coerced in place). */
  params: JsonSchema;
}

/** The components schema to register under SPEC_ID, and each operation's schemas. */
export function validationSchemas(raw: JsonSchema): { components: JsonSchema; operations: OperationSchemas[] } {
  const doc = deepClone(raw);
  const ops: Array<{ operationId: string; op: JsonSchema; item: JsonSchema }> = [];
  for (const item of Object.values<JsonSchema>(doc.paths ?? {})) {
    for (const method of METHODS) if (item[method]?.operationId) ops.push({ operationId: item[method].operationId, op: item[method], item });
  }
  // Applied to the shared copy, as openapi-backend does to its dereferenced document.
  for (const { op } of ops) {
    const rb = resolveRef(doc, op.requestBody);
    const media = rb?.content?.['application/json'] ?? rb?.content?.['multipart/form-data'] ?? rb?.content?.['application/x-www-form-urlencoded'];
    if (media?.schema) dropBinaryRequired(doc, media.schema);
  }
  inlineBranchRefs(doc, doc.components);
  const operations: OperationSchemas[] = [];
  for (const { operationId, op, item } of ops) {
    inlineBranchRefs(doc, op);
    const out: OperationSchemas = { operationId, params: {} };
    const rb = resolveRef(doc, op.requestBody);
    const media = rb?.content?.['application/json'] ?? rb?.content?.['multipart/form-data'] ?? rb?.content?.['application/x-www-form-urlencoded'];
    if (media?.schema) {
      out.body = {
        title: 'Request',
        type: 'object',
        additionalProperties: true,
        properties: { requestBody: rewriteRefs(media.schema) },
        required: rb?.required === true ? ['requestBody'] : [],
      };
    }
    const part = (additionalProperties: boolean) => ({ type: 'object', additionalProperties, properties: {} as JsonSchema, required: [] as string[] });
    const params = {
      title: 'Request',
      type: 'object',
      additionalProperties: true,
      properties: { path: part(false), query: part(false), header: part(true), cookie: part(true) } as Record<string, ReturnType<typeof part>>,
      required: [] as string[],
    };
    for (const pRaw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
      const p = resolveRef(doc, pRaw)!;
      const target = params.properties[p.in];
      if (!target) continue;
      const name = p.in === 'header' ? String(p.name).toLowerCase() : p.name;
      if (p.required) {
        if (!target.required.includes(name)) target.required.push(name);
        if (!params.required.includes(p.in)) params.required.push(p.in);
      }
      const schema = p.content?.['application/json']?.schema ?? p.schema;
      if (resolveRef(doc, schema)?.additionalProperties !== undefined) (target as JsonSchema).additionalProperties = resolveRef(doc, schema)!.additionalProperties;
      target.properties[name] = rewriteRefs(schema);
    }
    out.params = params;
    operations.push(out);
  }
  return { components: { $id: SPEC_ID, components: rewriteRefs(doc.components ?? {}) }, operations };
}

/** Replaces every local `$ref` of a raw document by its target, in place (objects shared, cycles kept). */
export function dereferenceInPlace(doc: JsonSchema): JsonSchema {
  const seen = new Set<object>();
  const targets = new Map<string, JsonSchema | undefined>();
  const target = (ref: JsonSchema): JsonSchema | undefined => {
    const key = ref.$ref as string;
    if (!targets.has(key)) targets.set(key, resolveRef(doc, ref));
    return targets.get(key);
  };
  const stack: object[] = [doc];
  while (stack.length) {
    const node = stack.pop() as Record<string, any>;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const k in node) {
      let v = node[k];
      if (v === null || typeof v !== 'object') continue;
      if (typeof v.$ref === 'string' && v.$ref.startsWith('#/')) {
        const t = target(v);
        if (t) node[k] = v = t;
      }
      if (!seen.has(v)) stack.push(v);
    }
  }
  return doc;
}
