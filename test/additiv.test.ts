// additiv DFS Client Services over HTTP on a manual clock: Bearer tokens (401 ApiError), contacts
// (UsernameNotUnique), details with change requests (approval-required paths held, the rest
// applied), review/cancel, searches and the change history, channel verification (KeyNoMatch,
// KeyExpired after 10 minutes or 3 wrong tries, resend, discontinue), exports filtered by a
// GraphQL where (async, CSV), imports synced as jobs, legal entities, schemas (409 on a stale
// concurrencyToken), lists and localization. Every response is validated against specs/additiv.yaml.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { additivWorkspace, startApp, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

const newContact = (n: string, extra: Record<string, unknown> = {}) => ({
  contactTypeId: 1,
  username: `${n}@example.com`,
  details: {
    personalInformation: { firstName: n, lastName: 'Test', nationality: 'CH' },
    communicationMethods: { primaryEmail: `${n}@example.com` },
    address: { city: 'Bern', country: 'CH' },
    ...extra,
  },
});

describe('authentication and errors', () => {
  it('answers 401 in the ApiError shape without a valid bearer token', async () => {
    const w = await additivWorkspace(c, 'ad-auth');
    const none = await c.req('GET', '/additiv/v1.0/contacts/1/details');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ code: 'Unauthorized', subCode: 'NA' });
    expect(none.body.correlationId).toMatch(/^[0-9a-f]{32}$/);
    const wrong = await c.req('GET', '/additiv/v1.0/contacts/1/details', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect((await w.member('GET', '/v1.0/contacts/1/details')).status).toBe(200);
    expect((await w.app('GET', '/v1.0/contacts/1/details')).status).toBe(200);
  });

  it('serves the default workspace with the documented tokens', async () => {
    const r = await c.req('GET', '/additiv/v1.0/contacts/1/username', { headers: { authorization: 'Bearer commsim-additiv-member' } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ username: 'shannon.crawford@additiv.com' });
  });

  it('answers 404 for unknown ids and 400 for bad input, in the ApiError shape', async () => {
    const w = await additivWorkspace(c, 'ad-errors');
    const nf = await w.member('GET', '/v1.0/contacts/999/details');
    expect(nf.status).toBe(404);
    expect(nf.body).toMatchObject({ code: 'NotFound', subCode: 'NA', message: 'contact 999 not found' });
    const bad = await w.member('GET', '/v1.0/contacts/abc/details');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BadRequest');
    const unknownPath = await w.member('PATCH', '/v1.0/contacts/1/details', { details: { personalInformation: { shoeSize: 44 } } });
    expect(unknownPath.status).toBe(400);
    expect(unknownPath.body.message).toMatch(/personalInformation\.shoeSize: not a field of schema 'contact'/);
  });
});

describe('contacts', () => {
  it('creates a contact (username unique, else UsernameNotUnique) and reads it back', async () => {
    const w = await additivWorkspace(c, 'ad-create');
    const r = await w.app('POST', '/v1.0/contacts', newContact('nina'));
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(4);
    expect(r.body.uId).toMatch(/^[0-9a-f-]{36}$/);
    const d = await w.member('GET', `/v1.0/contacts/${r.body.id}/details`);
    expect(d.body).toMatchObject({ id: 4, hasPendingChangeRequest: false, hasPendingEmail: false, hasPendingMobile: false });
    expect(d.body.details.personalInformation.firstName).toBe('nina');
    const dup = await w.app('POST', '/v1.0/contacts', { ...newContact('other'), username: 'NINA@example.com' });
    expect(dup.status).toBe(400);
    expect(dup.body.subCode).toBe('UsernameNotUnique');
    const missing = await w.app('POST', '/v1.0/contacts', { details: { personalInformation: { firstName: 'x' } } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('details.personalInformation.lastName is required');
  });

  it('updates the username (unique), external connections (unique externalId) and the profile picture', async () => {
    const w = await additivWorkspace(c, 'ad-misc');
    expect((await w.member('PUT', '/v1.0/contacts/2/username', { username: 'lukas' })).status).toBe(204);
    expect((await w.member('GET', '/v1.0/contacts/2/username')).body.username).toBe('lukas');
    const clash = await w.member('PUT', '/v1.0/contacts/3/username', { username: 'LUKAS' });
    expect(clash.body.subCode).toBe('UsernameNotUnique');
    expect((await w.member('POST', '/v1.0/contacts/2/external-connections', { externalId: 'SSO-2', system: 'SSO' })).status).toBe(204);
    expect((await w.member('GET', '/v1.0/contacts/2/external-connections')).body.connections).toEqual([
      { externalId: 'CBS-100002', system: 'CBS' },
      { externalId: 'SSO-2', system: 'SSO' },
    ]);
    const taken = await w.member('POST', '/v1.0/contacts/3/external-connections', { externalId: 'SSO-2', system: 'Other' });
    expect(taken.status).toBe(400);
    expect((await w.member('GET', '/v1.0/contacts/external-connections/SSO/SSO-2')).body).toMatchObject({ id: 2 });
    expect((await w.member('GET', '/v1.0/contacts/external-connections/CBS/SSO-2')).status).toBe(404);
    const pic0 = await w.member('GET', '/v1.0/contacts/2/profile-picture');
    expect(pic0.body.isDefaultImage).toBe(true);
    expect((await w.member('PUT', '/v1.0/contacts/2/profile-picture', { imageContentBase64: 'aGVsbG8=' })).status).toBe(204);
    expect((await w.member('GET', '/v1.0/contacts/2/profile-picture')).body).toEqual({ imageContentBase64: 'aGVsbG8=', isDefaultImage: false });
    expect((await w.member('PUT', '/v1.0/contacts/2/profile-picture', { imageContentBase64: 'not base64!' })).status).toBe(400);
    expect((await w.member('DELETE', '/v1.0/contacts/2/profile-picture')).status).toBe(204);
    expect((await w.member('GET', '/v1.0/contacts/2/profile-picture')).body.isDefaultImage).toBe(true);
  });

  it('anonymizes contacts (personal data, username, connections; unknown ids refused)', async () => {
    const w = await additivWorkspace(c, 'ad-anon');
    expect((await w.app('POST', '/v1.0/contacts/anonymize', { contactIds: [2, 99] })).status).toBe(400);
    expect((await w.member('GET', '/v1.0/contacts/2/username')).body.username).toBe('lukas.meier@example.ch');
    expect((await w.app('POST', '/v1.0/contacts/anonymize', { contactIds: [2] })).status).toBe(204);
    const d = await w.member('GET', '/v1.0/contacts/2/details');
    expect(d.body.details.personalInformation.firstName).toBe('Anonymized');
    expect(d.body.details.financialInformation.annualIncome).toBeUndefined();
    expect((await w.member('GET', '/v1.0/contacts/2/username')).body.username).toBeNull();
    expect((await w.member('GET', '/v1.0/contacts/2/external-connections')).body.connections).toEqual([]);
  });
});

describe('change requests', () => {
  it('holds approval-required paths in a pending change request and applies the others at once', async () => {
    const w = await additivWorkspace(c, 'ad-cr');
    const r = await w.member('PATCH', '/v1.0/contacts/2/details', {
      details: { personalInformation: { displayName: 'Lukas M.', dateOfBirth: '1980-01-01' }, address: { city: 'Lausanne', state: 'VD' } },
      comment: 'moved',
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ isApprovalRequired: true, hasPendingEmail: false, hasPendingMobile: false });
    const d = await w.member('GET', '/v1.0/contacts/2/details');
    expect(d.body.hasPendingChangeRequest).toBe(true);
    expect(d.body.details.personalInformation.displayName).toBe('Lukas M.');
    expect(d.body.details.address.state).toBe('VD');
    expect(d.body.details.address.city).toBe('Geneva');
    expect(d.body.details.personalInformation.dateOfBirth).toBe('1979-11-02');

    const check = await w.member('GET', '/v1.1/contacts/2/pending-change-request/check');
    expect(check.body).toEqual({ hasPendingChangeRequest: true, changeRequest: { id: 1, initiatorMember: { uid: w.memberUid, name: 'Anna Berger' }, createdDate: '2026-03-02T09:00:00.000Z' } });
    const check10 = await w.member('GET', '/v1.0/contacts/2/pending-change-request/check');
    expect(check10.body.changeRequest.initiatorMember).toEqual({ id: 1, name: 'Anna Berger' });

    const cr = await w.member('GET', '/v1.1/contacts/2/change-requests/1?language=de');
    expect(cr.body).toMatchObject({ id: 1, status: { id: 1, name: 'Ausstehend' }, initiatorMember: { uId: w.memberUid, name: 'Anna Berger' }, initiatorComment: 'moved', reviewDate: null, reviewMember: null });
    expect(cr.body.details).toEqual([
      { path: 'personalInformation.dateOfBirth', originalValue: '1979-11-02', targetValue: '1980-01-01', isApprovalRequired: true },
      { path: 'address.city', originalValue: 'Geneva', targetValue: 'Lausanne', isApprovalRequired: true },
    ]);
    const de = await w.member('GET', '/v1.0/contacts/2/change-requests/1', undefined, { 'accept-language': 'de-CH,de;q=0.9' });
    expect(de.body.status.name).toBe('Ausstehend');
    expect(de.body.initiatorMember).toEqual({ id: 1, name: 'Anna Berger' });
    expect((await w.member('GET', '/v1.1/contacts/1/change-requests/1')).status).toBe(404);

    // A second change needing approval is refused while one is pending; free paths still apply.
    const second = await w.member('PATCH', '/v1.0/contacts/2/details', { details: { address: { country: 'DE' } } });
    expect(second.status).toBe(400);
    expect(second.body.message).toMatch(/already has a pending change request \(1\)/);
    expect((await w.member('PATCH', '/v1.0/contacts/2/details', { details: { preferences: { newsletter: true } } })).body.isApprovalRequired).toBe(false);
    // An app is not subject to approval.
    expect((await w.app('PATCH', '/v1.0/contacts/3/details', { details: { address: { city: 'Lyon' } } })).body.isApprovalRequired).toBe(false);

    // The initiator cannot review; the reviewer approves at a later time.
    expect((await w.member('POST', '/v1.0/contacts/2/change-requests/1/review', { isApproved: true })).status).toBe(403);
    await w.advance(60_000);
    expect((await w.reviewer('POST', '/v1.0/contacts/2/change-requests/1/review', { isApproved: true, comment: 'ok' })).status).toBe(204);
    const after = await w.member('GET', '/v1.0/contacts/2/details');
    expect(after.body.details.address.city).toBe('Lausanne');
    expect(after.body.details.personalInformation.dateOfBirth).toBe('1980-01-01');
    expect(after.body.hasPendingChangeRequest).toBe(false);
    const done = await w.member('GET', '/v1.1/contacts/2/change-requests/1');
    expect(done.body).toMatchObject({ status: { id: 2, name: 'Approved' }, reviewMember: { uId: w.reviewerUid, name: 'Marc Keller' }, reviewComment: 'ok', reviewDate: '2026-03-02T09:01:00.000Z' });
    expect((await w.reviewer('POST', '/v1.0/contacts/2/change-requests/1/review', { isApproved: false })).status).toBe(400);

    // History: the approved change is executed at the approval, by the initiator.
    const h = await w.member('GET', '/v1.1/contacts/2/details/change-history/search');
    expect(h.body.totalCount).toBe(3);
    expect(h.body.results[0]).toEqual({
      initiatorPerson: { uid: w.memberUid, name: 'Anna Berger' },
      executionDate: '2026-03-02T09:01:00.000Z',
      details: [
        { path: 'personalInformation.dateOfBirth', originalValue: '1979-11-02', targetValue: '1980-01-01', isApprovalRequired: true },
        { path: 'address.city', originalValue: 'Geneva', targetValue: 'Lausanne', isApprovalRequired: true },
      ],
    });
    const byPath = await w.member('GET', '/v1.0/contacts/2/details/change-history/search?paths=preferences.newsletter');
    expect(byPath.body.totalCount).toBe(1);
    expect(byPath.body.results[0].initiatorPerson).toEqual({ id: 1, name: 'Anna Berger' });
    const asc = await w.member('GET', '/v1.1/contacts/2/details/change-history/search?sortBy=executionDate&sortOrder=Ascending&pageSize=1&page=2');
    expect(asc.body).toMatchObject({ page: 2, pageSize: 1, pageCount: 3, totalCount: 3 });
    expect(asc.body.results[0].details[0].path).toBe('preferences.newsletter');
  });

  it('rejects, cancels (initiator only) and searches change requests', async () => {
    const w = await additivWorkspace(c, 'ad-cr2');
    const ask = async (id: number, city: string) => (await w.member('PATCH', `/v1.0/contacts/${id}/details`, { details: { address: { city } } })).body;
    expect((await ask(1, 'Basel')).isApprovalRequired).toBe(true);
    await w.advance(1000);
    expect((await ask(2, 'Chur')).isApprovalRequired).toBe(true);
    await w.advance(1000);
    expect((await ask(3, 'Nice')).isApprovalRequired).toBe(true);
    expect((await w.reviewer('POST', '/v1.0/contacts/1/change-requests/1/review', { isApproved: false, comment: 'no' })).status).toBe(204);
    expect((await w.member('GET', '/v1.0/contacts/1/details')).body.details.address.city).toBe('Zurich');
    expect((await w.reviewer('POST', '/v1.0/contacts/2/change-requests/2/cancel')).status).toBe(403);
    expect((await w.member('POST', '/v1.0/contacts/2/change-requests/2/cancel')).status).toBe(204);
    expect((await w.member('POST', '/v1.0/contacts/2/change-requests/2/cancel')).status).toBe(400);

    const all = await w.member('POST', '/v1.0/contacts/change-requests/search', {});
    expect(all.body.results.map((r: any) => r.id)).toEqual([3, 2, 1]);
    expect(all.body).toMatchObject({ page: 1, pageSize: 10, pageCount: 1, totalCount: 3 });
    const pending = await w.member('POST', '/v1.0/contacts/change-requests/search', { statusId: 1, initiatorMemberUids: null, paths: [] });
    expect(pending.body.results.map((r: any) => r.id)).toEqual([3]);
    expect(pending.body.results[0]).toMatchObject({ contact: { id: 3, name: 'Claire Dubois' }, initiatorMember: { uid: w.memberUid, name: 'Anna Berger' }, reviewMember: null });
    const sorted = await w.member('POST', '/v1.0/contacts/change-requests/search', { sortBy: 'ContactId', sortOrder: 'Ascending', pageSize: 2 });
    expect(sorted.body.results.map((r: any) => r.contact.id)).toEqual([1, 2]);
    expect(sorted.body.pageCount).toBe(2);
    const badSort = await w.member('POST', '/v1.0/contacts/change-requests/search', { sortBy: 'Nope' });
    expect(badSort.status).toBe(400);
    expect(badSort.body.message).toBe("body field 'sortBy': unknown attribute 'Nope' (sortable: id, statusId, createDate, initiatorMemberId, contactId, reviewDate, reviewMemberId)");
    const reviewed = await w.member('POST', '/v1.0/members/1/contacts/change-requests/search', { reviewMemberIds: [2], createDateFrom: '2026-03-02T09:00:00Z', createDateTo: '2026-03-02T09:00:00Z' });
    expect(reviewed.body.results.map((r: any) => r.id)).toEqual([1]);
    expect(reviewed.body.results[0].reviewMember).toEqual({ id: 2, name: 'Marc Keller' });
    expect((await w.member('POST', '/v1.0/members/9/contacts/change-requests/search', {})).status).toBe(404);
    // Access: Anna has contacts 1 and 2, and contact 3 through Marc (below her); Marc only contact 3.
    expect((await w.member('POST', '/v1.0/contacts/change-requests/search', { excludeHierarchy: true })).body.results.map((r: any) => r.id)).toEqual([2, 1]);
    expect((await w.reviewer('POST', '/v1.0/contacts/change-requests/search', {})).body.results.map((r: any) => r.id)).toEqual([3]);
    expect((await w.member('POST', '/v1.0/members/2/contacts/change-requests/search', {})).body.totalCount).toBe(1);
    expect((await w.app('POST', '/v1.0/contacts/change-requests/search', {})).body.totalCount).toBe(3);
    const statuses = await w.member('GET', '/v1.0/contacts/change-requests/statuses?language=fr');
    expect(statuses.body.changeRequestStatuses.map((s: any) => s.name)).toEqual(['En attente', 'Approuvée', 'Rejetée', 'Annulée']);
  });
});

describe('channel verification', () => {
  it('with the username coupled with the email, a verified email becomes the username (and must be unique)', async () => {
    const w = await additivWorkspace(c, 'ad-coupled', { scenario: { fixtures: { additiv: { usernameCoupledWithEmail: true } } } });
    expect((await w.member('PUT', '/v1.0/contacts/1/username', { username: 'x' })).status).toBe(400);
    const created = await w.app('POST', '/v1.0/contacts', { details: { personalInformation: { firstName: 'Cou', lastName: 'Pled' }, communicationMethods: { primaryEmail: 'cou@example.com' } } });
    expect((await w.member('GET', `/v1.0/contacts/${created.body.id}/username`)).body.username).toBe('cou@example.com');
    await w.member('PATCH', '/v1.0/contacts/1/details', { details: { communicationMethods: { primaryEmail: 'LUKAS.MEIER@example.ch' } } });
    const clash = await w.member('POST', '/v1.0/contacts/1/pending-communication/verify', { channel: 'Email', key: await w.lastKey(1, 'Email') });
    expect(clash.body.subCode).toBe('UsernameNotUnique');
    expect((await w.member('GET', '/v1.0/contacts/1/details')).body.hasPendingEmail).toBe(true);
    await w.member('PATCH', '/v1.0/contacts/1/details', { details: { communicationMethods: { primaryEmail: 'shannon@own.example' } } });
    expect((await w.member('POST', '/v1.0/contacts/1/pending-communication/verify', { channel: 'Email', key: await w.lastKey(1, 'Email') })).status).toBe(204);
    expect((await w.member('GET', '/v1.0/contacts/1/username')).body.username).toBe('shannon@own.example');
  });

  it('starts a verification on a new email; verify, KeyNoMatch, KeyExpired after 3 wrong tries, resend', async () => {
    const w = await additivWorkspace(c, 'ad-verify');
    const r = await w.member('PATCH', '/v1.0/contacts/1/details', { details: { communicationMethods: { primaryEmail: 'shannon@new.example' } } });
    expect(r.body).toEqual({ isApprovalRequired: false, hasPendingEmail: true, hasPendingMobile: false });
    const d = await w.member('GET', '/v1.0/contacts/1/details');
    expect(d.body.details.communicationMethods.primaryEmail).toBe('shannon.crawford@additiv.com');
    expect(d.body.hasPendingEmail).toBe(true);
    const key = await w.lastKey(1, 'Email');
    expect(key).toMatch(/^\d{6}$/);
    const wrongKey = key === '000000' ? '111111' : '000000';
    const no = await w.member('POST', '/v1.0/contacts/1/pending-communication/verify', { channel: 'Email', key: wrongKey });
    expect(no.status).toBe(400);
    expect(no.body.subCode).toBe('KeyNoMatch');
    expect((await w.member('POST', '/v1.0/contacts/1/pending-communication/verify', { channel: 'Email', key: wrongKey })).body.subCode).toBe('KeyNoMatch');
    expect((await w.member('POST', '/v1.0/contacts/1/pending-communication/verify', { channel: 'Email', key: wrongKey })).body.subCode).toBe('KeyNoMatch');
    expect((await w.member('POST', '/v1.0/contacts/1/pending-communication/verify', { channel: 'Email', key })).body.subCode).toBe('KeyExpired');
    expect((await w.member('POST', '/v1.0/contacts/1/pending-communication/resend-key', { channel: 'Email' })).status).toBe(204);
    const key2 = await w.lastKey(1, 'Email');
    expect((await w.member('POST', '/v1.0/contacts/1/pending-communication/verify', { channel: 'Email', key: key2 })).status).toBe(204);
    const after = await w.member('GET', '/v1.0/contacts/1/details');
    expect(after.body.details.communicationMethods.primaryEmail).toBe('shannon@new.example');
    expect(after.body.hasPendingEmail).toBe(false);
    const h = await w.member('GET', '/v1.1/contacts/1/details/change-history/search?paths=communicationMethods.primaryEmail');
    expect(h.body.results[0].details[0]).toEqual({ path: 'communicationMethods.primaryEmail', originalValue: 'shannon.crawford@additiv.com', targetValue: 'shannon@new.example', isApprovalRequired: false });
    expect((await w.member('POST', '/v1.0/contacts/1/pending-communication/verify', { channel: 'Email', key: key2 })).status).toBe(400);
  });

  it('expires a key after 10 minutes on the workspace clock; discontinue drops the pending mobile', async () => {
    const w = await additivWorkspace(c, 'ad-verify2');
    await w.member('PATCH', '/v1.0/contacts/2/details', { details: { communicationMethods: { primaryMobile: '+41790000002' } } });
    const key = await w.lastKey(2, 'Mobile');
    await w.advance(10 * 60_000 + 1);
    const late = await w.member('POST', '/v1.0/contacts/2/pending-communication/verify', { channel: 'Mobile', key });
    expect(late.body.subCode).toBe('KeyExpired');
    expect((await w.member('POST', '/v1.0/contacts/2/pending-communication/discontinue', { channel: 'Mobile' })).status).toBe(204);
    expect((await w.member('GET', '/v1.0/contacts/2/details')).body.hasPendingMobile).toBe(false);
    expect((await w.member('POST', '/v1.0/contacts/2/pending-communication/resend-key', { channel: 'Mobile' })).status).toBe(400);
    expect((await w.member('POST', '/v1.0/contacts/2/pending-communication/verify', { channel: 'Fax', key })).status).toBe(400);
  });
});

describe('exports and imports', () => {
  it('exports contacts filtered by a GraphQL where as an async CSV job', async () => {
    const w = await additivWorkspace(c, 'ad-export');
    const q = 'query { contacts( where: { and: [{ personalInformation: { displayName: { contains: "Shannon" } } }] } ) { items { } } }';
    const r = await w.member('POST', '/v1.0/contacts/export', q, { 'content-type': 'text/plain' });
    expect(r.status).toBe(200);
    const id = r.body.exportJobId;
    const early = await w.member('GET', `/v1.0/contacts/export/${id}`);
    expect(early.status).toBe(400);
    expect(early.body.message).toMatch(/not completed yet/);
    await w.advance(5000);
    const csv = await w.member('GET', `/v1.0/contacts/export/${id}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('id,personalInformation.firstName,personalInformation.lastName,personalInformation.displayName,personalInformation.dateOfBirth,personalInformation.nationality,communicationMethods.primaryEmail,communicationMethods.primaryMobile,address.city,address.country,financialInformation.riskProfile');
    expect(lines.length).toBe(2);
    expect(lines[1]).toMatch(/^1,Shannon,Crawford,/);
    expect((await w.member('GET', `/v1.0/legal-entities/export/${id}`)).status).toBe(404);

    const or = await w.member('POST', '/v1.0/contacts/export', { query: '{ contacts(where: { or: [{ address: { country: { eq: "FR" } } }, { id: { in: [2] } }] }) { items { id } } }' });
    await w.advance(5000);
    expect((await w.member('GET', `/v1.0/contacts/export/${or.body.exportJobId}`)).text.trim().split('\r\n').map((l) => l.split(',')[0])).toEqual(['id', '2', '3']);
    const all = await w.member('POST', '/v1.0/contacts/export');
    await w.advance(5000);
    expect((await w.member('GET', `/v1.0/contacts/export/${all.body.exportJobId}`)).text.trim().split('\r\n').length).toBe(4);
    // A member exports the contacts it has access to: Marc only has contact 3.
    const marc = await w.reviewer('POST', '/v1.0/contacts/export');
    await w.advance(5000);
    expect((await w.reviewer('GET', `/v1.0/contacts/export/${marc.body.exportJobId}`)).text.trim().split('\r\n').map((l) => l.split(',')[0])).toEqual(['id', '3']);

    const bad = await w.member('POST', '/v1.0/contacts/export', 'query { contacts(where: { id: { eq: 1 } ) { items } }', { 'content-type': 'text/plain' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^malformed GraphQL query at line 1, column 41 \(position 40\): expected a name, found '\)'/);
    const unknown = await w.member('POST', '/v1.0/contacts/export', { query: '{ contacts(where: { shoeSize: { eq: 1 } }) { items { id } } }' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/unknown field 'shoeSize'/);
  });

  it('exports legal entities and syncs imported contact files as a job', async () => {
    const w = await additivWorkspace(c, 'ad-import');
    const le = await w.member('POST', '/v1.0/legal-entities/export', { query: 'query { legalentities(where: { and: [{ details: { name: { contains: "Globales" } } }] }) { items { id } } }' });
    await w.advance(5000);
    const csv = await w.member('GET', `/v1.0/legal-entities/export/${le.body.exportJobId}`);
    expect(csv.text.trim().split('\r\n')).toEqual(['id,name,legalForm,registrationNumber,address.city,address.country', '1,Globales Family Office AG,AG,CHE-123.456.789,Zurich,CH']);

    const files = await w.app('POST', '/v1.0/contacts/import/files', [
      { externalId: 'EXT-1', username: 'imported@example.com', details: { personalInformation: { firstName: 'Imp', lastName: 'Orted' } } },
      { externalId: 'EXT-2', details: { personalInformation: { firstName: 'No' } } },
    ]);
    expect(files.status).toBe(200);
    expect(files.body.files[0]).toMatchObject({ uploadDate: '2026-03-02T09:00:05.000Z', fileLength: expect.any(Number) });
    const sync = await w.app('POST', '/v1.0/contacts/import/sync');
    const statusId = sync.body.statusId;
    expect((await w.app('GET', `/v1.0/import/sync/${statusId}`)).body.status).toBe('InProgress');
    await w.advance(5000);
    const st = await w.app('GET', `/v1.0/import/sync/${statusId}`);
    expect(st.body).toMatchObject({ status: 'Completed', failedExternalIds: ['EXT-2'] });
    expect(st.body.errorMessage).toMatch(/EXT-2: details.personalInformation.lastName is required/);
    const found = await w.app('GET', '/v1.0/contacts/external-connections/Default/EXT-1');
    expect(found.status).toBe(200);
    expect((await w.app('POST', '/v1.0/contacts/import/sync')).status).toBe(400);
  });
});

describe('export bodies and uploads', () => {
  it('takes the query as application/graphql and legal-entity files as multipart, synced by externalId', async () => {
    const w = await additivWorkspace(c, 'ad-bodies');
    const q = 'query { legalentities(where: { details: { address: { country: { eq: "CH" } } } }) { items { id } } }';
    const r = await w.member('POST', '/v1.0/legal-entities/export', new TextEncoder().encode(q), { 'content-type': 'application/graphql' });
    expect(r.status).toBe(200);
    await w.advance(5000);
    expect((await w.member('GET', `/v1.0/legal-entities/export/${r.body.exportJobId}`)).text.trim().split('\r\n').length).toBe(3);
    const form = new FormData();
    form.append('file', new Blob([JSON.stringify([{ externalId: 'LE-9', details: { name: 'Imported AG', legalForm: 'AG' }, contacts: [{ contactId: 2, accessPolicyKeys: ['Viewer'] }] }])], { type: 'application/json' }), 'entities.json');
    const up = await w.app('POST', '/v1.0/legal-entities/import/files', form);
    expect(up.status).toBe(200);
    expect(up.body.files[0].fileName).toBe('entities.json');
    const sync = await w.app('POST', '/v1.0/legal-entities/import/sync');
    await w.advance(5000);
    expect((await w.app('GET', `/v1.0/import/sync/${sync.body.statusId}`)).body).toEqual({ status: 'Completed', errorMessage: null, failedExternalIds: [] });
    expect((await w.member('GET', '/v1.0/contacts/2/legalentities/3/details')).body).toEqual({ contactGroupId: 3, details: { name: 'Imported AG', legalForm: 'AG' } });
    expect((await w.app('GET', '/v1.0/import/sync/497f6eca-6276-4993-bfeb-53cbbbba6f08')).status).toBe(404);
    const notJson = await w.app('POST', '/v1.0/contacts/import/files', { fileName: 'x.json', content: '{"a":' });
    expect(notJson.status).toBe(400);
  });
});

describe('legal entities, schemas and lists', () => {
  it('creates legal entities (v1.0 ids + share, v1.1 keys) and reads them by contact', async () => {
    const w = await additivWorkspace(c, 'ad-le');
    const v11 = await w.member('POST', '/v1.1/legalentities', { contacts: [{ contactId: 3, accessPolicyKeys: ['Owner'] }], details: { name: 'Dubois SARL' } });
    expect(v11.status).toBe(200);
    expect(v11.body).toEqual({ id: 3, details: { name: 'Dubois SARL' } });
    const v10 = await w.member('POST', '/v1.0/legalentities', { contacts: [{ contactId: 2, accessPolicyIds: [2], share: 0.5 }], details: { name: 'Meier GmbH', legalForm: 'GmbH' } });
    expect(v10.body.id).toBe(4);
    expect((await w.member('POST', '/v1.1/legalentities', { contacts: [{ contactId: 3, accessPolicyKeys: ['Nope'] }], details: { name: 'x' } })).status).toBe(400);
    expect((await w.member('POST', '/v1.0/legalentities', { contacts: [{ contactId: 42 }], details: { name: 'x' } })).status).toBe(400);
    expect((await w.member('GET', '/v1.0/legalentities/3/details')).body).toEqual({ contactGroupId: 3, details: { name: 'Dubois SARL' } });
    expect((await w.member('PUT', '/v1.0/legalentities/3/details', { details: { name: 'Dubois SA', registrationNumber: 'CHE-111.222.333' } })).status).toBe(204);
    expect((await w.member('GET', '/v1.0/contacts/3/legalentities/3/details')).body.details.name).toBe('Dubois SA');
    expect((await w.member('GET', '/v1.0/contacts/2/legalentities/3/details')).status).toBe(404);
    expect((await w.member('PUT', '/v1.0/legalentities/3/details', { details: { name: 'x', registrationNumber: '123' } })).status).toBe(400);
  });

  it('serves schemas with a concurrency token (409 when stale) and their metadata', async () => {
    const w = await additivWorkspace(c, 'ad-schema');
    const s = await w.member('GET', '/v1.0/schemas/contact');
    expect(s.body).toMatchObject({ id: 1, key: 'contact', concurrencyToken: 0 });
    const comps = JSON.parse(s.body.schema);
    expect(JSON.parse((await w.member('GET', '/v1.0/schemas/contact/json-schema')).body.jsonSchema).properties.personalInformation.required).toEqual(['firstName', 'lastName']);
    const layout = await w.member('GET', '/v1.0/schemas/contact/layout-fields?language=de');
    expect(layout.body.fields[0]).toEqual({ key: 'personalInformation', label: 'Persönliche Angaben', fieldType: 'FieldSet', parentKey: null, tooltip: null, isHidden: false, isLabelHidden: false, toggleHidden: null });
    const inputs = await w.member('POST', '/v1.0/schemas/contact/input-fields', { layoutPathKey: 'address' });
    expect(inputs.body.fields.map((f: any) => f.key)).toEqual(['address.street', 'address.city', 'address.country', 'address.state']);
    expect(inputs.body.fields[1]).toMatchObject({ label: 'City', isApprovalRequired: true, layoutPath: [{ key: 'address', label: 'Address' }] });
    // Make the city free of approval.
    comps.fields.find((f: any) => f.key === 'address.city').isApprovalRequired = false;
    const up = await w.member('PUT', '/v1.0/schemas/contact', { schema: JSON.stringify(comps), concurrencyToken: 0 });
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ concurrencyToken: 1 });
    const stale = await w.member('PUT', '/v1.0/schemas/contact', { schema: JSON.stringify(comps), concurrencyToken: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('Conflict');
    expect((await w.member('PATCH', '/v1.0/contacts/1/details', { details: { address: { city: 'Basel' } } })).body.isApprovalRequired).toBe(false);
    expect((await w.member('PUT', '/v1.0/schemas/contact', { schema: '{oops', concurrencyToken: 1 })).status).toBe(400);
    expect((await w.member('GET', '/v1.0/schemas/nope')).status).toBe(404);
  });

  it('looks up lists (filter, limit, includeId, hierarchy) and returns items of several lists', async () => {
    const w = await additivWorkspace(c, 'ad-lists');
    const de = await w.member('POST', '/v1.0/lists/countries/lookup?language=de', { filter: 'schw' });
    expect(de.body).toEqual({ items: [{ id: 1, uid: expect.any(String), label: 'Schweiz', key: 'CH', customAttributes: null }], totalCount: 1 });
    const limited = await w.member('POST', '/v1.0/lists/countries/lookup', { limit: 2, includeId: 6 });
    expect(limited.body.items.map((i: any) => i.key)).toEqual(['CH', 'SG']);
    expect(limited.body.totalCount).toBe(6);
    const states = await w.member('POST', '/v1.0/lists/states/lookup', { isFilteredByHierarchy: true, hierarchyListItemId: 2 });
    expect(states.body.items.map((i: any) => i.key)).toEqual(['BY', 'BW']);
    expect((await w.member('POST', '/v1.0/lists/nope/lookup', {})).status).toBe(404);
    const items = await w.member('POST', '/v1.0/lists/items', { listKeys: ['legalForms', 'riskProfiles'] });
    expect(items.body.items.map((l: any) => l.listKey)).toEqual(['legalForms', 'riskProfiles']);
    expect((await w.member('POST', '/v1.0/lists/items', {})).body.items.length).toBe(5);
  });
});
