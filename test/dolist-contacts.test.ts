// The Dolist contacts area over HTTP: contacts (create, read with projections, update, delete,
// exists, search, interests, statistics, the unsubscribe form), fields (CRUD with soft delete and
// Undo, positions, variables, usage, CSV) and interests and groups (CRUD, soft delete and Undo,
// positions, duplicates, variables, usage, CSV, async counts on the manual clock). Every response
// is validated against specs/dolist.yaml; error codes and messages are the catalogue's, verbatim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerContactLock, unregisterContactLock } from '../src/apis/dolist/contact-locks.js';
import { CATALOGUE } from '../src/apis/dolist/error-catalogue.js';
import { unsubscribeKeyCode } from '../src/apis/dolist/unsubscribe-form.js';
import { registerUsage } from '../src/apis/dolist/usage.js';
import { dolistWorkspace, startApp, type Client, type Res, expectDolistCode } from './helpers.js';

let c: Client;
beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
});
afterAll(async () => {
  await c.close();
});

/** The answer carries the catalogue code: its status, ErrorCode and Message verbatim. */
const expectCode = expectDolistCode;

/** Writes records straight into a workspace table (state owned by other areas). */
function putRecord(id: string, table: string, rec: Record<string, unknown>) {
  const ws = c.app.runtime.get(id)!;
  ws.transaction(() => ws.table('dolist', table).put(rec as never));
}

const email = (r: Res) => r.body.FieldList.find((f: { ID: number }) => f.ID === 7)?.Value;

describe('contacts', () => {
  it('creates, reads (with projections), updates and deletes a contact', async () => {
    const w = await dolistWorkspace(c, 'dlc-crud');
    const created = await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'Alice@Example.FR' }, { ID: 3, Value: 'Alice' }, { ID: 14, Value: '06 12 34 56 78' }] });
    expect(created.status).toBe(201);
    const id = created.body.ID;
    const got = await w.main('GET', `/contacts/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ ID: id, CreateDate: '2026-03-02T09:00:00.000Z', SubscribeDate: '2026-03-02T09:00:00.000Z', CreateOrigin: 1 });
    expect(got.body.FieldList).toEqual([
      { ID: 3, Value: 'Alice' },
      { ID: 7, Value: 'alice@example.fr' },
      { ID: 14, Value: '+33612345678' },
      { ID: 72, Value: '1' },
    ]);
    // OutputFieldIdList: CSV, repeated, JSV; the order asked.
    for (const q of ['OutputFieldIdList=72,7', 'OutputFieldIdList=72&OutputFieldIdList=7', 'OutputFieldIdList=[72,7]']) {
      const r = await w.main('GET', `/contacts/${id}?${q}`);
      expect(r.body.FieldList, q).toEqual([{ ID: 72, Value: '1' }, { ID: 7, Value: 'alice@example.fr' }]);
    }
    expectCode(await w.main('GET', `/contacts/${id}?OutputFieldIdList=9999`), '415');

    await w.advance(60_000);
    const upd = await w.main('PUT', `/contacts/${id}`, { FieldList: [{ ID: 3, Value: 'Alicia' }, { ID: 14, Value: null }] });
    expect(upd.status).toBe(204);
    const after = await w.main('GET', `/contacts/${id}`);
    expect(after.body.FieldList).toEqual([{ ID: 3, Value: 'Alicia' }, { ID: 7, Value: 'alice@example.fr' }, { ID: 72, Value: '1' }]);
    expect(after.body.UpdateDate).toBe('2026-03-02T09:01:00.000Z');

    expect((await w.main('DELETE', `/contacts/${id}`)).status).toBe(204);
    expectCode(await w.main('GET', `/contacts/${id}`), '401');
    expectCode(await w.main('DELETE', `/contacts/${id}`), '401');
    expectCode(await w.main('PUT', `/contacts/${id}`, { FieldList: [{ ID: 3, Value: 'x' }] }), '401');
  });

  it('validates writes: [406] email, [454] mobile, [409] composite key, [410] duplicate, [415] unknown field, [36]', async () => {
    const w = await dolistWorkspace(c, 'dlc-valid');
    expectCode(await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'not-an-email' }] }), '406');
    expectCode(await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'm@x.fr' }, { ID: 14, Value: '12' }] }), '454');
    expectCode(await w.main('POST', '/contacts', { FieldList: [{ ID: 3, Value: 'No key' }] }), '409');
    expectCode(await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'x@y.fr' }, { ID: 9999, Value: 'a' }] }), '415');
    expectCode(await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'x@y.fr' }, { ID: 10, Value: 'someday' }] }), '36');
    const a = await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'dup@x.fr' }] });
    expectCode(await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'DUP@x.fr' }] }), '410');
    const b = await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'other@x.fr' }] });
    expectCode(await w.main('PUT', `/contacts/${b.body.ID}`, { FieldList: [{ ID: 7, Value: 'dup@x.fr' }] }), '410');
    expectCode(await w.main('PUT', `/contacts/${b.body.ID}`, { FieldList: [{ ID: 7, Value: '' }] }), '409');
    expectCode(await w.main('PUT', `/contacts/${b.body.ID}`, { FieldList: [{ ID: 7, Value: 'bad' }] }), '406');
    expectCode(await w.main('PUT', `/contacts/${b.body.ID}`, {}), '36');
    // Nothing of the refused writes stayed.
    expect(email(await w.main('GET', `/contacts/${b.body.ID}`))).toBe('other@x.fr');
    expect(a.status).toBe(201);
  });

  it('tells whether a contact exists by its composite key', async () => {
    const w = await dolistWorkspace(c, 'dlc-exists');
    const a = await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'here@x.fr' }] });
    expect((await w.main('POST', '/contacts/exists', { FieldList: [{ ID: 7, Value: 'HERE@x.fr' }] })).body).toEqual({ ID: a.body.ID });
    expect((await w.main('POST', '/contacts/exists', { FieldList: [{ ID: 7, Value: 'nobody@x.fr' }] })).body).toEqual({ ID: null });
    // Another account's contact is not found here.
    await w.mainB('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'brand-b@x.fr' }] });
    expect((await w.main('POST', '/contacts/exists', { FieldList: [{ ID: 7, Value: 'brand-b@x.fr' }] })).body).toEqual({ ID: null });
  });

  it('searches contacts: SearchValue over fields, dates, projection, paging', async () => {
    const w = await dolistWorkspace(c, 'dlc-search');
    const all = await w.main('POST', '/contacts/search', {});
    expect(all.status).toBe(200);
    expect(all.body.Total).toBe(200);
    expect(all.body.ItemList).toHaveLength(200);
    const page = await w.main('POST', '/contacts/search', { Offset: 10, Limit: 5, OutputFieldIDList: [7] });
    expect(page.body.Total).toBe(200);
    expect(page.body.ItemList.map((x: { ID: number }) => x.ID)).toEqual(all.body.ItemList.slice(10, 15).map((x: { ID: number }) => x.ID));
    expect(page.body.ItemList[0].FieldList).toHaveLength(1);
    await w.advance(3_600_000);
    const z = await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'zebulon.unique@example.org' }, { ID: 6, Value: 'Zanzibar' }] });
    const found = await w.main('POST', '/contacts/search', { SearchValue: 'ZEBULON', SearchFieldIDList: [7] });
    expect(found.body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([z.body.ID]);
    expect((await w.main('POST', '/contacts/search', { SearchValue: 'zebulon', SearchFieldIDList: [6] })).body.Total).toBe(0);
    const recent = await w.main('POST', '/contacts/search', { SubscribedAfter: '2026-03-02T09:30:00Z' });
    expect(recent.body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([z.body.ID]);
    const unsub = await w.main('POST', '/contacts/search', { UnsubscribedBefore: '2026-03-02T09:00:00Z' });
    expect(unsub.body.Total).toBeGreaterThan(0);
    for (const x of unsub.body.ItemList) expect(x.UnsubscribeDate).toBeTruthy();
    expectCode(await w.main('POST', '/contacts/search', { Limit: 0 }), '36');
    expectCode(await w.main('POST', '/contacts/search', { SearchFieldIDList: [4242] }), '415');
  });

  it('keeps tenants apart: another account\'s contact is not found; a key without the account gets [6]', async () => {
    const w = await dolistWorkspace(c, 'dlc-tenancy');
    const b = await w.mainB('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'b@brand.fr' }] });
    expect(b.status).toBe(201);
    expect((await w.brandB('GET', `/contacts/${b.body.ID}`)).status).toBe(200);
    expectCode(await w.main('GET', `/contacts/${b.body.ID}`), '401');
    expectCode(await w.main('DELETE', `/contacts/${b.body.ID}`), '401');
    expectCode(await w.main('GET', `/contacts/${b.body.ID}/interests`), '401');
    expectCode(await w.brandB('GET', '/contacts/1000001?AccountID=10001'), '6');
    expectCode(await w.brandB('POST', '/contacts/search?AccountID=10001', {}), '6');
    expectCode(await w.brandB('GET', '/fields?AccountID=10001'), '6');
    expectCode(await w.brandB('GET', '/interests?AccountID=10001'), '6');
  });

  it('refuses to delete a locked contact with 500 [412]', async () => {
    const w = await dolistWorkspace(c, 'dlc-lock');
    const a = await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'locked@x.fr' }] });
    registerContactLock('test.lock', (ws, _account, id) => (ws.id === 'dlc-lock' && id === a.body.ID ? 'sending 42 is sending to it' : undefined));
    try {
      const r = await w.main('DELETE', `/contacts/${a.body.ID}`);
      expectCode(r, '412');
      expect(r.body.ResponseStatus.Errors[0].Message).toContain('sending 42');
    } finally {
      unregisterContactLock('test.lock');
    }
    expect((await w.main('DELETE', `/contacts/${a.body.ID}`)).status).toBe(204);
  });

  it('counts contacts by status, with the permanent filter when the account enables it', async () => {
    const w = await dolistWorkspace(c, 'dlc-stats');
    const s = await w.main('GET', '/contacts/stats/count?PermanentFilter=false');
    expect(s.status).toBe(200);
    expect(s.body.ContactCount).toBe(200);
    expect(s.body.PermanentFilter).toBe(false);
    const count = (body: { ItemList: Array<{ Status: string; Count: number }> }, st: string) => body.ItemList.find((x) => x.Status === st)!.Count;
    expect(s.body.ItemList.reduce((n: number, x: { Count: number }) => n + x.Count, 0)).toBe(200);
    // Off on the account: the flag changes nothing.
    expect((await w.main('GET', '/contacts/stats/count?PermanentFilter=true')).body.ContactCount).toBe(200);
    // A new contact, then an unsubscription, move the counts.
    const a = await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'stat@x.fr' }] });
    const s2 = (await w.main('GET', '/contacts/stats/count?PermanentFilter=false')).body;
    expect(s2.ContactCount).toBe(201);
    expect(count(s2, '1')).toBe(count(s.body, '1') + 1);
    await w.advance(1000);
    await w.main('PUT', `/contacts/${a.body.ID}`, { FieldList: [{ ID: 72, Value: '7' }] });
    expect((await w.main('GET', `/contacts/${a.body.ID}`)).body.UnsubscribeDate).toBe('2026-03-02T09:00:01.000Z');
    const s3 = (await w.main('GET', '/contacts/stats/count?PermanentFilter=false&OptoutCategory=email')).body;
    expect(count(s3, '7')).toBe(count(s.body, '7') + 1);
    putRecord('dlc-stats', 'permanent_filters', { id: '10001', account: '10001', IsEnabled: true });
    const f = (await w.main('GET', '/contacts/stats/count?PermanentFilter=true')).body;
    expect(f.PermanentFilter).toBe(true);
    expect(f.ContactCount).toBe(201 - count(s3, '3') - count(s3, '4') - count(s3, '7'));
    expect(count(f, '7')).toBe(0);
    const mobile = (await w.main('GET', '/contacts/stats/count?PermanentFilter=false&OptoutCategory=Mobile')).body;
    expect(mobile.OptoutCategory).toBe('Mobile');
    expect(count(mobile, '1')).toBeLessThan(201);
    expectCode(await w.main('GET', '/contacts/stats/count?PermanentFilter=false&OptoutCategory=Fax'), '36');
    // Writing a valid status again is a new subscription.
    await w.advance(1000);
    await w.main('PUT', `/contacts/${a.body.ID}`, { FieldList: [{ ID: 72, Value: '1' }] });
    const back = (await w.main('GET', `/contacts/${a.body.ID}`)).body;
    expect(back.UnsubscribeDate).toBeNull();
    expect(back.SubscribeDate).toBe('2026-03-02T09:00:02.000Z');
    expectCode(await w.main('GET', '/contacts/stats/count'), '36');
  });
});

describe('contact interests', () => {
  it('adds, removes and replaces interests; lists them flat and by group', async () => {
    const w = await dolistWorkspace(c, 'dlc-ci');
    const a = (await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'ci@x.fr' }] })).body.ID;
    const ids = async () => (await w.main('GET', `/contacts/${a}/interests`)).body.ItemList.map((x: { InterestID: number }) => x.InterestID);
    expect(await ids()).toEqual([]);
    expect((await w.main('PUT', `/contacts/${a}/interests?OperationMode=Add&ContactInterestOrigin=Forms`, { InterestIDList: [5001, 5005] })).status).toBe(204);
    await w.main('PUT', `/contacts/${a}/interests?OperationMode=add`, { InterestIDList: [5002] });
    expect(await ids()).toEqual([5001, 5002, 5005]);
    const list = (await w.main('GET', `/contacts/${a}/interests`)).body;
    expect(list.ItemList[0]).toEqual({ InterestID: 5001, Name: 'Sport', GroupID: 501, GroupName: "Centres d'intérêt", Origin: 3, CreateDate: '2026-03-02T09:00:00.000Z' });
    expect(list.ItemList[1].Origin).toBe(1);
    const searched = await w.main('GET', `/contacts/${a}/interests?SearchValue=cuis`);
    expect(searched.body.ItemList.map((x: { InterestID: number }) => x.InterestID)).toEqual([5002]);
    const sorted = await w.main('GET', `/contacts/${a}/interests?SortField=Name&SortOrder=desc&Limit=2`);
    expect(sorted.body.ItemList.map((x: { Name: string }) => x.Name)).toEqual(['Sport', 'Newsletter hebdomadaire']);
    expect(sorted.body.Total).toBe(3);
    const groups = (await w.main('GET', `/contacts/${a}/groupinterests`)).body;
    expect(groups.Total).toBe(2);
    expect(groups.ItemList[0].GroupID).toBe(501);
    expect(groups.ItemList[0].Interests.map((x: { InterestID: number }) => x.InterestID)).toEqual([5001, 5002]);
    await w.main('PUT', `/contacts/${a}/interests?OperationMode=Remove`, { InterestIDList: [5001] });
    expect(await ids()).toEqual([5002, 5005]);
    await w.main('PUT', `/contacts/${a}/interests?OperationMode=REPLACE&ContactInterestOrigin=4`, { InterestIDList: [5003] });
    expect(await ids()).toEqual([5003]);
    expect((await w.main('GET', `/contacts/${a}/interests`)).body.ItemList[0].Origin).toBe(4);
  });

  it('refuses an unknown interest [432] changing nothing, a bad mode or origin [36], an unknown contact [401]', async () => {
    const w = await dolistWorkspace(c, 'dlc-ci-err');
    const a = (await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'cie@x.fr' }] })).body.ID;
    await w.main('PUT', `/contacts/${a}/interests?OperationMode=Add`, { InterestIDList: [5001] });
    expectCode(await w.main('PUT', `/contacts/${a}/interests?OperationMode=Add`, { InterestIDList: [5002, 999999] }), '432');
    // An interest of the other account is unknown here.
    expectCode(await w.main('PUT', `/contacts/${a}/interests?OperationMode=Add`, { InterestIDList: [5009] }), '432');
    expectCode(await w.main('PUT', `/contacts/${a}/interests?OperationMode=Merge`, { InterestIDList: [5002] }), '36');
    expectCode(await w.main('PUT', `/contacts/${a}/interests?OperationMode=Add&ContactInterestOrigin=Carrier`, { InterestIDList: [5002] }), '36');
    expectCode(await w.main('PUT', '/contacts/999/interests?OperationMode=Add', { InterestIDList: [5002] }), '401');
    expectCode(await w.main('GET', '/contacts/999/groupinterests'), '401');
    const r = await w.main('GET', `/contacts/${a}/interests`);
    expect(r.body.ItemList.map((x: { InterestID: number }) => x.InterestID)).toEqual([5001]);
  });

  it('keeps one interest per contact in a Radio group', async () => {
    const w = await dolistWorkspace(c, 'dlc-radio');
    const a = (await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'radio@x.fr' }] })).body.ID;
    await w.main('PUT', `/contacts/${a}/interests?OperationMode=Add`, { InterestIDList: [5007] });
    await w.main('PUT', `/contacts/${a}/interests?OperationMode=Add`, { InterestIDList: [5008] });
    const r = await w.main('GET', `/contacts/${a}/interests`);
    expect(r.body.ItemList.map((x: { InterestID: number }) => x.InterestID)).toEqual([5008]);
    expectCode(await w.main('PUT', `/contacts/${a}/interests?OperationMode=Add`, { InterestIDList: [5007, 5008] }), '36');
    // The generated base keeps the rule too.
    const { records } = await c.sim('GET', '/workspaces/dlc-radio/state/dolist/contacts?limit=1000');
    const both = (records as Array<{ Interests: Record<string, unknown> }>).filter((r) => r.Interests['5007'] && r.Interests['5008']);
    expect(records.length).toBe(221);
    expect(both).toEqual([]);
  });
});

describe('unsubscribe form', () => {
  it('unsubscribes the contact of a valid link, idempotently, and answers its email', async () => {
    const w = await dolistWorkspace(c, 'dlc-unsub');
    const a = (await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'leave@x.fr' }] })).body.ID;
    const ws = c.app.runtime.get('dlc-unsub')!;
    const key = unsubscribeKeyCode(ws, a, 7001);
    const url = (k: string, form = 801, contact = a) => `/contacts/unsubscribes/${form}/submit?SendingID=7001&ContactID=${contact}&OccurrenceID=1&KeyCode=${k}`;
    expectCode(await w.main('POST', url('wrong')), '45');
    expect((await w.main('GET', `/contacts/${a}?OutputFieldIdList=72`)).body.FieldList).toEqual([{ ID: 72, Value: '1' }]);
    await w.advance(5_000);
    const r = await w.main('POST', url(key), { Reason: 'too many emails' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ContactID: a, Email: 'leave@x.fr' });
    const got = await w.main('GET', `/contacts/${a}`);
    expect(got.body.FieldList.find((f: { ID: number }) => f.ID === 72).Value).toBe('7');
    expect(got.body.UnsubscribeDate).toBe('2026-03-02T09:00:05.000Z');
    expect(got.body.UpdateOrigin).toBe(3);
    await w.advance(5_000);
    expect((await w.main('POST', url(key))).body).toEqual({ ContactID: a, Email: 'leave@x.fr' });
    expect((await w.main('GET', `/contacts/${a}`)).body.UnsubscribeDate).toBe('2026-03-02T09:00:05.000Z');
    expectCode(await w.main('POST', url(key, 999)), '44');
    expectCode(await w.main('POST', url(key, 803)), '44'); // the other account's form
    expectCode(await w.main('POST', url(key, 802)), '36'); // a subscription form
    expectCode(await w.main('POST', url(unsubscribeKeyCode(ws, 999, 7001), 801, 999)), '401');
  });
});

describe('fields', () => {
  it('creates, reads, lists, updates, soft-deletes and restores a field', async () => {
    const w = await dolistWorkspace(c, 'dlf-crud');
    const list = await w.main('GET', '/fields');
    expect(list.status).toBe(200);
    expect(list.body.Total).toBe(14);
    expect(list.body.ItemList.map((f: { Position: number }) => f.Position)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    const created = await w.main('POST', '/fields', { Name: 'Numéro client', FieldTypeID: 1, MaxLength: 20 });
    expect(created.status).toBe(201);
    expect(created.body.ID).toBe(1000);
    const f = await w.main('GET', '/fields/1000');
    expect(f.body).toMatchObject({ ID: 1000, Name: 'Numéro client', FieldTypeID: 1, IsCompositeKey: false, IsSystem: false, Position: 15, VariableName: 'NumeroClient', MaxLength: 20 });
    // Fields of the other account draw from the same counter: an id names one field.
    expect((await w.mainB('POST', '/fields', { Name: 'Numéro client', FieldTypeID: 1 })).body.ID).toBe(1001);
    expectCode(await w.main('GET', '/fields/1001'), '415');
    expect((await w.main('GET', '/fields?SearchValue=client')).body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([1000]);
    expect((await w.main('GET', '/fields?IsCompositeKeyOnly=true')).body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([7]);
    expect((await w.main('GET', '/fields?Offset=13&Limit=5')).body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([73, 1000]);
    await w.main('PUT', '/fields/1000', { IsDisplayable: false });
    expect((await w.main('GET', '/fields?IsDisplayableOnly=true')).body.Total).toBe(14);

    await w.advance(1000);
    expect((await w.main('PUT', '/fields/1000', { Name: 'Code client', MaxLength: 12 })).status).toBe(204);
    expect((await w.main('GET', '/fields/1000')).body).toMatchObject({ Name: 'Code client', MaxLength: 12, UpdateDate: '2026-03-02T09:00:01.000Z' });

    // Values survive a delete and Undo.
    const a = (await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'f@x.fr' }, { ID: 1000, Value: 'C-1' }] })).body.ID;
    expect((await w.main('DELETE', '/fields/1000')).status).toBe(204);
    expectCode(await w.main('GET', '/fields/1000'), '415');
    expect((await w.main('GET', '/fields')).body.Total).toBe(14);
    expectCode(await w.main('PUT', `/contacts/${a}`, { FieldList: [{ ID: 1000, Value: 'C-2' }] }), '415');
    expect((await w.main('DELETE', '/fields/1000?Undo=true')).status).toBe(204);
    expect((await w.main('GET', '/fields/1000')).body.Position).toBe(15);
    expect((await w.main('GET', `/contacts/${a}?OutputFieldIdList=1000`)).body.FieldList).toEqual([{ ID: 1000, Value: 'C-1' }]);
    expect((await w.main('DELETE', '/fields/1000?Undo=true')).status).toBe(204); // nothing to undo
    expectCode(await w.main('DELETE', '/fields/4242?Undo=true'), '415');
  });

  it('checks names [416], boundaries [420], arguments [36], deletions [419], unknown ids [415]', async () => {
    const w = await dolistWorkspace(c, 'dlf-rules');
    expectCode(await w.main('POST', '/fields', { Name: ' email ', FieldTypeID: 1 }), '416');
    expectCode(await w.main('POST', '/fields', { Name: 'Anniversaire', FieldTypeID: 4, MaxLength: 10 }), '420');
    expectCode(await w.main('POST', '/fields', { Name: 'Code', FieldTypeID: 1, MinLength: 5, MaxLength: 2 }), '420');
    expectCode(await w.main('POST', '/fields', { Name: 'Code', FieldTypeID: 99 }), '36');
    expectCode(await w.main('POST', '/fields', { Name: 'Code' }), '36');
    expectCode(await w.main('POST', '/fields', { Name: 'Code', FieldTypeID: 1, VariableName: 'Email' }), '36');
    const id = (await w.main('POST', '/fields', { Name: 'Code', FieldTypeID: 1 })).body.ID;
    expectCode(await w.main('PUT', `/fields/${id}`, { Name: 'VILLE' }), '416');
    expectCode(await w.main('PUT', `/fields/${id}`, { FieldTypeID: 2, MaxLength: 3 }), '420');
    expectCode(await w.main('PUT', '/fields/7', { FieldTypeID: 1 }), '36');
    expectCode(await w.main('PUT', '/fields/7', { IsCompositeKey: false }), '36');
    expectCode(await w.main('PUT', '/fields/4242', { Name: 'x' }), '415');
    expectCode(await w.main('DELETE', '/fields/3'), '419');
    expectCode(await w.main('DELETE', '/fields/4242'), '415');
    // A field in use (registered by another area) cannot be deleted.
    registerUsage('test.fields', 'field', 1, (ws, account, fid) => (ws.id === 'dlf-rules' && account === '10001' && fid === id ? [{ ID: 9001, Name: 'Clients fidèles' }] : []));
    const r = await w.main('DELETE', `/fields/${id}`);
    expectCode(r, '419');
    expect(r.body.ResponseStatus.Errors[0].Message).toContain('used');
    const usage = await w.main('GET', `/fields/${id}/usage`);
    expect(usage.body).toEqual({ ItemList: [{ TypeID: 1, TypeName: 'Target', Count: 1 }], Total: 1 });
    expect((await w.main('GET', `/fields/${id}/usage/1`)).body).toEqual({ ItemList: [{ ID: 9001, Name: 'Clients fidèles' }], Total: 1 });
    expect((await w.main('GET', `/fields/${id}/usage/2?Offset=0&Limit=10`)).body).toEqual({ ItemList: [], Total: 0 });
    expect((await w.main('GET', '/fields/6/usage')).body).toEqual({ ItemList: [], Total: 0 });
    expectCode(await w.main('GET', `/fields/${id}/usage/77`), '36');
    expectCode(await w.main('GET', '/fields/4242/usage'), '415');
    expectCode(await w.main('GET', '/fields/4242/usage/1'), '415');
    // A composite-key field cannot be deleted.
    await w.main('PUT', '/fields/3', { IsCompositeKey: false });
    const k = (await w.main('POST', '/fields', { Name: 'Clé', FieldTypeID: 1 })).body.ID;
    await w.main('PUT', `/fields/${k}`, { IsCompositeKey: true });
    expectCode(await w.main('DELETE', `/fields/${k}`), '419');
  });

  it('recomputes composite keys when IsCompositeKey changes', async () => {
    const w = await dolistWorkspace(c, 'dlf-keys');
    const code = (await w.main('POST', '/fields', { Name: 'Code', FieldTypeID: 1 })).body.ID;
    const a = (await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'k1@x.fr' }, { ID: code, Value: 'A' }] })).body.ID;
    // Email + Code is the key: the same email with another code is another contact.
    expect((await w.main('PUT', `/fields/${code}`, { IsCompositeKey: true })).status).toBe(204);
    expect((await w.main('GET', '/fields?IsCompositeKeyOnly=true')).body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([7, code]);
    expect((await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'k1@x.fr' }, { ID: code, Value: 'B' }] })).status).toBe(201);
    expectCode(await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'k1@x.fr' }] }), '409');
    expect((await w.main('POST', '/contacts/exists', { FieldList: [{ ID: 7, Value: 'k1@x.fr' }, { ID: code, Value: 'a' }] })).body).toEqual({ ID: a });
    // Back to Email alone: two contacts would share a key, refused, nothing changed.
    expectCode(await w.main('PUT', `/fields/${code}`, { IsCompositeKey: false }), '410');
    expect((await w.main('GET', `/fields/${code}`)).body.IsCompositeKey).toBe(true);
  });

  it('moves fields, lists types and variables, exports the CSV', async () => {
    const w = await dolistWorkspace(c, 'dlf-misc');
    expect((await w.main('PUT', '/fields/72/position', { Position: 1 })).status).toBe(204);
    const order = (await w.main('GET', '/fields?Limit=3')).body.ItemList.map((x: { ID: number }) => x.ID);
    expect(order).toEqual([72, 1, 2]);
    expectCode(await w.main('PUT', '/fields/72/position', { Position: 15 }), '36');
    expectCode(await w.main('PUT', '/fields/72/position', { Position: 0 }), '36');
    expectCode(await w.main('PUT', '/fields/4242/position', { Position: 1 }), '415');
    const types = await w.main('GET', '/fields/fieldtypes');
    expect(types.body.Total).toBe(9);
    expect(types.body.ItemList[5]).toEqual({ ID: 6, Name: 'Email' });
    const vars = await w.main('GET', '/fields/fieldvariables?Offset=0&Limit=2');
    expect(vars.body).toEqual({ ItemList: [{ FieldID: 72, FieldName: "Statut de l'adresse email", VariableID: 72, VariableName: 'StatutEmail', Tag: '[[StatutEmail]]' }, { FieldID: 1, FieldName: 'Civilité', VariableID: 1, VariableName: 'Civilite', Tag: '[[Civilite]]' }], Total: 14 });
    expect((await w.main('GET', '/fields/7/variable')).body).toEqual({ FieldID: 7, FieldName: 'Email', VariableID: 7, VariableName: 'Email', Tag: '[[Email]]' });
    expect((await w.main('GET', '/fields/fieldvariables/7')).body.VariableName).toBe('Email');
    expectCode(await w.main('GET', '/fields/4242/variable'), '415');
    expectCode(await w.main('GET', '/fields/fieldvariables/4242'), '415');
    const id = (await w.main('POST', '/fields', { Name: 'Fidélité; niveau', FieldTypeID: 2 })).body.ID;
    await w.main('PUT', `/fields/${id}`, { VariableName: 'Niveau' });
    const csv = await w.main('GET', '/fields/export');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('FieldID;FieldName;FieldType;IsCompositeKey;Position;VariableName;Tag');
    expect(lines[1]).toBe("72;Statut de l'adresse email;Integer;false;1;StatutEmail;[[StatutEmail]]");
    expect(lines[15]).toBe(`${id};"Fidélité; niveau";Integer;false;15;Niveau;[[Niveau]]`);
    expect((await w.main('DELETE', `/fields/${id}`)).status).toBe(204);
    expect((await w.main('GET', '/fields/export')).text.trim().split('\r\n')).toHaveLength(15);
  });
});

describe('interests and groups', () => {
  it('creates, reads, lists, updates, moves, deletes and restores interests', async () => {
    const w = await dolistWorkspace(c, 'dli-crud');
    const created = await w.main('POST', '/interests?GroupID=501', { Name: 'Lecture' });
    expect(created.status).toBe(201);
    const id = created.body.ID;
    expect(id).toBeGreaterThan(5010);
    const got = await w.main('GET', `/interests/${id}?WithCountContacts=false`);
    expect(got.body).toMatchObject({ ID: id, GroupID: 501, Name: 'Lecture', Position: 5, CreateOrigin: 1, UpdateOrigin: 1, IsReadOnly: false });
    expect(got.body.ContactCount).toBeUndefined();
    expectCode(await w.main('GET', `/interests/${id}`), '36'); // WithCountContacts is required
    expectCode(await w.main('POST', '/interests?GroupID=501', { Name: 'lecture' }), '435');
    expect((await w.main('POST', '/interests?GroupID=502', { Name: 'Lecture' })).status).toBe(201); // unique within the group
    expectCode(await w.main('POST', '/interests?GroupID=999', { Name: 'x' }), '436');
    expectCode(await w.main('POST', '/interests?GroupID=504', { Name: 'x' }), '436'); // the other account's group
    expectCode(await w.main('POST', '/interests?GroupID=501', {}), '36');
    await w.advance(1000);
    expect((await w.main('PUT', `/interests/${id}`, { Name: 'Lecture & BD' })).status).toBe(204);
    expectCode(await w.main('PUT', `/interests/${id}`, { Name: 'SPORT' }), '435');
    expectCode(await w.main('PUT', '/interests/5007', { Name: 'Lead' }), '433');
    expectCode(await w.main('PUT', '/interests/999999', { Name: 'x' }), '432');
    const list = await w.main('GET', '/interests?GroupID=501&UpdatedAfter=2026-03-02T09:00:01Z');
    expect(list.body.ItemList.map((x: { Name: string }) => x.Name)).toEqual(['Lecture & BD']);
    expect((await w.main('GET', '/interests?CreateOrigin=1')).body.Total).toBe(2);
    expect((await w.main('GET', '/interests?CreatedBefore=2026-03-02T08:00:00Z')).body.Total).toBe(0);
    expect((await w.main('GET', '/interests?SearchValue=OFFRES')).body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([5006]);
    expect((await w.main('GET', '/interests?GroupID=501&SortField=name&SortOrder=Descending&Limit=2')).body.ItemList.map((x: { Name: string }) => x.Name)).toEqual(['Voyage', 'Sport']);
    expect((await w.mainB('GET', '/interests')).body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([5009, 5010]);

    expect((await w.main('PUT', `/interests/${id}/position`, { Position: 1 })).status).toBe(204);
    expect((await w.main('GET', '/interests?GroupID=501')).body.ItemList.map((x: { ID: number; Position: number }) => [x.ID, x.Position])).toEqual([
      [id, 1],
      [5001, 2],
      [5002, 3],
      [5003, 4],
      [5004, 5],
    ]);
    expectCode(await w.main('PUT', `/interests/${id}/position`, { Position: 6 }), '36');
    expectCode(await w.main('PUT', '/interests/999999/position', { Position: 1 }), '432');

    expect((await w.main('DELETE', `/interests/${id}`)).status).toBe(204);
    expectCode(await w.main('GET', `/interests/${id}?WithCountContacts=false`), '432');
    expect((await w.main('GET', '/interests?GroupID=501')).body.ItemList.map((x: { Position: number }) => x.Position)).toEqual([1, 2, 3, 4]);
    expectCode(await w.main('DELETE', `/interests/${id}`), '432');
    expect((await w.main('DELETE', `/interests/${id}?Undo=true`)).status).toBe(204);
    expect((await w.main('GET', `/interests/${id}?WithCountContacts=false`)).body.Position).toBe(5);
    expectCode(await w.main('DELETE', '/interests/5007'), '433');
    expectCode(await w.main('DELETE', '/interests/5009'), '432');
  });

  it('manages groups: create, read, list, update, style rule [446], read-only [437], update-only [434], delete with its interests and Undo', async () => {
    const w = await dolistWorkspace(c, 'dli-groups');
    const g = (await w.main('POST', '/interests/groups', { Name: 'Magasins', GroupType: 'Preferences', Style: 'checkbox' })).body.ID;
    expect((await w.main('GET', `/interests/groups/${g}`)).body).toMatchObject({ ID: g, Name: 'Magasins', GroupType: 'Preferences', Style: 'Checkbox', IsActive: true, Position: 4, CreateOrigin: 1 });
    expectCode(await w.main('POST', '/interests/groups', { Name: 'magasins' }), '438');
    expectCode(await w.main('POST', '/interests/groups', { Name: 'X', Style: 'Dropdown' }), '36');
    expectCode(await w.main('GET', '/interests/groups/504'), '436');
    expect((await w.main('GET', '/interests/groups?GroupType=preferences')).body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([g]);
    expect((await w.main('GET', '/interests/groups')).body.Total).toBe(4);
    const i1 = (await w.main('POST', `/interests?GroupID=${g}`, { Name: 'Paris' })).body.ID;
    const i2 = (await w.main('POST', `/interests?GroupID=${g}`, { Name: 'Lyon' })).body.ID;
    const a = (await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'g@x.fr' }] })).body.ID;
    await w.main('PUT', `/contacts/${a}/interests?OperationMode=Add`, { InterestIDList: [i1, i2] });
    const r = await w.main('PUT', `/interests/groups/${g}`, { Style: 'Radio' });
    expectCode(r, '446');
    expect(r.body.ResponseStatus.Errors[0].Message).toContain(String(a));
    await w.main('PUT', `/contacts/${a}/interests?OperationMode=Remove`, { InterestIDList: [i2] });
    expect((await w.main('PUT', `/interests/groups/${g}`, { Style: 'Radio', Name: 'Boutiques' })).status).toBe(204);
    expect((await w.main('GET', `/interests/groups/${g}`)).body).toMatchObject({ Style: 'Radio', Name: 'Boutiques' });
    expectCode(await w.main('PUT', `/interests/groups/${g}`, { Name: 'Segment client' }), '438');
    expectCode(await w.main('PUT', '/interests/groups/503', { Name: 'Segments' }), '437');
    expectCode(await w.main('POST', '/interests?GroupID=503', { Name: 'VIP' }), '437');
    expectCode(await w.main('PUT', '/interests/groups/999', { Name: 'x' }), '436');
    await w.main('PUT', `/interests/groups/${g}`, { IsUpdateOnly: true });
    expectCode(await w.main('POST', `/interests?GroupID=${g}`, { Name: 'Lille' }), '434');
    // Deleting the group deletes its interests; the contact's link is hidden, then back with Undo.
    expect((await w.main('DELETE', `/interests/groups/${g}`)).status).toBe(204);
    expectCode(await w.main('GET', `/interests/groups/${g}`), '436');
    expectCode(await w.main('GET', `/interests/${i1}?WithCountContacts=false`), '432');
    expectCode(await w.main('DELETE', `/interests/${i1}?Undo=true`), '436');
    expect((await w.main('GET', `/contacts/${a}/interests`)).body.Total).toBe(0);
    expectCode(await w.main('DELETE', `/interests/groups/${g}`), '436');
    expect((await w.main('DELETE', `/interests/groups/${g}?Undo=true`)).status).toBe(204);
    expect((await w.main('GET', `/interests?GroupID=${g}`)).body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([i1, i2]);
    expect((await w.main('GET', `/contacts/${a}/interests`)).body.ItemList.map((x: { InterestID: number }) => x.InterestID)).toEqual([i1]);
    expectCode(await w.main('DELETE', '/interests/groups/503'), '437');
    expectCode(await w.main('DELETE', '/interests/groups/999?Undo=true'), '436');
  });

  it('lists groups with their interests, counts and filters', async () => {
    const w = await dolistWorkspace(c, 'dli-gi');
    const a = (await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'gi@x.fr' }] })).body.ID;
    const before = (await w.main('GET', '/interests/5006?WithCountContacts=true')).body.ContactCount;
    await w.main('PUT', `/contacts/${a}/interests?OperationMode=Add`, { InterestIDList: [5006] });
    expect((await w.main('GET', '/interests/5006?WithCountContacts=true')).body.ContactCount).toBe(before + 1);
    const all = await w.main('GET', '/interests/groupinterests?WithCountContacts=true');
    expect(all.body.Total).toBe(3);
    const g502 = all.body.ItemList.find((x: { ID: number }) => x.ID === 502);
    expect(g502.Interests.map((x: { ID: number }) => x.ID)).toEqual([5005, 5006]);
    expect(g502.Interests[1].ContactCount).toBe(before + 1);
    expect(g502.ContactCount).toBeGreaterThanOrEqual(before + 1);
    const only = await w.main('GET', '/interests/groupinterests?InterestIDList=5002,5006');
    expect(only.body.ItemList.map((x: { ID: number; Interests: Array<{ ID: number }> }) => [x.ID, x.Interests.map((i) => i.ID)])).toEqual([
      [501, [5002]],
      [502, [5006]],
    ]);
    expect((await w.main('GET', '/interests/groupinterests?GroupID=503')).body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([503]);
    await w.main('PUT', '/interests/groups/502', { IsActive: false });
    expect((await w.main('GET', '/interests/groupinterests?ActiveOnly=true')).body.ItemList.map((x: { ID: number }) => x.ID)).toEqual([501, 503]);
    const groups = await w.main('GET', '/interests/groups?WithCountContacts=true&SortField=Name');
    expect(groups.body.ItemList.map((x: { Name: string }) => x.Name)).toEqual(["Centres d'intérêt", 'Préférences de contact', 'Segment client']);
    expect(groups.body.ItemList[1].ContactCount).toBe(g502.ContactCount);
    const interests = await w.main('GET', '/interests?WithCountContacts=true&GroupID=502');
    expect(interests.body.ItemList[1].ContactCount).toBe(before + 1);
    // Deleting the contact drops the counts.
    await w.main('DELETE', `/contacts/${a}`);
    expect((await w.main('GET', '/interests/5006?WithCountContacts=true')).body.ContactCount).toBe(before);
  });

  it('duplicates a group with its interests', async () => {
    const w = await dolistWorkspace(c, 'dli-dup');
    const d = await w.main('POST', '/interests/groups/501/duplicate', {});
    expect(d.status).toBe(201);
    const copy = (await w.main('GET', `/interests/groups/${d.body.ID}`)).body;
    expect(copy).toMatchObject({ Name: "Centres d'intérêt (copy)", Style: 'Checkbox', Position: 4, CreateOrigin: 1 });
    const names = (await w.main('GET', `/interests?GroupID=${d.body.ID}&WithCountContacts=true`)).body.ItemList;
    expect(names.map((x: { Name: string }) => x.Name)).toEqual(['Sport', 'Cuisine', 'Voyage', 'Musique']);
    expect(names.every((x: { ContactCount: number }) => x.ContactCount === 0)).toBe(true);
    expect((await w.main('POST', '/interests/groups/501/duplicate', { Name: 'Loisirs' })).status).toBe(201);
    expectCode(await w.main('POST', '/interests/groups/501/duplicate', { Name: 'loisirs' }), '438');
    expectCode(await w.main('POST', '/interests/groups/999/duplicate', {}), '436');
  });

  it('serves group variables, usage and the CSV', async () => {
    const w = await dolistWorkspace(c, 'dli-vars');
    expect((await w.main('GET', '/interests/groupvariables/502')).body).toEqual({ GroupID: 502, GroupName: 'Préférences de contact', InterestID: null, InterestName: null, VariableName: 'Groupe_502', Tag: '[[Groupe_502]]' });
    expectCode(await w.main('GET', '/interests/groupvariables/504'), '436');
    const vars = await w.main('GET', '/interests/groups/502/variables');
    expect(vars.body.Total).toBe(3);
    expect(vars.body.ItemList[2]).toEqual({ GroupID: 502, GroupName: 'Préférences de contact', InterestID: 5006, InterestName: 'Offres partenaires', VariableName: 'Groupe_502_5006', Tag: '[[Groupe_502_5006]]' });
    expectCode(await w.main('GET', '/interests/groups/999/variables'), '436');
    const list = await w.main('GET', '/interests/groupvariables?Offset=1&Limit=1');
    expect(list.body).toEqual({ ItemList: [expect.objectContaining({ GroupID: 502, VariableName: 'Groupe_502' })], Total: 3 });
    expect((await w.main('GET', '/interests/groupvariables?GroupType=Other')).body.Total).toBe(0);
    const csv = await w.main('GET', '/interests/export');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('GroupID;GroupName;GroupType;Style;InterestID;InterestName;VariableName;Tag');
    expect(lines[1]).toBe("501;Centres d'intérêt;Standard;Checkbox;;;Groupe_501;[[Groupe_501]]");
    expect(lines[2]).toBe("501;Centres d'intérêt;Standard;Checkbox;5001;Sport;Groupe_501_5001;[[Groupe_501_5001]]");
    expect(lines).toHaveLength(1 + 3 + 8);

    registerUsage('test.interests', 'interest', 5, (ws, account, id) => (ws.id === 'dli-vars' && account === '10001' && id === 5002 ? [{ ID: 77, Name: 'Export cuisine' }] : []));
    registerUsage('test.groups', 'group', 4, (ws, account, id) => (ws.id === 'dli-vars' && account === '10001' && id === 501 ? [{ ID: 801, Name: 'Formulaire' }] : []));
    expect((await w.main('GET', '/interests/5002/usage')).body).toEqual({ ItemList: [{ TypeID: 5, TypeName: 'ExportMapping', Count: 1 }], Total: 1 });
    expect((await w.main('GET', '/interests/5002/usage/5')).body).toEqual({ ItemList: [{ ID: 77, Name: 'Export cuisine' }], Total: 1 });
    expect((await w.main('GET', '/interests/groups/501/usage')).body).toEqual({ ItemList: [{ TypeID: 4, TypeName: 'Form', Count: 1 }], Total: 1 });
    expect((await w.main('GET', '/interests/groups/501/usage/4?Offset=1')).body).toEqual({ ItemList: [], Total: 1 });
    expectCode(await w.main('GET', '/interests/999999/usage'), '432');
    expectCode(await w.main('GET', '/interests/999999/usage/1'), '432');
    expectCode(await w.main('GET', '/interests/groups/999/usage'), '436');
    expectCode(await w.main('GET', '/interests/groups/999/usage/1'), '436');
    expectCode(await w.main('GET', '/interests/groups/501/usage/0'), '36');
  });

  it('counts an interest\'s and a group\'s contacts asynchronously, on the clock', async () => {
    const w = await dolistWorkspace(c, 'dli-count');
    const live = (await w.main('GET', '/interests/5001?WithCountContacts=true')).body.ContactCount;
    const op = await w.main('POST', '/interests/5001/count/async', {});
    expect(op.status).toBe(201);
    expect(op.body).toMatchObject({ Type: 'InterestCount', Status: 'Pending', CreateDate: '2026-03-02T09:00:00.000Z' });
    const poll = () => c.sim('GET', `/workspaces/dli-count/operations/${op.body.ID}?api=dolist`);
    expect((await poll()).status).toBe('queued');
    expect((await w.main('GET', '/interests/5001?WithCountContacts=false')).body.LastCountContacts).toBeUndefined();
    // A contact takes the interest while the count waits: the count sees it.
    const a = (await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'cnt@x.fr' }] })).body.ID;
    await w.main('PUT', `/contacts/${a}/interests?OperationMode=Add`, { InterestIDList: [5001] });
    await w.advance(2_000); // 1 s in the queue, 200 contacts at 500/s
    const done = await poll();
    expect(done.status).toBe('succeeded');
    expect(done.result).toEqual({ ContactCount: live + 1 });
    const i = (await w.main('GET', '/interests/5001?WithCountContacts=true')).body;
    expect(i).toMatchObject({ LastCountContacts: live + 1, LastCountDate: '2026-03-02T09:00:01.400Z', ContactCount: live + 1 });
    expect(i.LastCountTargetID).toBeUndefined(); // null: left out, as every null

    const gop = await w.main('POST', '/interests/groups/501/count/async', {});
    expect(gop.body.Type).toBe('InterestGroupCount');
    await w.advance(2_000);
    const g = (await w.main('GET', '/interests/groups/501')).body;
    const gLive = (await w.main('GET', '/interests/groups?WithCountContacts=true')).body.ItemList.find((x: { ID: number }) => x.ID === 501).ContactCount;
    expect(g.LastCountContacts).toBe(gLive);

    // Within a target (the targets area's evaluation).
    expectCode(await w.main('POST', '/interests/5001/count/async?TargetID=777', {}), '502');
    putRecord('dli-count', 'targets', { id: '777', ID: 777, account: '10001', Name: 'Tous' });
    const top = await w.main('POST', '/interests/5001/count/async?TargetID=777', {});
    expect(top.status).toBe(201);
    await w.advance(2_000);
    expect((await w.main('GET', '/interests/5001?WithCountContacts=false')).body.LastCountTargetID).toBe(777);
    expectCode(await w.main('POST', '/interests/999999/count/async', {}), '432');
    expectCode(await w.main('POST', '/interests/groups/999/count/async', {}), '436');
    expectCode(await w.main('POST', '/interests/groups/501/count/async?TargetID=778', {}), '502');
    expectCode(await w.main('POST', '/interests/5009/count/async', {}), '432');
  });
});
