// `npm run lint:specs`: every spec in specs/ is OpenAPI 3.0.3, validates as an OpenAPI document
// (openapi-backend in full mode), has a unique operationId per operation, a success response
// with a body schema (or an explicit no-content status) and an error schema on every error status.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { OpenAPIBackend } from 'openapi-backend';
import addFormats from 'ajv-formats';
import { readSpecFile, type JsonSchema } from '../core/spec.js';

const ajvCustomizer = (ajv: any) => {
  (addFormats as unknown as (a: unknown) => void)(ajv);
  return ajv;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export interface LintResult {
  file: string;
  operations: number;
  problems: string[];
}

export const specsDir = () => fileURLToPath(new URL('../../specs/', import.meta.url));

function deref(doc: JsonSchema, node: JsonSchema | undefined): JsonSchema | undefined {
  let n = node;
  for (let i = 0; n?.$ref && i < 10; i++) n = n.$ref.replace(/^#\//, '').split('/').reduce((o: any, k: string) => o?.[k], doc);
  return n;
}

export async function lintSpec(file: string): Promise<LintResult> {
  const problems: string[] = [];
  let doc: JsonSchema;
  try {
    doc = await readSpecFile(file);
  } catch (e) {
    return { file, operations: 0, problems: [`does not parse: ${(e as Error).message}`] };
  }
  if (doc.openapi !== '3.0.3') problems.push(`openapi is ${doc.openapi}, expected 3.0.3`);
  try {
    const api = new OpenAPIBackend({
      definition: structuredClone(doc) as any,
      quick: true,
      ajvOpts: { strict: false, allErrors: true },
      customizeAjv: ajvCustomizer as any,
    });
    // The document against the OpenAPI 3 meta-schema (what init() does outside quick mode,
    // without compiling every operation's validators).
    await api.loadDocument();
    api.validateDefinition();
  } catch (e) {
    problems.push(`not a valid OpenAPI document: ${(e as Error).message.slice(0, 500)}`);
  }
  const ids = new Set<string>();
  let operations = 0;
  for (const [path, item] of Object.entries<JsonSchema>(doc.paths ?? {})) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      operations++;
      const where = `${m.toUpperCase()} ${path}`;
      if (!op.operationId) problems.push(`${where}: no operationId`);
      else if (ids.has(op.operationId)) problems.push(`${where}: duplicate operationId ${op.operationId}`);
      else ids.add(op.operationId);
      const responses: Record<string, JsonSchema> = op.responses ?? {};
      const success = Object.keys(responses).filter((s) => /^2\d\d$/.test(s));
      if (!success.length) problems.push(`${where}: no 2xx response`);
      for (const s of success) {
        const r = deref(doc, responses[s]);
        if (s !== '204' && !r?.content) problems.push(`${where}: ${s} has no body schema`);
      }
      for (const [s, resp] of Object.entries(responses)) {
        if (!/^[45]\d\d$/.test(s)) continue;
        const r = deref(doc, resp);
        const schema = r?.content?.['application/json']?.schema;
        if (!schema) problems.push(`${where}: ${s} has no JSON error schema`);
      }
    }
  }
  return { file, operations, problems };
}

export async function lintAll(dir = specsDir()): Promise<LintResult[]> {
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  return Promise.all(files.map((f) => lintSpec(join(dir, f))));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = await lintAll();
  let bad = 0;
  for (const r of results) {
    console.log(`${r.problems.length ? 'FAIL' : 'ok  '} ${r.file}: ${r.operations} operations${r.problems.length ? `, ${r.problems.length} problem(s)` : ''}`);
    for (const p of r.problems.slice(0, 50)) console.log(`     - ${p}`);
    bad += r.problems.length;
  }
  process.exit(bad ? 1 : 0);
}
