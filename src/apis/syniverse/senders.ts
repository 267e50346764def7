// Sender selection, prices, delivery windows and throughput as plain functions over records
// and fixtures (no HTTP, no workspace): which sender id may carry a message to a destination,
// what one message costs, and when it may leave.
import { roundAmount } from '../../core/money.js';
import { segment } from '../../core/sms.js';
import type { Rec } from '../../core/store.js';
import { localParts, wallTimeToInstant } from './numbers.js';

export type MessageType = 'SMS' | 'MMS' | 'PSH' | 'EMAIL' | 'VOICE';

export interface Destination {
  address: string;
  kind: 'MDN' | 'EMAIL' | 'PUSH';
  /** ISO country of an MDN; undefined for email/push or an unknown prefix. */
  country: string | undefined;
}

export function messageTypeFor(kind: Destination['kind'], hasAttachments: boolean): MessageType {
  if (kind === 'EMAIL') return 'EMAIL';
  if (kind === 'PUSH') return 'PSH';
  return hasAttachments ? 'MMS' : 'SMS';
}

/** Price of one unit (SMS segment, message, voice minute) of `type` to `country`. */
export function unitPrice(prices: Record<string, unknown>, type: string, country: string | undefined): number {
  const table = prices[type] as Record<string, number> | undefined;
  if (!table) return 0;
  const p = (country && table[country]) ?? table.DEFAULT ?? 0;
  return typeof p === 'number' ? p : 0;
}

/** Segments of a message body: SMS by GSM-7/UCS-2 segmentation, one for every other type. */
export function segmentsOf(type: string, body: string): number {
  return type === 'SMS' ? segment(body).segments : 1;
}

export function messagePrice(prices: Record<string, unknown>, type: string, country: string | undefined, body: string): number {
  return roundAmount(unitPrice(prices, type, country) * segmentsOf(type, body));
}

/**
 * Why `sender` cannot carry a message of `type` to `dest` (undefined when it can): it must be
 * ACTIVE, have the capability, match the destination country and have a class that applies to
 * it (`OTHER` classes only serve countries no class names).
 */
export function ineligibility(sender: Rec, type: MessageType, dest: Destination, classes: Rec[]): string | undefined {
  if (sender.state !== 'ACTIVE') return `sender id ${sender.id} is ${sender.state}, not ACTIVE`;
  const caps = Array.isArray(sender.capabilities) ? (sender.capabilities as string[]).map((c) => c.toUpperCase()) : [];
  if (!caps.includes(type)) return `sender id ${sender.id} has no ${type} capability`;
  if (dest.kind !== 'MDN') return undefined;
  if (sender.country && dest.country && sender.country !== dest.country) {
    return `sender id ${sender.id} serves ${sender.country}, the destination is in ${dest.country}`;
  }
  // A class referenced by a former fixture id (an alias) is the same class.
  const cls = classes.find((c) => c.id === sender.class_id || (Array.isArray(c._aliases) && (c._aliases as unknown[]).includes(sender.class_id)));
  if (!cls || !Array.isArray(cls.applicable_countries)) return undefined;
  const applicable = cls.applicable_countries as string[];
  if (dest.country && applicable.includes(dest.country)) return undefined;
  if (applicable.includes('OTHER')) {
    const named = classes.some((c) => Array.isArray(c.applicable_countries) && (c.applicable_countries as string[]).includes(dest.country ?? ''));
    return named ? `sender class ${cls.id} (OTHER) does not serve ${dest.country}, which has its own classes` : undefined;
  }
  return `sender class ${cls.id} does not serve ${dest.country ?? 'this destination'}`;
}

export interface Selection {
  sender?: Rec;
  /** Why nothing was chosen. */
  reason?: string;
  price: number;
}

/**
 * Picks the sender for one destination among `candidates` (a sender id, or a channel's members):
 * eligible ones, then `price_threshold`, ordered by `sort` (`PRICE`: cheapest first;
 * `DELIVERY_ADDRESS`: a sender whose type matches the address kind first), ties by id.
 */
export function selectSender(
  candidates: Rec[],
  type: MessageType,
  dest: Destination,
  body: string,
  opts: { classes: Rec[]; prices: Record<string, unknown>; priceThreshold?: number | null; sort?: string[] | null },
): Selection {
  const reasons: string[] = [];
  let eligible = candidates.filter((s) => {
    const why = ineligibility(s, type, dest, opts.classes);
    if (why) reasons.push(why);
    return !why;
  });
  if (!eligible.length) return { reason: reasons[0] ?? 'no sender id available', price: 0 };
  const priced = eligible.map((s) => ({ s, price: messagePrice(opts.prices, type, dest.country, body) }));
  const threshold = opts.priceThreshold;
  const affordable = threshold === null || threshold === undefined ? priced : priced.filter((p) => p.price <= threshold);
  if (!affordable.length) return { reason: 'price threshold exceeded', price: 0 };
  const sort = opts.sort?.length ? opts.sort.map((s) => s.toUpperCase()) : ['DELIVERY_ADDRESS', 'PRICE'];
  affordable.sort((a, b) => {
    for (const key of sort) {
      if (key === 'PRICE' && a.price !== b.price) return a.price - b.price;
    }
    return String(a.s.id) < String(b.s.id) ? -1 : String(a.s.id) > String(b.s.id) ? 1 : 0;
  });
  eligible = affordable.map((p) => p.s);
  return { sender: eligible[0], price: affordable[0].price };
}

/** `{"DEFAULT":{"OTH":["08:00-21:00"],"SAT":[...],"SUN":[]},"US":{...}}` (research §4.6 T5). */
export type DeliveryWindow = Record<string, Record<string, string[]>>;

export function parseDeliveryWindow(raw: unknown): DeliveryWindow | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  try {
    const v = typeof raw === 'string' ? JSON.parse(raw) : raw;
    return typeof v === 'object' && v !== null ? (v as DeliveryWindow) : undefined;
  } catch {
    return undefined;
  }
}

function rangesFor(win: DeliveryWindow, country: string | undefined, weekday: string): Array<[number, number]> | undefined {
  const rules = (country && win[country]) || win.DEFAULT;
  if (!rules) return undefined;
  const list = rules[weekday] ?? rules.OTH;
  if (!list) return undefined;
  return list.map((r) => {
    const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(r.trim());
    if (!m) return [0, 24 * 60] as [number, number];
    return [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])] as [number, number];
  });
}

/**
 * The first instant >= `t` at which the window allows sending in time zone `tz` (t itself when
 * open; undefined when the window never opens in the next 8 days).
 */
export function nextWindowOpening(win: DeliveryWindow | undefined, country: string | undefined, tz: string, t: number): number | undefined {
  if (!win) return t;
  const now = localParts(t, tz);
  const nowRanges = rangesFor(win, country, now.weekday);
  if (!nowRanges) return t;
  if (nowRanges.some(([a, b]) => now.minutes >= a && now.minutes < b)) return t;
  for (let day = 0; day <= 8; day++) {
    const wallMidnight = Date.UTC(now.year, now.month - 1, now.day + day);
    const probe = wallTimeToInstant(wallMidnight + 12 * 3_600_000, tz);
    const weekday = localParts(probe, tz).weekday;
    const ranges = rangesFor(win, country, weekday) ?? [[0, 24 * 60]];
    const starts = ranges.map(([a]) => wallTimeToInstant(wallMidnight + a * 60_000, tz)).filter((s) => s > t).sort((a, b) => a - b);
    if (starts.length) return starts[0];
  }
  return undefined;
}

/** Per-second and per-day counters of one (sender, country) pair. */
export interface ThroughputCounter {
  [key: string]: unknown;
  id: string;
  second: number;
  inSecond: number;
  day: number;
  inDay: number;
}

/**
 * When a message may leave under a class's limits (`country_peak_throughput` per second,
 * `country_daily_throughput` per UTC day): `t` if now, else the start of the next free second/day.
 */
export function throughputSlot(counter: ThroughputCounter, cls: Rec | undefined, t: number): number {
  if (!cls) return t;
  const perSecond = Number(cls.country_peak_throughput) || 0;
  const perDay = Number(cls.country_daily_throughput) || 0;
  const second = Math.floor(t / 1000);
  const day = Math.floor(t / 86_400_000);
  if (perDay && counter.day === day && counter.inDay >= perDay) return (day + 1) * 86_400_000;
  if (perSecond && counter.second === second && counter.inSecond >= perSecond) return (second + 1) * 1000;
  return t;
}

export function countSend(counter: ThroughputCounter, t: number): void {
  const second = Math.floor(t / 1000);
  const day = Math.floor(t / 86_400_000);
  if (counter.second !== second) {
    counter.second = second;
    counter.inSecond = 0;
  }
  if (counter.day !== day) {
    counter.day = day;
    counter.inDay = 0;
  }
  counter.inSecond++;
  counter.inDay++;
}
