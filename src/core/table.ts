// One collection of records of a workspace: insertion (creation) order, a key -> record map,
// and secondary indexes kept on every write so that unique checks, parent links and equality
// filters cost the same with 100 records or 100,000. Records are plain JSON objects changed in
// place; every change goes through put/touch/remove, which keep the indexes, the write-behind
// log and the open transaction informed.
import { deepClone, deepEqual } from './clone.js';
import type { Rec } from './record.js';
import type { RecordBackup, Transaction, TxTable } from './transaction.js';

/** Index key(s) of a record; undefined: not indexed (e.g. an empty value never clashes). */
export type IndexKeyFn<T> = (rec: T) => string | string[] | undefined;

export interface IndexSpec<T extends Rec = Rec> {
  name: string;
  key: IndexKeyFn<T>;
}

/** What a table needs from the store that holds it. */
export interface TableHost {
  readonly tx: Transaction | null;
  /** Persistent stores track changed records for the write-behind log. */
  readonly persistent: boolean;
  changed(): void;
}

/** The value of a field as an index key (null, undefined and '' are not indexed). */
export function keyOfValue(v: unknown): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** An index over one or more fields (a tuple key); array values index each element. */
export function fieldIndex<T extends Rec>(fields: string[], normalize?: (v: unknown) => unknown, name?: string): IndexSpec<T> {
  if (fields.length === 1) {
    const f = fields[0];
    return {
      name: name ?? f,
      key: (r) => {
        const v = r[f];
        if (Array.isArray(v)) {
          const keys = v.map((x) => keyOfValue(normalize ? normalize(x) : x)).filter((k): k is string => k !== undefined);
          return keys.length ? keys : undefined;
        }
        return keyOfValue(normalize ? normalize(v) : v);
      },
    };
  }
  return {
    name: name ?? fields.join('+'),
    key: (r) => {
      const parts: string[] = [];
      for (const f of fields) {
        const k = keyOfValue(normalize ? normalize(r[f]) : r[f]);
        if (k === undefined) return undefined;
        parts.push(k);
      }
      return parts.join('\u0001');
    },
  };
}

/** The ids under one key, with whether they are still in creation order. */
interface Bucket {
  ids: Set<string>;
  lastSeq: number;
  ordered: boolean;
}

/**
 * key -> ids (a single id is stored bare, saving a Set per distinct value). The ids of a key are
 * handed out in creation order: a record that joins a key out of order (its value changed) marks
 * the key, whose ids are sorted once on the next read.
 */
export class Index<T extends Rec = Rec> {
  private byKey = new Map<string, string | Bucket>();
  private keysOf = new Map<string, string | string[]>();

  constructor(readonly spec: IndexSpec<T>, private readonly seqOf: (id: string) => number = () => 0) {}

  get distinct(): number {
    return this.byKey.size;
  }

  private addKey(key: string, id: string): void {
    const cur = this.byKey.get(key);
    if (cur === undefined) {
      this.byKey.set(key, id);
      return;
    }
    // Sequences matter only once a key holds several ids.
    const seq = this.seqOf(id);
    if (typeof cur === 'string') {
      if (cur === id) return;
      const first = this.seqOf(cur);
      this.byKey.set(key, { ids: new Set([cur, id]), lastSeq: Math.max(first, seq), ordered: first < seq });
    } else {
      cur.ids.add(id);
      if (seq < cur.lastSeq) cur.ordered = false;
      else cur.lastSeq = seq;
    }
  }

  private dropKey(key: string, id: string): void {
    const cur = this.byKey.get(key);
    if (cur === undefined) return;
    if (typeof cur === 'string') {
      if (cur === id) this.byKey.delete(key);
    } else {
      cur.ids.delete(id);
      if (cur.ids.size === 1) this.byKey.set(key, cur.ids.values().next().value as string);
      else if (cur.ids.size === 0) this.byKey.delete(key);
    }
  }

  update(rec: T): void {
    const next = this.spec.key(rec);
    const prev = this.keysOf.get(rec.id);
    if (sameKeys(prev, next)) return;
    if (prev !== undefined) this.drop(rec.id, prev);
    this.hold(rec.id, next);
  }

  /** Indexes a record that no index holds yet (a new one): no lookup of keys it had. */
  add(rec: T): void {
    this.hold(rec.id, this.spec.key(rec));
  }

  private hold(id: string, keys: string | string[] | undefined): void {
    if (keys === undefined) return;
    this.keysOf.set(id, keys);
    if (Array.isArray(keys)) for (const k of keys) this.addKey(k, id);
    else this.addKey(keys, id);
  }

  remove(id: string): void {
    const prev = this.keysOf.get(id);
    if (prev !== undefined) this.drop(id, prev);
  }

  private drop(id: string, prev: string | string[]): void {
    this.keysOf.delete(id);
    if (Array.isArray(prev)) for (const k of prev) this.dropKey(k, id);
    else this.dropKey(prev, id);
  }

  /** Ids under `key`, in creation order. */
  ids(key: string): string[] {
    return [...this.iterate(key)];
  }

  /** Ids under `key`, in creation order, lazily (a page needs only its first ones). */
  iterate(key: string): Iterable<string> {
    const cur = this.byKey.get(key);
    if (cur === undefined) return [];
    if (typeof cur === 'string') return [cur];
    if (!cur.ordered) {
      const sorted = [...cur.ids].sort((a, b) => this.seqOf(a) - this.seqOf(b));
      cur.ids = new Set(sorted);
      cur.lastSeq = this.seqOf(sorted[sorted.length - 1]);
      cur.ordered = true;
    }
    return cur.ids;
  }

  /** Whether an id other than `except` is under `key`, and which. */
  other(key: string, except: string | undefined): string | undefined {
    const cur = this.byKey.get(key);
    if (cur === undefined) return undefined;
    if (typeof cur === 'string') return cur === except ? undefined : cur;
    for (const id of cur.ids) if (id !== except) return id;
    return undefined;
  }

  count(key: string): number {
    const cur = this.byKey.get(key);
    return cur === undefined ? 0 : typeof cur === 'string' ? 1 : cur.ids.size;
  }

  clear(): void {
    this.byKey.clear();
    this.keysOf.clear();
  }
}

function sameKeys(a: string | string[] | undefined, b: string | string[] | undefined): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Table<T extends Rec = Rec> implements TxTable {
  private rows = new Map<string, T>();
  private seqOf = new Map<string, number>();
  private nextSeq = 0;
  private indexes = new Map<string, Index<T>>();
  private sorted = new Map<string, SortedIndex<T>>();
  /** id -> record to write (its value at flush time) or null for a delete. */
  readonly dirty = new Map<string, T | null>();

  constructor(
    readonly name: string,
    private readonly host: TableHost,
  ) {}

  get size(): number {
    return this.rows.size;
  }

  // ---- reads ---------------------------------------------------------------------------------
  // get/find/filter/where/values/all hand out live records that the caller may change: inside a
  // transaction they are copied first. scan/peek are for read-only use (rendering, counting).

  get(id: string): T | undefined {
    const r = this.rows.get(id);
    if (r) this.host.tx?.track(this, id, r);
    return r;
  }

  /** Read-only access: the record is not copied for the transaction. */
  peek(id: string): T | undefined {
    return this.rows.get(id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** Read-only iteration in creation order. */
  scan(): IterableIterator<T> {
    return this.rows.values();
  }

  *values(): IterableIterator<T> {
    const tx = this.host.tx;
    for (const r of this.rows.values()) {
      tx?.track(this, r.id, r);
      yield r;
    }
  }

  all(): T[] {
    const out = [...this.rows.values()];
    const tx = this.host.tx;
    if (tx) for (const r of out) tx.track(this, r.id, r);
    return out;
  }

  /** The first record matching `pred`, read-only (not copied for the transaction). */
  peekFind(pred: (r: T) => boolean): T | undefined {
    for (const r of this.rows.values()) if (pred(r)) return r;
    return undefined;
  }

  find(pred: (r: T) => boolean): T | undefined {
    for (const r of this.rows.values()) {
      if (pred(r)) {
        this.host.tx?.track(this, r.id, r);
        return r;
      }
    }
    return undefined;
  }

  filter(pred: (r: T) => boolean): T[] {
    const out: T[] = [];
    const tx = this.host.tx;
    for (const r of this.rows.values()) {
      if (pred(r)) {
        tx?.track(this, r.id, r);
        out.push(r);
      }
    }
    return out;
  }

  /** Records whose `field` equals `value` (an index on the field is created on first use), in creation order. */
  where(field: string, value: unknown): T[] {
    const key = keyOfValue(value);
    if (key === undefined) return [];
    const idx = this.ensureIndex(fieldIndex<T>([field]));
    const tx = this.host.tx;
    const out: T[] = [];
    for (const id of idx.ids(key)) {
      const r = this.rows.get(id)!;
      tx?.track(this, id, r);
      out.push(r);
    }
    return out;
  }

  /** Like where(), read-only: the records are not copied for the transaction. */
  lookup(field: string, value: unknown): T[] {
    const key = keyOfValue(value);
    if (key === undefined) return [];
    const idx = this.ensureIndex(fieldIndex<T>([field]));
    return idx.ids(key).map((id) => this.rows.get(id)!);
  }

  /** The first record (in creation order) whose `field` equals `value`. */
  findBy(field: string, value: unknown): T | undefined {
    return this.where(field, value)[0];
  }

  /** The last record (in creation order) whose `field` equals `value`. */
  lastBy(field: string, value: unknown): T | undefined {
    const all = this.where(field, value);
    return all[all.length - 1];
  }

  /** Number of records whose `field` equals `value`, read-only. */
  countBy(field: string, value: unknown): number {
    const key = keyOfValue(value);
    return key === undefined ? 0 : this.ensureIndex(fieldIndex<T>([field])).count(key);
  }

  // ---- indexes -------------------------------------------------------------------------------

  ensureIndex(spec: IndexSpec<T>): Index<T> {
    let idx = this.indexes.get(spec.name);
    if (!idx) {
      idx = new Index(spec, (id) => this.seqOf.get(id) ?? 0);
      for (const r of this.rows.values()) idx.update(r);
      this.indexes.set(spec.name, idx);
    }
    return idx;
  }

  index(name: string): Index<T> | undefined {
    return this.indexes.get(name);
  }

  /** A sort order kept on every write (built on first use). */
  ensureSorted(spec: SortSpec<T>): SortedIndex<T> {
    let idx = this.sorted.get(spec.name);
    if (idx) {
      // Most recently used last: the oldest is the one dropped past the cap.
      this.sorted.delete(spec.name);
      this.sorted.set(spec.name, idx);
    } else {
      if (this.sorted.size >= MAX_SORTED) this.sorted.delete(this.sorted.keys().next().value as string);
      idx = new SortedIndex(spec, (id) => this.seqOf.get(id) ?? 0);
      idx.build(this.rows.values());
      this.sorted.set(spec.name, idx);
    }
    return idx;
  }

  private reindex(rec: T): void {
    for (const idx of this.indexes.values()) idx.update(rec);
    for (const idx of this.sorted.values()) idx.update(rec);
  }

  private unindex(id: string): void {
    for (const idx of this.indexes.values()) idx.remove(id);
    for (const idx of this.sorted.values()) idx.remove(id);
  }

  /** Creation sequence of a record (its place in the table's order). */
  seq(id: string): number | undefined {
    return this.seqOf.get(id);
  }

  /** Ids sorted by creation. */
  orderIds(ids: string[]): string[] {
    if (ids.length < 2) return ids;
    const seq = this.seqOf;
    return ids.sort((a, b) => seq.get(a)! - seq.get(b)!);
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Inserts or replaces a record. */
  put(rec: T): T {
    const prev = this.rows.get(rec.id);
    this.host.tx?.track(this, rec.id, prev);
    if (prev !== rec) this.rows.set(rec.id, rec);
    // A record has a sequence exactly while it is in `rows` (remove, unload and txRestore keep
    // both together), so only a new one needs one: no second lookup in a map as big as the table.
    if (prev === undefined) this.seqOf.set(rec.id, this.nextSeq++);
    this.reindex(rec);
    this.markDirty(rec.id, rec);
    return rec;
  }

  /**
   * Inserts a record under an id the caller has just found free (a generated id): as put, one
   * lookup fewer in a map as big as the table.
   */
  putNew(rec: T): T {
    this.host.tx?.track(this, rec.id, undefined);
    this.rows.set(rec.id, rec);
    this.seqOf.set(rec.id, this.nextSeq++);
    for (const idx of this.indexes.values()) idx.add(rec);
    for (const idx of this.sorted.values()) idx.add(rec);
    this.markDirty(rec.id, rec);
    return rec;
  }

  /** Marks a record changed in place (indexes follow its new values). */
  touch(rec: T): T {
    if (this.rows.get(rec.id) !== rec) return rec;
    this.host.tx?.track(this, rec.id, rec);
    this.reindex(rec);
    this.markDirty(rec.id, rec);
    return rec;
  }

  remove(id: string): boolean {
    const prev = this.rows.get(id);
    if (!prev) return false;
    this.host.tx?.track(this, id, prev);
    this.rows.delete(id);
    this.seqOf.delete(id);
    this.unindex(id);
    this.markDirty(id, null);
    return true;
  }

  /** The oldest record's id. */
  firstId(): string | undefined {
    return this.rows.keys().next().value;
  }

  clear(): void {
    for (const id of [...this.rows.keys()]) this.remove(id);
    this.nextSeq = 0;
  }

  // ---- loading (snapshot and log replay: no tracking, nothing dirty) ---------------------------

  load(rec: T): void {
    this.rows.set(rec.id, rec);
    if (!this.seqOf.has(rec.id)) this.seqOf.set(rec.id, this.nextSeq++);
    this.reindex(rec);
  }

  unload(id: string): void {
    if (!this.rows.delete(id)) return;
    this.seqOf.delete(id);
    this.unindex(id);
  }

  private markDirty(id: string, rec: T | null): void {
    if (!this.host.persistent) return;
    this.dirty.set(id, rec);
    this.host.changed();
  }

  // ---- transaction support -------------------------------------------------------------------

  txNextSeq(): number {
    return this.nextSeq;
  }

  txSeqOf(id: string): number | undefined {
    return this.seqOf.get(id);
  }

  txIsDirty(id: string): boolean {
    return this.dirty.has(id);
  }

  txSettle(id: string, obj: T | Rec): void {
    if (this.rows.get(id) !== obj) return;
    this.reindex(obj as T);
    this.markDirty(id, obj as T);
  }

  txRestore(backups: Map<string, RecordBackup>, nextSeq: number): void {
    let reinserted = false;
    for (const [id, b] of backups) {
      const cur = this.rows.get(id);
      if (!b.obj) {
        if (cur) {
          this.rows.delete(id);
          this.seqOf.delete(id);
          this.unindex(id);
          this.markDirty(id, null);
        }
        continue;
      }
      const obj = b.obj as T;
      restoreRecord(obj, b.copy!);
      // Deleted and put again during the transaction: its map place and index entries (kept in
      // creation order) are those of a new record; they are redone with its own sequence.
      const moved = cur !== undefined && this.seqOf.get(id) !== b.seq;
      if (!cur || moved) reinserted = true;
      if (cur !== obj) this.rows.set(id, obj);
      if (b.seq !== undefined) this.seqOf.set(id, b.seq);
      if (moved) this.unindex(id);
      this.reindex(obj);
      this.markDirty(id, obj);
    }
    this.nextSeq = nextSeq;
    // A record deleted and put back is at the end of the map: restore the creation order.
    if (reinserted) {
      const ordered = [...this.rows.entries()].sort((a, b) => this.seqOf.get(a[0])! - this.seqOf.get(b[0])!);
      this.rows = new Map(ordered);
    }
  }
}

function restoreRecord(target: Rec, copy: Rec): void {
  const t = target as Record<string, unknown>;
  for (const k of Object.keys(t)) if (!(k in copy)) delete t[k];
  // The copy is private to the backup: its values can be moved in without copying again.
  for (const k of Object.keys(copy)) t[k] = (copy as Record<string, unknown>)[k];
}

/** A sort order over some attributes of a table's records: each key read once, per record. */
export interface SortSpec<T extends Rec = Rec> {
  name: string;
  /** The record's sort key (compared element by element). */
  key: (rec: T) => unknown[];
  /** Element comparison; `desc[i]` reverses element i. Ties are in creation order. */
  compare: (a: unknown, b: unknown) => number;
  desc: boolean[];
}

const CHUNK_MAX = 1024;
/** Sort orders a table keeps at most (each costs a copy of the ids and a little per write). */
const MAX_SORTED = 8;

/**
 * Ids kept in a sort order as it changes: sorted chunks of at most 1024 ids, so that an insert
 * or a removal costs a binary search and a small copy whatever the table's size, and a sorted
 * page is read from the front.
 */
export class SortedIndex<T extends Rec = Rec> {
  private chunks: string[][] = [];
  private keys = new Map<string, { k: unknown[]; s: number }>();

  constructor(readonly spec: SortSpec<T>, private readonly seqOf: (id: string) => number) {}

  get size(): number {
    return this.keys.size;
  }

  private cmp(a: { k: unknown[]; s: number }, b: { k: unknown[]; s: number }): number {
    const { compare, desc } = this.spec;
    for (let i = 0; i < a.k.length; i++) {
      const c = compare(a.k[i], b.k[i]);
      if (c) return desc[i] ? -c : c;
    }
    return a.s - b.s;
  }

  /** The chunk that holds (or would hold) an entry, and the position in it. */
  private locate(e: { k: unknown[]; s: number }): { ci: number; pos: number } {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const last = chunks[mid][chunks[mid].length - 1];
      if (this.cmp(this.keys.get(last)!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    const chunk = chunks[lo] ?? [];
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (this.cmp(this.keys.get(chunk[mid])!, e) < 0) a = mid + 1;
      else b = mid;
    }
    return { ci: lo, pos: a };
  }

  private insert(id: string, e: { k: unknown[]; s: number }): void {
    this.keys.set(id, e);
    if (!this.chunks.length) {
      this.chunks.push([id]);
      return;
    }
    const { ci, pos } = this.locate(e);
    const chunk = this.chunks[ci];
    chunk.splice(pos, 0, id);
    if (chunk.length > CHUNK_MAX) this.chunks.splice(ci, 1, chunk.slice(0, chunk.length >> 1), chunk.slice(chunk.length >> 1));
  }

  remove(id: string): void {
    const e = this.keys.get(id);
    if (!e) return;
    const { ci, pos } = this.locate(e);
    const chunk = this.chunks[ci];
    this.keys.delete(id);
    if (chunk?.[pos] === id) {
      chunk.splice(pos, 1);
      if (!chunk.length) this.chunks.splice(ci, 1);
      return;
    }
    // Not where its key says (should not happen): find it the slow way.
    for (const c of this.chunks) {
      const i = c.indexOf(id);
      if (i >= 0) {
        c.splice(i, 1);
        break;
      }
    }
    this.chunks = this.chunks.filter((c) => c.length);
  }

  /** The sort key; object values (arrays) as copies, so that one changed in place still moves its record. */
  private keyOf(rec: T): unknown[] {
    const k = this.spec.key(rec);
    for (let i = 0; i < k.length; i++) if (typeof k[i] === 'object' && k[i] !== null) k[i] = deepClone(k[i]);
    return k;
  }

  /** Inserts a record that the index does not hold yet (a new one). */
  add(rec: T): void {
    this.insert(rec.id, { k: this.keyOf(rec), s: this.seqOf(rec.id) });
  }

  update(rec: T): void {
    const k = this.keyOf(rec);
    const cur = this.keys.get(rec.id);
    if (cur && cur.k.length === k.length && cur.k.every((v, i) => deepEqual(v, k[i]))) return;
    if (cur) this.remove(rec.id);
    this.insert(rec.id, { k, s: this.seqOf(rec.id) });
  }

  /** Ids in order. */
  *ids(): IterableIterator<string> {
    for (const c of this.chunks) yield* c;
  }

  /** Ids in order whose first key element equals `value` (a binary search, then a walk). */
  *idsWithFirst(value: unknown): IterableIterator<string> {
    const { compare } = this.spec;
    const first = (id: string) => this.keys.get(id)!.k[0];
    // The first chunk whose last entry is not before `value`, then the first entry in it.
    let lo = 0;
    let hi = this.chunks.length;
    const desc0 = this.spec.desc[0];
    const before = (v: unknown) => (desc0 ? compare(v, value) > 0 : compare(v, value) < 0);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.chunks[mid];
      if (before(first(c[c.length - 1]))) lo = mid + 1;
      else hi = mid;
    }
    for (let ci = lo; ci < this.chunks.length; ci++) {
      const c = this.chunks[ci];
      let i = 0;
      if (ci === lo) {
        let a = 0;
        let b = c.length;
        while (a < b) {
          const mid = (a + b) >> 1;
          if (before(first(c[mid]))) a = mid + 1;
          else b = mid;
        }
        i = a;
      }
      for (; i < c.length; i++) {
        if (compare(first(c[i]), value) !== 0) return;
        yield c[i];
      }
    }
  }

  /** Builds the index from every record at once (one sort instead of an insert per record). */
  build(records: Iterable<T>): void {
    const entries: Array<{ id: string; e: { k: unknown[]; s: number } }> = [];
    for (const r of records) entries.push({ id: r.id, e: { k: this.keyOf(r), s: this.seqOf(r.id) } });
    entries.sort((a, b) => this.cmp(a.e, b.e));
    this.keys = new Map(entries.map((x) => [x.id, x.e]));
    this.chunks = [];
    for (let i = 0; i < entries.length; i += CHUNK_MAX / 2) this.chunks.push(entries.slice(i, i + CHUNK_MAX / 2).map((x) => x.id));
  }

  clear(): void {
    this.chunks = [];
    this.keys.clear();
  }
}
