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
