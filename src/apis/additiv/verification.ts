// Verification of a new primary email or mobile: the value waits as a pending channel until the
// 6-digit key sent to it is verified. A key expires after `keyTtlMs` of workspace time (10
// minutes) or once `maxAttempts` (3) wrong keys were tried: KeyExpired; a wrong key is KeyNoMatch
// (the attempt is counted even though the request is refused). Resending issues a new key and
// restarts the count; discontinuing drops the pending value. The key is drawn from the workspace
// RNG and published as an `additiv` event (and kept in the contact's state). No HTTP.
import { invalid, SimError } from '../../core/errors.js';
import type { Workspace } from '../../core/workspace.js';
import { contacts, writeLeaves, type ContactRec } from './contacts.js';
import { recordChangeSet } from './history.js';
import { valueText } from './schemas.js';
import { additivFixtures, API_ID } from './style.js';

export type Channel = 'Email' | 'Mobile';

export interface PendingChannel {
  path: string;
  value: unknown;
  key: string;
  sentAt: string;
  expiresAt: string;
  attempts: number;
}

function sendKey(ws: Workspace, c: ContactRec, channel: Channel, p: PendingChannel, reason: 'change' | 'resend'): void {
  ws.emit(API_ID, 'contact.verification.key_sent', { contactId: Number(c.id), channel, path: p.path, value: p.value, key: p.key, expiresAt: p.expiresAt, reason });
}

function newPending(ws: Workspace, path: string, value: unknown): PendingChannel {
  const now = ws.now();
  return { path, value, key: ws.rng.digits(6), sentAt: new Date(now).toISOString(), expiresAt: new Date(now + additivFixtures(ws).verification.keyTtlMs).toISOString(), attempts: 0 };
}

/** Holds a new channel value and sends a key to it (a value pending on that channel is replaced). */
export function startVerification(ws: Workspace, c: ContactRec, channel: Channel, path: string, value: unknown): void {
  const p = newPending(ws, path, value);
  c.pending = { ...c.pending, [channel]: p };
  sendKey(ws, c, channel, p, 'change');
}

function pendingOf(c: ContactRec, channel: Channel): PendingChannel {
  const p = c.pending[channel];
  if (!p) throw invalid(`contact ${c.id} has no pending ${channel} to verify`, { field: 'channel' });
  return p;
}

export function resendKey(ws: Workspace, c: ContactRec, channel: Channel): void {
  const old = pendingOf(c, channel);
  const p = newPending(ws, old.path, old.value);
  c.pending = { ...c.pending, [channel]: p };
  contacts.table(ws).touch(c);
  sendKey(ws, c, channel, p, 'resend');
}

export function discontinue(ws: Workspace, c: ContactRec, channel: Channel): void {
  pendingOf(c, channel);
  const next = { ...c.pending };
  delete next[channel];
  c.pending = next;
  contacts.table(ws).touch(c);
  ws.emit(API_ID, 'contact.verification.discontinued', { contactId: Number(c.id), channel });
}

/**
 * Checks a key. Right and in time: the value is written (and recorded in the history) and the
 * pending channel removed. Wrong: KeyNoMatch, and the attempt counts (kept although the request
 * is refused). Expired or out of attempts: KeyExpired.
 */
export function verify(ws: Workspace, c: ContactRec, channel: Channel, key: string | null | undefined): void {
  const p = pendingOf(c, channel);
  const max = additivFixtures(ws).verification.maxAttempts;
  if (ws.now() > Date.parse(p.expiresAt)) throw new SimError('rule', `the ${channel} key of contact ${c.id} expired at ${p.expiresAt}: request a new one`, { code: 'KeyExpired', field: 'key' });
  if (p.attempts >= max) throw new SimError('rule', `the ${channel} key of contact ${c.id} is no longer valid after ${max} wrong attempts: request a new one`, { code: 'KeyExpired', field: 'key' });
  if (typeof key !== 'string' || key.trim() !== p.key) {
    const id = Number(c.id);
    ws.alsoOnRefusal(() => {
      const rec = contacts.find(ws, id);
      const cur = rec?.pending[channel];
      if (!rec || !cur || cur.key !== p.key) return;
      rec.pending = { ...rec.pending, [channel]: { ...cur, attempts: cur.attempts + 1 } };
      contacts.table(ws).touch(rec);
    });
    const left = max - p.attempts - 1;
    throw new SimError('rule', `the key does not match the ${channel} key sent to contact ${c.id} (${left} attempt${left === 1 ? '' : 's'} left)`, { code: 'KeyNoMatch', field: 'key' });
  }
  const next = { ...c.pending };
  delete next[channel];
  c.pending = next;
  const before = c.details;
  writeLeaves(ws, c, [[p.path, p.value]]);
  const original = valueText(p.path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), before));
  recordChangeSet(ws, c, [{ path: p.path, originalValue: original, targetValue: valueText(p.value), isApprovalRequired: false }], { kind: 'contact', contact: c });
  ws.emit(API_ID, 'contact.verification.verified', { contactId: Number(c.id), channel, path: p.path });
}
