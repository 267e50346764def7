// Bounded request journal (memory only) and event timeline (persisted with the workspace).
import type { Table } from './store.js';

export interface JournalEntry {
  at: string;
  method: string;
  path: string;
  api: string;
  operationId: string | null;
  status: number;
  ms: number;
}

/** A fixed-size ring buffer. */
export class Ring<T> {
  private items: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  clear(): void {
    this.items = [];
    this.start = 0;
  }
}

export interface SimEvent {
  id: string;
  seq: number;
  at: string;
  api: string;
  type: string;
  data: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * An append-only, bounded, persisted list (events, ledger entries): records carry an increasing
 * `seq`; beyond `capacity` the oldest are dropped.
 */
export class AppendLog<T extends { id: string; seq: number }> {
  private seq: number;
  private order: string[];

  constructor(private readonly table: Table<T & { [key: string]: unknown }>, private readonly prefix: string, private readonly capacity: number) {
    const all = table.all().sort((a, b) => a.seq - b.seq);
    this.order = all.map((e) => e.id);
    this.seq = all.length ? all[all.length - 1].seq + 1 : 0;
  }

  append(make: (id: string, seq: number) => T): T {
    const seq = this.seq++;
    const rec = make(`${this.prefix}${seq}`, seq);
    this.table.put(rec as T & { [key: string]: unknown });
    this.order.push(rec.id);
    while (this.order.length > this.capacity) this.table.remove(this.order.shift()!);
    return rec;
  }

  /** Oldest first. */
  list(pred?: (rec: T) => boolean, limit?: number): T[] {
    const out: T[] = [];
    for (const id of this.order) {
      const rec = this.table.get(id);
      if (rec && (!pred || pred(rec))) out.push(rec);
    }
    return limit !== undefined ? out.slice(-limit) : out;
  }

  clear(): void {
    this.table.clear();
    this.order = [];
    this.seq = 0;
  }
}

/** The simulated events of a workspace (state transitions, webhook attempts, ...). */
export class EventLog extends AppendLog<SimEvent> {
  constructor(table: Table<SimEvent>, capacity = 10_000) {
    super(table, 'e', capacity);
  }

  record(at: number, api: string, type: string, data: Record<string, unknown>): SimEvent {
    return this.append((id, seq) => ({ id, seq, at: new Date(at).toISOString(), api, type, data }));
  }
}
