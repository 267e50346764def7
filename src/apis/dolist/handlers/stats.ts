// Statistics operations over HTTP (email and SMS sendings, the account, the contact base): each
// reads the records at the workspace clock's time through statistics*.ts and shapes the answer.
import type { Handler, HandlerContext } from '../../../core/api.js';
import type { Workspace } from '../../../core/workspace.js';
import { dolistError } from '../error-catalogue.js';
import type { Channel } from '../messages.js';
import type { SendingRec, SendingStatus } from '../sendings.js';
import { countersAt, igqOf, indicatorList, indicatorsOf, sendingHappenings, type Happening } from '../statistics.js';
import { domainStatistics, groupInterestStatistics, linkStatistics, userAgentStatistics, type UaCategory } from '../statistics-breakdowns.js';
import { accountSendings, accountTimeline, aggregateUnit, contactsTimeline, happeningTimeline, unitName, windowBuckets } from '../statistics-timeline.js';
import { callerAccount } from '../style.js';
import { dateParam, enumParam, indicatorsParam, iso, occurrenceParam, page, pagingParams, sendingParam, targetFilter, targetName } from './stats-params.js';

/** What has happened by now (timelines never show the drawn future). */
const past = (ws: Workspace, hs: Happening[]) => {
  const now = ws.now();
  return hs.filter((h) => h.at <= now);
};

function sendingStatistics(channel: Channel): Handler {
  return (ctx) => {
    const s = sendingParam(ctx, channel);
    const occurrenceId = occurrenceParam(ctx, s);
    const contactIds = targetFilter(ctx, s);
    const ids = indicatorsParam(ctx, channel);
    const now = ctx.ws.now();
    const counters = countersAt(channel, sendingHappenings(ctx.ws, s, { occurrenceId, contactIds }), now);
    return {
      status: 200,
      body: {
        SendingID: s.ID,
        OccurrenceID: occurrenceId ?? null,
        TargetID: ctx.query.TargetID === undefined ? null : Number(ctx.query.TargetID),
        Status: s.Status,
        Date: iso(now),
        IndicatorList: indicatorList(counters, ids),
      },
    };
  };
}

/** `StatusGroup` of the last-ten lists: which sending statuses a group holds. */
const STATUS_GROUPS: Record<string, { name: string; statuses: SendingStatus[] | null }> = {
  all: { name: 'All', statuses: null },
  planned: { name: 'Planned', statuses: ['Draft', 'Planned'] },
  running: { name: 'Running', statuses: ['InProgress', 'Standby'] },
  finished: { name: 'Finished', statuses: ['Sent', 'Stopped'] },
};

const SEND_TYPES: Record<string, string> = { real: 'Real', test: 'Test' };

/** The account's sendings of a channel, most recent first (StartDate, else creation; then ID). */
function recentFirst(ws: Workspace, account: string, channel: Channel): SendingRec[] {
  const when = (s: SendingRec) => s.StartDate ?? s.CreateDate ?? '';
  return accountSendings(ws, account, channel).sort((a, b) => when(b).localeCompare(when(a)) || b.ID - a.ID);
}

function lastTen(channel: Channel): Handler {
  return (ctx) => {
    const ids = indicatorsParam(ctx, channel);
    const type = ctx.query.Type === undefined || ctx.query.Type === '' ? undefined : enumParam(ctx.query.Type, SEND_TYPES, 'Type');
    const group = ctx.query.StatusGroup === undefined || ctx.query.StatusGroup === '' ? STATUS_GROUPS.all : STATUS_GROUPS[String(ctx.query.StatusGroup).trim().toLowerCase()];
    if (!group) throw dolistError('36', `StatusGroup must be one of All, Planned, Running, Finished (got '${String(ctx.query.StatusGroup)}')`, 'StatusGroup');
    const now = ctx.ws.now();
    const items = recentFirst(ctx.ws, callerAccount(ctx), channel)
      .filter((s) => (!type || s.SendType === type) && (!group.statuses || group.statuses.includes(s.Status)))
      .slice(0, 10)
      .map((s) => ({
        SendingID: s.ID,
        Name: s.Name,
        SendType: s.SendType,
        Status: s.Status,
        StartDate: s.StartDate,
        EndDate: s.EndDate,
        IndicatorList: indicatorList(countersAt(channel, sendingHappenings(ctx.ws, s), now), ids),
      }));
    return { status: 200, body: { ItemList: items, Total: items.length } };
  };
}

function accountTimelineOf(channel: Channel): Handler {
  return (ctx) => ({ status: 200, body: accountTimeline(ctx.ws, callerAccount(ctx), channel, aggregateUnit(ctx.query.AggregateType)) });
}

function sendingTimeline(channel: Channel): Handler {
  return (ctx) => {
    const s = sendingParam(ctx, channel);
    const occurrenceId = occurrenceParam(ctx, s);
    const contactIds = targetFilter(ctx, s);
    const unit = aggregateUnit(ctx.query.AggregateType);
    const start = dateParam(ctx, 'StartDate');
    const end = dateParam(ctx, 'EndDate');
    const bounds = windowBuckets(start, end, unit);
    const hs = past(ctx.ws, sendingHappenings(ctx.ws, s, { occurrenceId, contactIds }));
    return { status: 200, body: { SendingID: s.ID, StartDate: iso(start), EndDate: iso(end), AggregateType: unitName(unit), ItemList: happeningTimeline(channel, hs, bounds) } };
  };
}

function occurrenceTimeline(channel: Channel): Handler {
  return (ctx) => {
    const s = sendingParam(ctx, channel);
    const contactIds = targetFilter(ctx, s);
    const end = dateParam(ctx, 'EndDate');
    const count = ctx.query.OccurrenceCount === undefined ? 250 : Number(ctx.query.OccurrenceCount);
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw dolistError('36', `OccurrenceCount must be an integer from 1 to 1000 (got ${String(ctx.query.OccurrenceCount)})`, 'OccurrenceCount');
    const ids = indicatorsParam(ctx, channel);
    const at = Math.min(end, ctx.ws.now());
    const all = sendingHappenings(ctx.ws, s, { contactIds });
    const occurrences = s.Occurrences.filter((o) => Date.parse(o.ScheduledDate) <= end).slice(-count);
    const items = occurrences.map((o) => ({
      OccurrenceID: o.OccurrenceID,
      ScheduledDate: o.ScheduledDate,
      StartDate: o.StartDate,
      EndDate: o.EndDate,
      Status: o.Status,
      RecipientCount: o.RecipientCount,
      IndicatorList: indicatorList(countersAt(channel, all.filter((h) => h.r.OccurrenceID === o.OccurrenceID), at), ids),
    }));
    return { status: 200, body: { SendingID: s.ID, EndDate: iso(end), ItemList: items, Total: items.length } };
  };
}

/** `AggregateTypeIGQ`: which of the account's sendings the average covers. */
const IGQ_AGGREGATES: Record<string, { name: string; days: number | null }> = {
  lastten: { name: 'LastTen', days: null },
  month: { name: 'Month', days: 30 },
  quarter: { name: 'Quarter', days: 90 },
  year: { name: 'Year', days: 365 },
};

const avg = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10_000) / 10_000 : 0);

const accountIgq: Handler = (ctx) => {
  const agg = IGQ_AGGREGATES[String(ctx.query.AggregateTypeIGQ ?? '').trim().toLowerCase()];
  if (!agg) throw dolistError('36', `AggregateTypeIGQ must be one of LastTen, Month, Quarter, Year (got '${String(ctx.query.AggregateTypeIGQ ?? '')}')`, 'AggregateTypeIGQ');
  const now = ctx.ws.now();
  const from = agg.days === null ? null : now - agg.days * 86_400_000;
  let scored = recentFirst(ctx.ws, callerAccount(ctx), 'email')
    .filter((s) => s.StartDate !== null && (from === null || Date.parse(s.StartDate) >= from))
    .map((s) => ({ s, q: igqOf(countersAt('email', sendingHappenings(ctx.ws, s), now)) }))
    .filter((x) => x.q.IGQ !== null);
  if (agg.days === null) scored = scored.slice(0, 10);
  return {
    status: 200,
    body: {
      AggregateTypeIGQ: agg.name,
      StartDate: from === null ? null : iso(from),
      EndDate: iso(now),
      SendingCount: scored.length,
      IGQ: scored.length ? Math.round(avg(scored.map((x) => x.q.IGQ!)) * 10) / 10 : null,
      DeliveryRate: avg(scored.map((x) => x.q.DeliveryRate)),
      OpenRate: avg(scored.map((x) => x.q.OpenRate)),
      ClickRate: avg(scored.map((x) => x.q.ClickRate)),
      SendingIDList: scored.map((x) => x.s.ID),
    },
  };
};

const sendingIgq: Handler = (ctx) => {
  const s = sendingParam(ctx, 'email');
  const occurrenceId = occurrenceParam(ctx, s);
  const now = ctx.ws.now();
  return { status: 200, body: { SendingID: s.ID, OccurrenceID: occurrenceId ?? null, Date: iso(now), ...igqOf(countersAt('email', sendingHappenings(ctx.ws, s, { occurrenceId }), now)) } };
};

const domains: Handler = (ctx) => {
  const s = sendingParam(ctx, 'email');
  const occurrenceId = occurrenceParam(ctx, s);
  const ids = indicatorsParam(ctx, 'email');
  const items = domainStatistics(sendingHappenings(ctx.ws, s, { occurrenceId }), ctx.ws.now(), ids);
  return { status: 200, body: { SendingID: s.ID, ItemList: items, Total: items.length } };
};

function breakdown(ctx: HandlerContext) {
  const s = sendingParam(ctx, 'email');
  const occurrenceId = occurrenceParam(ctx, s);
  const contactIds = targetFilter(ctx, s);
  const paging = pagingParams(ctx);
  return { s, paging, hs: sendingHappenings(ctx.ws, s, { occurrenceId, contactIds }), now: ctx.ws.now() };
}

const links: Handler = (ctx) => {
  const { s, paging, hs, now } = breakdown(ctx);
  return { status: 200, body: { SendingID: s.ID, ...page(linkStatistics(ctx.ws, s, hs, now), paging) } };
};

const groupInterests: Handler = (ctx) => {
  const { s, paging, hs, now } = breakdown(ctx);
  return { status: 200, body: { SendingID: s.ID, ...page(groupInterestStatistics(ctx.ws, s, hs, now), paging) } };
};

const REQUEST_TYPES: Record<string, 'open' | 'click'> = { open: 'open', opens: 'open', click: 'click', clicks: 'click' };
const CATEGORIES: Record<string, UaCategory> = { browser: 'browser', os: 'os', device: 'device' };
const DISPLAY = { open: 'Open', click: 'Click', browser: 'Browser', os: 'OS', device: 'Device' } as const;

const userAgents: Handler = (ctx) => {
  const requestType = REQUEST_TYPES[String(ctx.query.RequestType ?? '').trim().toLowerCase()];
  if (!requestType) throw dolistError('36', `RequestType must be Open or Click (got '${String(ctx.query.RequestType ?? '')}')`, 'RequestType');
  const category = CATEGORIES[String(ctx.query.Category ?? '').trim().toLowerCase()];
  if (!category) throw dolistError('36', `Category must be Browser, OS or Device (got '${String(ctx.query.Category ?? '')}')`, 'Category');
  const { s, paging, hs, now } = breakdown(ctx);
  return { status: 200, body: { SendingID: s.ID, RequestType: DISPLAY[requestType], Category: DISPLAY[category], ...page(userAgentStatistics(ctx.ws, hs, now, requestType, category), paging) } };
};

const targets: Handler = (ctx) => {
  const s = sendingParam(ctx, 'email');
  const raw = ctx.body?.TargetIDList;
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  if (!list.length) throw dolistError('36', 'TargetIDList is required: the targets to break the sending down by', 'TargetIDList');
  const ids = [...new Set(list.map(Number))];
  for (const id of ids) if (!Number.isInteger(id)) throw dolistError('36', `TargetIDList holds '${String(list.find((v) => !Number.isInteger(Number(v))))}', not a target ID`, 'TargetIDList');
  const now = ctx.ws.now();
  const all = indicatorsOf('email');
  // Every target first (404 [502] before any figure), then the figures.
  const filters = ids.map((id) => ({ id, contactIds: targetFilter(ctx, s, id), name: targetName(ctx.ws, s.account, id) }));
  const items = filters.map((f) => ({ TargetID: f.id, Name: f.name, IndicatorList: indicatorList(countersAt('email', sendingHappenings(ctx.ws, s, { contactIds: f.contactIds }), now), all) }));
  return { status: 200, body: { SendingID: s.ID, Date: iso(now), ItemList: items, Total: items.length } };
};

const smsUnits: Handler = (ctx) => {
  const s = sendingParam(ctx, 'sms');
  const occurrenceId = occurrenceParam(ctx, s);
  const contactIds = targetFilter(ctx, s);
  const ids = indicatorsParam(ctx, 'sms');
  const now = ctx.ws.now();
  const start = ctx.query.StartDate === undefined ? null : dateParam(ctx, 'StartDate');
  const end = Math.min(dateParam(ctx, 'EndDate', now), now);
  if (start !== null && !(end > start)) throw dolistError('36', `EndDate (${iso(end)}, at most now) must be after StartDate (${iso(start)})`, 'EndDate');
  const hs = sendingHappenings(ctx.ws, s, { occurrenceId, contactIds });
  const atEnd = countersAt('sms', hs, end);
  // Within the window: the counters' difference; Pending stays the gauge at its end.
  const inWindow = start === null ? atEnd : countersAt('sms', hs.filter((h) => h.at > start), end);
  inWindow.Pending = atEnd.Pending;
  return { status: 200, body: { SendingID: s.ID, OccurrenceID: occurrenceId ?? null, StartDate: start === null ? null : iso(start), EndDate: iso(end), IndicatorList: indicatorList(inWindow, ids) } };
};

const contactsTimelineOp: Handler = (ctx) => ({ status: 200, body: contactsTimeline(ctx.ws, callerAccount(ctx), aggregateUnit(ctx.query.AggregateType)) });

export function statsHandlers(): Record<string, Handler> {
  return {
    getEmailSendingStatistics: sendingStatistics('email'),
    getSmsSendingStatistics: sendingStatistics('sms'),
    listLastTenEmailSendingStatistics: lastTen('email'),
    listLastTenSmsSendingStatistics: lastTen('sms'),
    getEmailIgqStatistics: accountIgq,
    getEmailSendingIgqStatistics: sendingIgq,
    getEmailSendingsTimeline: accountTimelineOf('email'),
    getSmsSendingsTimeline: accountTimelineOf('sms'),
    getEmailSendingTimeline: sendingTimeline('email'),
    getSmsSendingTimeline: sendingTimeline('sms'),
    getEmailSendingOccurrenceTimeline: occurrenceTimeline('email'),
    getSmsSendingOccurrenceTimeline: occurrenceTimeline('sms'),
    getEmailSendingDomainStatistics: domains,
    getEmailSendingLinkStatistics: links,
    getEmailSendingGroupInterestStatistics: groupInterests,
    getEmailSendingUserAgentStatistics: userAgents,
    createEmailSendingTargetStatistics: targets,
    getSmsSendingUnitStatistics: smsUnits,
    getContactTimelineStatistics: contactsTimelineOp,
  };
}
