// The outbound queue of one (sender id, destination country) pair: messages that may not leave
// yet (the sender class's per-second or per-day limit is reached, or its delivery window is
// closed) wait here in arrival order, and one scheduled drain event per slot sends what the
// limits allow. Each waiting message costs one queue entry written and one removed, whatever
// the backlog: draining N messages is linear in N (the old way rescheduled every waiting
// message every second). Plain functions over the workspace's tables; no HTTP.
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import type { ThroughputCounter } from './senders.js';
import { API_ID } from './style.js';

/** A throughput counter that also heads the pair's queue: entries `head` .. `tail - 1` wait. */
export interface SendQueue extends ThroughputCounter {
  head?: number;
  tail?: number;
  /** When the pending drain event fires (null when none is pending). */
  drainAt?: number | null;
}

interface QueueEntry extends Rec {
  id: string;
  message: string;
}

export const queueKey = (senderId: string, country: string | undefined) => `${senderId}|${country ?? 'DEFAULT'}`;

const counters = (ws: Workspace) => ws.table<SendQueue>(API_ID, '_throughput');
const entries = (ws: Workspace) => ws.table<QueueEntry>(API_ID, '_send_queue');
const entryId = (key: string, seq: number) => `${key}#${seq}`;

/** The counter and queue head of a pair, created on first use (copied for the transaction). */
export function queueOf(ws: Workspace, key: string): SendQueue {
  const t = counters(ws);
  return t.get(key) ?? t.put({ id: key, second: -1, inSecond: 0, day: -1, inDay: 0, head: 0, tail: 0, drainAt: null });
}

export function waiting(q: SendQueue): number {
  return (q.tail ?? 0) - (q.head ?? 0);
}

/** Appends a message to the queue. */
export function enqueue(ws: Workspace, q: SendQueue, messageId: string): void {
  const tail = q.tail ?? 0;
  entries(ws).put({ id: entryId(q.id, tail), message: messageId });
  q.tail = tail + 1;
  q.head ??= 0;
  counters(ws).touch(q);
}

/** The id of the message at the front (undefined when the queue is empty). */
export function peekFront(ws: Workspace, q: SendQueue): string | undefined {
  while (waiting(q) > 0) {
    const e = entries(ws).peek(entryId(q.id, q.head ?? 0));
    if (e) return e.message;
    q.head = (q.head ?? 0) + 1; // a hole (cannot happen through this module): skip it
  }
  return undefined;
}

/** Removes the front entry. */
export function dropFront(ws: Workspace, q: SendQueue): void {
  if (waiting(q) <= 0) return;
  const head = q.head ?? 0;
  entries(ws).remove(entryId(q.id, head));
  q.head = head + 1;
  if (waiting(q) === 0) {
    // An empty queue starts again at 0, so entry ids stay short.
    q.head = 0;
    q.tail = 0;
  }
  counters(ws).touch(q);
}

/** Arms the drain event at `at` unless one is already pending. */
export function armDrain(ws: Workspace, q: SendQueue, kind: string, at: number): void {
  if (q.drainAt !== null && q.drainAt !== undefined) return;
  q.drainAt = at;
  counters(ws).touch(q);
  ws.schedule(kind, at, { queue: q.id });
}
