// The generic collection engine: list (paging, sorting, equality filters), get, create,
// partial update, replace and delete over a workspace table, with optimistic locking and unique
// keys. What differs between vendors (envelopes, field names, id shapes) is an ApiStyle; what
// differs between collections is a CollectionConfig. Attribute lists come from the spec.
import { parseTimestamp } from './clock.js';
import { invalid, notFound, SimError } from './errors.js';
import type { JsonSchema } from './spec.js';
import type { Rec, Table } from './store.js';
import type { Workspace } from './workspace.js';

export interface Page {
  offset: number;
  limit: number;
  total: number;
}

/** How one vendor API shapes collections. */
export interface ApiStyle {
  api: string;
  newId(ws: Workspace, collection: string): string;
  versionField: string | null;
  createdField: string | null;
  updatedField: string | null;
  formatTime(t: number): unknown;
  defaultLimit: number;
  maxLimit: number;
}

/** The shape of a resource, read from its response schema. */
export interface ResourceShape {
  /** Output attributes in schema order. */
  fields: string[];
  dateFields: Set<string>;
  arrayFields: Set<string>;
  numberFields: Set<string>;
  integerFields: Set<string>;
  booleanFields: Set<string>;
}

export interface CollectionConfig<T extends Rec = Rec> {
  style: ApiStyle;
  /** Table name: the resource's plural path segment (`message_templates`). */
  name: string;
  shape: ResourceShape;
  /** Records belong to a parent: field holding the parent id. */
  parentField?: string;
  /** Field tuples that must be unique (empty values never clash), optionally within the parent. */
  uniqueKeys?: string[][];
  /** Attributes the client may never write (beyond id, version and timestamps). */
  readOnly?: string[];
  /** Values of a new record before the body is applied. */
  defaults?(ws: Workspace): Partial<T>;
  /** Only records the caller may see (e.g. soft-deleted ones hidden). */
  visible?(rec: T, ws: Workspace): boolean;
}

export function shapeOf(schema: JsonSchema | undefined): ResourceShape {
  const props: Record<string, JsonSchema> = schema?.properties ?? {};
  const shape: ResourceShape = {
    fields: Object.keys(props),
    dateFields: new Set(),
    arrayFields: new Set(),
    numberFields: new Set(),
    integerFields: new Set(),
    booleanFields: new Set(),
  };
  for (const [k, s] of Object.entries(props)) {
    const t = s.type ?? s.allOf?.[0]?.type ?? s.anyOf?.[0]?.type;
    const fmt = s.format ?? s.allOf?.[0]?.format;
    if (t === 'string' && fmt === 'date-time') shape.dateFields.add(k);
    else if (t === 'array') shape.arrayFields.add(k);
    else if (t === 'number') shape.numberFields.add(k);
    else if (t === 'integer') shape.integerFields.add(k);
    else if (t === 'boolean') shape.booleanFields.add(k);
  }
  return shape;
}

/** Splits a `,`/`;` separated string; arrays pass through; null stays null. */
export function toStringList(v: unknown): string[] | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map((x) => String(x).trim()).filter((x) => x !== '');
  return String(v)
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export class Collection<T extends Rec = Rec> {
  constructor(readonly cfg: CollectionConfig<T>) {}

  table(ws: Workspace): Table<T> {
    return ws.table<T>(this.cfg.style.api, this.cfg.name);
  }

  private isVisible(ws: Workspace, rec: T, parent?: string): boolean {
    if (this.cfg.parentField && parent !== undefined && rec[this.cfg.parentField] !== parent) return false;
    return this.cfg.visible ? this.cfg.visible(rec, ws) : true;
  }

  /** The record, or a not_found error naming the resource. */
  get(ws: Workspace, id: string, parent?: string): T {
    const rec = this.table(ws).get(id);
    if (!rec || !this.isVisible(ws, rec, parent)) throw notFound(`${this.label()} ${id} not found`, { id });
    return rec;
  }

  find(ws: Workspace, id: string, parent?: string): T | undefined {
    const rec = this.table(ws).get(id);
    return rec && this.isVisible(ws, rec, parent) ? rec : undefined;
  }

  /** The style's version/timestamp fields, when this resource has them. */
  private sysField(which: 'versionField' | 'createdField' | 'updatedField'): string | null {
    const f = this.cfg.style[which];
    return f && this.cfg.shape.fields.includes(f) ? f : null;
  }

  label(): string {
    return this.cfg.name.replace(/s$/, '').replace(/_/g, ' ');
  }

  /** Converts a value written by the client to the stored form of attribute `field`. */
  normalize(field: string, value: unknown): unknown {
    const { shape, style } = this.cfg;
    if (value === undefined || value === null) return null;
    if (shape.dateFields.has(field)) {
      const t = parseTimestamp(value);
      if (t === undefined) throw invalid(`body field '${field}' must be an ISO 8601 timestamp or epoch milliseconds`, { field });
      return style.formatTime(t);
    }
    if (shape.arrayFields.has(field)) return toStringList(value);
    if (shape.booleanFields.has(field) && typeof value === 'string') return value.toLowerCase() === 'true';
    if ((shape.numberFields.has(field) || shape.integerFields.has(field)) && typeof value === 'string' && value.trim() !== '') {
      const n = Number(value);
      if (Number.isNaN(n)) throw invalid(`body field '${field}' must be a number`, { field });
      return n;
    }
    return value;
  }

  private systemFields(): Set<string> {
    const { style } = this.cfg;
    return new Set(
      ['id', style.versionField, style.createdField, style.updatedField, this.cfg.parentField, ...(this.cfg.readOnly ?? [])].filter(
        (x): x is string => Boolean(x),
      ),
    );
  }

  /** The attributes a body may write: the request schema's properties that are resource fields. */
  writable(bodySchema: JsonSchema | undefined): string[] {
    const sys = this.systemFields();
    const props = Object.keys(bodySchema?.properties ?? {});
    const fields = new Set(this.cfg.shape.fields);
    return props.filter((p) => fields.has(p) && !sys.has(p));
  }

  /** Values of `body` for the writable attributes, normalised. */
  pick(body: Record<string, unknown> | undefined, bodySchema: JsonSchema | undefined): Partial<T> {
    const out: Record<string, unknown> = {};
    if (!body) return out as Partial<T>;
    for (const f of this.writable(bodySchema)) if (f in body) out[f] = this.normalize(f, body[f]);
    return out as Partial<T>;
  }

  /** 409 stale when the body carries a version different from the record's. */
  checkVersion(rec: T, body: Record<string, unknown> | undefined): void {
    const vf = this.sysField('versionField');
    if (!vf || !body || body[vf] === undefined || body[vf] === null) return;
    const sent = Number(body[vf]);
    if (sent !== rec[vf]) {
      throw new SimError('stale', `${this.label()} ${rec.id} is at version ${rec[vf]}, the request was based on version ${body[vf]}`, {
        field: vf,
        current: rec[vf],
      });
    }
  }

  /** 409 duplicate when a unique key of `candidate` is taken by another record. */
  checkUnique(ws: Workspace, candidate: Partial<T> & { id?: string }): void {
    for (const key of this.cfg.uniqueKeys ?? []) {
      const values = key.map((k) => candidate[k]);
      if (values.some((v) => v === undefined || v === null || v === '')) continue;
      const clash = this.table(ws).find(
        (r) =>
          r.id !== candidate.id &&
          (!this.cfg.parentField || r[this.cfg.parentField] === candidate[this.cfg.parentField]) &&
          (!this.cfg.visible || this.cfg.visible(r, ws)) &&
          key.every((k, i) => r[k] === values[i]),
      );
      if (clash) {
        throw new SimError('duplicate', `${key.join(' + ')} ${values.map((v) => JSON.stringify(v)).join(' + ')} is already used by ${this.label()} ${clash.id}`, {
          field: key.join(','),
        });
      }
    }
  }

  /** Sets version/timestamps of a changed record and marks it for persistence. */
  bump(ws: Workspace, rec: T): T {
    const r = rec as Record<string, unknown>;
    const vf = this.sysField('versionField');
    const uf = this.sysField('updatedField');
    if (vf) r[vf] = ((r[vf] as number) ?? 0) + 1;
    if (uf) r[uf] = this.cfg.style.formatTime(ws.now());
    return this.table(ws).touch(rec);
  }

  /** Inserts a new record built from defaults, `values` and system fields. */
  insert(ws: Workspace, values: Partial<T>, opts: { parent?: string; id?: string } = {}): T {
    const { style, shape } = this.cfg;
    const now = style.formatTime(ws.now());
    const rec: Record<string, unknown> = {};
    for (const f of shape.fields) rec[f] = null;
    Object.assign(rec, this.cfg.defaults?.(ws) ?? {}, values);
    rec.id = opts.id ?? style.newId(ws, this.cfg.name);
    if (this.cfg.parentField && opts.parent !== undefined) rec[this.cfg.parentField] = opts.parent;
    const vf = this.sysField('versionField');
    const cf = this.sysField('createdField');
    const uf = this.sysField('updatedField');
    if (vf) rec[vf] = 1;
    if (cf) rec[cf] = now;
    if (uf) rec[uf] = now;
    this.checkUnique(ws, rec as Partial<T>);
    return this.table(ws).put(rec as T);
  }

  create(ws: Workspace, body: Record<string, unknown> | undefined, bodySchema: JsonSchema | undefined, opts: { parent?: string; extra?: Partial<T> } = {}): T {
    return this.insert(ws, { ...this.pick(body, bodySchema), ...(opts.extra ?? {}) }, { parent: opts.parent });
  }

  /** Partial update: only the attributes present in the body change. */
  update(ws: Workspace, id: string, body: Record<string, unknown> | undefined, bodySchema: JsonSchema | undefined, parent?: string): T {
    const rec = this.get(ws, id, parent);
    this.checkVersion(rec, body);
    const patch = this.pick(body, bodySchema);
    this.checkUnique(ws, { ...rec, ...patch });
    Object.assign(rec, patch);
    return this.bump(ws, rec);
  }

  /** Replace: every writable attribute takes the body's value or its default. */
  replace(ws: Workspace, id: string, body: Record<string, unknown> | undefined, bodySchema: JsonSchema | undefined, parent?: string): T {
    const rec = this.get(ws, id, parent);
    this.checkVersion(rec, body);
    const defaults = (this.cfg.defaults?.(ws) ?? {}) as Record<string, unknown>;
    const next: Record<string, unknown> = {};
    for (const f of this.writable(bodySchema)) next[f] = f in defaults ? defaults[f] : null;
    Object.assign(next, this.pick(body, bodySchema));
    this.checkUnique(ws, { ...rec, ...next } as Partial<T>);
    Object.assign(rec, next);
    return this.bump(ws, rec);
  }

  remove(ws: Workspace, id: string, parent?: string): T {
    const rec = this.get(ws, id, parent);
    this.table(ws).remove(id);
    return rec;
  }

  /** Records matching equality filters, sorted and paged. */
  list(
    ws: Workspace,
    query: Record<string, unknown>,
    opts: { parent?: string; filterFields?: Iterable<string>; where?: (r: T) => boolean } = {},
  ): { items: T[]; page: Page } {
    const { style, shape } = this.cfg;
    const offset = query.offset === undefined ? 0 : Number(query.offset);
    const limit = query.limit === undefined ? style.defaultLimit : Number(query.limit);
    if (!Number.isInteger(offset) || offset < 0) throw invalid(`query parameter 'offset' must be an integer >= 0`, { field: 'offset' });
    if (!Number.isInteger(limit) || limit < 1 || limit > style.maxLimit) {
      throw invalid(`query parameter 'limit' must be an integer from 1 to ${style.maxLimit}`, { field: 'limit' });
    }
    const fields = new Set(shape.fields);
    const filters: Array<(r: T) => boolean> = [];
    for (const name of opts.filterFields ?? Object.keys(query)) {
      if (name === 'offset' || name === 'limit' || name === 'sort') continue;
      const want = query[name];
      if (want === undefined || !fields.has(name)) continue;
      filters.push(this.filterFor(name, want));
    }
    const sorters = this.sorters(query.sort);
    let items = this.table(ws).filter(
      (r) => this.isVisible(ws, r, opts.parent) && (!opts.where || opts.where(r)) && filters.every((f) => f(r)),
    );
    if (sorters.length) {
      items = items
        .map((r, i) => ({ r, i }))
        .sort((a, b) => {
          for (const s of sorters) {
            const c = s(a.r, b.r);
            if (c) return c;
          }
          return a.i - b.i;
        })
        .map((x) => x.r);
    }
    return { items: items.slice(offset, offset + limit), page: { offset, limit, total: items.length } };
  }

  private filterFor(name: string, want: unknown): (r: T) => boolean {
    const { shape } = this.cfg;
    if (shape.arrayFields.has(name)) {
      const w = String(want);
      return (r) => Array.isArray(r[name]) && (r[name] as unknown[]).some((x) => String(x) === w);
    }
    if (shape.dateFields.has(name)) {
      const t = parseTimestamp(want);
      if (t === undefined) throw invalid(`query parameter '${name}' must be an ISO 8601 timestamp or epoch milliseconds`, { field: name });
      return (r) => r[name] !== null && parseTimestamp(r[name]) === t;
    }
    if (shape.booleanFields.has(name)) {
      const w = want === true || String(want).toLowerCase() === 'true';
      return (r) => Boolean(r[name]) === w;
    }
    if (shape.numberFields.has(name) || shape.integerFields.has(name)) {
      const w = Number(want);
      return (r) => r[name] !== null && Number(r[name]) === w;
    }
    const w = String(want);
    return (r) => r[name] !== null && r[name] !== undefined && String(r[name]) === w;
  }

  private sorters(sort: unknown): Array<(a: T, b: T) => number> {
    if (sort === undefined || sort === null || sort === '') return [];
    const fields = new Set(this.cfg.shape.fields);
    return String(sort)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        const desc = s.startsWith('-');
        const name = desc || s.startsWith('+') ? s.slice(1) : s;
        if (!fields.has(name)) throw invalid(`query parameter 'sort': unknown attribute '${name}'`, { field: 'sort' });
        const dir = desc ? -1 : 1;
        return (a: T, b: T) => dir * compareValues(a[name], b[name]);
      });
  }

  /** The record as the client sees it: exactly the schema's attributes, absent ones null. */
  render(rec: T): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of this.cfg.shape.fields) out[f] = rec[f] === undefined ? null : rec[f];
    return out;
  }
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}
