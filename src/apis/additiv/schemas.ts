// CRM schemas: the contact details schema and the legal-entity schema. A schema is its field and
// layout metadata (the `schema` string is their JSON), the JSON schema derived from them, and a
// concurrencyToken (the collection's version: a PUT with a stale token is 409). Details are
// validated against the fields; each field says whether a change needs approval, whether it is
// exported and which communication channel (alias) it is. No HTTP here.
import { Collection } from '../../core/engine/collection.js';
import { shapeFromKinds } from '../../core/engine/shape.js';
import { invalid, notFound } from '../../core/errors.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { listItemsOf } from './lists.js';
import { additivFixtures, localize, style, type FieldFixture, type LayoutFixture } from './style.js';

export interface SchemaRec extends Rec {
  key: string;
  schema: string | null;
  jsonSchema: string | null;
  concurrencyToken: number;
  fields: FieldFixture[];
  layout: LayoutFixture[];
}

export function schemasCollection(): Collection<SchemaRec> {
  return new Collection<SchemaRec>({
    api: style,
    name: 'schemas',
    label: 'schema',
    shape: shapeFromKinds({ id: 'integer', key: 'string', schema: 'string', jsonSchema: 'string', concurrencyToken: 'integer', fields: 'objectArray', layout: 'objectArray' }),
    resource: { version: { field: 'concurrencyToken', start: 0, required: true } },
    uniqueKeys: [['key']],
    indexes: ['key'],
    readOnly: ['fields', 'layout', 'key'],
    errorField: 'key',
    notFoundMessage: (id) => `schema ${id} not found`,
  });
}

/** The schemas of a workspace (one collection for setup and handlers). */
export const schemas = schemasCollection();

const schemasTable = (ws: Workspace) => schemas.table(ws);

export function schemaByKey(ws: Workspace, key: string): SchemaRec {
  const [rec] = schemasTable(ws).lookup('key', key);
  if (!rec) throw notFound(`schema '${key}' not found`, { field: 'key' });
  return rec;
}

export const contactSchema = (ws: Workspace) => schemaByKey(ws, additivFixtures(ws).contactSchemaKey);
export const legalEntitySchema = (ws: Workspace) => schemaByKey(ws, additivFixtures(ws).legalEntitySchemaKey);

/** The `schema` string: the components (fields and layout) as JSON. */
export const componentsText = (fields: FieldFixture[], layout: LayoutFixture[]) => JSON.stringify({ fields, layout });

/** Reads a `schema` string written by a schema editor (400 when it is not the components). */
export function parseComponents(text: string): { fields: FieldFixture[]; layout: LayoutFixture[] } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw invalid(`'schema' is not valid JSON: ${(e as Error).message}`, { field: 'schema' });
  }
  const o = v as { fields?: unknown; layout?: unknown };
  if (!o || typeof o !== 'object' || !Array.isArray(o.fields)) throw invalid(`'schema' must be {"fields": [...], "layout": [...]}`, { field: 'schema' });
  const fields = o.fields as FieldFixture[];
  const seen = new Set<string>();
  for (const [i, f] of fields.entries()) {
    if (!f || typeof f !== 'object' || typeof f.key !== 'string' || !f.key) throw invalid(`'schema': fields[${i}] has no key`, { field: 'schema' });
    if (typeof f.fieldType !== 'string') throw invalid(`'schema': field '${f.key}' has no fieldType`, { field: 'schema' });
    if (seen.has(f.key)) throw invalid(`'schema': field '${f.key}' is declared twice`, { field: 'schema' });
    const re = f.validations?.regularExpression;
    if (re !== undefined && re !== null) {
      try {
        new RegExp(String(re));
      } catch (e) {
        throw invalid(`'schema': field '${f.key}' has an invalid regularExpression: ${(e as Error).message}`, { field: 'schema' });
      }
    }
    seen.add(f.key);
    if (typeof f.label === 'string') f.label = { en: f.label };
    f.label ??= { en: f.key };
  }
  const layout = Array.isArray(o.layout) ? (o.layout as LayoutFixture[]) : [];
  for (const [i, l] of layout.entries()) {
    if (!l || typeof l !== 'object' || typeof l.key !== 'string') throw invalid(`'schema': layout[${i}] has no key`, { field: 'schema' });
    if (typeof l.label === 'string') l.label = { en: l.label };
    l.label ??= { en: l.key };
    l.fieldType ??= 'FieldSet';
  }
  return { fields, layout };
}

const TYPE_OF_FIELD: Record<string, Record<string, unknown>> = {
  Boolean: { type: 'boolean' },
  Number: { type: 'number' },
  Decimal: { type: 'number' },
  Currency: { type: 'number' },
  Date: { type: 'string', format: 'date' },
  DateTime: { type: 'string', format: 'date-time' },
  Email: { type: 'string', format: 'email' },
};

/** The JSON schema of a field list (nested objects along the dotted keys). */
export function jsonSchemaOf(fields: FieldFixture[]): Record<string, unknown> {
  const root: Record<string, any> = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: {} };
  for (const f of fields) {
    const parts = f.key.split('.');
    let node = root;
    for (const p of parts.slice(0, -1)) {
      node.properties[p] ??= { type: 'object', properties: {} };
      node = node.properties[p];
    }
    const leaf: Record<string, unknown> = { ...(TYPE_OF_FIELD[f.fieldType] ?? { type: 'string' }) };
    const v = f.validations ?? {};
    if (typeof v.minLength === 'number') leaf.minLength = v.minLength;
    if (typeof v.maxLength === 'number') leaf.maxLength = v.maxLength;
    if (typeof v.regularExpression === 'string') leaf.pattern = v.regularExpression;
    if (typeof v.minValue === 'number') leaf.minimum = v.minValue;
    if (typeof v.maxValue === 'number') leaf.maximum = v.maxValue;
    node.properties[parts[parts.length - 1]] = f.isArrayItem ? { type: 'array', items: leaf } : leaf;
    if (f.isRequired) (node.required ??= []).push(parts[parts.length - 1]);
  }
  return root;
}

// ---- details -----------------------------------------------------------------------------------

export type Details = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf values by dotted path (arrays and scalars are leaves; nulls kept). */
export function flatten(details: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (!isPlainObject(details)) return out;
  for (const [k, v] of Object.entries(details)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v)) flatten(v, path, out);
    else out.set(path, v);
  }
  return out;
}

/** The details object of leaf values by path (null leaves are left out). */
export function unflatten(leaves: Map<string, unknown>): Details {
  const out: Details = {};
  for (const [path, v] of leaves) if (v !== null && v !== undefined) setPath(out, path, v);
  return out;
}

export function setPath(obj: Details, path: string, v: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (!isPlainObject(cur[p])) cur[p] = {};
    cur = cur[p] as Details;
  }
  cur[parts[parts.length - 1]] = v;
}

export function getPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const p of path.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** A leaf value as change details write it (strings as they are, others as JSON; absent: null). */
export function valueText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function fieldOf(fields: FieldFixture[], path: string): FieldFixture | undefined {
  return fields.find((f) => f.key === path);
}

function checkLeaf(ws: Workspace, f: FieldFixture, path: string, value: unknown, all: Map<string, unknown>): void {
  if (value === null) return;
  const bad = (why: string) => invalid(`details.${path}: ${why}`, { field: `details.${path}` });
  const values = f.isArrayItem ? (Array.isArray(value) ? value : [value]) : [value];
  if (!f.isArrayItem && Array.isArray(value)) throw bad('must be a single value, not an array');
  const v = f.validations ?? {};
  for (const x of values) {
    switch (f.fieldType) {
      case 'Boolean':
        if (typeof x !== 'boolean') throw bad('must be true or false');
        break;
      case 'Number':
      case 'Decimal':
      case 'Currency':
        if (typeof x !== 'number' || !Number.isFinite(x)) throw bad('must be a number');
        if (typeof v.minValue === 'number' && x < v.minValue) throw bad(`must be at least ${v.minValue}`);
        if (typeof v.maxValue === 'number' && x > v.maxValue) throw bad(`must be at most ${v.maxValue}`);
        break;
      case 'Date':
      case 'DateTime': {
        if (typeof x !== 'string' || Number.isNaN(Date.parse(x)) || (f.fieldType === 'Date' && !/^\d{4}-\d{2}-\d{2}/.test(x))) throw bad(`must be an ISO 8601 ${f.fieldType === 'Date' ? 'date (YYYY-MM-DD)' : 'date-time'}`);
        if (typeof v.minDate === 'string' && Date.parse(x) < Date.parse(v.minDate)) throw bad(`must not be before ${v.minDate}`);
        if (typeof v.maxDate === 'string' && Date.parse(x) > Date.parse(v.maxDate)) throw bad(`must not be after ${v.maxDate}`);
        break;
      }
      case 'List': {
        if (typeof x !== 'string') throw bad(`must be an item key of list '${f.listKey}'`);
        const items = listItemsOf(ws, String(f.listKey));
        const item = items.find((i) => i.key === x);
        if (!item) throw bad(`'${x}' is not an item of list '${f.listKey}'`);
        if (f.listHierarchyFilterKey) {
          const parentKey = all.get(f.listHierarchyFilterKey);
          if (typeof parentKey === 'string' && item.parentId != null) {
            const parent = listItemsOf(ws, '*').find((i) => Number(i.id) === item.parentId);
            if (parent && parent.key !== parentKey) throw bad(`'${x}' does not belong to ${f.listHierarchyFilterKey} '${parentKey}'`);
          }
        }
        break;
      }
      case 'Email':
        if (typeof x !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(x)) throw bad('must be an email address');
        break;
      case 'Phone':
        if (typeof x !== 'string' || !/^\+?[0-9 ()-]{6,20}$/.test(x)) throw bad('must be a phone number (digits, optionally starting with +)');
        break;
      default:
        if (typeof x !== 'string') throw bad('must be a string');
    }
    if (typeof x === 'string') {
      if (typeof v.minLength === 'number' && x.length < v.minLength) throw bad(`must have at least ${v.minLength} characters`);
      if (typeof v.maxLength === 'number' && x.length > v.maxLength) throw bad(`must have at most ${v.maxLength} characters`);
      if (typeof v.regularExpression === 'string' && !new RegExp(v.regularExpression).test(x)) throw bad(`does not match ${v.regularExpression}`);
    }
  }
}

/**
 * Checks details against a schema's fields: every leaf is a field of the schema with a value of
 * its type and validations; `complete` details (create, PUT) must hold every required field.
 */
export function validateDetails(ws: Workspace, schema: SchemaRec, details: unknown, opts: { complete: boolean; member: boolean; before?: Map<string, unknown> }): Map<string, unknown> {
  if (!isPlainObject(details)) throw invalid(`'details' must be an object`, { field: 'details' });
  const leaves = flatten(details);
  const all = opts.complete ? leaves : new Map([...(opts.before ?? []), ...leaves]);
  for (const [path, value] of leaves) {
    const f = fieldOf(schema.fields, path);
    if (!f) throw invalid(`details.${path}: not a field of schema '${schema.key}'`, { field: `details.${path}` });
    checkLeaf(ws, f, path, value, all);
    if (opts.member && f.isReadOnly && opts.before && (opts.before.get(path) ?? null) !== (value ?? null)) {
      throw invalid(`details.${path} is read-only for members`, { field: `details.${path}` });
    }
  }
  for (const f of schema.fields) {
    if (!f.isRequired) continue;
    const v = all.get(f.key);
    if ((opts.complete || all.has(f.key)) && (v === undefined || v === null || v === '')) throw invalid(`details.${f.key} is required`, { field: `details.${f.key}` });
  }
  return leaves;
}

// ---- metadata as the API answers it --------------------------------------------------------------

export function layoutFieldsOf(ws: Workspace, schema: SchemaRec, lang: string) {
  return schema.layout.map((l) => ({
    key: l.key,
    label: localize(ws, l.label, lang),
    fieldType: l.fieldType,
    parentKey: l.parentKey ?? null,
    tooltip: localize(ws, l.tooltip, lang),
    isHidden: l.isHidden ?? false,
    isLabelHidden: l.isLabelHidden ?? false,
    toggleHidden: l.toggleHidden ?? null,
  }));
}

/** The layout elements enclosing a field: its dotted prefixes that are layout keys, outermost first. */
function layoutPathOf(schema: SchemaRec, key: string): LayoutFixture[] {
  const parts = key.split('.');
  const out: LayoutFixture[] = [];
  for (let i = 1; i < parts.length; i++) {
    const l = schema.layout.find((x) => x.key === parts.slice(0, i).join('.'));
    if (l) out.push(l);
  }
  return out;
}

export function inputFieldsOf(ws: Workspace, schema: SchemaRec, lang: string, filter: { fieldKeys?: string[] | null; layoutPathKey?: string | null }) {
  const keys = filter.fieldKeys?.length ? new Set(filter.fieldKeys) : null;
  return schema.fields
    .filter((f) => !keys || keys.has(f.key))
    .map((f) => ({ f, path: layoutPathOf(schema, f.key) }))
    .filter(({ path }) => !filter.layoutPathKey || path.some((l) => l.key === filter.layoutPathKey))
    .map(({ f, path }) => ({
      key: f.key,
      label: localize(ws, f.label, lang),
      fieldType: f.fieldType,
      listKey: f.listKey ?? null,
      listHierarchyFilterKey: f.listHierarchyFilterKey ?? null,
      isReadOnly: f.isReadOnly ?? false,
      isArrayItem: f.isArrayItem ?? false,
      tooltip: localize(ws, f.tooltip, lang),
      layoutPath: path.map((l) => ({ label: localize(ws, l.label, lang), key: l.key })),
      placeholder: localize(ws, f.placeholder, lang),
      isRequired: f.isRequired ?? false,
      isApprovalRequired: f.isApprovalRequired ?? false,
      isHidden: f.isHidden ?? false,
      validations: f.validations ? { minLength: null, maxLength: null, regularExpression: null, minDate: null, maxDate: null, minValue: null, maxValue: null, decimal: null, ...f.validations } : null,
      toggleHidden: f.toggleHidden ?? null,
      currency: f.currency ?? null,
      alias: f.alias ?? null,
    }));
}

/** Loads the fixture schemas (a new or reset workspace). */
export function loadSchemas(ws: Workspace, coll: Collection<SchemaRec>): void {
  for (const s of additivFixtures(ws).schemas) {
    const fields = structuredClone(s.fields);
    const layout = structuredClone(s.layout);
    coll.insert(ws, { key: s.key, schema: componentsText(fields, layout), jsonSchema: JSON.stringify(jsonSchemaOf(fields)), fields, layout }, { id: s.id });
  }
}

/** After a PUT: the components read from the new `schema` text, the JSON schema derived unless given. */
export function applySchemaUpdate(rec: SchemaRec, body: { schema?: string | null; jsonSchema?: string | null }): void {
  if (typeof body.schema === 'string') {
    const { fields, layout } = parseComponents(body.schema);
    rec.fields = fields;
    rec.layout = layout;
  } else if (body.schema === null || body.schema === undefined) {
    rec.schema = componentsText(rec.fields, rec.layout);
  }
  if (typeof body.jsonSchema === 'string') {
    try {
      JSON.parse(body.jsonSchema);
    } catch (e) {
      throw invalid(`'jsonSchema' is not valid JSON: ${(e as Error).message}`, { field: 'jsonSchema' });
    }
  } else rec.jsonSchema = JSON.stringify(jsonSchemaOf(rec.fields));
}
