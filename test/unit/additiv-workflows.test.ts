// additiv workflows through the domain modules, without HTTP: a runtime with the additiv module
// only, a workspace on a manual clock, and domain calls in transactions as a request would make
// them. Change requests (held paths, one pending, review applies at the review time), the
// history, and the verification key's attempts and expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { principalOf } from '../../src/apis/additiv/auth.js';
import { cancelChangeRequest, changeRequests, pendingChangeRequestOf, reviewChangeRequest, STATUS } from '../../src/apis/additiv/change-requests.js';
import { contacts, updateDetails } from '../../src/apis/additiv/contacts.js';
import { changeSets } from '../../src/apis/additiv/history.js';
import { verify } from '../../src/apis/additiv/verification.js';
import { isSimError } from '../../src/core/errors.js';
import type { Workspace } from '../../src/core/workspace.js';

let app: App;
beforeAll(async () => {
  app = await buildApp({ dataDir: null, quiet: true, apis: ['additiv'] } as never);
});
afterAll(async () => {
  await app.runtime.shutdown();
});

const T0 = Date.parse('2026-03-02T09:00:00Z');
const fresh = (id: string) => app.runtime.createWorkspace({ id, clock: { mode: 'manual', now: new Date(T0).toISOString() } });
const codeOf = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    if (isSimError(e)) return `${e.kind}:${e.details.code ?? ''}`;
    throw e;
  }
  return 'ok';
};
const inTx = (ws: Workspace, fn: () => void) => codeOf(() => ws.transaction(fn));

describe('change requests', () => {
  it('holds a member\'s approval-required paths, applies the rest, allows one pending request, applies on approval', async () => {
    const ws = await fresh('dw-cr');
    const anna = principalOf(ws, 'memberToken');
    const marc = principalOf(ws, 'reviewerToken');
    const app_ = principalOf(ws, 'appToken');
    let out: ReturnType<typeof updateDetails> | undefined;
    ws.transaction(() => {
      out = updateDetails(ws, contacts.get(ws, 2), { address: { city: 'Sion' }, preferences: { newsletter: true } }, { mode: 'patch', principal: anna, comment: 'c' });
    });
    expect(out).toMatchObject({ isApprovalRequired: true, changeRequestId: 1 });
    expect(contacts.view(ws, 2).details).toMatchObject({ address: { city: 'Geneva' }, preferences: { newsletter: true } });
    expect(inTx(ws, () => updateDetails(ws, contacts.get(ws, 2), { address: { country: 'FR' } }, { mode: 'patch', principal: anna }))).toBe('state:');
    // An app's change of the same path is not held.
    expect(inTx(ws, () => updateDetails(ws, contacts.get(ws, 3), { address: { city: 'Lyon' } }, { mode: 'patch', principal: app_ }))).toBe('ok');
    const cr = () => changeRequests.get(ws, 1, contacts.view(ws, 2).id);
    expect(inTx(ws, () => cancelChangeRequest(ws, cr(), marc))).toBe('forbidden:');
    expect(inTx(ws, () => reviewChangeRequest(ws, cr(), anna, { isApproved: true }))).toBe('forbidden:');
    ws.advance(T0 + 30_000);
    expect(inTx(ws, () => reviewChangeRequest(ws, cr(), marc, { isApproved: true, comment: 'fine' }))).toBe('ok');
    expect(cr()).toMatchObject({ statusId: STATUS.Approved, reviewMemberId: 2, reviewDate: '2026-03-02T09:00:30.000Z' });
    expect(contacts.view(ws, 2).details).toMatchObject({ address: { city: 'Sion' } });
    expect(pendingChangeRequestOf(ws, contacts.view(ws, 2))).toBeUndefined();
    const sets = changeSets.table(ws).all().filter((s) => s.contact === contacts.view(ws, 2).id);
    expect(sets.map((s) => [s.paths, s.executionDate, s.changeRequestId])).toEqual([
      [['preferences.newsletter'], '2026-03-02T09:00:00.000Z', null],
      [['address.city'], '2026-03-02T09:00:30.000Z', 1],
    ]);
    expect(inTx(ws, () => reviewChangeRequest(ws, cr(), marc, { isApproved: false }))).toBe('state:');
  });
});

describe('verification', () => {
  it('counts wrong keys although the request is refused, then expires; the key expires after 10 minutes', async () => {
    const ws = await fresh('dw-verify');
    const anna = principalOf(ws, 'memberToken');
    ws.transaction(() => updateDetails(ws, contacts.get(ws, 1), { communicationMethods: { primaryMobile: '+41790000001' } }, { mode: 'patch', principal: anna }));
    const pending = () => contacts.view(ws, 1).pending.Mobile!;
    const key = pending().key;
    expect(key).toMatch(/^\d{6}$/);
    const wrong = key === '123456' ? '654321' : '123456';
    expect(inTx(ws, () => verify(ws, contacts.get(ws, 1), 'Mobile', wrong))).toBe('rule:KeyNoMatch');
    expect(pending().attempts).toBe(1);
    expect(inTx(ws, () => verify(ws, contacts.get(ws, 1), 'Mobile', wrong))).toBe('rule:KeyNoMatch');
    expect(inTx(ws, () => verify(ws, contacts.get(ws, 1), 'Mobile', wrong))).toBe('rule:KeyNoMatch');
    expect(inTx(ws, () => verify(ws, contacts.get(ws, 1), 'Mobile', key))).toBe('rule:KeyExpired');

    const ws2 = await fresh('dw-verify2');
    ws2.transaction(() => updateDetails(ws2, contacts.get(ws2, 1), { communicationMethods: { primaryEmail: 'a@b.example' } }, { mode: 'patch', principal: principalOf(ws2, 'appToken') }));
    const key2 = contacts.view(ws2, 1).pending.Email!.key;
    ws2.advance(T0 + 10 * 60_000);
    expect(inTx(ws2, () => verify(ws2, contacts.get(ws2, 1), 'Email', key2 === '000000' ? '000001' : '000000'))).toBe('rule:KeyNoMatch');
    ws2.advance(T0 + 10 * 60_000 + 1);
    expect(inTx(ws2, () => verify(ws2, contacts.get(ws2, 1), 'Email', key2))).toBe('rule:KeyExpired');
  });
});
