// The statistics domain (statistics.ts) on hand-made records: what one recipient's timestamps and
// tracking events count for, at which time; the invariants hold whatever the events say.
import { describe, expect, it } from 'vitest';
import type { RecipientRec, SendingRec, TrackingEventRec } from '../src/apis/dolist/sendings.js';
import { countersAt, igqOf, recipientHappenings, type Happening } from '../src/apis/dolist/statistics.js';
import { classifyUserAgent, domainOf } from '../src/apis/dolist/statistics-breakdowns.js';

const T = Date.parse('2026-03-02T10:00:00Z');
const at = (s: number) => new Date(T + s * 1000).toISOString();

const sending = (channel: 'email' | 'sms'): SendingRec =>
  ({ id: '1', ID: 1, account: '10001', Channel: channel, Occurrences: [{ OccurrenceID: 1, ScheduledDate: at(0), StartDate: at(0), EndDate: null, Status: 'InProgress', RecipientCount: 1 }] }) as unknown as SendingRec;

const recipient = (r: Partial<RecipientRec>): RecipientRec => ({
  id: '1:1:7', account: '10001', SendingID: 1, OccurrenceID: 1, ContactID: 7, Channel: 'email', Address: 'a@x.fr', SentDate: null, DeliveredDate: null, BouncedDate: null, BounceType: null, FailedDate: null,
  OpenedDate: null, ClickedDate: null, UnsubscribedDate: null, ComplainedDate: null, Units: 0, ...r,
});

const event = (type: string, s: number, link: number | null = null): TrackingEventRec => ({ id: `${type}${s}`, account: '10001', SendingID: 1, OccurrenceID: 1, ContactID: 7, TrackingType: type, LinkID: link, Date: at(s), UserAgent: null, IpAddress: null });

const timesOf = (hs: Happening[], ind: string) => hs.filter((h) => h.ind === ind).map((h) => (h.at - T) / 1000);

describe('recipient happenings', () => {
  it('count a recipient once per distinct moment, never before its delivery, a click as an open', () => {
    const r = recipient({ SentDate: at(0), DeliveredDate: at(5), OpenedDate: at(30), ClickedDate: at(60) });
    const hs = recipientHappenings(sending('email'), r, [event('Open', 30), event('Open', 90), event('Click', 60, 2), event('Click', 3, 1), event('Click', 120, 1)]);
    expect(timesOf(hs, 'TargetCount')).toEqual([0]);
    expect(timesOf(hs, 'Opens')).toEqual([30, 90]); // the event at 30 is the recipient's own open
    expect(timesOf(hs, 'UniqueOpens')).toEqual([5]); // the click at 3 s (before delivery) counts at delivery, and opens
    expect(timesOf(hs, 'Clicks')).toEqual([5, 60, 120]);
    expect(hs.filter((h) => h.ind === 'Clicks').map((h) => h.link)).toEqual([1, 2, 1]);
    const c = countersAt('email', hs, T + 200_000);
    expect(c).toMatchObject({ Sent: 1, Delivered: 1, Opens: 2, UniqueOpens: 1, Clicks: 3, UniqueClicks: 1 });
    expect(c.Opens).toBeGreaterThanOrEqual(c.UniqueOpens);
    expect(countersAt('email', hs, T + 4000)).toMatchObject({ Sent: 1, Delivered: 0, UniqueOpens: 0, Clicks: 0 });
  });

  it('count nothing of engagement for a bounced or unsent recipient', () => {
    const bounced = recipientHappenings(sending('email'), recipient({ SentDate: at(0), BouncedDate: at(2), BounceType: 'Soft' }), [event('Open', 10), event('Click', 20, 1)]);
    expect(bounced.map((h) => h.ind)).toEqual(['TargetCount', 'Sent', 'SoftBounces']);
    expect(recipientHappenings(sending('email'), recipient({}), [event('Open', 10)]).map((h) => h.ind)).toEqual(['TargetCount']);
  });

  it('SMS: units at send time, delivered or not delivered, Pending as the gauge', () => {
    const s = sending('sms');
    const ok = recipientHappenings(s, recipient({ Channel: 'sms', SentDate: at(0), DeliveredDate: at(3), Units: 2, UnsubscribedDate: at(50) }));
    const ko = recipientHappenings(s, recipient({ id: '1:1:8', Channel: 'sms', SentDate: at(0), FailedDate: at(3), Units: 2 }));
    const hs = [...ok, ...ko];
    expect(countersAt('sms', hs, T + 1000)).toMatchObject({ Sent: 2, Units: 4, Delivered: 0, NotDelivered: 0, Pending: 2 });
    expect(countersAt('sms', hs, T + 60_000)).toMatchObject({ Sent: 2, Units: 4, Delivered: 1, NotDelivered: 1, Pending: 0, Unsubscribes: 1 });
  });

  it('score the IGQ from the counters, null before anything was sent', () => {
    const zero = countersAt('email', [], T);
    expect(igqOf(zero).IGQ).toBeNull();
    const c = { ...zero, Sent: 100, Delivered: 90, HardBounces: 10, UniqueOpens: 45, UniqueClicks: 9, Unsubscribes: 1, Complaints: 1 };
    expect(igqOf(c)).toMatchObject({ DeliveryRate: 0.9, OpenRate: 0.5, ClickRate: 0.1, BounceRate: 0.1, IGQ: 45 + 15 + 20 * (1 - 0.21) });
  });
});

describe('breakdown helpers', () => {
  it('read domains and user agents', () => {
    expect(domainOf('Jane.Doe@Gmail.COM')).toBe('gmail.com');
    expect(classifyUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148')).toEqual({ browser: 'Apple Mail', os: 'iOS', device: 'Mobile' });
    expect(classifyUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0')).toEqual({ browser: 'Edge', os: 'Windows', device: 'Desktop' });
    expect(classifyUserAgent(null)).toEqual({ browser: 'Unknown', os: 'Unknown', device: 'Unknown' });
  });
});
