// The Dolist sending engine (domain, sending-engine.ts) on a manual clock: a sending goes
// Planned -> InProgress -> Sent at the planning's rate, each recipient's outcome drawn when it is
// sent (test addresses fix theirs), unsubscribes and hard bounces reach the contact when they
// happen, standby holds the batches and resume continues them, stop is terminal, SMS units are
// debited from the Dolist ledger, recurrent plannings start one occurrence per date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContact, findContact, valueOf } from '../src/apis/dolist/contacts.js';
import { messagesTable, type MessageRec } from '../src/apis/dolist/messages.js';
import { nextOccurrenceDate, occurrenceDates, planningsTable, type PlanningRec } from '../src/apis/dolist/plannings.js';
import { launchSending, resumeSending, standbySending, stopSending } from '../src/apis/dolist/sending-engine.js';
import { recipientsTable, sendingsTable, sendingRecipients, type SendingRec } from '../src/apis/dolist/sendings.js';
import type { Workspace } from '../src/core/workspace.js';
import { startApp, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
});
afterAll(async () => {
  await c.close();
});

const T0 = Date.parse('2026-03-02T09:00:00Z');

async function world(id: string, contactBase = 0): Promise<Workspace> {
  await c.sim('POST', '/workspaces', { id, clock: { mode: 'manual', now: '2026-03-02T09:00:00Z' }, scenario: { name: 'x', fixtures: { dolist: { contactBase: { '10001': contactBase, '10002': 0 } } } } });
  const ws = c.app.runtime.require(id);
  ws.table('dolist', 'targets').put({ id: '1', ID: 1, account: '10001', Name: 'All' });
  return ws;
}

function message(ws: Workspace, channel: 'email' | 'sms', text = 'Promo -20% STOP 36111'): MessageRec {
  const id = messagesTable(ws).size + 1;
  return messagesTable(ws).put({
    id: String(id), ID: id, account: '10001', Channel: channel, Name: `m${id}`, Subject: 'Hello', SenderID: 1, ReplyID: null, PackID: null, Culture: 'fr-FR',
    EncodingID: null, FormatID: null, IsTrackingValidated: true, Content: { Html: '<a href="x">unsub</a>', Text: text }, Links: [], IsFrozen: false, LockedBySendingID: null,
    CreateDate: '', UpdateDate: '',
  });
}

function planning(ws: Workspace, p: Partial<PlanningRec>): PlanningRec {
  const id = planningsTable(ws).size + 1;
  return planningsTable(ws).put({ id: String(id), ID: id, account: '10001', Kind: 'OneTime', StartDate: new Date(T0).toISOString(), RateVolumeID: null, RatePeriodID: null, Frequency: null, Interval: null, FilterList: [], EndDate: null, Time: null, SendingIDList: [], CreateDate: '', ...p });
}

function sending(ws: Workspace, m: MessageRec, p: PlanningRec | null, extra: Partial<SendingRec> = {}): SendingRec {
  const id = sendingsTable(ws).size + 1;
  const s = sendingsTable(ws).put({
    id: String(id), ID: id, account: '10001', Channel: m.Channel, Name: `s${id}`, MessageID: m.ID, TargetID: 1, PlanningID: p?.ID ?? null, PlanningIDList: p ? [p.ID] : [],
    SendType: 'Real', Status: 'Planned', ContentSnapshot: { ...m.Content }, Occurrences: [], CreateDate: '', UpdateDate: '', StartDate: null, EndDate: null, UnitsPerRecipient: 1, Token: 0, ...extra,
  });
  return launchSending(ws, s);
}

const status = (ws: Workspace, s: SendingRec) => sendingsTable(ws).peek(s.id)!.Status;
const sentCount = (ws: Workspace, s: SendingRec) => sendingRecipients(ws, s.ID).filter((r) => r.SentDate !== null).length;

describe('sending lifecycle', () => {
  it('goes Planned -> InProgress -> Sent at the planning rate, locking then releasing the message', async () => {
    const ws = await world('se-rate', 250);
    const m = message(ws, 'email');
    const p = planning(ws, { StartDate: new Date(T0 + 3_600_000).toISOString(), RateVolumeID: 1, RatePeriodID: 1 }); // 100 per minute
    const s = sending(ws, m, p);
    expect(status(ws, s)).toBe('Planned');
    expect(messagesTable(ws).peek(m.id)!.LockedBySendingID).toBe(s.ID);
    ws.advance(T0 + 3_600_000);
    expect(status(ws, s)).toBe('InProgress');
    const total = sendingRecipients(ws, s.ID).length;
    expect(total).toBeGreaterThan(200); // the do-not-write addresses are left out
    expect(sentCount(ws, s)).toBe(100);
    ws.advance(T0 + 3_600_000 + 60_000);
    expect(sentCount(ws, s)).toBe(200);
    ws.advance(T0 + 3_600_000 + 120_000);
    expect(sentCount(ws, s)).toBe(total);
    expect(status(ws, s)).toBe('Sent');
    expect(messagesTable(ws).peek(m.id)!.LockedBySendingID).toBe(null);
    expect(messagesTable(ws).peek(m.id)!.IsFrozen).toBe(true);
  });

  it('holds batches in standby, continues on resume, and stops for good', async () => {
    const ws = await world('se-standby', 120);
    const m = message(ws, 'email');
    const p = planning(ws, { RateVolumeID: 1, RatePeriodID: 1 });
    const s = sending(ws, m, p);
    ws.advance(T0);
    expect(sentCount(ws, s)).toBe(100);
    standbySending(ws, sendingsTable(ws).peek(s.id)!);
    ws.advance(T0 + 10 * 60_000);
    expect(sentCount(ws, s)).toBe(100);
    expect(() => standbySending(ws, sendingsTable(ws).peek(s.id)!)).toThrow(/statut/);
    resumeSending(ws, sendingsTable(ws).peek(s.id)!);
    ws.advance(T0 + 10 * 60_000);
    expect(status(ws, s)).toBe('Sent');
    expect(() => stopSending(ws, sendingsTable(ws).peek(s.id)!)).toThrow();

    const s2 = sending(ws, message(ws, 'email'), planning(ws, { RateVolumeID: 1, RatePeriodID: 1 }));
    ws.advance(ws.now());
    stopSending(ws, sendingsTable(ws).peek(s2.id)!);
    ws.advance(ws.now() + 3_600_000);
    expect(status(ws, s2)).toBe('Stopped');
    expect(sentCount(ws, s2)).toBe(100);
  });
});

describe('recipient outcomes', () => {
  it('follows the test addresses, and unsubscribes and hard bounces reach the contact when they happen', async () => {
    const ws = await world('se-tags', 0);
    const bounce = createContact(ws, '10001', [{ ID: 7, Value: 'a+bounce@example.com' }]);
    const unsub = createContact(ws, '10001', [{ ID: 7, Value: 'b+unsubscribe@example.com' }]);
    const click = createContact(ws, '10001', [{ ID: 7, Value: 'c+click@example.com' }]);
    const s = sending(ws, message(ws, 'email'), null);
    ws.advance(T0);
    const byContact = new Map(sendingRecipients(ws, s.ID).map((r) => [r.ContactID, r]));
    expect(byContact.get(bounce.ID)!.BounceType).toBe('Hard');
    expect(byContact.get(click.ID)!.ClickedDate).not.toBeNull();
    expect(byContact.get(unsub.ID)!.UnsubscribedDate).not.toBeNull();
    expect(valueOf(findContact(ws, '10001', unsub.ID)!, 72)).toBe('1');
    ws.advance(T0 + 2 * 3_600_000);
    expect(valueOf(findContact(ws, '10001', unsub.ID)!, 72)).toBe('7');
    expect(valueOf(findContact(ws, '10001', bounce.ID)!, 72)).toBe('4');
    expect(valueOf(findContact(ws, '10001', click.ID)!, 72)).toBe('1');
  });

  it('debits SMS units from the Dolist ledger and follows the test numbers', async () => {
    const ws = await world('se-sms', 0);
    createContact(ws, '10001', [{ ID: 7, Value: 'x@example.com' }, { ID: 14, Value: '+33612999001' }]);
    createContact(ws, '10001', [{ ID: 7, Value: 'y@example.com' }, { ID: 14, Value: '+33612345678' }]);
    createContact(ws, '10001', [{ ID: 7, Value: 'z@example.com' }]);
    const before = ws.credit.balance('dolist');
    const s = sending(ws, message(ws, 'sms'), null, { UnitsPerRecipient: 2 });
    ws.advance(T0 + 60_000);
    const rs = sendingRecipients(ws, s.ID);
    expect(rs).toHaveLength(2); // no mobile, no SMS
    expect(rs.find((r) => r.Address === '+33612999001')!.FailedDate).not.toBeNull();
    expect(rs.find((r) => r.Address === '+33612345678')!.DeliveredDate).not.toBeNull();
    expect(ws.credit.balance('dolist')).toBe(before - 4);
  });
});

describe('recurrent plannings', () => {
  it('starts one occurrence per date, the dates the simulation computes', async () => {
    const ws = await world('se-recurrent', 5);
    const p = planning(ws, { Kind: 'Recurrent', Frequency: 'Weekly', Interval: 1, FilterList: ['Monday', 'Thursday'], Time: '10:00', StartDate: new Date(T0).toISOString(), EndDate: '2026-03-20T00:00:00Z' });
    const dates = occurrenceDates(p, T0, 10);
    expect(dates.map((d) => new Date(d).toISOString())).toEqual(['2026-03-02T10:00:00.000Z', '2026-03-05T10:00:00.000Z', '2026-03-09T10:00:00.000Z', '2026-03-12T10:00:00.000Z', '2026-03-16T10:00:00.000Z', '2026-03-19T10:00:00.000Z']);
    expect(nextOccurrenceDate(p, dates[5])).toBeNull();
    const s = sending(ws, message(ws, 'email'), p);
    ws.advance(Date.parse('2026-03-21T00:00:00Z'));
    const rec = sendingsTable(ws).peek(s.id)!;
    expect(rec.Occurrences.map((o) => o.StartDate)).toEqual(dates.map((d) => new Date(d).toISOString()));
    expect(rec.Status).toBe('Sent');
    expect(recipientsTable(ws).lookup('SendingID', s.ID).length).toBe(6 * rec.Occurrences[0].RecipientCount);
  });
});
