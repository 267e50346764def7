// The life of a sending on the workspace clock (research part 2 §4.2, §4.3), for both channels:
//
//   created --(planning StartDate > now)--> Planned --(StartDate)--> InProgress --(last batch)--> Sent
//   Planned | InProgress --standby--> Standby --resume--> InProgress (Planned while StartDate is ahead)
//   Planned | InProgress | Standby --stop--> Stopped (terminal: the rest is never sent)
//
// When an occurrence starts, its recipients are the target's contacts as evaluated then (email:
// those with an address that may be written to; SMS: those with a mobile). They go out in
// batches: the planning's rate (RateVolume recipients per RatePeriod), else the platform's
// `platformRatePerSecond`. Sending one recipient draws everything that will happen to it
// (delivery, bounce, open, click, unsubscribe, complaint, with their times) from the workspace
// RNG, or from a scenario rule (`on: campaign-recipient`), or from its test address / number:
// statistics compare those timestamps with the clock, so counters grow as it advances and only
// ever grow. What reaches the contact (an unsubscribe, a hard bounce, a complaint) is applied
// when it happens, as a scheduled event. SMS units are debited from the workspace's Dolist
// ledger as each batch goes out (an SMS sending holds its estimate from its creation; what the
// credit cannot cover fails unsent). Recurrent plannings start one occurrence per date.
import { decide } from '../../core/outcomes.js';
import type { Workspace } from '../../core/workspace.js';
import { contactsTable, emailOf, findContact, isDoNotWrite, unsubscribeContact, valueOf, type ContactRec } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { messagesTable } from './messages.js';
import { findPlanning, nextOccurrenceDate, type PlanningRec } from './plannings.js';
import { isTerminal, recipientsTable, sendingsTable, type OccurrenceRec, type RecipientRec, type SendingRec } from './sendings.js';
import { API_ID, dolistFixtures } from './style.js';
import { targetContacts } from './target-eval.js';

type Range = number | { min: number; max: number };

export interface SendingDefaults {
  platformRatePerSecond: number;
  email: {
    deliverMs: Range;
    hardBounceRate: number;
    softBounceRate: number;
    openRate: number;
    clickRate: number;
    unsubscribeRate: number;
    complaintRate: number;
    openMs: Range;
    clickMs: Range;
    unsubscribeMs: Range;
    complaintMs: Range;
  };
  sms: { deliverMs: Range; failRate: number; failMs: number; timeoutMs: number; stopRate: number; stopMs: Range };
}

export const sendingDefaults = (ws: Workspace) => dolistFixtures(ws).sendingDefaults as SendingDefaults;

/** Scheduled event kinds (ApiModule.eventHandlers). */
export const SENDING_EV = {
  start: 'dolist.sending.start',
  batch: 'dolist.sending.batch',
  effect: 'dolist.recipient.effect',
} as const;

const iso = (t: number) => new Date(t).toISOString();

function draw(ws: Workspace, r: Range): number {
  if (typeof r === 'number') return r;
  return r.min + ws.rng.int(Math.max(1, r.max - r.min + 1));
}

/** The sending for writing. */
const forWrite = (ws: Workspace, s: SendingRec) => sendingsTable(ws).get(s.id)!;

/** Recipients per batch and the time between batches. */
export function batchPlan(ws: Workspace, planning: PlanningRec | undefined): { size: number; everyMs: number } {
  const fx = dolistFixtures(ws);
  if (planning?.RateVolumeID != null && planning.RatePeriodID != null) {
    const vol = (fx.rateVolumes as Array<{ ID: number; Value: number }>).find((v) => v.ID === planning.RateVolumeID);
    const per = (fx.ratePeriods as Array<{ ID: number; Minutes: number }>).find((p) => p.ID === planning.RatePeriodID);
    if (vol && per) return { size: vol.Value, everyMs: per.Minutes * 60_000 };
  }
  return { size: Math.max(1, sendingDefaults(ws).platformRatePerSecond), everyMs: 1000 };
}

/**
 * After a sending was created (its record written, Status unset): locks and freezes its
 * message and plans its first occurrence: now, or at the planning's StartDate.
 */
export function launchSending(ws: Workspace, sending: SendingRec): SendingRec {
  const s = forWrite(ws, sending);
  const msg = messagesTable(ws).get(String(s.MessageID));
  if (msg) {
    msg.IsFrozen = true;
    msg.LockedBySendingID = s.ID;
    messagesTable(ws).put(msg);
  }
  const planning = s.PlanningID !== null ? findPlanning(ws, s.account, s.PlanningID) : undefined;
  const from = planning ? Math.max(ws.now(), Date.parse(planning.StartDate)) : ws.now();
  // A recurrent planning's first occurrence is its first date, not its StartDate.
  const startAt = planning?.Kind === 'Recurrent' ? nextOccurrenceDate(planning, from - 1) ?? from : from;
  s.Status = startAt > ws.now() ? 'Planned' : 'InProgress';
  s.Token = 0;
  sendingsTable(ws).put(s);
  ws.schedule(SENDING_EV.start, startAt, { sending: s.ID, token: 0 });
  return s;
}

/** The contacts a new occurrence goes to, and how many of the target's are left out. */
export function occurrenceAudience(ws: Workspace, s: SendingRec): { contacts: Array<{ contact: ContactRec; address: string }>; excluded: number } {
  const contacts = s.ContactIDList
    ? s.ContactIDList.map((id) => findContact(ws, s.account, id)).filter((c): c is ContactRec => c !== undefined)
    : s.TargetID !== null
      ? targetContacts(ws, s.account, s.TargetID)
      : [];
  const mobileField = dolistFixtures(ws).standardFieldIds.mobile;
  const out: Array<{ contact: ContactRec; address: string }> = [];
  let excluded = 0;
  for (const c of contacts) {
    const address = s.Channel === 'email' ? emailOf(ws, c) : valueOf(c, mobileField);
    // Email: not to an address whose status says not to write; SMS: not to an unsubscribed
    // contact (a STOP reply unsubscribes it).
    if (!address || (s.Channel === 'email' ? isDoNotWrite(ws, c) : c.UnsubscribeDate !== null && c.UnsubscribeDate !== undefined)) excluded++;
    else out.push({ contact: c, address });
  }
  return { contacts: out, excluded };
}

function startOccurrence(ws: Workspace, sending: SendingRec): void {
  const s = forWrite(ws, sending);
  const now = ws.now();
  const occurrenceId = s.Occurrences.length + 1;
  const { contacts } = occurrenceAudience(ws, s);
  for (const { contact, address } of contacts) {
    recipientsTable(ws).put({
      id: `${s.ID}:${occurrenceId}:${contact.ID}`,
      account: s.account,
      SendingID: s.ID,
      OccurrenceID: occurrenceId,
      ContactID: contact.ID,
      Channel: s.Channel,
      Address: address,
      SentDate: null,
      DeliveredDate: null,
      BouncedDate: null,
      BounceType: null,
      FailedDate: null,
      OpenedDate: null,
      ClickedDate: null,
      UnsubscribedDate: null,
      ComplainedDate: null,
      Units: 0,
    });
  }
  const occ: OccurrenceRec = { OccurrenceID: occurrenceId, ScheduledDate: iso(now), StartDate: iso(now), EndDate: null, Status: 'InProgress', RecipientCount: contacts.length };
  s.Occurrences = [...s.Occurrences, occ];
  s.Status = 'InProgress';
  s.StartDate ??= iso(now);
  s.UpdateDate = iso(now);
  sendingsTable(ws).put(s);
  ws.schedule(SENDING_EV.batch, now, { sending: s.ID, occurrence: occurrenceId, token: s.Token });
}

/** What happens to one recipient, decided when it is sent. */
interface RecipientPlan {
  status: 'DELIVERED' | 'SOFTBOUNCE' | 'HARDBOUNCE' | 'FAILED' | 'PENDING';
  afterMs: number;
  openAfterMs?: number;
  clickAfterMs?: number;
  unsubscribeAfterMs?: number;
  complaintAfterMs?: number;
}

function recipientPlan(ws: Workspace, s: SendingRec, r: RecipientRec): RecipientPlan {
  const d = sendingDefaults(ws);
  const point = { on: 'campaign-recipient', api: API_ID, facts: { channel: s.Channel, sending: s.ID, message: s.MessageID, recipient: r.Address, contact: r.ContactID } };
  const email = s.Channel === 'email';
  const engaged = (): RecipientPlan => {
    const e = d.email;
    const plan: RecipientPlan = { status: 'DELIVERED', afterMs: draw(ws, e.deliverMs) };
    if (ws.rng.chance(e.openRate)) {
      plan.openAfterMs = plan.afterMs + draw(ws, e.openMs);
      if (ws.rng.chance(e.clickRate)) plan.clickAfterMs = plan.openAfterMs + draw(ws, e.clickMs);
      if (ws.rng.chance(e.unsubscribeRate)) plan.unsubscribeAfterMs = plan.openAfterMs + draw(ws, e.unsubscribeMs);
    }
    if (ws.rng.chance(e.complaintRate)) plan.complaintAfterMs = plan.afterMs + draw(ws, e.complaintMs);
    return plan;
  };
  return decide<RecipientPlan>(ws, point, r.Address, {
    scenario(f) {
      const status = String(f.status ?? 'DELIVERED').toUpperCase() as RecipientPlan['status'];
      const num = (k: string) => (typeof f[k] === 'number' ? (f[k] as number) : undefined);
      return { status, afterMs: num('afterMs') ?? draw(ws, email ? d.email.deliverMs : d.sms.deliverMs), openAfterMs: num('openAfterMs'), clickAfterMs: num('clickAfterMs'), unsubscribeAfterMs: num('unsubscribeAfterMs'), complaintAfterMs: num('complaintAfterMs') };
    },
    testAddress: email
      ? (tag) => {
          const at = draw(ws, d.email.deliverMs);
          switch (tag) {
            case 'bounce':
              return { status: 'HARDBOUNCE', afterMs: at };
            case 'softbounce':
              return { status: 'SOFTBOUNCE', afterMs: at };
            case 'complaint':
              return { status: 'DELIVERED', afterMs: at, complaintAfterMs: at + 60_000 };
            case 'unsubscribe':
              return { status: 'DELIVERED', afterMs: at, openAfterMs: at + 30_000, unsubscribeAfterMs: at + 60_000 };
            case 'open':
              return { status: 'DELIVERED', afterMs: at, openAfterMs: at + 30_000 };
            case 'click':
              return { status: 'DELIVERED', afterMs: at, openAfterMs: at + 30_000, clickAfterMs: at + 60_000 };
          }
        }
      : undefined,
    testNumber: email
      ? undefined
      : (outcome) => {
          switch (outcome) {
            case 'fail':
              return { status: 'FAILED', afterMs: d.sms.failMs };
            case 'expire':
              return { status: 'PENDING', afterMs: 0 };
            case 'read':
              return { status: 'DELIVERED', afterMs: draw(ws, d.sms.deliverMs) };
            case 'reject':
              return { status: 'FAILED', afterMs: 0 };
            case 'timeout':
              return { status: 'FAILED', afterMs: d.sms.timeoutMs };
          }
        },
    otherwise: () => {
      if (email) {
        if (ws.rng.chance(d.email.hardBounceRate)) return { status: 'HARDBOUNCE', afterMs: draw(ws, d.email.deliverMs) };
        if (ws.rng.chance(d.email.softBounceRate)) return { status: 'SOFTBOUNCE', afterMs: draw(ws, d.email.deliverMs) };
        return engaged();
      }
      if (ws.rng.chance(d.sms.failRate)) return { status: 'FAILED', afterMs: d.sms.failMs };
      const plan: RecipientPlan = { status: 'DELIVERED', afterMs: draw(ws, d.sms.deliverMs) };
      if (ws.rng.chance(d.sms.stopRate)) plan.unsubscribeAfterMs = plan.afterMs + draw(ws, d.sms.stopMs);
      return plan;
    },
  });
}

/** Sends one recipient now: its timestamps from its plan, its effects on the contact scheduled. */
function sendRecipient(ws: Workspace, s: SendingRec, view: RecipientRec): number {
  const now = ws.now();
  const r = recipientsTable(ws).get(view.id)!;
  const plan = recipientPlan(ws, s, r);
  // A transactional email sent with DisableOpenTracking has no tracked open (a click still implies one).
  if (s.DisableOpenTracking === true) plan.openAfterMs = undefined;
  r.SentDate = iso(now);
  r.Units = s.Channel === 'sms' ? s.UnitsPerRecipient : 0;
  const at = now + plan.afterMs;
  switch (plan.status) {
    case 'DELIVERED':
      r.DeliveredDate = iso(at);
      if (plan.openAfterMs !== undefined) r.OpenedDate = iso(now + plan.openAfterMs);
      if (plan.clickAfterMs !== undefined) {
        r.ClickedDate = iso(now + plan.clickAfterMs);
        r.OpenedDate ??= r.ClickedDate;
      }
      if (plan.unsubscribeAfterMs !== undefined) r.UnsubscribedDate = iso(now + plan.unsubscribeAfterMs);
      if (plan.complaintAfterMs !== undefined) r.ComplainedDate = iso(now + plan.complaintAfterMs);
      break;
    case 'SOFTBOUNCE':
    case 'HARDBOUNCE':
      r.BouncedDate = iso(at);
      r.BounceType = plan.status === 'HARDBOUNCE' ? 'Hard' : 'Soft';
      break;
    case 'FAILED':
      r.FailedDate = iso(at);
      break;
    case 'PENDING':
      break;
  }
  recipientsTable(ws).put(r);
  if (r.BounceType === 'Hard') ws.schedule(SENDING_EV.effect, at, { recipient: r.id, effect: 'hardbounce' });
  if (r.UnsubscribedDate) ws.schedule(SENDING_EV.effect, Date.parse(r.UnsubscribedDate), { recipient: r.id, effect: 'unsubscribe' });
  if (r.ComplainedDate) ws.schedule(SENDING_EV.effect, Date.parse(r.ComplainedDate), { recipient: r.id, effect: 'complaint' });
  return r.Units;
}

/** The ledger reference of a sending's SMS units (what it holds, what it is charged). */
export const creditRef = (s: Pick<SendingRec, 'ID'>) => `sending:${s.ID}`;

/** Units still held for the sending (reserved when it was created: its estimate). */
const heldUnits = (s: SendingRec) => Number(s.ReservedUnits ?? 0);

/** Holds the estimated units of an SMS sending (created only when they are available). */
export function reserveUnits(ws: Workspace, sending: SendingRec, units: number): void {
  if (units <= 0 || !ws.credit.reserve(API_ID, creditRef(sending), units)) return;
  const s = forWrite(ws, sending);
  s.ReservedUnits = units;
  sendingsTable(ws).put(s);
}

/** What a sending still holds goes back to the available credit (it ended). */
function releaseUnits(ws: Workspace, s: SendingRec): void {
  if (!heldUnits(s)) return;
  ws.credit.release(API_ID, creditRef(s));
  s.ReservedUnits = 0;
}

/** A recipient the credit could not cover: failed at once, nothing charged. */
function failUnsent(ws: Workspace, view: RecipientRec): void {
  const r = recipientsTable(ws).get(view.id)!;
  const now = iso(ws.now());
  r.SentDate = now;
  r.FailedDate = now;
  r.Units = 0;
  recipientsTable(ws).put(r);
}

function finishOccurrence(ws: Workspace, sending: SendingRec, occurrenceId: number): void {
  const s = forWrite(ws, sending);
  const now = ws.now();
  s.Occurrences = s.Occurrences.map((o) => (o.OccurrenceID === occurrenceId ? { ...o, Status: 'Sent' as const, EndDate: iso(now) } : o));
  const planning = s.PlanningID !== null ? findPlanning(ws, s.account, s.PlanningID) : undefined;
  const next = planning?.Kind === 'Recurrent' ? nextOccurrenceDate(planning, now) : null;
  if (next !== null) {
    s.Status = 'Planned';
    ws.schedule(SENDING_EV.start, next, { sending: s.ID, token: s.Token });
  } else {
    s.Status = 'Sent';
    s.EndDate = iso(now);
    releaseMessage(ws, s);
    releaseUnits(ws, s);
  }
  s.UpdateDate = iso(now);
  sendingsTable(ws).put(s);
}

function releaseMessage(ws: Workspace, s: SendingRec): void {
  const msg = messagesTable(ws).get(String(s.MessageID));
  if (msg && msg.LockedBySendingID === s.ID) {
    msg.LockedBySendingID = null;
    messagesTable(ws).put(msg);
  }
}

/** The scheduled events of sendings (registered as the module's eventHandlers). */
export const sendingEventHandlers: Record<string, (ws: Workspace, data: Record<string, unknown>) => void> = {
  [SENDING_EV.start]: (ws, data) => {
    const s = sendingsTable(ws).peek(String(data.sending));
    if (!s || s.Token !== data.token || s.Status !== 'Planned' && s.Status !== 'InProgress') return;
    startOccurrence(ws, s);
  },
  [SENDING_EV.batch]: (ws, data) => {
    const s = sendingsTable(ws).peek(String(data.sending));
    if (!s || s.Token !== data.token || s.Status !== 'InProgress') return;
    const occurrenceId = Number(data.occurrence);
    const pending = recipientsTable(ws)
      .lookup('SendingID', s.ID)
      .filter((r) => r.OccurrenceID === occurrenceId && r.SentDate === null)
      .sort((a, b) => a.ContactID - b.ContactID);
    const planning = s.PlanningID !== null ? findPlanning(ws, s.account, s.PlanningID) : undefined;
    const { size, everyMs } = batchPlan(ws, planning);
    const batch = pending.slice(0, size);
    // SMS: as many as the credit covers (what the sending holds, then what is available) go out;
    // the rest of the batch fails unsent, for want of credit.
    const affordable = s.Channel === 'sms' && s.UnitsPerRecipient > 0 ? Math.min(batch.length, Math.floor((heldUnits(s) + ws.credit.available(API_ID)) / s.UnitsPerRecipient)) : batch.length;
    let units = 0;
    for (const r of batch.slice(0, affordable)) units += sendRecipient(ws, s, r);
    for (const r of batch.slice(affordable)) failUnsent(ws, r);
    if (units > 0) {
      ws.credit.charge(API_ID, units, `SMS sending ${s.ID}`, creditRef(s));
      const w = forWrite(ws, s);
      w.ReservedUnits = Math.max(0, heldUnits(w) - units);
      sendingsTable(ws).put(w);
    }
    if (pending.length > batch.length) ws.schedule(SENDING_EV.batch, ws.now() + everyMs, { sending: s.ID, occurrence: occurrenceId, token: s.Token });
    else finishOccurrence(ws, s, occurrenceId);
  },
  [SENDING_EV.effect]: (ws, data) => {
    const r = recipientsTable(ws).peek(String(data.recipient));
    if (!r) return;
    const c = findContact(ws, r.account, r.ContactID);
    if (!c) return;
    const statusField = String(dolistFixtures(ws).standardFieldIds.emailStatus);
    if (data.effect === 'unsubscribe') {
      unsubscribeContact(ws, c, 5);
      return;
    }
    if (r.Channel !== 'email') return;
    const w = contactsTable(ws).get(c.id)!;
    w.Values = { ...w.Values, [statusField]: data.effect === 'hardbounce' ? '4' : '3' };
    w.UpdateDate = iso(ws.now());
    contactsTable(ws).put(w);
  },
};

/** 403 [732] unless the sending is in one of `allowed`. */
function requireStatus(s: SendingRec, allowed: SendingRec['Status'][], action: string): void {
  if (!allowed.includes(s.Status)) throw dolistError('732', `sending ${s.ID} is ${s.Status}: it cannot be ${action}`, 'SendingID');
}

export function standbySending(ws: Workspace, sending: SendingRec): void {
  requireStatus(sending, ['Planned', 'InProgress'], 'put in standby');
  const s = forWrite(ws, sending);
  s.StandbyFrom = s.Status;
  s.Status = 'Standby';
  s.Token = Number(s.Token ?? 0) + 1;
  s.UpdateDate = iso(ws.now());
  sendingsTable(ws).put(s);
}

export function resumeSending(ws: Workspace, sending: SendingRec): void {
  requireStatus(sending, ['Standby'], 'resumed');
  const s = forWrite(ws, sending);
  const now = ws.now();
  const running = s.Occurrences.find((o) => o.Status === 'InProgress');
  const planning = s.PlanningID !== null ? findPlanning(ws, s.account, s.PlanningID) : undefined;
  s.Token = Number(s.Token ?? 0) + 1;
  s.UpdateDate = iso(now);
  if (running) {
    s.Status = 'InProgress';
    ws.schedule(SENDING_EV.batch, now, { sending: s.ID, occurrence: running.OccurrenceID, token: s.Token });
  } else {
    // Not started yet: the planning's start (a recurrent one's next date); between two
    // occurrences of a recurrent sending: its next date.
    const startAt = !planning
      ? now
      : planning.Kind === 'Recurrent'
        ? nextOccurrenceDate(planning, Math.max(now, Date.parse(planning.StartDate)) - 1) ?? now
        : !s.Occurrences.length
          ? Math.max(now, Date.parse(planning.StartDate))
          : now;
    s.Status = startAt > now ? 'Planned' : 'InProgress';
    ws.schedule(SENDING_EV.start, startAt, { sending: s.ID, token: s.Token });
  }
  sendingsTable(ws).put(s);
}

export function stopSending(ws: Workspace, sending: SendingRec): void {
  requireStatus(sending, ['Planned', 'InProgress', 'Standby'], 'stopped');
  const s = forWrite(ws, sending);
  const now = ws.now();
  s.Status = 'Stopped';
  s.Token = Number(s.Token ?? 0) + 1;
  s.EndDate = iso(now);
  s.UpdateDate = iso(now);
  s.Occurrences = s.Occurrences.map((o) => (o.Status === 'InProgress' ? { ...o, Status: 'Stopped' as const, EndDate: iso(now) } : o));
  releaseUnits(ws, s);
  sendingsTable(ws).put(s);
  releaseMessage(ws, s);
}

export { isTerminal };
