// Loads an API's OpenAPI document and prepares its operations for the router: one entry per
// operation with its full path, resolved parameters and request body schema, and the
// openapi-backend instance (quick mode: no up-front validation, validators compiled on first use).
import { readFileSync } from 'node:fs';
import { OpenAPIBackend } from 'openapi-backend';
import type { Options as AjvOptions } from 'ajv';
import { parse as parseYaml } from 'yaml';
import addFormats from 'ajv-formats';

export type JsonSchema = Record<string, any>;

export interface OperationInfo {
  operationId: string;
  method: string;
  /** The spec path template, e.g. /messaging/messages/{Message_ID}. */
  path: string;
  /** The served path: base path (path-level server, else servers[0]) + template. */
  fullPath: string;
  /** Path parameter names in order. */
  pathParams: string[];
  /** Declared query parameter names. */
  queryParams: Set<string>;
  /** Query parameter schemas by name. */
  querySchemas: Record<string, JsonSchema>;
  /** Request body media types and the body schema (of the first media type). */
  bodyTypes: string[];
  bodySchema: JsonSchema | undefined;
  bodyRequired: boolean;
  /** `security: []` on the operation: no credentials needed. */
  public: boolean;
  /** Response status codes declared. */
  statuses: string[];
  raw: JsonSchema;
}

export interface LoadedSpec {
  document: JsonSchema;
  backend: OpenAPIBackend;
  operations: OperationInfo[];
  byId: Map<string, OperationInfo>;
  basePath: string;
  /** components.schemas with every $ref resolved. */
  schemas: Record<string, JsonSchema>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export function readSpecFile(file: string): JsonSchema {
  const text = readFileSync(file, 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 });
}

export function ajvCustomizer(ajv: any) {
  (addFormats as unknown as (a: unknown) => void)(ajv);
  return ajv;
}

export async function loadSpec(file: string): Promise<LoadedSpec> {
  const document = readSpecFile(file);
  const ajvOpts: AjvOptions = { strict: false, allErrors: true };
  const backend = new OpenAPIBackend({
    definition: document as any,
    quick: true,
    validate: true,
    coerceTypes: true,
    ajvOpts,
    customizeAjv: ajvCustomizer as any,
    apiRoot: '/',
  });
  await backend.init();
  const def = backend.definition as JsonSchema;
  const basePath = String(document.servers?.[0]?.url ?? '').replace(/\/$/, '');
  const operations: OperationInfo[] = [];
  for (const [path, item] of Object.entries<any>(def.paths ?? {})) {
    const itemBase = item.servers?.[0]?.url ? String(item.servers[0].url).replace(/\/$/, '') : basePath;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      if (!op.operationId) throw new Error(`${file}: ${method.toUpperCase()} ${path} has no operationId`);
      const params: any[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const query = params.filter((p) => p.in === 'query');
      const content = op.requestBody?.content ?? {};
      const bodyTypes = Object.keys(content);
      const primary =
        content['application/json'] ?? content['multipart/form-data'] ?? content['application/x-www-form-urlencoded'];
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        fullPath: itemBase + path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        queryParams: new Set(query.map((p) => p.name)),
        querySchemas: Object.fromEntries(query.map((p) => [p.name, p.schema ?? {}])),
        bodyTypes,
        bodySchema: primary?.schema,
        bodyRequired: Boolean(op.requestBody?.required),
        public: Array.isArray(op.security) && op.security.length === 0,
        statuses: Object.keys(op.responses ?? {}),
        raw: op,
      });
    }
  }
  return {
    document,
    backend,
    operations,
    byId: new Map(operations.map((o) => [o.operationId, o])),
    basePath,
    schemas: (def.components?.schemas ?? {}) as Record<string, JsonSchema>,
  };
}
