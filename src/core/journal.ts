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
  /** The request's id (also its `X-Request-Id` answer header). */
  requestId?: string;
  /** Request and response bodies as text, cut at JOURNAL_BODY_CAP characters (the dashboard shows them). */
  requestBody?: string;
  responseBody?: string;
  /** The scenario fault that answered the request, when one did. */
  fault?: string;
}

/** Characters of a request or response body kept in a journal entry. */
export const JOURNAL_BODY_CAP = 4096;

/**
 * How many of the latest journal entries keep their bodies; older entries keep the rest. The
 * bodies are for a person looking at recent requests (the dashboard); on every entry of a full
 * journal they cost tens of MB under load (measured: RSS 244 MB instead of 205 MB after 100k
 * mixed requests).
 */
export const JOURNAL_BODIES_KEPT = 100;

/** Drops the bodies of the entry that just left the last JOURNAL_BODIES_KEPT. */
export function ageJournalBodies(journal: Ring<JournalEntry>): void {
  const old = journal.nth(journal.pushed - 1 - JOURNAL_BODIES_KEPT);
  if (old && (old.requestBody !== undefined || old.responseBody !== undefined)) {
    // Set, not deleted: the entries keep one shape (JSON leaves undefined out).
    old.requestBody = undefined;
    old.responseBody = undefined;
  }
}

/** A body cut to the journal's cap (the rest only counted). */
export function capBody(text: string): string {
  if (text.length <= JOURNAL_BODY_CAP) return text;
  // A copy: V8's slice of a long string keeps the whole string alive (a 20 MB upload per entry).
  const head = Buffer.from(text.slice(0, JOURNAL_BODY_CAP), 'utf8').toString('utf8');
  return `${head}... (${text.length - JOURNAL_BODY_CAP} more characters)`;
}

/** A fixed-size ring buffer. */
export class Ring<T> {
  private items: T[] = [];
  private start = 0;
  /** Items pushed since creation (kept or not): a request number for the workspace's life in memory. */
  pushed = 0;

  constructor(public capacity: number) {}

  /** Starts over with `items` (oldest first), the last of which was pushed as number `pushed - 1`. */
  restore(items: T[], pushed: number): void {
    this.clear();
    const kept = this.capacity > 0 ? items.slice(-this.capacity) : [];
    this.items = kept;
    this.pushed = Math.max(pushed, kept.length);
  }

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

  /** The item pushed as number `n` (0-based, see `pushed`), if it is still kept. */
  nth(n: number): T | undefined {
    const size = this.items.length;
    const oldest = this.pushed - size;
    if (n < oldest || n >= this.pushed) return undefined;
    return this.items[(this.start + n - oldest) % size];
  }

  /** The kept items pushed as number `n` (0-based, see `pushed`) or later, oldest first. */
  since(n: number): T[] {
    const size = this.items.length;
    const oldest = this.pushed - size;
    const out: T[] = [];
    // Oldest-first position j is items[(start + j) % size] (start is 0 until the ring is full).
    for (let k = Math.max(n, oldest); k < this.pushed; k++) out.push(this.items[(this.start + k - oldest) % size]);
    return out;
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

  /** Records another instance appended, already in the table (a fleet on a shared store). */
  absorb(recs: T[]): void {
    const fresh = recs.filter((r) => r.seq >= this.seq).sort((a, b) => a.seq - b.seq);
    for (const r of fresh) this.queue.push(r.id);
    if (fresh.length) this.seq = fresh[fresh.length - 1].seq + 1;
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

  /** Records with a seq above `seq`, oldest first: a walk back from the newest, O(new records). */
  after(seq: number): T[] {
    const out: T[] = [];
    for (let i = this.queue.length - 1; i >= this.head; i--) {
      const rec = this.table.peek(this.queue[i]) as T | undefined;
      if (!rec) continue;
      if (rec.seq <= seq) break;
      out.push(rec);
    }
    return out.reverse();
  }

  /** The seq of the newest record (-1 when none). */
  lastSeq(): number {
    return this.seq - 1;
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
