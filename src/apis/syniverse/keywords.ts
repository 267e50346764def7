// Keywords, as plain functions (no HTTP): what a customer may create or change (COMPANY keywords
// only; the platform's RESERVED ones are fixed and their words cannot be taken), and which
// keyword an inbound message matches (K3: RESERVED first, then sender-specific, then generic;
// the whole body or its first word, as a regular expression, case as the keyword says).
import { parseTimestamp } from '../../core/clock.js';
import { forbidden, invalid, SimError } from '../../core/errors.js';
import type { JsonSchema } from '../../core/spec.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import type { SynCollections } from './collections.js';

function assertNotReserved(k: Rec): void {
  if (k.type === 'RESERVED') throw forbidden(`keyword ${k.name} is a RESERVED platform keyword and cannot be changed`);
}

function assertCompanyType(body: Record<string, unknown> | undefined, what: string): void {
  if (body?.type && String(body.type).toUpperCase() === 'RESERVED') throw forbidden(what, { field: 'type' });
}

/** The rules a keyword's values must follow (the merged record of a create, update or replace). */
export function checkKeyword(ws: Workspace, c: SynCollections, merged: Rec): void {
  if (merged.value !== undefined && merged.value !== null) {
    try {
      new RegExp(String(merged.value));
    } catch {
      throw invalid(`keyword value '${merged.value}' is not a valid regular expression`, { field: 'value' });
    }
    const clash = c.keywords
      .table(ws)
      .find((k) => k.type === 'RESERVED' && k.id !== merged.id && String(k.value).split('|').some((v) => v.toUpperCase() === String(merged.value).toUpperCase()));
    if (clash) throw new SimError('duplicate', `'${merged.value}' is reserved by the platform keyword ${clash.name}`, { field: 'value' });
  }
  const from = merged.valid_from ? parseTimestamp(merged.valid_from) : undefined;
  const to = merged.valid_to ? parseTimestamp(merged.valid_to) : undefined;
  if (from !== undefined && to !== undefined && from > to) throw invalid('valid_from must not be after valid_to', { field: 'valid_from' });
  if (merged.sender_id && !c.senderIds.lookup(ws, String(merged.sender_id))) throw invalid(`sender id ${merged.sender_id} does not exist`, { field: 'sender_id' });
  if (merged.reply_template && !c.messageTemplates.table(ws).peekFind((t) => t.name === merged.reply_template || t.id === merged.reply_template)) {
    throw invalid(`reply_template '${merged.reply_template}' names no message template`, { field: 'reply_template' });
  }
}

/** POST /messaging/keywords: a COMPANY keyword. */
export function createKeyword(ws: Workspace, c: SynCollections, body: Record<string, unknown>, schema: JsonSchema | undefined): Rec {
  if (String(body.type ?? 'COMPANY').toUpperCase() === 'RESERVED') throw forbidden('RESERVED keywords are provided by the platform', { field: 'type' });
  const values = c.keywords.pick(body, schema);
  checkKeyword(ws, c, values as Rec);
  return c.keywords.insert(ws, { ...values, type: 'COMPANY' });
}

/** Checks a partial update of keyword `id` (the update itself is the collection's). */
export function checkKeywordUpdate(ws: Workspace, c: SynCollections, id: string, body: Record<string, unknown> | undefined, schema: JsonSchema | undefined): void {
  const k = c.keywords.get(ws, id);
  assertNotReserved(k);
  assertCompanyType(body, 'a keyword cannot be made RESERVED');
  checkKeyword(ws, c, { ...k, ...c.keywords.pick(body, schema) });
}

/** PUT /messaging/keywords/{id}: every attribute replaced; it stays a COMPANY keyword. */
export function replaceKeyword(ws: Workspace, c: SynCollections, id: string, body: Record<string, unknown> | undefined, schema: JsonSchema | undefined): Rec {
  const k = c.keywords.get(ws, id);
  assertNotReserved(k);
  assertCompanyType(body, 'a keyword cannot be made RESERVED');
  checkKeyword(ws, c, { id: k.id, ...c.keywords.pick(body, schema) });
  const rec = c.keywords.replace(ws, String(k.id), body, schema);
  rec.type = 'COMPANY';
  return rec;
}

/** Refuses to delete a RESERVED keyword. */
export function checkKeywordDelete(ws: Workspace, c: SynCollections, id: string): void {
  assertNotReserved(c.keywords.get(ws, id));
}

/** The keyword an inbound `text` to `senderId` matches at `now`, if any. */
export function matchKeyword(keywords: Iterable<Rec>, senderId: unknown, text: string, now: number): Rec | undefined {
  const body = text.trim();
  const first = body.split(/\s+/)[0] ?? '';
  const live = [...keywords].filter((k) => {
    if (k.sender_id && k.sender_id !== senderId) return false;
    const from = k.valid_from ? parseTimestamp(k.valid_from) : undefined;
    const to = k.valid_to ? parseTimestamp(k.valid_to) : undefined;
    return (from === undefined || from <= now) && (to === undefined || now <= to);
  });
  const rank = (k: Rec) => (k.type === 'RESERVED' ? 0 : k.sender_id ? 1 : 2);
  live.sort((a, b) => rank(a) - rank(b) || String(a.created_date).localeCompare(String(b.created_date)));
  return live.find((k) => {
    try {
      const re = new RegExp(`^(?:${k.value})$`, k.case === 'SENSITIVE' ? '' : 'i');
      return re.test(body) || re.test(first);
    } catch {
      return false;
    }
  });
}

/**
 * Whether SCG records the consent change of a keyword action for a sender id whose consent is
 * managed by `managedBy`: SCG records opt-ins and opt-outs, SCG_UNSOLICITED_OPT_OUT (public
 * description) only opt-outs, USER neither (the customer does).
 */
export function scgRecordsConsent(managedBy: unknown, action: string): boolean {
  const by = String(managedBy ?? '').toUpperCase();
  if (by === 'SCG') return action === 'OPTOUT' || action === 'OPTIN';
  if (by === 'SCG_UNSOLICITED_OPT_OUT') return action === 'OPTOUT';
  return false;
}
