// Recipient addresses: phone numbers in international form (`+336xxxxxxxx`) and email addresses,
// list parsing (`;`-joined strings as every seed example sends, `,` or a JSON array accepted), and
// duplicate collapsing. Pure functions: no workspace, no HTTP.
import { invalid } from '../../core/errors.js';
import { normalizePhoneNumber } from '../../core/phone.js';

const EMAIL = /^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$/;

/**
 * International (E.164) form of a number, or undefined. Spaces, dots, dashes and brackets are
 * dropped; `00` means `+`; a national number (no `+`/`00`) is refused, as the seed asks for
 * `+336xxxxxxxx`.
 */
export function normalizePhone(raw: string): string | undefined {
  return normalizePhoneNumber(raw);
}

/**
 * How contacts show their numbers (the seed's real captures): French numbers as the national
 * significant number without `+33` and without the leading 0 (`600000002`); others unchanged.
 */
export function displayPhone(stored: string): string {
  return stored.startsWith('+33') ? stored.slice(3) : stored;
}

export function isEmail(raw: string): boolean {
  return EMAIL.test(raw.trim());
}

/** The items of a recipient list: a `;`/`,`-joined string or an array of strings. */
export function listItems(value: unknown): string[] {
  const parts = Array.isArray(value) ? value.map((v) => String(v ?? '')) : String(value ?? '').split(/[;,]/);
  return parts.map((s) => s.trim()).filter(Boolean);
}

/** Parses `number_list`: every item must be an international number (400 naming the first bad one). */
export function parseNumberList(value: unknown, field = 'number_list'): string[] {
  const items = listItems(value);
  if (!items.length) throw invalid(`${field} is empty: give at least one number in international format (+336xxxxxxxx)`, { field });
  return items.map((item) => {
    const n = normalizePhone(item);
    if (!n) throw invalid(`invalid number '${item}' in ${field} (international format +336xxxxxxxx expected)`, { field });
    return n;
  });
}

/** Parses `email_list` (400 naming the first bad address). */
export function parseEmailList(value: unknown, field = 'email_list'): string[] {
  const items = listItems(value);
  if (!items.length) throw invalid(`${field} is empty: give at least one email address`, { field });
  for (const item of items) if (!isEmail(item)) throw invalid(`invalid email address '${item}' in ${field}`, { field });
  return items;
}

/** Comparison key of a recipient: numbers are already normalised; addresses compare lower-cased. */
export function recipientKey(address: string): string {
  return address.toLowerCase();
}

/** With duplicates 0 a repeated recipient is sent (and echoed) once; with 1 every repeat is kept. */
export function collapse<T>(items: T[], keyOf: (t: T) => string, keepDuplicates: boolean): T[] {
  if (keepDuplicates) return items;
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = keyOf(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
