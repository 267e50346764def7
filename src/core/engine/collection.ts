// The collection engine: list, get, create, partial update, replace and delete over a workspace
// table, with ids, versions, timestamps, unique keys, partitions (parent records or accounts),
// filters, sorting and paging, all configured as data: what differs between vendors is an
// ApiStyle, what differs between collections is a CollectionConfig. Attribute lists come from
// the spec. Unique keys, partitions and declared filter attributes are answered from indexes.
import { deepEqual } from '../clone.js';
import { parseTimestamp } from '../clock.js';
import { invalid, notFound, SimError } from '../errors.js';
import type { JsonSchema } from '../spec.js';
import type { Rec } from '../record.js';
import { fieldIndex, keyOfValue, type IndexSpec, type Table } from '../table.js';
import type { Workspace } from '../workspace.js';
import { nextInSequence, randomId, reserveInSequence, sequenceKey, uuid } from './ids.js';
import { envelope, planList, runList, type Exclusion, type FilterSpec, type PageInfo, type Queryable, type SortKey } from './query.js';
import { propertiesOf, type ResourceShape } from './shape.js';
import type { ApiStyle, ListStyle, ResourceStyle } from './styles.js';

export interface UniqueKey {
  fields: string[];
  /** Values are compared after this (normalised phone numbers, lower case). */
  normalize?: (v: unknown) => unknown;
  /** A write may ask to skip this check (Clever's `duplicates=1`). */
  bypassable?: boolean;
  /** The conflict's message (default: "<fields> <values> is already used by <label> <id>"). */
  message?: (values: unknown[], clash: Rec) => string;
  /** Error details: vendor code and the field to name. */
  code?: string;
  field?: string;
}

export interface FieldDecl {
  /** Other spellings accepted on input, after the attribute's own name. */
  aliases?: string[];
  /**
   * The input names in priority order, replacing [the attribute's name, ...aliases]; a dotted
   * name reads a nested value (`account.company.city`). Null counts as absent.
   */
  from?: string[];
  /** Converts a written value to its stored form (after the kind's own conversion). */
  input?: (v: unknown, ws: Workspace) => unknown;
  /** Converts the stored value for responses. */
  output?: (v: unknown, rec: Rec) => unknown;
  /**
   * A second public spelling of another attribute: rendered, filtered and sorted with that
   * attribute's stored value, never written itself (declare the spelling as an alias of the
   * stored attribute to accept it on input).
   */
  mirror?: string;
}

export interface CollectionConfig<T extends Rec = Rec> {
  api: ApiStyle;
  /** Table name (`/_sim/workspaces/{ws}/state/{api}/{name}`). */
  name: string;
  shape: ResourceShape;
  /** The resource's name in messages (default: the table name in the singular). */
  label?: string;
  /** The key of single-resource bodies (`{contact: {...}}`). */
  wrap?: string;
  resource?: Partial<ResourceStyle>;
  list?: Partial<ListStyle>;
  /** Records belong to a parent record or an account: the field holding its id. */
  partition?: string;
  uniqueKeys?: Array<string[] | UniqueKey>;
  /** Further attributes with an equality index. */
  indexes?: string[];
  filters?: Record<string, FilterSpec>;
  /** Attributes searched by the style's text-search parameter. */
  search?: string[];
  /** Attributes that may be sorted on (default: every attribute). */
  sortable?: string[];
  defaultSort?: SortKey[];
  /** Attributes the client may never write (beyond id, version and timestamps). */
  readOnly?: string[];
  fields?: Record<string, FieldDecl>;
  /** Values of a new record before the body is applied. */
  defaults?(ws: Workspace): Partial<T>;
  /** Only records the caller may see (e.g. soft-deleted ones hidden). */
  visible?(rec: T): boolean;
  /** Records whose `field` holds one of `values` do not exist for clients (soft deletes), as data. */
  hidden?: { field: string; values: unknown[] };
  /** Vendor codes of this collection's errors. */
  codes?: { notFound?: string; duplicate?: string; stale?: string };
  /** The parameter an error about a missing record names (e.g. the path parameter). */
  errorField?: string;
  /** The not-found message (default "<label> <id> not found"). */
  notFoundMessage?: (id: unknown) => string;
}

export interface WriteOptions {
  /** The parent record's or account's id (see `partition`). */
  partition?: string;
  /** Skip the unique keys marked `bypassable`. */
  allowDuplicates?: boolean;
}

export type Page = PageInfo;

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
  readonly resource: ResourceStyle;
  readonly listStyle: ListStyle;
  private readonly uniques: Array<UniqueKey & { index: IndexSpec<T> }>;
  private readonly indexSpecs: IndexSpec<T>[];
  private readonly query: Queryable;
  private readonly system: Set<string>;
  private readonly aliasOf = new Map<string, string>();
  private readonly tables = new WeakMap<object, Table<T>>();
  private readonly writableCache = new WeakMap<object, string[]>();
  /** Every attribute of the shape, undefined: the start of each new record. */
  private readonly blank: Record<string, undefined>;

  constructor(readonly cfg: CollectionConfig<T>) {
    this.resource = { ...cfg.api.resource, ...(cfg.resource ?? {}), codes: { ...(cfg.api.resource.codes ?? {}), ...(cfg.codes ?? {}) } };
    this.listStyle = { ...cfg.api.list, ...(cfg.list ?? {}) };
    const part = cfg.partition;
    this.uniques = (cfg.uniqueKeys ?? []).map((u) => {
      const key: UniqueKey = Array.isArray(u) ? { fields: u } : u;
      const fields = part ? [part, ...key.fields] : key.fields;
      const norm = key.normalize;
      const spec = fieldIndex<T>(fields, undefined, `unique:${fields.join('+')}`);
      const visible = (r: T) => this.isVisible(r);
      return {
        ...key,
        index: {
          name: spec.name,
          key: (r: T) => {
            if (!visible(r)) return undefined;
            return spec.key((norm ? normalizedCopy(r, key.fields, norm) : r) as T);
          },
        },
      };
    });
    const eq = new Set([...(part ? [part] : []), ...(cfg.indexes ?? [])]);
    for (const f of Object.values(cfg.filters ?? {})) if ('field' in f && (f.op ?? 'eq') === 'eq' && cfg.indexes?.includes(f.field)) eq.add(f.field);
    this.indexSpecs = [...this.uniques.map((u) => u.index), ...[...eq].map((f) => fieldIndex<T>([f]))];
    const style = this.resource;
    this.system = new Set(
      ['id', style.id.field, style.version?.field, style.created, style.updated, part, ...(cfg.readOnly ?? [])].filter((x): x is string => Boolean(x)),
    );
    const mirrors = new Map(Object.entries(cfg.fields ?? {}).flatMap(([f, d]) => (d.mirror ? [[f, d.mirror] as const] : [])));
    for (const f of mirrors.keys()) this.system.add(f);
    for (const [f, d] of Object.entries(cfg.fields ?? {})) for (const a of d.aliases ?? []) this.aliasOf.set(a, f);
    this.blank = Object.fromEntries(cfg.shape.fields.map((f) => [f, undefined]));
    this.query = {
      shape: cfg.shape,
      list: this.listStyle,
      filters: cfg.filters ?? {},
      search: cfg.search ?? [],
      sortable: cfg.sortable ?? null,
      defaultSort: cfg.defaultSort ?? [],
      partitionField: part ?? null,
      indexed: eq,
      // Ids restarting per partition are stored as `<partition>:<n>` and listed as n.
      derived: new Set([...(part && style.id.field === 'id' && style.id.scope === 'partition' ? ['id'] : []), ...mirrors.keys()]),
      parseTime: (v) => this.resource.parseTime?.(v) ?? parseTimestamp(v),
      valueOf: (r, f) => (f === style.id.field ? this.publicId(r) : r[mirrors.get(f) ?? f]),
    };
  }

  get name(): string {
    return this.cfg.name;
  }

  /** The workspace table, with this collection's indexes. */
  table(ws: Workspace): Table<T> {
    const cached = this.tables.get(ws.doc);
    // A store replaced wholesale (reset, snapshot import) has new tables: look them up again.
    if (cached && (ws.doc.table(cached.name) as unknown) === cached) return cached;
    const t = ws.table<T>(this.cfg.api.api, this.cfg.name);
    for (const spec of this.indexSpecs) if (!t.index(spec.name)) t.ensureIndex(spec);
    this.tables.set(ws.doc, t);
    return t;
  }

  label(): string {
    return this.cfg.label ?? this.cfg.name.replace(/s$/, '').replace(/_/g, ' ');
  }

  // ---- ids -----------------------------------------------------------------------------------

  /** The id clients see. */
  publicId(rec: Rec): string | number {
    const id = this.resource.id;
    const raw = id.field !== 'id' && rec[id.field] !== undefined && rec[id.field] !== null ? rec[id.field] : this.cfg.partition && id.scope === 'partition' ? rec.id.slice(rec.id.lastIndexOf(':') + 1) : rec.id;
    return id.type === 'integer' ? Number(raw) : String(raw);
  }

  /** The table key of a record given its public id. */
  keyFor(publicId: string | number, partition?: string): string {
    const id = this.resource.id;
    if (id.kind === 'sequence' && id.scope === 'partition' && partition !== undefined) return `${partition}:${publicId}`;
    return String(publicId);
  }

  private sequenceOf(partition?: string): string {
    const id = this.resource.id;
    return sequenceKey(this.cfg.api.api, id.sequence ?? this.cfg.name, id.scope === 'partition' ? partition ?? '' : undefined);
  }

  private newKey(ws: Workspace, partition?: string): { key: string; publicId: string | number } {
    const id = this.resource.id;
    const t = this.table(ws);
    if (id.kind === 'sequence') {
      for (;;) {
        const n = nextInSequence(ws, this.sequenceOf(partition), id.start ?? 1);
        const key = this.keyFor(n, partition);
        if (!t.has(key)) return { key, publicId: n };
      }
    }
    for (;;) {
      const key = id.kind === 'uuid' ? uuid(ws) : randomId(ws, id);
      if (!t.has(key)) return { key, publicId: key };
    }
  }

  /** Records loaded with explicit sequence ids (fixtures) keep the sequence above them. */
  reserveId(ws: Workspace, used: number, partition?: string): void {
    const id = this.resource.id;
    if (id.kind === 'sequence') reserveInSequence(ws, this.sequenceOf(partition), used, id.start ?? 1);
  }

  // ---- reads ---------------------------------------------------------------------------------

  private isVisible(rec: T): boolean {
    const h = this.cfg.hidden;
    if (h && h.values.includes(rec[h.field])) return false;
    return this.cfg.visible ? this.cfg.visible(rec) : true;
  }

  private inScope(rec: T, partition?: string): boolean {
    if (this.cfg.partition && partition !== undefined && rec[this.cfg.partition] !== partition) return false;
    return this.isVisible(rec);
  }

  /** The record for reading only, or undefined (no error). */
  lookup(ws: Workspace, id: string | number, partition?: string): T | undefined {
    const rec = this.table(ws).peek(this.keyFor(id, partition));
    return rec && this.inScope(rec, partition) ? rec : undefined;
  }

  /** The first record (creation order) whose attribute `field` equals `value`, read-only. */
  lookupBy(ws: Workspace, field: string, value: unknown, partition?: string): T | undefined {
    const kind = this.cfg.shape.kinds.get(field);
    const v = (kind === 'integer' || kind === 'number') && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
    for (const rec of this.table(ws).lookup(field, v)) if (this.inScope(rec, partition)) return rec;
    return undefined;
  }

  notFoundError(id: unknown): SimError {
    const message = this.cfg.notFoundMessage ? this.cfg.notFoundMessage(id) : `${this.label()} ${id} not found`;
    return notFound(message, { id, code: this.resource.codes?.notFound, ...(this.cfg.errorField ? { field: this.cfg.errorField } : {}) });
  }

  /** The record, or the collection's not-found error. */
  get(ws: Workspace, id: string | number, partition?: string): T {
    const rec = this.find(ws, id, partition);
    if (!rec) throw this.notFoundError(id);
    return rec;
  }

  /** The record for reading only (rendering): not copied for the transaction. */
  view(ws: Workspace, id: string | number, partition?: string): T {
    const rec = this.table(ws).peek(this.keyFor(id, partition));
    if (!rec || !this.inScope(rec, partition)) throw this.notFoundError(id);
    return rec;
  }

  find(ws: Workspace, id: string | number, partition?: string): T | undefined {
    const t = this.table(ws);
    const key = this.keyFor(id, partition);
    const peeked = t.peek(key);
    if (!peeked || !this.inScope(peeked, partition)) return undefined;
    return t.get(key);
  }

  // ---- writes --------------------------------------------------------------------------------

  /** The style's version/timestamp fields, when this resource has them. */
  private sysField(which: 'version' | 'created' | 'updated'): string | null {
    const f = which === 'version' ? this.resource.version?.field : this.resource[which];
    return f && this.cfg.shape.kinds.has(f) ? f : null;
  }

  /** Converts a value written by the client to the stored form of attribute `field`. */
  normalize(field: string, value: unknown, ws?: Workspace): unknown {
    if (value === undefined || value === null) return null;
    const kind = this.cfg.shape.kinds.get(field);
    let v: unknown = value;
    if (kind === 'date') {
      const t = parseTimestamp(value) ?? this.resource.parseTime?.(value);
      if (t === undefined) throw invalid(`body field '${field}' must be an ISO 8601 timestamp or epoch milliseconds`, { field });
      v = this.resource.formatTime(t);
    } else if (kind === 'stringArray') v = toStringList(value);
    else if (kind === 'boolean' && typeof value === 'string') v = value.toLowerCase() === 'true';
    else if ((kind === 'number' || kind === 'integer') && typeof value === 'string' && value.trim() !== '') {
      const n = Number(value);
      if (Number.isNaN(n)) throw invalid(`body field '${field}' must be a number`, { field });
      v = n;
    }
    const decl = this.cfg.fields?.[field];
    return decl?.input && ws ? decl.input(v, ws) : v;
  }

  /**
   * The attributes a body may write: those the request schema names (directly or by an alias)
   * that are resource attributes and not system ones; `'all'` for every such attribute.
   */
  writable(bodySchema: JsonSchema | 'all' | undefined): string[] {
    const key = bodySchema === undefined ? NO_SCHEMA : bodySchema === 'all' ? ALL : bodySchema;
    let w = this.writableCache.get(key);
    if (!w) {
      const fields = this.cfg.shape.fields.filter((f) => !this.system.has(f));
      if (bodySchema === 'all') w = fields;
      else {
        const props = new Set(Object.keys(propertiesOf(bodySchema)));
        w = fields.filter((f) => this.inputNames(f).some((a) => props.has(a.split('.')[0])));
      }
      this.writableCache.set(key, w);
    }
    return w;
  }

  private inputNames(f: string): string[] {
    const d = this.cfg.fields?.[f];
    return d?.from ?? [f, ...(d?.aliases ?? [])];
  }

  /** Values of `body` for the writable attributes (aliases resolved), normalised. */
  pick(body: Record<string, unknown> | undefined, bodySchema: JsonSchema | 'all' | undefined, ws?: Workspace): Partial<T> {
    const out: Record<string, unknown> = {};
    if (!body) return out as Partial<T>;
    for (const f of this.writable(bodySchema)) {
      const decl = this.cfg.fields?.[f];
      if (!decl?.from && f in body) {
        out[f] = this.normalize(f, body[f], ws);
        continue;
      }
      for (const name of decl?.from ?? decl?.aliases ?? []) {
        const v = readPath(body, name);
        if (v === undefined || v === null) continue;
        out[f] = this.normalize(f, v, ws);
        break;
      }
    }
    return out as Partial<T>;
  }

  /** 409 stale when the body carries a version different from the record's. */
  /**
   * An `If-Match` request header against the record's version: `*`, or one of the listed
   * versions (quoted or not, weak or strong), holds; anything else is a failed precondition.
   * Nothing to check without the header or a version field.
   */
  checkIfMatch(rec: T, ifMatch: string | undefined): void {
    const vf = this.sysField('version');
    if (!vf || ifMatch === undefined || ifMatch.trim() === '*') return;
    const wanted = ifMatch.split(',').map((v) => v.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'));
    if (wanted.includes(String(rec[vf]))) return;
    throw new SimError('precondition', `${this.label()} ${this.publicId(rec)} is at version ${rec[vf]}, If-Match asked for ${wanted.join(', ')}`, { field: vf, current: rec[vf] });
  }

  checkVersion(rec: T, body: Record<string, unknown> | undefined): void {
    const vf = this.sysField('version');
    if (!vf) return;
    const sent = body?.[vf];
    if (sent === undefined || sent === null) {
      if (this.resource.version?.required) {
        throw new SimError('stale', `${this.label()} ${this.publicId(rec)}: the write must carry '${vf}' (the current one is ${rec[vf]})`, { field: vf, current: rec[vf], code: this.resource.codes?.stale });
      }
      return;
    }
    if (Number(sent) !== rec[vf]) {
      throw new SimError('stale', `${this.label()} ${this.publicId(rec)} is at version ${rec[vf]}, the request was based on version ${sent}`, {
        field: vf,
        current: rec[vf],
        code: this.resource.codes?.stale,
      });
    }
  }

  /**
   * 409 duplicate when a unique key of `candidate` is taken by another record. A write that
   * leaves a key as it was in `before` (the record being updated) cannot conflict on it: a
   * duplicate created with the key bypassed stays writable (a GET body sent back is accepted).
   */
  checkUnique(ws: Workspace, candidate: Partial<T> & { id?: string }, opts: { allowDuplicates?: boolean; before?: T } = {}): void {
    const t = this.table(ws);
    for (const u of this.uniques) {
      if (u.bypassable && opts.allowDuplicates) continue;
      const key = u.index.key(candidate as T);
      if (key === undefined) continue;
      if (opts.before && deepEqual(u.index.key(opts.before), key)) continue;
      const keys = Array.isArray(key) ? key : [key];
      const idx = t.index(u.index.name)!;
      for (const k of keys) {
        const id = idx.other(k, candidate.id);
        if (id !== undefined) {
          const clash = t.peek(id);
          if (!clash) continue;
          const values = u.fields.map((f) => candidate[f]);
          const message = u.message
            ? u.message(values, clash)
            : `${u.fields.join(' + ')} ${values.map((v) => JSON.stringify(v)).join(' + ')} is already used by ${this.label()} ${this.publicId(clash)}`;
          throw new SimError('duplicate', message, { field: u.field ?? u.fields.join(','), code: u.code ?? this.resource.codes?.duplicate });
        }
      }
    }
  }

  /** Sets version/timestamps of a changed record and marks it for persistence. */
  bump(ws: Workspace, rec: T): T {
    const r = rec as Record<string, unknown>;
    const vf = this.sysField('version');
    const uf = this.sysField('updated');
    if (vf) r[vf] = ((r[vf] as number) ?? this.resource.version!.start) + 1;
    if (uf) r[uf] = this.resource.formatTime(ws.now());
    return this.table(ws).touch(rec);
  }

  /** Inserts a new record built from defaults, `values` and system fields. */
  insert(ws: Workspace, values: Partial<T>, opts: WriteOptions & { id?: string | number } = {}): T {
    const style = this.resource;
    const now = style.formatTime(ws.now());
    // The system attributes first, then one spread builds the record: V8 keeps it a compact
    // fast-properties object (properties added one by one under computed names, as
    // Object.assign does, turn it into a hash table about three times the size). Unset
    // attributes are not stored: render() writes them as the style says.
    const sys: Record<string, unknown> = {};
    const given = opts.id;
    if (given !== undefined) {
      sys.id = this.keyFor(given, opts.partition);
      if (style.id.field !== 'id') sys[style.id.field] = style.id.type === 'integer' ? Number(given) : given;
      if (style.id.kind === 'sequence' && Number.isInteger(Number(given))) this.reserveId(ws, Number(given), opts.partition);
    } else {
      const { key, publicId } = this.newKey(ws, opts.partition);
      sys.id = key;
      if (style.id.field !== 'id') sys[style.id.field] = publicId;
    }
    if (this.cfg.partition && opts.partition !== undefined) sys[this.cfg.partition] = opts.partition;
    const vf = this.sysField('version');
    const cf = this.sysField('created');
    const uf = this.sysField('updated');
    if (vf) sys[vf] = style.version!.start;
    if (cf) sys[cf] = now;
    if (uf) sys[uf] = now;
    const rec: Record<string, unknown> = { ...this.blank, ...(this.cfg.defaults?.(ws) ?? {}), ...values, ...sys };
    this.checkUnique(ws, rec as Partial<T>, opts);
    // newKey found the generated id free; a given one may replace a record.
    return given !== undefined ? this.table(ws).put(rec as T) : this.table(ws).putNew(rec as T);
  }

  create(
    ws: Workspace,
    body: Record<string, unknown> | undefined,
    bodySchema: JsonSchema | 'all' | undefined,
    opts: WriteOptions & { extra?: Partial<T> } = {},
  ): T {
    return this.insert(ws, { ...this.pick(body, bodySchema, ws), ...(opts.extra ?? {}) }, opts);
  }

  /** Partial update: only the attributes present in the body change. */
  update(
    ws: Workspace,
    id: string | number,
    body: Record<string, unknown> | undefined,
    bodySchema: JsonSchema | 'all' | undefined,
    partition?: string,
    opts: WriteOptions = {},
  ): T {
    const rec = this.get(ws, id, partition);
    this.checkVersion(rec, body);
    const patch = this.pick(body, bodySchema, ws);
    this.checkUnique(ws, { ...rec, ...patch }, { ...opts, before: rec });
    Object.assign(rec, patch);
    return this.bump(ws, rec);
  }

  /** Replace: every writable attribute takes the body's value or its default. */
  replace(
    ws: Workspace,
    id: string | number,
    body: Record<string, unknown> | undefined,
    bodySchema: JsonSchema | 'all' | undefined,
    partition?: string,
    opts: WriteOptions = {},
  ): T {
    const rec = this.get(ws, id, partition);
    this.checkVersion(rec, body);
    const defaults = (this.cfg.defaults?.(ws) ?? {}) as Record<string, unknown>;
    const next: Record<string, unknown> = {};
    for (const f of this.writable(bodySchema)) next[f] = f in defaults ? defaults[f] : null;
    Object.assign(next, this.pick(body, bodySchema, ws));
    this.checkUnique(ws, { ...rec, ...next } as Partial<T>, { ...opts, before: rec });
    Object.assign(rec, next);
    return this.bump(ws, rec);
  }

  remove(ws: Workspace, id: string | number, partition?: string): T {
    const rec = this.get(ws, id, partition);
    this.table(ws).remove(rec.id);
    return rec;
  }

  // ---- lists ---------------------------------------------------------------------------------

  /**
   * Records matching the request's filters, sorted and paged as the list style says. The items
   * are read-only (render them; to change one, get it by id).
   */
  list(
    ws: Workspace,
    input: Record<string, unknown>,
    opts: { partition?: string; where?: (r: T) => boolean; exclude?: Exclusion[] } = {},
  ): { items: T[]; page: Page } {
    const plan = planList(this.query, input);
    const visible = this.cfg.visible as ((r: Rec) => boolean) | undefined;
    const exclude = [...(this.cfg.hidden ? [this.cfg.hidden] : []), ...(opts.exclude ?? [])];
    return runList(this.query, this.table(ws), plan, { partition: opts.partition, where: opts.where as ((r: Rec) => boolean) | undefined, visible, exclude });
  }

  /** The list body in the style's envelope. */
  envelope(items: unknown[], page: Page, itemsName?: string | null): unknown {
    return envelope(this.listStyle, items, page, itemsName);
  }

  /** The record as the client sees it: the schema's attributes, nulls as the style says. */
  render(rec: T): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const omit = this.resource.nulls === 'omit';
    const idField = this.resource.id.field;
    for (const f of this.cfg.shape.fields) {
      const decl = this.cfg.fields?.[f];
      let v = f === idField ? this.publicId(rec) : rec[decl?.mirror ?? f];
      if (v === undefined || v === null) {
        if (!omit) out[f] = null;
        continue;
      }
      if (decl?.output) v = decl.output(v, rec);
      out[f] = v;
    }
    return out;
  }
}

/** `a.b.c` of an object (undefined when a step is missing). */
function readPath(obj: Record<string, unknown>, path: string): unknown {
  if (!path.includes('.')) return obj[path];
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const NO_SCHEMA = {};
const ALL = {};

function normalizedCopy(r: Rec, fields: string[], norm: (v: unknown) => unknown): Rec {
  const copy: Rec = { ...r };
  for (const f of fields) copy[f] = norm(r[f]);
  return copy;
}

export { keyOfValue };
