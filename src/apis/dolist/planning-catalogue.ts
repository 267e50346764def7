// What a planning may say (research part 2 §4.5): the recurrence frequencies with their allowed
// intervals and filters (`GET /plannings/recurrents/intervals|filters`), the one-time rate
// catalogues (fixtures `rateVolumes`, `ratePeriods`), the validation of a planning's settings
// (P1 [737]/[738], P4 [745]/[746], [36] for an unknown Frequency) and the creation of plannings.
// Decisions (the reference names no values): frequencies Daily, Weekly, Monthly (any case);
// intervals Daily 1-31, Weekly 1-12, Monthly 1-12; filters Weekly = weekday names (English,
// any case; 0-6 accepted as Sunday-Saturday), Monthly = days "1"-"31", Daily none. A fixtures
// key `planningFrequencies` (`{Daily: {intervals: [...], filters: [...]}, ...}`) overrides them.
import { parseTimestamp } from '../../core/clock.js';
import { nextInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistFixtures, API_ID } from './style.js';
import { dolistError } from './error-catalogue.js';
import { planningsTable, type PlanningRec } from './plannings.js';

export type Frequency = 'Daily' | 'Weekly' | 'Monthly';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const DEFAULT_FREQUENCIES: Record<Frequency, { intervals: number[]; filters: string[] }> = {
  Daily: { intervals: range(1, 31), filters: [] },
  Weekly: { intervals: range(1, 12), filters: WEEKDAYS.slice(1).concat('Sunday') },
  Monthly: { intervals: range(1, 12), filters: range(1, 31).map(String) },
};

function frequencies(ws: Workspace): Record<Frequency, { intervals: number[]; filters: string[] }> {
  const fx = dolistFixtures(ws).planningFrequencies as Partial<Record<Frequency, { intervals: number[]; filters: string[] }>> | undefined;
  return { ...DEFAULT_FREQUENCIES, ...(fx ?? {}) };
}

/** The canonical Frequency, or 400 [36]. */
export function frequencyOf(v: unknown): Frequency {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  const f = (Object.keys(DEFAULT_FREQUENCIES) as Frequency[]).find((k) => k.toLowerCase() === s);
  if (!f) throw dolistError('36', `Frequency must be one of Daily, Weekly, Monthly (got ${JSON.stringify(v ?? null)})`, 'Frequency');
  return f;
}

export const allowedIntervals = (ws: Workspace, f: Frequency) => frequencies(ws)[f].intervals;
export const allowedFilters = (ws: Workspace, f: Frequency) => frequencies(ws)[f].filters;

/** A filter value in its canonical spelling, or null when the frequency does not allow it. */
function canonicalFilter(ws: Workspace, f: Frequency, v: unknown): string | null {
  const s = String(v).trim();
  const allowed = allowedFilters(ws, f);
  if (f === 'Weekly' && /^[0-6]$/.test(s)) return WEEKDAYS[Number(s)];
  if (f === 'Monthly' && /^\d+$/.test(s)) return allowed.includes(String(Number(s))) ? String(Number(s)) : null;
  return allowed.find((a) => a.toLowerCase() === s.toLowerCase()) ?? null;
}

function dateOf(v: unknown, field: string, fallback: number | null): number | null {
  if (v === undefined || v === null || v === '') return fallback;
  const t = parseTimestamp(v);
  if (t === null || t === undefined || Number.isNaN(t)) throw dolistError('36', `${field} is not a date: ${JSON.stringify(v)}`, field);
  return t;
}

const iso = (t: number) => new Date(t).toISOString();

/** The recurrence settings of a body (create or simulation), validated: [36], [745], [746]. */
export function recurrenceSettings(ws: Workspace, body: Record<string, unknown>): Pick<PlanningRec, 'Frequency' | 'Interval' | 'FilterList' | 'StartDate' | 'EndDate' | 'Time'> {
  const frequency = frequencyOf(body.Frequency);
  const interval = body.Interval === undefined || body.Interval === null ? 1 : Number(body.Interval);
  if (!Number.isInteger(interval) || !allowedIntervals(ws, frequency).includes(interval)) {
    throw dolistError('745', `Interval ${JSON.stringify(body.Interval)} is not allowed for ${frequency} (allowed: ${allowedIntervals(ws, frequency).join(', ')})`, 'Interval');
  }
  const raw = body.FilterList === undefined || body.FilterList === null ? [] : Array.isArray(body.FilterList) ? body.FilterList : String(body.FilterList).split(/[;,]/).filter((x) => x.trim());
  const filters: string[] = [];
  for (const v of raw) {
    const c = canonicalFilter(ws, frequency, v);
    if (c === null) throw dolistError('746', `filter ${JSON.stringify(v)} is not allowed for ${frequency}${allowedFilters(ws, frequency).length ? '' : ' (it takes no filter)'}`, 'FilterList');
    if (!filters.includes(c)) filters.push(c);
  }
  const start = dateOf(body.StartDate, 'StartDate', ws.now())!;
  const end = dateOf(body.EndDate, 'EndDate', null);
  if (end !== null && end < start) throw dolistError('36', 'EndDate is before StartDate', 'EndDate');
  let time: string | null = null;
  if (body.Time !== undefined && body.Time !== null && body.Time !== '') {
    const m = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(String(body.Time).trim());
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw dolistError('36', `Time must be HH:mm (got ${JSON.stringify(body.Time)})`, 'Time');
    time = `${m[1].padStart(2, '0')}:${m[2]}`;
  }
  return { Frequency: frequency, Interval: interval, FilterList: filters, StartDate: iso(start), EndDate: end === null ? null : iso(end), Time: time };
}

/** The rate of a one-time planning: both ids or neither ([36]); each must exist ([737], [738]). */
export function rateSettings(ws: Workspace, body: Record<string, unknown>): Pick<PlanningRec, 'RateVolumeID' | 'RatePeriodID'> {
  const given = (v: unknown) => v !== undefined && v !== null;
  const vol = body.RateVolumeID;
  const per = body.RatePeriodID;
  if (!given(vol) && !given(per)) return { RateVolumeID: null, RatePeriodID: null };
  const fx = dolistFixtures(ws);
  if (given(vol) && !(fx.rateVolumes as Array<{ ID: number }>).some((v) => v.ID === Number(vol))) throw dolistError('737', `no rate volume ${vol} (GET /plannings/onetime/rate/volumes)`, 'RateVolumeID');
  if (given(per) && !(fx.ratePeriods as Array<{ ID: number }>).some((p) => p.ID === Number(per))) throw dolistError('738', `no rate period ${per} (GET /plannings/onetime/rate/periods)`, 'RatePeriodID');
  if (!given(vol) || !given(per)) throw dolistError('36', 'a rate needs both RateVolumeID and RatePeriodID', given(vol) ? 'RatePeriodID' : 'RateVolumeID');
  return { RateVolumeID: Number(vol), RatePeriodID: Number(per) };
}

/** Writes a new planning (one id counter for both kinds: `dolist/plannings`). */
function insertPlanning(ws: Workspace, account: string, values: Partial<PlanningRec> & Pick<PlanningRec, 'Kind' | 'StartDate'>): PlanningRec {
  let ID = nextInSequence(ws, sequenceKey(API_ID, 'plannings'), 1);
  while (planningsTable(ws).has(String(ID))) ID = nextInSequence(ws, sequenceKey(API_ID, 'plannings'), 1);
  return planningsTable(ws).put({
    id: String(ID), ID, account, RateVolumeID: null, RatePeriodID: null, Frequency: null, Interval: null, FilterList: [], EndDate: null, Time: null,
    SendingIDList: [], CreateDate: iso(ws.now()), ...values,
  });
}

export function createOneTimePlanning(ws: Workspace, account: string, body: Record<string, unknown>): PlanningRec {
  const rate = rateSettings(ws, body);
  const start = dateOf(body.StartDate, 'StartDate', ws.now())!;
  return insertPlanning(ws, account, { Kind: 'OneTime', StartDate: iso(start), ...rate });
}

export function createRecurrentPlanning(ws: Workspace, account: string, body: Record<string, unknown>): PlanningRec {
  return insertPlanning(ws, account, { Kind: 'Recurrent', ...recurrenceSettings(ws, body) });
}

/** A planning as the API shows it. */
export function planningView(p: PlanningRec): Record<string, unknown> {
  const common = { ID: p.ID, PlanningType: p.Kind, StartDate: p.StartDate, SendingIDList: [...p.SendingIDList], CreateDate: p.CreateDate };
  if (p.Kind === 'OneTime') return { ...common, RateVolumeID: p.RateVolumeID, RatePeriodID: p.RatePeriodID };
  return { ...common, Frequency: p.Frequency, Interval: p.Interval, FilterList: [...p.FilterList], EndDate: p.EndDate, Time: p.Time };
}
