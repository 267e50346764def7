// A workspace store whose durable copy lives in a shared store (Redis) rather than in files:
// the records and meta values stay in memory (the instance's cache, with the same tables,
// indexes and transactions as the embedded store), every change is tracked, and the fleet
// (fleet.ts) takes the pending changes after each request to commit them, and applies the
// changes other instances committed before the next one. Nothing here talks to Redis.
import { deepClone } from '../clone.js';
import type { JournalEntry } from '../journal.js';
import type { Rec } from '../record.js';
import { DocStore, type ChangeOp, type WorkspaceDocument } from '../store.js';

/** Hash field of a record: `<table>\0<id>`; of a meta value: `\0<key>`. */
export const recordField = (table: string, id: string): string => `${table}\u0000${id}`;
export const metaField = (key: string): string => `\u0000${key}`;

/** The changes of one request, as the shared store keeps them. */
export interface PendingChanges {
  /** Change lines (store.ts's log format), joined by '\n': what other instances replay. */
  chunk: string;
  /** [field, json, field, json, ...]: hash fields to set. */
  sets: string[];
  /** Hash fields to delete. */
  dels: string[];
}

/** What applying other instances' changes touched (the workspace re-reads what it caches from them). */
export interface AppliedChanges {
  /** Table name -> records upserted (in change order). */
  tables: Map<string, Rec[]>;
  meta: Set<string>;
  /** Requests other instances journaled (line `{"j": entry}`), oldest first. */
  journal: JournalEntry[];
}

export class SharedDocStore extends DocStore {
  /** Set by replaceWith (reset, snapshot import): the next commit writes the whole document. */
  replaced = false;

  constructor(id: string) {
    super(id, { dir: null, flushMs: 0, compactBytes: 0 });
  }

  // Changes are tracked (as for files) but written by the fleet at the end of each request.
  override get persistent(): boolean {
    return true;
  }
  override changed = (): void => undefined;
  override flush(): void {}
  override async written(): Promise<void> {}
  override async compact(): Promise<void> {}
  override async load(): Promise<void> {}
  override async close(): Promise<void> {}
  override destroy(): void {}

  override async replaceWith(doc: Pick<WorkspaceDocument, 'meta' | 'tables'>): Promise<void> {
    if (this.tx) throw new Error(`workspace ${this.id}: cannot replace the state inside a transaction`);
    this.replaceLocal(deepClone(doc));
    this.replaced = true;
  }

  /** Whether changes wait to be committed. */
  hasChanges(): boolean {
    if (this.replaced || this.dirtyMeta.size) return true;
    for (const t of this.tables.values()) if (t.dirty.size) return true;
    return false;
  }

  /** The pending changes, taken (a failed commit discards the cache instead: see fleet.ts). */
  takeChanges(): PendingChanges | null {
    const lines: string[] = [];
    const sets: string[] = [];
    const dels: string[] = [];
    this.drainChanges((line, table, key, json) => {
      lines.push(line);
      const field = table === null ? metaField(key) : recordField(table, key);
      if (json === null) dels.push(field);
      else sets.push(field, json);
    });
    if (!lines.length) return null;
    return { chunk: lines.join('\n'), sets, dels };
  }

  /** The whole state as hash fields [field, json, ...], records in table order; clears what was pending. */
  takeAll(): string[] {
    this.replaced = false;
    for (const t of this.tables.values()) t.dirty.clear();
    this.dirtyMeta.clear();
    const out: string[] = [];
    for (const [k, v] of this.meta) out.push(metaField(k), JSON.stringify(v ?? null));
    for (const [name, t] of this.tables) for (const r of t.scan()) out.push(recordField(name, r.id), JSON.stringify(r));
    return out;
  }

  /** Applies change chunks another instance committed (in commit order). */
  applyChunks(chunks: string[]): AppliedChanges {
    const applied: AppliedChanges = { tables: new Map(), meta: new Set(), journal: [] };
    for (const chunk of chunks) {
      for (const line of chunk.split('\n')) {
        if (!line) continue;
        const op = JSON.parse(line) as ChangeOp & { j?: JournalEntry };
        if (op.j) {
          applied.journal.push(op.j);
          continue;
        }
        this.applyOp(op);
        if (op.m !== undefined) applied.meta.add(op.m);
        else if (op.t) {
          let list = applied.tables.get(op.t);
          if (!list) applied.tables.set(op.t, (list = []));
          if (op.p) list.push(op.p);
        }
      }
    }
    return applied;
  }

  /**
   * Replaces the cache by the shared copy: `fields` as HGETALL gives them ([field, json, ...])
   * and `order` the creation rank of each record field (the hash itself has no order).
   */
  loadFields(fields: string[], order: Map<string, number>): void {
    const meta: Record<string, unknown> = {};
    const rows: Array<{ rank: number; table: string; rec: Rec }> = [];
    for (let i = 0; i < fields.length; i += 2) {
      const f = fields[i];
      const cut = f.indexOf('\u0000');
      if (cut === 0) meta[f.slice(1)] = JSON.parse(fields[i + 1]);
      else if (cut > 0) rows.push({ rank: order.get(f) ?? Number.MAX_SAFE_INTEGER, table: f.slice(0, cut), rec: JSON.parse(fields[i + 1]) as Rec });
    }
    rows.sort((a, b) => a.rank - b.rank);
    const tables: Record<string, Rec[]> = {};
    for (const r of rows) (tables[r.table] ??= []).push(r.rec);
    this.replaceLocal({ meta, tables });
    this.replaced = false;
  }
}
