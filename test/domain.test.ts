// Unit tests of the plain domain modules (no HTTP): segmentation, message state rules, sender
// selection, delivery windows, throughput, criteria, call outcomes, CSV.
import { describe, expect, it } from 'vitest';
import { segment } from '../src/core/sms.js';
import { customerTransitionError, deliveryPlan, parseFrom, tallyAfter, EMPTY_TALLY } from '../src/apis/syniverse/message-flow.js';
import { countSend, ineligibility, messagePrice, nextWindowOpening, parseDeliveryWindow, selectSender, throughputSlot } from '../src/apis/syniverse/senders.js';
import { compile, parseCriteria } from '../src/apis/syniverse/criteria.js';
import { callPlan } from '../src/apis/syniverse/calling.js';
import { parseCsv } from '../src/apis/syniverse/contact-jobs.js';
import { countryOf } from '../src/apis/syniverse/numbers.js';

const timings = { deliveredAfterMs: 2000, readAfterMs: 5000, carrierTimeoutMs: 30000 };

describe('sms segmentation', () => {
  it('counts GSM-7 septets (extension chars twice) and UCS-2 units', () => {
    expect(segment('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(segment('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(segment('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(segment('ж'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(segment('ж'.repeat(71))).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });
});

describe('message state rules', () => {
  it('allows only the documented client transitions', () => {
    expect(customerTransitionError('MT', 'SENT', 'DELETED')).toBeUndefined();
    expect(customerTransitionError('MT', 'DELIVERED', 'CONVERTED')).toBeUndefined();
    expect(customerTransitionError('MT', 'FAILED', 'CONVERTED')).toMatch(/cannot/);
    expect(customerTransitionError('MT', 'RECEIVED', 'PROCESSED')).toMatch(/MO/);
    expect(customerTransitionError('MO', 'RECEIVED', 'PROCESSED')).toBeUndefined();
    expect(customerTransitionError('MO', 'PROCESSED', 'PROCESSED')).toMatch(/only RECEIVED/);
  });
  it('keeps monotonic counter flags', () => {
    const read = tallyAfter(tallyAfter(EMPTY_TALLY, 'SENT'), 'READ');
    expect(read).toMatchObject({ sent: true, delivered: true, read: true, failed: false });
    expect(tallyAfter(read, 'DELETED')).toEqual(read);
    expect(tallyAfter(EMPTY_TALLY, 'EXPIRED').failed).toBe(true);
  });
  it('maps test numbers and scenario outcomes to delivery plans', () => {
    expect(deliveryPlan('+15555999001', timings)).toMatchObject({ kind: 'fail', afterMs: 2000 });
    expect(deliveryPlan('+15555999002', timings)).toEqual({ kind: 'expire' });
    expect(deliveryPlan('+15555999003', timings)).toEqual({ kind: 'deliver', afterMs: 2000, readAfterMs: 5000 });
    expect(deliveryPlan('+15555999005', timings)).toMatchObject({ kind: 'fail', afterMs: 30000 });
    expect(deliveryPlan('+15551234567', timings)).toEqual({ kind: 'deliver', afterMs: 2000 });
    expect(deliveryPlan('+15551234567', timings, { state: 'FAILED', afterMs: 10 })).toMatchObject({ kind: 'fail', afterMs: 10 });
  });
  it('parses from', () => {
    expect(parseFrom('sender_id:abc')).toEqual({ kind: 'sender_id', id: 'abc' });
    expect(parseFrom('channel-xyz')).toEqual({ kind: 'channel', id: 'xyz' });
    expect(parseFrom('abc')).toEqual({ kind: 'any', id: 'abc' });
  });
});

describe('senders', () => {
  const classes = [
    { id: 'us', applicable_countries: ['US'] },
    { id: 'other', applicable_countries: ['OTHER'] },
  ];
  const prices = { SMS: { US: 0.01, GB: 0.04, DEFAULT: 0.05 } };
  const s1 = { id: 'b', state: 'ACTIVE', capabilities: ['SMS'], class_id: 'us' };
  const s2 = { id: 'a', state: 'ACTIVE', capabilities: ['SMS'], class_id: 'other' };
  const us = { address: '+12125550100', kind: 'MDN' as const, country: 'US' };
  const gb = { address: '+447700900123', kind: 'MDN' as const, country: 'GB' };
  it('applies class countries, OTHER only where no class is defined', () => {
    expect(ineligibility(s1, 'SMS', us, classes)).toBeUndefined();
    expect(ineligibility(s2, 'SMS', us, classes)).toMatch(/OTHER/);
    expect(ineligibility(s2, 'SMS', gb, classes)).toBeUndefined();
    expect(ineligibility({ ...s1, state: 'INACTIVE' }, 'SMS', us, classes)).toMatch(/ACTIVE/);
    expect(ineligibility(s1, 'MMS', us, classes)).toMatch(/capability/);
  });
  it('selects by price threshold and ties by id', () => {
    expect(selectSender([s1, s2], 'SMS', us, 'hi', { classes, prices }).sender?.id).toBe('b');
    expect(selectSender([s1], 'SMS', us, 'hi', { classes, prices, priceThreshold: 0.001 })).toMatchObject({ reason: 'price threshold exceeded' });
    expect(messagePrice(prices, 'SMS', 'GB', 'x'.repeat(200))).toBeCloseTo(0.08);
  });
  it('computes the next delivery window opening in the recipient zone', () => {
    const win = parseDeliveryWindow('{"DEFAULT":{"OTH":["09:00-20:00"],"SAT":["10:00-18:00"],"SUN":[]}}');
    const fri22 = Date.parse('2026-01-09T22:00:00Z'); // Friday 23:00 in Paris
    expect(new Date(nextWindowOpening(win, 'FR', 'Europe/Paris', fri22)!).toISOString()).toBe('2026-01-10T09:00:00.000Z');
    const sat = Date.parse('2026-01-10T12:00:00Z');
    expect(nextWindowOpening(win, 'FR', 'Europe/Paris', sat)).toBe(sat);
    const sun = Date.parse('2026-01-11T12:00:00Z');
    expect(new Date(nextWindowOpening(win, 'FR', 'Europe/Paris', sun)!).toISOString()).toBe('2026-01-12T08:00:00.000Z');
  });
  it('limits throughput per second and per day', () => {
    const counter = { id: 'x', second: -1, inSecond: 0, day: -1, inDay: 0 };
    const cls = { id: 'c', country_peak_throughput: 2, country_daily_throughput: 3 };
    const t = Date.parse('2026-01-05T12:00:00Z');
    countSend(counter, t);
    countSend(counter, t + 10);
    expect(throughputSlot(counter, cls, t + 20)).toBe(t + 1000);
    countSend(counter, t + 1000);
    expect(throughputSlot(counter, cls, t + 2000)).toBe(Date.parse('2026-01-06T00:00:00Z'));
  });
  it('finds the country of an E.164 number', () => {
    const countries = { US: { prefix: '1', timezone: 'x' }, CA: { prefix: '1', timezone: 'x', areaCodes: ['416'] }, GB: { prefix: '44', timezone: 'x' } };
    expect(countryOf('+14165550100', countries)).toBe('CA');
    expect(countryOf('+12125550100', countries)).toBe('US');
    expect(countryOf('+447700900123', countries)).toBe('GB');
  });
});

describe('criteria, calls, csv', () => {
  it('compiles the contact criteria grammar and rejects bad expressions with 1017', () => {
    const p = compile(parseCriteria('{"first_name":{"$like":"an%"},"$or":[{"city":"Paris"},{"city":{"$in":["Lyon"]}}]}'));
    expect(p({ id: '1', first_name: 'Anna', city: 'Lyon' })).toBe(true);
    expect(p({ id: '2', first_name: 'Bob', city: 'Lyon' })).toBe(false);
    expect(() => parseCriteria('{"a":{"$gt":1}}')).toThrow(/criteria/);
    expect(() => parseCriteria('nope')).toThrow(expect.objectContaining({ details: expect.objectContaining({ code: '1017' }) }));
  });
  it('plans call outcomes from test numbers', () => {
    expect(callPlan('+15555999001', 30000, 3000)).toMatchObject({ kind: 'reject', afterMs: 0, code: 'BUSY' });
    expect(callPlan('+15555999002', 20000, 3000)).toMatchObject({ kind: 'reject', afterMs: 20000, code: 'NO_ANSWER' });
    expect(callPlan('+15555999003', 30000, 3000)).toEqual({ kind: 'answer', afterMs: 3000, hangupAfterMs: 10000 });
    expect(callPlan('+15551234567', 30000, 3000)).toEqual({ kind: 'answer', afterMs: 3000 });
  });
  it('parses quoted CSV', () => {
    expect(parseCsv('a,b\n"x,1","say ""hi"""\n')).toEqual([['a', 'b'], ['x,1', 'say "hi"']]);
  });
});
