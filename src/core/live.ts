// Live view of the workspaces: who wants to hear that a workspace changed (the event stream of
// the control API, the log). A change is only noted on the request path (a set insert, and one
// setImmediate per burst); listeners run after the request was answered, read what is new from
// the journal and the event log themselves, and so see committed facts only (a request that
// failed undid its events before anyone looks). Nothing is noted while nobody listens.
import type { JournalEntry, SimEvent } from './journal.js';
import type { Workspace } from './workspace.js';

export type LiveListener = (ws: Workspace) => void;

export class LiveBus {
  private readonly byWs = new Map<string, Set<LiveListener>>();
  private readonly everyWs = new Set<LiveListener>();
  private readonly pending = new Set<Workspace>();
  private scheduled = false;

  /** Hears of every change of workspace `id` (or of every workspace with `*`); returns the unsubscriber. */
  subscribe(id: string, fn: LiveListener): () => void {
    if (id === '*') {
      this.everyWs.add(fn);
      return () => this.everyWs.delete(fn);
    }
    let set = this.byWs.get(id);
    if (!set) this.byWs.set(id, (set = new Set()));
    set.add(fn);
    return () => {
      set!.delete(fn);
      if (!set!.size && this.byWs.get(id) === set) this.byWs.delete(id);
    };
  }

  /** Whether anything listens to workspace `id`. */
  listened(id: string): boolean {
    return this.everyWs.size > 0 || this.byWs.has(id);
  }

  /** Notes that `ws` changed (a request, a fired event, a control call); listeners run soon after. */
  changed(ws: Workspace): void {
    if (!this.everyWs.size && !this.byWs.has(ws.id)) return;
    this.pending.add(ws);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Runs the listeners of every workspace noted since the last flush. */
  flush(): void {
    this.scheduled = false;
    const list = [...this.pending];
    this.pending.clear();
    for (const ws of list) {
      for (const fn of this.everyWs) safe(fn, ws);
      const set = this.byWs.get(ws.id);
      if (set) for (const fn of [...set]) safe(fn, ws);
    }
  }
}

function safe(fn: LiveListener, ws: Workspace): void {
  try {
    fn(ws);
  } catch (e) {
    console.error('[commsim] live listener failed:', e);
  }
}

/**
 * What a listener has not seen yet of one workspace: journal entries (by their number) and
 * events (by seq). A reset or a snapshot import makes a new Workspace object whose logs start
 * again; the cursor then starts again too and says so.
 */
export class LiveCursor {
  private ws: Workspace | null = null;
  private requests = 0;
  private seq = -1;

  constructor(opts: { requestsFrom?: number; eventsAfter?: number } = {}) {
    this.requests = opts.requestsFrom ?? 0;
    this.seq = opts.eventsAfter ?? -1;
  }

  /** New entries and events since the last call; `restarted` when the workspace was replaced. */
  read(ws: Workspace): { restarted: boolean; requests: JournalEntry[]; events: SimEvent[] } {
    let restarted = false;
    if (this.ws !== ws) {
      restarted = this.ws !== null;
      if (restarted) {
        this.requests = 0;
        this.seq = -1;
      }
      this.ws = ws;
    }
    const requests = ws.journal.since(this.requests);
    this.requests = ws.journal.pushed;
    const events = ws.events.after(this.seq);
    if (events.length) this.seq = events[events.length - 1].seq;
    return { restarted, requests, events };
  }

  /** Skips what is there now (a listener that wants new facts only). */
  skip(ws: Workspace): void {
    this.ws = ws;
    this.requests = ws.journal.pushed;
    this.seq = ws.events.lastSeq();
  }
}
