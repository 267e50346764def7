// Workspace persistence: one lowdb document per workspace, kept as a snapshot plus an
// append-only change log (JSON lines), so that durability does not cost O(state) per write.
//
// - Every change marks a record (or a meta key) dirty; within `flushMs` (100 ms by default) the
//   dirty entries are appended to `<ws>.<gen>.log` as whole-record upserts/deletes, by libuv's
//   thread pool (one append at a time, so they land in order; the request thread only encodes
//   them; what changes meanwhile goes in the next one). Replaying a line twice is harmless, and a torn last line (kill -9 mid-write) is
//   skipped on load.
// - When the log grows past `compactBytes` (and past the snapshot's size), the whole document is
//   written through lowdb as compact JSON, in chunks off the request path, to `<ws>.json` tagged
//   with the next log generation; then older logs are removed. Load = snapshot + every log of
//   generation >= the snapshot's; indexes are rebuilt as tables are used.
// - Each workspace store runs transactions (see transaction.ts): a request's changes are all
//   kept or all undone.
// - `--data memory` keeps everything in memory (the test default).
//
// `WorkspaceStore` is the interface the rest of commsim uses, so that a networked store can
// take this one's place.
import { appendFile } from 'node:fs/promises';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Low, Memory } from 'lowdb';
import { deepClone, restoreInto } from './clone.js';
import { lockDataDir } from './data-lock.js';
import type { Rec } from './record.js';
import { SnapshotFile, type SnapshotSource, type WorkspaceDocument } from './snapshot-file.js';
import { Table, type TableHost } from './table.js';
import { Transaction } from './transaction.js';

export type { Rec } from './record.js';
export type { WorkspaceDocument } from './snapshot-file.js';
export { Table } from './table.js';

/** The state of one workspace as the rest of commsim sees it. */
export interface WorkspaceStore {
  readonly id: string;
  readonly persistent: boolean;
  table<T extends Rec = Rec>(name: string): Table<T>;
  tableNames(): string[];
  getMeta<T>(key: string): T | undefined;
  setMeta(key: string, value: unknown): void;
  touchMeta(key: string): void;
  /** Tells the open transaction that meta value `key` is about to change in place. */
  trackMeta(key: string): void;
  /** The open transaction, if any. */
  readonly tx: Transaction | null;
  begin(): Transaction;
  commit(tx: Transaction): void;
  rollback(tx: Transaction): void;
  toDocument(): WorkspaceDocument;
  replaceWith(doc: Pick<WorkspaceDocument, 'meta' | 'tables'>): Promise<void>;
  /** Starts writing the pending changes (the write itself is asynchronous). */
  flush(): void;
  /** Resolves when everything flushed so far is on disk. */
  written(): Promise<void>;
  compact(): Promise<void>;
  close(): Promise<void>;
  destroy(): void;
}

export interface StoreOptions {
  /** Directory of the workspace files, or null for memory only. */
  dir: string | null;
  flushMs?: number;
  compactBytes?: number;
}

/** One line of a change log: a record upsert (`p`) or delete (`d`) of table `t`, or meta key `m` set to `v` or deleted (`x`). */
export interface ChangeOp {
  t?: string;
  p?: Rec;
  d?: string;
  m?: string;
  v?: unknown;
  x?: 1;
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isValidWorkspaceId(id: string): boolean {
  return ID_RE.test(id);
}

/** Meta values only ever replaced whole (never changed in place): reading them is not tracked. */
const REPLACED_ONLY_META = new Set(['init', 'credentials', 'clock']);

/** The state of one workspace: tables and meta values, with their persistence. */
export class DocStore implements WorkspaceStore, TableHost {
  protected tables = new Map<string, Table>();
  protected meta = new Map<string, unknown>();
  protected dirtyMeta = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private gen = 0;
  private logBytes = 0;
  private snapshotBytes = 0;
  private compacting: Promise<void> | undefined;
  /** The log append in flight, and whether changes wait for the next one. */
  private inFlight: Promise<void> | null = null;
  private flushAgain = false;
  private removal: Promise<void> | null = null;
  private closed = false;
  private readonly db: Low<WorkspaceDocument | SnapshotSource>;
  tx: Transaction | null = null;

  constructor(
    readonly id: string,
    private readonly opts: Required<StoreOptions>,
  ) {
    this.db = new Low<WorkspaceDocument | SnapshotSource>(
      opts.dir ? new SnapshotFile(this.snapshotPath()) : new Memory<WorkspaceDocument | SnapshotSource>(),
      emptyDocument(0),
    );
  }

  get persistent(): boolean {
    return this.opts.dir !== null;
  }

  table<T extends Rec = Rec>(name: string): Table<T> {
    let t = this.tables.get(name);
    if (!t) {
      t = new Table(name, this);
      this.tables.set(name, t);
    }
    return t as unknown as Table<T>;
  }

  tableNames(): string[] {
    return [...this.tables.keys()].filter((n) => this.tables.get(n)!.size > 0);
  }

  getMeta<T>(key: string): T | undefined {
    const v = this.meta.get(key) as T | undefined;
    // A caller may change the value in place (a ledger's balance): keep a copy first.
    if (this.tx && !REPLACED_ONLY_META.has(key)) this.tx.trackMeta(key, this.meta.has(key), v);
    return v;
  }

  setMeta(key: string, value: unknown): void {
    this.trackMeta(key);
    this.meta.set(key, value);
    this.touchMeta(key);
  }

  trackMeta(key: string): void {
    this.tx?.trackMeta(key, this.meta.has(key), this.meta.get(key));
  }

  /** Marks a meta value changed in place. */
  touchMeta(key: string): void {
    this.trackMeta(key);
    if (!this.persistent) return;
    this.dirtyMeta.add(key);
    this.changed();
  }

  // ---- transactions --------------------------------------------------------------------------

  begin(): Transaction {
    this.tx = new Transaction(this.tx);
    return this.tx;
  }

  commit(tx: Transaction): void {
    if (tx !== this.tx) throw new Error(`workspace ${this.id}: commit of a transaction that is not the innermost`);
    tx.closed = true;
    this.tx = tx.parent;
    if (tx.parent) tx.mergeInto(tx.parent);
    else if (this.persistent) tx.settleInPlaceChanges();
  }

  rollback(tx: Transaction): void {
    if (tx !== this.tx) throw new Error(`workspace ${this.id}: rollback of a transaction that is not the innermost`);
    tx.closed = true;
    // Restoring must not be tracked by the outer transaction: it only undoes this one's changes.
    this.tx = null;
    try {
      tx.rollbackRecords();
      this.restoreMeta(tx.meta);
    } finally {
      this.tx = tx.parent;
    }
  }

  private restoreMeta(backups: Transaction['meta']): void {
    for (const [k, b] of backups) {
      if (!b.present) this.meta.delete(k);
      else {
        if (b.copy !== undefined && b.ref !== null && typeof b.ref === 'object') restoreInto(b.ref, b.copy as object);
        this.meta.set(k, b.ref);
      }
      this.touchMeta(k);
    }
  }

  // ---- documents -----------------------------------------------------------------------------

  /** The whole state as one document (snapshot export). */
  toDocument(gen = this.gen): WorkspaceDocument {
    const tables: Record<string, Rec[]> = {};
    for (const [name, t] of this.tables) if (t.size) tables[name] = [...t.scan()];
    return { format: 'commsim-workspace', version: 1, gen, meta: Object.fromEntries(this.meta), tables };
  }

  /** Replaces the whole state (snapshot import, reset) and persists it at once. */
  async replaceWith(doc: Pick<WorkspaceDocument, 'meta' | 'tables'>): Promise<void> {
    if (this.tx) throw new Error(`workspace ${this.id}: cannot replace the state inside a transaction`);
    this.replaceLocal(deepClone(doc));
    await this.compact();
  }

  /** Replaces the state in memory only (nothing dirty). */
  protected replaceLocal(doc: Pick<WorkspaceDocument, 'meta' | 'tables'>): void {
    for (const t of this.tables.values()) t.dirty.clear();
    this.tables.clear();
    this.meta.clear();
    this.dirtyMeta.clear();
    this.applyDocument(doc);
  }

  protected applyDocument(doc: Pick<WorkspaceDocument, 'meta' | 'tables'>): void {
    for (const [k, v] of Object.entries(doc.meta ?? {})) this.meta.set(k, v);
    for (const [name, rows] of Object.entries(doc.tables ?? {})) {
      const t = this.table(name);
      for (const r of rows) t.load(r);
    }
  }

  // ---- persistence ---------------------------------------------------------------------------

  changed = (): void => {
    if (this.timer || this.closed || !this.persistent) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.opts.flushMs);
    this.timer.unref?.();
  };

  /** Appends every pending change to the current log (synchronously). */
  flush(): void {
    if (!this.persistent || this.closed) return;
    if (this.tx) {
      // Never write changes that may still be undone: try again after the transaction.
      this.changed();
      return;
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // One append at a time: changes made meanwhile wait in the dirty sets (the latest value of
    // each record, nothing copied), so a disk slower than the requests costs no memory.
    if (this.inFlight) {
      this.flushAgain = true;
      return;
    }
    const lines = this.drainLines();
    if (!lines.length) return;
    const chunk = lines.join('\n') + '\n';
    const path = this.logPath(this.gen);
    this.inFlight = appendFile(path, chunk)
      .catch((e: Error) => {
        // The changes stay in memory; the next compaction writes them all.
        console.error(`[commsim] workspace ${this.id}: could not append to ${path}: ${e.message}`);
      })
      .then(() => {
        this.inFlight = null;
        if (this.flushAgain) {
          this.flushAgain = false;
          this.flush();
        }
      });
    this.logBytes += chunk.length;
    if (this.logBytes > this.opts.compactBytes && this.logBytes > this.snapshotBytes && !this.compacting) {
      void this.compact();
    }
  }

  /** Resolves when every change flushed so far is on disk. */
  async written(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.removal) await this.removal;
  }

  /** Writes the whole document as the snapshot and drops the logs it contains. */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting.then(() => this.compact());
    const run = async () => {
      this.flush();
      if (!this.persistent) return;
      // Changes from here on go to the next generation's log; the snapshot is written in chunks
      // and may include some of them (see snapshot-file.ts).
      this.gen += 1;
      this.logBytes = 0;
      const gen = this.gen;
      this.db.data = { gen, meta: deepClone(Object.fromEntries(this.meta)), tables: () => this.tables.entries() };
      await this.db.write();
      this.db.data = emptyDocument(gen);
      this.snapshotBytes = statSync(this.snapshotPath()).size;
      // Appends to the older logs still in flight finish first: a log removed under one would
      // come back.
      await this.written();
      for (const g of this.logGenerations()) if (g < gen) rmSync(this.logPath(g), { force: true });
    };
    this.compacting = run().finally(() => {
      this.compacting = undefined;
    });
    return this.compacting;
  }

  /** Loads the snapshot and replays the logs (file mode). */
  async load(): Promise<void> {
    if (!this.persistent) return;
    let snapGen = 0;
    if (existsSync(this.snapshotPath())) {
      await this.db.read();
      const doc = this.db.data as WorkspaceDocument;
      snapGen = doc.gen ?? 0;
      this.applyDocument(doc);
      this.db.data = emptyDocument(snapGen);
      this.snapshotBytes = statSync(this.snapshotPath()).size;
    }
    const gens = this.logGenerations().filter((g) => g >= snapGen);
    for (const g of gens) this.replayLog(this.logPath(g));
    // Append to a fresh generation: the previous log may end with a torn line.
    this.gen = Math.max(snapGen, ...gens, -1) + 1;
    for (const g of this.logGenerations()) if (g < snapGen) rmSync(this.logPath(g), { force: true });
  }

  private replayLog(path: string): void {
    const text = readFileSync(path, 'utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      let op: ChangeOp;
      try {
        op = JSON.parse(line);
      } catch {
        continue; // a torn write at the end of the log
      }
      this.applyOp(op);
    }
  }

  /** One change line of the log, applied without tracking (replay, changes of another instance). */
  protected applyOp(op: ChangeOp): void {
    if (op.m !== undefined) {
      if (op.x) this.meta.delete(op.m);
      else this.meta.set(op.m, op.v);
    } else if (op.t && op.p) this.table(op.t).load(op.p);
    else if (op.t && op.d !== undefined) this.table(op.t).unload(op.d);
  }

  /** The pending changes as change lines (whole-record upserts and deletes, meta values); clears them. */
  protected drainLines(): string[] {
    const lines: string[] = [];
    this.drainChanges((line) => lines.push(line));
    return lines;
  }

  /**
   * Hands out each pending change, clearing them: its change line, and what it is about (a
   * record of a table, or a meta key when `table` is null) with its JSON, or null for a delete.
   */
  protected drainChanges(visit: (line: string, table: string | null, key: string, json: string | null) => void): void {
    for (const t of this.tables.values()) {
      if (!t.dirty.size) continue;
      const head = `{"t":${JSON.stringify(t.name)},`;
      for (const [id, rec] of t.dirty) {
        if (rec) {
          const json = JSON.stringify(rec);
          visit(`${head}"p":${json}}`, t.name, id, json);
        } else visit(`${head}"d":${JSON.stringify(id)}}`, t.name, id, null);
      }
      t.dirty.clear();
    }
    // A key that no longer exists (e.g. created by a request that was undone) is logged as deleted.
    for (const key of this.dirtyMeta) {
      if (this.meta.has(key)) {
        const json = JSON.stringify(this.meta.get(key) ?? null);
        visit(`{"m":${JSON.stringify(key)},"v":${json}}`, null, key, json);
      } else visit(JSON.stringify({ m: key, x: 1 }), null, key, null);
    }
    this.dirtyMeta.clear();
  }

  /** Flushes and stops the timer; the store stays readable. */
  async close(): Promise<void> {
    this.flush();
    if (this.compacting) await this.compacting;
    await this.written();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Deletes the workspace's files (now, and again once appends in flight have landed). */
  destroy(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.persistent) return;
    const removeFiles = () => {
      rmSync(this.snapshotPath(), { force: true });
      for (const g of this.logGenerations()) rmSync(this.logPath(g), { force: true });
    };
    removeFiles();
    if (this.inFlight) this.removal = this.inFlight.then(removeFiles);
  }

  private snapshotPath(): string {
    return join(this.opts.dir!, `${this.id}.json`);
  }

  private logPath(gen: number): string {
    return join(this.opts.dir!, `${this.id}.${gen}.log`);
  }

  private logGenerations(): number[] {
    if (!this.persistent || !existsSync(this.opts.dir!)) return [];
    const prefix = `${this.id}.`;
    const gens: number[] = [];
    for (const f of readdirSync(this.opts.dir!)) {
      if (!f.startsWith(prefix) || !f.endsWith('.log')) continue;
      const g = f.slice(prefix.length, -4);
      if (/^\d+$/.test(g)) gens.push(Number(g));
    }
    return gens.sort((a, b) => a - b);
  }
}

function emptyDocument(gen: number): WorkspaceDocument {
  return { format: 'commsim-workspace', version: 1, gen, meta: {}, tables: {} };
}

/** All workspace documents of one server. */
export class Store {
  readonly opts: Required<StoreOptions>;
  private release: (() => void) | undefined;

  constructor(opts: StoreOptions) {
    // `??`, not a spread: callers pass options they were given, often `undefined`, and a spread
    // would let an undefined replace the default (a flush every millisecond, no compaction).
    this.opts = { dir: opts.dir, flushMs: opts.flushMs ?? 100, compactBytes: opts.compactBytes ?? 32 * 1024 * 1024 };
    if (this.opts.dir) {
      mkdirSync(this.opts.dir, { recursive: true });
      this.release = lockDataDir(this.opts.dir);
    }
  }

  get persistent(): boolean {
    return this.opts.dir !== null;
  }

  /** Ids of the workspaces persisted in the data directory. */
  persistedIds(): string[] {
    if (!this.opts.dir) return [];
    const ids = new Set<string>();
    for (const f of readdirSync(this.opts.dir)) {
      const m = /^(.+?)(\.\d+\.log|\.json)$/.exec(f);
      if (m && isValidWorkspaceId(m[1])) ids.add(m[1]);
    }
    return [...ids].sort();
  }

  async open(id: string): Promise<DocStore> {
    const doc = new DocStore(id, this.opts);
    await doc.load();
    return doc;
  }

  /** Releases the data directory. */
  close(): void {
    this.release?.();
    this.release = undefined;
  }
}
