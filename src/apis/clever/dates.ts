// Dates the way the vendor's PHP backend writes them: wall-clock time in Europe/Paris (the
// seed's references and `+0200` offsets prove the zone), as `Y-m-d H:i:s`, as PHP's
// DATE_ISO8601 (`Y-m-d\TH:i:sO`, offset without colon) or compact `YmdHis` in references.
// Everything derives from workspace-clock instants; Intl does the zone arithmetic (DST included).

import { wallParts, wallTimeToInstant, zoneOffsetMs } from '../../core/zones.js';

export const TIME_ZONE = 'Europe/Paris';

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function wallOf(ms: number): Wall {
  const w = wallParts(ms, TIME_ZONE);
  return { y: w.year, mo: w.month, d: w.day, h: w.hour, mi: w.minute, s: w.second };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2017-10-12 12:42:47` */
export function formatLocal(ms: number): string {
  const w = wallOf(ms);
  return `${w.y}-${pad(w.mo)}-${pad(w.d)} ${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}`;
}

/** `2017-10-12` (the date of the 430 message "Account expired YYYY-mm-JJ"). */
export function formatLocalDate(ms: number): string {
  return formatLocal(ms).slice(0, 10);
}

/** `2017-10-12T18:05:30+0200` (PHP DATE_ISO8601, seed 3.15). */
export function formatIso8601(ms: number): string {
  const w = wallOf(ms);
  const off = Math.round(zoneOffsetMs(ms, TIME_ZONE) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${w.y}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** `20171012124247` (the `Push` + YmdHis references). */
export function formatCompact(ms: number): string {
  return formatLocal(ms).replace(/\D/g, '');
}

/**
 * Reads `Y-m-d H:i:s` as Paris wall time. Undefined for a malformed or impossible date
 * (`2017-02-30 10:00:00`). A wall time skipped by the spring DST jump resolves to the instant an
 * hour later, as PHP's DateTime does.
 */
export function parseLocal(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(wall);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return wallTimeToInstant(wall, TIME_ZONE);
}
