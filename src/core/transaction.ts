// Per-request transactions of a workspace. While a transaction is open, every record a request
// reads through a table (or writes) is copied the first time it is touched; rollback writes the
// copies back into the same objects, removes what the request created, puts back what it deleted
// in its original place, restores the workspace's meta values (RNG state, ledgers, counters) and
// runs the undo steps that in-memory structures registered (scheduler and log sequences,
// credential bindings). Nested transactions are savepoints: a commit hands the inner copies to
// the outer transaction, a rollback restores only what the inner one changed.
import { deepClone, deepEqual } from './clone.js';
import type { Rec } from './record.js';

/** What a table needs to put itself back. */
export interface TxTable {
  readonly name: string;
  /** Next creation sequence number (restored on rollback). */
  txNextSeq(): number;
  /** Creation sequence of a record (its place in the table's order). */
  txSeqOf(id: string): number | undefined;
  txRestore(backups: Map<string, RecordBackup>, nextSeq: number): void;
  /** A record the transaction handed out was changed in place without put/touch: record it as changed. */
  txSettle(id: string, obj: Rec): void;
  /** Whether the record is already known as changed (its change will be written). */
  txIsDirty(id: string): boolean;
}

export interface RecordBackup {
  /** The live object before the transaction touched it, or null when the record did not exist. */
  obj: Rec | null;
  /** Its content then. */
  copy: Rec | null;
  seq: number | undefined;
}

interface TableBackup {
  backups: Map<string, RecordBackup>;
  nextSeq: number;
}

/** A meta value as it was before the transaction first touched it. */
export interface MetaBackup {
  present: boolean;
  /** The live value (objects are restored in place). */
  ref: unknown;
  /** Its content then (objects only). */
  copy: unknown;
}

interface Undo {
  key: unknown;
  fn: () => void;
}

/** Shared by transactions that never tracked anything (most reads): nothing is allocated for them. */
const EMPTY = new Map<never, never>();

export class Transaction {
  private tables: Map<TxTable, TableBackup> = EMPTY;
  private undo: Undo[] | undefined;
  private keys: Set<unknown> | undefined;
  closed = false;

  meta: Map<string, MetaBackup> = EMPTY;

  constructor(readonly parent: Transaction | null) {}

  get depth(): number {
    return this.parent ? this.parent.depth + 1 : 0;
  }

  /** Keeps the state of record `id` (null: absent) as it was before this transaction. */
  track(table: TxTable, id: string, current: Rec | undefined): void {
    if (this.tables === EMPTY) this.tables = new Map();
    let tb = this.tables.get(table);
    if (!tb) {
      tb = { backups: new Map(), nextSeq: table.txNextSeq() };
      this.tables.set(table, tb);
    }
    if (tb.backups.has(id)) return;
    tb.backups.set(id, current ? { obj: current, copy: deepClone(current), seq: table.txSeqOf(id) } : { obj: null, copy: null, seq: undefined });
  }

  /** Keeps meta value `key` as it was before this transaction. */
  trackMeta(key: string, present: boolean, ref: unknown): void {
    if (this.meta === EMPTY) this.meta = new Map();
    if (this.meta.has(key)) return;
    this.meta.set(key, { present, ref, copy: ref !== null && typeof ref === 'object' ? deepClone(ref) : undefined });
  }

  /** Registers a step that undoes an in-memory change on rollback. */
  onRollback(fn: () => void): void {
    (this.undo ??= []).push({ key: undefined, fn });
  }

  /**
   * Like onRollback, once per key: the first registration captures the state before the
   * transaction (e.g. a sequence counter), later ones are ignored.
   */
  onceOnRollback(key: unknown, fn: () => void): void {
    this.keys ??= new Set();
    if (this.keys.has(key)) return;
    this.keys.add(key);
    (this.undo ??= []).push({ key, fn });
  }

  /** Records touched by this transaction (tests, diagnostics). */
  touchedCount(): number {
    let n = 0;
    for (const tb of this.tables.values()) n += tb.backups.size;
    return n;
  }

  /** Nested commit: the outer transaction now answers for what this one changed. */
  mergeInto(outer: Transaction): void {
    if (this.tables.size && outer.tables === EMPTY) outer.tables = new Map();
    if (this.meta.size && outer.meta === EMPTY) outer.meta = new Map();
    for (const [table, tb] of this.tables) {
      const otb = outer.tables.get(table);
      if (!otb) {
        outer.tables.set(table, tb);
        continue;
      }
      for (const [id, b] of tb.backups) if (!otb.backups.has(id)) otb.backups.set(id, b);
    }
    for (const [k, b] of this.meta) if (!outer.meta.has(k)) outer.meta.set(k, b);
    for (const u of this.undo ?? []) {
      if (u.key === undefined) (outer.undo ??= []).push(u);
      else if (!outer.keys?.has(u.key)) {
        (outer.keys ??= new Set()).add(u.key);
        (outer.undo ??= []).push(u);
      }
    }
  }

  /**
   * Outermost commit on a persistent store: a record handed out by a read and changed in place
   * without put/touch would be missing from the log (and from other instances' copies, and its
   * indexes would be stale): each such record is compared with its copy and, if changed, touched.
   */
  settleInPlaceChanges(): void {
    for (const [table, tb] of this.tables) {
      for (const [id, b] of tb.backups) {
        if (!b.obj || !b.copy || table.txIsDirty(id)) continue;
        if (!deepEqual(b.obj, b.copy)) table.txSettle(id, b.obj);
      }
    }
  }

  /** Puts records back and runs the undo steps (latest first). Meta is restored by the owner. */
  rollbackRecords(): void {
    for (const [table, tb] of this.tables) table.txRestore(tb.backups, tb.nextSeq);
    const undo = this.undo ?? [];
    for (let i = undo.length - 1; i >= 0; i--) undo[i].fn();
  }
}
