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

/** Wall-clock parts of instant `t` in time zone `tz`. */
export function localParts(t: number, tz: string): { year: number; month: number; day: number; weekday: string; minutes: number } {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: String(parts.weekday).toUpperCase().slice(0, 3),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** Offset of time zone `tz` from UTC at instant `t`, in ms. */
export function zoneOffsetMs(t: number, tz: string): number {
  const p = localParts(t, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, Math.floor(p.minutes / 60), p.minutes % 60);
  const truncated = t - (t % 60_000);
  return asUtc - truncated;
}

/** The instant at which wall-clock time `wall` (a UTC-parsed ms value) happens in zone `tz`. */
export function wallTimeToInstant(wall: number, tz: string): number {
  let guess = wall - zoneOffsetMs(wall, tz);
  guess = wall - zoneOffsetMs(guess, tz);
  return guess;
}
