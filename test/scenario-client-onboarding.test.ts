// The bundled `client-onboarding` scenario end to end on a manual clock: its timeline signs a
// client up, changes and verifies their email, and has the advisor's change request approved;
// what a client of the additiv API then reads (details, change request, history) follows.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { additivWorkspace, startApp, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

it('client-onboarding: sign-up, email verified with the key sent, change request approved', async () => {
  const w = await additivWorkspace(c, 'onboarding', { scenario: 'client-onboarding' });
  const steps = async () => (await c.sim('GET', '/workspaces/onboarding/events?type=scenario.step')).events.map((e: any) => [e.data.name ?? e.data.step, e.data.ok, e.data.error ?? null]);
  expect(await steps()).toEqual([]);

  await w.advance(6 * 60_000);
  const search = await w.member('POST', '/v1.0/contacts/change-requests/search', {});
  expect(search.status).toBe(200);
  // Signed up (contact 4 after the three fixtures) with the new email waiting for its key.
  const id = 4;
  const before = await w.member('GET', `/v1.0/contacts/${id}/details`);
  expect(before.status).toBe(200);
  expect(before.body.details.communicationMethods.primaryEmail).toBe('lena.meier@example.ch');
  const sent = (await c.sim('GET', '/workspaces/onboarding/events?type=contact.verification.key_sent')).events;
  expect(sent).toHaveLength(1);
  expect(sent[0].data).toMatchObject({ contactId: id, channel: 'Email', value: 'lena@meier.example.ch' });
  expect(sent[0].data.key).toMatch(/^\d{6}$/);

  await w.advance(60 * 60_000);
  expect(await steps()).toEqual([
    ['sign-up', true, null],
    ['new-email', true, null],
    ['email-verified', true, null],
    ['advisor-correction', true, null],
    ['approved', true, null],
  ]);
  const after = (await w.member('GET', `/v1.0/contacts/${id}/details`)).body.details;
  expect(after.communicationMethods.primaryEmail).toBe('lena@meier.example.ch');
  expect(after.personalInformation).toMatchObject({ dateOfBirth: '1991-07-15', nationality: 'CH' });
  expect((await w.member('GET', `/v1.0/contacts/${id}/pending-change-request/check`)).body).toMatchObject({ hasPendingChangeRequest: false });
  const history = await w.member('GET', `/v1.1/contacts/${id}/details/change-history/search`);
  expect(history.status, history.text).toBe(200);
  const paths = JSON.stringify(history.body);
  for (const p of ['communicationMethods.primaryEmail', 'personalInformation.dateOfBirth', 'personalInformation.nationality']) expect(paths).toContain(p);
  // reset returns to the scenario's start: the client is gone until the timeline runs again.
  await c.sim('POST', '/workspaces/onboarding/reset');
  expect((await w.member('GET', `/v1.0/contacts/${id}/details`)).status).toBe(404);
});

it('the additiv injectors refuse what they cannot do, precisely, and change nothing', async () => {
  const w = await additivWorkspace(c, 'onboarding-bad');
  const inject = (kind: string, body: unknown) => c.req('POST', `/_sim/workspaces/onboarding-bad/inject/${kind}`, { body });
  expect((await inject('client-signup', {})).body.error.message).toContain('client-signup needs "details"');
  const nobody = await inject('client-verify', { username: 'ghost@example.ch' });
  expect(nobody.status).toBe(404);
  expect(nobody.body.error.message).toContain('no contact has the username "ghost@example.ch"');
  expect((await inject('client-verify', { contactId: 1 })).body.error.message).toContain('has no pending Email to verify');
  expect((await inject('change-review', { contactId: 1 })).body.error.message).toContain('contact 1 has no pending change request');
  expect((await inject('client-details', { contactId: 1, by: 'robot', details: {} })).status).toBe(400);
  // A wrong key counts as an attempt (as through the API) but verifies nothing.
  const changed = await inject('client-details', { contactId: 1, by: 'app', details: { communicationMethods: { primaryEmail: 'new@additiv.com' } } });
  expect(changed.status, changed.text).toBe(200);
  const wrong = await inject('client-verify', { contactId: 1, key: '000000' === (await w.lastKey(1, 'Email')) ? '111111' : '000000' });
  expect(wrong.status).toBe(400);
  expect((await w.member('GET', '/v1.0/contacts/1/details')).body.details.communicationMethods.primaryEmail).toBe('shannon.crawford@additiv.com');
  expect((await inject('client-verify', { contactId: 1 })).status).toBe(200);
  expect((await w.member('GET', '/v1.0/contacts/1/details')).body.details.communicationMethods.primaryEmail).toBe('new@additiv.com');
});
