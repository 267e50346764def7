// Creating and re-planning sendings (research part 2 §4.2 S1-S3, S8): every check before the
// first write, in a fixed order (the reference gives none), then the record and the engine's
// launch. Thresholds are fixtures (`sendingLimits`): content size [725], test-send audience
// [741], age of the target's last count for SMS [740]. An SMS sending whose estimated units
// (audience x segments) exceed the workspace's Dolist credit is refused with 500 [742] (no
// credit code exists in the reference; the research recommends this one) and creates nothing.
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { checkMessageReady } from './message-checks.js';
import { findMessage, messagesTable, smsSegmentsOf, type Channel, type MessageRec } from './messages.js';
import { findPlanning, nextOccurrenceDate, planningsTable, type PlanningRec } from './plannings.js';
import { launchSending, occurrenceAudience, reserveUnits, SENDING_EV } from './sending-engine.js';
import { isTerminal, nextSendingId, sendingsTable, type SendingRec } from './sendings.js';
import { API_ID, dolistFixtures } from './style.js';
import { targetContacts } from './target-eval.js';
import { findAccountUser } from './users.js';

export interface SendingLimits {
  maxContentBytes: number;
  maxTestRecipients: number;
  maxTargetCountAgeMs: number;
  /** SMS: the most segments one message may take ([724] beyond). */
  maxSmsSegments: number;
}

const DEFAULT_LIMITS: SendingLimits = { maxContentBytes: 1_048_576, maxTestRecipients: 100, maxTargetCountAgeMs: 86_400_000, maxSmsSegments: 10 };

export const sendingLimits = (ws: Workspace): SendingLimits => ({ ...DEFAULT_LIMITS, ...((dolistFixtures(ws).sendingLimits as Partial<SendingLimits>) ?? {}) });

const iso = (t: number) => new Date(t).toISOString();

function intOf(v: unknown, field: string, required: boolean): number | null {
  if (v === undefined || v === null || v === '') {
    if (required) throw dolistError('36', `${field} is required`, field);
    return null;
  }
  const n = Number(v);
  if (!Number.isInteger(n)) throw dolistError('36', `${field} must be an integer (got ${JSON.stringify(v)})`, field);
  return n;
}

function sendTypeOf(v: unknown): 'Real' | 'Test' {
  if (v === undefined || v === null || v === '') return 'Real';
  const s = String(v).trim().toLowerCase();
  if (s === 'real') return 'Real';
  if (s === 'test') return 'Test';
  throw dolistError('36', `SendType must be Real or Test (got ${JSON.stringify(v)})`, 'SendType');
}

/** The sending's name is unused among the account's sendings of the channel (transactional ones aside): [731]. */
function checkNameFree(ws: Workspace, account: string, channel: Channel, name: string, self?: number): void {
  const lower = name.trim().toLowerCase();
  for (const s of sendingsTable(ws).lookup('account', account)) {
    if (s.Channel === channel && !s.IsTransactional && s.ID !== self && s.Name.trim().toLowerCase() === lower) {
      throw dolistError('731', `sending ${s.ID} is already named ${JSON.stringify(s.Name)}`, 'Name');
    }
  }
}

/** The message of a new (or re-planned) sending: it exists in the channel and is not locked. */
function usableMessage(ws: Workspace, account: string, channel: Channel, id: number, missingCode: '729' | '708'): MessageRec {
  const m = findMessage(ws, account, channel, id);
  if (!m) {
    const other = findMessage(ws, account, channel === 'email' ? 'sms' : 'email', id);
    if (other) throw dolistError('708', `message ${id} is an ${other.Channel === 'sms' ? 'SMS' : 'email'} message`, 'MessageID');
    throw dolistError(missingCode, `no ${channel === 'sms' ? 'SMS' : 'email'} message ${id} in account ${account}`, 'MessageID');
  }
  if (m.LockedBySendingID !== null && m.LockedBySendingID !== undefined) {
    const holder = sendingsTable(ws).peek(String(m.LockedBySendingID));
    if (holder && !isTerminal(holder)) throw dolistError('728', `message ${id} is locked by sending ${holder.ID} (${holder.Status})`, 'MessageID');
  }
  return m;
}

function planningOf(ws: Workspace, account: string, id: number | null): PlanningRec | undefined {
  if (id === null) return undefined;
  const p = findPlanning(ws, account, id);
  if (!p) throw dolistError('735', `no planning ${id} in account ${account}`, 'PlanningID');
  return p;
}

function attachPlanning(ws: Workspace, planning: PlanningRec | undefined, sendingId: number): void {
  if (!planning) return;
  const w = planningsTable(ws).get(planning.id)!;
  if (!w.SendingIDList.includes(sendingId)) w.SendingIDList = [...w.SendingIDList, sendingId];
  planningsTable(ws).put(w);
}

/**
 * SMS: the target's last count (`LastCountDate`, written by the targets area when a count
 * operation ends) is at most `sendingLimits.maxTargetCountAgeMs` old; never counted is too old ([740]).
 */
function checkCountedLately(ws: Workspace, targetId: number): void {
  const t = ws.table(API_ID, 'targets').peek(String(targetId));
  const counted = typeof t?.LastCountDate === 'string' ? Date.parse(t.LastCountDate) : NaN;
  if (Number.isNaN(counted)) throw dolistError('740', `target ${targetId} was never counted (POST /targets/${targetId}/count/async)`, 'TargetID');
  const maxAge = sendingLimits(ws).maxTargetCountAgeMs;
  if (ws.now() - counted > maxAge) throw dolistError('740', `target ${targetId} was last counted at ${t!.LastCountDate}, more than ${Math.round(maxAge / 60_000)} min ago`, 'TargetID');
}

/** POST /email|sms/sendings: checks, the record, the launch. */
export function createSending(ws: Workspace, account: string, channel: Channel, body: Record<string, unknown>): SendingRec {
  const name = typeof body.Name === 'string' ? body.Name.trim() : '';
  if (!name) throw dolistError('36', 'Name is required', 'Name');
  const messageId = intOf(body.MessageID, 'MessageID', true)!;
  const sendType = sendTypeOf(body.SendType);
  const m = usableMessage(ws, account, channel, messageId, '729');
  checkMessageReady(ws, m);
  if (channel === 'sms') {
    const { segments } = smsSegmentsOf(m);
    const max = sendingLimits(ws).maxSmsSegments;
    if (segments > max) throw dolistError('724', `the text takes ${segments} SMS segments, more than ${max}`, 'MessageID');
  }
  // The audience: one target (TargetID, or a TargetIDList of one).
  let targetId = intOf(body.TargetID, 'TargetID', false);
  if (Array.isArray(body.TargetIDList) && body.TargetIDList.length) {
    if (body.TargetIDList.length > 1) throw dolistError('526', `a sending goes to one target (TargetIDList has ${body.TargetIDList.length})`, 'TargetIDList');
    targetId ??= intOf(body.TargetIDList[0], 'TargetIDList', true);
  }
  if (targetId === null) throw dolistError('36', 'TargetID is required', 'TargetID');
  targetContacts(ws, account, targetId); // 404 [502] when there is no such target
  const planning = planningOf(ws, account, intOf(body.PlanningID, 'PlanningID', false));
  checkNameFree(ws, account, channel, name);
  // Email: the message's reply address [705] and the user the sending is made for [901] exist in the account.
  if (channel === 'email' && m.ReplyID !== null && m.ReplyID !== undefined) {
    const reply = ws.table(API_ID, 'reply_addresses').peek(String(m.ReplyID));
    if (!reply || reply.account !== account) throw dolistError('705', `message ${m.ID} names reply address ${m.ReplyID}, which the account does not have`, 'ReplyID');
  }
  const userId = channel === 'email' ? intOf(body.UserID, 'UserID', false) : null;
  if (userId !== null && !findAccountUser(ws, Number(account), userId)) throw dolistError('901', `user ${userId} is not a user of account ${account}`, 'UserID');
  const limits = sendingLimits(ws);
  if (channel === 'sms') checkCountedLately(ws, targetId);
  const snapshot = { Subject: m.Subject ?? null, Html: m.Content.Html ?? null, Text: m.Content.Text ?? null };
  const now = iso(ws.now());
  const draft: SendingRec = {
    id: '', ID: 0, account, Channel: channel, Name: name, MessageID: m.ID, TargetID: targetId, PlanningID: planning?.ID ?? null, PlanningIDList: planning ? [planning.ID] : [],
    SendType: sendType, Status: 'Planned', ContentSnapshot: snapshot, Occurrences: [], CreateDate: now, UpdateDate: now, StartDate: null, EndDate: null,
    UnitsPerRecipient: channel === 'sms' ? smsSegmentsOf(m).segments : 0, Token: 0, UserID: userId,
  };
  const audience = occurrenceAudience(ws, draft).contacts.length;
  if (sendType === 'Test' && audience > limits.maxTestRecipients) throw dolistError('741', `a test sending goes to at most ${limits.maxTestRecipients} contacts; target ${targetId} has ${audience}`, 'TargetID');
  const size = Buffer.byteLength(snapshot.Html ?? '') + Buffer.byteLength(snapshot.Text ?? '') + Buffer.byteLength(snapshot.Subject ?? '');
  if (size > limits.maxContentBytes) throw dolistError('725', `the content is ${size} bytes, more than ${limits.maxContentBytes}`, 'MessageID');
  if (channel === 'sms') {
    const units = audience * draft.UnitsPerRecipient;
    const available = ws.credit.available(API_ID);
    if (units > available) throw dolistError('742', `the sending needs about ${units} SMS units (${audience} recipients x ${draft.UnitsPerRecipient}), the account has ${available}`, 'Credit');
  }
  const ID = nextSendingId(ws);
  const s = sendingsTable(ws).put({ ...draft, id: String(ID), ID });
  attachPlanning(ws, planning, ID);
  // The estimate is held, so that two sendings cannot both count on the same credit.
  if (channel === 'sms') reserveUnits(ws, s, audience * draft.UnitsPerRecipient);
  return launchSending(ws, sendingsTable(ws).peek(s.id)!);
}

/** PUT /email|sms/sendings/{id}: only while Planned or Standby ([732]); a new planning starts later than now ([736]). */
export function updateSending(ws: Workspace, sending: SendingRec, body: Record<string, unknown>): SendingRec {
  if (sending.Status !== 'Planned' && sending.Status !== 'Standby') throw dolistError('732', `sending ${sending.ID} is ${sending.Status}: only a Planned or Standby sending can be changed`, 'SendingID');
  const planningId = intOf(body.PlanningID, 'PlanningID', false);
  const planning = planningOf(ws, sending.account, planningId);
  if (planning) {
    // A recurrent planning qualifies while it has an occurrence ahead.
    const starts = planning.Kind === 'Recurrent' ? nextOccurrenceDate(planning, ws.now()) ?? -Infinity : Date.parse(planning.StartDate);
    if (starts <= ws.now()) throw dolistError('736', planning.Kind === 'Recurrent' ? `recurrent planning ${planning.ID} has no occurrence after now (${iso(ws.now())})` : `planning ${planning.ID} starts at ${planning.StartDate}, not later than now (${iso(ws.now())})`, 'PlanningID');
  }
  const messageId = intOf(body.MessageID, 'MessageID', false);
  let message: MessageRec | undefined;
  if (messageId !== null && messageId !== sending.MessageID) {
    message = usableMessage(ws, sending.account, sending.Channel, messageId, '708');
    checkMessageReady(ws, message);
  }
  const targetId = intOf(body.TargetID, 'TargetID', false);
  if (targetId !== null) {
    targetContacts(ws, sending.account, targetId); // 404 [502]
    if (sending.Channel === 'sms' && targetId !== sending.TargetID) checkCountedLately(ws, targetId);
  }
  const name = typeof body.Name === 'string' && body.Name.trim() ? body.Name.trim() : null;
  if (name !== null) checkNameFree(ws, sending.account, sending.Channel, name, sending.ID);

  const s = sendingsTable(ws).get(sending.id)!;
  if (name !== null) s.Name = name;
  if (targetId !== null) s.TargetID = targetId;
  if (message) {
    // The lock moves to the new message; the old one stays frozen (it was used).
    const old = messagesTable(ws).get(String(s.MessageID));
    if (old && old.LockedBySendingID === s.ID) messagesTable(ws).put({ ...old, LockedBySendingID: null });
    const w = messagesTable(ws).get(message.id)!;
    messagesTable(ws).put({ ...w, IsFrozen: true, LockedBySendingID: s.ID });
    s.MessageID = message.ID;
    s.ContentSnapshot = { Subject: message.Subject ?? null, Html: message.Content.Html ?? null, Text: message.Content.Text ?? null };
    if (s.Channel === 'sms') s.UnitsPerRecipient = smsSegmentsOf(message).segments;
  }
  if (planning && planning.ID !== s.PlanningID) {
    s.PlanningID = planning.ID;
    s.PlanningIDList = [...s.PlanningIDList, planning.ID];
    attachPlanning(ws, planning, s.ID);
    if (s.Status === 'Planned') {
      // Re-planned: the steps scheduled for the old planning are stale, the new one starts the sending.
      s.Token = Number(s.Token ?? 0) + 1;
      const at = planning.Kind === 'Recurrent' ? nextOccurrenceDate(planning, ws.now())! : Date.parse(planning.StartDate);
      ws.schedule(SENDING_EV.start, at, { sending: s.ID, token: s.Token });
    }
  }
  s.UpdateDate = iso(ws.now());
  return sendingsTable(ws).put(s);
}

