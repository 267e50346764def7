// Timelines: the happenings of statistics.ts counted in buckets of `AggregateType` width (Hour,
// Day, Week, Month: calendar-aligned UTC, the first and last bucket partial), so that the buckets
// of a window sum to the counters at its end minus those at its start (research ST5). Account
// timelines cover the last 30 days of the workspace clock; the contacts timeline counts the
// contact base's subscriptions and unsubscriptions (SubscribeDate / UnsubscribeDate).
import { bucketBounds, fillBuckets, type BucketUnit } from '../../core/time-buckets.js';
import type { Workspace } from '../../core/workspace.js';
import { accountContacts } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import type { Channel } from './messages.js';
import { sendingsTable, type SendingRec } from './sendings.js';
import { sendingHappenings, timelineIndicators, type Happening } from './statistics.js';

export const AGGREGATE_TYPES: Record<string, BucketUnit> = { hour: 'hour', day: 'day', week: 'week', month: 'month' };

/** The bucket width of an `AggregateType` (any case), or 400 [36]. */
export function aggregateUnit(v: unknown, field = 'AggregateType'): BucketUnit {
  const unit = typeof v === 'string' ? AGGREGATE_TYPES[v.trim().toLowerCase()] : undefined;
  if (!unit) throw dolistError('36', `${field} must be one of Hour, Day, Week, Month (got '${String(v ?? '')}')`, field);
  return unit;
}

export const ACCOUNT_WINDOW_MS = 30 * 86_400_000;
const MAX_BUCKETS = 5000;

const iso = (t: number) => new Date(t).toISOString();

/** The buckets of [start, end] (400 [36] when the window is empty, reversed or too finely cut). */
export function windowBuckets(start: number, end: number, unit: BucketUnit): Array<{ start: number; end: number }> {
  if (!(end > start)) throw dolistError('36', `EndDate (${iso(end)}) must be after StartDate (${iso(start)})`, 'EndDate');
  const bounds = bucketBounds(start, end, unit, MAX_BUCKETS);
  if (!bounds) throw dolistError('36', `the window holds more than ${MAX_BUCKETS} buckets of one ${unit}: choose a wider AggregateType`, 'AggregateType');
  return bounds;
}

export type TimelineBucket = { StartDate: string; EndDate: string } & Record<string, number | string>;

/** Happenings per bucket, one count per cumulative indicator of the channel (zeros included). */
export function happeningTimeline(channel: Channel, happenings: Happening[], bounds: Array<{ start: number; end: number }>): TimelineBucket[] {
  const names = timelineIndicators(channel);
  const wanted = new Set<string>(names);
  const sums = fillBuckets(
    bounds,
    happenings.filter((h) => wanted.has(h.ind)),
    (h) => h.at,
    (h) => h.ind,
    (h) => h.n,
  );
  return bounds.map((b, i) => ({ StartDate: iso(b.start), EndDate: iso(b.end), ...Object.fromEntries(names.map((n) => [n, sums[i][n] ?? 0])) }) as TimelineBucket);
}

/** The account's sendings of a channel (read-only views), by ID. */
export function accountSendings(ws: Workspace, account: string, channel: Channel): SendingRec[] {
  return sendingsTable(ws)
    .lookup('account', account)
    .filter((s) => s.Channel === channel)
    .sort((a, b) => a.ID - b.ID);
}

/** The last 30 days of the clock, over every sending of the channel in the account. */
export function accountTimeline(ws: Workspace, account: string, channel: Channel, unit: BucketUnit): { StartDate: string; EndDate: string; AggregateType: string; ItemList: TimelineBucket[] } {
  const end = ws.now();
  const start = end - ACCOUNT_WINDOW_MS;
  const bounds = windowBuckets(start, end, unit);
  const happenings = accountSendings(ws, account, channel).flatMap((s) => sendingHappenings(ws, s));
  return { StartDate: iso(start), EndDate: iso(end), AggregateType: unitName(unit), ItemList: happeningTimeline(channel, happenings, bounds) };
}

export const unitName = (u: BucketUnit) => u[0].toUpperCase() + u.slice(1);

/** Subscriptions and unsubscriptions of the account's contact base per bucket over the last 30 days, with the subscribed count at each bucket's end. */
export function contactsTimeline(ws: Workspace, account: string, unit: BucketUnit) {
  const end = ws.now();
  const start = end - ACCOUNT_WINDOW_MS;
  const bounds = windowBuckets(start, end, unit);
  const items: Array<{ at: number; k: string }> = [];
  const subscribedAt: number[] = [];
  const unsubscribedAt: number[] = [];
  for (const c of accountContacts(ws, account)) {
    const sub = Date.parse(c.SubscribeDate || c.CreateDate);
    if (!Number.isNaN(sub)) {
      items.push({ at: sub, k: 'Subscriptions' });
      subscribedAt.push(sub);
    }
    const unsub = c.UnsubscribeDate ? Date.parse(c.UnsubscribeDate) : NaN;
    if (!Number.isNaN(unsub)) {
      items.push({ at: unsub, k: 'Unsubscriptions' });
      unsubscribedAt.push(unsub);
    }
  }
  const sums = fillBuckets(bounds, items, (i) => i.at, (i) => i.k);
  const countTo = (list: number[], t: number) => list.reduce((n, x) => n + (x <= t ? 1 : 0), 0);
  return {
    StartDate: iso(start),
    EndDate: iso(end),
    AggregateType: unitName(unit),
    ItemList: bounds.map((b, i) => {
      const contacts = countTo(subscribedAt, b.end);
      return {
        StartDate: iso(b.start),
        EndDate: iso(b.end),
        Subscriptions: sums[i].Subscriptions ?? 0,
        Unsubscriptions: sums[i].Unsubscriptions ?? 0,
        ContactCount: contacts,
        SubscribedCount: contacts - countTo(unsubscribedAt, b.end),
      };
    }),
  };
}
