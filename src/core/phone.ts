// Phone numbers, parsed once for every API with libphonenumber-js (min metadata): E.164 form,
// calling code, national number and, for numbers in an allocated range, the country.
//
// Simulated traffic is full of numbers in test ranges (`+1 555 ...`, Ofcom's drama range) that
// no carrier allocates, so acceptance is by *possible* length for the calling code, not by
// validity; the country comes from libphonenumber only when the number is valid, and each API
// may map the rest from its own fixtures (dialling prefixes, area codes).
//
// The library's metadata takes ~80 ms to load, so it is required synchronously on first use
// (handlers are synchronous) and preloaded by warmPhone() after the server listens, which keeps
// it out of start-up. Parses are cached (bounded): a parse costs ~13 µs and the same numbers
// recur in every request of a campaign.
import { createRequire } from 'node:module';

type Lib = typeof import('libphonenumber-js/min');

let lib: Lib | undefined;
function phoneLib(): Lib {
  lib ??= createRequire(import.meta.url)('libphonenumber-js/min') as Lib;
  return lib;
}

/** Loads the metadata now (called after listening, so no request pays it). */
export function warmPhone(): void {
  phoneLib();
}

export interface PhoneNumber {
  /** `+` and digits. */
  e164: string;
  callingCode: string;
  /** The national significant number (no trunk prefix). */
  national: string;
  /** ISO 3166 alpha-2 when the number is in an allocated range; undefined otherwise. */
  country: string | undefined;
  /** In an allocated range (not only of a possible length). */
  valid: boolean;
}

export interface ParseOptions {
  /**
   * Digits without `+` or `00` are read as international (`1 (555) 123-4567`), as Syniverse
   * reads an MDN. Without it such input is refused: a national number needs a country.
   */
  assumeInternational?: boolean;
}

const CACHE_MAX = 10_000;
const cache = new Map<string, PhoneNumber | null>();

const SHAPE = /^\+?[0-9][0-9 ().\-/]*$/;

/** The number in `input` (spaces, dots, dashes, brackets allowed; `00` means `+`), or undefined. */
export function parsePhone(input: string, opts: ParseOptions = {}): PhoneNumber | undefined {
  const key = opts.assumeInternational ? `i${input}` : input;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const parsed = parseUncached(input, opts.assumeInternational === true);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, parsed ?? null);
  return parsed;
}

function parseUncached(input: string, assumeInternational: boolean): PhoneNumber | undefined {
  const s = input.trim();
  if (!SHAPE.test(s)) return undefined;
  let text: string;
  if (s.startsWith('+')) text = s;
  else if (s.startsWith('00')) text = `+${s.slice(2)}`;
  else if (assumeInternational) text = `+${s}`;
  else return undefined;
  const n = phoneLib().parsePhoneNumberFromString(text);
  if (!n || !n.isPossible()) return undefined;
  const valid = n.isValid();
  return { e164: n.number, callingCode: n.countryCallingCode, national: n.nationalNumber, country: valid ? n.country : undefined, valid };
}

/** E.164 of `input`, or undefined when it is not a possible phone number. */
export function normalizePhoneNumber(input: string, opts: ParseOptions = {}): string | undefined {
  return parsePhone(input, opts)?.e164;
}
