// Wall-clock time in a time zone, for every API: the parts of an instant in a zone, the zone's
// offset, and the instant at which a wall time happens there (delivery windows in the
// recipient's zone, `scheduled_delivery_time` LOCAL, Paris dates of a French vendor). Intl does
// the zone arithmetic (DST included); its formatters are made once per zone, on first use.

export interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** `MON` .. `SUN`. */
  weekday: string;
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Wall-clock parts of instant `t` in time zone `tz`. */
export function wallParts(t: number, tz: string): WallParts {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = part.value;
  const hour = Number(p.hour);
  const minute = Number(p.minute);
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour,
    minute,
    second: Number(p.second),
    weekday: String(p.weekday).toUpperCase().slice(0, 3),
    minutes: hour * 60 + minute,
  };
}

/** Offset of zone `tz` from UTC at instant `t`, in ms (+2 h for Paris in summer). */
export function zoneOffsetMs(t: number, tz: string): number {
  const w = wallParts(t, tz);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(t / 1000) * 1000;
}

/**
 * The instant at which wall-clock time `wall` (its fields read as UTC: `Date.UTC(y, m, d, ...)`)
 * happens in zone `tz`. A wall time skipped by a DST jump resolves to the instant an hour later
 * (as PHP's DateTime does); a repeated one to its first occurrence.
 */
export function wallTimeToInstant(wall: number, tz: string): number {
  // The zone's offsets a day either side: equal unless a transition lies in between.
  const early = wall - zoneOffsetMs(wall - DAY_MS, tz);
  const late = wall - zoneOffsetMs(wall + DAY_MS, tz);
  if (early === late) return early;
  const shows = (t: number) => t + zoneOffsetMs(t, tz) === wall;
  const first = Math.min(early, late);
  if (shows(first)) return first;
  const second = Math.max(early, late);
  if (shows(second)) return second;
  // Skipped by a jump forward: read with the offset before the jump, i.e. the gap later.
  return early;
}

const DAY_MS = 86_400_000;
