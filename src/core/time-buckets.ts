// Time buckets for timelines: a window [start, end] cut at calendar boundaries (UTC) of an hour,
// a day, an ISO week (Monday) or a month. The first bucket begins at the window's start and the
// last ends at its end (either may be partial), so the buckets tile the window exactly. A bucket
// holds what happened in (start, end]: summing the buckets gives count(end) - count(start), the
// difference of two cumulative counters (`happened` semantics: a timestamp <= t has happened).
export type BucketUnit = 'hour' | 'day' | 'week' | 'month';

export const BUCKET_UNITS: readonly BucketUnit[] = ['hour', 'day', 'week', 'month'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The first calendar boundary of `unit` strictly after `t` (UTC). */
export function nextBoundary(t: number, unit: BucketUnit): number {
  switch (unit) {
    case 'hour':
      return Math.floor(t / HOUR) * HOUR + HOUR;
    case 'day':
      return Math.floor(t / DAY) * DAY + DAY;
    case 'week': {
      const day = Math.floor(t / DAY) * DAY;
      // 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays.
      const sinceMonday = (Math.floor(day / DAY) + 3) % 7;
      return day + (7 - sinceMonday) * DAY;
    }
    case 'month': {
      const d = new Date(t);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
  }
}

/** The buckets tiling [start, end] (start < end), at most `max` of them (else null). */
export function bucketBounds(start: number, end: number, unit: BucketUnit, max = 10_000): Array<{ start: number; end: number }> | null {
  const out: Array<{ start: number; end: number }> = [];
  let s = start;
  while (s < end) {
    if (out.length >= max) return null;
    const e = Math.min(end, nextBoundary(s, unit));
    out.push({ start: s, end: e });
    s = e;
  }
  return out;
}

/**
 * Sums `amount` of the items into the buckets holding their time ((start, end] each). Items at
 * or before the first bucket's start, or after the last's end, are left out.
 */
export function fillBuckets<T>(bounds: Array<{ start: number; end: number }>, items: Iterable<T>, at: (item: T) => number, key: (item: T) => string, amount: (item: T) => number = () => 1): Array<Record<string, number>> {
  const sums = bounds.map(() => ({}) as Record<string, number>);
  if (!bounds.length) return sums;
  const first = bounds[0].start;
  const last = bounds[bounds.length - 1].end;
  for (const item of items) {
    const t = at(item);
    if (!(t > first && t <= last)) continue;
    // Binary search for the bucket whose (start, end] holds t.
    let lo = 0;
    let hi = bounds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t <= bounds[mid].end) hi = mid;
      else lo = mid + 1;
    }
    const k = key(item);
    sums[lo][k] = (sums[lo][k] ?? 0) + amount(item);
  }
  return sums;
}
