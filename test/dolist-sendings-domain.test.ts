// Domain units of the sendings area without HTTP: recurrence settings (canonical filters,
// [745]/[746]/[36]), one-time rates ([737]/[738]/[36]), KeyCodes (deterministic per recipient
// and workspace), a recipient's status as of a time, personalisation, and the simulation's
// dates matching the engine's recurrence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContact } from '../src/apis/dolist/contacts.js';
import { isRecipientKeyCode, recipientKeyCode } from '../src/apis/dolist/keycodes.js';
import { rateSettings, recurrenceSettings } from '../src/apis/dolist/planning-catalogue.js';
import { occurrenceDates, type PlanningRec } from '../src/apis/dolist/plannings.js';
import { personalize, recipientStatus } from '../src/apis/dolist/sending-views.js';
import type { RecipientRec } from '../src/apis/dolist/sendings.js';
import type { Workspace } from '../src/core/workspace.js';
import { startApp, type Client } from './helpers.js';

let c: Client;
let ws: Workspace;
let other: Workspace;
beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
  for (const id of ['dsd-a', 'dsd-b']) await c.sim('POST', '/workspaces', { id, clock: { mode: 'manual', now: '2026-03-02T09:00:00Z' }, scenario: { name: id, fixtures: { dolist: { contactBase: { '10001': 0, '10002': 0 } } } } });
  ws = c.app.runtime.require('dsd-a');
  other = c.app.runtime.require('dsd-b');
});
afterAll(async () => {
  await c.close();
});

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { details: { code?: string } }).details.code;
  }
  return 'none';
};

describe('planning settings', () => {
  it('canonicalises recurrences and refuses what the frequency does not allow', () => {
    const r = recurrenceSettings(ws, { Frequency: 'WEEKLY', Interval: 2, FilterList: 'monday;4;Monday', Time: '7:05' });
    expect(r).toMatchObject({ Frequency: 'Weekly', Interval: 2, FilterList: ['Monday', 'Thursday'], Time: '07:05', EndDate: null, StartDate: '2026-03-02T09:00:00.000Z' });
    expect(recurrenceSettings(ws, { Frequency: 'monthly', FilterList: ['01', '31'] }).FilterList).toEqual(['1', '31']);
    expect(code(() => recurrenceSettings(ws, { Frequency: 'Monthly', FilterList: ['32'] }))).toBe('746');
    expect(code(() => recurrenceSettings(ws, { Frequency: 'Daily', Interval: 0 }))).toBe('745');
    expect(code(() => recurrenceSettings(ws, { Frequency: 'Daily', Time: '25:00' }))).toBe('36');
    expect(code(() => recurrenceSettings(ws, { Frequency: 'Daily', StartDate: '2026-03-05', EndDate: '2026-03-01' }))).toBe('36');
    expect(code(() => recurrenceSettings(ws, {}))).toBe('36');
  });

  it('takes a rate as both ids or neither', () => {
    expect(rateSettings(ws, {})).toEqual({ RateVolumeID: null, RatePeriodID: null });
    expect(rateSettings(ws, { RateVolumeID: '2', RatePeriodID: 3 })).toEqual({ RateVolumeID: 2, RatePeriodID: 3 });
    expect(code(() => rateSettings(ws, { RateVolumeID: 9, RatePeriodID: 1 }))).toBe('737');
    expect(code(() => rateSettings(ws, { RatePeriodID: 9 }))).toBe('738');
    expect(code(() => rateSettings(ws, { RatePeriodID: 1 }))).toBe('36');
  });

  it('a monthly recurrence every 2 months on the 1st and 15th', () => {
    const p = { Kind: 'Recurrent', ...recurrenceSettings(ws, { Frequency: 'Monthly', Interval: 2, FilterList: ['1', '15'], Time: '08:00', StartDate: '2026-03-02T00:00:00Z' }) } as PlanningRec;
    expect(occurrenceDates(p, Date.parse('2026-03-02T00:00:00Z'), 4).map((t) => new Date(t).toISOString().slice(0, 10))).toEqual(['2026-03-15', '2026-05-01', '2026-05-15', '2026-07-01']);
  });
});

describe('recipients', () => {
  it('KeyCodes are per recipient and per workspace, checked in any case', () => {
    const k = recipientKeyCode(ws, 1, 1000001, 1);
    expect(k).toMatch(/^[0-9A-F]{24}$/);
    expect(recipientKeyCode(ws, 1, 1000001, 1)).toBe(k);
    expect(recipientKeyCode(ws, 1, 1000001, 2)).not.toBe(k);
    expect(recipientKeyCode(other, 1, 1000001, 1)).not.toBe(k);
    expect(isRecipientKeyCode(ws, 1, 1000001, 1, k.toLowerCase())).toBe(true);
    expect(isRecipientKeyCode(ws, 1, 1000002, 1, k)).toBe(false);
    expect(isRecipientKeyCode(ws, 1, 1000001, 1, 'short')).toBe(false);
  });

  it('a status follows the timestamps that happened by then', () => {
    const base = { SentDate: '2026-03-02T09:00:00.000Z', DeliveredDate: '2026-03-02T09:00:02.000Z', OpenedDate: '2026-03-02T10:00:00.000Z', ClickedDate: null, BouncedDate: null, BounceType: null, FailedDate: null, UnsubscribedDate: null } as unknown as RecipientRec;
    expect(recipientStatus({ ...base, SentDate: null }, Date.parse('2026-03-02T09:00:00Z'))).toBe('Pending');
    expect(recipientStatus(base, Date.parse('2026-03-02T09:00:01Z'))).toBe('Sent');
    expect(recipientStatus(base, Date.parse('2026-03-02T09:30:00Z'))).toBe('Delivered');
    expect(recipientStatus(base, Date.parse('2026-03-02T10:00:00Z'))).toBe('Opened');
    expect(recipientStatus({ ...base, DeliveredDate: null, BouncedDate: '2026-03-02T09:00:03.000Z', BounceType: 'Soft' } as RecipientRec, Date.parse('2026-03-02T09:00:03Z'))).toBe('SoftBounce');
  });

  it('personalises [[Variable]]s with the contact\'s values, leaving unknown ones', () => {
    const ct = createContact(ws, '10001', [{ ID: 7, Value: 'zoe@example.com' }, { ID: 3, Value: 'Zoé' }]);
    expect(personalize(ws, 'Bonjour [[prenom]] <[[Email]]> [[Nope]]', ct)).toBe('Bonjour Zoé <zoe@example.com> [[Nope]]');
    expect(personalize(ws, null, ct)).toBeNull();
  });
});
