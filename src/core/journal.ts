// Bounded request journal (memory only) and event timeline (persisted with the workspace).
import type { Table } from './table.js';
import type { Transaction } from './transaction.js';

export interface JournalEntry {
  /** Virtual time of the request (epoch ms; the control API writes it as ISO 8601). */
  t: number;
  method: string;
  path: string;
  api: string;
  operationId: string | null;
  status: number;
  /** Latency a scenario rule added to the request (ms; 0 without one): deterministic, never host time. */
  ms: number;
}

/** A fixed-size ring buffer. */
export class Ring<T> {
  private items: T[] = [];
  private start = 0;
  /** Items pushed since creation (kept or not): a request number for the workspace's life in memory. */
  pushed = 0;

  constructor(public capacity: number) {}

  push(item: T): void {
    this.pushed++;
    if (this.capacity <= 0) return;
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

  get size(): number {
    return this.items.length;
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
 * `seq` and sit in the table in append order; beyond `capacity` the oldest are dropped.
 */
export class AppendLog<T extends { id: string; seq: number }> {
  private seq: number;
  /** Ids oldest first from `head` on (trimming advances `head`: no scan of a map's holes). */
  private queue: string[];
  private head = 0;

  constructor(
    private readonly table: Table<T & { [key: string]: unknown }>,
    private readonly prefix: string,
    public capacity: number,
    private readonly tx: () => Transaction | null,
  ) {
    const all = [...table.scan()].sort((a, b) => a.seq - b.seq);
    this.queue = all.map((e) => e.id);
    this.seq = all.length ? all[all.length - 1].seq + 1 : 0;
  }

  get size(): number {
    return this.table.size;
  }

  append(make: (id: string, seq: number) => T): T {
    const tx = this.tx();
    if (tx) {
      const { seq, head } = this;
      const length = this.queue.length;
      tx.onceOnRollback(this, () => {
        this.seq = seq;
        this.head = head;
        this.queue.length = length;
      });
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    const seq = this.seq++;
    const rec = make(`${this.prefix}${seq}`, seq);
    this.table.put(rec as T & { [key: string]: unknown });
    this.queue.push(rec.id);
    this.trim();
    return rec;
  }

  /** Drops the oldest records beyond the capacity. */
  trim(): void {
    const cap = Math.max(1, this.capacity);
    while (this.table.size > cap && this.head < this.queue.length) this.table.remove(this.queue[this.head++]);
  }

  /** Oldest first (read-only records). */
  list(pred?: (rec: T) => boolean, limit?: number): T[] {
    const out: T[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const rec = this.table.peek(this.queue[i]) as T | undefined;
      if (rec && (!pred || pred(rec))) out.push(rec);
    }
    return limit !== undefined ? out.slice(Math.max(0, out.length - limit)) : out;
  }

  clear(): void {
    this.table.clear();
    this.queue = [];
    this.head = 0;
    this.seq = 0;
  }
}

/** The simulated events of a workspace (state transitions, webhook attempts, ...). */
export class EventLog extends AppendLog<SimEvent> {
  constructor(table: Table<SimEvent>, tx: () => Transaction | null, capacity = 10_000) {
    super(table, 'e', capacity, tx);
  }

  record(at: number, api: string, type: string, data: Record<string, unknown>): SimEvent {
    return this.append((id, seq) => ({ id, seq, at: new Date(at).toISOString(), api, type, data }));
  }
}
