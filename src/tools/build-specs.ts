// Part of `npm run build`: for each specs/<api>.yaml, writes dist/generated/<api>.spec.json (the
// document as JSON: start-up parses no YAML) and dist/generated/<api>/<operationId>.{body,params}.js
// (its request validators as ajv standalone code, one small module each: no request pays a
// compile, and start-up loads none of them), with a manifest naming each operation's validators
// and the spec's hash. Unchanged specs are skipped.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { GENERATED_DIR, generatedFiles, PROJECT_ROOT, specHash, type GeneratedManifest } from '../core/spec.js';
import { SPEC_ID, validationSchemas, type JsonSchema } from '../core/spec-schemas.js';
import { SCENARIO_SCHEMA, SCENARIO_VALIDATOR } from '../core/scenario.js';

// Standalone ESM code still require()s ajv's runtime helpers and ajv-formats' formats.
const PRELUDE = `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n`;

/** Standalone modules of a set of schemas, one module per schema (shared components inlined). */
function compileEach(schemas: Array<[string, JsonSchema]>, components: JsonSchema, coerceTypes: boolean): Map<string, string> {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes, code: { source: true, esm: true } });
  (addFormats as unknown as (a: unknown) => void)(ajv);
  ajv.addSchema(components, SPEC_ID);
  for (const [name, schema] of schemas) ajv.addSchema(schema, name);
  const out = new Map<string, string>();
  for (const [name] of schemas) {
    const code = (standaloneCode as unknown as (a: unknown, refs: Record<string, string>) => string)(ajv, { validate: name });
    out.set(name, PRELUDE + code);
  }
  return out;
}

export function buildSpec(id: string, force = false): { id: string; built: boolean; operations: number; ms: number } {
  const t0 = performance.now();
  const file = join(PROJECT_ROOT, 'specs', `${id}.yaml`);
  const text = readFileSync(file, 'utf8');
  const hash = specHash(text);
  const out = generatedFiles(id);
  if (!force && existsSync(out.manifest) && existsSync(out.spec) && existsSync(out.validators)) {
    const m = JSON.parse(readFileSync(out.manifest, 'utf8')) as GeneratedManifest;
    if (m.hash === hash) return { id, built: false, operations: Object.keys(m.operations).length, ms: Math.round(performance.now() - t0) };
  }
  const doc = parseYaml(text, { maxAliasCount: -1 }) as JsonSchema;
  const { components, operations } = validationSchemas(doc);
  const bodies: Array<[string, JsonSchema]> = [];
  const params: Array<[string, JsonSchema]> = [];
  const manifest: GeneratedManifest = { hash, operations: {} };
  for (const o of operations) {
    const b = o.body ? `${o.operationId}.body` : null;
    if (b) bodies.push([b, o.body!]);
    params.push([`${o.operationId}.params`, o.params]);
    manifest.operations[o.operationId] = { body: b, params: `${o.operationId}.params` };
  }
  rmSync(out.validators, { recursive: true, force: true });
  mkdirSync(out.validators, { recursive: true });
  for (const [name, code] of [...compileEach(bodies, components, false), ...compileEach(params, components, true)]) {
    writeFileSync(join(out.validators, `${name}.js`), code);
  }
  writeFileSync(out.spec, JSON.stringify(doc));
  writeFileSync(out.manifest, JSON.stringify(manifest));
  return { id, built: true, operations: operations.length, ms: Math.round(performance.now() - t0) };
}

/** The scenario schema's validator as standalone code (start-up compiles nothing). */
export function buildScenarioValidator(): void {
  const schemaText = readFileSync(SCENARIO_SCHEMA, 'utf8');
  const ajv = new Ajv({ strict: false, allErrors: true, code: { source: true, esm: true } });
  (addFormats as unknown as (a: unknown) => void)(ajv);
  const validate = ajv.compile(JSON.parse(schemaText));
  const code = (standaloneCode as unknown as (a: unknown, v: unknown) => string)(ajv, validate);
  // A default export is what standaloneCode writes for one function; re-export it by name.
  mkdirSync(GENERATED_DIR, { recursive: true });
  writeFileSync(SCENARIO_VALIDATOR, `${PRELUDE}${code}\nexport const schemaText = ${JSON.stringify(schemaText)};\n`);
}

export function buildAll(force = false) {
  const ids = readdirSync(join(PROJECT_ROOT, 'specs'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''));
  return ids.map((id) => buildSpec(id, force));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = buildAll(process.argv.includes('--force'));
  buildScenarioValidator();
  for (const r of results) console.log(`specs: ${r.id} ${r.built ? `compiled (${r.operations} operations, ${r.ms} ms)` : 'unchanged'}`);
}
