// What the sendings endpoints show of a sending, computed from the records and the clock: the
// sending itself (counts of recipients started and sent), its locks (S11), its content snapshot
// (S12), the report file per recipient with its KeyCode (S13), the "view online" render of one
// recipient's email (S14), thumbnails (placeholder image URLs) and tags.
import type { Workspace } from '../../core/workspace.js';
import { findContact, type ContactRec } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { accountFields } from './fields.js';
import { isRecipientKeyCode, recipientKeyCode } from './keycodes.js';
import { findPlanning } from './plannings.js';
import { happened, isTerminal, recipientsTable, sendingRecipients, type RecipientRec, type SendingRec } from './sendings.js';
import { API_ID } from './style.js';
import { tagsOfItem } from './tags.js';
import { targetContacts } from './target-eval.js';

const channelName = (s: SendingRec) => (s.Channel === 'sms' ? 'Sms' : 'Email');

export function sendingView(ws: Workspace, s: SendingRec): Record<string, unknown> {
  const planning = s.PlanningID !== null ? findPlanning(ws, s.account, s.PlanningID) : undefined;
  const recipients = sendingRecipients(ws, s.ID);
  return {
    ID: s.ID,
    Name: s.Name,
    Channel: channelName(s),
    MessageID: s.MessageID,
    TargetID: s.TargetID,
    PlanningID: s.PlanningID,
    PlanningType: planning?.Kind ?? null,
    PlanningIDList: [...s.PlanningIDList],
    SendType: s.SendType,
    Status: s.Status,
    ...(s.IsTransactional ? { IsTransactional: true } : {}),
    ...(s.UserID ? { UserID: s.UserID } : {}),
    StartDate: s.StartDate,
    EndDate: s.EndDate,
    RecipientCount: recipients.length,
    SentCount: recipients.filter((r) => r.SentDate !== null).length,
    ...(s.Channel === 'sms' ? { UnitsPerRecipient: s.UnitsPerRecipient } : {}),
    OccurrenceList: s.Occurrences.map((o) => ({ ...o })),
    CreateDate: s.CreateDate,
    UpdateDate: s.UpdateDate,
  };
}

/** What an active sending holds: its message and its target (nothing once Sent or Stopped). */
export function sendingLocks(s: SendingRec): Array<{ LockType: string; ItemID: number; Since: string; Reason: string }> {
  if (isTerminal(s)) return [];
  const out: Array<{ LockType: string; ItemID: number; Since: string; Reason: string }> = [];
  if (s.MessageID) out.push({ LockType: 'Message', ItemID: s.MessageID, Since: s.CreateDate, Reason: `used by sending ${s.ID} (${s.Status})` });
  if (s.TargetID !== null) out.push({ LockType: 'Target', ItemID: s.TargetID, Since: s.CreateDate, Reason: `used by sending ${s.ID} (${s.Status})` });
  return out;
}

export function sendingContent(s: SendingRec): Record<string, unknown> {
  const c = s.ContentSnapshot;
  return s.Channel === 'sms' ? { Text: c.Text ?? null } : { Subject: c.Subject ?? null, Html: c.Html ?? null, Text: c.Text ?? null };
}

/** A recipient's status as of `now` (what happened last that matters). */
export function recipientStatus(r: RecipientRec, now: number): string {
  if (happened(r.BouncedDate, now)) return r.BounceType === 'Hard' ? 'HardBounce' : 'SoftBounce';
  if (happened(r.FailedDate, now)) return 'Failed';
  if (happened(r.UnsubscribedDate, now)) return 'Unsubscribed';
  if (happened(r.ClickedDate, now)) return 'Clicked';
  if (happened(r.OpenedDate, now)) return 'Opened';
  if (happened(r.DeliveredDate, now)) return 'Delivered';
  if (r.SentDate !== null) return 'Sent';
  return 'Pending';
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The report file: one line per recipient sent so far; [502] for a target that is not the sending's, [753] before anything was sent. */
export function sendingReportCsv(ws: Workspace, s: SendingRec, targetId: number | undefined): string {
  if (targetId !== undefined) {
    targetContacts(ws, s.account, targetId); // 404 [502] when there is no such target
    if (s.TargetID !== targetId) throw dolistError('502', `sending ${s.ID} does not go to target ${targetId}`, 'TargetID');
  }
  const now = ws.now();
  const sent = sendingRecipients(ws, s.ID)
    .filter((r) => r.SentDate !== null)
    .sort((a, b) => a.OccurrenceID - b.OccurrenceID || a.ContactID - b.ContactID);
  if (!sent.length) throw dolistError('753', `sending ${s.ID} (${s.Status}) has not sent anything yet`, 'SendingID');
  const at = (v: string | null) => (happened(v, now) ? v : null);
  const lines = ['ContactID;OccurrenceID;Address;Status;SentDate;DeliveredDate;BouncedDate;OpenedDate;ClickedDate;UnsubscribedDate;KeyCode'];
  for (const r of sent) {
    lines.push(
      [r.ContactID, r.OccurrenceID, r.Address, recipientStatus(r, now), r.SentDate, at(r.DeliveredDate), at(r.BouncedDate), at(r.OpenedDate), at(r.ClickedDate), at(r.UnsubscribedDate), recipientKeyCode(ws, s.ID, r.ContactID, r.OccurrenceID)]
        .map(csvCell)
        .join(';'),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

/** `[[Variable]]` of the account's fields replaced by the contact's values (unknown variables stay). */
export function personalize(ws: Workspace, text: string | null | undefined, c: ContactRec | undefined): string | null {
  if (text === null || text === undefined) return null;
  if (!c) return text;
  const byVar = new Map<string, string>();
  for (const f of accountFields(ws, c.account)) {
    const v = f.VariableName?.replace(/^\[\[|\]\]$/g, '');
    if (v) byVar.set(v.toLowerCase(), c.Values[String(f.ID)] ?? '');
  }
  return text.replace(/\[\[\s*([^\]\s]+)\s*\]\]/g, (all, name: string) => byVar.get(name.toLowerCase()) ?? all);
}

/** POST /email/sendings/{id}/render: the recipient's email, when the KeyCode is theirs ([45]). */
export function renderSending(ws: Workspace, s: SendingRec, contactId: number, occurrenceId: number, keyCode: string): Record<string, unknown> {
  const r = recipientsTable(ws).peek(`${s.ID}:${occurrenceId}:${contactId}`);
  if (!r || !isRecipientKeyCode(ws, s.ID, contactId, occurrenceId, keyCode)) {
    throw dolistError('45', r ? `KeyCode ${keyCode} is not the one of contact ${contactId} in occurrence ${occurrenceId}` : `contact ${contactId} is not a recipient of occurrence ${occurrenceId} of sending ${s.ID}`, 'KeyCode');
  }
  const c = findContact(ws, s.account, contactId);
  const snap = s.ContentSnapshot;
  return { SendingID: s.ID, ContactID: contactId, OccurrenceID: occurrenceId, Subject: personalize(ws, snap.Subject, c), Html: personalize(ws, snap.Html, c), Text: personalize(ws, snap.Text, c) };
}

/** Preview images (the simulator draws none: stable placeholder URLs per size). */
export function sendingThumbnails(ws: Workspace, s: SendingRec): Array<{ Size: string; Width: number; Height: number; Url: string }> {
  const sizes: Array<[string, number, number]> = [['Small', 150, 200], ['Medium', 300, 400], ['Large', 600, 800]];
  return sizes.map(([Size, Width, Height]) => ({ Size, Width, Height, Url: `https://thumbnails.commsim.invalid/${API_ID}/${ws.id}/sendings/${s.ID}/${Size.toLowerCase()}.png` }));
}

export function sendingTags(ws: Workspace, s: SendingRec): Array<{ ID: number; Name: string; ColorID: number }> {
  return tagsOfItem(ws, s.account, s.Channel === 'sms' ? 'SmsSending' : 'EmailSending', s.ID).map((t) => ({ ID: t.ID, Name: t.Name, ColorID: t.ColorID }));
}
