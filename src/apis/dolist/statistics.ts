// The statistics of a sending at a time t, derived (never stored) from what its recipients'
// timestamps and the tracking events say: each becomes a "happening" (an indicator, a time, an
// amount), and a counter at t is the sum of the happenings at or before t. Counters then only
// grow as the clock advances, and timelines (the happenings between two times) sum exactly to
// the difference of two counters. Consistency (research part 2 §4.3 ST3) holds by construction:
//   Delivered + SoftBounces + HardBounces <= Sent <= TargetCount (a recipient is sent at most
//   once, then delivered or bounced at most once);
//   engagement (opens, clicks, unsubscribes, complaints) counts only for a delivered recipient,
//   and never before its delivery: UniqueOpens <= Delivered;
//   a click is an open (an image-blocking reader): UniqueClicks <= UniqueOpens, Opens >= UniqueOpens,
//   Clicks >= UniqueClicks; repeated opens/clicks come from tracking events (each distinct moment
//   counts once, so a tracked event that also set the recipient's date is not counted twice).
// SMS: Sent, Delivered, NotDelivered (failed), Unsubscribes (STOP replies) and Units (segments
// consumed, at send time); Pending is the one gauge: Sent - Delivered - NotDelivered at t.
// Pure functions of the records: no writes, no clock (t is given), no randomness.
import type { Workspace } from '../../core/workspace.js';
import type { Channel } from './messages.js';
import { recipientsTable, trackingEventsTable, type RecipientRec, type SendingRec, type TrackingEventRec } from './sendings.js';

/** The indicator catalogue: one numbering for both channels (`IndicatorList` takes the IDs). */
export const INDICATORS = [
  { ID: 1, Name: 'TargetCount', channels: ['email', 'sms'] },
  { ID: 2, Name: 'Sent', channels: ['email', 'sms'] },
  { ID: 3, Name: 'Delivered', channels: ['email', 'sms'] },
  { ID: 4, Name: 'SoftBounces', channels: ['email'] },
  { ID: 5, Name: 'HardBounces', channels: ['email'] },
  { ID: 6, Name: 'Opens', channels: ['email'] },
  { ID: 7, Name: 'UniqueOpens', channels: ['email'] },
  { ID: 8, Name: 'Clicks', channels: ['email'] },
  { ID: 9, Name: 'UniqueClicks', channels: ['email'] },
  { ID: 10, Name: 'Unsubscribes', channels: ['email', 'sms'] },
  { ID: 11, Name: 'Complaints', channels: ['email'] },
  { ID: 12, Name: 'NotDelivered', channels: ['sms'] },
  { ID: 13, Name: 'Pending', channels: ['sms'] },
  { ID: 14, Name: 'Units', channels: ['sms'] },
] as const satisfies ReadonlyArray<{ ID: number; Name: string; channels: readonly Channel[] }>;

export type IndicatorName = (typeof INDICATORS)[number]['Name'];
export type Indicator = (typeof INDICATORS)[number];

export const indicatorsOf = (channel: Channel): Indicator[] => INDICATORS.filter((i) => (i.channels as readonly Channel[]).includes(channel));

/** The cumulative indicators a timeline shows per bucket (every one but the TargetCount and the Pending gauge). */
export const timelineIndicators = (channel: Channel): IndicatorName[] => indicatorsOf(channel).map((i) => i.Name).filter((n) => n !== 'TargetCount' && n !== 'Pending');

export interface Happening {
  ind: IndicatorName;
  at: number;
  n: number;
  /** The recipient it belongs to (breakdowns group by its address, contact ...). */
  r: RecipientRec;
  /** Click happenings: the link clicked, when known. */
  link?: number | null;
  /** Open and click happenings from a tracking event: its user agent. */
  ua?: string | null;
}

const ms = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

/** The recipients of a sending that the filter keeps (read-only views), in a stable order. */
export function statRecipients(ws: Workspace, s: SendingRec, filter: { occurrenceId?: number; contactIds?: Set<number> } = {}): RecipientRec[] {
  return recipientsTable(ws)
    .lookup('SendingID', s.ID)
    .filter((r) => (filter.occurrenceId === undefined || r.OccurrenceID === filter.occurrenceId) && (!filter.contactIds || filter.contactIds.has(r.ContactID)))
    .sort((a, b) => a.OccurrenceID - b.OccurrenceID || a.ContactID - b.ContactID);
}

/** The sending's tracking events by recipient id (`<SendingID>:<OccurrenceID>:<ContactID>`). */
export function eventsByRecipient(ws: Workspace, s: SendingRec): Map<string, TrackingEventRec[]> {
  const out = new Map<string, TrackingEventRec[]>();
  for (const e of trackingEventsTable(ws).lookup('SendingID', s.ID)) {
    const key = `${e.SendingID}:${e.OccurrenceID}:${e.ContactID}`;
    const list = out.get(key);
    if (list) list.push(e);
    else out.set(key, [e]);
  }
  return out;
}

const isType = (e: TrackingEventRec, type: string) => String(e.TrackingType).toLowerCase() === type;

/** Distinct moments, none before `floor`, sorted (a moment shared by a date and an event counts once). */
interface Moment {
  at: number;
  link: number | null;
  ua: string | null;
}

function moments(values: Array<{ at: number | null; link?: number | null; ua?: string | null }>, floor: number): Moment[] {
  const seen = new Map<number, Moment>();
  for (const v of values) {
    if (v.at === null) continue;
    const at = Math.max(v.at, floor);
    // A moment known from an event (listed first) keeps its link and user agent.
    if (!seen.has(at)) seen.set(at, { at, link: v.link ?? null, ua: v.ua ?? null });
  }
  return [...seen.values()].sort((a, b) => a.at - b.at);
}

/** Everything that happens (or will) to one recipient, as happenings. */
export function recipientHappenings(s: SendingRec, r: RecipientRec, events: TrackingEventRec[] = []): Happening[] {
  const out: Happening[] = [];
  const push = (ind: IndicatorName, at: number | null, n = 1, m?: Moment) => {
    if (at !== null) out.push({ ind, at, n, r, ...(m ? { link: m.link, ua: m.ua } : {}) });
  };
  const occ = s.Occurrences.find((o) => o.OccurrenceID === r.OccurrenceID);
  push('TargetCount', ms(occ?.StartDate) ?? ms(r.SentDate));
  const sent = ms(r.SentDate);
  if (sent === null) return out;
  push('Sent', sent);
  const delivered = ms(r.DeliveredDate);
  if (s.Channel === 'sms') {
    push('Units', sent, r.Units);
    push('Delivered', delivered);
    push('NotDelivered', delivered === null ? ms(r.FailedDate) : null);
    if (delivered !== null) push('Unsubscribes', unsubscribeAt(r, events, delivered));
    return out;
  }
  if (delivered === null) {
    const bounced = ms(r.BouncedDate);
    if (bounced !== null) push(r.BounceType === 'Hard' ? 'HardBounces' : 'SoftBounces', bounced);
    return out;
  }
  push('Delivered', delivered);
  const fromEvents = (type: string) => events.filter((e) => isType(e, type)).map((e) => ({ at: ms(e.Date), link: e.LinkID, ua: e.UserAgent }));
  const opens = moments([...fromEvents('open'), { at: ms(r.OpenedDate) }], delivered);
  const clicks = moments([...fromEvents('click'), { at: ms(r.ClickedDate) }], delivered);
  const firstOpen = opens[0] && (!clicks[0] || opens[0].at <= clicks[0].at) ? opens[0] : clicks[0];
  if (firstOpen) {
    push('UniqueOpens', firstOpen.at, 1, firstOpen);
    if (opens.length) for (const o of opens) push('Opens', o.at, 1, o);
    else push('Opens', firstOpen.at, 1, firstOpen);
  }
  if (clicks.length) {
    push('UniqueClicks', clicks[0].at, 1, clicks[0]);
    for (const c of clicks) push('Clicks', c.at, 1, c);
  }
  push('Unsubscribes', unsubscribeAt(r, events, delivered));
  const complained = ms(r.ComplainedDate);
  push('Complaints', complained === null ? null : Math.max(complained, delivered));
  return out;
}

function unsubscribeAt(r: RecipientRec, events: TrackingEventRec[], floor: number): number | null {
  const candidates = [ms(r.UnsubscribedDate), ...events.filter((e) => isType(e, 'unsubscribe')).map((e) => ms(e.Date))].filter((t): t is number => t !== null);
  return candidates.length ? Math.max(floor, Math.min(...candidates)) : null;
}

/** The happenings of a sending's recipients (those the filter keeps). */
export function sendingHappenings(ws: Workspace, s: SendingRec, filter: { occurrenceId?: number; contactIds?: Set<number> } = {}): Happening[] {
  const events = eventsByRecipient(ws, s);
  const out: Happening[] = [];
  for (const r of statRecipients(ws, s, filter)) out.push(...recipientHappenings(s, r, events.get(r.id)));
  return out;
}

export type Counters = Record<IndicatorName, number>;

/** A sending's counters at t (default: now), optionally of one occurrence or some contacts: for other areas (a sending's GET, its report). */
export function sendingCounters(ws: Workspace, s: SendingRec, t: number = ws.now(), filter: { occurrenceId?: number; contactIds?: Set<number> } = {}): Counters {
  return countersAt(s.Channel, sendingHappenings(ws, s, filter), t);
}

export type RecipientState = 'Pending' | 'Sent' | 'Delivered' | 'Opened' | 'Clicked' | 'SoftBounce' | 'HardBounce' | 'NotDelivered';

/** One recipient's state at t, from the same happenings as the counters (so the two always agree). */
export function recipientStateAt(s: SendingRec, r: RecipientRec, t: number, events: TrackingEventRec[] = []): { Status: RecipientState; IsDelivered: boolean; IsOpened: boolean; IsClicked: boolean } {
  const seen = new Set(recipientHappenings(s, r, events).filter((h) => h.at <= t).map((h) => h.ind));
  const flags = { IsDelivered: seen.has('Delivered'), IsOpened: seen.has('UniqueOpens'), IsClicked: seen.has('UniqueClicks') };
  const Status: RecipientState = seen.has('HardBounces')
    ? 'HardBounce'
    : seen.has('SoftBounces')
      ? 'SoftBounce'
      : seen.has('NotDelivered')
        ? 'NotDelivered'
        : flags.IsClicked
          ? 'Clicked'
          : flags.IsOpened
            ? 'Opened'
            : flags.IsDelivered
              ? 'Delivered'
              : seen.has('Sent')
                ? 'Sent'
                : 'Pending';
  return { Status, ...flags };
}

/** The counters at t (every indicator of the channel). */
export function countersAt(channel: Channel, happenings: Iterable<Happening>, t: number): Counters {
  const c = Object.fromEntries(INDICATORS.map((i) => [i.Name, 0])) as Counters;
  for (const h of happenings) if (h.at <= t) c[h.ind] += h.n;
  if (channel === 'sms') c.Pending = Math.max(0, c.Sent - c.Delivered - c.NotDelivered);
  return c;
}

/** `[{ID, Name, Value}]` of the requested indicators, in the order asked. */
export function indicatorList(counters: Counters, ids: Indicator[]): Array<{ ID: number; Name: string; Value: number }> {
  return ids.map((i) => ({ ID: i.ID, Name: i.Name, Value: counters[i.Name] }));
}

/**
 * IGQ ("indice global de qualité"), a 0-100 score of a sending (simulator formula, documented in
 * the spec): 50 x delivery rate + 30 x open rate (of delivered) + 20 x (1 - complaint/bounce
 * penalty), the penalty being (HardBounces + Unsubscribes + 10 x Complaints) / Sent, capped at 1.
 * Null before anything was sent.
 */
export function igqOf(c: Counters): { IGQ: number | null; DeliveryRate: number; OpenRate: number; ClickRate: number; BounceRate: number; UnsubscribeRate: number; ComplaintRate: number } {
  const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : 0);
  const deliveryRate = rate(c.Delivered, c.Sent);
  const openRate = rate(c.UniqueOpens, c.Delivered);
  const penalty = c.Sent > 0 ? Math.min(1, (c.HardBounces + c.Unsubscribes + 10 * c.Complaints) / c.Sent) : 0;
  const igq = c.Sent > 0 ? Math.round((50 * deliveryRate + 30 * openRate + 20 * (1 - penalty)) * 10) / 10 : null;
  return {
    IGQ: igq,
    DeliveryRate: deliveryRate,
    OpenRate: openRate,
    ClickRate: rate(c.UniqueClicks, c.Delivered),
    BounceRate: rate(c.SoftBounces + c.HardBounces, c.Sent),
    UnsubscribeRate: rate(c.Unsubscribes, c.Delivered),
    ComplaintRate: rate(c.Complaints, c.Delivered),
  };
}
