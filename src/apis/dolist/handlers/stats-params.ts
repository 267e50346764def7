// What the statistics operations read of a request: the sending (404 [729] when it is not a
// sending of the channel in the caller's account), the occurrence filter (404 [807]), the target
// filter (404 [502]), the indicators (400 [36] for one the channel has not), dates and paging.
import type { HandlerContext } from '../../../core/api.js';
import { parseTimestamp } from '../../../core/clock.js';
import { dolistError } from '../error-catalogue.js';
import type { Channel } from '../messages.js';
import { findSending, type SendingRec } from '../sendings.js';
import { indicatorsOf, type Indicator } from '../statistics.js';
import type { Workspace } from '../../../core/workspace.js';
import { API_ID, callerAccount } from '../style.js';
import { targetContacts } from '../target-eval.js';

export function sendingParam(ctx: HandlerContext, channel: Channel): SendingRec {
  const id = Number(ctx.params.SendingID);
  const s = Number.isInteger(id) ? findSending(ctx.ws, callerAccount(ctx), channel, id) : undefined;
  if (!s) throw dolistError('729', `no ${channel === 'email' ? 'email' : 'SMS'} sending ${ctx.params.SendingID} in account ${callerAccount(ctx)}`, 'SendingID');
  return s;
}

/** The OccurrenceID filter: undefined (all), or one of the sending's occurrences (else 404 [807]). */
export function occurrenceParam(ctx: HandlerContext, s: SendingRec): number | undefined {
  const v = ctx.query.OccurrenceID;
  if (v === undefined || v === null || v === '') return undefined;
  const id = Number(v);
  if (!s.Occurrences.some((o) => o.OccurrenceID === id)) throw dolistError('807', `sending ${s.ID} has no occurrence ${v} (it has ${s.Occurrences.length})`, 'OccurrenceID');
  return id;
}

/**
 * The contacts a target selects, as a recipient filter: undefined for no TargetID or the
 * sending's own target (all its recipients), else the target's contacts now (404 [502]).
 */
export function targetFilter(ctx: HandlerContext, s: SendingRec, value: unknown = ctx.query.TargetID): Set<number> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const id = Number(value);
  const contacts = targetContacts(ctx.ws, s.account, id);
  if (id === s.TargetID) return undefined;
  return new Set(contacts.map((c) => c.ID));
}

/** A target's name (the targets table's records carry `Name`), null when it has none. */
export function targetName(ws: Workspace, account: string, id: number): string | null {
  const t = ws.table(API_ID, 'targets').peek(String(id));
  return t && t.account === account && typeof t.Name === 'string' ? t.Name : null;
}

/** `IndicatorList`: indicator IDs of the channel (repeated or comma-separated), duplicates dropped. */
export function indicatorsParam(ctx: HandlerContext, channel: Channel, value: unknown = ctx.query.IndicatorList): Indicator[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value];
  const known = indicatorsOf(channel);
  if (!list.length) throw dolistError('36', `IndicatorList is required: indicator IDs among ${known.map((i) => `${i.ID} ${i.Name}`).join(', ')}`, 'IndicatorList');
  const out: Indicator[] = [];
  for (const v of list) {
    const byName = typeof v === 'string' ? known.find((i) => i.Name.toLowerCase() === v.trim().toLowerCase()) : undefined;
    const ind = byName ?? known.find((i) => i.ID === Number(v));
    if (!ind) throw dolistError('36', `indicator ${String(v)} is not an ${channel === 'email' ? 'email' : 'SMS'} indicator (${known.map((i) => `${i.ID} ${i.Name}`).join(', ')})`, 'IndicatorList');
    if (!out.includes(ind)) out.push(ind);
  }
  return out;
}

const MAX_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A date parameter (ISO 8601, date or date-time; epoch ms), or 400 [36]; `fallback` when absent. */
export function dateParam(ctx: HandlerContext, name: string, fallback?: number): number {
  const v = ctx.query[name];
  if (v === undefined || v === null || v === '') {
    if (fallback !== undefined) return fallback;
    throw dolistError('36', `${name} is required (ISO 8601 date or date-time)`, name);
  }
  const t = parseTimestamp(v);
  if (t === undefined) throw dolistError('36', `${name} '${String(v)}' is not an ISO 8601 date or date-time`, name);
  // Dates are answered back in ISO 8601, which has four-digit years.
  if (t < 0 || t > MAX_DATE) throw dolistError('36', `${name} '${String(v)}' is out of range (1970-01-01 to 9999-12-31)`, name);
  return t;
}

/** `Offset` (from 0) and `Limit` (1..1000, default all) of a list. */
export function pagingParams(ctx: HandlerContext): { offset: number; limit: number } {
  const offset = ctx.query.Offset === undefined ? 0 : Number(ctx.query.Offset);
  const limit = ctx.query.Limit === undefined ? Infinity : Number(ctx.query.Limit);
  if (!Number.isInteger(offset) || offset < 0) throw dolistError('36', `Offset must be an integer >= 0 (got ${String(ctx.query.Offset)})`, 'Offset');
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) throw dolistError('36', `Limit must be an integer from 1 to 1000 (got ${String(ctx.query.Limit)})`, 'Limit');
  return { offset, limit };
}

/** `{ItemList, Total}` of one page. */
export function page<T>(items: T[], p: { offset: number; limit: number }): { ItemList: T[]; Total: number } {
  return { ItemList: items.slice(p.offset, p.limit === Infinity ? undefined : p.offset + p.limit), Total: items.length };
}

/** A case-insensitive enumeration value, or 400 [36]. */
export function enumParam<K extends string>(value: unknown, values: Record<string, K>, field: string): K {
  const k = typeof value === 'string' ? values[value.trim().toLowerCase()] : undefined;
  if (!k) throw dolistError('36', `${field} must be one of ${[...new Set(Object.values(values))].join(', ')} (got '${String(value ?? '')}')`, field);
  return k;
}

export const iso = (t: number) => new Date(t).toISOString();
