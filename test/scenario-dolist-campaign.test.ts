// The bundled `dolist-campaign` scenario on a manual clock: its fixtures give account 10001 a
// target, messages, senders and test addresses, and its plannings and sendings; the email
// sending starts at 09:00 at 100 a minute and runs to Sent, recipients follow the rules (gmail
// opens and clicks, hotmail soft-bounces, yahoo hard-bounces) and their test addresses; the SMS
// sending at 10:00 debits units; the timeline's click at 12:00 is recorded.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findContact, valueOf } from '../src/apis/dolist/contacts.js';
import { sendingRecipients, trackingEventsTable } from '../src/apis/dolist/sendings.js';
import { dolistWorkspace, startApp, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
});
afterAll(async () => {
  await c.close();
});

const H = 3_600_000;

it('dolist-campaign: a rated email sending and an SMS sending run to the end, outcomes by rule and test address', async () => {
  const w = await dolistWorkspace(c, 'dl-campaign', { scenario: 'dolist-campaign', clock: { mode: 'manual', now: '2026-03-02T08:00:00Z' } });
  const ws = c.app.runtime.require('dl-campaign');
  let s = (await w.main('GET', '/email/sendings/1')).body;
  expect(s).toMatchObject({ ID: 1, Name: 'Spring sale', Status: 'Planned', PlanningID: 1, PlanningType: 'OneTime', TargetID: 1, MessageID: 1 });
  expect((await w.main('GET', '/sms/sendings/2')).body).toMatchObject({ Status: 'Planned', PlanningID: 2 });
  // 08:00: the trade-fair import is on its way; its contacts are there before the sending starts.
  const jobs = (await w.main('GET', '/imports/jobs')).body.ItemList;
  expect(jobs).toHaveLength(1);
  await w.advance(60_000);
  expect((await w.main('GET', `/imports/jobs/${jobs[0].ID}/stats`)).body).toMatchObject({ Status: 'Done', Total: 5, Created: 4, Rejected: 1 });
  await w.advance(H - 60_000);

  // 09:00: the first batch
  s = (await w.main('GET', '/email/sendings/1')).body;
  expect(s.Status).toBe('InProgress');
  expect(s.SentCount).toBe(100);
  const total = s.RecipientCount;
  expect(total).toBeGreaterThan(150);
  await w.advance(H); // 10:00: all sent; the SMS sending goes out
  s = (await w.main('GET', '/email/sendings/1')).body;
  expect(s).toMatchObject({ Status: 'Sent', SentCount: total });

  const rs = sendingRecipients(ws, 1);
  const by = (re: RegExp) => rs.filter((r) => re.test(r.Address));
  expect(by(/@hotmail\./).every((r) => r.BounceType === 'Soft')).toBe(true);
  expect(by(/@yahoo\./).every((r) => r.BounceType === 'Hard')).toBe(true);
  const gmail = by(/@gmail\./);
  expect(gmail.length).toBeGreaterThan(0);
  expect(gmail.every((r) => r.OpenedDate !== null && r.ClickedDate !== null && Date.parse(r.ClickedDate) - Date.parse(r.SentDate!) === 1_200_000)).toBe(true);
  const yahoo = by(/@yahoo\./)[0];
  if (yahoo) expect(valueOf(findContact(ws, '10001', yahoo.ContactID)!, 72)).toBe('4');
  const addr = (a: string) => rs.find((r) => r.Address === a)!;
  expect(addr('alice+click@example.com').ClickedDate).not.toBeNull();
  expect(addr('bob+bounce@example.com').BounceType).toBe('Hard');
  expect(valueOf(findContact(ws, '10001', addr('carol+unsubscribe@example.com').ContactID)!, 72)).toBe('7');

  await w.advance(60_000); // the SMS batches, 50 a second
  const sms = (await w.main('GET', '/sms/sendings/2')).body;
  expect(sms.Status).toBe('Sent');
  expect(sms.SentCount).toBeGreaterThan(100);
  expect((await c.sim('GET', '/workspaces/dl-campaign/credit/dolist')).balance).toBe(2000 - sms.SentCount * sms.UnitsPerRecipient);

  const report = await w.main('GET', '/email/sendings/1/report');
  expect(report.text.trim().split('\r\n')).toHaveLength(total + 1);
  expect(report.text).toContain('alice+click@example.com');

  await w.advance(2 * H - 60_000); // 12:00: the timeline's click
  const steps = (await c.sim('GET', '/workspaces/dl-campaign/events?type=scenario.step')).events.map((e: any) => [e.data.name, e.data.ok]);
  expect(steps).toEqual([['alice-clicks-again', true]]);
  expect(trackingEventsTable(ws).lookup('SendingID', 1).map((e) => [e.TrackingType, e.ContactID, e.LinkID])).toEqual([['Click', 1000201, 1]]);
});
