// Loads an API's OpenAPI document and prepares its operations for the router: one entry per
// operation with its full path, resolved parameters and request body schema, and its request
// validators. `npm run build` converts each spec to JSON and compiles its validators to
// standalone code (tools/build-specs.ts), so that start-up parses no YAML and compiles nothing;
// when those files are missing or older than the spec, the YAML is read and the validators are
// compiled on first use. openapi-backend is only loaded to validate responses (tests, --strict).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GENERATED_DIR, PROJECT_ROOT } from './paths.js';
import { deepClone } from './clone.js';
import { dereferenceInPlace, METHODS, SPEC_ID, validationSchemas, type JsonSchema } from './spec-schemas.js';

export type { JsonSchema } from './spec-schemas.js';

export interface OperationInfo {
  operationId: string;
  method: string;
  /** The spec path template, e.g. /messaging/messages/{Message_ID}. */
  path: string;
  /** The served path: base path (path-level server, else servers[0]) + template. */
  fullPath: string;
  /** Path parameter names in order. */
  pathParams: string[];
  /**
   * The last path parameter when it is declared `x-sim-wildcard: true`: it takes the rest of the
   * path, several segments or none (ServiceStack's `{Path*}`).
   */
  wildcardParam?: string;
  /** Declared query parameter names. */
  queryParams: Set<string>;
  /** Query parameter schemas by name. */
  querySchemas: Record<string, JsonSchema>;
  /** Declared header parameter names, lower case. */
  headerParams: string[];
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

/** An ajv validate function (standalone or compiled). */
export interface ValidateFn {
  (data: unknown): boolean;
  errors?: unknown[] | null;
}

export interface ResponseValidator {
  validateResponse(body: unknown, operationId: string, status: number): { valid: boolean; errors?: unknown[] | null };
}

export interface LoadedSpec {
  id: string;
  /** The document with every `$ref` replaced by its target (shared objects). */
  document: JsonSchema;
  operations: OperationInfo[];
  byId: Map<string, OperationInfo>;
  basePath: string;
  /** components.schemas, dereferenced. */
  schemas: Record<string, JsonSchema>;
  /**
   * Validators of an operation's request: body (when it has one) then parameters. A promise the
   * first time an operation's generated modules are loaded (about a millisecond).
   */
  requestValidators(operationId: string): ValidateFn[] | Promise<ValidateFn[]>;
  /** Loads every operation's validators (after listening, so requests find them ready). */
  warm(): Promise<void>;
  /** True when the validators were compiled at build time. */
  precompiled: boolean;
  /** Response validation (openapi-backend), available after `loadResponseValidator()`. */
  readonly backend: { validator: ResponseValidator };
  loadResponseValidator(): Promise<ResponseValidator>;
  /** The document as written (a fresh copy). */
  rawDocument(): JsonSchema;
}

export { PROJECT_ROOT, GENERATED_DIR } from './paths.js';
/** Bump when the generated files change shape: older ones are rebuilt. */
export const GENERATOR_VERSION = '2';

export const specPath = (id: string): string => join(PROJECT_ROOT, 'specs', `${id}.yaml`);

export function specHash(text: string): string {
  return createHash('sha256').update(GENERATOR_VERSION).update(text).digest('hex').slice(0, 32);
}

export interface GeneratedManifest {
  hash: string;
  operations: Record<string, { body: string | null; params: string }>;
}

export const generatedFiles = (id: string) => ({
  manifest: join(GENERATED_DIR, `${id}.manifest.json`),
  spec: join(GENERATED_DIR, `${id}.spec.json`),
  /** One module per validator: `<operationId>.body.js`, `<operationId>.params.js`. */
  validators: join(GENERATED_DIR, id),
});

export async function readSpecFile(file: string): Promise<JsonSchema> {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) return JSON.parse(text);
  const { parse } = await import('yaml');
  return parse(text, { maxAliasCount: -1 });
}

/** ajv-formats on an ajv instance (date-time, email, int32, ...). */
export async function addFormatsTo(ajv: unknown): Promise<void> {
  const mod = (await import('ajv-formats')) as unknown as { default: (a: unknown) => void };
  mod.default(ajv);
}

export async function loadSpec(id: string, file = specPath(id)): Promise<LoadedSpec> {
  const text = readFileSync(file, 'utf8');
  const hash = specHash(text);
  const gen = generatedFiles(id);
  let manifest: GeneratedManifest | undefined;
  if (existsSync(gen.manifest)) {
    const m = JSON.parse(readFileSync(gen.manifest, 'utf8')) as GeneratedManifest;
    if (m.hash === hash && existsSync(gen.spec) && existsSync(gen.validators)) manifest = m;
  }
  const rawText = manifest ? readFileSync(gen.spec, 'utf8') : null;
  const rawDocument = async (): Promise<JsonSchema> => (rawText !== null ? JSON.parse(rawText) : readSpecFile(file));
  const document = dereferenceInPlace(await rawDocument());

  let requestValidators: (operationId: string) => ValidateFn[] | Promise<ValidateFn[]>;
  if (manifest) {
    const m = manifest;
    const loaded = new Map<string, ValidateFn[]>();
    const loading = new Map<string, Promise<ValidateFn[]>>();
    const load = (name: string) => import(pathToFileURL(join(gen.validators, `${name}.js`)).href).then((mod) => mod.validate as ValidateFn);
    requestValidators = (operationId) => {
      const ready = loaded.get(operationId);
      if (ready) return ready;
      let p = loading.get(operationId);
      if (!p) {
        const names = m.operations[operationId];
        p = (names ? Promise.all([...(names.body ? [load(names.body)] : []), load(names.params)]) : Promise.resolve([])).then((fns) => {
          loaded.set(operationId, fns);
          return fns;
        });
        loading.set(operationId, p);
      }
      return p;
    };
  } else requestValidators = await runtimeValidators(await rawDocument());

  const basePath = String(document.servers?.[0]?.url ?? '').replace(/\/$/, '');
  const operations: OperationInfo[] = [];
  for (const [path, item] of Object.entries<any>(document.paths ?? {})) {
    const itemBase = item.servers?.[0]?.url ? String(item.servers[0].url).replace(/\/$/, '') : basePath;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      if (!op.operationId) throw new Error(`${file}: ${method.toUpperCase()} ${path} has no operationId`);
      const params: any[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const query = params.filter((p) => p.in === 'query');
      const content = op.requestBody?.content ?? {};
      const bodyTypes = Object.keys(content);
      const primary = content['application/json'] ?? content['multipart/form-data'] ?? content['application/x-www-form-urlencoded'];
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        fullPath: itemBase + path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        ...wildcardOf(path, params),
        queryParams: new Set(query.map((p) => p.name)),
        querySchemas: Object.fromEntries(query.map((p) => [p.name, p.schema ?? {}])),
        headerParams: params.filter((p) => p.in === 'header').map((p) => String(p.name).toLowerCase()),
        bodyTypes,
        bodySchema: primary?.schema,
        bodyRequired: Boolean(op.requestBody?.required),
        public: Array.isArray(op.security) && op.security.length === 0,
        statuses: Object.keys(op.responses ?? {}),
        raw: op,
      });
    }
  }

  let responseValidator: ResponseValidator | undefined;
  const spec: LoadedSpec = {
    id,
    document,
    operations,
    byId: new Map(operations.map((o) => [o.operationId, o])),
    basePath,
    schemas: (document.components?.schemas ?? {}) as Record<string, JsonSchema>,
    requestValidators,
    precompiled: Boolean(manifest),
    async warm() {
      for (const op of operations) await requestValidators(op.operationId);
    },
    get backend() {
      if (!responseValidator) throw new Error(`${id}: response validation is not loaded (call loadResponseValidator() first)`);
      return { validator: responseValidator };
    },
    async loadResponseValidator() {
      if (!responseValidator) responseValidator = await openapiBackendValidator(await rawDocument());
      return responseValidator;
    },
    rawDocument,
  };
  return spec;
}

/** The same validators as the build's, compiled with ajv on first use of each operation. */
async function runtimeValidators(raw: JsonSchema): Promise<(operationId: string) => ValidateFn[]> {
  const { Ajv } = (await import('ajv')) as unknown as { Ajv: new (o: object) => any };
  const { components, operations } = validationSchemas(raw);
  const make = async (coerceTypes: boolean) => {
    const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes });
    await addFormatsTo(ajv);
    ajv.addSchema(deepClone(components), SPEC_ID);
    return ajv;
  };
  const [bodyAjv, paramsAjv] = await Promise.all([make(false), make(true)]);
  const byId = new Map(operations.map((o) => [o.operationId, o]));
  const cache = new Map<string, ValidateFn[]>();
  return (operationId) => {
    let v = cache.get(operationId);
    if (!v) {
      const o = byId.get(operationId);
      v = o ? [...(o.body ? [bodyAjv.compile(o.body)] : []), paramsAjv.compile(o.params)] : [];
      cache.set(operationId, v!);
    }
    return v!;
  };
}

/** openapi-backend (quick mode) as the response validator: the authority the tests check against. */
async function openapiBackendValidator(raw: JsonSchema): Promise<ResponseValidator> {
  const { OpenAPIBackend } = await import('openapi-backend');
  const addFormats = ((await import('ajv-formats')) as unknown as { default: (a: unknown) => void }).default;
  const backend = new OpenAPIBackend({
    definition: raw as any,
    quick: true,
    validate: true,
    coerceTypes: true,
    ajvOpts: { strict: false, allErrors: true },
    customizeAjv: ((ajv: any) => {
      addFormats(ajv);
      return ajv;
    }) as any,
    apiRoot: '/',
  });
  await backend.init();
  return backend.validator as unknown as ResponseValidator;
}

/** `{wildcardParam}` when the path's last segment is a parameter declared `x-sim-wildcard: true`. */
function wildcardOf(path: string, params: any[]): { wildcardParam?: string } {
  const last = /\{([^}]+)\}$/.exec(path)?.[1];
  const p = last ? params.find((x) => x.in === 'path' && x.name === last) : undefined;
  return p?.['x-sim-wildcard'] === true ? { wildcardParam: last } : {};
}
