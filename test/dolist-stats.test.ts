// Dolist statistics and billing over HTTP on a manual clock. Sendings are set up through the
// domain (the sendings and messages areas are other branches), as the engine test does, then
// the statistics are read like a client and compared with what the recipients' records say:
// counters follow the clock and only grow, stay consistent, timelines sum to counter
// differences, breakdowns follow tracking events, SMS units reach the consumption and invoices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContact, unsubscribeContact } from '../src/apis/dolist/contacts.js';
import { messagesTable, type MessageLink, type MessageRec } from '../src/apis/dolist/messages.js';
import { planningsTable, type PlanningRec } from '../src/apis/dolist/plannings.js';
import { launchSending, stopSending } from '../src/apis/dolist/sending-engine.js';
import { sendingRecipients, sendingsTable, trackingEventsTable, type RecipientRec, type SendingRec } from '../src/apis/dolist/sendings.js';
import type { Workspace } from '../src/core/workspace.js';
import { dolistWorkspace, startApp, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
});
afterAll(async () => {
  await c.close();
});

const T0 = Date.parse('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

async function world(id: string, contactBase = 0, scenario: Record<string, unknown> = {}) {
  const w = await dolistWorkspace(c, id, { scenario: { name: 'x', fixtures: { dolist: { contactBase: { '10001': contactBase, '10002': 0 } } }, ...scenario } });
  const ws = c.app.runtime.require(id);
  ws.table('dolist', 'targets').put({ id: '1', ID: 1, account: '10001', Name: 'All' });
  ws.table('dolist', 'targets').put({ id: '2', ID: 2, account: '10001', Name: 'Everyone else' });
  ws.table('dolist', 'targets').put({ id: '3', ID: 3, account: '10002', Name: 'B' });
  return { ...w, ws };
}

const LINKS: MessageLink[] = [
  { LinkID: 1, Url: 'https://shop.example/sport', Name: 'Sport', LinkType: 'Tracked', IsTracked: true, InterestIDList: [5001] },
  { LinkID: 2, Url: 'https://shop.example/cuisine', Name: 'Cuisine', LinkType: 'Tracked', IsTracked: true, InterestIDList: [5001, 5002] },
  { LinkID: 3, Url: 'https://shop.example/unsubscribe', Name: null, LinkType: 'Unsubscribe', IsTracked: false, InterestIDList: [] },
];

function message(ws: Workspace, channel: 'email' | 'sms', account = '10001'): MessageRec {
  const id = messagesTable(ws).size + 1;
  return messagesTable(ws).put({
    id: String(id), ID: id, account, Channel: channel, Name: `m${id}`, Subject: 'Hello', SenderID: 1, ReplyID: null, PackID: null, Culture: 'fr-FR',
    EncodingID: null, FormatID: null, IsTrackingValidated: true, Content: { Html: '<a href="x">unsub</a>', Text: 'Promo -20% STOP 36111' }, Links: channel === 'email' ? LINKS : [], IsFrozen: false, LockedBySendingID: null,
    CreateDate: '', UpdateDate: '',
  });
}

function planning(ws: Workspace, p: Partial<PlanningRec>): PlanningRec {
  const id = planningsTable(ws).size + 1;
  return planningsTable(ws).put({ id: String(id), ID: id, account: '10001', Kind: 'OneTime', StartDate: iso(T0), RateVolumeID: null, RatePeriodID: null, Frequency: null, Interval: null, FilterList: [], EndDate: null, Time: null, SendingIDList: [], CreateDate: '', ...p });
}

function sending(ws: Workspace, m: MessageRec, p: PlanningRec | null, extra: Partial<SendingRec> = {}): SendingRec {
  const id = sendingsTable(ws).size + 1;
  const s = sendingsTable(ws).put({
    id: String(id), ID: id, account: m.account, Channel: m.Channel, Name: `s${id}`, MessageID: m.ID, TargetID: 1, PlanningID: p?.ID ?? null, PlanningIDList: p ? [p.ID] : [],
    SendType: 'Real', Status: 'Planned', ContentSnapshot: { ...m.Content }, Occurrences: [], CreateDate: iso(ws.now()), UpdateDate: '', StartDate: null, EndDate: null, UnitsPerRecipient: 1, Token: 0, ...extra,
  });
  return launchSending(ws, s);
}

const EMAIL_IDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const q = (ids: number[]) => ids.map((i) => `IndicatorList=${i}`).join('&');
const values = (body: any): Record<string, number> => Object.fromEntries(body.IndicatorList.map((i: any) => [i.Name, i.Value]));

/** What the recipients' own timestamps say at t (an independent count). */
function fromRecipients(rs: RecipientRec[], t: number) {
  const at = (v: string | null) => v !== null && Date.parse(v) <= t;
  return {
    Sent: rs.filter((r) => at(r.SentDate)).length,
    Delivered: rs.filter((r) => at(r.DeliveredDate)).length,
    HardBounces: rs.filter((r) => r.BounceType === 'Hard' && at(r.BouncedDate)).length,
    SoftBounces: rs.filter((r) => r.BounceType === 'Soft' && at(r.BouncedDate)).length,
    UniqueOpens: rs.filter((r) => at(r.OpenedDate)).length,
    UniqueClicks: rs.filter((r) => at(r.ClickedDate)).length,
    Unsubscribes: rs.filter((r) => at(r.UnsubscribedDate)).length,
    Complaints: rs.filter((r) => at(r.ComplainedDate)).length,
  };
}

function consistent(v: Record<string, number>) {
  expect(v.Delivered + v.SoftBounces + v.HardBounces).toBeLessThanOrEqual(v.Sent);
  expect(v.Sent).toBeLessThanOrEqual(v.TargetCount);
  expect(v.UniqueOpens).toBeLessThanOrEqual(v.Delivered);
  expect(v.UniqueClicks).toBeLessThanOrEqual(v.UniqueOpens);
  expect(v.Clicks).toBeGreaterThanOrEqual(v.UniqueClicks);
  expect(v.Opens).toBeGreaterThanOrEqual(v.UniqueOpens);
}

describe('email sending statistics over time', () => {
  it('start at zero, follow the clock as the recipients say, only grow and stay consistent', async () => {
    const { ws, main } = await world('st-email', 250);
    const s = sending(ws, message(ws, 'email'), planning(ws, { StartDate: iso(T0 + HOUR), RateVolumeID: 1, RatePeriodID: 1 })); // 100 per minute
    const read = async () => {
      const r = await main('GET', `/statistics/email/sendings/${s.ID}?${q(EMAIL_IDS)}`);
      expect(r.status).toBe(200);
      return r.body;
    };
    const before = await read();
    expect(before.Status).toBe('Planned');
    expect(Object.values(values(before)).every((v) => v === 0)).toBe(true);
    expect(before.IndicatorList.map((i: any) => i.ID)).toEqual(EMAIL_IDS);

    let last: Record<string, number> | null = null;
    for (const t of [T0 + HOUR, T0 + HOUR + 30_000, T0 + HOUR + 60_000, T0 + HOUR + 120_000, T0 + 2 * HOUR, T0 + 6 * HOUR, T0 + 48 * HOUR]) {
      ws.advance(t);
      const body = await read();
      const v = values(body);
      const rs = sendingRecipients(ws, s.ID);
      expect(v.TargetCount).toBe(rs.length);
      expect({ Sent: v.Sent, Delivered: v.Delivered, HardBounces: v.HardBounces, SoftBounces: v.SoftBounces, UniqueOpens: v.UniqueOpens, UniqueClicks: v.UniqueClicks, Unsubscribes: v.Unsubscribes, Complaints: v.Complaints }).toEqual(fromRecipients(rs, t));
      consistent(v);
      if (last) for (const k of Object.keys(v)) expect(v[k]).toBeGreaterThanOrEqual(last[k]);
      last = v;
    }
    expect(last!.Sent).toBe(last!.TargetCount);
    expect(last!.Sent).toBeGreaterThan(200);
    expect(last!.UniqueOpens).toBeGreaterThan(0);
    expect(last!.UniqueClicks).toBeGreaterThan(0);
    expect(last!.HardBounces + last!.SoftBounces).toBeGreaterThan(0);
    expect((await read()).Status).toBe('Sent');

    // One occurrence: filtering by it gives the same; an unknown one is 404 [807].
    const one = await main('GET', `/statistics/email/sendings/${s.ID}?OccurrenceID=1&${q([2, 3])}`);
    expect(values(one.body)).toEqual({ Sent: last!.Sent, Delivered: last!.Delivered });
    expect(one.body.OccurrenceID).toBe(1);
    const unknownOcc = await main('GET', `/statistics/email/sendings/${s.ID}?OccurrenceID=7&${q([2])}`);
    expect(unknownOcc.status).toBe(404);
    expect(unknownOcc.body.ResponseStatus).toMatchObject({ ErrorCode: '807', Message: 'The specified occurrence has not been found.' });
  });

  it('freeze Sent when the sending is stopped, while engagement of the sent ones goes on', async () => {
    const { ws, main } = await world('st-stop', 250);
    const s = sending(ws, message(ws, 'email'), planning(ws, { RateVolumeID: 1, RatePeriodID: 1 }));
    ws.advance(T0 + 1000);
    stopSending(ws, sendingsTable(ws).peek(s.id)!);
    const at = async () => values((await main('GET', `/statistics/email/sendings/${s.ID}?${q([1, 2, 3, 7])}`)).body);
    const a = await at();
    expect(a.Sent).toBe(100);
    expect(a.TargetCount).toBeGreaterThan(200);
    ws.advance(T0 + 24 * HOUR);
    const b = await at();
    expect(b.Sent).toBe(100);
    expect(b.Delivered).toBeGreaterThan(a.Delivered);
    expect(b.UniqueOpens).toBeGreaterThan(a.UniqueOpens);
  });

  it('timelines sum to the difference of the counters and never show the drawn future', async () => {
    const { ws, main } = await world('st-timeline', 120);
    const s = sending(ws, message(ws, 'email'), planning(ws, { StartDate: iso(T0 + HOUR), RateVolumeID: 1, RatePeriodID: 1 }));
    ws.advance(T0 + 3 * HOUR + 17 * 60_000);
    const counters = async () => {
      const r = await main('GET', `/statistics/email/sendings/${s.ID}?${q(EMAIL_IDS)}`);
      return values(r.body);
    };
    const now = await counters();
    const tl = await main('GET', `/statistics/email/sendings/${s.ID}/timeline?StartDate=2026-03-02T00:00:00Z&EndDate=2026-03-03T00:00:00Z&AggregateType=hour`);
    expect(tl.status).toBe(200);
    expect(tl.body.AggregateType).toBe('Hour');
    expect(tl.body.ItemList).toHaveLength(24);
    const sum = (k: string) => tl.body.ItemList.reduce((a: number, b: any) => a + b[k], 0);
    for (const k of ['Sent', 'Delivered', 'SoftBounces', 'HardBounces', 'Opens', 'UniqueOpens', 'Clicks', 'UniqueClicks', 'Unsubscribes', 'Complaints']) expect(sum(k)).toBe(now[k]);
    // Nothing after now, although recipients' opens are drawn up to hours ahead.
    const afterNow = tl.body.ItemList.filter((b: any) => Date.parse(b.StartDate) >= ws.now());
    expect(afterNow.length).toBeGreaterThan(10);
    expect(afterNow.every((b: any) => b.Opens === 0 && b.Sent === 0)).toBe(true);
    // The first batch went at 10:00:00 (in the bucket (09:00, 10:00]), the rest at 10:01.
    expect([tl.body.ItemList[9].Sent, tl.body.ItemList[10].Sent]).toEqual([100, now.Sent - 100]);

    // A partial window: its buckets sum to counters(end) - counters(start) = the recipients' own difference.
    const start = T0 + HOUR + 30 * 60_000;
    const part = await main('GET', `/statistics/email/sendings/${s.ID}/timeline?StartDate=${iso(start)}&EndDate=${iso(ws.now())}&AggregateType=Day`);
    expect(part.body.ItemList).toHaveLength(1);
    const rs = sendingRecipients(ws, s.ID);
    const a = fromRecipients(rs, start);
    const b = fromRecipients(rs, ws.now());
    expect(part.body.ItemList[0].UniqueOpens).toBe(b.UniqueOpens - a.UniqueOpens);
    expect(part.body.ItemList[0].Delivered).toBe(b.Delivered - a.Delivered);

    for (const [query, field] of [
      ['StartDate=2026-03-02&EndDate=2026-03-01&AggregateType=Day', 'EndDate'],
      ['StartDate=2026-03-02&EndDate=2026-03-03&AggregateType=Year', 'AggregateType'],
      ['StartDate=yesterday&EndDate=2026-03-03&AggregateType=Day', 'StartDate'],
      ['StartDate=2020-01-01&EndDate=2026-03-03&AggregateType=Hour', 'AggregateType'],
    ]) {
      const bad = await main('GET', `/statistics/email/sendings/${s.ID}/timeline?${query}`);
      expect(bad.status).toBe(400);
      expect(bad.body.ResponseStatus).toMatchObject({ ErrorCode: '36', Message: 'An invalid argument has been specified.' });
      expect(bad.body.ResponseStatus.Errors[0].FieldName).toBe(field);
    }
  });

  it('answer 404 [729] for an unknown sending, one of the other channel or account, 403 [6] for a foreign account, 400 [36] for a bad indicator', async () => {
    const { ws, main, brandB, mainB } = await world('st-errors', 5);
    const email = sending(ws, message(ws, 'email'), null);
    const sms = sending(ws, message(ws, 'sms'), null);
    const other = sending(ws, message(ws, 'email', '10002'), null, { TargetID: 3 });
    ws.advance(T0 + 60_000);
    for (const path of [`/statistics/email/sendings/999?${q([2])}`, `/statistics/email/sendings/${sms.ID}?${q([2])}`, `/statistics/email/sendings/${other.ID}?${q([2])}`, `/statistics/sms/sendings/${email.ID}?IndicatorList=2`,
      `/statistics/email/sendings/999/domains?${q([2])}`, `/statistics/email/sendings/999/links`, `/statistics/email/sendings/999/groupinterests`, `/statistics/email/sendings/999/useragents?RequestType=Open&Category=Browser`,
      `/statistics/email/sendings/999/igq`, `/statistics/email/sendings/999/timeline?StartDate=2026-03-01&EndDate=2026-03-03&AggregateType=Day`, `/statistics/sms/sendings/999/timeline?StartDate=2026-03-01&EndDate=2026-03-03&AggregateType=Day`,
      `/statistics/sms/sendings/999/units?IndicatorList=14`, `/statistics/email/sendings/999/timeline/occurrences?EndDate=2026-03-03&${q([2])}`, `/statistics/sms/sendings/999/timeline/occurrences?EndDate=2026-03-03&IndicatorList=2`]) {
      const r = await main('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.ResponseStatus).toMatchObject({ ErrorCode: '729', Message: "Le message spécifié pour cette envoi n'existe pas." });
    }
    const post = await main('POST', `/statistics/email/sendings/999/targets`, { TargetIDList: [1] });
    expect(post.body.ResponseStatus.ErrorCode).toBe('729');
    // The other account's sending is found with its own AccountID; brandB may not use 10001.
    expect((await mainB('GET', `/statistics/email/sendings/${other.ID}?${q([2])}`)).status).toBe(200);
    expect((await brandB('GET', `/statistics/email/sendings/${other.ID}?${q([2])}`)).status).toBe(200);
    const foreign = await brandB('GET', `/statistics/email/sendings/${email.ID}?AccountID=10001&${q([2])}`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.ResponseStatus).toMatchObject({ ErrorCode: '6', Message: 'Droit insuffisant pour effectuer cette action.' });
    for (const path of [`/statistics/email/sendings/${email.ID}?IndicatorList=14`, `/statistics/email/sendings/${email.ID}?IndicatorList=abc`, `/statistics/sms/sendings/${sms.ID}?IndicatorList=6`, `/statistics/email/sendings/${email.ID}`]) {
      const r = await main('GET', path);
      expect(r.status, path).toBe(400);
      expect(r.body.ResponseStatus.ErrorCode).toBe('36');
    }
    const named = await main('GET', `/statistics/email/sendings/${email.ID}?IndicatorList=sent,UNIQUEOPENS&IndicatorList=2`);
    expect(named.body.IndicatorList.map((i: any) => [i.ID, i.Name])).toEqual([[2, 'Sent'], [7, 'UniqueOpens']]);
    const badName = await main('GET', `/statistics/email/sendings/${email.ID}?IndicatorList=Units`);
    expect(badName.status).toBe(400);
    expect(badName.body.ResponseStatus.Errors[0]).toMatchObject({ ErrorCode: '36', FieldName: 'IndicatorList' });
    expect(badName.body.ResponseStatus.Errors[0].Message).toContain('not an email indicator');
    const unknownTarget = await main('GET', `/statistics/email/sendings/${email.ID}?TargetID=77&${q([2])}`);
    expect(unknownTarget.status).toBe(404);
    expect(unknownTarget.body.ResponseStatus).toMatchObject({ ErrorCode: '502', Message: 'The specified target has not been found.' });
    const foreignTarget = await main('GET', `/statistics/email/sendings/${email.ID}?TargetID=3&${q([2])}`);
    expect(foreignTarget.body.ResponseStatus.ErrorCode).toBe('502');
  });
});

describe('email breakdowns', () => {
  async function campaign(id: string) {
    // No drawn outcome for plain addresses: only the test addresses' own.
    const w = await world(id, 0, { fixtures: { dolist: { contactBase: { '10001': 0, '10002': 0 }, sendingDefaults: { email: { hardBounceRate: 0, softBounceRate: 0, openRate: 0, complaintRate: 0 } } } } });
    const { ws } = w;
    const addresses = ['a+click@gmail.com', 'b+click@gmail.com', 'c+open@orange.fr', 'd+bounce@orange.fr', 'e+click@free.fr', 'f+softbounce@free.fr', 'g@gmail.com', 'h+unsubscribe@yahoo.fr'];
    const contacts = addresses.map((a) => createContact(ws, '10001', [{ ID: 7, Value: a }]));
    const s = sending(ws, message(ws, 'email'), null);
    ws.advance(T0 + 10 * 60_000);
    return { ...w, s, contacts };
  }

  it('count per recipient domain', async () => {
    const { main, s } = await campaign('st-domains');
    const r = await main('GET', `/statistics/email/sendings/${s.ID}/domains?${q([1, 3, 5, 7])}`);
    expect(r.status).toBe(200);
    const by = Object.fromEntries(r.body.ItemList.map((d: any) => [d.Domain, values(d)]));
    expect(r.body.ItemList.map((d: any) => d.Domain)).toEqual(['gmail.com', 'free.fr', 'orange.fr', 'yahoo.fr']);
    expect(by['gmail.com']).toMatchObject({ TargetCount: 3, UniqueOpens: 2 });
    expect(by['orange.fr']).toMatchObject({ TargetCount: 2, HardBounces: 1, Delivered: 1, UniqueOpens: 1 });
    expect(by['free.fr']).toMatchObject({ TargetCount: 2, Delivered: 1 });
    expect(r.body.Total).toBe(4);
  });

  it('attribute clicks to links and their interests, tracking events included, paged', async () => {
    const { ws, main, s, contacts } = await campaign('st-links');
    const base = await main('GET', `/statistics/email/sendings/${s.ID}/links`);
    expect(base.body.Total).toBe(3);
    const drawn = base.body.ItemList.reduce((a: number, l: any) => a + l.Clicks, 0);
    expect(drawn).toBe(3); // the three +click addresses, attributed to the two tracked links
    expect(base.body.ItemList.find((l: any) => l.LinkID === 3)).toMatchObject({ Clicks: 0, LinkType: 'Unsubscribe', Url: 'https://shop.example/unsubscribe' });
    // Two tracked clicks on link 2 by the +open contact (UA Android), one on link 1 by g@ (no open drawn).
    const ev = (n: number, contact: number, link: number, at: number, ua: string) =>
      trackingEventsTable(ws).put({ id: `e${n}`, account: '10001', SendingID: s.ID, OccurrenceID: 1, ContactID: contact, TrackingType: 'Click', LinkID: link, Date: iso(at), UserAgent: ua, IpAddress: '203.0.113.9' });
    const android = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36';
    ev(1, contacts[2].ID, 2, T0 + 11 * 60_000, android);
    ev(2, contacts[2].ID, 2, T0 + 12 * 60_000, android);
    ev(3, contacts[6].ID, 1, T0 + 11 * 60_000, android);
    ev(4, contacts[6].ID, 1, T0 + 11 * 60 * 60_000, android); // in the future: not yet
    const before = values((await main('GET', `/statistics/email/sendings/${s.ID}?${q([6, 7, 8, 9])}`)).body);
    ws.advance(T0 + 13 * 60_000);
    const after = values((await main('GET', `/statistics/email/sendings/${s.ID}?${q([6, 7, 8, 9])}`)).body);
    expect(after.Clicks - before.Clicks).toBe(3);
    expect(after.UniqueClicks - before.UniqueClicks).toBe(2);
    expect(after.UniqueOpens - before.UniqueOpens).toBe(1); // g@ opened by clicking; the +open one had opened already
    const links = await main('GET', `/statistics/email/sendings/${s.ID}/links`);
    const link = (id: number) => links.body.ItemList.find((l: any) => l.LinkID === id);
    expect(link(1).Clicks + link(2).Clicks).toBe(drawn + 3);
    expect(link(2).Clicks).toBeGreaterThanOrEqual(2);
    const paged = await main('GET', `/statistics/email/sendings/${s.ID}/links?Offset=1&Limit=1`);
    expect(paged.body).toMatchObject({ Total: 3, ItemList: [{ LinkID: 2 }] });

    const groups = await main('GET', `/statistics/email/sendings/${s.ID}/groupinterests`);
    expect(groups.status).toBe(200);
    expect(groups.body.Total).toBe(1);
    const g = groups.body.ItemList[0];
    expect(g).toMatchObject({ GroupID: 501, Name: "Centres d'intérêt" });
    const sport = g.InterestList.find((i: any) => i.InterestID === 5001);
    const cuisine = g.InterestList.find((i: any) => i.InterestID === 5002);
    expect(sport.Clicks).toBe(link(1).Clicks + link(2).Clicks); // both links carry Sport
    expect(cuisine.Clicks).toBe(link(2).Clicks);
    expect(g.Clicks).toBe(sport.Clicks + cuisine.Clicks);
    expect(g.UniqueClicks).toBeLessThanOrEqual(after.UniqueClicks);

    const ua = await main('GET', `/statistics/email/sendings/${s.ID}/useragents?RequestType=click&Category=OS`);
    expect(ua.status).toBe(200);
    expect(ua.body).toMatchObject({ RequestType: 'Click', Category: 'OS' });
    const total = ua.body.ItemList.reduce((a: number, i: any) => a + i.Count, 0);
    expect(total).toBe(after.Clicks);
    expect(ua.body.ItemList.find((i: any) => i.Name === 'Android').Count).toBeGreaterThanOrEqual(3);
    const devices = await main('GET', `/statistics/email/sendings/${s.ID}/useragents?RequestType=Open&Category=Device&Limit=1`);
    expect(devices.body.ItemList).toHaveLength(1);
    expect(devices.body.Total).toBeGreaterThanOrEqual(1);
    for (const bad of ['RequestType=Read&Category=OS', 'RequestType=Open&Category=Planet', 'RequestType=Open&Category=OS&Limit=0', 'RequestType=Open&Category=OS&Offset=-1']) {
      const r = await main('GET', `/statistics/email/sendings/${s.ID}/useragents?${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.ResponseStatus.ErrorCode).toBe('36');
    }
  });

  it('break a sending down by targets (POST), and score it (IGQ)', async () => {
    const { main, s } = await campaign('st-targets');
    const r = await main('POST', `/statistics/email/sendings/${s.ID}/targets`, { TargetIDList: [1, 2] });
    expect(r.status).toBe(200);
    expect(r.body.ItemList.map((t: any) => [t.TargetID, t.Name])).toEqual([[1, 'All'], [2, 'Everyone else']]);
    expect(values(r.body.ItemList[0]).TargetCount).toBe(8);
    expect(values(r.body.ItemList[1]).Sent).toBe(8); // the placeholder target selects every contact
    for (const [body, code] of [[{}, '36'], [{ TargetIDList: [] }, '36'], [{ TargetIDList: [1, 99] }, '502']] as const) {
      const bad = await main('POST', `/statistics/email/sendings/${s.ID}/targets`, body);
      expect(bad.body.ResponseStatus.ErrorCode).toBe(code);
    }
    const igq = await main('GET', `/statistics/email/sendings/${s.ID}/igq`);
    expect(igq.status).toBe(200);
    expect(igq.body.DeliveryRate).toBe(0.75); // 6 of 8: one hard, one soft bounce
    expect(igq.body.IGQ).toBeGreaterThan(0);
    expect(igq.body.IGQ).toBeLessThanOrEqual(100);
    expect((await main('GET', `/statistics/email/sendings/${s.ID}/igq?OccurrenceID=2`)).body.ResponseStatus.ErrorCode).toBe('807');
  });
});

describe('account views', () => {
  it('last ten, account timeline and IGQ over the account\'s sendings', async () => {
    const { ws, main, mainB } = await world('st-account', 30);
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      ws.advance(T0 + i * HOUR);
      ids.push(sending(ws, message(ws, 'email'), null, i === 11 ? { SendType: 'Test' } : {}).ID);
    }
    ws.advance(T0 + 12 * HOUR);
    const planned = sending(ws, message(ws, 'email'), planning(ws, { StartDate: iso(T0 + 100 * HOUR) }));
    const ten = await main('GET', `/statistics/email/sendings/lastten?${q([2, 3])}`);
    expect(ten.status).toBe(200);
    expect(ten.body.ItemList.map((s: any) => s.SendingID)).toEqual([planned.ID, ...[...ids].reverse()].slice(0, 10)); // by StartDate, else creation
    expect(ten.body.ItemList[1]).toMatchObject({ SendingID: ids[11], SendType: 'Test', Status: 'Sent' });
    const real = await main('GET', `/statistics/email/sendings/lastten?${q([2])}&Type=real&StatusGroup=Finished`);
    expect(real.body.ItemList.map((s: any) => s.SendingID)).toEqual([...ids].reverse().slice(1, 11));
    expect(real.body.ItemList.every((s: any) => s.IndicatorList[0].Value > 0)).toBe(true);
    const plannedOnly = await main('GET', `/statistics/email/sendings/lastten?${q([2])}&StatusGroup=planned`);
    expect(plannedOnly.body.ItemList.map((s: any) => s.SendingID)).toEqual([planned.ID]);
    expect((await main('GET', `/statistics/email/sendings/lastten?${q([2])}&StatusGroup=Soon`)).status).toBe(400);
    expect((await main('GET', `/statistics/email/sendings/lastten?${q([2])}&Type=Bulk`)).status).toBe(400);
    expect((await mainB('GET', `/statistics/email/sendings/lastten?${q([2])}`)).body.ItemList).toEqual([]);

    const tl = await main('GET', '/statistics/email/sendings/timeline?AggregateType=Day');
    expect(tl.status).toBe(200);
    expect(tl.body.ItemList).toHaveLength(31); // 30 days, first and last partial
    expect(tl.body.EndDate).toBe(iso(ws.now()));
    const sent = tl.body.ItemList.reduce((a: number, b: any) => a + b.Sent, 0);
    const direct = ids.reduce((a, id) => a + sendingRecipients(ws, id).filter((r) => r.SentDate !== null).length, 0);
    expect(sent).toBe(direct);
    expect(tl.body.ItemList[30]).toMatchObject({ StartDate: '2026-03-02T00:00:00.000Z', Sent: direct }); // all on 2026-03-02
    const weekly = await main('GET', '/statistics/email/sendings/timeline?AggregateType=week');
    expect(weekly.body.ItemList.reduce((a: number, b: any) => a + b.Sent, 0)).toBe(direct);
    expect((await main('GET', '/statistics/email/sendings/timeline?AggregateType=Decade')).status).toBe(400);

    const igq = await main('GET', '/statistics/email/sendings/igq?AggregateTypeIGQ=LastTen');
    expect(igq.status).toBe(200);
    expect(igq.body.SendingCount).toBe(10);
    expect(igq.body.SendingIDList).toEqual([...ids].reverse().slice(0, 10));
    const month = await main('GET', '/statistics/email/sendings/igq?AggregateTypeIGQ=month');
    expect(month.body.SendingCount).toBe(12);
    expect(month.body.IGQ).toBeGreaterThan(0);
    expect((await main('GET', '/statistics/email/sendings/igq?AggregateTypeIGQ=Century')).status).toBe(400);
    expect((await mainB('GET', '/statistics/email/sendings/igq?AggregateTypeIGQ=Year')).body).toMatchObject({ SendingCount: 0, IGQ: null });
  });

  it('the contacts timeline counts subscriptions and unsubscriptions of the base', async () => {
    const { ws, main } = await world('st-contacts', 0);
    const a = createContact(ws, '10001', [{ ID: 7, Value: 'a@example.com' }]);
    ws.advance(T0 + 26 * HOUR);
    createContact(ws, '10001', [{ ID: 7, Value: 'b@example.com' }]);
    createContact(ws, '10001', [{ ID: 7, Value: 'c@example.com' }]);
    ws.advance(T0 + 50 * HOUR);
    unsubscribeContact(ws, a);
    const r = await main('GET', '/statistics/contacts/timeline?AggregateType=Day');
    expect(r.status).toBe(200);
    const days = Object.fromEntries(r.body.ItemList.map((b: any) => [b.StartDate.slice(0, 10), b]));
    expect(days['2026-03-02']).toMatchObject({ Subscriptions: 1, Unsubscriptions: 0, ContactCount: 1, SubscribedCount: 1 });
    expect(days['2026-03-03']).toMatchObject({ Subscriptions: 2, ContactCount: 3, SubscribedCount: 3 });
    const last = r.body.ItemList[r.body.ItemList.length - 1];
    expect(last).toMatchObject({ Unsubscriptions: 1, ContactCount: 3, SubscribedCount: 2 });
    const fixtureBase = await world('st-contacts-b', 40);
    const fb = await fixtureBase.main('GET', '/statistics/contacts/timeline?AggregateType=Month');
    expect(fb.body.ItemList.reduce((n: number, b: any) => n + b.Subscriptions, 0)).toBeLessThanOrEqual(40);
    expect(fb.body.ItemList[fb.body.ItemList.length - 1].ContactCount).toBe(40);
    expect((await main('GET', '/statistics/contacts/timeline?AggregateType=Minute')).status).toBe(400);
  });
});

describe('SMS statistics and billing', () => {
  it('count SMS outcomes and units, per occurrence of a recurrent planning, as the ledger consumption and the invoices', async () => {
    const { ws, main } = await world('st-sms', 0, { fixtures: { dolist: { contactBase: { '10001': 0, '10002': 0 }, sendingDefaults: { sms: { failRate: 0, stopRate: 0 } } } } });
    createContact(ws, '10001', [{ ID: 7, Value: 'x@example.com' }, { ID: 14, Value: '+33612999001' }]); // fails
    createContact(ws, '10001', [{ ID: 7, Value: 'y@example.com' }, { ID: 14, Value: '+33612345678' }]);
    createContact(ws, '10001', [{ ID: 7, Value: 'z@example.com' }, { ID: 14, Value: '+33612345679' }]);
    const p = planning(ws, { Kind: 'Recurrent', Frequency: 'Weekly', Interval: 1, FilterList: ['Monday'], Time: '10:00', StartDate: iso(T0), EndDate: '2026-04-30T00:00:00Z' });
    const s = sending(ws, message(ws, 'sms'), p, { UnitsPerRecipient: 2 });
    ws.advance(Date.parse('2026-03-02T10:00:30Z'));
    const stats = await main('GET', `/statistics/sms/sendings/${s.ID}?IndicatorList=1,2,3,12,13,14`);
    expect(stats.status).toBe(200);
    const v = values(stats.body);
    expect(v.TargetCount).toBe(3);
    expect(v.Sent).toBe(3);
    expect(v.Units).toBe(6);
    expect(v.Delivered + v.NotDelivered + v.Pending).toBe(v.Sent);
    ws.advance(Date.parse('2026-03-10T00:00:00Z')); // two occurrences (2 and 9 March)
    const two = values((await main('GET', `/statistics/sms/sendings/${s.ID}?IndicatorList=2&IndicatorList=12&IndicatorList=14`)).body);
    expect(two).toEqual({ Sent: 6, NotDelivered: 2, Units: 12 });
    const occ2 = values((await main('GET', `/statistics/sms/sendings/${s.ID}?OccurrenceID=2&IndicatorList=2`)).body);
    expect(occ2.Sent).toBe(3);

    const occs = await main('GET', `/statistics/sms/sendings/${s.ID}/timeline/occurrences?EndDate=2026-03-05T00:00:00Z&IndicatorList=2,14`);
    expect(occs.status).toBe(200);
    expect(occs.body.ItemList).toHaveLength(1);
    expect(occs.body.ItemList[0]).toMatchObject({ OccurrenceID: 1, RecipientCount: 3, Status: 'Sent' });
    const all = await main('GET', `/statistics/sms/sendings/${s.ID}/timeline/occurrences?EndDate=2026-12-31T00:00:00Z&IndicatorList=14&OccurrenceCount=1`);
    expect(all.body.ItemList.map((o: any) => o.OccurrenceID)).toEqual([2]);
    expect((await main('GET', `/statistics/sms/sendings/${s.ID}/timeline/occurrences?EndDate=2026-12-31&IndicatorList=14&OccurrenceCount=0`)).status).toBe(400);

    const units = await main('GET', `/statistics/sms/sendings/${s.ID}/units?IndicatorList=14&StartDate=2026-03-05T00:00:00Z`);
    expect(values(units.body)).toEqual({ Units: 6 });
    expect(units.body.EndDate).toBe(iso(ws.now()));
    const allUnits = await main('GET', `/statistics/sms/sendings/${s.ID}/units?IndicatorList=14,2`);
    expect(values(allUnits.body)).toEqual({ Units: 12, Sent: 6 });
    expect((await main('GET', `/statistics/sms/sendings/${s.ID}/units?IndicatorList=14&StartDate=2026-04-01`)).status).toBe(400);

    const tl = await main('GET', `/statistics/sms/sendings/${s.ID}/timeline?StartDate=2026-03-01&EndDate=2026-03-15&AggregateType=Week`);
    expect(tl.status).toBe(200);
    expect(tl.body.ItemList.map((b: any) => b.Units)).toEqual([0, 6, 6]); // Sun 1st, week of the 2nd, week of the 9th
    const acc = await main('GET', '/statistics/sms/sendings/timeline?AggregateType=Month');
    expect(acc.body.ItemList.reduce((a: number, b: any) => a + b.Units, 0)).toBe(12);
    const ten = await main('GET', '/statistics/sms/sendings/lastten?IndicatorList=14');
    expect(ten.body.ItemList).toMatchObject([{ SendingID: s.ID, IndicatorList: [{ ID: 14, Name: 'Units', Value: 12 }] }]);

    // The ledger's units, per month; closed months become invoices.
    const consumption = await main('GET', '/billings/sms/consumption?ApplicationID=1');
    expect(consumption.status).toBe(200);
    expect(consumption.body).toMatchObject({ Total: 1, Units: 12, ItemList: [{ Period: '2026-03', Units: 12, SendingCount: 1 }] });
    const charged = ws.credit.view('dolist').entries.filter((e) => e.ref === `sending:${s.ID}`).reduce((a, e) => a - e.amount, 0);
    expect(charged).toBe(12);
    const beforeApril = await main('GET', '/billings/invoices');
    expect(beforeApril.body.ItemList.map((i: any) => i.Name)).toEqual(['FA-202601-70001', 'FA-202602-70001']);
    const productsMarch = await main('GET', '/billings/invoices/products?ApplicationID=1');
    const smsMarch = productsMarch.body.ItemList.find((p: any) => p.ProductCode === 'SMS');
    expect(smsMarch.PeriodList).toEqual([{ Period: '2026-02', Quantity: 1200, Amount: 54, IsInvoiced: true }, { Period: '2026-03', Quantity: 12, Amount: 0.54, IsInvoiced: false }]);

    ws.advance(Date.parse('2026-04-07T00:00:00Z')); // 4 more Mondays in March (16, 23, 30) + April 6
    const april = await main('GET', '/billings/sms/consumption?ApplicationID=1');
    expect(april.body.ItemList.map((m: any) => [m.Period, m.Units])).toEqual([['2026-03', 30], ['2026-04', 6]]);
    const invoices = await main('GET', '/billings/invoices?BeginDate=2026-03-15');
    expect(invoices.body.ItemList.map((i: any) => i.Name)).toEqual(['FA-202603-70001']);
    const inv = invoices.body.ItemList[0];
    expect(inv).toMatchObject({ Period: '2026-03', Date: '2026-04-01T00:00:00.000Z', Status: 'Issued', AmountExclTax: 1.35, VatAmount: 0.27, AmountInclTax: 1.62, LineList: [{ ProductCode: 'SMS', Quantity: 30, UnitPrice: 0.045, Amount: 1.35 }] });
    expect((await main('GET', '/billings/invoices?EndDate=2026-02-15')).body.ItemList.map((i: any) => i.Name)).toEqual(['FA-202601-70001']);
    expect((await main('GET', '/billings/invoices?BeginDate=2026-03-15&EndDate=2026-03-01')).status).toBe(400);
    const products = await main('GET', '/billings/invoices/products?ApplicationID=1');
    const sms = products.body.ItemList.find((p: any) => p.ProductCode === 'SMS');
    expect(sms.PeriodList.map((x: any) => [x.Period, x.Quantity, x.IsInvoiced])).toEqual([['2026-02', 1200, true], ['2026-03', 30, true], ['2026-04', 6, false]]);
    expect(sms.Quantity).toBe(1236);

    const pdf = await main('GET', '/billings/invoices/export?CustomerID=70001&InvoiceName=FA-202603-70001');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain('FA-202603-70001.pdf');
    expect(pdf.text.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf.text).toContain('Total TTC: 1.62 EUR');
    expect(pdf.text).toContain('SMS France');
    const noInvoice = await main('GET', '/billings/invoices/export?CustomerID=70001&InvoiceName=FA-000000-70001');
    expect(noInvoice.status).toBe(404);
    expect(noInvoice.body.ResponseStatus).toMatchObject({ ErrorCode: '1103', Message: 'La facture demandé est introuvable.' });
    const otherCustomer = await main('GET', '/billings/invoices/export?CustomerID=70002&InvoiceName=FA-202602-70002');
    expect(otherCustomer.status).toBe(404);
    expect(otherCustomer.body.ResponseStatus).toMatchObject({ ErrorCode: '1101', Message: 'Le client est introuvable.' });
  });

  it('serve the customer, referent and late payment from the fixtures, per account', async () => {
    const { main, mainB, brandB } = await world('st-billing', 0);
    const cust = await main('GET', '/billings/customers?ApplicationID=3');
    expect(cust.status).toBe(200);
    expect(cust.body).toMatchObject({ ID: 70001, AccountID: 10001, CompanyName: 'Commsim Démo SAS' });
    expect((await mainB('GET', '/billings/customers?ApplicationID=3')).body.ID).toBe(70002);
    expect((await main('GET', '/billings/referents?ApplicationID=1')).body).toMatchObject({ AccountID: 10001, LastName: 'Morel' });
    const lp = await brandB('GET', '/billings/latepayment?CustomerID=70002');
    expect(lp.body).toMatchObject({ CustomerID: 70002, IsAccredited: true, LatePaymentAmount: 178.8, DueInvoiceCount: 1 });
    for (const [path, code, message] of [
      ['/billings/latepayment?CustomerID=70002', '1101', 'Le client est introuvable.'],
      ['/billings/customers?ApplicationID=42', '8', 'The specified application has not been found.'],
      ['/billings/referents?ApplicationID=42', '8', 'The specified application has not been found.'],
      ['/billings/invoices/products?ApplicationID=42', '8', 'The specified application has not been found.'],
      ['/billings/sms/consumption?ApplicationID=42', '8', 'The specified application has not been found.'],
    ]) {
      const r = await main('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.ResponseStatus).toMatchObject({ ErrorCode: code, Message: message });
    }
    expect((await main('GET', '/billings/sms/consumption?ApplicationID=1')).body).toEqual({ ItemList: [], Total: 0, Units: 0 });
    expect((await brandB('GET', '/billings/invoices?AccountID=10001')).status).toBe(403);
    expect((await mainB('GET', '/billings/invoices')).body.ItemList.map((i: any) => i.Name)).toEqual(['FA-202602-70002']);
  });

  it('answer [9] for an account without a record and [1102] when a scenario makes the billing API unreachable', async () => {
    const noAccount = await world('st-noaccount', 0, { fixtures: { dolist: { contactBase: { '10001': 0, '10002': 0 }, keys: { main: [10001, 10002, 10003], brandB: [10002] } } } });
    const r = await noAccount.main('GET', '/billings/invoices?AccountID=10003');
    expect(r.status).toBe(404);
    expect(r.body.ResponseStatus).toMatchObject({ ErrorCode: '9', Message: 'The specified account has not been found.' });
    const down = await world('st-billing-down', 0, { rules: [{ match: { api: 'dolist', operationId: 'exportInvoice' }, fault: { status: 500, code: '1102' } }] });
    const f = await down.main('GET', '/billings/invoices/export?CustomerID=70001&InvoiceName=FA-202601-70001');
    expect(f.status).toBe(500);
    expect(f.body.ResponseStatus).toMatchObject({ ErrorCode: '1102', Message: "L'API de facturation est injoignable." });
  });
});

describe('transactional reads production clients make', () => {
  it('read a contact by its email address, and list what was sent to it as the clock goes', async () => {
    const { ws, main, mainB } = await world('st-transactional', 0);
    const contact = createContact(ws, '10001', [{ ID: 7, Value: 'jane+click@example.com' }, { ID: 3, Value: 'Jane' }]);
    const read = await main('POST', '/contacts/read', { Query: { FieldValueList: [{ ID: 7, Value: 'Jane+Click@Example.com' }] }, OutputFieldIDList: [72] });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ ID: contact.ID, FieldList: [{ ID: 72, Value: '1' }] });
    const full = await main('POST', '/contacts/read', { Query: { FieldValueList: [{ ID: 7, Value: 'jane+click@example.com' }] } });
    expect(full.body.FieldList).toEqual([{ ID: 3, Value: 'Jane' }, { ID: 7, Value: 'jane+click@example.com' }, { ID: 72, Value: '1' }]);
    expect((await main('POST', '/contacts/read', { Query: { FieldValueList: [{ ID: 7, Value: 'nobody@example.com' }] }, OutputFieldIDList: [72] })).body).toEqual({ FieldList: [] });
    expect((await mainB('POST', '/contacts/read', { Query: { FieldValueList: [{ ID: 7, Value: 'jane+click@example.com' }] } })).body).toEqual({ FieldList: [] });
    const bad = await main('POST', '/contacts/read', { Query: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.ResponseStatus.ErrorCode).toBe('36');

    const search = () => main('POST', '/statistics/email/sendings/transactional/search', { SearchQuery: { ContactID: contact.ID } });
    expect((await search()).body).toEqual({ ItemList: [], Total: 0 });
    const s = sending(ws, message(ws, 'email'), planning(ws, { StartDate: iso(T0 + HOUR) }), { Name: 'Order confirmation', IsTransactional: true });
    // A campaign to the same contact is not in its transactional history.
    sending(ws, message(ws, 'email'), planning(ws, { StartDate: iso(T0 + HOUR) }), { Name: 'Newsletter' });
    const seen: string[] = [];
    for (const t of [T0 + HOUR, T0 + HOUR + 10_000, T0 + HOUR + 40_000, T0 + HOUR + 70_000]) {
      ws.advance(t);
      const r = await search();
      expect(r.status).toBe(200);
      expect(r.body.ItemList).toHaveLength(1);
      expect(r.body.ItemList[0]).toMatchObject({ SendingID: s.ID, SendingName: 'Order confirmation', SendDate: iso(T0 + HOUR) });
      seen.push(r.body.ItemList[0].Status);
      expect(r.body.ItemList[0].IsDelivered).toBe(r.body.ItemList[0].Status !== 'Sent');
    }
    expect(seen).toEqual(['Sent', 'Delivered', 'Opened', 'Clicked']);
    const missing = await main('POST', '/statistics/email/sendings/transactional/search', { SearchQuery: { ContactID: 42 } });
    expect(missing.status).toBe(404);
    expect(missing.body.ResponseStatus).toMatchObject({ ErrorCode: '401', Message: 'The specified contact has not been found.' });
    expect((await mainB('POST', '/statistics/email/sendings/transactional/search', { SearchQuery: { ContactID: contact.ID } })).body.ResponseStatus.ErrorCode).toBe('401');
    expect((await main('POST', '/statistics/email/sendings/transactional/search', { SearchQuery: {} })).status).toBe(400);
  });
});

describe('odd inputs', () => {
  it('never answer 5xx to odd but schema-valid parameters', async () => {
    const { ws, main } = await world('st-odd', 20);
    const e = sending(ws, message(ws, 'email'), null);
    const s = sending(ws, message(ws, 'sms'), null);
    ws.advance(T0 + 60_000);
    const dates = ['0', '-1', '9999999999999999', '999999999999999', '-99999999999999', '2026-02-30', '2026-03-02T10:00:00+14:00', 'not-a-date', ''];
    const paths: string[] = [];
    for (const d of dates) {
      paths.push(`/statistics/email/sendings/${e.ID}/timeline?StartDate=${d}&EndDate=2026-03-03&AggregateType=Day`, `/statistics/sms/sendings/${s.ID}/timeline?StartDate=2026-03-01&EndDate=${d}&AggregateType=Month`);
      paths.push(`/statistics/sms/sendings/${s.ID}/units?IndicatorList=14&StartDate=${d}`, `/statistics/sms/sendings/${s.ID}/units?IndicatorList=14&EndDate=${d}`);
      paths.push(`/statistics/email/sendings/${e.ID}/timeline/occurrences?EndDate=${d}&IndicatorList=2`, `/billings/invoices?BeginDate=${d}`, `/billings/invoices?EndDate=${d}`);
    }
    for (const v of ['0', '-1', '2147483648', '1.5', 'x', '']) {
      paths.push(`/statistics/email/sendings/${v}?IndicatorList=2`, `/statistics/email/sendings/${e.ID}?OccurrenceID=${v}&IndicatorList=2`, `/statistics/email/sendings/${e.ID}?TargetID=${v}&IndicatorList=2`);
      paths.push(`/statistics/email/sendings/${e.ID}/links?Offset=${v}`, `/statistics/email/sendings/${e.ID}/groupinterests?Limit=${v}`, `/statistics/email/sendings/${e.ID}/timeline/occurrences?EndDate=2026-03-03&IndicatorList=2&OccurrenceCount=${v}`);
      paths.push(`/billings/latepayment?CustomerID=${v}`, `/billings/customers?ApplicationID=${v}`, `/billings/invoices/export?CustomerID=70001&InvoiceName=${v}`, `/statistics/sms/sendings/${s.ID}?IndicatorList=${v}`);
    }
    for (const a of ['', 'x', 'HOUR', ' day ']) paths.push(`/statistics/contacts/timeline?AggregateType=${a}`, `/statistics/email/sendings/timeline?AggregateType=${a}`, `/statistics/email/sendings/igq?AggregateTypeIGQ=${a}`, `/statistics/email/sendings/lastten?IndicatorList=2&StatusGroup=${a}&Type=${a}`);
    const statuses = new Set<number>();
    for (const p of paths) {
      const r = await main('GET', p);
      expect(r.status, `${p} -> ${r.text}`).toBeLessThan(500);
      statuses.add(r.status);
    }
    for (const body of [null, [], 'x', { TargetIDList: 'x' }, { TargetIDList: [null] }, { TargetIDList: [1.5] }, { TargetIDList: ['1'] }]) {
      const r = await main('POST', `/statistics/email/sendings/${e.ID}/targets`, body);
      expect(r.status, JSON.stringify(body)).toBeLessThan(500);
    }
    for (const body of [{}, { SearchQuery: { ContactID: 'x' } }, { SearchQuery: 5 }, []]) expect((await main('POST', '/statistics/email/sendings/transactional/search', body)).status).toBeLessThan(500);
    for (const body of [{}, { Query: { FieldValueList: [{ ID: 'x', Value: 'y' }] } }, { Query: { FieldValueList: [{ ID: 7, Value: null }] }, OutputFieldIDList: 'x' }]) expect((await main('POST', '/contacts/read', body)).status).toBeLessThan(500);
    expect([...statuses].sort()).toEqual([200, 400, 404]);
  });
});
