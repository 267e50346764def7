// Recipient addresses: E.164 phone numbers (MDN), email addresses and push tokens; the
// destination country and time zone of an MDN from the fixtures' dialling prefixes.

export interface CountryInfo {
  prefix: string;
  timezone: string;
  areaCodes?: string[];
}

export type AddressKind = 'MDN' | 'EMAIL' | 'PUSH';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** E.164 for phone-looking input (`+15551234567`, `1 (555) 123-4567`, `0044...`), else undefined. */
export function normalizeMdn(input: string): string | undefined {
  const s = input.trim();
  if (!/^[+0-9][0-9 ().-]*$/.test(s)) return undefined;
  let digits = s.replace(/\D/g, '');
  if (s.startsWith('00')) digits = digits.slice(2);
  if (digits.length < 7 || digits.length > 15) return undefined;
  return `+${digits}`;
}

export function addressKind(address: string): AddressKind | undefined {
  if (EMAIL_RE.test(address)) return 'EMAIL';
  if (normalizeMdn(address)) return 'MDN';
  if (/^[A-Za-z0-9:_.-]{16,}$/.test(address)) return 'PUSH';
  return undefined;
}

/** The ISO country of an E.164 number (longest matching prefix; NANP split by area code). */
export function countryOf(mdn: string, countries: Record<string, CountryInfo>): string | undefined {
  const digits = mdn.replace(/\D/g, '');
  let best: { code: string; len: number } | undefined;
  for (const [code, info] of Object.entries(countries)) {
    if (!digits.startsWith(info.prefix)) continue;
    if (info.areaCodes && !info.areaCodes.includes(digits.slice(info.prefix.length, info.prefix.length + 3))) continue;
    const len = info.prefix.length + (info.areaCodes ? 3 : 0);
    if (!best || len > best.len) best = { code, len };
  }
  return best?.code;
}

export { wallParts as localParts, wallTimeToInstant, zoneOffsetMs } from '../../core/zones.js';
