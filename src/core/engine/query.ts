// Lists: paging, sorting, filters and text search read from a request as a ListStyle says,
// answered from the table's indexes where a filter allows it, then by one pass over the
// candidates that keeps only the page (a bounded heap when sorted). The cost is the number of
// candidates, never a sort of the whole table.
import { parseTimestamp } from '../clock.js';
import { invalid } from '../errors.js';
import type { Rec } from '../record.js';
import { fieldIndex, keyOfValue, type Table } from '../table.js';
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
  /** Attributes valueOf() does not read straight from the record: no index can answer them. */
  derived?: Set<string>;
  parseTime(v: unknown): number | undefined;
  /** Reads the value of an attribute for filtering and sorting (the id field, renamed ones). */
  valueOf(rec: Rec, field: string): unknown;
}

/** Records whose `field` holds one of `values` are left out (soft-deleted ones, say). */
export interface Exclusion {
  field: string;
  values: unknown[];
}

export interface ListOptions {
  partition?: string;
  /** An extra condition of the caller. */
  where?: (r: Rec) => boolean;
  visible?: (r: Rec) => boolean;
  /** Left out, and counted out through an index (the total needs no scan). */
  exclude?: Exclusion[];
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
    throw invalid(`${q.list.source === 'body' ? 'body field' : 'query parameter'} '${param}': unknown attribute '${name}' (sortable: ${allowed.join(', ')})`, { field: param });
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
  /** An equality an index can answer: attribute, index key and the value as stored. */
  indexKey?: { field: string; key: string; value: unknown };
}

function compileDecl(q: Queryable, d: FilterDecl, value: unknown, param: string): Compiled {
  const kind = q.shape.kinds.get(d.field) ?? 'string';
  const op = d.op ?? 'eq';
  const read = (r: Rec) => q.valueOf(r, d.field);
  const rt = (v: unknown): unknown => {
    // An unset flag reads as false (`?flag=false` finds records that never set it).
    if (kind === 'boolean' || d.type === 'boolean') return typeof v === 'string' ? v.toLowerCase() === 'true' : Boolean(v);
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
        // As the index keys elements (objects as JSON), so that both paths agree.
        return Array.isArray(v) && v.some((x) => keyOfValue(x) === w);
      },
      indexKey: op === 'eq' ? { field: d.field, key: w, value: w } : undefined,
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
  const indexable = op === 'eq' && !d.caseInsensitive && kind !== 'date' && kind !== 'boolean' && !d.type && (kind === 'string' || kind === 'number' || kind === 'integer');
  return { pred, indexKey: indexable ? { field: d.field, key: String(w), value: w } : undefined };
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
  // null and undefined (never set) are one value: a comparator must be antisymmetric.
  if ((a === null || a === undefined) && (b === null || b === undefined)) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Tables at least this big get an equality index on a filtered attribute the first time it is asked for. */
export const AUTO_INDEX_ROWS = 2000;

/** Runs a planned list over a table: the page of records (read-only) and the page facts. */
export function runList<T extends Rec>(
  q: Queryable,
  table: Table<T>,
  plan: ReturnType<typeof planList>,
  opts: ListOptions,
): { items: T[]; page: PageInfo } {
  const { paging, sort, filters } = plan;
  const preds: Array<(r: Rec) => boolean> = [];
  let best: { field: string; key: string; value: unknown; pred: (r: Rec) => boolean } | undefined;
  let bestCount = Infinity;
  const consider = (field: string, key: string, pred: (r: Rec) => boolean, value: unknown = key) => {
    if (q.derived?.has(field)) return;
    let idx = table.index(field);
    if (!idx && (q.indexed.has(field) || table.size >= AUTO_INDEX_ROWS) && field !== q.partitionField) idx = table.ensureIndex(fieldIndex<T>([field]));
    if (!idx) return;
    const n = idx.count(key);
    if (n < bestCount) {
      best = { field, key, value, pred };
      bestCount = n;
    }
  };
  if (q.partitionField && opts.partition !== undefined) {
    const pf = q.partitionField;
    const pv = opts.partition;
    const pred = (r: Rec) => r[pf] === pv;
    preds.push(pred);
    consider(pf, pv, pred);
  }
  for (const f of filters) {
    preds.push(f.pred);
    if (f.indexKey) consider(f.indexKey.field, f.indexKey.key, f.pred, f.indexKey.value);
  }
  if (opts.visible) preds.push(opts.visible);
  if (opts.where) preds.push(opts.where);
  const excludes = opts.exclude ?? [];
  let excluded = 0;
  /** Keys already counted per field: a value excluded twice (hidden + request) counts once. */
  const counted = new Map<string, Set<string>>();
  for (const x of excludes) {
    const keys = new Set(x.values.map((v) => keyOfValue(v)).filter((k): k is string => k !== undefined));
    const f = x.field;
    preds.push((r) => {
      const k = keyOfValue(r[f]);
      return k === undefined || !keys.has(k);
    });
    const idx = table.ensureIndex(fieldIndex<T>([f]));
    const seen = counted.get(f) ?? new Set<string>();
    counted.set(f, seen);
    for (const k of keys) {
      if (seen.has(k)) continue;
      seen.add(k);
      excluded += idx.count(k);
    }
  }
  const onlyExclusions = excludes.length > 0 && preds.length === excludes.length && new Set(excludes.map((x) => x.field)).size === 1;

  const { offset, limit } = paging;
  const end = limit === Infinity ? Infinity : offset + limit;
  const finish = (items: T[], total: number) => {
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
  };

  const n = preds.length;
  const matches = (r: T) => {
    for (let i = 0; i < n; i++) if (!preds[i](r)) return false;
    return true;
  };
  const indexOnly = best !== undefined && n === 1;
  // The total without looking at the records: no condition, or only the indexed one.
  const knownTotal = n === 0 ? table.size : indexOnly ? bestCount : onlyExclusions && !best ? table.size - excluded : undefined;
  // Candidates in creation order: the index's ids when it narrows the table down, else the table.
  const selective = best !== undefined && bestCount * 4 <= table.size;
  const fromIndex = function* (): Iterable<T> {
    for (const id of table.index(best!.field)!.iterate(best!.key)) yield table.peek(id)!;
  };
  const candidates = (): Iterable<T> => (selective ? fromIndex() : table.scan());
  /** For a heap over the candidates, the index pays off at a third of the table already. */
  const heapCandidates = (): Iterable<T> => (best !== undefined && bestCount * 3 <= table.size ? fromIndex() : table.scan());
  let total = 0;

  if (!sort.length) {
    if (knownTotal !== undefined) {
      // The page alone: the first records of the table or of the index.
      const items: T[] = [];
      let i = 0;
      if (offset < knownTotal) {
        for (const r of indexOnly ? fromIndex() : table.scan()) {
          if (onlyExclusions && !matches(r)) continue;
          if (i++ >= offset && items.push(r) >= limit) break;
        }
      }
      return finish(items, knownTotal);
    }
    const items: T[] = [];
    for (const r of candidates()) {
      if (!matches(r)) continue;
      if (total >= offset && total < end) items.push(r);
      total++;
    }
    return finish(items, total);
  }

  if (table.size >= AUTO_INDEX_ROWS) {
    // A big table keeps this sort order as an index: the page is read from its front. With an
    // equality filter, the order is kept per value of that attribute (the filter's value is then
    // a binary search away).
    // An array attribute's index key is one element, not the value the sort order compares.
    const eqKind = best && q.shape.kinds.get(best.field);
    const eq = eqKind === 'stringArray' || eqKind === 'objectArray' || eqKind === 'array' ? undefined : best;
    const sortKeys = eq ? [{ field: eq.field, desc: false }, ...sort] : sort;
    const getters = sortKeys.map((s) => sortGetter(q, s.field));
    const order = table.ensureSorted({
      name: `sort:${sortKeys.map((s) => (s.desc ? '-' : '') + s.field).join(',')}`,
      key: (r) => getters.map((g) => g(r)),
      compare: compareValues,
      desc: sortKeys.map((s) => s.desc),
    });
    const ordered = eq ? order.idsWithFirst(eq.value) : order.ids();
    const items: T[] = [];
    let seen = 0;
    // Matches spread evenly would be met after about end * size / matches records; past four
    // times that, they cluster at the far end of this order: a heap over the candidates is
    // cheaper then.
    const expected = knownTotal !== undefined ? knownTotal : best ? bestCount : table.size;
    const within = eq ? bestCount : table.size;
    const budget = n === 0 || (eq && n === 1) ? Infinity : Math.max(2000, (4 * Math.max(end, 1) * within) / Math.max(1, expected));
    let visited = 0;
    let complete = true;
    if (limit > 0) {
      for (const id of ordered) {
        if (++visited > budget) {
          complete = false;
          break;
        }
        const r = table.peek(id)!;
        if (n && !matches(r)) continue;
        if (seen++ >= offset && items.push(r) >= limit) break;
      }
    }
    if (complete) {
      if (knownTotal !== undefined) return finish(items, knownTotal);
      for (const r of candidates()) if (matches(r)) total++;
      return finish(items, total);
    }
  }

  // Sorted: a max-heap keeps the first `end` matches. A match is compared with the heap's worst
  // straight from the record, and only one that gets in is given an entry (no allocation for
  // the rest: a sorted page of 100k records makes little garbage).
  const getters = sort.map((s) => sortGetter(q, s.field));
  const desc = sort.map((s) => s.desc);
  const keys = getters.length;
  const cmpKeys = (a: unknown[], as: number, b: unknown[], bs: number): number => {
    for (let i = 0; i < keys; i++) {
      const c = compareValues(a[i], b[i]);
      if (c) return desc[i] ? -c : c;
    }
    return as - bs;
  };
  const recVsEntry = (r: T, rs: number, e: Keyed<T>): number => {
    for (let i = 0; i < keys; i++) {
      const c = compareValues(getters[i](r), e.k[i]);
      if (c) return desc[i] ? -c : c;
    }
    return rs - e.s;
  };
  const heap: Array<Keyed<T>> = [];
  const worse = (a: Keyed<T>, b: Keyed<T>) => cmpKeys(a.k, a.s, b.k, b.s) > 0;
  let seq = 0;
  for (const r of heapCandidates()) {
    if (n && !matches(r)) continue;
    total++;
    // Candidates come in creation order: their position stands for the creation sequence.
    const s = seq++;
    if (end === 0) continue;
    if (heap.length < end) {
      heap.push({ r, k: getters.map((g) => g(r)), s });
      siftUp(heap, heap.length - 1, worse);
    } else if (recVsEntry(r, s, heap[0]) < 0) {
      heap[0] = { r, k: getters.map((g) => g(r)), s };
      siftDown(heap, 0, worse);
    }
  }
  heap.sort((a, b) => cmpKeys(a.k, a.s, b.k, b.s));
  return finish(
    heap.slice(offset).map((x) => x.r),
    total,
  );
}

/** Max-heap helpers: `worse(a, b)` is true when a sorts after b. */
function siftUp<E>(h: E[], i: number, worse: (a: E, b: E) => boolean): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!worse(h[i], h[p])) break;
    [h[i], h[p]] = [h[p], h[i]];
    i = p;
  }
}

function siftDown<E>(h: E[], i: number, worse: (a: E, b: E) => boolean): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && worse(h[l], h[m])) m = l;
    if (r < h.length && worse(h[r], h[m])) m = r;
    if (m === i) return;
    [h[i], h[m]] = [h[m], h[i]];
    i = m;
  }
}

/** How a sort attribute is read from a record: dates as instants, the id as clients see it. */
function sortGetter(q: Queryable, field: string): (r: Rec) => unknown {
  if (q.shape.kinds.get(field) === 'date') {
    return (r) => {
      const v = q.valueOf(r, field);
      return v === null || v === undefined ? v : parseTimestamp(v) ?? q.parseTime(v) ?? v;
    };
  }
  return (r) => q.valueOf(r, field);
}

interface Keyed<T> {
  r: T;
  k: unknown[];
  s: number;
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

/**
 * Pages a list the domain computed (joins, merges: not one table) as the style's paging says,
 * with the same validation as a collection's list. Filters and sorting are the caller's.
 */
export function pageArray<T>(style: ListStyle, items: readonly T[], input: Record<string, unknown>): { items: T[]; page: PageInfo } {
  return pageOf(items, readPaging(style, new Params(input, Boolean(style.caseInsensitiveNames))));
}

/** The page of `items` at `paging` (already read and checked), with its facts. */
export function pageOf<T>(items: readonly T[], paging: { offset: number; limit: number; page: number; size: number }): { items: T[]; page: PageInfo } {
  const { offset, limit, page, size } = paging;
  const slice = items.slice(offset, limit === Infinity ? undefined : offset + limit);
  const total = items.length;
  const pageCount = size === Infinity ? (total ? 1 : 0) : Math.ceil(total / size);
  return { items: slice, page: { offset, limit: limit === Infinity ? total : limit, total, page, pageSize: size === Infinity ? total : size, pageCount, count: slice.length } };
}
