// Unit tests of the sender-id, keyword and attachment domain rules (no HTTP).
import { describe, expect, it } from 'vitest';
import { decodeContentData } from '../src/apis/syniverse/attachments.js';
import { matchKeyword, scgRecordsConsent } from '../src/apis/syniverse/keywords.js';
import { ineligibility } from '../src/apis/syniverse/senders.js';

const kw = (id: string, value: string, extra: Record<string, unknown> = {}) => ({ id, name: id.toUpperCase(), value, case: 'INSENSITIVE', type: 'COMPANY', created_date: '2026-01-01T00:00:00.000Z', ...extra });
const NOW = Date.parse('2026-01-05T12:00:00Z');

describe('keyword matching (K3)', () => {
  const keywords = [
    kw('generic', 'PROMO|DEAL'),
    kw('mine', 'PROMO', { sender_id: 's1' }),
    kw('stop', 'STOP|END', { type: 'RESERVED' }),
    kw('exact', 'Secret', { case: 'SENSITIVE' }),
    kw('later', 'SOON', { valid_from: '2026-02-01T00:00:00Z' }),
    kw('over', 'GONE', { valid_to: '2026-01-01T00:00:00Z' }),
  ];
  it('prefers RESERVED, then the sender-specific keyword, then generic ones; the whole body or its first word', () => {
    expect(matchKeyword(keywords, 's1', 'promo', NOW)?.id).toBe('mine');
    expect(matchKeyword(keywords, 's2', 'promo please', NOW)?.id).toBe('generic');
    expect(matchKeyword(keywords, 's1', ' end ', NOW)?.id).toBe('stop');
    expect(matchKeyword(keywords, 's1', 'promotion', NOW)).toBeUndefined();
  });
  it('honours case sensitivity and the validity window', () => {
    expect(matchKeyword(keywords, 's1', 'Secret', NOW)?.id).toBe('exact');
    expect(matchKeyword(keywords, 's1', 'secret', NOW)).toBeUndefined();
    expect(matchKeyword(keywords, 's1', 'soon', NOW)).toBeUndefined();
    expect(matchKeyword(keywords, 's1', 'soon', Date.parse('2026-02-02T00:00:00Z'))?.id).toBe('later');
    expect(matchKeyword(keywords, 's1', 'gone', NOW)).toBeUndefined();
  });
  it('skips a keyword whose value is not a valid expression', () => {
    expect(matchKeyword([kw('bad', '('), kw('ok', '\\(')], 's1', '(', NOW)?.id).toBe('ok');
  });
});

describe('consent recorded by SCG for keyword actions', () => {
  it('SCG records opt-ins and opt-outs, SCG_UNSOLICITED_OPT_OUT only opt-outs, USER neither', () => {
    expect([scgRecordsConsent('SCG', 'OPTOUT'), scgRecordsConsent('SCG', 'OPTIN'), scgRecordsConsent('SCG', 'STORE')]).toEqual([true, true, false]);
    expect([scgRecordsConsent('SCG_UNSOLICITED_OPT_OUT', 'OPTOUT'), scgRecordsConsent('SCG_UNSOLICITED_OPT_OUT', 'OPTIN')]).toEqual([true, false]);
    expect([scgRecordsConsent('USER', 'OPTOUT'), scgRecordsConsent(null, 'OPTOUT')]).toEqual([false, false]);
  });
});

describe('attachment content-data', () => {
  it('decodes standard and URL-safe base64, refuses anything else', () => {
    expect(Buffer.from(decodeContentData('R0lGODlh')!).toString()).toBe('GIF89a');
    expect([...decodeContentData('-_8=')!]).toEqual([251, 255]);
    expect([...decodeContentData('+/8=')!]).toEqual([251, 255]);
    expect(decodeContentData(undefined)).toBeUndefined();
    expect(() => decodeContentData('not base64!')).toThrow(/base64/);
    expect(() => decodeContentData('abcde')).toThrow(/base64/);
  });
});

describe('sender classes referenced by a former fixture id', () => {
  it('apply their countries like the class itself', () => {
    const classes = [{ id: 'COMMERCIAL', _aliases: ['class-a2p-us'], applicable_countries: ['US'] }];
    const sender = (class_id: string) => ({ id: 's', state: 'ACTIVE', capabilities: ['SMS'], class_id });
    const toGb = { address: '+447700900123', kind: 'MDN' as const, country: 'GB' };
    expect(ineligibility(sender('COMMERCIAL'), 'SMS', toGb, classes)).toMatch(/does not serve GB/);
    expect(ineligibility(sender('class-a2p-us'), 'SMS', toGb, classes)).toMatch(/does not serve GB/);
    expect(ineligibility(sender('class-a2p-us'), 'SMS', { ...toGb, address: '+15551230000', country: 'US' }, classes)).toBeUndefined();
  });
});
