// Plannings over HTTP: get is declared CRUD on the kind's collection; creates, the per-sending
// lists, the recurrence simulation and the reference lists call planning-catalogue.ts.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { parseTimestamp } from '../../../core/clock.js';
import { crud } from '../../../core/crud.js';
import { dolistError } from '../error-catalogue.js';
import { allowedFilters, allowedIntervals, createOneTimePlanning, createRecurrentPlanning, frequencyOf, planningView, recurrenceSettings } from '../planning-catalogue.js';
import { findPlanning, occurrenceDates, type PlanningRec } from '../plannings.js';
import type { SendingCollections } from '../sending-collections.js';
import { findSending } from '../sendings.js';
import { callerAccount, dolistFixtures, style } from '../style.js';
import { channelParam } from './sendings.js';

const bodyOf = (ctx: HandlerContext): Record<string, unknown> => (ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? ctx.body : {});
const list = (items: unknown[]) => ({ ItemList: items, Total: items.length });

function dateParam(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const t = parseTimestamp(v);
  if (t === undefined) throw dolistError('36', `${field} is not a date: ${JSON.stringify(v)}`, field);
  return t;
}

/**
 * The plannings of one kind a sending had (research P2): Channel [749], the sending [729], the
 * CreatedAfter/CreatedBefore window, CreateDate order (SortOrder desc reverses); none: the
 * kind's not-found code ([735] / [747]).
 */
function sendingPlannings(ctx: HandlerContext, kind: PlanningRec['Kind']): unknown {
  const channel = channelParam(ctx.query.Channel, '749');
  const account = callerAccount(ctx);
  const s = findSending(ctx.ws, account, channel, Number(ctx.query.SendingID));
  if (!s) throw dolistError('729', `no ${channel === 'sms' ? 'SMS' : 'email'} sending ${ctx.query.SendingID} in account ${account}`, 'SendingID');
  const after = dateParam(ctx.query.CreatedAfter, 'CreatedAfter');
  const before = dateParam(ctx.query.CreatedBefore, 'CreatedBefore');
  const order = typeof ctx.query.SortOrder === 'string' ? ctx.query.SortOrder.trim().toLowerCase() : 'asc';
  if (!['asc', 'ascending', 'desc', 'descending'].includes(order)) throw dolistError('36', `SortOrder must be asc or desc (got ${JSON.stringify(ctx.query.SortOrder)})`, 'SortOrder');
  const seen = new Set<number>();
  const items: PlanningRec[] = [];
  for (const id of s.PlanningIDList) {
    const p = findPlanning(ctx.ws, account, id);
    if (!p || p.Kind !== kind || seen.has(id)) continue;
    seen.add(id);
    const t = Date.parse(p.CreateDate);
    if ((after === undefined || t >= after) && (before === undefined || t <= before)) items.push(p);
  }
  if (!items.length) throw dolistError(kind === 'OneTime' ? '735' : '747', `sending ${s.ID} has no ${kind === 'OneTime' ? 'one-time' : 'recurrent'} planning${after !== undefined || before !== undefined ? ' created in that window' : ''}`, 'SendingID');
  items.sort((a, b) => Date.parse(a.CreateDate) - Date.parse(b.CreateDate) || a.ID - b.ID);
  if (order.startsWith('desc')) items.reverse();
  return list(items.map(planningView));
}

export function planningHandlers(c: SendingCollections): Record<string, Handler> {
  return {
    ...crud(style, {
      getPlanningOnetime: { collection: c.onetime, action: 'get', partition: callerAccount, render: (p) => planningView(p) },
      getPlanningRecurrent: { collection: c.recurrent, action: 'get', partition: callerAccount, render: (p) => planningView(p) },
    }),
    createPlanningOnetime: (ctx) => ({ status: 201, body: { ID: createOneTimePlanning(ctx.ws, callerAccount(ctx), bodyOf(ctx)).ID } }),
    createPlanningRecurrent: (ctx) => ({ status: 201, body: { ID: createRecurrentPlanning(ctx.ws, callerAccount(ctx), bodyOf(ctx)).ID } }),
    listPlanningOnetime: (ctx) => ({ status: 200, body: sendingPlannings(ctx, 'OneTime') }),
    listPlanningRecurrents: (ctx) => ({ status: 200, body: sendingPlannings(ctx, 'Recurrent') }),
    simulateRecurrentPlanning: (ctx) => {
      const count = Number(ctx.query.SimulationCount);
      if (!Number.isInteger(count) || count < 1 || count > 1000) throw dolistError('36', `SimulationCount must be between 1 and 1000 (got ${ctx.query.SimulationCount})`, 'SimulationCount');
      const settings = recurrenceSettings(ctx.ws, bodyOf(ctx));
      const from = Math.max(dateParam(ctx.query.SimulationStartDate, 'SimulationStartDate') ?? ctx.ws.now(), Date.parse(settings.StartDate));
      const until = dateParam(ctx.query.SimulationEndDate, 'SimulationEndDate') ?? Infinity;
      // The same computation the engine starts a recurrent sending's occurrences with.
      const p = { id: '', ID: 0, account: callerAccount(ctx), Kind: 'Recurrent', RateVolumeID: null, RatePeriodID: null, SendingIDList: [], CreateDate: '', ...settings } as PlanningRec;
      return { status: 200, body: list(occurrenceDates(p, from, count, until).map((t) => new Date(t).toISOString())) };
    },
    listPlanningRecurrentIntervals: (ctx) => ({ status: 200, body: list(allowedIntervals(ctx.ws, frequencyOf(ctx.query.Frequency))) }),
    listPlanningRecurrentFilters: (ctx) => ({ status: 200, body: list(allowedFilters(ctx.ws, frequencyOf(ctx.query.Frequency))) }),
    listPlanningOnetimeRateVolumes: (ctx) => ({ status: 200, body: list((dolistFixtures(ctx.ws).rateVolumes as Array<{ ID: number; Value: number }>).map((v) => ({ ID: v.ID, Value: v.Value }))) }),
    listPlanningOnetimeRatePeriods: (ctx) => ({ status: 200, body: list((dolistFixtures(ctx.ws).ratePeriods as Array<{ ID: number; Name: string; Minutes: number }>).map((p) => ({ ID: p.ID, Name: p.Name, Minutes: p.Minutes }))) }),
  };
}
