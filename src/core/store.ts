// Workspace persistence: one lowdb document per workspace, written as a snapshot, plus an
// append-only change log (JSON lines) so that durability does not cost O(state) per write.
//
// - Every change marks a record (or a meta key) dirty; within `flushMs` (100 ms by default) the
//   dirty entries are appended to `<ws>.<gen>.log` as whole-record upserts/deletes. Replaying a
//   line twice is harmless, and a torn last line (kill -9 mid-write) is skipped on load.
// - When the log grows past `compactBytes` (and past the snapshot's size), the whole document is
//   written through lowdb (steno: temp file + atomic rename) as `<ws>.json` tagged with the next
//   log generation, then older logs are removed. Load = snapshot + every log of generation >= the
//   snapshot's.
// - `--data memory` keeps everything in memory (lowdb's Memory adapter), the test default.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';

export interface Rec {
  id: string;
  [key: string]: unknown;
}

export interface WorkspaceDocument {
  format: 'commsim-workspace';
  version: 1;
  /** The first log generation NOT contained in this snapshot. */
  gen: number;
  meta: Record<string, unknown>;
  tables: Record<string, Rec[]>;
}

type Dirty = () => void;

/** One collection of records, in creation order, indexed by id. */
export class Table<T extends Rec = Rec> {
  private rows = new Map<string, T>();
  /** id -> record to write (current value at flush time) or null for a delete. */
  readonly dirty = new Map<string, T | null>();

  /** onDirty is null in memory mode: nothing to persist, nothing to track. */
  constructor(readonly name: string, private readonly onDirty: Dirty | null) {}

  get size(): number {
    return this.rows.size;
  }

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  values(): IterableIterator<T> {
    return this.rows.values();
  }

  all(): T[] {
    return [...this.rows.values()];
  }

  find(pred: (r: T) => boolean): T | undefined {
    for (const r of this.rows.values()) if (pred(r)) return r;
    return undefined;
  }

  filter(pred: (r: T) => boolean): T[] {
    const out: T[] = [];
    for (const r of this.rows.values()) if (pred(r)) out.push(r);
    return out;
  }

  /** Inserts or replaces a record and marks it for persistence. */
  put(rec: T): T {
    this.rows.set(rec.id, rec);
    this.markDirty(rec.id, rec);
    return rec;
  }

  /** Marks a record changed in place. */
  touch(rec: T): T {
    if (this.rows.get(rec.id) === rec) this.markDirty(rec.id, rec);
    return rec;
  }

  remove(id: string): boolean {
    if (!this.rows.delete(id)) return false;
    this.markDirty(id, null);
    return true;
  }

  clear(): void {
    if (this.onDirty) {
      for (const id of this.rows.keys()) this.dirty.set(id, null);
      this.onDirty();
    }
    this.rows.clear();
  }

  /** Loads without marking dirty (snapshot/log replay). */
  load(rec: T): void {
    this.rows.set(rec.id, rec);
  }

  unload(id: string): void {
    this.rows.delete(id);
  }

  private markDirty(id: string, rec: T | null): void {
    if (!this.onDirty) return;
    this.dirty.set(id, rec);
    this.onDirty();
  }
}

export interface StoreOptions {
  /** Directory of the workspace files, or null for memory only. */
  dir: string | null;
  flushMs?: number;
  compactBytes?: number;
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isValidWorkspaceId(id: string): boolean {
  return ID_RE.test(id);
}

/** The state of one workspace: tables and meta values, with their persistence. */
export class DocStore {
  private tables = new Map<string, Table>();
  private meta = new Map<string, unknown>();
  private dirtyMeta = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private gen = 0;
  private logBytes = 0;
  private snapshotBytes = 0;
  private compacting: Promise<void> | undefined;
  private closed = false;
  private readonly db: Low<WorkspaceDocument>;

  constructor(
    readonly id: string,
    private readonly opts: Required<StoreOptions>,
  ) {
    this.db = new Low<WorkspaceDocument>(
      opts.dir ? new JSONFile<WorkspaceDocument>(this.snapshotPath()) : new Memory<WorkspaceDocument>(),
      emptyDocument(0),
    );
  }

  get persistent(): boolean {
    return this.opts.dir !== null;
  }

  table<T extends Rec = Rec>(name: string): Table<T> {
    let t = this.tables.get(name);
    if (!t) {
      t = new Table(name, this.persistent ? this.onDirty : null);
      this.tables.set(name, t);
    }
    return t as unknown as Table<T>;
  }

  tableNames(): string[] {
    return [...this.tables.keys()].filter((n) => this.tables.get(n)!.size > 0);
  }

  getMeta<T>(key: string): T | undefined {
    return this.meta.get(key) as T | undefined;
  }

  setMeta(key: string, value: unknown): void {
    this.meta.set(key, value);
    this.touchMeta(key);
  }

  /** Marks a meta value changed in place. */
  touchMeta(key: string): void {
    if (!this.persistent) return;
    this.dirtyMeta.add(key);
    this.onDirty();
  }

  /** The whole state as one document (snapshot export, compaction). */
  toDocument(gen = this.gen): WorkspaceDocument {
    const tables: Record<string, Rec[]> = {};
    for (const [name, t] of this.tables) if (t.size) tables[name] = t.all();
    return { format: 'commsim-workspace', version: 1, gen, meta: Object.fromEntries(this.meta), tables };
  }

  /** Replaces the whole state (snapshot import, reset) and persists it at once. */
  async replaceWith(doc: Pick<WorkspaceDocument, 'meta' | 'tables'>): Promise<void> {
    this.tables.clear();
    this.meta.clear();
    this.dirtyMeta.clear();
    this.applyDocument(doc);
    await this.compact();
  }

  private applyDocument(doc: Pick<WorkspaceDocument, 'meta' | 'tables'>): void {
    for (const [k, v] of Object.entries(doc.meta ?? {})) this.meta.set(k, v);
    for (const [name, rows] of Object.entries(doc.tables ?? {})) {
      const t = this.table(name);
      for (const r of rows) t.load(r);
    }
  }

  private onDirty = (): void => {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.opts.flushMs);
    this.timer.unref?.();
  };

  /** Appends every pending change to the current log (synchronously). */
  flush(): void {
    if (!this.persistent || this.closed) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const lines: string[] = [];
    for (const t of this.tables.values()) {
      if (!t.dirty.size) continue;
      for (const [id, rec] of t.dirty) {
        lines.push(rec ? JSON.stringify({ t: t.name, p: rec }) : JSON.stringify({ t: t.name, d: id }));
      }
      t.dirty.clear();
    }
    for (const key of this.dirtyMeta) lines.push(JSON.stringify({ m: key, v: this.meta.get(key) ?? null }));
    this.dirtyMeta.clear();
    if (!lines.length) return;
    const chunk = lines.join('\n') + '\n';
    mkdirSync(this.opts.dir!, { recursive: true });
    appendFileSync(this.logPath(this.gen), chunk);
    this.logBytes += Buffer.byteLength(chunk);
    if (this.logBytes > this.opts.compactBytes && this.logBytes > this.snapshotBytes && !this.compacting) {
      void this.compact();
    }
  }

  /** Writes the whole document as the snapshot and drops the logs it contains. */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting.then(() => this.compact());
    const run = async () => {
      this.flush();
      const oldGen = this.gen;
      this.gen = oldGen + 1;
      this.logBytes = 0;
      // The snapshot is serialised synchronously here, so it holds exactly the changes logged
      // before generation `this.gen`; later changes go to the new log.
      this.db.data = this.toDocument(this.gen);
      await this.db.write();
      this.db.data = emptyDocument(this.gen);
      if (this.persistent) {
        this.snapshotBytes = statSync(this.snapshotPath()).size;
        for (const g of this.logGenerations()) if (g < this.gen) rmSync(this.logPath(g), { force: true });
      }
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
      const doc = this.db.data;
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
      let op: { t?: string; p?: Rec; d?: string; m?: string; v?: unknown };
      try {
        op = JSON.parse(line);
      } catch {
        continue; // a torn write at the end of the log
      }
      if (op.m !== undefined) this.meta.set(op.m, op.v);
      else if (op.t && op.p) this.table(op.t).load(op.p);
      else if (op.t && op.d !== undefined) this.table(op.t).unload(op.d);
    }
  }

  /** Flushes and stops the timer; the store stays readable. */
  async close(): Promise<void> {
    this.flush();
    if (this.compacting) await this.compacting;
    this.closed = true;
  }

  /** Deletes the workspace's files. */
  destroy(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.persistent) return;
    rmSync(this.snapshotPath(), { force: true });
    for (const g of this.logGenerations()) rmSync(this.logPath(g), { force: true });
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

  constructor(opts: StoreOptions) {
    this.opts = { flushMs: 100, compactBytes: 32 * 1024 * 1024, ...opts };
    if (this.opts.dir) mkdirSync(this.opts.dir, { recursive: true });
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
}
