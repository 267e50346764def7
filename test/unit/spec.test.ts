import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFormatsTo, generatedFiles, GENERATED_DIR, loadSpec, PROJECT_ROOT, readSpecFile, specHash, specPath, type LoadedSpec, type ValidateFn } from '../../src/core/spec.js';
import { dereferenceInPlace, resolveRef, SPEC_ID, validationSchemas } from '../../src/core/spec-schemas.js';
import { fakeSpecDocument } from './support.js';

let dir: string;
let jsonFile: string;
let yamlFile: string;
let spec: LoadedSpec;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'commsim-spec-'));
  jsonFile = join(dir, 'unit-fake.json');
  yamlFile = join(dir, 'unit-fake.yaml');
  writeFileSync(jsonFile, JSON.stringify(fakeSpecDocument()));
  writeFileSync(yamlFile, stringify(fakeSpecDocument('yfake')));
  spec = await loadSpec('unit-fake', jsonFile);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = (query: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({ path: {}, query, header: {}, cookie: {}, ...extra });

describe('loadSpec (no build output: validators compiled at run time)', () => {
  it('lists the operations with their served paths and parameters', () => {
    expect(spec.precompiled).toBe(false);
    expect(spec.basePath).toBe('/fake/v1');
    const list = spec.byId.get('listItems')!;
    expect(list).toMatchObject({ method: 'GET', path: '/items', fullPath: '/fake/v1/items', pathParams: [], headerParams: ['x-trace'], bodyTypes: [], bodyRequired: false, public: false, statuses: ['200', '400', '401'] });
    expect([...list.queryParams]).toEqual(['limit', 'filter']);
    expect(list.querySchemas.limit).toEqual({ type: 'integer', minimum: 1, maximum: 50 });
    const create = spec.byId.get('createItem')!;
    expect(create.bodyTypes).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(create.bodyRequired).toBe(true);
    expect(create.bodySchema).toBe(spec.schemas.NewItem); // dereferenced, shared
    expect(create.bodySchema!.properties.name).toEqual({ type: 'string', minLength: 1, maxLength: 10 });
    expect(spec.byId.get('getItem')!.pathParams).toEqual(['id']);
    expect(spec.byId.get('ping')!.public).toBe(true);
    // A path-level server replaces the base path.
    expect(spec.byId.get('v2thing')!.fullPath).toBe('/fake/v2/v2thing');
    // multipart is the body schema when there is no JSON.
    expect(spec.byId.get('upload')!.bodySchema).toBe(spec.schemas.Upload);
    expect(spec.operations).toHaveLength(spec.byId.size);
  });

  it('compiles request validators on first use: body (when any) then parameters', () => {
    const v = spec.requestValidators('createItem') as ValidateFn[];
    expect(Array.isArray(v)).toBe(true);
    expect(v).toHaveLength(2);
    expect(spec.requestValidators('createItem')).toBe(v); // cached
    const [body, params] = v;
    expect(body({ requestBody: { name: 'ok' } })).toBe(true);
    expect(body({ requestBody: { name: 'far too long a name' } })).toBe(false);
    expect(body.errors?.[0]).toMatchObject({ keyword: 'maxLength', instancePath: '/requestBody/name' });
    expect(body({})).toBe(false); // required body
    expect(params(data())).toBe(true);
    expect(spec.requestValidators('listItems')).toHaveLength(1);
    expect(spec.requestValidators('nope')).toEqual([]);
  });

  it('coerces parameters in place and checks formats', () => {
    const [params] = spec.requestValidators('listItems') as ValidateFn[];
    const d = data({ limit: '5' });
    expect(params(d)).toBe(true);
    expect(d.query.limit).toBe(5);
    expect(params(data({ limit: '0' }))).toBe(false);
    expect(params(data({ unknown: '1' }))).toBe(true); // the filter's additionalProperties opens the query
    expect(params(data({}, { header: { 'x-trace': 'nope' } }))).toBe(false);
    const [body] = spec.requestValidators('createItem') as ValidateFn[];
    expect(body({ requestBody: { name: 'a', email: 'not-an-email' } })).toBe(false);
    expect(body.errors?.[0]).toMatchObject({ keyword: 'format' });
    expect(body({ requestBody: { name: 'a', count: '3' } })).toBe(false); // bodies are not coerced
  });

  it('requires a path parameter', () => {
    const [params] = spec.requestValidators('getItem') as ValidateFn[];
    expect(params(data({}, { path: { id: 'x' } }))).toBe(true);
    expect(params(data())).toBe(false);
  });

  it('validates responses only once the response validator is loaded', async () => {
    const fresh = await loadSpec('unit-fake', jsonFile);
    expect(() => fresh.backend).toThrow('unit-fake: response validation is not loaded (call loadResponseValidator() first)');
    const v = await fresh.loadResponseValidator();
    expect(await fresh.loadResponseValidator()).toBe(v);
    expect(fresh.backend.validator.validateResponse({ id: 'a', name: 'n' }, 'getItem', 200).valid).toBe(true);
    expect(fresh.backend.validator.validateResponse({ id: 'a' }, 'getItem', 200).valid).toBe(false);
  });

  it('warms every operation and gives a fresh raw document', async () => {
    await spec.warm();
    const raw = spec.rawDocument() as Promise<Record<string, any>>;
    const a = await raw;
    expect(a.paths['/items'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/NewItem' });
    a.info.title = 'changed';
    expect((await spec.rawDocument()).info.title).toBe('fake');
  });

  it('reads YAML specs too', async () => {
    const y = await loadSpec('unit-yfake', yamlFile);
    expect(y.basePath).toBe('/yfake/v1');
    expect(y.byId.get('getItem')!.fullPath).toBe('/yfake/v1/items/{id}');
    expect(await readSpecFile(yamlFile)).toEqual(await readSpecFile(jsonFile).then((d) => JSON.parse(JSON.stringify(d).replaceAll('/fake/', '/yfake/'))));
  });

  it('refuses an operation without an operationId', async () => {
    const doc = fakeSpecDocument();
    delete doc.paths['/public'].get.operationId;
    const f = join(dir, 'no-id.json');
    writeFileSync(f, JSON.stringify(doc));
    await expect(loadSpec('unit-noid', f)).rejects.toThrow(`${f}: GET /public has no operationId`);
  });

  it('a document without paths or servers has no operations', async () => {
    const f = join(dir, 'empty.json');
    writeFileSync(f, JSON.stringify({ openapi: '3.0.3', info: { title: 'e', version: '1' } }));
    const e = await loadSpec('unit-empty', f);
    expect(e.operations).toEqual([]);
    expect(e.basePath).toBe('');
    expect(e.schemas).toEqual({});
  });
});

describe('loadSpec (build output present)', () => {
  it('loads the precompiled validators of a real spec lazily, once', async () => {
    const syn = await loadSpec('syniverse');
    expect(syn.precompiled).toBe(true);
    const id = syn.operations[0].operationId;
    const first = syn.requestValidators(id);
    expect(first).toBeInstanceOf(Promise);
    expect(syn.requestValidators(id)).toBe(first); // the same pending load
    const fns = await first;
    expect(fns.length).toBeGreaterThanOrEqual(1);
    expect(syn.requestValidators(id)).toBe(fns);
    expect(await syn.requestValidators('noSuchOperation')).toEqual([]);
  });
});

describe('spec helpers', () => {
  it('hashes the text with the generator version', () => {
    expect(specHash('a')).toMatch(/^[0-9a-f]{32}$/);
    expect(specHash('a')).toBe(specHash('a'));
    expect(specHash('a')).not.toBe(specHash('b'));
  });

  it('names the spec and generated files', () => {
    expect(specPath('x')).toBe(join(PROJECT_ROOT, 'specs', 'x.yaml'));
    expect(generatedFiles('x')).toEqual({ manifest: join(GENERATED_DIR, 'x.manifest.json'), spec: join(GENERATED_DIR, 'x.spec.json'), validators: join(GENERATED_DIR, 'x') });
  });

  it('adds formats to an ajv instance', async () => {
    const { Ajv } = (await import('ajv')) as unknown as { Ajv: new (o: object) => { compile(s: unknown): (d: unknown) => boolean } };
    const ajv = new Ajv({ strict: false });
    await addFormatsTo(ajv);
    const v = ajv.compile({ type: 'string', format: 'date-time' });
    expect(v('2026-01-05T12:00:00Z')).toBe(true);
    expect(v('yesterday')).toBe(false);
  });
});

describe('spec-schemas', () => {
  it('resolveRef follows chains and JSON-pointer escapes', () => {
    const doc = { components: { schemas: { A: { $ref: '#/components/schemas/B' }, B: { type: 'string' }, 'a/b~c': { type: 'integer' } } } };
    expect(resolveRef(doc, { $ref: '#/components/schemas/A' })).toEqual({ type: 'string' });
    expect(resolveRef(doc, { $ref: '#/components/schemas/a~1b~0c' })).toEqual({ type: 'integer' });
    expect(resolveRef(doc, { $ref: '#/components/schemas/Missing' })).toBeUndefined();
    expect(resolveRef(doc, { type: 'x' })).toEqual({ type: 'x' });
    expect(resolveRef(doc, undefined)).toBeUndefined();
    const loop = { a: { $ref: '#/a' } };
    expect(resolveRef(loop, { $ref: '#/a' })).toEqual({ $ref: '#/a' }); // gives up after 20 hops
  });

  it('builds body and parameter schemas per operation, referencing the components', () => {
    const raw = fakeSpecDocument();
    const before = JSON.stringify(raw);
    const { components, operations } = validationSchemas(raw);
    expect(JSON.stringify(raw)).toBe(before); // the input is not changed
    expect(components.$id).toBe(SPEC_ID);
    const byId = new Map(operations.map((o) => [o.operationId, o]));
    expect(byId.get('createItem')!.body).toEqual({
      title: 'Request',
      type: 'object',
      additionalProperties: true,
      properties: { requestBody: { $ref: 'spec#/components/schemas/NewItem' } },
      required: ['requestBody'],
    });
    expect(byId.get('upload')!.body!.required).toEqual([]);
    expect(byId.get('listItems')!.body).toBeUndefined();
    const list = byId.get('listItems')!.params;
    expect(Object.keys(list.properties.header.properties)).toEqual(['x-trace']);
    expect(list.properties.query.properties.filter).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(list.properties.query.additionalProperties).toEqual({ type: 'string' });
    const get = byId.get('getItem')!.params;
    expect(get.required).toEqual(['path']);
    expect(get.properties.path.required).toEqual(['id']);
    // A binary property is never required (openapi-backend's rule).
    expect(components.components.schemas.Upload.required).toEqual([]);
    expect(raw.components.schemas.Upload.required).toEqual(['file']);
    // Refs that are direct anyOf branches are inlined (error grouping needs their schema path).
    const choice = byId.get('choice')!.body!.properties.requestBody;
    expect(choice.properties.value.anyOf).toEqual([{ type: 'integer' }, { type: 'string', minLength: 1, maxLength: 10 }]);
  });

  it('skips parameters in locations it does not know', () => {
    const raw = fakeSpecDocument();
    raw.paths['/items'].get.parameters.push({ name: 'weird', in: 'matrix', schema: { type: 'string' } });
    const list = validationSchemas(raw).operations.find((o) => o.operationId === 'listItems')!.params;
    expect(JSON.stringify(list)).not.toContain('weird');
  });

  it('dereferences in place, sharing targets and keeping cycles', () => {
    const doc: Record<string, any> = {
      components: { schemas: { Node: { type: 'object', properties: { child: { $ref: '#/components/schemas/Node' }, other: { $ref: '#/components/schemas/Leaf' } } }, Leaf: { type: 'string' } } },
      paths: { '/a': { get: { schema: { $ref: '#/components/schemas/Leaf' }, ext: { $ref: 'other.yaml#/x' }, missing: { $ref: '#/nowhere' } } } },
    };
    const out = dereferenceInPlace(doc);
    expect(out).toBe(doc);
    const node = doc.components.schemas.Node;
    expect(node.properties.child).toBe(node);
    expect(doc.paths['/a'].get.schema).toBe(doc.components.schemas.Leaf);
    expect(node.properties.other).toBe(doc.components.schemas.Leaf);
    expect(doc.paths['/a'].get.ext).toEqual({ $ref: 'other.yaml#/x' });
    expect(doc.paths['/a'].get.missing).toEqual({ $ref: '#/nowhere' });
  });
});

describe('loadSpec: wildcard path parameters', () => {
  it('marks the last path parameter declared x-sim-wildcard, and only that one', async () => {
    const file = join(dir, 'unit-wild.json');
    const param = (name: string, wild: boolean) => ({ name, in: 'path', required: true, schema: { type: 'string' }, ...(wild ? { 'x-sim-wildcard': true } : {}) });
    const ok = { responses: { '200': { description: 'ok' } } };
    writeFileSync(
      file,
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'wild', version: '1' },
        servers: [{ url: '/wild/v1' }],
        paths: {
          '/files/{Path}': { get: { operationId: 'getFile', parameters: [param('Path', true)], ...ok } },
          '/dirs/{Name}': { get: { operationId: 'getDir', parameters: [param('Name', false)], ...ok } },
          '/x/{A}/y': { get: { operationId: 'notLast', parameters: [param('A', true)], ...ok } },
        },
      }),
    );
    const wild = await loadSpec('unit-wild', file);
    expect(wild.byId.get('getFile')!.wildcardParam).toBe('Path');
    expect(wild.byId.get('getDir')!.wildcardParam).toBeUndefined();
    expect(wild.byId.get('notLast')!.wildcardParam).toBeUndefined();
  });
});
