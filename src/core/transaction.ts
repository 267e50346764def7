// Per-request transactions of a workspace. While a transaction is open, every record a request
// reads through a table (or writes) is copied the first time it is touched; rollback writes the
// copies back into the same objects, removes what the request created, puts back what it deleted
// in its original place, restores the workspace's meta values (RNG state, ledgers, counters) and
// runs the undo steps that in-memory structures registered (scheduler and log sequences,
// credential bindings). Nested transactions are savepoints: a commit hands the inner copies to
// the outer transaction, a rollback restores only what the inner one changed.
import { deepClone } from './clone.js';
import type { Rec } from './record.js';

/** What a table needs to put itself back. */
export interface TxTable {
  readonly name: string;
  /** Next creation sequence number (restored on rollback). */
  txNextSeq(): number;
  /** Creation sequence of a record (its place in the table's order). */
  txSeqOf(id: string): number | undefined;
  txRestore(backups: Map<string, RecordBackup>, nextSeq: number): void;
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

export class Transaction {
  private readonly tables = new Map<TxTable, TableBackup>();
  private undo: Undo[] = [];
  private keys = new Set<unknown>();
  closed = false;

  readonly meta = new Map<string, MetaBackup>();

  constructor(readonly parent: Transaction | null) {}

  get depth(): number {
    return this.parent ? this.parent.depth + 1 : 0;
  }

  /** Keeps the state of record `id` (null: absent) as it was before this transaction. */
  track(table: TxTable, id: string, current: Rec | undefined): void {
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
    if (this.meta.has(key)) return;
    this.meta.set(key, { present, ref, copy: ref !== null && typeof ref === 'object' ? deepClone(ref) : undefined });
  }

  /** Registers a step that undoes an in-memory change on rollback. */
  onRollback(fn: () => void): void {
    this.undo.push({ key: undefined, fn });
  }

  /**
   * Like onRollback, once per key: the first registration captures the state before the
   * transaction (e.g. a sequence counter), later ones are ignored.
   */
  onceOnRollback(key: unknown, fn: () => void): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.undo.push({ key, fn });
  }

  /** Records touched by this transaction (tests, diagnostics). */
  touchedCount(): number {
    let n = 0;
    for (const tb of this.tables.values()) n += tb.backups.size;
    return n;
  }

  /** Nested commit: the outer transaction now answers for what this one changed. */
  mergeInto(outer: Transaction): void {
    for (const [table, tb] of this.tables) {
      const otb = outer.tables.get(table);
      if (!otb) {
        outer.tables.set(table, tb);
        continue;
      }
      for (const [id, b] of tb.backups) if (!otb.backups.has(id)) otb.backups.set(id, b);
    }
    for (const [k, b] of this.meta) if (!outer.meta.has(k)) outer.meta.set(k, b);
    for (const u of this.undo) {
      if (u.key === undefined) outer.undo.push(u);
      else if (!outer.keys.has(u.key)) {
        outer.keys.add(u.key);
        outer.undo.push(u);
      }
    }
  }

  /** Puts records back and runs the undo steps (latest first). Meta is restored by the owner. */
  rollbackRecords(): void {
    for (const [table, tb] of this.tables) table.txRestore(tb.backups, tb.nextSeq);
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i].fn();
  }
}
