// Lists: paging, sorting, filters and text search read from a request as a ListStyle says,
// answered from the table's indexes where a filter allows it, then by one pass over the
// candidates that keeps only the page (a bounded heap when sorted). The cost is the number of
// candidates, never a sort of the whole table.
import { parseTimestamp } from '../clock.js';
import { invalid } from '../errors.js';
import type { Rec } from '../record.js';
import { keyOfValue, type Table } from '../table.js';
import type { FieldKind, ResourceShape } from './shape.js';
import type { ListStyle, PageFact } from './styles.js';

export type FilterOp = 'eq' | 'ne' | 'in' | 'gte' | 'gt' | 'lte' | 'lt' | 'contains' | 'prefix';

/** A list parameter that filters on an attribute. */
export interface FilterDecl {
  field: string;
  op?: FilterOp;
  /** How the parameter's value is read (default: the attribute's kind). */
  type?: 'string' | 'number' | 'boolean' | 'date';
  caseInsensitive?: boolean;
}

/** A parameter with a rule of its own. */
export interface FilterTest {
  test(value: unknown, rec: Rec): boolean;
}

export type FilterSpec = FilterDecl | FilterTest;

export interface PageInfo {
  offset: number;
  limit: number;
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  count: number;
}

export interface SortKey {
  field: string;
  desc: boolean;
}

/** What the planner needs to know of a collection. */
export interface Queryable {
  shape: ResourceShape;
  list: ListStyle;
  filters: Record<string, FilterSpec>;
  search: string[];
  /** Attributes that may be sorted on (default: every attribute). */
  sortable: string[] | null;
  defaultSort: SortKey[];
  partitionField: string | null;
  /** Attributes with an equality index on the table. */
  indexed: Set<string>;
  parseTime(v: unknown): number | undefined;
  /** Reads the value of an attribute for filtering and sorting (the id field, renamed ones). */
  valueOf(rec: Rec, field: string): unknown;
}

export interface ListOptions {
  partition?: string;
  /** An extra condition of the caller. */
  where?: (r: Rec) => boolean;
  visible?: (r: Rec) => boolean;
}

/** Looks parameters up by name (case-insensitively when the style says so). */
class Params {
  private lower: Map<string, string> | null;

  constructor(readonly input: Record<string, unknown>, ci: boolean) {
    this.lower = ci ? new Map(Object.keys(input).map((k) => [k.toLowerCase(), k])) : null;
  }

  name(param: string): string | undefined {
    if (!this.lower) return param in this.input ? param : undefined;
    return this.lower.get(param.toLowerCase());
  }

  get(param: string): unknown {
    const n = this.name(param);
    const v = n === undefined ? undefined : this.input[n];
    return v === '' ? undefined : v;
  }
}

const intOf = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN);

function readPaging(style: ListStyle, p: Params): { offset: number; limit: number; page: number; size: number } {
  const paging = style.paging;
  if (paging.kind === 'none') return { offset: 0, limit: Infinity, page: 1, size: Infinity };
  if (paging.kind === 'offset') {
    const rawOffset = p.get(paging.offset);
    const rawLimit = p.get(paging.limit);
    let offset = rawOffset === undefined ? 0 : intOf(rawOffset);
    let limit = rawLimit === undefined ? (paging.defaultLimit ?? Infinity) : intOf(rawLimit);
    if (paging.invalid === 'error') {
      if (!Number.isInteger(offset) || offset < 0) throw invalid(`query parameter '${paging.offset}' must be an integer >= 0`, { field: paging.offset });
      if (limit !== Infinity && (!Number.isInteger(limit) || limit < 1 || limit > paging.maxLimit)) {
        throw invalid(`query parameter '${paging.limit}' must be an integer from 1 to ${paging.maxLimit}`, { field: paging.limit });
      }
    } else {
      if (!Number.isInteger(offset) || offset < 0) offset = 0;
      if (!Number.isInteger(limit) || limit < 1) limit = paging.defaultLimit ?? Infinity;
      limit = Math.min(limit, paging.maxLimit);
    }
    return { offset, limit, page: limit === Infinity ? 1 : Math.floor(offset / limit) + 1, size: limit };
  }
  const rawPage = p.get(paging.page);
  const rawSize = p.get(paging.size);
  let page = rawPage === undefined ? paging.base : intOf(rawPage);
  let size = rawSize === undefined ? paging.defaultSize : intOf(rawSize);
  if (paging.invalid === 'error') {
    if (!Number.isInteger(page) || page < paging.base) throw invalid(`'${paging.page}' must be an integer >= ${paging.base}`, { field: paging.page });
    if (!Number.isInteger(size) || size < 1 || size > paging.maxSize) throw invalid(`'${paging.size}' must be an integer from 1 to ${paging.maxSize}`, { field: paging.size });
  } else {
    if (!Number.isInteger(page) || page < paging.base) page = paging.base;
    if (!Number.isInteger(size) || size < 1) size = paging.defaultSize;
    size = Math.min(size, paging.maxSize);
  }
  return { offset: (page - paging.base) * size, limit: size, page, size };
}

function readSort(q: Queryable, p: Params): SortKey[] {
  const style = q.list.sort;
  if (!style) return q.defaultSort;
  const allowed = q.sortable ?? q.shape.fields;
  const resolve = (name: string, param: string): string => {
    const exact = allowed.find((f) => f === name);
    if (exact) return exact;
    const ci = style.kind === 'field-order' && style.caseInsensitiveFields ? allowed.find((f) => f.toLowerCase() === name.toLowerCase()) : undefined;
    if (ci) return ci;
    throw invalid(`query parameter '${param}': unknown attribute '${name}'`, { field: param });
  };
  if (style.kind === 'signed') {
    const raw = p.get(style.param);
    if (raw === undefined || raw === null) return q.defaultSort;
    return String(raw)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        const desc = s.startsWith('-');
        const name = desc || s.startsWith('+') ? s.slice(1) : s;
        return { field: resolve(name, style.param), desc };
      });
  }
  const field = p.get(style.field);
  const order = p.get(style.order);
  if (field === undefined || field === null) return q.defaultSort;
  let desc = false;
  if (order !== undefined && order !== null) {
    const o = String(order).toLowerCase();
    if (style.descending.some((d) => d.toLowerCase() === o)) desc = true;
    else if (!style.ascending.some((a) => a.toLowerCase() === o)) {
      throw invalid(`'${style.order}' must be one of ${[...style.ascending, ...style.descending].map((v) => JSON.stringify(v)).join(', ')}`, { field: style.order });
    }
  }
  return [{ field: resolve(String(field), style.field), desc }];
}

function valuesOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return [v];
}

/** Parses a parameter value into the attribute's domain (400 naming the parameter when it cannot). */
function typedValue(kind: FieldKind | 'date', type: FilterDecl['type'], value: unknown, param: string, parseTime: (v: unknown) => number | undefined): unknown {
  const t = type ?? (kind === 'date' ? 'date' : kind === 'number' || kind === 'integer' ? 'number' : kind === 'boolean' ? 'boolean' : 'string');
  if (t === 'date') {
    const ms = parseTimestamp(value) ?? parseTime(value);
    if (ms === undefined) throw invalid(`query parameter '${param}' must be an ISO 8601 timestamp or epoch milliseconds`, { field: param });
    return ms;
  }
  if (t === 'number') {
    const n = Number(value);
    if (value === null || value === '' || Number.isNaN(n)) throw invalid(`query parameter '${param}' must be a number`, { field: param });
    return n;
  }
  if (t === 'boolean') return value === true || String(value).toLowerCase() === 'true';
  return String(value);
}

interface Compiled {
  pred: (r: Rec) => boolean;
  /** An equality an index can answer: attribute and index key. */
  indexKey?: { field: string; key: string };
}

function compileDecl(q: Queryable, d: FilterDecl, value: unknown, param: string): Compiled {
  const kind = q.shape.kinds.get(d.field) ?? 'string';
  const op = d.op ?? 'eq';
  const read = (r: Rec) => q.valueOf(r, d.field);
  const rt = (v: unknown): unknown => {
    // An unset flag reads as false (`?flag=false` finds records that never set it).
    if (kind === 'boolean' || d.type === 'boolean') return Boolean(v);
    if (v === null || v === undefined) return undefined;
    if (kind === 'date' || d.type === 'date') return parseTimestamp(v) ?? q.parseTime(v);
    if (kind === 'number' || kind === 'integer' || d.type === 'number') return Number(v);
    return d.caseInsensitive ? String(v).toLowerCase() : String(v);
  };
  if (op === 'in') {
    const wanted = new Set(valuesOf(value).map((v) => String(typedValue(kind, d.type, v, param, q.parseTime))).map((s) => (d.caseInsensitive ? s.toLowerCase() : s)));
    return { pred: (r) => {
      const v = read(r);
      if (Array.isArray(v)) return v.some((x) => wanted.has(String(rt(x))));
      const x = rt(v);
      return x !== undefined && wanted.has(String(x));
    } };
  }
  if (op === 'contains' || op === 'prefix') {
    const w = String(value).toLowerCase();
    return { pred: (r) => {
      const v = read(r);
      if (v === null || v === undefined) return false;
      const s = String(v).toLowerCase();
      return op === 'contains' ? s.includes(w) : s.startsWith(w);
    } };
  }
  if (kind === 'stringArray' || kind === 'objectArray' || kind === 'array') {
    const w = String(value);
    return {
      pred: (r) => {
        const v = read(r);
        return Array.isArray(v) && v.some((x) => String(x) === w);
      },
      indexKey: op === 'eq' && q.indexed.has(d.field) ? { field: d.field, key: w } : undefined,
    };
  }
  const w = typedValue(kind, d.type, value, param, q.parseTime);
  const want = typeof w === 'string' && d.caseInsensitive ? w.toLowerCase() : w;
  const cmp = (x: unknown): number | undefined => {
    if (x === undefined) return undefined;
    if (typeof x === 'number' && typeof want === 'number') return x - want;
    if (typeof x === 'boolean' || typeof want === 'boolean') return x === want ? 0 : 1;
    const a = String(x);
    const b = String(want);
    return a === b ? 0 : a < b ? -1 : 1;
  };
  const test: Record<Exclude<FilterOp, 'in' | 'contains' | 'prefix'>, (c: number) => boolean> = {
    eq: (c) => c === 0,
    ne: (c) => c !== 0,
    gte: (c) => c >= 0,
    gt: (c) => c > 0,
    lte: (c) => c <= 0,
    lt: (c) => c < 0,
  };
  const t = test[op];
  const pred =
    op === 'ne'
      ? (r: Rec) => {
          const c = cmp(rt(read(r)));
          return c === undefined || c !== 0;
        }
      : (r: Rec) => {
          const c = cmp(rt(read(r)));
          return c !== undefined && t(c);
        };
  // Index keys are the stored values as strings: usable for equality on strings, numbers and
  // booleans (dates may be written in another form than they are stored).
  const indexable = op === 'eq' && q.indexed.has(d.field) && !d.caseInsensitive && kind !== 'date' && kind !== 'boolean' && !d.type;
  return { pred, indexKey: indexable ? { field: d.field, key: String(w) } : undefined };
}

/** Reads a list request's page, sort and filters (400 for a bad parameter). */
export function planList(q: Queryable, input: Record<string, unknown>): { paging: ReturnType<typeof readPaging>; sort: SortKey[]; filters: Compiled[] } {
  const p = new Params(input, Boolean(q.list.caseInsensitiveNames));
  const paging = readPaging(q.list, p);
  const sort = readSort(q, p);
  const reserved = new Set<string>();
  const style = q.list;
  if (style.paging.kind === 'offset') reserved.add(style.paging.offset).add(style.paging.limit);
  if (style.paging.kind === 'page') reserved.add(style.paging.page).add(style.paging.size);
  if (style.sort?.kind === 'signed') reserved.add(style.sort.param);
  if (style.sort?.kind === 'field-order') reserved.add(style.sort.field).add(style.sort.order);
  if (style.searchParam) reserved.add(style.searchParam);
  const norm = (s: string) => (style.caseInsensitiveNames ? s.toLowerCase() : s);
  const reservedN = new Set([...reserved].map(norm));
  const filters: Compiled[] = [];
  const declared = new Map(Object.entries(q.filters).map(([k, v]) => [norm(k), { param: k, spec: v }]));
  const fields = new Map(q.shape.fields.map((f) => [norm(f), f]));
  for (const [name, raw] of Object.entries(input)) {
    if (raw === undefined || raw === '' || reservedN.has(norm(name))) continue;
    const decl = declared.get(norm(name));
    if (decl) {
      const spec = decl.spec;
      if ('test' in spec) filters.push({ pred: (r) => spec.test(raw, r) });
      else filters.push(compileDecl(q, spec, raw, decl.param));
      continue;
    }
    const field = style.autoEquality ? fields.get(norm(name)) : undefined;
    if (field !== undefined) {
      if (raw === null) continue;
      filters.push(compileDecl(q, { field }, raw, name));
      continue;
    }
    if (style.unknownFilters === 'error') throw invalid(`unknown list parameter '${name}'`, { field: name });
  }
  const search = style.searchParam ? p.get(style.searchParam) : undefined;
  if (search !== undefined && search !== null && q.search.length) {
    const w = String(search).toLowerCase();
    filters.push({
      pred: (r) =>
        q.search.some((f) => {
          const v = q.valueOf(r, f);
          return v !== null && v !== undefined && String(v).toLowerCase().includes(w);
        }),
    });
  }
  return { paging, sort, filters };
}

export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Runs a planned list over a table: the page of records (read-only) and the page facts. */
export function runList<T extends Rec>(
  q: Queryable,
  table: Table<T>,
  plan: ReturnType<typeof planList>,
  opts: ListOptions,
): { items: T[]; page: PageInfo } {
  const { paging, sort, filters } = plan;
  const preds: Array<(r: Rec) => boolean> = [];
  let best: { field: string; key: string } | undefined;
  let bestCount = Infinity;
  const consider = (field: string, key: string) => {
    const idx = table.index(field);
    if (!idx) return;
    const n = idx.count(key);
    if (n < bestCount) {
      best = { field, key };
      bestCount = n;
    }
  };
  if (q.partitionField && opts.partition !== undefined) {
    const pf = q.partitionField;
    const pv = opts.partition;
    preds.push((r) => r[pf] === pv);
    consider(pf, pv);
  }
  for (const f of filters) {
    preds.push(f.pred);
    if (f.indexKey) consider(f.indexKey.field, f.indexKey.key);
  }
  if (opts.visible) preds.push(opts.visible);
  if (opts.where) preds.push(opts.where);

  let candidates: Iterable<T>;
  let ordered = true;
  if (best) {
    const ids = table.index(best.field)!.ids(best.key);
    candidates = ids.map((id) => table.peek(id)!).filter(Boolean);
    ordered = false;
  } else candidates = table.scan();

  const matches = (r: T) => {
    for (const p of preds) if (!p(r)) return false;
    return true;
  };
  const { offset, limit } = paging;
  const end = limit === Infinity ? Infinity : offset + limit;
  let total = 0;
  let items: T[];
  if (!sort.length && ordered) {
    items = [];
    for (const r of candidates) {
      if (!matches(r)) continue;
      if (total >= offset && total < end) items.push(r);
      total++;
    }
  } else {
    const seq = (r: T) => table.seq(r.id) ?? 0;
    const cmp = (a: T, b: T): number => {
      for (const s of sort) {
        const c = compareValues(sortValue(q, a, s.field), sortValue(q, b, s.field));
        if (c) return s.desc ? -c : c;
      }
      return seq(a) - seq(b);
    };
    const top = new TopK<T>(end, cmp);
    for (const r of candidates) {
      if (!matches(r)) continue;
      total++;
      top.offer(r);
    }
    items = top.sorted().slice(offset);
  }
  const size = limit === Infinity ? Math.max(total, 1) : limit;
  return {
    items,
    page: {
      offset,
      limit: limit === Infinity ? total : limit,
      total,
      page: paging.page,
      pageSize: paging.size === Infinity ? total : paging.size,
      pageCount: Math.ceil(total / size),
      count: items.length,
    },
  };
}

function sortValue(q: Queryable, r: Rec, field: string): unknown {
  const v = q.valueOf(r, field);
  if (q.shape.kinds.get(field) === 'date' && v !== null && v !== undefined) return parseTimestamp(v) ?? q.parseTime(v) ?? v;
  return v;
}

/** The k smallest items under a comparator, kept in a max-heap of size k. */
export class TopK<T> {
  private heap: T[] = [];

  constructor(private readonly k: number, private readonly cmp: (a: T, b: T) => number) {}

  offer(x: T): void {
    const h = this.heap;
    if (this.k === Infinity || h.length < this.k) {
      h.push(x);
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (this.cmp(h[i], h[p]) <= 0) break;
        [h[i], h[p]] = [h[p], h[i]];
        i = p;
      }
      return;
    }
    if (this.k === 0 || this.cmp(x, h[0]) >= 0) return;
    h[0] = x;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.cmp(h[l], h[m]) > 0) m = l;
      if (r < h.length && this.cmp(h[r], h[m]) > 0) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }

  sorted(): T[] {
    return [...this.heap].sort(this.cmp);
  }
}

/** The list body of a style's envelope. */
export function envelope(style: ListStyle, items: unknown[], page: PageInfo, itemsName?: string | null): unknown {
  const name = itemsName === undefined ? style.envelope.items : itemsName;
  if (name === null) return items;
  const out: Record<string, unknown> = { [name]: items };
  for (const [fact, key] of Object.entries(style.envelope.meta ?? {}) as Array<[PageFact, string]>) out[key] = page[fact];
  return out;
}

export { keyOfValue };
