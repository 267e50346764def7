// Ids of new records: random strings and UUIDs from the workspace RNG, or integer sequences
// kept as records of the `_sequences` table (so a rolled-back request gives its number back).
import type { Rec } from '../record.js';
import type { Workspace } from '../workspace.js';
import type { IdStyle } from './styles.js';

interface SequenceRec extends Rec {
  next: number;
}

const ALPHABETS = {
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  hex: '0123456789abcdef',
  digits: '0123456789',
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
} as const;

const sequences = (ws: Workspace) => ws.doc.table<SequenceRec>('_sequences');

/** The counter's record id: `<api>.<name>` or `<api>.<name>/<partition>`. */
export function sequenceKey(api: string, name: string, partition?: string): string {
  return partition === undefined ? `${api}.${name}` : `${api}.${name}/${partition}`;
}

/** The next value of a sequence (the first is `start`). */
export function nextInSequence(ws: Workspace, key: string, start = 1): number {
  const t = sequences(ws);
  const rec = t.get(key) ?? t.put({ id: key, next: start });
  const n = rec.next;
  rec.next = n + 1;
  t.touch(rec);
  return n;
}

/** Makes sure a sequence hands out values above `used` (records loaded with explicit ids). */
export function reserveInSequence(ws: Workspace, key: string, used: number, start = 1): void {
  const t = sequences(ws);
  const rec = t.get(key) ?? t.put({ id: key, next: start });
  if (rec.next > used) return;
  rec.next = used + 1;
  t.touch(rec);
}

/** The value the sequence will hand out next (without taking it). */
export function peekSequence(ws: Workspace, key: string, start = 1): number {
  return sequences(ws).peek(key)?.next ?? start;
}

export function randomId(ws: Workspace, style: Pick<IdStyle, 'alphabet' | 'length' | 'prefix'>): string {
  const body = ws.rng.chars(ALPHABETS[style.alphabet ?? 'base64url'], style.length ?? 22);
  return style.prefix ? `${style.prefix}${body}` : body;
}

/** A version 4 UUID drawn from the workspace RNG. */
export function uuid(ws: Workspace): string {
  const h = ws.rng.chars(ALPHABETS.hex, 32).split('');
  h[12] = '4';
  h[16] = ALPHABETS.hex[(parseInt(h[16], 16) & 0x3) | 0x8];
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
