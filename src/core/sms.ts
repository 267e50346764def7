// SMS encoding and segmentation (3GPP TS 23.038): a text that fits the GSM 7-bit alphabet
// (basic set + extension table, whose characters take two septets) is sent as GSM-7, 160
// septets in one part or 153 per part of a concatenated message; anything else is UCS-2, 70
// characters (UTF-16 code units) in one part or 67 per part.

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set([...GSM_BASIC]);
const extended = new Set([...GSM_EXTENDED]);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface Segmentation {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Capacity of one segment for this message (160/153 or 70/67). */
  perSegment: number;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basic.has(ch) && !extended.has(ch)) return false;
  return true;
}

export function gsm7Length(text: string): number {
  let n = 0;
  for (const ch of text) n += extended.has(ch) ? 2 : 1;
  return n;
}

/**
 * Segments of `text`: GSM-7 when every character is in the alphabet, else UCS-2. An API whose
 * client chooses the encoding passes it: forced GSM-7 counts a character outside the alphabet
 * as one septet (the vendor transliterates it), forced UCS-2 counts UTF-16 units.
 */
export function segment(text: string, encoding?: SmsEncoding): Segmentation {
  if (encoding === 'GSM-7' || (encoding === undefined && isGsm7(text))) {
    const units = gsm7Length(text);
    if (units <= 160) return { encoding: 'GSM-7', units, segments: 1, perSegment: 160 };
    return { encoding: 'GSM-7', units, segments: Math.ceil(units / 153), perSegment: 153 };
  }
  const units = text.length;
  if (units <= 70) return { encoding: 'UCS-2', units, segments: 1, perSegment: 70 };
  return { encoding: 'UCS-2', units, segments: Math.ceil(units / 67), perSegment: 67 };
}
