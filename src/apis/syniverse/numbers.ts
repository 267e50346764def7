// Recipient addresses: E.164 phone numbers (MDN, parsed by core/phone), email addresses and push
// tokens; the destination country and time zone of an MDN.

import { parsePhone } from '../../core/phone.js';

export interface CountryInfo {
  prefix: string;
  timezone: string;
  areaCodes?: string[];
}

export type AddressKind = 'MDN' | 'EMAIL' | 'PUSH';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** E.164 for phone-looking input (`+15551234567`, `1 (555) 123-4567`, `0044...`), else undefined. */
export function normalizeMdn(input: string): string | undefined {
  return parsePhone(input, { assumeInternational: true })?.e164;
}

export function addressKind(address: string): AddressKind | undefined {
  if (EMAIL_RE.test(address)) return 'EMAIL';
  if (normalizeMdn(address)) return 'MDN';
  if (/^[A-Za-z0-9:_.-]{16,}$/.test(address)) return 'PUSH';
  return undefined;
}

/**
 * The ISO country of an MDN among the fixtures' countries: libphonenumber's for a number in an
 * allocated range, else by the fixtures' calling code (NANP split by area code), which is how
 * test ranges such as `+1 555` get a country, a time zone and a price.
 */
export function countryOf(mdn: string, countries: Record<string, CountryInfo>): string | undefined {
  const p = parsePhone(mdn, { assumeInternational: true });
  if (!p) return undefined;
  if (p.country && countries[p.country]) return p.country;
  const area = p.national.slice(0, 3);
  let fallback: string | undefined;
  for (const [code, info] of Object.entries(countries)) {
    if (info.prefix !== p.callingCode) continue;
    if (!info.areaCodes) fallback ??= code;
    else if (info.areaCodes.includes(area)) return code;
  }
  return fallback;
}

export { wallParts as localParts, wallTimeToInstant, zoneOffsetMs } from '../../core/zones.js';
