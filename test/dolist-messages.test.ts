// The Dolist messages area over HTTP on a manual clock: reply addresses, pack senders and SMS
// senders (uniqueness, in-use protections), email and SMS messages (reference checks, names
// unique per channel, one id counter), content and links (extraction, types, interests), the
// readiness checks in their documented order, frozen and locked messages once a sending uses
// them, duplicates, analyzers and SMS simulations as async operations (their result on the
// message and the operation; a simulation's units are those a real send debits), the tracking
// redirect (KeyCode, events, interests reaching the contact), tags, reference lists, tenancy.
// Prerequisites other areas own (packs, targets, sendings, tags) are set up through the domain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findContact } from '../src/apis/dolist/contacts.js';
import { CATALOGUE } from '../src/apis/dolist/error-catalogue.js';
import { recipientKeyCode } from '../src/apis/dolist/message-tracking.js';
import { messagesTable, smsSegmentsOf, type MessageRec } from '../src/apis/dolist/messages.js';
import { planningsTable } from '../src/apis/dolist/plannings.js';
import { launchSending } from '../src/apis/dolist/sending-engine.js';
import { recipientsTable, sendingRecipients, sendingsTable, trackingEventsTable, type SendingRec } from '../src/apis/dolist/sendings.js';
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

type W = Awaited<ReturnType<typeof dolistWorkspace>> & { ws: Workspace };

/** A workspace with a few contacts, packs 1 (allowed) and 2 (not allowed) in 10001, pack 3 in 10002, target 1. */
async function world(id: string, contacts = 6): Promise<W> {
  const w = await dolistWorkspace(c, id, { scenario: { name: 'm', fixtures: { dolist: { contactBase: { '10001': contacts, '10002': 2 }, contactBaseStatuses: {} } } } });
  const ws = c.app.runtime.require(id);
  ws.table('dolist', 'packs').put({ id: '1', ID: 1, account: '10001', Name: 'Main', IsAllowed: true });
  ws.table('dolist', 'packs').put({ id: '2', ID: 2, account: '10001', Name: 'Blocked', IsAllowed: false });
  ws.table('dolist', 'packs').put({ id: '3', ID: 3, account: '10002', Name: 'Brand B', IsAllowed: true });
  ws.table('dolist', 'targets').put({ id: '1', ID: 1, account: '10001', Name: 'All' });
  return { ...w, ws };
}

const expectError = expectDolistCode;

const HTML = '<p>Hi</p><a href="https://shop.example/promo?x=1&amp;y=2">Promo</a> <a href="[[UNSUBSCRIBE]]">Se désabonner</a> <a href="[[MIRROR]]">Voir en ligne</a> <a href="mailto:a@b.c">mail</a>';

async function sender(w: W, email = 'news@shop.example', pack = 1): Promise<number> {
  const r = await w.main('POST', `/email/messages/addresses/packs/${pack}/senders`, { Email: email, Name: 'Shop' });
  expect(r.status, r.text).toBe(201);
  return r.body.ID;
}

async function smsSender(w: W, name = 'SHOP'): Promise<number> {
  const r = await w.main('POST', '/sms/messages/senders', { Name: name });
  expect(r.status, r.text).toBe(201);
  return r.body.ID;
}

/** A ready email message (sender, subject, unsubscribe link, tracking validated). */
async function readyEmail(w: W, name = 'Spring', senderId?: number): Promise<number> {
  const sid = senderId ?? (await sender(w, `${name.toLowerCase()}@shop.example`));
  const r = await w.main('POST', '/email/messages', { Name: name, Subject: 'Spring sale', SenderID: sid, Content: { Html: HTML, Text: 'Hi' }, IsTrackingValidated: true });
  expect(r.status, r.text).toBe(201);
  return r.body.ID;
}

/** A sending of the message to target 1 (its record written through the domain), starting in `inMs`. */
function launch(w: W, messageId: number, inMs = 0): SendingRec {
  const ws = w.ws;
  const pid = planningsTable(ws).size + 1;
  const planning = inMs
    ? planningsTable(ws).put({ id: String(pid), ID: pid, account: '10001', Kind: 'OneTime', StartDate: new Date(ws.now() + inMs).toISOString(), RateVolumeID: null, RatePeriodID: null, Frequency: null, Interval: null, FilterList: [], EndDate: null, Time: null, SendingIDList: [], CreateDate: '' })
    : null;
  const m = messagesTable(ws).peek(String(messageId))!;
  const id = 7000 + sendingsTable(ws).size + 1;
  const s = sendingsTable(ws).put({
    id: String(id), ID: id, account: '10001', Channel: m.Channel, Name: `s${id}`, MessageID: m.ID, TargetID: 1, PlanningID: planning?.ID ?? null, PlanningIDList: planning ? [planning.ID] : [], SendType: 'Real', Status: 'Planned',
    ContentSnapshot: { ...m.Content }, Occurrences: [], CreateDate: '', UpdateDate: '', StartDate: null, EndDate: null, UnitsPerRecipient: m.Channel === 'sms' ? smsSegmentsOf(m).segments : 0, Token: 0,
  });
  return launchSending(ws, s);
}

const op = (w: W, id: number) => c.sim('GET', `/workspaces/${w.id}/operations/${id}?api=dolist`);

describe('reply addresses', () => {
  it('creates, lists, reads, refuses duplicates and deletes unless used', async () => {
    const w = await world('dlm-replies');
    const a = await w.main('POST', '/email/messages/addresses/replies', { Email: 'reply@shop.example', Name: 'Service client' });
    expect(a.status).toBe(201);
    expect((await w.main('POST', '/email/messages/addresses/replies', { Email: 'other@shop.example' })).status).toBe(201);
    expectError(await w.main('POST', '/email/messages/addresses/replies', { Email: 'REPLY@shop.example' }), '707');
    expectError(await w.main('POST', '/email/messages/addresses/replies', { Email: 'not-an-address' }), '36');
    const list = await w.main('GET', '/email/messages/addresses/replies?SortField=Email&SortOrder=desc&Limit=1');
    expect(list.body).toMatchObject({ Total: 2, ItemList: [{ Email: 'reply@shop.example' }] });
    const got = await w.main('GET', `/email/messages/addresses/replies/${a.body.ID}`);
    expect(got.body).toMatchObject({ ID: a.body.ID, Email: 'reply@shop.example', Name: 'Service client' });
    expectError(await w.main('GET', '/email/messages/addresses/replies/999'), '705');
    // Used by a message: kept.
    const m = await w.main('POST', '/email/messages', { Name: 'Uses reply', ReplyID: a.body.ID });
    expect(m.status).toBe(201);
    expectError(await w.main('DELETE', `/email/messages/addresses/replies/${a.body.ID}`), '706');
    expect((await w.main('DELETE', `/email/messages/${m.body.ID}`)).status).toBe(204);
    expect((await w.main('DELETE', `/email/messages/addresses/replies/${a.body.ID}`)).status).toBe(204);
    expectError(await w.main('DELETE', `/email/messages/addresses/replies/${a.body.ID}`), '705');
    // A message may no longer name it.
    expectError(await w.main('POST', '/email/messages', { Name: 'Late', ReplyID: a.body.ID }), '705');
  });

  it('keeps each account to its own addresses', async () => {
    const w = await world('dlm-replies-tenancy');
    const b = await w.mainB('POST', '/email/messages/addresses/replies', { Email: 'b@brand.example' });
    expect(b.status).toBe(201);
    expectError(await w.main('GET', `/email/messages/addresses/replies/${b.body.ID}`), '705');
    expect((await w.main('GET', '/email/messages/addresses/replies')).body.Total).toBe(0);
    expectError(await w.brandB('GET', '/email/messages/addresses/replies?AccountID=10001'), '6');
    expect((await w.brandB('GET', '/email/messages/addresses/replies')).body.Total).toBe(1);
  });
});

describe('pack senders', () => {
  it('creates senders in a pack of the account, unique per pack, listed with their Sender', async () => {
    const w = await world('dlm-packsenders');
    const id = await sender(w, 'news@shop.example');
    expectError(await w.main('POST', '/email/messages/addresses/packs/1/senders', { Email: 'NEWS@shop.example' }), '703');
    expect((await w.main('POST', '/email/messages/addresses/packs/2/senders', { Email: 'news@shop.example' })).status).toBe(201);
    expectError(await w.main('POST', '/email/messages/addresses/packs/9/senders', { Email: 'x@shop.example' }), '701');
    expectError(await w.main('POST', '/email/messages/addresses/packs/3/senders', { Email: 'x@shop.example' }), '701');
    expectError(await w.main('POST', '/email/messages/addresses/packs/1/senders', { Name: 'no address' }), '36');
    const list = await w.main('GET', '/email/messages/addresses/packsenders');
    expect(list.body.Total).toBe(2);
    expect(list.body.ItemList[0]).toMatchObject({ ID: id, PackID: 1, Email: 'news@shop.example', Sender: { ID: id, Email: 'news@shop.example', Name: 'Shop' } });
    expect((await w.main('GET', `/email/messages/addresses/packsenders/${id}`)).body.Sender.ID).toBe(id);
    expectError(await w.main('GET', '/email/messages/addresses/packsenders/999'), '702');
    expectError(await w.mainB('GET', `/email/messages/addresses/packsenders/${id}`), '702');
    expectError(await w.brandB('GET', `/email/messages/addresses/packsenders/${id}?AccountID=10001`), '6');
  });

  it('refuses to delete a sender a message uses, one by one or the whole pack (all or nothing)', async () => {
    const w = await world('dlm-packsenders-delete');
    const used = await sender(w, 'used@shop.example');
    const free = await sender(w, 'free@shop.example');
    const m = await w.main('POST', '/email/messages', { Name: 'Uses sender', SenderID: used });
    expect(m.status).toBe(201);
    expect((await w.main('GET', `/email/messages/${m.body.ID}`)).body.PackID).toBe(1);
    expectError(await w.main('DELETE', `/email/messages/addresses/packsenders/${used}`), '704');
    expectError(await w.main('DELETE', '/email/messages/addresses/packs/1/senders'), '704');
    expect((await w.main('GET', '/email/messages/addresses/packsenders')).body.Total).toBe(2);
    expect((await w.main('DELETE', `/email/messages/addresses/packsenders/${free}`)).status).toBe(204);
    expectError(await w.main('DELETE', `/email/messages/addresses/packsenders/${free}`), '702');
    expect((await w.main('PUT', `/email/messages/${m.body.ID}`, { SenderID: null })).status).toBe(204);
    expect((await w.main('DELETE', '/email/messages/addresses/packs/1/senders')).status).toBe(204);
    expect((await w.main('GET', '/email/messages/addresses/packsenders')).body.Total).toBe(0);
    expectError(await w.main('DELETE', '/email/messages/addresses/packs/3/senders'), '701');
    expectError(await w.main('PUT', `/email/messages/${m.body.ID}`, { SenderID: used }), '702');
  });
});

describe('SMS senders', () => {
  it('creates, renames, refuses duplicates and deletes unless used', async () => {
    const w = await world('dlm-smssenders');
    const a = await smsSender(w, 'SHOP');
    const b = await smsSender(w, 'PROMO');
    expectError(await w.main('POST', '/sms/messages/senders', { Name: 'shop' }), '1201');
    expectError(await w.main('POST', '/sms/messages/senders', { Name: 'A name far too long' }), '36');
    expect((await w.main('PUT', `/sms/messages/senders/${b}`, { Name: 'DEALS' })).status).toBe(204);
    expectError(await w.main('PUT', `/sms/messages/senders/${b}`, { Name: 'SHOP' }), '1201');
    expectError(await w.main('PUT', '/sms/messages/senders/999', { Name: 'X' }), '1202');
    const list = await w.main('GET', '/sms/messages/senders');
    expect(list.body.ItemList.map((s: { Name: string }) => s.Name)).toEqual(['SHOP', 'DEALS']);
    const m = await w.main('POST', '/sms/messages', { Name: 'Uses SHOP', SenderID: a, Text: 'Hi STOP 36111' });
    expect(m.status).toBe(201);
    expectError(await w.main('DELETE', `/sms/messages/senders/${a}`), '704');
    expect((await w.main('DELETE', `/sms/messages/senders/${b}`)).status).toBe(204);
    expectError(await w.main('DELETE', `/sms/messages/senders/${b}`), '1202');
    expectError(await w.mainB('DELETE', `/sms/messages/senders/${a}`), '1202');
    expectError(await w.brandB('GET', '/sms/messages/senders?AccountID=10001'), '6');
  });
});

describe('email messages', () => {
  it('creates with its references checked in order, lists by Channel, reads, updates, searches', async () => {
    const w = await world('dlm-email');
    const sid = await sender(w);
    const reply = (await w.main('POST', '/email/messages/addresses/replies', { Email: 'r@shop.example' })).body.ID;
    expectError(await w.main('POST', '/email/messages', { Name: 'x', Culture: 'xx-XX', PackID: 9, ReplyID: 99, SenderID: 99 }), '41');
    expectError(await w.main('POST', '/email/messages', { Name: 'x', PackID: 9, ReplyID: 99, SenderID: 99 }), '701');
    expectError(await w.main('POST', '/email/messages', { Name: 'x', PackID: 1, ReplyID: 99, SenderID: 99 }), '705');
    expectError(await w.main('POST', '/email/messages', { Name: 'x', PackID: 1, ReplyID: reply, SenderID: 99 }), '702');
    expectError(await w.main('POST', '/email/messages', { Subject: 'no name' }), '710');
    expectError(await w.main('POST', '/email/messages', { Name: 'bad encoding', EncodingID: 99 }), '710');
    const r = await w.main('POST', '/email/messages', { Name: 'Spring', Subject: 'Sale', SenderID: sid, ReplyID: reply, Culture: 'en-gb' });
    expect(r.status).toBe(201);
    expectError(await w.main('POST', '/email/messages', { Name: 'SPRING' }), '709');
    const got = await w.main('GET', `/email/messages/${r.body.ID}`);
    expect(got.body).toMatchObject({ ID: r.body.ID, Name: 'Spring', Subject: 'Sale', SenderID: sid, ReplyID: reply, PackID: 1, Culture: 'en-GB', EncodingID: 1, FormatID: 1, IsTrackingValidated: false, IsFrozen: false, IsLocked: false, LinkCount: 0 });
    expect(got.body.CreateDate).toBe('2026-03-02T09:00:00.000Z');

    const other = await w.main('POST', '/email/messages', { Name: 'Summer' });
    expect((await w.main('GET', '/email/messages?Channel=Email')).body.Total).toBe(2);
    expect((await w.main('GET', '/email/messages?Channel=sms')).body).toEqual({ ItemList: [], Total: 0 });
    expectError(await w.main('GET', '/email/messages?Channel=Fax'), '36');

    await w.advance(60_000);
    expectError(await w.main('PUT', `/email/messages/${r.body.ID}`, { Culture: 'zz' }), '41');
    expectError(await w.main('PUT', `/email/messages/${r.body.ID}`, { ReplyID: 999 }), '705');
    expectError(await w.main('PUT', `/email/messages/${r.body.ID}`, { SenderID: 999 }), '702');
    expectError(await w.main('PUT', `/email/messages/${r.body.ID}`, { Name: 'summer' }), '709');
    expectError(await w.main('PUT', `/email/messages/${r.body.ID}`, { FormatID: 42 }), '711');
    expectError(await w.main('PUT', '/email/messages/999', { Name: 'x' }), '708');
    expect((await w.main('PUT', `/email/messages/${r.body.ID}`, { Name: 'Spring 2026', Subject: 'Big sale', FormatID: 3 })).status).toBe(204);
    const after = (await w.main('GET', `/email/messages/${r.body.ID}`)).body;
    expect(after).toMatchObject({ Name: 'Spring 2026', Subject: 'Big sale', FormatID: 3, Culture: 'en-GB' });
    expect(after.UpdateDate).toBe('2026-03-02T09:01:00.000Z');

    const search = await w.main('POST', '/email/messages/search', { SearchValue: 'big', Limit: 10 });
    expect(search.body.ItemList.map((m: { ID: number }) => m.ID)).toEqual([r.body.ID]);
    expect((await w.main('POST', '/email/messages/search', { Name: 'SUMMER' })).body.ItemList[0].ID).toBe(other.body.ID);
    expect((await w.main('POST', '/email/messages/search', { CreatedAfter: '2026-03-02T10:00:00Z' })).body.Total).toBe(0);
    expect((await w.main('POST', '/email/messages/search', { SortField: 'Name', SortOrder: 'desc', Offset: 1 })).body).toMatchObject({ Total: 2, ItemList: [{ Name: 'Spring 2026' }] });
  });

  it('shares one id counter with SMS messages; names are unique per channel; other accounts see nothing', async () => {
    const w = await world('dlm-ids');
    const e = (await w.main('POST', '/email/messages', { Name: 'Same' })).body.ID;
    const s = (await w.main('POST', '/sms/messages', { Name: 'Same', Text: 'x' })).body.ID;
    expect(s).toBe(e + 1);
    expectError(await w.main('GET', `/email/messages/${s}`), '708');
    expectError(await w.main('GET', `/sms/messages/${e}`), '708');
    expectError(await w.main('DELETE', `/email/messages/${s}`), '708');
    expectError(await w.mainB('GET', `/email/messages/${e}`), '708');
    expect((await w.mainB('GET', '/email/messages?Channel=Email')).body.Total).toBe(0);
    expectError(await w.brandB('GET', `/email/messages/${e}?AccountID=10001`), '6');
    expect((await w.mainB('POST', '/email/messages', { Name: 'Same' })).status).toBe(201);
  });

  it('extracts links from the content, keeps unchanged ones, resets the tracking validation', async () => {
    const w = await world('dlm-content');
    const id = await readyEmail(w);
    expect((await w.main('GET', `/email/messages/${id}`)).body).toMatchObject({ IsTrackingValidated: true, LinkCount: 3 });
    const content = await w.main('GET', `/email/messages/${id}/content`);
    expect(content.body).toMatchObject({ Html: HTML, Text: 'Hi' });
    expect(content.body.Size).toBe(Buffer.byteLength(HTML) + 2);
    const links = (await w.main('GET', `/email/messages/${id}/links?LinkTypeList=Tracked,Unsubscribe,Mirror`)).body;
    expect(links.ItemList.map((l: { LinkType: string; Url: string }) => [l.LinkType, l.Url])).toEqual([
      ['Tracked', 'https://shop.example/promo?x=1&y=2'],
      ['Unsubscribe', '[[UNSUBSCRIBE]]'],
      ['Mirror', '[[MIRROR]]'],
    ]);
    const promo = links.ItemList[0];
    expect(promo).toMatchObject({ Name: 'Promo', IsTracked: true, InterestIDList: [] });
    expect((await w.main('GET', `/email/messages/${id}/links?LinkTypeList=unsubscribe`)).body.Total).toBe(1);
    expect((await w.main('GET', `/email/messages/${id}/links?LinkTypeList=1`)).body.ItemList[0].LinkID).toBe(promo.LinkID);
    expectError(await w.main('GET', `/email/messages/${id}/links?LinkTypeList=Banner`), '36');
    expectError(await w.main('GET', `/email/messages/999/links?LinkTypeList=Tracked`), '708');

    const html2 = '<a href="https://shop.example/promo?x=1&y=2">Promo</a><a href="https://shop.example/new">New</a><a href="https://shop.example/unsubscribe?u=1">Stop</a>';
    expect((await w.main('PUT', `/email/messages/${id}/content`, { Html: html2 })).status).toBe(204);
    const after = (await w.main('GET', `/email/messages/${id}/links?LinkTypeList=Tracked,Unsubscribe,Mirror`)).body.ItemList;
    expect(after[0].LinkID).toBe(promo.LinkID);
    expect(after.map((l: { LinkType: string }) => l.LinkType)).toEqual(['Tracked', 'Tracked', 'Unsubscribe']);
    expect(after[1].LinkID).toBeGreaterThan(promo.LinkID);
    const m = (await w.main('GET', `/email/messages/${id}`)).body;
    expect(m).toMatchObject({ IsTrackingValidated: false, LinkCount: 3 });
    expect((await w.main('GET', `/email/messages/${id}/content`)).body.Text).toBe('Hi');
    expectError(await w.main('PUT', '/email/messages/999/content', { Html: '' }), '708');
    // The production spelling: SourceCode, wrapped or not.
    expect((await w.main('PUT', `/email/messages/${id}/content`, { SourceCode: '<a href="https://a.example/x">x</a>' })).status).toBe(204);
    expect((await w.main('GET', `/email/messages/${id}/content`)).body).toMatchObject({ Html: '<a href="https://a.example/x">x</a>', Text: 'Hi' });
    const t = await w.main('POST', '/email/messages', { Name: 'Wrapped', MessageContent: { SourceCode: '<p>[[UNSUBSCRIBE]]</p>', Text: 'T' } });
    expect((await w.main('GET', `/email/messages/${t.body.ID}/content`)).body).toMatchObject({ Html: '<p>[[UNSUBSCRIBE]]</p>', Text: 'T' });
  });

  it('reads and changes a link and its interests (Add, Remove, Replace), grouped by interest group', async () => {
    const w = await world('dlm-links');
    const id = await readyEmail(w);
    const link = (await w.main('GET', `/email/messages/${id}/links?LinkTypeList=Tracked`)).body.ItemList[0].LinkID;
    expect((await w.main('GET', `/email/messages/${id}/links/${link}`)).body).toMatchObject({ LinkID: link, ID: link, LinkType: 'Tracked' });
    expectError(await w.main('GET', `/email/messages/${id}/links/999999`), '719');
    expectError(await w.main('GET', `/email/messages/999/links/${link}`), '708');
    expect((await w.main('PUT', `/email/messages/${id}/links/${link}`, { Name: 'Main offer' })).status).toBe(204);
    expect((await w.main('GET', `/email/messages/${id}`)).body.IsTrackingValidated).toBe(true);
    expect((await w.main('PUT', `/email/messages/${id}/links/${link}`, { Url: 'https://shop.example/spring' })).status).toBe(204);
    expect((await w.main('GET', `/email/messages/${id}/links/${link}`)).body).toMatchObject({ Name: 'Main offer', Url: 'https://shop.example/spring' });
    expect((await w.main('GET', `/email/messages/${id}/content`)).body.Html).toContain('href="https://shop.example/spring"');
    expect((await w.main('GET', `/email/messages/${id}`)).body.IsTrackingValidated).toBe(false);
    expectError(await w.main('PUT', `/email/messages/${id}/links/${link}`, { LinkType: 'Banner' }), '36');
    expectError(await w.main('PUT', `/email/messages/${id}/links/999999`, { Name: 'x' }), '719');

    const put = (mode: string, ids: number[]) => w.main('PUT', `/email/messages/${id}/links/${link}/interests?OperationMode=${mode}`, { InterestIDList: ids });
    expect((await put('Add', [5001, 5005])).status).toBe(204);
    expect((await put('add', [5002])).status).toBe(204);
    expect((await w.main('GET', `/email/messages/${id}/links/${link}`)).body.InterestIDList).toEqual([5001, 5002, 5005]);
    expectError(await put('Add', [5003, 5009]), '432'); // 5009 is account 10002's
    expect((await w.main('GET', `/email/messages/${id}/links/${link}`)).body.InterestIDList).toEqual([5001, 5002, 5005]);
    expect((await put('Remove', [5002])).status).toBe(204);
    const groups = (await w.main('GET', `/email/messages/${id}/links/${link}/groupinterests`)).body;
    expect(groups).toEqual({
      Total: 2,
      ItemList: [
        { ID: 501, Name: "Centres d'intérêt", InterestList: [{ ID: 5001, Name: 'Sport' }] },
        { ID: 502, Name: 'Préférences de contact', InterestList: [{ ID: 5005, Name: 'Newsletter hebdomadaire' }] },
      ],
    });
    expect((await put('Replace', [5004])).status).toBe(204);
    expect((await w.main('GET', `/email/messages/${id}/links/${link}`)).body.InterestIDList).toEqual([5004]);
    expectError(await put('Toggle', [5004]), '36');
    expectError(await w.main('PUT', `/email/messages/${id}/links/999999/interests?OperationMode=Add`, { InterestIDList: [5001] }), '719');
    expectError(await w.main('GET', `/email/messages/${id}/links/999999/groupinterests`), '719');
    expect((await put('Replace', [])).status).toBe(204);
    expect((await w.main('GET', `/email/messages/${id}/links/${link}/groupinterests`)).body).toEqual({ ItemList: [], Total: 0 });
  });

  it('checks readiness in order: sender, unsubscribe link, pack, subject, tracking', async () => {
    const w = await world('dlm-check');
    const m = (await w.main('POST', '/email/messages', { Name: 'Draft' })).body.ID;
    const check = () => w.main('GET', `/email/messages/${m}/check?SendType=Real`);
    expectError(await check(), '702');
    expectError(await w.main('GET', `/email/messages/${m}/check?SendType=Later`), '36');
    expectError(await w.main('GET', '/email/messages/999/check?SendType=Test'), '708');
    const blocked = await sender(w, 'b@shop.example', 2);
    expect((await w.main('PUT', `/email/messages/${m}`, { SenderID: blocked })).status).toBe(204);
    expectError(await check(), '720');
    expect((await w.main('PUT', `/email/messages/${m}/content`, { Html: HTML })).status).toBe(204);
    expectError(await check(), '723');
    expect((await w.main('PUT', `/email/messages/${m}`, { SenderID: await sender(w, 'ok@shop.example', 1) })).status).toBe(204);
    expectError(await check(), '722');
    expect((await w.main('PUT', `/email/messages/${m}`, { Subject: 'Hello' })).status).toBe(204);
    expectError(await check(), '721');
    expect((await w.main('PUT', `/email/messages/${m}`, { IsTrackingValidated: true })).status).toBe(204);
    expect((await check()).status).toBe(204);
    expect((await w.main('GET', `/email/messages/${m}/check?SendType=test`)).status).toBe(204);
    // Too big for a send.
    expect((await w.main('PUT', `/email/messages/${m}`, { Content: { Text: 'x'.repeat(1_048_577) }, IsTrackingValidated: true })).status).toBe(204);
    expectError(await check(), '725');
  });

  it('freezes a message a sending used and locks it while the sending runs; a duplicate is free', async () => {
    const w = await world('dlm-frozen');
    const id = await readyEmail(w);
    const link = (await w.main('GET', `/email/messages/${id}/links?LinkTypeList=Tracked`)).body.ItemList[0].LinkID;
    const s = launch(w, id, 3_600_000);
    expect((await w.main('GET', `/email/messages/${id}`)).body).toMatchObject({ IsFrozen: true, IsLocked: true, LockedBySendingID: s.ID });
    expectError(await w.main('DELETE', `/email/messages/${id}`), '728');
    expectError(await w.main('PUT', `/email/messages/${id}`, { Subject: 'changed' }), '711');
    expectError(await w.main('PUT', `/email/messages/${id}/content`, { Html: '<p>new</p>' }), '716');
    expectError(await w.main('PUT', `/email/messages/${id}/links/${link}`, { Name: 'x' }), '718');
    expectError(await w.main('PUT', `/email/messages/${id}/links/${link}/interests?OperationMode=Add`, { InterestIDList: [5001] }), '718');
    expect((await w.main('GET', `/email/messages/${id}/check?SendType=Real`)).status).toBe(204);

    const d1 = await w.main('POST', `/email/messages/${id}/duplicate`);
    expect(d1.status).toBe(201);
    const copy = (await w.main('GET', `/email/messages/${d1.body.ID}`)).body;
    expect(copy).toMatchObject({ Name: 'Spring (copie)', Subject: 'Spring sale', IsFrozen: false, IsLocked: false, LinkCount: 3, IsTrackingValidated: true });
    const copyLinks = (await w.main('GET', `/email/messages/${d1.body.ID}/links?LinkTypeList=Tracked,Unsubscribe,Mirror`)).body.ItemList;
    expect(copyLinks[0].Url).toBe('https://shop.example/promo?x=1&y=2');
    expect(copyLinks[0].LinkID).not.toBe(link);
    expect((await w.main('GET', `/email/messages/${d1.body.ID}/content`)).body.Html).toBe(HTML);
    expect((await w.main('PUT', `/email/messages/${d1.body.ID}`, { Subject: 'Changed' })).status).toBe(204);
    expect((await w.main('POST', `/email/messages/${id}/duplicate`, {})).status).toBe(201);
    expect((await w.main('POST', '/email/messages/search', { Name: 'Spring (copie 2)' })).body.Total).toBe(1);
    expect((await w.main('POST', `/email/messages/${id}/duplicate`, { Name: 'Autumn' })).status).toBe(201);
    expectError(await w.main('POST', `/email/messages/${id}/duplicate`, { Name: 'autumn' }), '709');
    expectError(await w.main('POST', '/email/messages/999/duplicate'), '708');

    // The sending ends: the lock goes, the freeze stays.
    await w.advance(3_600_000 + 60_000);
    expect(sendingsTable(w.ws).peek(s.id)!.Status).toBe('Sent');
    expect((await w.main('GET', `/email/messages/${id}`)).body).toMatchObject({ IsFrozen: true, IsLocked: false });
    expectError(await w.main('DELETE', `/email/messages/${id}`), '712');
    expect((await w.main('POST', '/email/messages/search', { IsFrozen: true })).body.Total).toBe(1);
    // An unused message is deleted.
    expect((await w.main('DELETE', `/email/messages/${d1.body.ID}`)).status).toBe(204);
    expectError(await w.main('GET', `/email/messages/${d1.body.ID}`), '708');
  });

  it('runs analyzers as async operations: the result lands on the message and the operation', async () => {
    const w = await world('dlm-analyzer');
    const id = await readyEmail(w);
    const r = await w.main('POST', `/email/messages/${id}/analyzer/async`);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ Type: 'EmailAnalyzer', Status: 'Pending' });
    expect((await w.main('GET', `/email/messages/${id}`)).body.LastAnalysis).toBeUndefined();
    await w.advance(2_000);
    const job = await op(w, r.body.ID);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ SubjectLength: 11, HasTextPart: true, LinkCount: 3, HasUnsubscribeLink: true });
    const last = (await w.main('GET', `/email/messages/${id}`)).body.LastAnalysis;
    expect(last).toMatchObject({ OperationID: r.body.ID, Result: job.result });
    expectError(await w.main('POST', '/email/messages/999/analyzer/async'), '708');

    const before = messagesTable(w.ws).size;
    const d = await w.main('POST', '/email/messages/draft/analyzer/async', { Subject: 'FREE CASH!!!', Html: '<img src="a.png"><p>x</p>' });
    expect(d.body.Type).toBe('EmailDraftAnalyzer');
    await w.advance(2_000);
    const dj = await op(w, d.body.ID);
    expect(dj.result).toMatchObject({ HasTextPart: false, HasUnsubscribeLink: false, ImageCount: 1 });
    expect(dj.result.SpamScore).toBeGreaterThan(5);
    expect(messagesTable(w.ws).size).toBe(before);
    // A draft based on a stored message takes its content by default.
    const based = await w.main('POST', '/email/messages/draft/analyzer/async', { MessageID: id });
    await w.advance(2_000);
    expect((await op(w, based.body.ID)).result).toMatchObject({ LinkCount: 3 });
    expectError(await w.main('POST', '/email/messages/draft/analyzer/async', { MessageID: 999 }), '708');
  });

  it('lists the tags on a message', async () => {
    const w = await world('dlm-tags');
    const id = await readyEmail(w);
    w.ws.table('dolist', 'tags').put({ id: '1', ID: 1, account: '10001', Name: 'Promo', ColorID: 2, CreateDate: '', UpdateDate: '' });
    w.ws.table('dolist', 'tags').put({ id: '2', ID: 2, account: '10001', Name: 'Spring', ColorID: 3, CreateDate: '', UpdateDate: '' });
    w.ws.table('dolist', 'tag_items').put({ id: `2:EmailMessage:${id}`, account: '10001', TagID: 2, ItemType: 'EmailMessage', ItemID: id });
    w.ws.table('dolist', 'tag_items').put({ id: `1:EmailMessage:${id}`, account: '10001', TagID: 1, ItemType: 'EmailMessage', ItemID: id });
    w.ws.table('dolist', 'tag_items').put({ id: `1:SmsMessage:${id}`, account: '10001', TagID: 1, ItemType: 'SmsMessage', ItemID: id + 100 });
    expect((await w.main('GET', `/email/messages/${id}/tags`)).body).toEqual({ Total: 2, ItemList: [{ ID: 1, Name: 'Promo', ColorID: 2 }, { ID: 2, Name: 'Spring', ColorID: 3 }] });
    expect((await w.main('POST', '/email/messages/search', { TagIDList: [1, 2] })).body.ItemList[0].ID).toBe(id);
    expect((await w.main('POST', '/email/messages/search', { TagIDList: [3] })).body.Total).toBe(0);
    expectError(await w.main('GET', '/email/messages/999/tags'), '708');
    const sms = (await w.main('POST', '/sms/messages', { Name: 'T', Text: 'x' })).body.ID;
    expect((await w.main('GET', `/sms/messages/${sms}/tags`)).body).toEqual({ ItemList: [], Total: 0 });
    expectError(await w.main('GET', `/sms/messages/${id}/tags`), '708');
  });

  it('serves the reference lists from the fixtures', async () => {
    const w = await world('dlm-refs');
    expect((await w.main('GET', '/email/messages/linktypes')).body.ItemList.map((t: { Name: string }) => t.Name)).toEqual(['Tracked', 'Unsubscribe', 'Mirror']);
    expect((await w.main('GET', '/email/messages/encodings')).body.ItemList[0]).toEqual({ ID: 1, Name: 'UTF-8' });
    expect((await w.main('GET', '/email/messages/formats')).body.Total).toBe(3);
    const cultures = (await w.main('GET', '/email/messages/cultures')).body;
    expect(cultures.ItemList[0]).toEqual({ ID: 1, Code: 'fr-FR', Name: 'Français (France)', SmsStopText: 'STOP 36111' });
    expect((await w.main('GET', '/sms/messages/cultures')).body.Total).toBe(cultures.Total);
    expect((await w.main('GET', '/sms/messages/encodings')).body.ItemList).toEqual([{ ID: 1, Name: 'GSM-7' }, { ID: 2, Name: 'UCS-2' }]);
    expectError(await w.brandB('GET', '/email/messages/linktypes?AccountID=10001'), '6');
  });
});

describe('tracking redirect', () => {
  it('answers the URL, and with SaveEvent and a valid KeyCode records the click and its effects', async () => {
    const w = await world('dlm-tracking', 3);
    const id = await readyEmail(w);
    const link = (await w.main('GET', `/email/messages/${id}/links?LinkTypeList=Tracked`)).body.ItemList[0].LinkID;
    expect((await w.main('PUT', `/email/messages/${id}/links/${link}/interests?OperationMode=Add`, { InterestIDList: [5003] })).status).toBe(204);
    const s = launch(w, id);
    await w.advance(1_000);
    const r = sendingRecipients(w.ws, s.ID).find((x) => x.DeliveredDate !== null)!;
    expect(r).toBeDefined();
    await w.advance(10_000); // delivered by now
    const key = recipientKeyCode(w.ws, s.ID, r.ContactID, r.OccurrenceID);
    const url = (extra: string) =>
      `/email/messages/trackings/${link}?SendingID=${s.ID}&OccurrenceID=${r.OccurrenceID}&ContactID=${r.ContactID}&IpAddress=1.2.3.4&UserAgent=Mozilla%2F5.0&Referer=x&${extra}`;
    const events = () => trackingEventsTable(w.ws).all().filter((e) => e.SendingID === s.ID).length;
    const before = events();

    const dry = await w.main('GET', url(`KeyCode=${key}&SaveEvent=false&QueryString=utm_source%3Dmail`));
    expect(dry.body).toEqual({ LinkID: link, Url: 'https://shop.example/promo?x=1&y=2&utm_source=mail', IsSaved: false });
    const bad = await w.main('GET', url('KeyCode=nope&SaveEvent=true'));
    expect(bad.body.IsSaved).toBe(false);
    expect(events()).toBe(before);

    const hadInterest = Boolean(findContact(w.ws, '10001', r.ContactID)!.Interests['5003']);
    expect(hadInterest).toBe(false);
    const ok = await w.main('GET', url(`KeyCode=${key}&SaveEvent=true`));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ LinkID: link, Url: 'https://shop.example/promo?x=1&y=2', IsSaved: true });
    expect(events()).toBe(before + 1);
    const ev = trackingEventsTable(w.ws).all().filter((e) => e.SendingID === s.ID).pop()!;
    expect(ev).toMatchObject({ TrackingType: 'Click', LinkID: link, ContactID: r.ContactID, UserAgent: 'Mozilla/5.0', IpAddress: '1.2.3.4' });
    const rec = recipientsTable(w.ws).peek(r.id)!;
    const now = Date.parse('2026-03-02T09:00:11.000Z');
    expect(Date.parse(rec.ClickedDate!)).toBeLessThanOrEqual(now);
    expect(Date.parse(rec.OpenedDate!)).toBeLessThanOrEqual(Date.parse(rec.ClickedDate!));
    expect(findContact(w.ws, '10001', r.ContactID)!.Interests['5003']).toMatchObject({ Origin: 5 });

    // The unsubscribe link followed: the recipient and the contact unsubscribe.
    const unsub = (await w.main('GET', `/email/messages/${id}/links?LinkTypeList=Unsubscribe`)).body.ItemList[0].LinkID;
    expect(findContact(w.ws, '10001', r.ContactID)!.Values['72']).not.toBe('7');
    const u = await w.main('GET', url(`KeyCode=${key}&SaveEvent=true`).replace(`/trackings/${link}?`, `/trackings/${unsub}?`));
    expect(u.body).toEqual({ LinkID: unsub, Url: '[[UNSUBSCRIBE]]', IsSaved: true });
    expect(findContact(w.ws, '10001', r.ContactID)!.Values['72']).toBe('7');
    expect(Date.parse(recipientsTable(w.ws).peek(r.id)!.UnsubscribedDate!)).toBeLessThanOrEqual(now);

    // An open pixel: an Open event.
    expect((await w.main('GET', url(`KeyCode=${key}&SaveEvent=true&TrackingType=Open`))).body.IsSaved).toBe(true);
    expect(trackingEventsTable(w.ws).all().filter((e) => e.SendingID === s.ID).pop()!.TrackingType).toBe('Open');
    // Unknown link: [719]; a recipient that does not exist: nothing recorded.
    expectError(await w.main('GET', `/email/messages/trackings/999999?SendingID=${s.ID}&OccurrenceID=1&ContactID=1&KeyCode=x&IpAddress=a&UserAgent=b&Referer=c&SaveEvent=true`), '719');
    const ghost = await w.main('GET', `/email/messages/trackings/${link}?SendingID=${s.ID}&OccurrenceID=9&ContactID=${r.ContactID}&KeyCode=${key}&IpAddress=a&UserAgent=b&Referer=c&SaveEvent=true`);
    expect(ghost.body.IsSaved).toBe(false);
    expectError(await w.mainB('GET', url(`KeyCode=${key}&SaveEvent=true`)), '719');
    expectError(await w.brandB('GET', `${url(`KeyCode=${key}&SaveEvent=true`)}&AccountID=10001`), '6');
  });
});

describe('SMS messages', () => {
  it('creates with its references checked, derives encoding and segments, updates with [1202]', async () => {
    const w = await world('dlm-sms');
    const sid = await smsSender(w);
    expectError(await w.main('POST', '/sms/messages', { Name: 'x', Culture: 'xx', SenderID: 99 }), '41');
    expectError(await w.main('POST', '/sms/messages', { Name: 'x', SenderID: 99 }), '702');
    expectError(await w.main('POST', '/sms/messages', { Text: 'no name' }), '710');
    const r = await w.main('POST', '/sms/messages', { Name: 'Flash', SenderID: sid, Text: 'Promo -20% ce week-end. STOP 36111' });
    expect(r.status).toBe(201);
    expectError(await w.main('POST', '/sms/messages', { Name: 'flash' }), '709');
    expect((await w.main('GET', `/sms/messages/${r.body.ID}`)).body).toMatchObject({ Name: 'Flash', SenderID: sid, Culture: 'fr-FR', Encoding: 'GSM-7', EncodingID: 1, CharacterCount: 34, SegmentCount: 1, IsFrozen: false, IsLocked: false });
    expect((await w.main('GET', '/sms/messages?Channel=Sms')).body.Total).toBe(1);
    expect((await w.main('GET', '/sms/messages?Channel=Email')).body.Total).toBe(0);
    expectError(await w.main('GET', '/sms/messages?Channel=x'), '36');

    expectError(await w.main('PUT', `/sms/messages/${r.body.ID}`, { SenderID: 99 }), '1202');
    expectError(await w.main('PUT', `/sms/messages/${r.body.ID}`, { Culture: 'xx' }), '41');
    const other = (await w.main('POST', '/sms/messages', { Name: 'Other' })).body.ID;
    expectError(await w.main('PUT', `/sms/messages/${other}`, { Name: 'FLASH' }), '709');
    expectError(await w.main('PUT', '/sms/messages/999', { Name: 'x' }), '708');
    expect((await w.main('PUT', `/sms/messages/${r.body.ID}`, { Name: 'Flash sale' })).status).toBe(204);

    expect((await w.main('GET', `/sms/messages/${r.body.ID}/content`)).body).toEqual({ Text: 'Promo -20% ce week-end. STOP 36111' });
    expect((await w.main('PUT', `/sms/messages/${r.body.ID}/content`, { Text: 'Soldes 🎉 STOP 36111' })).status).toBe(204);
    expect((await w.main('GET', `/sms/messages/${r.body.ID}`)).body).toMatchObject({ Encoding: 'UCS-2', EncodingID: 2, SegmentCount: 1 });
    expectError(await w.main('GET', '/sms/messages/999/content'), '708');
    expectError(await w.main('PUT', '/sms/messages/999/content', { Text: 'x' }), '708');

    expect((await w.main('POST', '/sms/messages/search', { SearchValue: 'flash' })).body.Total).toBe(1);
    const dup = await w.main('POST', `/sms/messages/${r.body.ID}/duplicate`);
    expect(dup.status).toBe(201);
    expect((await w.main('GET', `/sms/messages/${dup.body.ID}/content`)).body.Text).toBe('Soldes 🎉 STOP 36111');
    expect((await w.main('GET', `/sms/messages/${dup.body.ID}`)).body.Name).toBe('Flash sale (copie)');
    expectError(await w.main('POST', '/sms/messages/999/duplicate'), '708');
    expect((await w.main('DELETE', `/sms/messages/${dup.body.ID}`)).status).toBe(204);
    expectError(await w.main('DELETE', `/sms/messages/${dup.body.ID}`), '708');
    expectError(await w.mainB('GET', `/sms/messages/${r.body.ID}`), '708');
    expectError(await w.brandB('GET', `/sms/messages/${r.body.ID}?AccountID=10001`), '6');
  });

  it('checks readiness: STOP mention, sender, culture key value, segments; drafts too', async () => {
    const w = await world('dlm-sms-check');
    const m = (await w.main('POST', '/sms/messages', { Name: 'C', Text: 'Hello' })).body.ID;
    const check = () => w.main('GET', `/sms/messages/${m}/check?SendType=Real`);
    expectError(await check(), '1207');
    expect((await w.main('PUT', `/sms/messages/${m}/content`, { Text: 'Hello STOP 36111' })).status).toBe(204);
    expectError(await check(), '702');
    const sid = await smsSender(w);
    expect((await w.main('PUT', `/sms/messages/${m}`, { SenderID: sid, Culture: 'nl-BE' })).status).toBe(204);
    expectError(await check(), '223');
    expect((await w.main('PUT', `/sms/messages/${m}`, { Culture: 'fr-FR', Text: `${'x'.repeat(153 * 11)} STOP` })).status).toBe(204);
    expectError(await check(), '724');
    expect((await w.main('PUT', `/sms/messages/${m}/content`, { Text: 'Hello STOP 36111' })).status).toBe(204);
    expect((await check()).status).toBe(204);
    expectError(await w.main('GET', `/sms/messages/${m}/check?SendType=Soon`), '36');
    expectError(await w.main('GET', '/sms/messages/999/check?SendType=Real'), '708');

    expectError(await w.main('POST', '/sms/messages/draft/check', { Text: 'Hi' }), '1207');
    expectError(await w.main('POST', '/sms/messages/draft/check', { Text: 'Hi STOP' }), '702');
    expectError(await w.main('POST', '/sms/messages/draft/check', { Text: 'Hi STOP', SenderID: 999 }), '702');
    expect((await w.main('POST', '/sms/messages/draft/check', { Text: 'Hi STOP', SenderID: sid })).status).toBe(204);
  });

  it('freezes a used SMS message and locks it while its sending runs', async () => {
    const w = await world('dlm-sms-frozen', 3);
    const sid = await smsSender(w);
    const m = (await w.main('POST', '/sms/messages', { Name: 'F', SenderID: sid, Text: 'Hi STOP 36111' })).body.ID;
    launch(w, m, 600_000);
    expectError(await w.main('DELETE', `/sms/messages/${m}`), '728');
    expectError(await w.main('PUT', `/sms/messages/${m}`, { Name: 'G' }), '711');
    expectError(await w.main('PUT', `/sms/messages/${m}/content`, { Text: 'new STOP' }), '716');
    await w.advance(660_000);
    expectError(await w.main('DELETE', `/sms/messages/${m}`), '712');
    expect((await w.main('GET', `/sms/messages/${m}`)).body).toMatchObject({ IsFrozen: true, IsLocked: false });
  });

  it('analyzes SMS texts asynchronously', async () => {
    const w = await world('dlm-sms-analyzer');
    const m = (await w.main('POST', '/sms/messages', { Name: 'A', Text: `${'a'.repeat(200)} STOP` })).body.ID;
    const r = await w.main('POST', `/sms/messages/${m}/analyzer/async`, {});
    expect(r.body).toMatchObject({ Type: 'SmsAnalyzer', Status: 'Pending' });
    await w.advance(2_000);
    const expected = { CharacterCount: 205, Encoding: 'GSM-7', SegmentCount: 2, HasStopMention: true };
    expect((await op(w, r.body.ID)).result).toMatchObject(expected);
    expect((await w.main('GET', `/sms/messages/${m}`)).body.LastAnalysis).toMatchObject({ OperationID: r.body.ID, Result: expected });
    expectError(await w.main('POST', '/sms/messages/999/analyzer/async'), '708');
    const d = await w.main('POST', '/sms/messages/draft/analyzer/async', { Text: 'Ça fait 5€' });
    await w.advance(2_000);
    expect((await op(w, d.body.ID)).result).toMatchObject({ Encoding: 'GSM-7', HasStopMention: false, SegmentCount: 1 });
  });

  it('simulates a send: the units are those a real send of the message to the target debits', async () => {
    const w = await world('dlm-sms-sim', 8);
    const sid = await smsSender(w);
    const text = `${'Offre '.repeat(30)}STOP 36111`; // 190 GSM-7 characters: 2 segments
    const m = (await w.main('POST', '/sms/messages', { Name: 'S', SenderID: sid, Text: text })).body.ID;
    expectError(await w.main('POST', `/sms/messages/${m}/simulation/async`, { TargetID: 77 }), '502');
    expectError(await w.main('POST', `/sms/messages/${m}/simulation/async`, {}), '36');
    expectError(await w.main('POST', '/sms/messages/999/simulation/async', { TargetID: 1 }), '708');
    const r = await w.main('POST', `/sms/messages/${m}/simulation/async`, { TargetID: 1 });
    expect(r.status).toBe(201);
    expect(r.body.Type).toBe('SmsSimulation');
    await w.advance(2_000);
    const result = (await op(w, r.body.ID)).result;
    expect(result.SegmentCount).toBe(2);
    expect(result.RecipientCount).toBeGreaterThan(0);
    expect(result.Units).toBe(result.RecipientCount * 2);
    expect((await w.main('GET', `/sms/messages/${m}`)).body.LastSimulation).toMatchObject({ OperationID: r.body.ID, Result: result });

    const balance = async () => (await c.sim('GET', `/workspaces/${w.id}/credit/dolist`)).balance as number;
    const b0 = await balance();
    const s = launch(w, m);
    await w.advance(60_000);
    const units = sendingRecipients(w.ws, s.ID).reduce((n, x) => n + x.Units, 0);
    expect(units).toBe(result.Units);
    expect(b0 - (await balance())).toBe(result.Units);

    const d = await w.main('POST', '/sms/messages/draft/simulation/async', { TargetID: 1, Text: 'Hi STOP' });
    expect(d.body.Type).toBe('SmsDraftSimulation');
    expectError(await w.main('POST', '/sms/messages/draft/simulation/async', { TargetID: 77, Text: 'x' }), '502');
    await w.advance(2_000);
    expect((await op(w, d.body.ID)).result).toMatchObject({ RecipientCount: result.RecipientCount, SegmentCount: 1, Units: result.RecipientCount });
  });
});
