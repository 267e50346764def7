// Due events of a workspace: a persisted queue (table `_schedule`) ordered by (at, seq), kept
// in memory as a binary heap. Events fire in time order, each at its own timestamp. A cancelled
// event (or one whose scheduling was rolled back) leaves the table and is skipped when it
// reaches the top of the heap: the heap entry is live only while the table holds that object.
import type { Table } from './table.js';
import type { Transaction } from './transaction.js';

export interface ScheduledEvent {
  id: string;
  /** Virtual time (epoch ms) at which the event is due. */
  at: number;
  /** Tie-breaker: events due at the same instant fire in scheduling order. */
  seq: number;
  kind: string;
  data: Record<string, unknown>;
  [key: string]: unknown;
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class Scheduler {
  private heap: ScheduledEvent[] = [];
  private seq = 0;

  constructor(
    private readonly table: Table<ScheduledEvent>,
    private readonly tx: () => Transaction | null = () => null,
  ) {
    for (const ev of table.scan()) {
      this.push(ev);
      if (ev.seq >= this.seq) this.seq = ev.seq + 1;
    }
  }

  get size(): number {
    return this.table.size;
  }

  schedule(kind: string, at: number, data: Record<string, unknown> = {}): ScheduledEvent {
    const tx = this.tx();
    if (tx) {
      const prev = this.seq;
      tx.onceOnRollback(this, () => {
        this.seq = prev;
      });
    }
    const seq = this.seq++;
    const ev: ScheduledEvent = { id: `ev${seq}`, at, seq, kind, data };
    this.table.put(ev);
    this.push(ev);
    return ev;
  }

  /** Events another instance scheduled (or rescheduled), already in the table (a fleet on a shared store). */
  absorb(events: ScheduledEvent[]): void {
    for (const ev of events) {
      this.push(ev);
      if (ev.seq >= this.seq) this.seq = ev.seq + 1;
    }
  }

  /** Cancels an event (lazily: it is skipped when it reaches the top of the heap). */
  cancel(id: string): void {
    this.table.remove(id);
  }

  /** The time of the next pending event, if any. */
  nextAt(): number | undefined {
    this.dropDead();
    return this.heap[0]?.at;
  }

  /** Removes and returns the next event due at or before t. */
  popDue(t: number): ScheduledEvent | undefined {
    this.dropDead();
    const top = this.heap[0];
    if (!top || top.at > t) return undefined;
    this.pop();
    this.table.remove(top.id);
    return top;
  }

  /** Read-only, in due order. */
  pending(): ScheduledEvent[] {
    return [...this.table.scan()].sort((a, b) => (before(a, b) ? -1 : 1));
  }

  clear(): void {
    this.heap = [];
    this.table.clear();
  }

  private dropDead(): void {
    while (this.heap.length && this.table.peek(this.heap[0].id) !== this.heap[0]) this.pop();
  }

  private push(ev: ScheduledEvent): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): ScheduledEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
