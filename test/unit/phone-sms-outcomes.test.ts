// Core mechanisms every API shares: phone parsing (libphonenumber-js), SMS segmentation,
// test numbers / test addresses and the precedence of outcomes.
import { describe, expect, it } from 'vitest';
import { decide, decideOutcome } from '../../src/core/outcomes.js';
import { fakeModule, manualWorkspace, startRuntime } from './support.js';
import { normalizePhoneNumber, parsePhone } from '../../src/core/phone.js';
import { gsm7Length, isGsm7, segment } from '../../src/core/sms.js';
import { digitsOf, emailOutcome, testOutcome } from '../../src/core/test-numbers.js';

describe('phone numbers', () => {
  it('normalises punctuation and 00 to E.164', () => {
    expect(normalizePhoneNumber('+33 6 00 00 00 01')).toBe('+33600000001');
    expect(normalizePhoneNumber('0033.6.00.00.00.01')).toBe('+33600000001');
    expect(normalizePhoneNumber('+1 (212) 555-0100')).toBe('+12125550100');
  });
  it('refuses national numbers unless told to read digits as international', () => {
    expect(normalizePhoneNumber('15551234567')).toBeUndefined();
    expect(normalizePhoneNumber('15551234567', { assumeInternational: true })).toBe('+15551234567');
  });
  it('accepts test ranges by possible length but gives them no country', () => {
    const p = parsePhone('+15555999001')!;
    expect(p).toMatchObject({ e164: '+15555999001', callingCode: '1', national: '5555999001', valid: false, country: undefined });
    expect(parsePhone('+12125550100')).toMatchObject({ valid: true, country: 'US' });
    expect(parsePhone('+33600000001')).toMatchObject({ valid: true, country: 'FR', national: '600000001' });
  });
  it('refuses impossible lengths, letters and unknown calling codes', () => {
    expect(parsePhone('+1555999001')).toBeUndefined();
    expect(parsePhone('+1234567')).toBeUndefined();
    expect(parsePhone('+33abc')).toBeUndefined();
    expect(parsePhone('+999123456789')).toBeUndefined();
    expect(parsePhone('')).toBeUndefined();
  });
  it('answers the same from its cache', () => {
    const a = parsePhone('+447700900123');
    expect(parsePhone('+447700900123')).toBe(a);
    expect(parsePhone('bogus')).toBeUndefined();
    expect(parsePhone('bogus')).toBeUndefined();
  });
});

describe('SMS segmentation', () => {
  it('counts GSM-7 septets with extension characters as two', () => {
    expect(isGsm7('Hello [world] €')).toBe(true);
    expect(gsm7Length('[€]')).toBe(6);
    expect(segment('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1, perSegment: 160 });
    expect(segment('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2, perSegment: 153 });
    expect(segment('€'.repeat(80)).segments).toBe(1);
    expect(segment('€'.repeat(81)).segments).toBe(2);
  });
  it('falls back to UCS-2 outside the alphabet (70 / 67 units)', () => {
    expect(segment('你'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1, perSegment: 70 });
    expect(segment('你'.repeat(71)).segments).toBe(2);
    expect(segment('你'.repeat(135)).segments).toBe(3);
  });
  it('honours an encoding the client chose', () => {
    // Forced GSM-7 counts a character outside the alphabet as one septet (transliterated).
    expect(segment('你'.repeat(160), 'GSM-7')).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(segment('a'.repeat(71), 'UCS-2')).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });
});

describe('test numbers and outcome precedence', () => {
  it('maps 99900N endings and email +tags', () => {
    expect(digitsOf('+1 (555) 599-9001')).toBe('15555999001');
    expect(testOutcome('+15555999001')).toBe('fail');
    expect(testOutcome('+33600999005')).toBe('timeout');
    expect(testOutcome('+15555999009')).toBeUndefined();
    expect(testOutcome('12345')).toBeUndefined();
    expect(emailOutcome('ann+Bounce@example.com')).toBe('bounce');
    expect(emailOutcome('ann+nope@example.com')).toBeUndefined();
    expect(emailOutcome('ann@example.com')).toBeUndefined();
  });
  const cases = {
    scenario: (f: Record<string, unknown>) => (f.state ? `scenario:${String(f.state)}` : undefined),
    testNumber: (o: string) => `test:${o}`,
    testAddress: (t: string) => `address:${t}`,
    otherwise: () => 'default',
  };
  it('takes a scenario rule first, then the test number or address, then the default', () => {
    expect(decideOutcome('+15555999001', { state: 'DELIVERED' }, cases)).toBe('scenario:DELIVERED');
    expect(decideOutcome('+15555999001', undefined, cases)).toBe('test:fail');
    expect(decideOutcome('ann+click@example.com', undefined, cases)).toBe('address:click');
    expect(decideOutcome('+15551230000', undefined, cases)).toBe('default');
  });
  it('falls through a scenario outcome the API cannot apply', () => {
    expect(decideOutcome('+15555999003', { other: 1 }, cases)).toBe('test:read');
  });
  it('skips the kinds an API does not declare', () => {
    expect(decideOutcome('+15555999001', undefined, { scenario: () => undefined, otherwise: () => 'd' })).toBe('d');
    expect(decideOutcome('ann+bounce@example.com', undefined, { scenario: () => undefined, testNumber: () => 't', otherwise: () => 'd' })).toBe('d');
  });
});

describe('decide: the one hook of every decision point', () => {
  it("asks the workspace scenario for the point's hook with api among the facts, then test numbers, then the default", async () => {
    const rt = await startRuntime((r) => [fakeModule(r)]);
    try {
      const ws = await manualWorkspace(rt, 'decide', {
        scenario: { rules: [{ on: 'message', match: { api: 'fake', to_address: '/^\\+44/' }, outcome: { state: 'FAILED', afterMs: { min: 10, max: 20 } } }] },
      });
      const plain = await manualWorkspace(rt, 'decide-plain');
      const cases = { scenario: (f: Record<string, unknown>) => `scenario ${f.state} ${f.afterMs}`, testNumber: (o: string) => `test ${o}`, otherwise: () => 'default' };
      const at = (w: typeof ws, api: string, to: string) => decide(w, { on: 'message', api, facts: { to_address: to } }, to, cases);
      expect(at(ws, 'fake', '+447700999001')).toMatch(/^scenario FAILED (1\d|20)$/); // the rule wins over the test number
      expect(at(ws, 'other', '+447700999001')).toBe('test fail'); // the rule names another api
      expect(at(ws, 'fake', '+15551230000')).toBe('default');
      expect(at(plain, 'fake', '+447700900000')).toBe('default'); // no scenario
    } finally {
      await rt.shutdown();
    }
  });
});

describe('random strings', () => {
  it('draws long strings in chunks (an argument list has a size limit)', async () => {
    const { Rng, seedState } = await import('../../src/core/rng.js');
    const a = new Rng(seedState(3)).chars('ab', 200_000);
    expect(a).toHaveLength(200_000);
    expect(a).toMatch(/^[ab]+$/);
    // The same draws as short strings made one after another.
    const r = new Rng(seedState(3));
    expect(r.chars('ab', 4096) + r.chars('ab', 10)).toBe(a.slice(0, 4106));
  });
});
