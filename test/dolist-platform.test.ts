// The Dolist platform area over HTTP: the key's accounts, packs, lock reasons and members;
// users (global, Email unique, memberships, password renewal with a token on the workspace
// clock); roles (per account and application, right levels, users, system roles read-only);
// the rights catalogue; tags (colours, item types, tagging items and finding them); variables
// (the fields' personalisation names); form tags. Every answer is validated against
// specs/dolist.yaml; error codes and messages are the catalogue's, verbatim.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/apis/dolist/error-catalogue.js';
import { dolistWorkspace, startApp, type Client, expectDolistCode, type Res } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

type Res = { status: number; body: any };
const expectCode = expectDolistCode;
const ids = (r: Res, key = 'ID') => r.body.ItemList.map((x: any) => x[key]);

describe('accounts', () => {
  it('lists the key\'s accounts for the function it acts with, with the applications', async () => {
    const w = await dolistWorkspace(c, 'dlp-accounts');
    const all = await w.main('GET', '/accounts?UserFunction=administrator');
    expect(all.status).toBe(200);
    expect(all.body.Total).toBe(2);
    expect(all.body.ItemList[0]).toEqual({ AccountID: 10001, Name: 'Commsim Demo', CompanyName: 'Commsim Démo SAS', UserFunction: 'Administrator', ApplicationIDList: [1, 2, 3] });
    const b = await w.brandB('GET', '/accounts?UserFunction=Administrator');
    expect(ids(b, 'AccountID')).toEqual([10002]);
    expect((await w.main('GET', '/accounts?UserFunction=Marketing')).body).toEqual({ ItemList: [], Total: 0 });
    expectCode(await w.main('GET', '/accounts?UserFunction=Boss'), '36', 'UserFunction');
    expectCode(await w.main('GET', '/accounts?UserFunction=Administrator&ApplicationID=99'), '8', 'ApplicationID');
    expectCode(await w.main('GET', '/accounts'), '36');
  });

  it('lists and reads the account\'s packs; another account\'s pack is not found', async () => {
    const w = await dolistWorkspace(c, 'dlp-packs');
    const l = await w.main('GET', '/accounts/10001/packs');
    expect(ids(l)).toEqual([71, 72]);
    expect(l.body.Total).toBe(2);
    expect((await w.main('GET', '/accounts/10001/packs/71')).body).toEqual({ ID: 71, Name: 'Pack Premium', Domain: 'news.commsim.example', Type: 'Dedicated', IsAllowed: true });
    expectCode(await w.main('GET', '/accounts/10001/packs/73'), '701');
    expect((await w.mainB('GET', '/accounts/10002/packs/73')).status).toBe(200);
    expectCode(await w.brandB('GET', '/accounts/10001/packs'), '6');
    expectCode(await w.brandB('GET', '/accounts/10001/packs/71'), '6');
  });

  it('answers the right lock reasons of the account, filtered by right and level', async () => {
    const w = await dolistWorkspace(c, 'dlp-reasons');
    const r = await w.main('GET', '/accounts/10002/reasons?ApplicationID=1');
    expect(r.body.Total).toBe(2);
    expect(r.body.ItemList[0]).toEqual({ RightID: 105, LevelID: 2, RightName: 'Envois SMS', LevelName: 'Modification', Reason: "L'option SMS n'est pas souscrite" });
    expect((await w.main('GET', '/accounts/10002/reasons?ApplicationID=1&RightID=105&LevelID=3')).body.Total).toBe(1);
    expect((await w.main('GET', '/accounts/10002/reasons?ApplicationID=1&RightID=101')).body.Total).toBe(0);
    expect((await w.main('GET', '/accounts/10001/reasons?ApplicationID=1')).body.ItemList).toEqual([{ RightID: 106, LevelID: 3, RightName: 'Utilisateurs et rôles', LevelName: 'Administration', Reason: 'Réservé au support Dolist' }]);
    expect((await w.main('GET', '/accounts/10001/reasons?ApplicationID=2')).body.Total).toBe(0);
    expectCode(await w.main('GET', '/accounts/10002/reasons?ApplicationID=1&RightID=999'), '126', 'RightID');
    expectCode(await w.main('GET', '/accounts/10002/reasons?ApplicationID=9'), '8');
    expectCode(await w.brandB('GET', '/accounts/10001/reasons?ApplicationID=1'), '6');
  });

  it('adds, re-functions and removes members; the licence caps them; the last Administrator stays', async () => {
    const w = await dolistWorkspace(c, 'dlp-members');
    const list = await w.main('GET', '/accounts/10001/users?ApplicationID=1');
    expect(list.body.ItemList).toEqual([
      { UserID: 301, Email: 'claire.martin@commsim.example', FirstName: 'Claire', LastName: 'Martin', IsActive: true, UserFunction: 'Administrator', RoleIDList: [151] },
      { UserID: 302, Email: 'hugo.bernard@commsim.example', FirstName: 'Hugo', LastName: 'Bernard', IsActive: true, UserFunction: 'Marketing', RoleIDList: [152] },
    ]);
    const u = (await w.main('POST', '/users', { Email: 'lea@commsim.example', FirstName: 'Léa' })).body.ID;
    expect((await w.main('POST', `/accounts/10001/users?ApplicationID=1&UserID=${u}&UserFunction=viewer`)).status).toBe(204);
    expect((await w.main('GET', '/accounts/10001/users?ApplicationID=1')).body.ItemList[2]).toEqual({ UserID: u, Email: 'lea@commsim.example', FirstName: 'Léa', IsActive: true, UserFunction: 'Viewer', RoleIDList: [] });
    // Adding again changes the function (idempotent otherwise).
    expect((await w.main('POST', `/accounts/10001/users?ApplicationID=1&UserID=${u}&UserFunction=Manager`)).status).toBe(204);
    expect((await w.main('GET', '/accounts/10001/users?ApplicationID=1')).body.ItemList[2].UserFunction).toBe('Manager');
    expect((await w.main('GET', `/users/${u}/accounts`)).body.ItemList).toEqual([{ AccountID: 10001, Name: 'Commsim Demo', CompanyName: 'Commsim Démo SAS', UserFunction: 'Manager', ApplicationIDList: [1, 2, 3] }]);
    // Given a role, then removed from the account: out of the role too.
    expect((await w.main('PUT', `/roles/152/users?ApplicationID=1&OperationMode=Add`, { UserIDList: [u] })).status).toBe(204);
    expectCode(await w.main('DELETE', `/accounts/10001/users/${u}?ApplicationID=1&UserFunction=Viewer`), '908', 'UserFunction');
    expect((await w.main('DELETE', `/accounts/10001/users/${u}?ApplicationID=1&UserFunction=Manager`)).status).toBe(204);
    expect(ids(await w.main('GET', '/accounts/10001/users?ApplicationID=1'), 'UserID')).toEqual([301, 302]);
    expect(ids(await w.main('GET', '/roles/152/users?ApplicationID=1'), 'UserID')).toEqual([302]);
    expectCode(await w.main('DELETE', `/accounts/10001/users/${u}?ApplicationID=1&UserFunction=Manager`), '901', 'UserID');
    // The only Administrator cannot leave, nor change function.
    expectCode(await w.main('DELETE', '/accounts/10001/users/301?ApplicationID=1&UserFunction=Administrator'), '908');
    expectCode(await w.main('POST', '/accounts/10001/users?ApplicationID=1&UserID=301&UserFunction=Viewer'), '908');
    // Unknown users, users the key cannot see, unknown functions and applications.
    expectCode(await w.main('POST', '/accounts/10001/users?ApplicationID=1&UserID=999&UserFunction=Viewer'), '901', 'UserID');
    const hidden = (await w.brandB('POST', '/users', { Email: 'hidden@brandb.example' })).body.ID;
    expectCode(await w.main('POST', `/accounts/10001/users?ApplicationID=1&UserID=${hidden}&UserFunction=Viewer`), '901');
    expectCode(await w.main('POST', `/accounts/10001/users?ApplicationID=1&UserID=${u}&UserFunction=Chief`), '36', 'UserFunction');
    expectCode(await w.main('GET', '/accounts/10001/users?ApplicationID=7'), '8');
    expectCode(await w.main('DELETE', '/accounts/10001/users/302?ApplicationID=7&UserFunction=Marketing'), '8');
    expectCode(await w.main('POST', '/accounts/10001/users?ApplicationID=1&UserFunction=Viewer'), '36');
    // Account 10002's licence allows 3 users: it has 2.
    expect((await w.brandB('POST', `/accounts/10002/users?ApplicationID=1&UserID=${hidden}&UserFunction=Viewer`)).status).toBe(204);
    const one = (await w.main('POST', '/users', { Email: 'one-too-many@commsim.example' })).body.ID;
    expectCode(await w.main('POST', `/accounts/10002/users?ApplicationID=1&UserID=${one}&UserFunction=Viewer`), '908', 'UserID');
    expect((await w.main('GET', '/users/licence')).body.ItemList.map((l: any) => [l.AccountID, l.UserCount, l.MaxUsers])).toEqual([
      [10001, 2, 10],
      [10002, 3, 3],
    ]);
    expectCode(await w.brandB('GET', '/accounts/10001/users?ApplicationID=1'), '6');
    expectCode(await w.brandB('POST', `/accounts/10001/users?ApplicationID=1&UserID=${hidden}&UserFunction=Viewer`), '6');
    expectCode(await w.brandB('DELETE', `/accounts/10001/users/302?ApplicationID=1&UserFunction=Marketing`), '6');
  });
});

describe('users', () => {
  it('creates, reads, updates and deletes users; Email is unique; the password is never shown', async () => {
    const w = await dolistWorkspace(c, 'dlp-users');
    const created = await w.main('POST', '/users', { Email: 'Paul.Durand@commsim.example', FirstName: 'Paul', LastName: 'Durand', Password: 'Secret123', AttributeList: [{ Key: 'phone', Value: '+33102030405' }] });
    expect(created.status).toBe(201);
    const id = created.body.ID;
    expect(id).toBe(304);
    const u = await w.main('GET', `/users/${id}`);
    expect(u.body).toEqual({
      ID: id, Email: 'Paul.Durand@commsim.example', FirstName: 'Paul', LastName: 'Durand', IsActive: true, HasPassword: true,
      AttributeList: [{ Key: 'Phone', Value: '+33102030405' }], AccountList: [], CreateDate: '2026-03-02T09:00:00.000Z', UpdateDate: '2026-03-02T09:00:00.000Z',
    });
    expect(JSON.stringify(u.body)).not.toContain('Secret123');
    expect((await w.main('GET', `/users/301?RequiredFieldList=Email,AccountList`)).body).toEqual({ ID: 301, Email: 'claire.martin@commsim.example', AccountList: [{ AccountID: 10001, UserFunction: 'Administrator' }, { AccountID: 10002, UserFunction: 'Administrator' }] });
    expect((await w.main('GET', `/users/301?RequiredFieldList=FirstName&RequiredFieldList=IsActive`)).body).toEqual({ ID: 301, FirstName: 'Claire', IsActive: true });
    expectCode(await w.main('GET', `/users/301?RequiredFieldList=Password`), '36', 'RequiredFieldList');
    // brandB only sees the 10002 membership of user 301.
    expect((await w.brandB('GET', '/users/301')).body.AccountList).toEqual([{ AccountID: 10002, UserFunction: 'Administrator' }]);
    expectCode(await w.brandB('GET', '/users/302'), '901', 'UserID');
    expectCode(await w.brandB('GET', `/users/${id}`), '901');
    // Uniqueness (case-insensitive), validation.
    expectCode(await w.main('POST', '/users', { Email: 'paul.durand@COMMSIM.example' }), '906', 'Email');
    expectCode(await w.main('POST', '/users', { Email: 'not-an-address' }), '36', 'Email');
    expectCode(await w.main('POST', '/users', { FirstName: 'NoMail' }), '36');
    expectCode(await w.main('POST', '/users', { Email: 'x@commsim.example', AttributeList: [{ Key: 'ShoeSize', Value: '42' }] }), '36', 'AttributeList[0].Key');
    expectCode(await w.main('POST', '/users', { Email: 'x@commsim.example', Password: 'short' }), '902', 'Password');
    // Update.
    await w.advance(60_000);
    expect((await w.main('PUT', `/users/${id}`, { FirstName: 'Paulo', AttributeList: [{ Key: 'JobTitle', Value: 'CMO' }] })).status).toBe(204);
    const after = (await w.main('GET', `/users/${id}`)).body;
    expect(after).toMatchObject({ FirstName: 'Paulo', LastName: 'Durand', AttributeList: [{ Key: 'JobTitle', Value: 'CMO' }], UpdateDate: '2026-03-02T09:01:00.000Z' });
    expectCode(await w.main('PUT', `/users/${id}`, { Email: 'CLAIRE.martin@commsim.example' }), '907', 'Email');
    expect((await w.main('PUT', `/users/${id}`, { Email: 'paul.d@commsim.example' })).status).toBe(204);
    expectCode(await w.main('PUT', '/users/999', { FirstName: 'x' }), '901');
    // Delete: the last Administrator of an account cannot go; others go with their roles.
    expectCode(await w.main('DELETE', '/users/301'), '904', 'UserID');
    // A user shared with an account brandB may not use is not brandB's to delete.
    expect((await w.main('POST', '/accounts/10002/users?ApplicationID=1&UserID=302&UserFunction=Viewer')).status).toBe(204);
    expectCode(await w.brandB('DELETE', '/users/302'), '904', 'UserID');
    expect((await w.main('DELETE', '/users/302')).status).toBe(204);
    expectCode(await w.main('GET', '/users/302'), '901');
    expect((await w.main('GET', '/roles/152?ApplicationID=1')).body.UserCount).toBe(0);
    expectCode(await w.main('DELETE', '/users/302'), '901');
    expect((await w.main('DELETE', `/users/${id}`)).status).toBe(204);
  });

  it('answers a user\'s accounts, roles and merged right levels in an account and application', async () => {
    const w = await dolistWorkspace(c, 'dlp-user-rights');
    expect(ids(await w.main('GET', '/users/301/accounts'), 'AccountID')).toEqual([10001, 10002]);
    expect(ids(await w.brandB('GET', '/users/301/accounts?ApplicationID=1'), 'AccountID')).toEqual([10002]);
    expectCode(await w.main('GET', '/users/301/accounts?ApplicationID=42'), '8');
    expectCode(await w.main('GET', '/users/999/accounts'), '901');
    expect(ids(await w.main('GET', '/users/302/roles?ApplicationID=1'))).toEqual([152]);
    expect((await w.main('GET', '/users/302/roles?ApplicationID=2')).body.Total).toBe(0);
    const before = await w.main('GET', '/users/302/rightlevels?ApplicationID=1');
    expect(before.body.ItemList.map((l: any) => [l.RightID, l.LevelID])).toEqual([[101, 2], [102, 2], [104, 2], [105, 2]]);
    // A second role with a higher level on one right: the highest level counts.
    const role = (await w.main('POST', '/roles?ApplicationID=1', { Name: 'Contacts admin', RightLevelList: [{ RightID: 101, LevelID: 3 }, { RightID: 103, LevelID: 1 }] })).body.ID;
    await w.main('PUT', `/roles/${role}/users?ApplicationID=1&OperationMode=Add`, { UserIDList: [302] });
    const merged = await w.main('GET', '/users/302/rightlevels?ApplicationID=1');
    expect(merged.body.ItemList.map((l: any) => [l.RightID, l.LevelID])).toEqual([[101, 3], [102, 2], [103, 1], [104, 2], [105, 2]]);
    expect(merged.body.ItemList[0]).toEqual({ RightID: 101, LevelID: 3, RightName: 'Contacts', LevelName: 'Administration' });
    expect(ids(await w.main('GET', '/users/302/roles?ApplicationID=1'))).toEqual([152, role]);
    // Not a member of the account asked.
    expectCode(await w.main('GET', '/users/303/roles?ApplicationID=1'), '901', 'UserID');
    expectCode(await w.main('GET', '/users/303/rightlevels?ApplicationID=1'), '901', 'UserID');
    expect((await w.mainB('GET', '/users/303/roles?ApplicationID=1')).body.Total).toBe(1);
    expectCode(await w.main('GET', '/users/302/rightlevels?ApplicationID=5'), '8');
    expectCode(await w.brandB('GET', '/users/302/roles?ApplicationID=1&AccountID=10001'), '6');
  });

  it('lists the user attributes and the caller\'s licences', async () => {
    const w = await dolistWorkspace(c, 'dlp-attributes');
    const a = await w.main('GET', '/users/attributes');
    expect(a.body.ItemList.map((x: any) => x.Key)).toEqual(['Phone', 'JobTitle', 'Language', 'Department']);
    const l = await w.brandB('GET', '/users/licence');
    expect(l.body).toEqual({ ItemList: [{ AccountID: 10002, AccountName: 'Commsim Brand B', Licence: 'Campaign Essentiel', MaxUsers: 3, UserCount: 2, ExpiryDate: '2027-06-30T00:00:00.000Z' }], Total: 1 });
  });
});

describe('password renewal', () => {
  const tokens = async (id: string) => (await c.sim('GET', `/workspaces/${id}/events?api=dolist&type=user.password_token`)).events.map((e: any) => e.data);

  it('makes a single-use token for a known address (204 for any), readable as an event; sets the password', async () => {
    const w = await dolistWorkspace(c, 'dlp-password');
    expect((await w.main('POST', '/users/password', { Email: 'nobody@commsim.example' })).status).toBe(204);
    expect(await tokens(w.id)).toEqual([]);
    expect((await w.main('POST', '/users/password', { Email: 'Hugo.Bernard@commsim.example' })).status).toBe(204);
    const [t] = await tokens(w.id);
    expect(t).toMatchObject({ UserID: 302, Email: 'hugo.bernard@commsim.example', ExpiresAt: '2026-03-03T09:00:00.000Z' });
    expect(t.Token).toMatch(/^[0-9a-f]{32}$/);
    expectCode(await w.main('PUT', `/users/password/${t.Token}`, { Password: 'weakpass' }), '902', 'Password');
    const ok = await w.main('PUT', `/users/password/${t.Token}`, { Password: 'Str0ngPass' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ UserID: 302, Email: 'hugo.bernard@commsim.example' });
    expect((await w.main('GET', '/users/302')).body.HasPassword).toBe(true);
    expectCode(await w.main('PUT', `/users/password/${t.Token}`, { Password: 'An0therPass' }), '903', 'Token');
    expectCode(await w.main('PUT', '/users/password/nosuchtoken', { Password: 'An0therPass' }), '903');
    // The same password again cannot be set.
    await w.main('POST', '/users/password', { Email: 'hugo.bernard@commsim.example' });
    const second = (await tokens(w.id))[1].Token;
    expectCode(await w.main('PUT', `/users/password/${second}`, { Password: 'Str0ngPass' }), '905', 'Password');
    expectCode(await w.main('PUT', `/users/password/${second}`, {}), '36');
  });

  it('a newer request replaces the older token; tokens expire on the workspace clock', async () => {
    const w = await dolistWorkspace(c, 'dlp-password-time');
    await w.main('POST', '/users/password', { Email: 'claire.martin@commsim.example' });
    await w.advance(3_600_000);
    await w.main('POST', '/users/password', { Email: 'claire.martin@commsim.example' });
    const [first, second] = await tokens(w.id);
    expect(second.ExpiresAt).toBe('2026-03-03T10:00:00.000Z');
    expectCode(await w.main('PUT', `/users/password/${first.Token}`, { Password: 'Val1dPassword' }), '903');
    await w.advance(24 * 3_600_000);
    expectCode(await w.main('PUT', `/users/password/${second.Token}`, { Password: 'Val1dPassword' }), '903', 'Token');
    await w.main('POST', '/users/password', { Email: 'claire.martin@commsim.example' });
    await w.advance(23 * 3_600_000);
    expect((await w.main('PUT', `/users/password/${(await tokens(w.id))[2].Token}`, { Password: 'Val1dPassword' })).status).toBe(200);
  });

  it('checks the reCAPTCHA answer when one is given, or required by the fixtures', async () => {
    const w = await dolistWorkspace(c, 'dlp-captcha');
    expectCode(await w.main('POST', '/users/password?ValidationKey=bad', { Email: 'claire.martin@commsim.example' }), '13', 'ValidationKey');
    expect((await w.main('POST', `/users/password?ValidationKey=${'03AGdBq2'.padEnd(40, 'x')}`, { Email: 'claire.martin@commsim.example' })).status).toBe(204);
    expectCode(await w.main('POST', '/users/password', {}), '36');
    const strict = await dolistWorkspace(c, 'dlp-captcha-strict', { scenario: { name: 'captcha', fixtures: { dolist: { passwordReset: { requireValidationKey: true } } } } });
    expectCode(await strict.main('POST', '/users/password', { Email: 'claire.martin@commsim.example' }), '13');
    expect(await tokens(strict.id)).toEqual([]);
  });
});

describe('roles', () => {
  it('creates roles from templates and levels, unique by name in the account and application', async () => {
    const w = await dolistWorkspace(c, 'dlp-roles');
    const r = await w.main('POST', '/roles?ApplicationID=1', { Name: 'Lecteurs', Description: 'Consultation', TemplateID: 33, RightLevelList: [{ RightID: 103, LevelID: 1 }] });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ ID: 163 });
    const role = await w.main('GET', '/roles/163?ApplicationID=1');
    expect(role.body).toEqual({
      ID: 163, Name: 'Lecteurs', Description: 'Consultation', ApplicationID: 1, IsReadOnly: false, UserCount: 0,
      RightLevelList: [
        { RightID: 101, LevelID: 1, RightName: 'Contacts', LevelName: 'Lecture' },
        { RightID: 103, LevelID: 1, RightName: 'Exports', LevelName: 'Lecture' },
        { RightID: 104, LevelID: 1, RightName: 'Messages email', LevelName: 'Lecture' },
      ],
      CreateDate: '2026-03-02T09:00:00.000Z', UpdateDate: '2026-03-02T09:00:00.000Z',
    });
    expect(ids(await w.main('GET', '/accounts/10001/roles?ApplicationID=1'))).toEqual([151, 152, 163]);
    expect((await w.main('GET', '/accounts/10001/roles?ApplicationID=2')).body.Total).toBe(0);
    expectCode(await w.main('GET', '/accounts/10001/roles?ApplicationID=8'), '8');
    // The same name in another application or account is another role.
    expect((await w.main('POST', '/roles?ApplicationID=2', { Name: 'Lecteurs' })).status).toBe(201);
    expect((await w.mainB('POST', '/roles?ApplicationID=1', { Name: 'lecteurs' })).status).toBe(201);
    expectCode(await w.main('POST', '/roles?ApplicationID=1', { Name: ' LECTEURS ' }), '106', 'Name');
    expectCode(await w.main('POST', '/roles?ApplicationID=1', { Name: 'Marketing' }), '106');
    expectCode(await w.main('POST', '/roles?ApplicationID=1', { Name: 'T', TemplateID: 41 }), '113', 'TemplateID');
    expectCode(await w.main('POST', '/roles?ApplicationID=1', { Name: 'T', RightLevelList: [{ RightID: 201, LevelID: 1 }] }), '126');
    expectCode(await w.main('POST', '/roles?ApplicationID=1', { Name: 'T', RightLevelList: [{ RightID: 101, LevelID: 9 }] }), '36', 'RightLevelList[0].LevelID');
    expectCode(await w.main('POST', '/roles?ApplicationID=1', { Name: 'T', RightLevelList: [{ RightID: 101, LevelID: 1 }, { RightID: 101, LevelID: 2 }] }), '36');
    // Right 106 at level 3 is locked in account 10001 (template 31 holds it).
    expectCode(await w.main('POST', '/roles?ApplicationID=1', { Name: 'T', TemplateID: 31 }), '102', 'RightLevelList');
    expectCode(await w.main('POST', '/roles?ApplicationID=1', { Name: 'T', RightLevelList: [{ RightID: 106, LevelID: 3 }] }), '102');
    expectCode(await w.main('POST', '/roles?ApplicationID=12', { Name: 'T' }), '8');
    expectCode(await w.main('POST', '/roles?ApplicationID=1', { Description: 'no name' }), '36');
    expectCode(await w.brandB('POST', '/roles?ApplicationID=1&AccountID=10001', { Name: 'T' }), '6');
    expect(ids(await w.main('GET', '/accounts/10001/roles?ApplicationID=1'))).toEqual([151, 152, 163]);
  });

  it('updates and deletes custom roles; system roles are read-only; other applications and accounts do not see them', async () => {
    const w = await dolistWorkspace(c, 'dlp-roles-write');
    const id = (await w.main('POST', '/roles?ApplicationID=1', { Name: 'Temp' })).body.ID;
    await w.advance(1000);
    expect((await w.main('PUT', `/roles/${id}?ApplicationID=1`, { Name: 'Temporaire', Description: 'x' })).status).toBe(204);
    expect((await w.main('GET', `/roles/${id}?ApplicationID=1`)).body).toMatchObject({ Name: 'Temporaire', Description: 'x', UpdateDate: '2026-03-02T09:00:01.000Z' });
    expectCode(await w.main('PUT', `/roles/${id}?ApplicationID=1`, { Name: 'marketing' }), '106', 'Name');
    expectCode(await w.main('PUT', '/roles/152?ApplicationID=1', { Name: 'Renamed' }), '105', 'RoleID');
    expectCode(await w.main('DELETE', '/roles/152?ApplicationID=1'), '105');
    expectCode(await w.main('GET', `/roles/${id}?ApplicationID=2`), '101');
    expectCode(await w.main('PUT', `/roles/${id}?ApplicationID=2`, { Name: 'x' }), '101');
    expectCode(await w.main('GET', '/roles/161?ApplicationID=1'), '101');
    expectCode(await w.main('DELETE', '/roles/161?ApplicationID=1'), '101');
    expectCode(await w.main('GET', '/roles/9999?ApplicationID=1'), '101');
    expectCode(await w.main('GET', `/roles/${id}?ApplicationID=77`), '8');
    expectCode(await w.brandB('GET', `/roles/${id}?ApplicationID=1&AccountID=10001`), '6');
    expect((await w.main('DELETE', `/roles/${id}?ApplicationID=1`)).status).toBe(204);
    expectCode(await w.main('GET', `/roles/${id}?ApplicationID=1`), '101');
    expectCode(await w.main('DELETE', `/roles/${id}?ApplicationID=1`), '101');
  });

  it('gives roles to members (Add, Remove, Replace), consistent with the users\' roles', async () => {
    const w = await dolistWorkspace(c, 'dlp-role-users');
    const id = (await w.main('POST', '/roles?ApplicationID=1', { Name: 'Équipe' })).body.ID;
    expect((await w.main('PUT', `/roles/${id}/users?ApplicationID=1&OperationMode=add`, { UserIDList: [302, 301] })).status).toBe(204);
    expect(ids(await w.main('GET', `/roles/${id}/users?ApplicationID=1`), 'UserID')).toEqual([301, 302]);
    expect((await w.main('GET', `/roles/${id}?ApplicationID=1`)).body.UserCount).toBe(2);
    expect(ids(await w.main('GET', '/users/301/roles?ApplicationID=1'))).toEqual([151, id]);
    await w.main('PUT', `/roles/${id}/users?ApplicationID=1&OperationMode=Remove`, { UserIDList: [301] });
    expect(ids(await w.main('GET', '/users/301/roles?ApplicationID=1'))).toEqual([151]);
    await w.main('PUT', `/roles/${id}/users?ApplicationID=1&OperationMode=Replace`, { UserIDList: [301] });
    expect(ids(await w.main('GET', `/roles/${id}/users?ApplicationID=1`), 'UserID')).toEqual([301]);
    await w.main('PUT', `/roles/${id}/users?ApplicationID=1&OperationMode=Replace`, { UserIDList: [] });
    expect((await w.main('GET', `/roles/${id}/users?ApplicationID=1`)).body.Total).toBe(0);
    // System roles can be given; members only; all or nothing.
    expect((await w.main('PUT', '/roles/152/users?ApplicationID=1&OperationMode=Add', { UserIDList: [301] })).status).toBe(204);
    expectCode(await w.main('PUT', `/roles/${id}/users?ApplicationID=1&OperationMode=Add`, { UserIDList: [302, 303] }), '901', 'UserIDList[1]');
    expect((await w.main('GET', `/roles/${id}/users?ApplicationID=1`)).body.Total).toBe(0);
    expectCode(await w.main('PUT', `/roles/${id}/users?ApplicationID=1&OperationMode=Merge`, { UserIDList: [302] }), '36', 'OperationMode');
    expectCode(await w.main('PUT', `/roles/${id}/users?ApplicationID=1&OperationMode=Add`, {}), '36');
    expectCode(await w.main('PUT', '/roles/999/users?ApplicationID=1&OperationMode=Add', { UserIDList: [302] }), '101');
    expectCode(await w.main('GET', '/roles/999/users?ApplicationID=1'), '101');
    expectCode(await w.main('GET', `/roles/${id}/users?ApplicationID=3`), '101');
    expectCode(await w.brandB('GET', `/roles/${id}/users?ApplicationID=1&AccountID=10001`), '6');
  });

  it('changes, clones and guards right levels', async () => {
    const w = await dolistWorkspace(c, 'dlp-role-levels');
    const id = (await w.main('POST', '/roles?ApplicationID=1', { Name: 'R', RightLevelList: [{ RightID: 101, LevelID: 1 }] })).body.ID;
    const levels = async (rid = id) => (await w.main('GET', `/roles/${rid}/rightlevels?ApplicationID=1`)).body.ItemList.map((l: any) => [l.RightID, l.LevelID]);
    expect((await w.main('PUT', `/roles/${id}/rightlevels?ApplicationID=1&OperationMode=Add`, { RightLevelList: [{ RightID: 101, LevelID: 2 }, { RightID: 104, LevelID: 3 }] })).status).toBe(204);
    expect(await levels()).toEqual([[101, 2], [104, 3]]);
    await w.main('PUT', `/roles/${id}/rightlevels?ApplicationID=1&OperationMode=Remove`, { RightLevelList: [{ RightID: 101, LevelID: 2 }] });
    expect(await levels()).toEqual([[104, 3]]);
    await w.main('PUT', `/roles/${id}/rightlevels?ApplicationID=1&OperationMode=Replace`, { RightLevelList: [{ RightID: 102, LevelID: 1 }] });
    expect(await levels()).toEqual([[102, 1]]);
    expectCode(await w.main('PUT', `/roles/${id}/rightlevels?ApplicationID=1&OperationMode=Add`, { RightLevelList: [{ RightID: 106, LevelID: 3 }] }), '114');
    expectCode(await w.main('PUT', `/roles/${id}/rightlevels?ApplicationID=1&OperationMode=Add`, { RightLevelList: [{ RightID: 777, LevelID: 1 }] }), '126');
    expectCode(await w.main('PUT', `/roles/${id}/rightlevels?ApplicationID=1&OperationMode=Add`, { RightLevelList: [{ RightID: 102, LevelID: 3 }] }), '36');
    expectCode(await w.main('PUT', `/roles/${id}/rightlevels?ApplicationID=1&OperationMode=Drop`, { RightLevelList: [] }), '36', 'OperationMode');
    expectCode(await w.main('PUT', '/roles/151/rightlevels?ApplicationID=1&OperationMode=Add', { RightLevelList: [{ RightID: 102, LevelID: 1 }] }), '105');
    expectCode(await w.main('PUT', '/roles/999/rightlevels?ApplicationID=1&OperationMode=Add', { RightLevelList: [] }), '101');
    expect(await levels()).toEqual([[102, 1]]);
    // Clone: from a role of the account and application, or a template.
    expect((await w.main('POST', `/roles/${id}/rightlevels?ApplicationID=1`, { SourceRoleID: 152 })).status).toBe(204);
    expect(await levels()).toEqual(await levels(152));
    expect((await w.main('POST', `/roles/${id}/rightlevels?ApplicationID=1`, { TemplateID: 33 })).status).toBe(204);
    expect(await levels()).toEqual([[101, 1], [104, 1]]);
    expectCode(await w.main('POST', `/roles/${id}/rightlevels?ApplicationID=1`, { TemplateID: 31 }), '114');
    expectCode(await w.main('POST', `/roles/${id}/rightlevels?ApplicationID=1`, { SourceRoleID: 161 }), '101', 'SourceRoleID');
    expectCode(await w.main('POST', `/roles/${id}/rightlevels?ApplicationID=1`, { TemplateID: 99 }), '113');
    expectCode(await w.main('POST', `/roles/${id}/rightlevels?ApplicationID=1`, { TemplateID: 33, SourceRoleID: 152 }), '36');
    expectCode(await w.main('POST', `/roles/${id}/rightlevels?ApplicationID=1`, {}), '36');
    expectCode(await w.main('POST', '/roles/152/rightlevels?ApplicationID=1', { TemplateID: 33 }), '105');
    expectCode(await w.main('POST', '/roles/999/rightlevels?ApplicationID=1', { TemplateID: 33 }), '101');
    expectCode(await w.main('GET', '/roles/999/rightlevels?ApplicationID=1'), '101');
    expect(await levels()).toEqual([[101, 1], [104, 1]]);
    // Locks are per account: 10002 may give right 106 at level 3, not SMS at level 2.
    const b = (await w.mainB('POST', '/roles?ApplicationID=1', { Name: 'Admins', TemplateID: 31 }));
    expectCode(b, '102');
    const b2 = (await w.mainB('POST', '/roles?ApplicationID=1', { Name: 'Admins', RightLevelList: [{ RightID: 106, LevelID: 3 }] })).body.ID;
    expectCode(await w.main('GET', `/roles/${b2}/rightlevels?ApplicationID=1`), '101'); // not a role of account 10001
    expect((await w.mainB('GET', `/roles/${b2}/rightlevels?ApplicationID=1`)).body.ItemList.map((l: any) => l.RightID)).toEqual([106]);
  });
});

describe('rights catalogue', () => {
  it('lists and reads rights (locked levels per account), categories and templates of an application', async () => {
    const w = await dolistWorkspace(c, 'dlp-rights');
    const r = await w.main('GET', '/rights?ApplicationID=1');
    expect(ids(r)).toEqual([101, 102, 103, 104, 105, 106]);
    expect((await w.main('GET', '/rights?ApplicationID=2')).body.ItemList).toEqual([{ ID: 201, Name: 'Accès extranet', ApplicationID: 2, CategoryID: 21, LevelList: [{ ID: 1, Name: 'Lecture', IsLocked: false }, { ID: 2, Name: 'Modification', IsLocked: false }] }]);
    expect((await w.mainB('GET', '/rights/105?ApplicationID=1')).body.LevelList.map((l: any) => l.IsLocked)).toEqual([false, true, true]);
    expect((await w.main('GET', '/rights/105?ApplicationID=1')).body.LevelList.map((l: any) => l.IsLocked)).toEqual([false, false, false]);
    expectCode(await w.main('GET', '/rights/201?ApplicationID=1'), '126');
    expectCode(await w.main('GET', '/rights/5?ApplicationID=1'), '126');
    expectCode(await w.main('GET', '/rights?ApplicationID=4'), '8');
    expectCode(await w.main('GET', '/rights/101?ApplicationID=4'), '8');
    const cats = await w.main('GET', '/rights/categories?ApplicationID=1');
    expect(cats.body.ItemList.map((x: any) => [x.ID, x.RightCount])).toEqual([[11, 3], [12, 2], [13, 1]]);
    expect((await w.main('GET', '/rights/categories/21?ApplicationID=2')).body).toEqual({ ID: 21, Name: 'Extranet', ApplicationID: 2, RightCount: 1 });
    expectCode(await w.main('GET', '/rights/categories/21?ApplicationID=1'), '123');
    expectCode(await w.main('GET', '/rights/categories/99?ApplicationID=1'), '123');
    expectCode(await w.main('GET', '/rights/categories?ApplicationID=0'), '8');
    expect(ids(await w.main('GET', '/rights/templates?ApplicationID=1'))).toEqual([31, 32, 33]);
    expect((await w.main('GET', '/rights/templates/33?ApplicationID=1')).body).toEqual({ ID: 33, Name: 'Lecture seule', Description: 'Consultation', ApplicationID: 1 });
    expect((await w.main('GET', '/rights/templates/33/rightlevels?ApplicationID=1')).body).toEqual({
      ItemList: [{ RightID: 101, LevelID: 1, RightName: 'Contacts', LevelName: 'Lecture' }, { RightID: 104, LevelID: 1, RightName: 'Messages email', LevelName: 'Lecture' }], Total: 2,
    });
    expect((await w.main('GET', '/rights/templates/31/rightlevels?ApplicationID=1')).body.Total).toBe(6);
    expectCode(await w.main('GET', '/rights/templates/41?ApplicationID=1'), '113');
    expectCode(await w.main('GET', '/rights/templates/41/rightlevels?ApplicationID=1'), '113');
    expectCode(await w.main('GET', '/rights/templates?ApplicationID=10'), '8');
    expectCode(await w.brandB('GET', '/rights?ApplicationID=1&AccountID=10001'), '6');
  });
});

describe('tags', () => {
  it('creates, reads, lists, updates and deletes tags; names unique in the account; colours from the catalogue', async () => {
    const w = await dolistWorkspace(c, 'dlp-tags');
    const a = await w.main('POST', '/tags', { Name: ' Promo ', ColorID: 3 });
    expect(a.status).toBe(201);
    const id = a.body.ID;
    const b = (await w.main('POST', '/tags', { Name: 'Newsletter' })).body.ID;
    expect((await w.main('GET', `/tags/${id}`)).body).toEqual({ ID: id, Name: 'Promo', ColorID: 3, ItemCount: 0, CreateDate: '2026-03-02T09:00:00.000Z', UpdateDate: '2026-03-02T09:00:00.000Z' });
    expect((await w.main('GET', `/tags/${b}`)).body.ColorID).toBe(1);
    expect(ids(await w.main('GET', '/tags'))).toEqual([id, b]);
    expectCode(await w.main('POST', '/tags', { Name: 'PROMO' }), '1701', 'Name');
    expectCode(await w.main('POST', '/tags', { Name: 'Other', ColorID: 99 }), '1705', 'ColorID');
    expectCode(await w.main('POST', '/tags', { Name: '   ' }), '36', 'Name');
    expectCode(await w.main('POST', '/tags', { ColorID: 2 }), '36');
    expect((await w.mainB('POST', '/tags', { Name: 'Promo' })).status).toBe(201);
    await w.advance(5000);
    expect((await w.main('PUT', `/tags/${id}`, { Name: 'Promotions', ColorID: 5 })).status).toBe(204);
    expect((await w.main('GET', `/tags/${id}`)).body).toMatchObject({ Name: 'Promotions', ColorID: 5, UpdateDate: '2026-03-02T09:00:05.000Z' });
    expectCode(await w.main('PUT', `/tags/${id}`, { Name: 'newsletter' }), '1704', 'Name');
    expectCode(await w.main('PUT', `/tags/${id}`, { ColorID: 8 }), '1705');
    expectCode(await w.main('PUT', '/tags/999', { Name: 'x' }), '1703');
    expectCode(await w.main('GET', '/tags/999'), '1703');
    expectCode(await w.main('DELETE', '/tags/999'), '1703');
    const foreign = (await w.mainB('GET', '/tags')).body.ItemList[0].ID;
    expectCode(await w.main('GET', `/tags/${foreign}`), '1703');
    expectCode(await w.brandB('GET', '/tags?AccountID=10001'), '6');
    expect((await w.main('DELETE', `/tags/${b}`)).status).toBe(204);
    expectCode(await w.main('GET', `/tags/${b}`), '1703');
    expect(ids(await w.main('GET', '/tags'))).toEqual([id]);
  });

  it('answers the colour and item-type catalogues', async () => {
    const w = await dolistWorkspace(c, 'dlp-tag-catalogues');
    const colours = await w.main('GET', '/tags/colors');
    expect(colours.body.Total).toBe(7);
    expect((await w.main('GET', '/tags/colors/6')).body).toEqual({ ID: 6, Name: 'Bleu', Hex: '#1E88E5' });
    expectCode(await w.main('GET', '/tags/colors/8'), '1705');
    const types = await w.main('GET', '/tags/itemTypes');
    expect(types.body.ItemList.map((t: any) => t.Name)).toEqual(['Target', 'Form', 'EmailMessage', 'SmsMessage', 'EmailSending', 'SmsSending', 'Export', 'Import']);
    expect((await w.main('GET', '/tags/itemTypes/3')).body).toEqual({ ID: 3, Name: 'EmailMessage' });
    expectCode(await w.main('GET', '/tags/itemTypes/0'), '1706');
    expectCode(await w.brandB('GET', '/tags/colors?AccountID=10001'), '6');
  });

  it('tags items, all or nothing; finds items by tags; an item\'s tags; deleting a tag untags', async () => {
    const w = await dolistWorkspace(c, 'dlp-tag-items');
    const vip = (await w.main('POST', '/tags', { Name: 'VIP' })).body.ID;
    const hot = (await w.main('POST', '/tags', { Name: 'Hot', ColorID: 2 })).body.ID;
    // An email message to tag (tags name items that exist: a message of the channel, else 404 [708]).
    const msg = (await w.main('POST', '/email/messages', { Name: 'Promo', Subject: 'Hello' })).body.ID;
    expectCode(await w.main('PUT', '/tags/items', { TagIDList: [vip], ItemList: [{ ItemType: 'SmsMessage', ItemID: msg }] }), '708');
    expect((await w.main('PUT', '/tags/items', { TagIDList: [vip, hot], ItemList: [{ ItemType: 'form', ItemID: 801 }, { ItemType: '3', ItemID: msg }] })).status).toBe(204);
    expect((await w.main('PUT', '/tags/items', { TagIDList: [vip], ItemList: [{ ItemType: 'Form', ItemID: 802 }] })).status).toBe(204);
    expect(ids(await w.main('GET', '/forms/801/tags'))).toEqual([vip, hot]);
    expect(ids(await w.main('GET', `/tags/items/EmailMessage/${msg}/tags`))).toEqual([vip, hot]);
    expect(ids(await w.main('GET', '/tags/items/2/802/tags'))).toEqual([vip]);
    expect((await w.main('GET', `/tags/${vip}`)).body.ItemCount).toBe(3);
    expect((await w.main('POST', '/tags/items/search', { TagIDList: [vip] })).body).toEqual({
      ItemList: [{ ItemType: 'Form', ItemID: 801, TagIDList: [vip, hot] }, { ItemType: 'Form', ItemID: 802, TagIDList: [vip] }, { ItemType: 'EmailMessage', ItemID: msg, TagIDList: [vip, hot] }], Total: 3,
    });
    expect((await w.main('POST', '/tags/items/search', { TagIDList: [vip, hot], MatchAll: true, ItemType: 'form' })).body.ItemList).toEqual([{ ItemType: 'Form', ItemID: 801, TagIDList: [vip, hot] }]);
    expect((await w.main('POST', '/tags/items/search', { TagIDList: [vip], Offset: 2, Limit: 1 })).body).toMatchObject({ ItemList: [{ ItemID: msg }], Total: 3 });
    expectCode(await w.main('POST', '/tags/items/search', { TagIDList: [999] }), '1703', 'TagIDList[0]');
    expectCode(await w.main('POST', '/tags/items/search', { TagIDList: [vip], ItemType: 'Fax' }), '1706');
    expectCode(await w.main('POST', '/tags/items/search', {}), '36');
    // Remove, Replace.
    await w.main('PUT', '/tags/items', { TagIDList: [hot], ItemList: [{ ItemType: 'Form', ItemID: 801 }], OperationMode: 'Remove' });
    expect(ids(await w.main('GET', '/forms/801/tags'))).toEqual([vip]);
    await w.main('PUT', '/tags/items', { TagIDList: [hot], ItemList: [{ ItemType: 'EmailMessage', ItemID: msg }], OperationMode: 'replace' });
    expect(ids(await w.main('GET', `/tags/items/EmailMessage/${msg}/tags`))).toEqual([hot]);
    // All or nothing: an unknown tag, type, form or target applies nothing.
    const before = (await w.main('POST', '/tags/items/search', { TagIDList: [vip, hot] })).body;
    expectCode(await w.main('PUT', '/tags/items', { TagIDList: [vip, 999], ItemList: [{ ItemType: 'Form', ItemID: 802 }] }), '1703', 'TagIDList[1]');
    expectCode(await w.main('PUT', '/tags/items', { TagIDList: [hot], ItemList: [{ ItemType: 'Form', ItemID: 802 }, { ItemType: 'Fax', ItemID: 1 }] }), '1706', 'ItemList[1].ItemType');
    expectCode(await w.main('PUT', '/tags/items', { TagIDList: [hot], ItemList: [{ ItemType: 'Form', ItemID: 802 }, { ItemType: 'Form', ItemID: 803 }] }), '44', 'ItemList[1].ItemID');
    expectCode(await w.main('PUT', '/tags/items', { TagIDList: [hot], ItemList: [{ ItemType: 'Target', ItemID: 12 }] }), '502');
    expectCode(await w.main('PUT', '/tags/items', { TagIDList: [hot], ItemList: [{ ItemType: 'Export', ItemID: 12 }] }), '1301');
    expectCode(await w.main('PUT', '/tags/items', { TagIDList: [hot], ItemList: [{ ItemType: 'Import', ItemID: 12 }] }), '318');
    expectCode(await w.main('PUT', '/tags/items', { TagIDList: [hot], ItemList: [{ ItemType: 'Form', ItemID: 802 }], OperationMode: 'Toggle' }), '36', 'OperationMode');
    expectCode(await w.main('PUT', '/tags/items', { TagIDList: [hot], ItemList: [] }), '36');
    expect((await w.main('POST', '/tags/items/search', { TagIDList: [vip, hot] })).body).toEqual(before);
    // An item's tags: unknown type, form or target.
    expectCode(await w.main('GET', '/tags/items/Fax/1/tags'), '1706', 'ItemType');
    expectCode(await w.main('GET', '/tags/items/Form/803/tags'), '44', 'ItemID');
    expectCode(await w.main('GET', '/tags/items/Target/5/tags'), '502');
    expectCode(await w.main('GET', '/forms/803/tags'), '44', 'FormID');
    expectCode(await w.main('GET', '/forms/9/tags'), '44');
    expect((await w.mainB('GET', '/forms/803/tags')).body).toEqual({ ItemList: [], Total: 0 });
    expectCode(await w.brandB('GET', '/forms/801/tags?AccountID=10001'), '6');
    expectCode(await w.brandB('PUT', '/tags/items?AccountID=10001', { TagIDList: [vip], ItemList: [{ ItemType: 'Form', ItemID: 801 }] }), '6');
    // Another account's tag is unknown here.
    const foreign = (await w.mainB('POST', '/tags', { Name: 'B' })).body.ID;
    expectCode(await w.main('PUT', '/tags/items', { TagIDList: [foreign], ItemList: [{ ItemType: 'Form', ItemID: 801 }] }), '1703');
    // Deleting a tag takes it off every item.
    await w.main('DELETE', `/tags/${vip}`);
    expect((await w.main('GET', '/forms/801/tags')).body.Total).toBe(0);
    expect((await w.main('POST', '/tags/items/search', { TagIDList: [hot] })).body.Total).toBe(1);
  });

  it('searches tags by name and colour, paged', async () => {
    const w = await dolistWorkspace(c, 'dlp-tag-search');
    for (const [Name, ColorID] of [['Été 2026', 4], ['Hiver', 6], ['Été 2025', 6]] as const) await w.main('POST', '/tags', { Name, ColorID });
    const r = await w.main('POST', '/tags/search', { SearchValue: 'été' });
    expect(r.body.ItemList.map((t: any) => t.Name)).toEqual(['Été 2026', 'Été 2025']);
    expect((await w.main('POST', '/tags/search', { ColorIDList: [6] })).body.ItemList.map((t: any) => t.Name)).toEqual(['Hiver', 'Été 2025']);
    expect((await w.main('POST', '/tags/search', { SortField: 'Name', SortOrder: 'asc', Limit: 1 })).body).toMatchObject({ ItemList: [{ Name: 'Hiver' }], Total: 3 });
    expect((await w.main('POST', '/tags/search', {})).body.Total).toBe(3);
    expectCode(await w.main('POST', '/tags/search', { Limit: 0 }), '36');
    expect((await w.mainB('POST', '/tags/search', {})).body.Total).toBe(0);
  });
});

describe('variables', () => {
  const base = JSON.parse(readFileSync(new URL('../fixtures/dolist.json', import.meta.url), 'utf8'));
  const withCustom = {
    scenario: { name: 'custom-fields', fixtures: { dolist: { fields: [...base.fields, { ID: 1001, Name: 'Code client', FieldTypeID: 1, Variable: 'CodeClient' }, { ID: 1002, Name: 'Score', FieldTypeID: 2, Variable: 'Score' }] } } },
  };

  it('lists the fields\' variables (type, search, paging) and reads one', async () => {
    const w = await dolistWorkspace(c, 'dlp-variables', withCustom);
    const all = await w.main('GET', '/variables');
    expect(all.body.Total).toBe(16);
    expect(all.body.ItemList[6]).toEqual({ ID: 7, Name: 'Email', FieldID: 7, FieldName: 'Email', Type: 'System', IsReadOnly: true });
    expect((await w.main('GET', '/variables?Type=custom')).body.ItemList).toEqual([
      { ID: 1001, Name: 'CodeClient', FieldID: 1001, FieldName: 'Code client', Type: 'Custom', IsReadOnly: false },
      { ID: 1002, Name: 'Score', FieldID: 1002, FieldName: 'Score', Type: 'Custom', IsReadOnly: false },
    ]);
    expect((await w.main('GET', '/variables?Type=System&Offset=10&Limit=2')).body).toMatchObject({ ItemList: [{ ID: 11 }, { ID: 14 }], Total: 14 });
    expect(ids(await w.main('GET', '/variables?SearchValue=code'))).toEqual([5, 1001]);
    expectCode(await w.main('GET', '/variables?Type=Interest'), '36', 'Type');
    expectCode(await w.main('GET', '/variables?Limit=5000'), '36');
    expect((await w.main('GET', '/variables/1002')).body.Name).toBe('Score');
    expectCode(await w.main('GET', '/variables/999'), '601');
    expectCode(await w.brandB('GET', '/variables?AccountID=10001'), '6');
  });

  it('renames a custom field\'s variable (the field\'s VariableName): unique, well-formed, standard ones fixed', async () => {
    const w = await dolistWorkspace(c, 'dlp-variables-put', withCustom);
    expect((await w.main('PUT', '/variables/1001', { Name: 'NumeroClient' })).status).toBe(204);
    expect((await w.main('GET', '/variables/1001')).body.Name).toBe('NumeroClient');
    expect((await w.mainB('GET', '/variables/1001')).body.Name).toBe('CodeClient');
    expectCode(await w.main('PUT', '/variables/1002', { Name: 'numeroclient' }), '603', 'Name');
    expectCode(await w.main('PUT', '/variables/1002', { Name: 'EMAIL' }), '603');
    expectCode(await w.main('PUT', '/variables/1002', { Name: 'Score total' }), '36', 'Name');
    expectCode(await w.main('PUT', '/variables/7', { Name: 'Courriel' }), '602', 'VariableID');
    expectCode(await w.main('PUT', '/variables/999', { Name: 'X' }), '601');
    expectCode(await w.main('PUT', '/variables/1002', {}), '36');
    expect((await w.main('GET', '/variables/1002')).body.Name).toBe('Score');
  });

  it('answers a contact\'s values of the variables, under their current names', async () => {
    const w = await dolistWorkspace(c, 'dlp-variable-values', withCustom);
    const contact = (await c.sim('GET', `/workspaces/${w.id}/state/dolist/contacts?limit=1`)) as any;
    const first = (contact.items ?? contact.records ?? contact)[0] ?? { ID: 1000001 };
    const cid = first.ID ?? 1000001;
    const r = await w.main('POST', '/variables/variablevalues', { ContactID: cid, VariableIDList: [7, 1001] });
    expect(r.status).toBe(200);
    expect(r.body.Total).toBe(2);
    expect(r.body.ItemList[0]).toMatchObject({ VariableID: 7, Name: 'Email' });
    expect(r.body.ItemList[0].Value).toMatch(/@/);
    expect(r.body.ItemList[1]).toEqual({ VariableID: 1001, Name: 'CodeClient', Value: null });
    await w.main('PUT', '/variables/1001', { Name: 'Ref' });
    expect((await w.main('POST', '/variables/variablevalues', { ContactID: cid, VariableIDList: [1001] })).body.ItemList[0].Name).toBe('Ref');
    expect((await w.main('POST', '/variables/variablevalues', { ContactID: cid })).body.Total).toBe(16);
    expectCode(await w.main('POST', '/variables/variablevalues', { ContactID: 42 }), '401', 'ContactID');
    expectCode(await w.main('POST', '/variables/variablevalues', { ContactID: cid, VariableIDList: [7, 999] }), '601', 'VariableIDList[1]');
    expectCode(await w.main('POST', '/variables/variablevalues', {}), '36');
    expectCode(await w.mainB('POST', '/variables/variablevalues', { ContactID: cid }), '401');
  });
});

describe('validation', () => {
  it('answers 400 [36] to writes without the body they need, and writes nothing', async () => {
    const w = await dolistWorkspace(c, 'dlp-no-body');
    for (const [method, path] of [
      ['POST', '/roles?ApplicationID=1'],
      ['PUT', '/roles/151/users?ApplicationID=1&OperationMode=Add'],
      ['PUT', '/roles/151/rightlevels?ApplicationID=1&OperationMode=Add'],
      ['POST', '/roles/151/rightlevels?ApplicationID=1'],
      ['PUT', '/users/password/abc'],
      ['POST', '/users/password'],
      ['POST', '/users'],
      ['POST', '/tags'],
      ['PUT', '/tags/items'],
      ['POST', '/tags/items/search'],
      ['PUT', '/variables/7'],
      ['POST', '/variables/variablevalues'],
    ] as const) {
      const r = await w.main(method, path);
      expect(r.status, `${method} ${path}`).toBe(400);
      expect(r.body.ResponseStatus.ErrorCode).toBe('36');
    }
    expect((await w.main('GET', '/tags')).body.Total).toBe(0);
    expect((await w.main('GET', '/accounts/10001/roles?ApplicationID=1')).body.Total).toBe(2);
  });

  it('answers 400 [36] to ids that are not integers', async () => {
    const w = await dolistWorkspace(c, 'dlp-bad-ids');
    for (const path of ['/roles/abc?ApplicationID=1', '/tags/x', '/users/me', '/variables/v', '/rights/r?ApplicationID=1', '/accounts/10001/packs/p', '/tags/items/Form/x/tags']) {
      const r = await w.main('GET', path);
      expect(r.status, path).toBe(400);
      expect(r.body.ResponseStatus.ErrorCode).toBe('36');
    }
  });
});
