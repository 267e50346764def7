import { describe, expect, it } from 'vitest';
import { wallParts, wallTimeToInstant, zoneOffsetMs } from '../../src/core/zones.js';

const H = 3_600_000;
const at = (s: string) => Date.parse(s);
const iso = (t: number) => new Date(t).toISOString();
const wall = (y: number, mo: number, d: number, h: number, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s);

describe('wallParts', () => {
  it('gives the local fields, weekday and minutes since midnight', () => {
    expect(wallParts(at('2026-07-01T10:15:30Z'), 'Europe/Paris')).toEqual({
      year: 2026,
      month: 7,
      day: 1,
      hour: 12,
      minute: 15,
      second: 30,
      weekday: 'WED',
      minutes: 12 * 60 + 15,
    });
    // Midnight is hour 0 (h23), and the date moves back west of UTC.
    expect(wallParts(at('2026-01-01T04:00:00Z'), 'America/New_York')).toMatchObject({ year: 2025, month: 12, day: 31, hour: 23, weekday: 'WED' });
    expect(wallParts(at('2026-01-04T23:00:00Z'), 'Europe/Paris')).toMatchObject({ day: 5, hour: 0, minutes: 0, weekday: 'MON' });
  });

  it('rejects an unknown zone', () => {
    expect(() => wallParts(0, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zoneOffsetMs', () => {
  it('follows DST on both sides of the equator and half-hour zones', () => {
    expect(zoneOffsetMs(at('2026-01-15T12:00:00Z'), 'Europe/Paris')).toBe(1 * H);
    expect(zoneOffsetMs(at('2026-07-15T12:00:00Z'), 'Europe/Paris')).toBe(2 * H);
    expect(zoneOffsetMs(at('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * H);
    expect(zoneOffsetMs(at('2026-01-15T12:00:00Z'), 'Australia/Sydney')).toBe(11 * H);
    expect(zoneOffsetMs(at('2026-07-15T12:00:00Z'), 'Australia/Sydney')).toBe(10 * H);
    expect(zoneOffsetMs(at('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * H);
    expect(zoneOffsetMs(at('2026-07-15T12:00:00.999Z'), 'UTC')).toBe(0);
  });

  it('changes exactly at the transition instant', () => {
    // Paris springs forward at 01:00 UTC on the last Sunday of March.
    expect(zoneOffsetMs(at('2026-03-29T00:59:59Z'), 'Europe/Paris')).toBe(1 * H);
    expect(zoneOffsetMs(at('2026-03-29T01:00:00Z'), 'Europe/Paris')).toBe(2 * H);
  });
});

describe('wallTimeToInstant', () => {
  it('maps an ordinary wall time with the offset of that day', () => {
    expect(iso(wallTimeToInstant(wall(2026, 7, 1, 12), 'Europe/Paris'))).toBe('2026-07-01T10:00:00.000Z');
    expect(iso(wallTimeToInstant(wall(2026, 1, 5, 9, 30), 'America/New_York'))).toBe('2026-01-05T14:30:00.000Z');
    expect(iso(wallTimeToInstant(wall(2026, 1, 5, 9, 30), 'Asia/Kolkata'))).toBe('2026-01-05T04:00:00.000Z');
    expect(wallTimeToInstant(wall(2026, 1, 5, 9, 30) + 123, 'UTC')).toBe(wall(2026, 1, 5, 9, 30) + 123);
  });

  it('maps wall times right around a transition', () => {
    // Paris, 2026-03-29: 01:59 CET exists, 03:00 CEST exists.
    expect(iso(wallTimeToInstant(wall(2026, 3, 29, 1, 59), 'Europe/Paris'))).toBe('2026-03-29T00:59:00.000Z');
    expect(iso(wallTimeToInstant(wall(2026, 3, 29, 3, 0), 'Europe/Paris'))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('resolves a wall time skipped by the spring jump to the instant an hour later', () => {
    // 02:30 does not exist in Paris on 2026-03-29: 03:30 CEST.
    const paris = wallTimeToInstant(wall(2026, 3, 29, 2, 30), 'Europe/Paris');
    expect(iso(paris)).toBe('2026-03-29T01:30:00.000Z');
    expect(wallParts(paris, 'Europe/Paris')).toMatchObject({ hour: 3, minute: 30 });
    // 02:30 does not exist in New York on 2026-03-08: 03:30 EDT (not 01:30 EST).
    const ny = wallTimeToInstant(wall(2026, 3, 8, 2, 30), 'America/New_York');
    expect(iso(ny)).toBe('2026-03-08T07:30:00.000Z');
    expect(wallParts(ny, 'America/New_York')).toMatchObject({ hour: 3, minute: 30 });
    // Sydney springs forward on 2026-10-04 (02:00 -> 03:00).
    const syd = wallTimeToInstant(wall(2026, 10, 4, 2, 15), 'Australia/Sydney');
    expect(wallParts(syd, 'Australia/Sydney')).toMatchObject({ day: 4, hour: 3, minute: 15 });
  });

  it('resolves a wall time repeated by the autumn fall-back to its first occurrence', () => {
    // Paris 2026-10-25 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    expect(iso(wallTimeToInstant(wall(2026, 10, 25, 2, 30), 'Europe/Paris'))).toBe('2026-10-25T00:30:00.000Z');
    // New York 2026-11-01 01:30 happens at 05:30 UTC (EDT) and at 06:30 UTC (EST).
    expect(iso(wallTimeToInstant(wall(2026, 11, 1, 1, 30), 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    // Sydney 2026-04-05 02:30 happens at 15:30 UTC (AEDT, the day before) and at 16:30 UTC (AEST).
    expect(iso(wallTimeToInstant(wall(2026, 4, 5, 2, 30), 'Australia/Sydney'))).toBe('2026-04-04T15:30:00.000Z');
  });

  it('round-trips every quarter hour of a DST day that exists', () => {
    for (const tz of ['Europe/Paris', 'America/New_York', 'Australia/Sydney']) {
      for (let m = 0; m < 24 * 60; m += 15) {
        const w = wall(2026, 10, 25, 0) + m * 60_000;
        const t = wallTimeToInstant(w, tz);
        const p = wallParts(t, tz);
        const back = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
        // Either the wall time exists (exact round trip) or it was skipped (an hour later).
        expect([0, H], `${tz} +${m}min`).toContain(back - w);
      }
    }
  });
});
