// Plannings: when and how fast a sending goes out. One-time (a start date, optionally a rate:
// a volume per period from the rate catalogues) or recurrent (frequency, interval, filters,
// start/end, time of day: its occurrence dates are what `POST /plannings/recurrents/simulation`
// computes). Immutable once created (no PUT/DELETE in the reference). Table `plannings` keyed by
// ID, partitioned by `account`; exports also name a PlanningID (404 [735] when unknown).
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { API_ID } from './style.js';

export interface PlanningRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Kind: 'OneTime' | 'Recurrent';
  StartDate: string;
  /** One-time: the rate (recipients per period), null = as fast as the platform sends. */
  RateVolumeID: number | null;
  RatePeriodID: number | null;
  /** Recurrent. */
  Frequency: string | null;
  Interval: number | null;
  FilterList: string[];
  EndDate: string | null;
  Time: string | null;
  /** The sendings that used it. */
  SendingIDList: number[];
  CreateDate: string;
}

export const planningsTable = (ws: Workspace) => ws.table<PlanningRec>(API_ID, 'plannings');

export function findPlanning(ws: Workspace, account: string, id: number): PlanningRec | undefined {
  const p = planningsTable(ws).peek(String(id));
  return p && p.account === account ? p : undefined;
}

const DAY = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The time of day (ms after midnight UTC) of a recurrent planning's occurrences. */
function timeOfDay(p: PlanningRec): number {
  const m = p.Time ? /^(\d{1,2}):(\d{2})/.exec(p.Time) : null;
  if (m) return (Number(m[1]) * 60 + Number(m[2])) * 60_000;
  return Date.parse(p.StartDate) % DAY;
}

/** Does the day starting at `day` (UTC midnight) carry an occurrence of `p`? */
export function firesOn(p: PlanningRec, day: number): boolean {
  const start = Date.parse(p.StartDate);
  const startDay = start - (start % DAY);
  if (day < startDay) return false;
  const interval = Math.max(1, p.Interval ?? 1);
  const d = new Date(day);
  const s = new Date(startDay);
  const filters = p.FilterList.map((f) => f.toLowerCase());
  switch ((p.Frequency ?? 'Daily').toLowerCase()) {
    case 'weekly': {
      const weeks = Math.floor((day - startDay) / (7 * DAY));
      const wd = WEEKDAYS[d.getUTCDay()].toLowerCase();
      const inFilter = filters.length ? filters.includes(wd) || filters.includes(String(d.getUTCDay())) : d.getUTCDay() === s.getUTCDay();
      return weeks % interval === 0 && inFilter;
    }
    case 'monthly': {
      const months = (d.getUTCFullYear() - s.getUTCFullYear()) * 12 + d.getUTCMonth() - s.getUTCMonth();
      const inFilter = filters.length ? filters.includes(String(d.getUTCDate())) : d.getUTCDate() === s.getUTCDate();
      return months % interval === 0 && inFilter;
    }
    default:
      return Math.round((day - startDay) / DAY) % interval === 0;
  }
}

/** The first occurrence of a recurrent planning strictly after `after` (epoch ms), or null past its EndDate. */
export function nextOccurrenceDate(p: PlanningRec, after: number): number | null {
  const end = p.EndDate ? Date.parse(p.EndDate) : Infinity;
  const start = Date.parse(p.StartDate);
  const tod = timeOfDay(p);
  let day = Math.max(after, start);
  day -= day % DAY;
  for (let i = 0; i < 3 * 366; i++, day += DAY) {
    const t = day + tod;
    if (t > end) return null;
    if (t > after && t >= start && firesOn(p, day)) return t;
  }
  return null;
}

/** The next `count` occurrences after `from` (the recurrence simulation). */
export function occurrenceDates(p: PlanningRec, from: number, count: number, until = Infinity): number[] {
  const out: number[] = [];
  let t = from - 1;
  while (out.length < count) {
    const n = nextOccurrenceDate(p, t);
    if (n === null || n > until) break;
    out.push(n);
    t = n;
  }
  return out;
}
