// Dolist sendings area over HTTP on a manual clock: plannings (one-time with a rate, recurrent,
// the simulation = the dates a recurrent sending then starts on, reference lists), email and SMS
// sendings (create checks with their codes, lifecycle Planned -> InProgress -> Sent at the rate,
// standby/resume/stop single and bulk, re-planning, locks, content snapshot, report with
// KeyCodes, render, thumbnails, tags), the credit check of SMS sendings, tenancy, the
// transactional email calls (JSON and multipart JSV) and the injectors. Prerequisites owned by
// other areas (messages, senders, targets, tags) are set up through the domain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContact, findContact, valueOf } from '../src/apis/dolist/contacts.js';
import { CATALOGUE } from '../src/apis/dolist/error-catalogue.js';
import { messagesTable, type MessageRec } from '../src/apis/dolist/messages.js';
import { recipientsTable, sendingRecipients, trackingEventsTable } from '../src/apis/dolist/sendings.js';
import { tagItemsTable, tagsTable } from '../src/apis/dolist/tags.js';
import type { Workspace } from '../src/core/workspace.js';
import { dolistWorkspace, startApp, type Client, type Res, expectDolistCode } from './helpers.js';

let c: Client;
beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
});
afterAll(async () => {
  await c.close();
});

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** The catalogue's answer for a code, verbatim. */
const expectCode = expectDolistCode;

type W = Awaited<ReturnType<typeof dolistWorkspace>> & { ws: Workspace; sim: Workspace };

async function world(id: string, fixtures: Record<string, unknown> = {}, base = 12): Promise<W> {
  const w = await dolistWorkspace(c, id, { scenario: { name: id, fixtures: { dolist: { contactBase: { '10001': base, '10002': 2 }, sendingLimits: { maxTestRecipients: 5 }, ...fixtures } } } });
  const ws = c.app.runtime.require(id);
  ws.table('dolist', 'targets').put({ id: '1', ID: 1, account: '10001', Name: 'All', LastCountDate: at(0) });
  ws.table('dolist', 'targets').put({ id: '2', ID: 2, account: '10002', Name: 'B', LastCountDate: at(0) });
  ws.table('dolist', 'targets').put({ id: '3', ID: 3, account: '10001', Name: 'Never counted', LastCountDate: null });
  ws.table('dolist', 'email_senders').put({ id: '1', ID: 1, account: '10001', Email: 'news@brand.example' });
  ws.table('dolist', 'email_senders').put({ id: '2', ID: 2, account: '10002', Email: 'news@b.example' });
  ws.table('dolist', 'sms_senders').put({ id: '1', ID: 1, account: '10001', Name: 'BRAND' });
  ws.table('dolist', 'sms_senders').put({ id: '2', ID: 2, account: '10002', Name: 'BRANDB' });
  return { ...w, sim: ws } as W;
}

let nextMessage = 100;
function message(ws: Workspace, channel: 'email' | 'sms', extra: Partial<MessageRec> = {}): MessageRec {
  const id = nextMessage++;
  return messagesTable(ws).put({
    id: String(id), ID: id, account: '10001', Channel: channel, Name: `m${id}`, Subject: channel === 'email' ? 'Bonjour [[Prenom]]' : null, SenderID: 1, ReplyID: null, PackID: null, Culture: 'fr-FR',
    EncodingID: null, FormatID: null, IsTrackingValidated: true, Content: channel === 'email' ? { Html: '<p>Bonjour [[Prenom]]</p><a href="[[Unsubscribe]]">désinscription</a>', Text: 'Bonjour' } : { Text: 'Promo -20% STOP 36111' },
    Links: [], IsFrozen: false, LockedBySendingID: null, CreateDate: '', UpdateDate: '', ...extra,
  });
}

async function planning(w: W, body: Record<string, unknown>): Promise<number> {
  const r = await w.main('POST', '/plannings/onetime', body);
  expect(r.status, r.text).toBe(201);
  return r.body.ID;
}

async function emailSending(w: W, body: Record<string, unknown>): Promise<number> {
  const r = await w.main('POST', '/email/sendings', { TargetID: 1, ...body });
  expect(r.status, r.text).toBe(201);
  return r.body.ID;
}

describe('plannings', () => {
  it('lists the rate catalogues, creates one-time plannings and refuses unknown rates', async () => {
    const w = await world('ds-plan-onetime');
    const vols = await w.main('GET', '/plannings/onetime/rate/volumes');
    expect(vols.body.ItemList[0]).toEqual({ ID: 1, Value: 100 });
    const pers = await w.main('GET', '/plannings/onetime/rate/periods');
    expect(pers.body.ItemList.map((p: { Name: string }) => p.Name)).toEqual(['Minute', 'Hour', 'Day']);
    const id = await planning(w, { StartDate: at(3_600_000), RateVolumeID: 1, RatePeriodID: 1 });
    const got = await w.main('GET', `/plannings/onetime/${id}`);
    expect(got.body).toMatchObject({ ID: id, PlanningType: 'OneTime', StartDate: at(3_600_000), RateVolumeID: 1, RatePeriodID: 1, SendingIDList: [] });
    expectCode(await w.main('POST', '/plannings/onetime', { RateVolumeID: 99, RatePeriodID: 1 }), '737');
    expectCode(await w.main('POST', '/plannings/onetime', { RateVolumeID: 1, RatePeriodID: 99 }), '738');
    expectCode(await w.main('POST', '/plannings/onetime', { RateVolumeID: 1 }), '36');
    expectCode(await w.main('GET', '/plannings/onetime/999'), '735');
    // Another account's planning is not found; a recurrent id is not a one-time planning.
    expectCode(await w.mainB('GET', `/plannings/onetime/${id}`), '735');
    const rec = await w.main('POST', '/plannings/recurrents', { Frequency: 'daily', StartDate: at(0) });
    expectCode(await w.main('GET', `/plannings/onetime/${rec.body.ID}`), '735');
    expectCode(await w.main('GET', `/plannings/recurrents/${id}`), '747');
    expectCode(await c.req('GET', `/dolist/v1/plannings/onetime/${id}?AccountID=10001`, { headers: { 'x-api-key': w.creds.brandB } }), '6');
  });

  it('validates recurrences, and the simulation gives the dates a recurrent sending then starts on', async () => {
    const w = await world('ds-plan-recurrent', {}, 4);
    expect((await w.main('GET', '/plannings/recurrents/intervals?Frequency=Monthly')).body.ItemList).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect((await w.main('GET', '/plannings/recurrents/filters?Frequency=weekly')).body.ItemList).toContain('Thursday');
    expect((await w.main('GET', '/plannings/recurrents/filters?Frequency=Daily')).body).toEqual({ ItemList: [], Total: 0 });
    expectCode(await w.main('GET', '/plannings/recurrents/intervals?Frequency=Hourly'), '36');
    expectCode(await w.main('GET', '/plannings/recurrents/filters?Frequency=Yearly'), '36');
    expectCode(await w.main('POST', '/plannings/recurrents', { Frequency: 'Weekly', Interval: 99 }), '745');
    expectCode(await w.main('POST', '/plannings/recurrents', { Frequency: 'Weekly', FilterList: ['Funday'] }), '746');
    expectCode(await w.main('POST', '/plannings/recurrents', { Frequency: 'Daily', FilterList: ['Monday'] }), '746');
    expectCode(await w.main('POST', '/plannings/recurrents', { Frequency: 'Often' }), '36');
    const settings = { Frequency: 'Weekly', Interval: 1, FilterList: ['monday', 'Thursday'], Time: '10:00', StartDate: at(0), EndDate: '2026-03-20T00:00:00Z' };
    const sim = await w.main('POST', '/plannings/recurrents/simulation?SimulationCount=10', settings);
    expect(sim.status, sim.text).toBe(200);
    const dates = ['2026-03-02T10:00:00.000Z', '2026-03-05T10:00:00.000Z', '2026-03-09T10:00:00.000Z', '2026-03-12T10:00:00.000Z', '2026-03-16T10:00:00.000Z', '2026-03-19T10:00:00.000Z'];
    expect(sim.body).toEqual({ ItemList: dates, Total: 6 });
    const window = await w.main('POST', `/plannings/recurrents/simulation?SimulationCount=2&SimulationStartDate=2026-03-06T00:00:00Z`, settings);
    expect(window.body.ItemList).toEqual(dates.slice(2, 4));
    expectCode(await w.main('POST', '/plannings/recurrents/simulation?SimulationCount=0', settings), '36');
    const p = await w.main('POST', '/plannings/recurrents', settings);
    expect(p.status).toBe(201);
    expect((await w.main('GET', `/plannings/recurrents/${p.body.ID}`)).body).toMatchObject({ PlanningType: 'Recurrent', Frequency: 'Weekly', FilterList: ['Monday', 'Thursday'], Time: '10:00' });
    const s = await emailSending(w, { Name: 'weekly', MessageID: message(w.sim, 'email').ID, PlanningID: p.body.ID });
    await w.advance(Date.parse('2026-03-21T00:00:00Z') - T0);
    const got = await w.main('GET', `/email/sendings/${s}`);
    expect(got.body.Status).toBe('Sent');
    expect(got.body.OccurrenceList.map((o: { StartDate: string }) => o.StartDate)).toEqual(dates);
    const listed = await w.main('GET', `/plannings/recurrents?SendingID=${s}&Channel=Email`);
    expect(listed.body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([p.body.ID]);
    expectCode(await w.main('GET', `/plannings/onetime?SendingID=${s}&Channel=Email`), '735');
    expectCode(await w.main('GET', `/plannings/onetime?SendingID=${s}&Channel=Fax`), '749');
    expectCode(await w.main('GET', `/plannings/onetime?SendingID=9999&Channel=Email`), '729');
    expectCode(await w.main('GET', `/plannings/recurrents?SendingID=${s}&Channel=Sms`), '729');
  });
});

describe('email sendings', () => {
  it('refuses a create with the documented codes, in order, and writes nothing', async () => {
    const w = await world('ds-create-errors');
    const m = message(w.sim, 'email');
    const sms = message(w.sim, 'sms');
    expectCode(await w.main('POST', '/email/sendings', { MessageID: m.ID, TargetID: 1 }), '36');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: 9999, TargetID: 1 }), '729');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: sms.ID, TargetID: 1 }), '708');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: message(w.sim, 'email', { Content: { Html: '<p>no link</p>' } }).ID, TargetID: 1 }), '720');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: message(w.sim, 'email', { SenderID: 2 }).ID, TargetID: 1 }), '702');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: message(w.sim, 'email', { Subject: ' ' }).ID, TargetID: 1 }), '722');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: message(w.sim, 'email', { IsTrackingValidated: false }).ID, TargetID: 1 }), '721');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: m.ID, TargetID: 2 }), '502');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: m.ID }), '36');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: m.ID, TargetIDList: [1, 3] }), '526');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: m.ID, TargetID: 1, PlanningID: 999 }), '735');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: message(w.sim, 'email', { ReplyID: 77 }).ID, TargetID: 1 }), '705');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: m.ID, TargetID: 1, UserID: 999 }), '901');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: m.ID, TargetID: 1, SendType: 'Test' }), '741');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: m.ID, TargetID: 1, SendType: 'Sometimes' }), '36');
    const big = message(w.sim, 'email', { Content: { Html: `<a href="[[Unsubscribe]]">u</a>${'x'.repeat(1_100_000)}` } });
    expectCode(await w.main('POST', '/email/sendings', { Name: 'x', MessageID: big.ID, TargetID: 1 }), '725');
    expect((await w.main('GET', '/email/sendings?Channel=Email')).body.Total).toBe(0);
    expect(messagesTable(w.sim).peek(m.id)!.LockedBySendingID).toBeNull();

    // Planned later: it holds its message's lock until it is Sent or Stopped.
    const id = await emailSending(w, { Name: 'Spring', MessageID: m.ID, UserID: 302, PlanningID: await planning(w, { StartDate: at(3_600_000) }) });
    expect((await w.main('GET', `/email/sendings/${id}`)).body.UserID).toBe(302);
    expectCode(await w.main('POST', '/email/sendings', { Name: 'again', MessageID: m.ID, TargetID: 1 }), '728');
    expectCode(await w.main('POST', '/email/sendings', { Name: 'spring', MessageID: message(w.sim, 'email').ID, TargetID: 1 }), '731');
    // The same name on the other channel is another sending's business.
    expect((await w.main('POST', '/sms/sendings', { Name: 'Spring', MessageID: message(w.sim, 'sms').ID, TargetID: 1 })).status).toBe(201);
    expect(id).toBeGreaterThan(0);
  });

  it('runs Planned -> InProgress -> Sent at the planning rate; locks, content, report, render over time', async () => {
    const w = await world('ds-lifecycle', {}, 250);
    const m = message(w.sim, 'email');
    const p = await planning(w, { StartDate: at(3_600_000), RateVolumeID: 1, RatePeriodID: 1 });
    const id = await emailSending(w, { Name: 'Rated', MessageID: m.ID, PlanningID: p });
    let s = (await w.main('GET', `/email/sendings/${id}`)).body;
    expect(s).toMatchObject({ ID: id, Channel: 'Email', Status: 'Planned', PlanningID: p, PlanningType: 'OneTime', PlanningIDList: [p], SendType: 'Real', RecipientCount: 0, SentCount: 0, OccurrenceList: [] });
    expect((await w.main('GET', `/plannings/onetime/${p}`)).body.SendingIDList).toEqual([id]);
    expect((await w.main('GET', `/email/sendings/${id}/locks`)).body.ItemList.map((l: { LockType: string; ItemID: number }) => [l.LockType, l.ItemID])).toEqual([['Message', m.ID], ['Target', 1]]);
    expectCode(await w.main('GET', `/email/sendings/${id}/report`), '753');
    // The content is the snapshot taken at creation.
    const w2 = messagesTable(w.sim).get(m.id)!;
    messagesTable(w.sim).put({ ...w2, Content: { Html: 'changed' } });
    expect((await w.main('GET', `/email/sendings/${id}/content`)).body).toEqual({ Subject: 'Bonjour [[Prenom]]', Html: '<p>Bonjour [[Prenom]]</p><a href="[[Unsubscribe]]">désinscription</a>', Text: 'Bonjour' });

    await w.advance(3_600_000);
    s = (await w.main('GET', `/email/sendings/${id}`)).body;
    expect(s.Status).toBe('InProgress');
    expect(s.SentCount).toBe(100);
    expect(s.RecipientCount).toBeGreaterThan(200);
    await w.advance(60_000);
    expect((await w.main('GET', `/email/sendings/${id}`)).body.SentCount).toBe(200);
    await w.advance(60_000);
    s = (await w.main('GET', `/email/sendings/${id}`)).body;
    expect(s).toMatchObject({ Status: 'Sent', SentCount: s.RecipientCount });
    expect((await w.main('GET', `/email/sendings/${id}/locks`)).body).toEqual({ ItemList: [], Total: 0 });

    const report = await w.main('GET', `/email/sendings/${id}/report`);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = report.text.trim().split('\r\n');
    expect(lines[0]).toBe('ContactID;OccurrenceID;Address;Status;SentDate;DeliveredDate;BouncedDate;OpenedDate;ClickedDate;UnsubscribedDate;KeyCode');
    expect(lines).toHaveLength(s.RecipientCount + 1);
    const [contactId, occurrenceId, , , , , , , , , keyCode] = lines[1].split(';');
    expectCode(await w.main('GET', `/email/sendings/${id}/report?TargetID=3`), '502');
    expectCode(await w.main('GET', `/email/sendings/${id}/report?TargetID=77`), '502');
    expect((await w.main('GET', `/email/sendings/${id}/report?TargetID=1`)).status).toBe(200);

    const render = await w.main('POST', `/email/sendings/${id}/render?ContactID=${contactId}&OccurrenceID=${occurrenceId}&KeyCode=${keyCode.toLowerCase()}`);
    expect(render.status, render.text).toBe(200);
    const first = valueOf(findContact(w.sim, '10001', Number(contactId))!, 3) ?? '';
    expect(render.body.Subject).toBe(`Bonjour ${first}`);
    expect(render.body.Html).toContain(`<p>Bonjour ${first}</p>`);
    expectCode(await w.main('POST', `/email/sendings/${id}/render?ContactID=${contactId}&OccurrenceID=${occurrenceId}&KeyCode=ABCDEF`), '45');
    expectCode(await w.main('POST', `/email/sendings/${id}/render?ContactID=${contactId}&OccurrenceID=2&KeyCode=${keyCode}`), '45');
    expectCode(await w.main('POST', `/email/sendings/9999/render?ContactID=${contactId}&OccurrenceID=1&KeyCode=${keyCode}`), '708');
    // Sent: the actions are in the wrong state now.
    expectCode(await w.main('POST', `/email/sendings/${id}/stop`), '732');
    expectCode(await w.main('POST', `/email/sendings/${id}/standby`), '732');
    expectCode(await w.main('PUT', `/email/sendings/${id}`, { Name: 'late' }), '732');
  });

  it('holds in standby, resumes where it was, stops for good; the statuses follow the clock', async () => {
    const w = await world('ds-standby', {}, 150);
    const p = await planning(w, { RateVolumeID: 1, RatePeriodID: 1 });
    const id = await emailSending(w, { Name: 'Held', MessageID: message(w.sim, 'email').ID, PlanningID: p });
    await w.advance(1000);
    expect((await w.main('GET', `/email/sendings/${id}`)).body).toMatchObject({ Status: 'InProgress', SentCount: 100 });
    expect((await w.main('POST', `/email/sendings/${id}/standby`)).status).toBe(204);
    expectCode(await w.main('POST', `/email/sendings/${id}/standby`), '732');
    await w.advance(10 * 60_000);
    expect((await w.main('GET', `/email/sendings/${id}`)).body).toMatchObject({ Status: 'Standby', SentCount: 100 });
    expect((await w.main('POST', `/email/sendings/${id}/resume`)).status).toBe(204);
    expectCode(await w.main('POST', `/email/sendings/${id}/resume`), '732');
    await w.advance(1000);
    const done = (await w.main('GET', `/email/sendings/${id}`)).body;
    expect(done.Status).toBe('Sent');
    expect(done.SentCount).toBe(done.RecipientCount);

    const id2 = await emailSending(w, { Name: 'Stopped', MessageID: message(w.sim, 'email').ID, PlanningID: await planning(w, { RateVolumeID: 1, RatePeriodID: 1 }) });
    await w.advance(1000);
    expect((await w.main('POST', `/email/sendings/${id2}/stop`)).status).toBe(204);
    await w.advance(3_600_000);
    expect((await w.main('GET', `/email/sendings/${id2}`)).body).toMatchObject({ Status: 'Stopped', SentCount: 100 });
    expectCode(await w.main('POST', `/email/sendings/${id2}/resume`), '732');
    for (const a of ['standby', 'resume', 'stop']) expectCode(await w.main('POST', `/email/sendings/9999/${a}`), '729');
  });

  it('re-plans a Planned sending (PUT), with its checks', async () => {
    const w = await world('ds-put');
    const p1 = await planning(w, { StartDate: at(3_600_000) });
    const p2 = await planning(w, { StartDate: at(7_200_000) });
    const past = await planning(w, { StartDate: at(-60_000) });
    const id = await emailSending(w, { Name: 'Replan', MessageID: message(w.sim, 'email').ID, PlanningID: p1 });
    await emailSending(w, { Name: 'Other', MessageID: message(w.sim, 'email').ID, PlanningID: p1 });
    expectCode(await w.main('PUT', `/email/sendings/${id}`, { PlanningID: past }), '736');
    expectCode(await w.main('PUT', `/email/sendings/${id}`, { PlanningID: 999 }), '735');
    expectCode(await w.main('PUT', `/email/sendings/${id}`, { Name: 'other' }), '731');
    expectCode(await w.main('PUT', `/email/sendings/${id}`, { MessageID: 9999 }), '708');
    expectCode(await w.main('PUT', '/email/sendings/9999', { Name: 'x' }), '729');
    expect((await w.main('PUT', `/email/sendings/${id}`, { PlanningID: p2, Name: 'Replanned' })).status).toBe(204);
    let s = (await w.main('GET', `/email/sendings/${id}`)).body;
    expect(s).toMatchObject({ Name: 'Replanned', PlanningID: p2, PlanningIDList: [p1, p2], Status: 'Planned' });
    const listed = await w.main('GET', `/plannings/onetime?SendingID=${id}&Channel=email&SortOrder=desc`);
    expect(listed.body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([p2, p1]);
    // The old planning's start no longer starts it.
    await w.advance(3_600_000 + 1000);
    expect((await w.main('GET', `/email/sendings/${id}`)).body.Status).toBe('Planned');
    await w.advance(3_600_000);
    s = (await w.main('GET', `/email/sendings/${id}`)).body;
    expect(s.Status).toBe('Sent');
    expect(s.OccurrenceList[0].StartDate).toBe(at(7_200_000));

    // Onto a recurrent planning: while it has an occurrence ahead; its dates then start it.
    const ended = await w.main('POST', '/plannings/recurrents', { Frequency: 'Daily', StartDate: at(-3 * 86_400_000), EndDate: at(-86_400_000) });
    const daily = await w.main('POST', '/plannings/recurrents', { Frequency: 'Daily', Time: '15:00', StartDate: at(0), EndDate: '2026-03-04T00:00:00Z' });
    const r = await emailSending(w, { Name: 'To recurrent', MessageID: message(w.sim, 'email').ID, PlanningID: await planning(w, { StartDate: at(10 * 3_600_000) }) });
    expectCode(await w.main('PUT', `/email/sendings/${r}`, { PlanningID: ended.body.ID }), '736');
    expect((await w.main('PUT', `/email/sendings/${r}`, { PlanningID: daily.body.ID })).status).toBe(204);
    await w.advance(2 * 86_400_000);
    s = (await w.main('GET', `/email/sendings/${r}`)).body;
    expect(s).toMatchObject({ Status: 'Sent', PlanningType: 'Recurrent' });
    expect(s.OccurrenceList.map((o: { StartDate: string }) => o.StartDate)).toEqual(['2026-03-02T15:00:00.000Z', '2026-03-03T15:00:00.000Z']);
  });

  it('lists and searches the channel\'s sendings; bulk actions are all or nothing', async () => {
    const w = await world('ds-bulk', {}, 6);
    const later = await planning(w, { StartDate: at(3_600_000) });
    const a = await emailSending(w, { Name: 'Alpha', MessageID: message(w.sim, 'email').ID, PlanningID: later });
    const b = await emailSending(w, { Name: 'Beta', MessageID: message(w.sim, 'email').ID, PlanningID: later });
    const list = await w.main('GET', '/email/sendings?Channel=Email');
    expect(list.body.ItemList.map((s: { ID: number }) => s.ID)).toEqual([a, b]);
    expect((await w.main('GET', '/email/sendings?Channel=Sms')).body).toEqual({ ItemList: [], Total: 0 });
    expectCode(await w.main('GET', '/email/sendings?Channel=Fax'), '36');
    const found = await w.main('POST', '/email/sendings/search', { SearchQuery: { Name: 'alp' } });
    expect(found.body.ItemList.map((s: { ID: number }) => s.ID)).toEqual([a]);
    const paged = await w.main('POST', '/email/sendings/search', { SearchQuery: { Status: 'Planned' }, Offset: 1, Limit: 1 });
    expect(paged.body).toMatchObject({ Total: 2, ItemList: [{ ID: b }] });

    expectCode(await w.main('POST', '/email/sendings/standby', { SendingIDList: [a, 9999] }), '729');
    expect((await w.main('GET', `/email/sendings/${a}`)).body.Status).toBe('Planned');
    expect((await w.main('POST', '/email/sendings/standby', { SendingIDList: [a] })).status).toBe(204);
    expectCode(await w.main('POST', '/email/sendings/standby', { SendingIDList: [a, b] }), '732');
    expect((await w.main('GET', `/email/sendings/${b}`)).body.Status).toBe('Planned');
    expect((await w.main('POST', '/email/sendings/standby', {})).status).toBe(204);
    const resumed = await w.main('POST', '/email/sendings/resume', { SendingIDList: [] });
    expect(resumed.status).toBe(201);
    expect(resumed.body).toEqual({ SendingIDList: [a, b] });
    expect((await w.main('GET', `/email/sendings/${a}`)).body.Status).toBe('Planned');
    expect((await w.main('POST', '/email/sendings/stop', { SendingIDList: [b] })).status).toBe(204);
    expect((await w.main('GET', `/email/sendings/${b}`)).body.Status).toBe('Stopped');
    await w.advance(3_600_000 + 1000);
    expect((await w.main('GET', `/email/sendings/${a}`)).body.Status).toBe('Sent');
    expectCode(await w.main('POST', '/email/sendings/stop', { SendingIDList: [a] }), '732');
  });

  it('shows thumbnails and tags, and keeps other accounts\' sendings out', async () => {
    const w = await world('ds-tenancy');
    const id = await emailSending(w, { Name: 'Tagged', MessageID: message(w.sim, 'email').ID });
    tagsTable(w.sim).put({ id: '5', ID: 5, account: '10001', Name: 'Printemps', ColorID: 2, CreateDate: at(0), UpdateDate: at(0) });
    tagItemsTable(w.sim).put({ id: `5:EmailSending:${id}`, account: '10001', TagID: 5, ItemType: 'EmailSending', ItemID: id });
    expect((await w.main('GET', `/email/sendings/${id}/tags`)).body).toEqual({ ItemList: [{ ID: 5, Name: 'Printemps', ColorID: 2 }], Total: 1 });
    const thumbs = await w.main('GET', `/email/sendings/${id}/thumbnails`);
    expect(thumbs.body.Total).toBe(3);
    expect(thumbs.body.ItemList[0].Url).toContain(`/sendings/${id}/small.png`);
    // Account 10002's sending.
    const mb = messagesTable(w.sim).put({ ...message(w.sim, 'email'), account: '10002', SenderID: 2 });
    const rb = await w.mainB('POST', '/email/sendings', { Name: 'B', MessageID: mb.ID, TargetID: 2 });
    expect(rb.status, rb.text).toBe(201);
    const other = rb.body.ID;
    for (const path of ['', '/content', '/locks', '/thumbnails', '/tags']) expectCode(await w.main('GET', `/email/sendings/${other}${path}`), '708');
    expectCode(await w.main('GET', `/email/sendings/${other}/report`), '729');
    expectCode(await w.main('PUT', `/email/sendings/${other}`, { Name: 'x' }), '729');
    expectCode(await w.main('POST', `/email/sendings/${other}/stop`), '729');
    expectCode(await w.main('GET', `/sms/sendings/${id}`), '729');
    expectCode(await w.brandB('GET', `/email/sendings/${id}`), '708');
    expectCode(await c.req('GET', `/dolist/v1/email/sendings/${id}?AccountID=10001`, { headers: { 'x-api-key': w.creds.brandB } }), '6');
    expect((await w.mainB('GET', '/email/sendings?Channel=Email')).body.ItemList.map((s: { ID: number }) => s.ID)).toEqual([other]);
  });
});

describe('SMS sendings', () => {
  it('checks the target count age [740] and the credit [742], then debits units as batches go out', async () => {
    const w = await world('ds-sms', {}, 0);
    for (let i = 0; i < 4; i++) createContact(w.sim, '10001', [{ ID: 7, Value: `p${i}@example.com` }, { ID: 14, Value: `+3361234560${i}` }]);
    const m = message(w.sim, 'sms', { Content: { Text: `${'ж'.repeat(60)} STOP 36111` } }); // UCS-2, 71 units: 2 segments
    expectCode(await w.main('POST', '/sms/sendings', { Name: 'x', MessageID: m.ID, TargetID: 3 }), '740');
    const t = w.sim.table('dolist', 'targets').get('1')!;
    w.sim.table('dolist', 'targets').put({ ...t, LastCountDate: at(-2 * 86_400_000) });
    expectCode(await w.main('POST', '/sms/sendings', { Name: 'x', MessageID: m.ID, TargetID: 1 }), '740');
    w.sim.table('dolist', 'targets').put({ ...t, LastCountDate: at(0) });
    expectCode(await w.main('POST', '/sms/sendings', { Name: 'x', MessageID: message(w.sim, 'sms', { Content: { Text: 'no mention' } }).ID, TargetID: 1 }), '1207');
    expectCode(await w.main('POST', '/sms/sendings', { Name: 'x', MessageID: message(w.sim, 'email').ID, TargetID: 1 }), '708');
    expectCode(await w.main('POST', '/sms/sendings', { Name: 'x', MessageID: message(w.sim, 'sms', { Content: { Text: `${'ж'.repeat(700)} STOP` } }).ID, TargetID: 1 }), '724');
    await c.sim('PUT', `/workspaces/${w.id}/credit/dolist`, { balance: 7 });
    expectCode(await w.main('POST', '/sms/sendings', { Name: 'x', MessageID: m.ID, TargetID: 1 }), '742');
    expect((await w.main('GET', '/sms/sendings?Channel=Sms')).body.Total).toBe(0);
    await c.sim('PUT', `/workspaces/${w.id}/credit/dolist`, { balance: 100 });
    const r = await w.main('POST', '/sms/sendings', { Name: 'SMS promo', MessageID: m.ID, TargetID: 1 });
    expect(r.status, r.text).toBe(201);
    const id = r.body.ID;
    expect((await w.main('GET', `/sms/sendings/${id}/content`)).body).toEqual({ Text: m.Content.Text });
    await w.advance(60_000);
    const s = (await w.main('GET', `/sms/sendings/${id}`)).body;
    expect(s).toMatchObject({ Channel: 'Sms', Status: 'Sent', UnitsPerRecipient: 2, RecipientCount: 4, SentCount: 4 });
    expect((await c.sim('GET', `/workspaces/${w.id}/credit/dolist`)).balance).toBe(92);
    const report = await w.main('GET', `/sms/sendings/${id}/report`);
    expect(report.text.trim().split('\r\n')).toHaveLength(5);
    expectCode(await w.main('GET', '/sms/sendings/9999/report'), '729');
    expectCode(await w.main('GET', '/sms/sendings/9999/content'), '708');
    expectCode(await w.main('GET', '/sms/sendings/9999/locks'), '708');
    expectCode(await w.main('GET', '/sms/sendings/9999/tags'), '729');
    expect((await w.main('GET', `/sms/sendings/${id}/tags`)).body).toEqual({ ItemList: [], Total: 0 });
    expect((await w.main('POST', '/sms/sendings/search', { SearchQuery: { StatusList: ['Sent'] } })).body.Total).toBe(1);
    // SMS bulk actions ignore unknown ids.
    expect((await w.main('POST', '/sms/sendings/stop', { SendingIDList: [9999] })).status).toBe(204);
    expectCode(await w.main('POST', '/sms/sendings/stop', { SendingIDList: [id] }), '732');
  });

  it('holds the estimated units; recipients the credit cannot cover fail unsent', async () => {
    const w = await world('ds-sms-credit', {}, 0);
    for (let i = 0; i < 4; i++) createContact(w.sim, '10001', [{ ID: 7, Value: `r${i}@example.com` }, { ID: 14, Value: `+3361234570${i}` }]);
    await c.sim('PUT', `/workspaces/${w.id}/credit/dolist`, { balance: 12 });
    const text = `${'ж'.repeat(60)} STOP 36111`;
    const p = await planning(w, { StartDate: at(3_600_000) });
    const first = await w.main('POST', '/sms/sendings', { Name: 'First', MessageID: message(w.sim, 'sms', { Content: { Text: text } }).ID, TargetID: 1, PlanningID: p });
    expect(first.status, first.text).toBe(201);
    let ledger = await c.sim('GET', `/workspaces/${w.id}/credit/dolist`);
    expect(ledger).toMatchObject({ balance: 12, reserved: 8, available: 4 });
    // A second sending cannot count on the units the first holds.
    expectCode(await w.main('POST', '/sms/sendings', { Name: 'Second', MessageID: message(w.sim, 'sms', { Content: { Text: text } }).ID, TargetID: 1 }), '742');
    // The target grows before the start: 7 recipients x 2 units, 12 units: 6 go out, 1 fails unsent.
    for (let i = 4; i < 7; i++) createContact(w.sim, '10001', [{ ID: 7, Value: `r${i}@example.com` }, { ID: 14, Value: `+3361234570${i}` }]);
    await w.advance(3_600_000 + 60_000);
    const rs = sendingRecipients(w.sim, first.body.ID);
    expect(rs).toHaveLength(7);
    expect(rs.filter((r) => r.Units === 2)).toHaveLength(6);
    const unsent = rs.filter((r) => r.Units === 0);
    expect(unsent).toHaveLength(1);
    expect(unsent[0].FailedDate).toBe(at(3_600_000));
    ledger = await c.sim('GET', `/workspaces/${w.id}/credit/dolist`);
    expect(ledger).toMatchObject({ balance: 0, reserved: 0 });
    expect((await w.main('GET', `/sms/sendings/${first.body.ID}`)).body.Status).toBe('Sent');
  });

  it('standby, resume, stop and re-planning of an SMS sending', async () => {
    const w = await world('ds-sms-actions', {}, 0);
    createContact(w.sim, '10001', [{ ID: 7, Value: 'q@example.com' }, { ID: 14, Value: '+33612345699' }]);
    const p = await planning(w, { StartDate: at(3_600_000) });
    const p2 = await planning(w, { StartDate: at(7_200_000) });
    const id = (await w.main('POST', '/sms/sendings', { Name: 'Later', MessageID: message(w.sim, 'sms').ID, TargetID: 1, PlanningID: p })).body.ID;
    expect((await w.main('POST', `/sms/sendings/${id}/standby`)).status).toBe(204);
    expect((await w.main('PUT', `/sms/sendings/${id}`, { PlanningID: p2 })).status).toBe(204);
    expect((await w.main('POST', `/sms/sendings/${id}/resume`)).status).toBe(204);
    expect((await w.main('GET', `/sms/sendings/${id}`)).body).toMatchObject({ Status: 'Planned', PlanningIDList: [p, p2] });
    expectCode(await w.main('PUT', '/sms/sendings/9999', { PlanningID: p2 }), '729');
    expectCode(await w.main('PUT', `/sms/sendings/${id}`, { TargetID: 3 }), '740');
    expectCode(await w.main('PUT', `/sms/sendings/${id}`, { TargetID: 2 }), '502');
    expect((await w.main('GET', `/sms/sendings/${id}/locks`)).body.Total).toBe(2);
    const resumed = await w.main('POST', '/sms/sendings/resume', {});
    expect(resumed.body).toEqual({ SendingIDList: [] });
    expect((await w.main('POST', '/sms/sendings/standby', {})).status).toBe(204);
    expect((await w.main('GET', `/sms/sendings/${id}`)).body.Status).toBe('Standby');
    expect((await w.main('POST', `/sms/sendings/${id}/stop`)).status).toBe(204);
    expectCode(await w.main('POST', `/sms/sendings/${id}/stop`), '732');
    expect((await w.main('GET', `/sms/sendings/${id}/locks`)).body.Total).toBe(0);
    expectCode(await w.main('POST', '/sms/sendings/9999/standby'), '729');
  });
});

describe('transactional email', () => {
  const body = (email: string, extra: Record<string, unknown> = {}) => ({
    TransactionalSending: {
      Type: 'TransactionalService',
      Contact: { FieldList: [{ ID: 7, Value: email }] },
      Message: { Name: 'Order confirmation', Subject: 'Your order', SenderID: 1, ForceHttp: false, Format: 'html', DisableOpenTracking: false, IsTrackingValidated: true, ...extra },
      MessageContent: { SourceCode: '<html><body>Thanks</body></html>', EncodingType: 'UTF8', EnableTrackingDetection: false },
    },
  });

  it('sends to one contact (found or created), with an outcome on the clock; refuses unsubscribed and bad addresses', async () => {
    const w = await world('ds-transactional', {}, 0);
    const r = await w.main('POST', '/email/sendings/transactional', body('new.client+open@example.com'));
    expect(r.status, r.text).toBe(200);
    const id = r.body.Result;
    expect(Number.isInteger(id)).toBe(true);
    const got = (await w.main('GET', `/email/sendings/${id}`)).body;
    expect(got).toMatchObject({ ID: id, IsTransactional: true, MessageID: 0, Name: 'Order confirmation' });
    // Not a campaign: not in the lists.
    expect((await w.main('GET', '/email/sendings?Channel=Email')).body.Total).toBe(0);
    await w.advance(120_000);
    const [rec] = sendingRecipients(w.sim, id);
    expect(rec.Address).toBe('new.client+open@example.com');
    expect(rec.DeliveredDate).not.toBeNull();
    expect(rec.OpenedDate).not.toBeNull();
    expect((await w.main('GET', `/email/sendings/${id}`)).body.Status).toBe('Sent');
    // The same address again: the same contact.
    const again = await w.main('POST', '/email/sendings/transactional', body('NEW.client+open@example.com'));
    await w.advance(1000);
    expect(sendingRecipients(w.sim, again.body.Result)[0].ContactID).toBe(rec.ContactID);

    const unsub = createContact(w.sim, '10001', [{ ID: 7, Value: 'gone@example.com' }, { ID: 72, Value: '7' }]);
    const bad = createContact(w.sim, '10001', [{ ID: 7, Value: 'bounced@example.com' }, { ID: 72, Value: '4' }]);
    expect(unsub.ID && bad.ID).toBeTruthy();
    expectCode(await w.main('POST', '/email/sendings/transactional', body('gone@example.com')), '458');
    expectCode(await w.main('POST', '/email/sendings/transactional', body('bounced@example.com')), '402');
    expectCode(await w.main('POST', '/email/sendings/transactional', body('not-an-address')), '402');
    expectCode(await w.main('POST', '/email/sendings/transactional', body('x@example.com', { SenderID: 2 })), '702');
    // A hard bounce reaches the contact when it happens: the address is then known bad.
    expect((await w.main('POST', '/email/sendings/transactional', body('eve+bounce@example.com'))).status).toBe(200);
    expect((await w.main('POST', '/email/sendings/transactional', body('eve+bounce@example.com'))).status).toBe(200);
    await w.advance(60_000);
    expectCode(await w.main('POST', '/email/sendings/transactional', body('eve+bounce@example.com')), '402');
    expectCode(await w.main('POST', '/email/sendings/transactional', body('x@example.com', { Subject: '' })), '36');
    expect(CATALOGUE['458']).toEqual([400, 'The contact is unsubscribed.']);
    // What the statistics area's transactional search lists for the contact, following the clock.
    const search = await w.main('POST', '/statistics/email/sendings/transactional/search', { SearchQuery: { ContactID: rec.ContactID } });
    const history = search.body.ItemList as Array<{ SendingID: number; SendingName: string; IsDelivered: boolean; Status: string }>;
    expect(history.map((h) => [h.SendingID, h.SendingName, h.IsDelivered])).toEqual([[again.body.Result, 'Order confirmation', true], [id, 'Order confirmation', true]]);
    expect(history[1].Status).toBe('Opened');
  });

  it('accepts the multipart variant with a JSV TransactionalSending part', async () => {
    const w = await world('ds-transactional-mp', {}, 0);
    const form = new FormData();
    form.append('invoice.pdf', new Blob([new Uint8Array([37, 80, 68, 70])], { type: 'application/pdf' }), 'invoice.pdf');
    form.append('TransactionalSending', '{Type:TransactionalService,Contact:{FieldList:[{ID:7,Value:jsv+click@example.com}]},Message:{Name:Invoice,Subject:Your invoice,SenderID:1,Format:html},MessageContent:{SourceCode:"<html>Hi, here it is</html>",EncodingType:UTF8}}');
    const r = await w.main('POST', '/email/sendings/transactional/attachment', form);
    expect(r.status, r.text).toBe(200);
    const s = (await w.main('GET', `/email/sendings/${r.body.Result}`)).body;
    expect(s.Name).toBe('Invoice');
    expect((await w.main('GET', `/email/sendings/${s.ID}/content`)).body.Html).toBe('<html>Hi, here it is</html>');
    await w.advance(3_600_000);
    expect(sendingRecipients(w.sim, s.ID)[0].ClickedDate).not.toBeNull();
    const json = new FormData();
    json.append('TransactionalSending', JSON.stringify(body('json@example.com').TransactionalSending));
    expect((await w.main('POST', '/email/sendings/transactional/attachment', json)).status).toBe(200);
    const broken = new FormData();
    broken.append('TransactionalSending', '{Type:TransactionalService,Contact:');
    expectCode(await w.main('POST', '/email/sendings/transactional/attachment', broken), '36');
  });
});

describe('injectors', () => {
  it('records opens, clicks, bounces and SMS STOP replies, and reaches the contact', async () => {
    const w = await world('ds-inject', { sendingDefaults: { platformRatePerSecond: 50, email: { deliverMs: 1000, hardBounceRate: 0, softBounceRate: 0, openRate: 0, clickRate: 0, unsubscribeRate: 0, complaintRate: 0, openMs: 1000, clickMs: 1000, unsubscribeMs: 1000, complaintMs: 1000 }, sms: { deliverMs: 1000, failRate: 0, failMs: 1000, timeoutMs: 1000, stopRate: 0, stopMs: 1000 } } }, 0);
    const a = createContact(w.sim, '10001', [{ ID: 7, Value: 'a@example.com' }, { ID: 14, Value: '+33611111111' }]);
    const b = createContact(w.sim, '10001', [{ ID: 7, Value: 'b@example.com' }]);
    const id = await emailSending(w, { Name: 'Inject', MessageID: message(w.sim, 'email').ID });
    await w.advance(5000);
    const { result: open } = await c.sim('POST', `/workspaces/${w.id}/inject/email-open`, { api: 'dolist', sending: id, contact: a.ID });
    expect(open.OpenedDate).toBe(at(5000));
    const { result: click } = await c.sim('POST', `/workspaces/${w.id}/inject/email-click`, { api: 'dolist', sending: id, contact: a.ID, link: 3 });
    expect(click.ClickedDate).toBe(at(5000));
    const events = trackingEventsTable(w.sim).lookup('SendingID', id).map((e) => [e.TrackingType, e.ContactID, e.LinkID]);
    expect(events).toEqual([['Open', a.ID, null], ['Click', a.ID, 3]]);
    await c.sim('POST', `/workspaces/${w.id}/inject/email-bounce`, { api: 'dolist', sending: id, contact: b.ID, type: 'hard' });
    const rb = recipientsTable(w.sim).peek(`${id}:1:${b.ID}`)!;
    expect(rb).toMatchObject({ BounceType: 'Hard', DeliveredDate: null });
    expect(valueOf(findContact(w.sim, '10001', b.ID)!, 72)).toBe('4');
    const report = await w.main('GET', `/email/sendings/${id}/report`);
    expect(report.text).toContain(';HardBounce;');
    expect(report.text).toContain(';Clicked;');
    const bad = await c.req('POST', `/_sim/workspaces/${w.id}/inject/email-open`, { body: { api: 'dolist', sending: id, contact: 424242 } });
    expect(bad.status).toBe(404);
    // Without api: a body naming no sending is Clever's, whose refusal is the one answered.
    const clever = await c.req('POST', `/_sim/workspaces/${w.id}/inject/email-open`, { body: { recipient: 'nobody@example.com' } });
    expect(clever.status).toBeGreaterThanOrEqual(400);
    expect(clever.body.error.message).not.toContain('Dolist');
    // Without api, a Dolist body is taken by Dolist.
    expect((await c.sim('POST', `/workspaces/${w.id}/inject/email-open`, { sending: id, contact: a.ID })).result.recipient).toBe(`${id}:1:${a.ID}`);

    const sms = (await w.main('POST', '/sms/sendings', { Name: 'SMS', MessageID: message(w.sim, 'sms').ID, TargetID: 1 })).body.ID;
    await w.advance(5000);
    const { result: mo } = await c.sim('POST', `/workspaces/${w.id}/inject/sms-mo`, { api: 'dolist', from: '0611111111', text: 'Stop svp' });
    expect(mo).toMatchObject({ stop: true, unsubscribed: [a.ID] });
    expect(valueOf(findContact(w.sim, '10001', a.ID)!, 72)).toBe('7');
    expect(recipientsTable(w.sim).peek(`${sms}:1:${a.ID}`)!.UnsubscribedDate).toBe(at(10_000));
    // The next SMS sending leaves the unsubscribed contact out.
    const next = (await w.main('POST', '/sms/sendings', { Name: 'SMS 2', MessageID: message(w.sim, 'sms').ID, TargetID: 1 })).body.ID;
    await w.advance(5000);
    expect(sendingRecipients(w.sim, next).map((r) => r.ContactID)).not.toContain(a.ID);
  });
});
