// Dolist targets over HTTP: targets, laws and criteria (with every validation code of the
// criteria rules), the catalogues built from the account's state, the evaluation of a target
// over the generated contact base (expected counts computed here from the raw contact records of
// the control API), the async operations landing on the workspace clock, bulk changes, copies,
// usage and tenancy. Every response is validated against specs/dolist.yaml.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/apis/dolist/error-catalogue.js';
import { dolistWorkspace, startApp, type Client, expectDolistCode } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

type W = Awaited<ReturnType<typeof dolistWorkspace>>;
interface Contact {
  ID: number;
  account: string;
  Values: Record<string, string>;
  Interests: Record<string, unknown>;
  UnsubscribeDate: string | null;
  SaleManagementID: number | null;
}

const small = { scenario: { name: 'small', fixtures: { dolist: { contactBase: { '10001': 30, '10002': 5 } } } } };

const expectCode = expectDolistCode;

async function contacts(w: W, account = '10001'): Promise<Contact[]> {
  const r = await c.sim('GET', `/workspaces/${w.id}/state/dolist/contacts?limit=1000`);
  return (r.records as Contact[]).filter((x) => x.account === account).sort((a, b) => a.ID - b.ID);
}

async function newTarget(w: W, name: string): Promise<number> {
  const r = await w.main('POST', '/targets', { Name: name });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.ID;
}

async function newLaw(w: W, t: number, body: Record<string, unknown> = {}): Promise<number> {
  const r = await w.main('POST', `/targets/${t}/laws`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.ID;
}

async function newCriteria(w: W, t: number, l: number, body: Record<string, unknown>): Promise<number> {
  const r = await w.main('POST', `/targets/${t}/laws/${l}/criterias`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.ID;
}

async function count(w: W, t: number): Promise<number> {
  const op = await w.main('POST', `/targets/${t}/count/async`, {});
  expect(op.status).toBe(201);
  await w.advance(10_000);
  const got = await w.main('GET', `/targets/${t}`);
  expect(got.body.CountStatus).toBe('Done');
  return got.body.ContactCount;
}

describe('catalogues', () => {
  it('lists categories, operators and criteria references built from the account', async () => {
    const w = await dolistWorkspace(c, 'dlt-cat', small);
    const cats = await w.main('GET', '/targets/categories');
    expect(cats.status).toBe(200);
    expect(cats.body.ItemList.map((x: any) => x.ID)).toEqual([1, 2, 3, 4, 5]);
    const ops = await w.main('GET', '/targets/operators');
    expect(ops.body.Total).toBe(15);
    const between = await w.main('GET', '/targets/operators/7');
    expect(between.body).toMatchObject({ ID: 7, Name: 'Between', MinParameterCount: 2, MaxParameterCount: 2 });
    expectCode(await w.main('GET', '/targets/operators/99'), '510');

    const refs = await w.main('GET', '/targets/criteriareferences');
    const ids = refs.body.ItemList.map((r: any) => r.ID);
    expect(ids).toContain('FIELD_7');
    expect(ids).toContain('INTEREST_5001');
    expect(ids).toContain('GROUP_501');
    expect(ids).toContain('CONTACT_CREATEDATE');
    expect(ids).not.toContain('INTEREST_5009'); // account 10002's
    const interestsOnly = await w.main('GET', '/targets/criteriareferences?CategoryID=2');
    expect(interestsOnly.body.ItemList.every((r: any) => r.CategoryID === 2)).toBe(true);
    expect(interestsOnly.body.Total).toBe(8 + 3);
    expectCode(await w.main('GET', '/targets/criteriareferences?CategoryID=77'), '123');
    const email = await w.main('GET', '/targets/criteriareferences/FIELD_7');
    expect(email.body).toMatchObject({ ID: 'FIELD_7', DataType: 'Email', CategoryID: 1, FieldID: 7 });
    expect((await w.main('GET', '/targets/criteriareferences/field_72')).body).toMatchObject({ ID: 'FIELD_72', DataType: 'List', CategoryID: 4 });
    expectCode(await w.main('GET', '/targets/criteriareferences/FIELD_999'), '507');
    expectCode(await w.main('GET', '/targets/criteriareferences/INTEREST_5009'), '507');

    // A target becomes a reference; it stands alone in its law.
    const t = await newTarget(w, 'Base');
    expect((await w.main('GET', `/targets/criteriareferences/TARGET_${t}`)).body).toMatchObject({ DataType: 'Target', TargetID: t, CategoryID: 5 });
    const allowed = await w.main('GET', '/targets/criteriareferences/FIELD_7/allowed');
    expect(allowed.status).toBe(200);
    expect(allowed.body.ItemList.map((r: any) => r.ID)).toContain('INTEREST_5001');
    expect(allowed.body.ItemList.map((r: any) => r.ID)).not.toContain(`TARGET_${t}`);
    expect((await w.main('GET', `/targets/criteriareferences/TARGET_${t}/allowed`)).body).toEqual({ ItemList: [], Total: 0 });
    expectCode(await w.main('GET', '/targets/criteriareferences/NOPE_1/allowed'), '507');
  });

  it('search controls: list, one, 404 [513], and the 204 [512] / [514] of the fixtures', async () => {
    const w = await dolistWorkspace(c, 'dlt-sc', small);
    const all = await w.main('GET', '/targets/searchcontrols');
    expect(all.status).toBe(200);
    expect(all.body.Total).toBe(6);
    expect((await w.main('GET', '/targets/searchcontrols/5')).body).toEqual({ TypeID: 5, Name: 'DropDownList', Kind: 'List' });
    expectCode(await w.main('GET', '/targets/searchcontrols/77'), '513');

    const none = await dolistWorkspace(c, 'dlt-sc-empty', { scenario: { name: 'x', fixtures: { dolist: { targetSearchControls: [] } } } });
    const empty = await none.main('GET', '/targets/searchcontrols');
    expect(empty.status).toBe(204);
    expect(empty.headers.get('x-dolist-code')).toBe('512');

    const blank = await dolistWorkspace(c, 'dlt-sc-blank', { scenario: { name: 'x', fixtures: { dolist: { targetSearchControls: [{ TypeID: 1, Name: '', Kind: 'Text' }] } } } });
    const r = await blank.main('GET', '/targets/searchcontrols/1');
    expect(r.status).toBe(204);
    expect(r.headers.get('x-dolist-code')).toBe('514');
  });

  it('the permanent filter switch: off by default, on from the fixtures, and it leaves out do-not-write addresses', async () => {
    const off = await dolistWorkspace(c, 'dlt-pf-off', small);
    expect((await off.main('GET', '/targets/permanent/filter')).body).toEqual({ IsEnabled: false });
    const on = await dolistWorkspace(c, 'dlt-pf-on', { scenario: { name: 'pf', fixtures: { dolist: { contactBase: { '10001': 30, '10002': 5 }, targetPermanentFilters: { '10001': true } } } } });
    expect((await on.main('GET', '/targets/permanent/filter')).body).toEqual({ IsEnabled: true });
    expect((await on.mainB('GET', '/targets/permanent/filter')).body).toEqual({ IsEnabled: false });
    const t = await newTarget(on, 'Everybody');
    const all = await contacts(on);
    const writable = all.filter((x) => !['3', '4', '7'].includes(x.Values['72']));
    expect(writable.length).toBeLessThan(all.length);
    expect(await count(on, t)).toBe(writable.length);
    const t2 = await newTarget(off, 'Everybody');
    expect(await count(off, t2)).toBe((await contacts(off)).length);
  });
});

describe('targets', () => {
  it('create (200 with the ID), read, list, search, update, delete, with [501] and [502]', async () => {
    const w = await dolistWorkspace(c, 'dlt-crud', small);
    const a = await newTarget(w, 'Clients Paris');
    const r = await w.main('POST', '/targets', { Name: 'Prospects', Description: 'pas encore clients' });
    expect(r.status).toBe(200);
    const b = r.body.ID;
    expect(b).toBe(a + 1);
    const got = await w.main('GET', `/targets/${a}`);
    expect(got.body).toMatchObject({ ID: a, Name: 'Clients Paris', LawCount: 0, CountStatus: 'None' });
    expect(got.body.ContactCount).toBeUndefined();
    expectCode(await w.main('POST', '/targets', { Name: ' clients paris ' }), '501');
    expectCode(await w.main('POST', '/targets', { Name: 'x', SourceTargetID: 99 }), '502');
    expect((await w.main('POST', '/targets', {})).status).toBe(400);

    const list = await w.main('GET', '/targets');
    expect(list.body.Total).toBe(2);
    expect((await w.main('GET', '/targets?SearchValue=clients')).body.ItemList.map((t: any) => t.ID)).toEqual([a, b]);
    const found = await w.main('POST', '/targets/search', { SearchValue: 'paris' });
    expect(found.status).toBe(200);
    expect(found.body.ItemList.map((t: any) => t.ID)).toEqual([a]);
    expect((await w.main('POST', '/targets/search', { Name: 'PROSPECTS' })).body.ItemList.map((t: any) => t.ID)).toEqual([b]);
    expect((await w.main('POST', '/targets/search', { Limit: 1, Offset: 1 })).body).toMatchObject({ Total: 2, ItemList: [{ ID: b }] });

    await w.advance(1000);
    expect((await w.main('PUT', `/targets/${a}`, { Name: 'Clients Lyon' })).status).toBe(204);
    const upd = await w.main('GET', `/targets/${a}`);
    expect(upd.body.Name).toBe('Clients Lyon');
    expect(upd.body.UpdateDate).not.toBe(upd.body.CreateDate);
    expectCode(await w.main('PUT', `/targets/${a}`, { Name: 'prospects' }), '501');
    expectCode(await w.main('PUT', '/targets/4242', { Name: 'y' }), '502');
    expect((await w.main('DELETE', `/targets/${b}`)).status).toBe(204);
    expectCode(await w.main('GET', `/targets/${b}`), '502');
    expectCode(await w.main('DELETE', `/targets/${b}`), '502');
  });

  it('tenancy: a target of account 10002 is not found with AccountID=10001; the brandB key gets 403 [6] for 10001', async () => {
    const w = await dolistWorkspace(c, 'dlt-tenancy', small);
    const r = await w.mainB('POST', '/targets', { Name: 'B only' });
    expect(r.status).toBe(200);
    const tb = r.body.ID;
    expect((await w.mainB('GET', `/targets/${tb}`)).status).toBe(200);
    expect((await w.brandB('GET', `/targets/${tb}`)).status).toBe(200);
    for (const [m, p] of [['GET', `/targets/${tb}`], ['GET', `/targets/${tb}/laws`], ['POST', `/targets/${tb}/count/async`], ['DELETE', `/targets/${tb}/contacts`], ['GET', `/targets/${tb}/tags`]] as const)
      expectCode(await w.main(m, p, m === 'POST' ? {} : undefined), '502');
    // The same name is free in another account.
    expect((await w.main('POST', '/targets', { Name: 'B only' })).status).toBe(200);
    expect((await w.main('GET', '/targets')).body.Total).toBe(1);
    expectCode(await w.brandB('GET', '/targets?AccountID=10001'), '6');
  });

  it('tags of a target (written by the platform area): empty list, 404 [502]', async () => {
    const w = await dolistWorkspace(c, 'dlt-tags', small);
    const t = await newTarget(w, 'T');
    expect((await w.main('GET', `/targets/${t}/tags`)).body).toEqual({ ItemList: [], Total: 0 });
    expectCode(await w.main('GET', '/targets/9999/tags'), '502');
  });
});

describe('laws and criteria', () => {
  it('laws: create (201), list in order, get, update (name, operator, position), delete renumbers; [502], [511]', async () => {
    const w = await dolistWorkspace(c, 'dlt-laws', small);
    const t = await newTarget(w, 'T');
    const other = await newTarget(w, 'Other');
    const l1 = await newLaw(w, t);
    const l2 = await newLaw(w, t, { Name: 'Second', Operator: 'and' });
    const l3 = await newLaw(w, t, { Name: 'First now', Position: 1 });
    const list = await w.main('GET', `/targets/${t}/laws`);
    expect(list.body.ItemList.map((l: any) => [l.ID, l.Position])).toEqual([[l3, 1], [l1, 2], [l2, 3]]);
    expect(list.body.ItemList[1]).toMatchObject({ Name: 'Law 1', Operator: 'Or', CriteriaCount: 0, TargetID: t });
    expect((await w.main('GET', `/targets/${t}/laws/${l2}`)).body).toMatchObject({ Name: 'Second', Operator: 'And', Position: 3 });
    expect((await w.main('GET', `/targets/${t}`)).body.LawCount).toBe(3);
    expect((await w.main('PUT', `/targets/${t}/laws/${l2}`, { Name: 'Renamed', Operator: 'Or', Position: 1 })).status).toBe(204);
    expect((await w.main('GET', `/targets/${t}/laws`)).body.ItemList.map((l: any) => l.ID)).toEqual([l2, l3, l1]);
    expect((await w.main('GET', `/targets/${t}/laws/${l2}`)).body).toMatchObject({ Name: 'Renamed', Operator: 'Or' });
    expect((await w.main('PUT', `/targets/${t}/laws/${l2}`, { Operator: 'Xor' })).status).toBe(400);
    expect((await w.main('DELETE', `/targets/${t}/laws/${l3}`)).status).toBe(204);
    expect((await w.main('GET', `/targets/${t}/laws`)).body.ItemList.map((l: any) => [l.ID, l.Position])).toEqual([[l2, 1], [l1, 2]]);
    expectCode(await w.main('GET', `/targets/${t}/laws/${l3}`), '511');
    expectCode(await w.main('PUT', `/targets/${t}/laws/${l3}`, { Name: 'x' }), '511');
    expectCode(await w.main('DELETE', `/targets/${t}/laws/${l3}`), '511');
    expectCode(await w.main('GET', `/targets/${other}/laws/${l1}`), '511');
    expectCode(await w.main('POST', '/targets/777/laws', {}), '502');
    expectCode(await w.main('GET', '/targets/777/laws'), '502');
  });

  it('criteria: create with every rule checked in order, read, list, update, delete; nested reads', async () => {
    const w = await dolistWorkspace(c, 'dlt-crit', small);
    const t = await newTarget(w, 'T');
    const base = await newTarget(w, 'Base');
    const l = await newLaw(w, t);
    const path = `/targets/${t}/laws/${l}/criterias`;
    expectCode(await w.main('POST', path, { CriteriaReferenceID: 'FIELD_999', OperatorID: 1, ParameterList: ['x'] }), '507');
    expectCode(await w.main('POST', path, { CriteriaReferenceID: 'FIELD_6', OperatorID: 99, ParameterList: ['x'] }), '510');
    expectCode(await w.main('POST', path, { CriteriaReferenceID: 'FIELD_6', OperatorID: 5 + 10, ParameterList: ['3'] }), '509');
    expectCode(await w.main('POST', path, { CriteriaReferenceID: 'INTEREST_5001', OperatorID: 1, ParameterList: ['x'] }), '509');
    expectCode(await w.main('POST', path, { CriteriaReferenceID: 'FIELD_10', OperatorID: 7, ParameterList: ['2020-01-01'] }), '520');
    expectCode(await w.main('POST', path, { CriteriaReferenceID: 'INTEREST_5001', OperatorID: 12, ParameterList: ['x'] }), '520');
    expectCode(await w.main('POST', path, { CriteriaReferenceID: 'FIELD_10', OperatorID: 5, ParameterList: ['not a date'] }), '506');
    expectCode(await w.main('POST', path, { CriteriaReferenceID: 'FIELD_72', OperatorID: 1, ParameterList: ['42'] }), '506');
    expectCode(await w.main('POST', path, { CriteriaReferenceID: 'GROUP_501', OperatorID: 10, ParameterList: ['5005'] }), '506');
    expectCode(await w.main('POST', path, { CriteriaReferenceID: 'CONTACT_CREATEDATE', OperatorID: 14, ParameterList: ['-3'] }), '506');
    expectCode(await w.main('POST', path, { CriteriaReferenceID: 'FIELD_6', OperatorID: 1, ParameterList: ['x'], SearchControlTypeID: 77 }), '513');
    expect((await w.main('POST', path, { OperatorID: 1 })).status).toBe(400);
    expectCode(await w.main('POST', `/targets/${t}/laws/4242/criterias`, { CriteriaReferenceID: 'FIELD_6', OperatorID: 1, ParameterList: ['x'] }), '511');

    const c1 = await newCriteria(w, t, l, { CriteriaReferenceID: 'FIELD_10', OperatorID: 7, ParameterList: ['01/02/1980', '1990-12-31'] });
    const got = await w.main('GET', `${path}/${c1}`);
    expect(got.body).toMatchObject({ ID: c1, LawID: l, TargetID: t, CriteriaReferenceID: 'FIELD_10', OperatorID: 7, ParameterList: ['1980-02-01', '1990-12-31'], SearchControlTypeID: 3, Position: 1 });
    // [504]: a target reference stands alone in its law, and never selects its own target.
    expectCode(await w.main('POST', path, { CriteriaReferenceID: `TARGET_${base}`, OperatorID: 12 }), '504');
    const l2 = await newLaw(w, t);
    expectCode(await w.main('POST', `/targets/${t}/laws/${l2}/criterias`, { CriteriaReferenceID: `TARGET_${t}`, OperatorID: 12 }), '504');
    await newCriteria(w, t, l2, { CriteriaReferenceID: `TARGET_${base}`, OperatorID: 12 });
    expectCode(await w.main('POST', `/targets/${t}/laws/${l2}/criterias`, { CriteriaReferenceID: 'FIELD_6', OperatorID: 9 }), '504');
    // A cycle: base selecting from t (which selects from base).
    const bl = await newLaw(w, base);
    expectCode(await w.main('POST', `/targets/${base}/laws/${bl}/criterias`, { CriteriaReferenceID: `TARGET_${t}`, OperatorID: 12 }), '504');

    const c2 = await newCriteria(w, t, l, { CriteriaReferenceID: 'GROUP_501', OperatorID: 10, ParameterList: ['5001', '5002'] });
    const crits = await w.main('GET', path);
    expect(crits.body.ItemList.map((x: any) => x.ID)).toEqual([c1, c2]);
    expect(crits.body.ItemList[1].ParameterList).toEqual(['5001', '5002']);
    // Update: the same checks; attributes not given are kept.
    expectCode(await w.main('PUT', `${path}/${c2}`, { OperatorID: 1 }), '509');
    expectCode(await w.main('PUT', `${path}/${c2}`, { OperatorID: 12 }), '520');
    expectCode(await w.main('PUT', `${path}/${c2}`, { ParameterList: ['5009'] }), '506');
    expectCode(await w.main('PUT', `${path}/${c2}`, { CriteriaReferenceID: 'GROUP_999' }), '507');
    expectCode(await w.main('PUT', `${path}/${c2}`, { SearchControlTypeID: 99 }), '513');
    expectCode(await w.main('PUT', `${path}/${c2}`, { CriteriaReferenceID: `TARGET_${base}`, OperatorID: 12, ParameterList: [] }), '504');
    expect((await w.main('PUT', `${path}/${c2}`, { OperatorID: 13, ParameterList: [] })).status).toBe(204);
    expect((await w.main('GET', `${path}/${c2}`)).body).toMatchObject({ OperatorID: 13, ParameterList: [], CriteriaReferenceID: 'GROUP_501' });
    expectCode(await w.main('PUT', `${path}/4242`, { OperatorID: 13 }), '508');

    const nested = await w.main('GET', `/targets/${t}/lawcriterias`);
    expect(nested.status).toBe(200);
    expect(nested.body.ItemList.map((x: any) => [x.ID, x.CriteriaList.map((k: any) => k.ID)])).toEqual([[l, [c1, c2]], [l2, [expect.any(Number)]]]);
    const one = await w.main('GET', `/targets/${t}/lawcriterias/${l}`);
    expect(one.body).toMatchObject({ ID: l, CriteriaCount: 2 });
    expectCode(await w.main('GET', `/targets/${t}/lawcriterias/4242`), '511');

    // The referenced target goes: the criterion's reads fail as the reference lists.
    expect((await w.main('DELETE', `/targets/${base}`)).status).toBe(204);
    const broken = (await w.main('GET', `/targets/${t}/laws/${l2}/criterias`)).body.ItemList[0].ID;
    expectCode(await w.main('GET', `/targets/${t}/laws/${l2}/criterias/${broken}`), '507');
    expectCode(await w.main('GET', `/targets/${t}/lawcriterias`), '521');
    expectCode(await w.main('GET', `/targets/${t}/lawcriterias/${l2}`), '521');
    expect((await w.main('GET', `/targets/${t}/lawcriterias/${l}`)).status).toBe(200);

    expect((await w.main('DELETE', `${path}/${c1}`)).status).toBe(204);
    expectCode(await w.main('DELETE', `${path}/${c1}`), '508');
    expectCode(await w.main('GET', `${path}/${c1}`), '508');
    expect((await w.main('GET', `${path}/${c2}`)).body.Position).toBe(1);
    // Deleting a law deletes its criteria.
    expect((await w.main('DELETE', `/targets/${t}/laws/${l}`)).status).toBe(204);
    const left = await c.sim('GET', `/workspaces/${w.id}/state/dolist/target_criteria`);
    expect(left.records.map((r: any) => r.ID)).not.toContain(c2);
  });
});

describe('evaluation and async operations', () => {
  it('counts a target of laws and criteria against the contacts, on the workspace clock', async () => {
    const w = await dolistWorkspace(c, 'dlt-count', small);
    const all = await contacts(w);
    const t = await newTarget(w, 'Sport valid or A');
    const l1 = await newLaw(w, t);
    await newCriteria(w, t, l1, { CriteriaReferenceID: 'INTEREST_5001', OperatorID: 12 });
    await newCriteria(w, t, l1, { CriteriaReferenceID: 'FIELD_72', OperatorID: 1, ParameterList: ['1'] });
    const l2 = await newLaw(w, t, { Operator: 'Or' });
    await newCriteria(w, t, l2, { CriteriaReferenceID: 'FIELD_3', OperatorID: 4, ParameterList: ['a'] });
    const expected = all.filter((x) => (x.Interests['5001'] && x.Values['72'] === '1') || (x.Values['3'] ?? '').toLowerCase().startsWith('a'));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);

    const op = await w.main('POST', `/targets/${t}/count/async`, {});
    expect(op.status).toBe(201);
    expect(op.body).toMatchObject({ Type: 'TargetCount', Status: 'Pending' });
    const pending = await w.main('GET', `/targets/${t}`);
    expect(pending.body).toMatchObject({ CountStatus: 'Pending', CountOperationID: op.body.ID });
    expect(pending.body.ContactCount).toBeUndefined();
    await w.advance(500);
    expect((await w.main('GET', `/targets/${t}`)).body.CountStatus).toBe('Pending');
    await w.advance(5000);
    const done = await w.main('GET', `/targets/${t}`);
    expect(done.body).toMatchObject({ CountStatus: 'Done', ContactCount: expected.length });
    expect(done.body.LastCountDate).toBeDefined();
    const job = await c.sim('GET', `/workspaces/${w.id}/operations/${op.body.ID}?api=dolist`);
    expect(job.status).toBe('succeeded');
    expect(job.result).toEqual({ ContactCount: expected.length });

    // The second law joined with And instead: the intersection.
    expect((await w.main('PUT', `/targets/${t}/laws/${l2}`, { Operator: 'And' })).status).toBe(204);
    const both = all.filter((x) => x.Interests['5001'] && x.Values['72'] === '1' && (x.Values['3'] ?? '').toLowerCase().startsWith('a'));
    expect(await count(w, t)).toBe(both.length);

    // Dates, not-in-list, is-empty.
    const t2 = await newTarget(w, 'Recent, not unsubscribed, with mobile');
    const m = await newLaw(w, t2);
    await newCriteria(w, t2, m, { CriteriaReferenceID: 'CONTACT_CREATEDATE', OperatorID: 14, ParameterList: ['180'] });
    await newCriteria(w, t2, m, { CriteriaReferenceID: 'FIELD_72', OperatorID: 11, ParameterList: ['7', '4'] });
    await newCriteria(w, t2, m, { CriteriaReferenceID: 'FIELD_14', OperatorID: 9 });
    const raw = await c.sim('GET', `/workspaces/${w.id}/state/dolist/contacts?limit=1000`);
    const now = Date.parse('2026-03-02T09:00:00Z') + 10_500 + 10_000;
    const recent = (raw.records as any[]).filter(
      (x) => x.account === '10001' && Date.parse(x.CreateDate) >= now - 180 * 86400_000 && !['7', '4'].includes(x.Values['72']) && x.Values['14'],
    );
    expect(await count(w, t2)).toBe(recent.length);
  });

  it('a target of another target, an empty target, SaleManagementID; a count of a deleted target ends in Error', async () => {
    const w = await dolistWorkspace(c, 'dlt-nested', small);
    const all = await contacts(w);
    const cuisine = await newTarget(w, 'Cuisine');
    await newCriteria(w, cuisine, await newLaw(w, cuisine), { CriteriaReferenceID: 'INTEREST_5002', OperatorID: 12 });
    const notCuisine = await newTarget(w, 'Not cuisine');
    await newCriteria(w, notCuisine, await newLaw(w, notCuisine), { CriteriaReferenceID: `TARGET_${cuisine}`, OperatorID: 13 });
    const withCuisine = all.filter((x) => x.Interests['5002']).length;
    expect(await count(w, notCuisine)).toBe(all.length - withCuisine);
    const empty = await newTarget(w, 'Everyone');
    expect(await count(w, empty)).toBe(all.length);
    expect((await w.main('POST', `/targets/${empty}/count/async`, { SaleManagementID: 5 })).status).toBe(201);
    await w.advance(10_000);
    expect((await w.main('GET', `/targets/${empty}`)).body.ContactCount).toBe(0);

    const op = await w.main('POST', `/targets/${cuisine}/count/async`, {});
    expect((await w.main('DELETE', `/targets/${cuisine}`)).status).toBe(204);
    await w.advance(10_000);
    const job = await c.sim('GET', `/workspaces/${w.id}/operations/${op.body.ID}?api=dolist`);
    expect(job.status).toBe('failed');
  });

  it('contacts/async lists the matching ContactIDs on the operation; preview validates the target', async () => {
    const w = await dolistWorkspace(c, 'dlt-list', small);
    const all = await contacts(w);
    const t = await newTarget(w, 'Voyage');
    await newCriteria(w, t, await newLaw(w, t), { CriteriaReferenceID: 'GROUP_501', OperatorID: 10, ParameterList: ['5003'] });
    const op = await w.main('POST', `/targets/${t}/contacts/async`, {});
    expect(op.status).toBe(201);
    expect(op.body.Type).toBe('TargetContacts');
    await w.advance(10_000);
    const job = await c.sim('GET', `/workspaces/${w.id}/operations/${op.body.ID}?api=dolist`);
    expect(job.result.ContactIDList).toEqual(all.filter((x) => x.Interests['5003']).map((x) => x.ID));
    expect((await w.main('POST', `/targets/${t}/contacts/preview`, {})).status).toBe(204);
    expectCode(await w.main('POST', '/targets/4242/contacts/preview', {}), '502');
    expectCode(await w.main('POST', '/targets/4242/contacts/async', {}), '502');
  });

  it('unsubscribe/async unsubscribes the matched contacts when Done; a later count drops', async () => {
    const w = await dolistWorkspace(c, 'dlt-unsub', small);
    const all = await contacts(w);
    const valid = await newTarget(w, 'Valid musique');
    const l = await newLaw(w, valid);
    await newCriteria(w, valid, l, { CriteriaReferenceID: 'FIELD_72', OperatorID: 1, ParameterList: ['1'] });
    await newCriteria(w, valid, l, { CriteriaReferenceID: 'INTEREST_5004', OperatorID: 12 });
    const matched = all.filter((x) => x.Values['72'] === '1' && x.Interests['5004']);
    expect(matched.length).toBeGreaterThan(0);
    const op = await w.main('POST', `/targets/${valid}/unsubscribe/async`, {});
    expect(op.body.Type).toBe('TargetUnsubscribe');
    expect((await contacts(w)).filter((x) => x.Values['72'] === '7').length).toBe(all.filter((x) => x.Values['72'] === '7').length);
    await w.advance(10_000);
    const after = await contacts(w);
    for (const m of matched) {
      const x = after.find((y) => y.ID === m.ID)!;
      expect(x.Values['72']).toBe('7');
      expect(x.UnsubscribeDate).not.toBeNull();
    }
    expect(after.length).toBe(all.length);
    expect(await count(w, valid)).toBe(0);
  });

  it('contactsdelete/async deletes them when Done; DELETE .../contacts at once (SaleManagementID restricts it)', async () => {
    const w = await dolistWorkspace(c, 'dlt-delete', small);
    const all = await contacts(w);
    const t = await newTarget(w, 'Sport');
    await newCriteria(w, t, await newLaw(w, t), { CriteriaReferenceID: 'INTEREST_5001', OperatorID: 12 });
    const sport = all.filter((x) => x.Interests['5001']);
    const op = await w.main('POST', `/targets/${t}/contactsdelete/async`, {});
    expect(op.body.Type).toBe('TargetContactsDelete');
    expect((await contacts(w)).length).toBe(all.length);
    await w.advance(10_000);
    expect((await contacts(w)).length).toBe(all.length - sport.length);

    const t2 = await newTarget(w, 'Cuisine');
    await newCriteria(w, t2, await newLaw(w, t2), { CriteriaReferenceID: 'INTEREST_5002', OperatorID: 12 });
    const cuisine = (await contacts(w)).filter((x) => x.Interests['5002']);
    expect((await w.main('DELETE', `/targets/${t2}/contacts?SaleManagementID=3`)).status).toBe(204);
    expect((await contacts(w)).length).toBe(all.length - sport.length);
    expect((await w.main('DELETE', `/targets/${t2}/contacts`)).status).toBe(204);
    expect((await contacts(w)).length).toBe(all.length - sport.length - cuisine.length);
    expect((await contacts(w, '10002')).length).toBe(5);
    expectCode(await w.main('DELETE', '/targets/4242/contacts'), '502');
  });
});

describe('bulk changes and reads over a target', () => {
  it('PUT fields/{FieldID} sets the value on every contact; [415], [405], composite key [36]', async () => {
    const w = await dolistWorkspace(c, 'dlt-field', small);
    const t = await newTarget(w, 'Sport');
    await newCriteria(w, t, await newLaw(w, t), { CriteriaReferenceID: 'INTEREST_5001', OperatorID: 12 });
    expect((await w.main('PUT', `/targets/${t}/fields/11`, { Value: 'ACME' })).status).toBe(204);
    const after = await contacts(w);
    for (const x of after) expect(x.Values['11']).toBe(x.Interests['5001'] ? 'ACME' : undefined);
    expect((await w.main('PUT', `/targets/${t}/fields/10`, { Value: '24/12/1990' })).status).toBe(204);
    expect((await contacts(w)).filter((x) => x.Values['10'] === '1990-12-24').length).toBe(after.filter((x) => x.Interests['5001']).length);
    expectCode(await w.main('PUT', `/targets/${t}/fields/10`, { Value: 'yesterday' }), '405');
    expectCode(await w.main('PUT', `/targets/${t}/fields/999`, { Value: 'x' }), '415');
    expectCode(await w.main('PUT', `/targets/${t}/fields/7`, { Value: 'a@b.fr' }), '36');
    expectCode(await w.main('PUT', `/targets/4242/fields/11`, { Value: 'x' }), '502');
    expect((await w.main('PUT', `/targets/${t}/fields/11`, { Value: null })).status).toBe(204);
    expect((await contacts(w)).some((x) => x.Values['11'] !== undefined)).toBe(false);

    // Occupancy and value counts over the target.
    const sport = (await contacts(w)).filter((x) => x.Interests['5001']);
    const occ = await w.main('GET', `/targets/${t}/fields/occupancy?FieldIDList=10,14`);
    expect(occ.status).toBe(200);
    expect(occ.body.ItemList).toEqual([
      { FieldID: 10, Name: 'Date de naissance', FilledCount: sport.length, ContactCount: sport.length, Rate: 100 },
      { FieldID: 14, Name: 'Mobile', FilledCount: sport.filter((x) => x.Values['14']).length, ContactCount: sport.length, Rate: Math.round((sport.filter((x) => x.Values['14']).length / sport.length) * 10000) / 100 },
    ]);
    expect((await w.main('GET', `/targets/${t}/fields/occupancy`)).body.Total).toBe(14);
    expectCode(await w.main('GET', `/targets/${t}/fields/occupancy?FieldIDList=999`), '415');
    const titles = await w.main('GET', `/targets/${t}/fields/1/count`);
    const expected = new Map<string, number>();
    for (const x of sport) expected.set(x.Values['1'], (expected.get(x.Values['1']) ?? 0) + 1);
    expect(titles.body.Total).toBe(expected.size);
    for (const row of titles.body.ItemList) expect(row.Count).toBe(expected.get(row.Value));
    expect((await w.main('GET', `/targets/${t}/fields/1/count?MinCount=1000`)).body).toEqual({ ItemList: [], Total: 0 });
    expectCode(await w.main('GET', `/targets/${t}/fields/999/count`), '415');
  });

  it('PUT interests/{InterestID} links or unlinks it; PUT contacts/status sets the address status', async () => {
    const w = await dolistWorkspace(c, 'dlt-bulk', small);
    const t = await newTarget(w, 'Voyage');
    await newCriteria(w, t, await newLaw(w, t), { CriteriaReferenceID: 'INTEREST_5003', OperatorID: 12 });
    const voyage = (await contacts(w)).filter((x) => x.Interests['5003']).map((x) => x.ID);
    expect((await w.main('PUT', `/targets/${t}/interests/5006`, {})).status).toBe(204);
    for (const x of await contacts(w)) expect(Boolean(x.Interests['5006'])).toBe(voyage.includes(x.ID) || Boolean((x.Interests as any)['5006']?.Origin === 4));
    expect((await contacts(w)).filter((x) => voyage.includes(x.ID)).every((x) => x.Interests['5006'])).toBe(true);
    expect((await w.main('PUT', `/targets/${t}/interests/5006`, { IsLinked: false })).status).toBe(204);
    expect((await contacts(w)).filter((x) => voyage.includes(x.ID)).some((x) => x.Interests['5006'])).toBe(false);
    expectCode(await w.main('PUT', `/targets/${t}/interests/5009`, {}), '432');
    expectCode(await w.main('PUT', `/targets/4242/interests/5006`, {}), '502');

    expect((await w.main('PUT', `/targets/${t}/contacts/status`, { Status: '7' })).status).toBe(204);
    let now = await contacts(w);
    for (const x of now.filter((y) => voyage.includes(y.ID))) {
      expect(x.Values['72']).toBe('7');
      expect(x.UnsubscribeDate).not.toBeNull();
    }
    expect((await w.main('PUT', `/targets/${t}/contacts/status`, { Status: '1' })).status).toBe(204);
    now = await contacts(w);
    for (const x of now.filter((y) => voyage.includes(y.ID))) {
      expect(x.Values['72']).toBe('1');
      expect(x.UnsubscribeDate).toBeNull();
    }
    expect((await w.main('PUT', `/targets/${t}/contacts/status`, { Status: '9' })).status).toBe(400);
    expectCode(await w.main('PUT', '/targets/4242/contacts/status', { Status: '1' }), '502');
  });

  it('dynamic searches: list values, field values with counts, 404 [513] [502] [511] [507]', async () => {
    const w = await dolistWorkspace(c, 'dlt-exec', small);
    const t = await newTarget(w, 'Sport');
    const l = await newLaw(w, t);
    await newCriteria(w, t, l, { CriteriaReferenceID: 'INTEREST_5001', OperatorID: 12 });
    const statuses = await w.main('POST', '/targets/searchcontrols/execute', { TypeID: 5, CriteriaReferenceID: 'FIELD_72' });
    expect(statuses.status).toBe(201);
    expect(statuses.body.Total).toBe(7);
    expect((await w.main('POST', '/targets/searchcontrols/execute', { TypeID: 5, CriteriaReferenceID: 'FIELD_72', SearchValue: 'bounce' })).body.ItemList.map((v: any) => v.Value)).toEqual(['2', '4']);
    expect((await w.main('POST', '/targets/searchcontrols/execute', { TypeID: 5, CriteriaReferenceID: 'GROUP_502' })).body.ItemList).toEqual([
      { Value: '5005', Name: 'Newsletter hebdomadaire' },
      { Value: '5006', Name: 'Offres partenaires' },
    ]);
    const sport = (await contacts(w)).filter((x) => x.Interests['5001']);
    const titles = await w.main('POST', '/targets/searchcontrols/execute', { TypeID: 1, CriteriaReferenceID: 'FIELD_1', TargetID: t, LawID: l });
    expect(titles.body.ItemList.reduce((n: number, v: any) => n + v.Count, 0)).toBe(sport.length);
    expectCode(await w.main('POST', '/targets/searchcontrols/execute', { TypeID: 77, CriteriaReferenceID: 'FIELD_1' }), '513');
    expectCode(await w.main('POST', '/targets/searchcontrols/execute', { TypeID: 1, CriteriaReferenceID: 'FIELD_1', TargetID: 4242 }), '502');
    expectCode(await w.main('POST', '/targets/searchcontrols/execute', { TypeID: 1, CriteriaReferenceID: 'FIELD_1', TargetID: t, LawID: 4242 }), '511');
    expectCode(await w.main('POST', '/targets/searchcontrols/execute', { TypeID: 1, CriteriaReferenceID: 'FIELD_999' }), '507');
  });
});

describe('copies and usage', () => {
  it('POST duplicate copies laws and criteria (new ids, no counts); PUT duplicate?SourceTargetID copies them with the count values', async () => {
    const w = await dolistWorkspace(c, 'dlt-dup', small);
    const t = await newTarget(w, 'Source');
    const l = await newLaw(w, t, { Name: 'Sport' });
    const crit = await newCriteria(w, t, l, { CriteriaReferenceID: 'INTEREST_5001', OperatorID: 12 });
    const n = await count(w, t);
    const d = await w.main('POST', `/targets/${t}/duplicate`, {});
    expect(d.status).toBe(201);
    const dup = await w.main('GET', `/targets/${d.body.ID}`);
    expect(dup.body).toMatchObject({ Name: 'Source (copy)', LawCount: 1, CountStatus: 'None' });
    expect(dup.body.ContactCount).toBeUndefined();
    const nested = (await w.main('GET', `/targets/${d.body.ID}/lawcriterias`)).body.ItemList;
    expect(nested[0].ID).not.toBe(l);
    expect(nested[0].Name).toBe('Sport');
    expect(nested[0].CriteriaList[0]).toMatchObject({ CriteriaReferenceID: 'INTEREST_5001', OperatorID: 12 });
    expect(nested[0].CriteriaList[0].ID).not.toBe(crit);
    expectCode(await w.main('POST', `/targets/${t}/duplicate`, {}), '501');
    expect((await w.main('POST', `/targets/${t}/duplicate`, { Name: 'Copy 2' })).status).toBe(201);
    expectCode(await w.main('POST', '/targets/4242/duplicate', {}), '502');
    const viaCreate = await w.main('POST', '/targets', { Name: 'From source', SourceTargetID: t });
    expect((await w.main('GET', `/targets/${viaCreate.body.ID}`)).body.LawCount).toBe(1);

    const dest = await newTarget(w, 'Dest');
    await newLaw(w, dest);
    await newLaw(w, dest);
    expect((await w.main('PUT', `/targets/${dest}/duplicate?SourceTargetID=${t}`, {})).status).toBe(204);
    const got = await w.main('GET', `/targets/${dest}`);
    expect(got.body).toMatchObject({ Name: 'Dest', LawCount: 1, ContactCount: n, CountStatus: 'Done' });
    expectCode(await w.main('PUT', `/targets/${dest}/duplicate?SourceTargetID=4242`, {}), '502');
    expectCode(await w.main('PUT', `/targets/4242/duplicate?SourceTargetID=${t}`, {}), '502');
    expect((await w.main('PUT', `/targets/${dest}/duplicate`, {})).status).toBe(400);
  });

  it('usage: the targets that select from a target; [502]; a bad TypeID', async () => {
    const w = await dolistWorkspace(c, 'dlt-usage', small);
    const t = await newTarget(w, 'Base');
    expect((await w.main('GET', `/targets/${t}/usage`)).body).toEqual({ ItemList: [], Total: 0 });
    const u1 = await newTarget(w, 'User 1');
    await newCriteria(w, u1, await newLaw(w, u1), { CriteriaReferenceID: `TARGET_${t}`, OperatorID: 12 });
    const u2 = await newTarget(w, 'User 2');
    await newCriteria(w, u2, await newLaw(w, u2), { CriteriaReferenceID: `TARGET_${t}`, OperatorID: 13 });
    expect((await w.main('GET', `/targets/${t}/usage`)).body).toEqual({ ItemList: [{ TypeID: 1, TypeName: 'Target', Count: 2 }], Total: 1 });
    expect((await w.main('GET', `/targets/${t}/usage/1`)).body).toEqual({ ItemList: [{ ID: u1, Name: 'User 1' }, { ID: u2, Name: 'User 2' }], Total: 2 });
    expect((await w.main('GET', `/targets/${t}/usage/1?Offset=1&Limit=1`)).body).toEqual({ ItemList: [{ ID: u2, Name: 'User 2' }], Total: 2 });
    expect((await w.main('GET', `/targets/${t}/usage/7`)).body).toEqual({ ItemList: [], Total: 0 });
    expect((await w.main('GET', `/targets/${t}/usage/99`)).status).toBe(400);
    expectCode(await w.main('GET', '/targets/4242/usage'), '502');
    expectCode(await w.main('GET', '/targets/4242/usage/1'), '502');
  });
});

describe('robustness', () => {
  it('every operation of the area answers unknown ids and empty bodies with a vendor error, never a 5xx', async () => {
    const w = await dolistWorkspace(c, 'dlt-sweep', small);
    const t = await newTarget(w, 'T');
    const l = await newLaw(w, t);
    const k = await newCriteria(w, t, l, { CriteriaReferenceID: 'FIELD_6', OperatorID: 9 });
    const ops: Array<[string, string, unknown?]> = [];
    for (const [tid, lid, cid] of [[t, l, k], [4242, l, k], [t, 4242, k], [t, l, 4242], ['abc', 'x', 'y']] as const) {
      ops.push(
        ['GET', `/targets/${tid}`], ['PUT', `/targets/${tid}`, {}], ['POST', `/targets/${tid}/duplicate`, {}], ['PUT', `/targets/${tid}/duplicate?SourceTargetID=${tid}`, {}],
        ['GET', `/targets/${tid}/laws`], ['POST', `/targets/${tid}/laws`, {}], ['GET', `/targets/${tid}/lawcriterias`], ['GET', `/targets/${tid}/lawcriterias/${lid}`],
        ['GET', `/targets/${tid}/laws/${lid}`], ['PUT', `/targets/${tid}/laws/${lid}`, {}], ['GET', `/targets/${tid}/laws/${lid}/criterias`],
        ['POST', `/targets/${tid}/laws/${lid}/criterias`, {}], ['GET', `/targets/${tid}/laws/${lid}/criterias/${cid}`], ['PUT', `/targets/${tid}/laws/${lid}/criterias/${cid}`, {}],
        ['GET', `/targets/${tid}/usage`], ['GET', `/targets/${tid}/usage/1`], ['GET', `/targets/${tid}/tags`],
        ['POST', `/targets/${tid}/count/async`, {}], ['POST', `/targets/${tid}/contacts/async`, {}], ['POST', `/targets/${tid}/contacts/preview`, {}],
        ['PUT', `/targets/${tid}/fields/${lid}`, {}], ['PUT', `/targets/${tid}/interests/${lid}`, {}], ['PUT', `/targets/${tid}/contacts/status`, {}],
        ['GET', `/targets/${tid}/fields/occupancy?FieldIDList=${lid}`], ['GET', `/targets/${tid}/fields/${lid}/count?MinCount=-1`],
        ['GET', `/targets/criteriareferences/${cid}`], ['GET', `/targets/criteriareferences/${cid}/allowed`], ['GET', `/targets/operators/${cid}`], ['GET', `/targets/searchcontrols/${cid}`],
        ['POST', '/targets/searchcontrols/execute', { TypeID: 1, CriteriaReferenceID: String(cid), TargetID: typeof tid === 'number' ? tid : undefined, LawID: typeof lid === 'number' ? lid : undefined }],
      );
    }
    ops.push(['POST', '/targets/search', { Limit: 0 }], ['POST', '/targets/search', { SortField: 'Nope' }], ['GET', '/targets?Offset=-1'], ['POST', '/targets', { Name: '' }]);
    for (const [m, p, b] of ops) {
      const r = await w.main(m, p, b);
      expect(r.status, `${m} ${p} -> ${JSON.stringify(r.body)}`).toBeLessThan(500);
    }
    // The destructive ones last.
    for (const [m, p] of [['DELETE', `/targets/${t}/laws/${l}/criterias/4242`], ['DELETE', `/targets/${t}/laws/4242`], ['DELETE', '/targets/4242/contacts'], ['POST', '/targets/4242/unsubscribe/async'], ['POST', '/targets/4242/contactsdelete/async'], ['DELETE', '/targets/abc']] as const) {
      const r = await w.main(m, p, m === 'POST' ? {} : undefined);
      expect(r.status, `${m} ${p} -> ${JSON.stringify(r.body)}`).toBeLessThan(500);
      expect(r.status).toBeGreaterThanOrEqual(400);
    }
  });
});
