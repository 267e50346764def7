// The tracking redirect of email links (`GET /email/messages/trackings/{LinkID}`, research part 2
// §4.2 S15, §5 items 21-22): it answers the link's URL (QueryString appended). With
// SaveEvent=true, for a recipient `<SendingID>:<OccurrenceID>:<ContactID>` that exists, was
// delivered and whose KeyCode matches, it records one tracking event (Click, or Open for an open
// pixel): the recipient's OpenedDate / ClickedDate are set if not reached yet (a click implies the
// open), a click gives the contact the link's interests (origin Tracking), and a click on the
// Unsubscribe link unsubscribes the recipient and the contact. Anything
// inconsistent records nothing: the redirect still works, as a real one would.
import { nextInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { Workspace } from '../../core/workspace.js';
import { contactsTable, findContact, ORIGIN, unsubscribeContact } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { accountFields } from './fields.js';
import { findInterest } from './interests.js';
import { linkOf, messageOfLink } from './message-links.js';
import { findMessage, type MessageLink } from './messages.js';
import { findSending, happened, recipientsTable, trackingEventsTable } from './sendings.js';
import { API_ID } from './style.js';
import { isRecipientKeyCode, recipientKeyCode } from './keycodes.js';

/** The KeyCode of a recipient (keycodes.ts: one definition for tracking, render and reports). */
export { recipientKeyCode };

export interface TrackingRequest {
  account: string;
  linkId: number;
  sendingId: number;
  occurrenceId: number;
  contactId: number;
  keyCode: string;
  queryString?: string;
  ipAddress?: string;
  userAgent?: string;
  referer?: string;
  trackingType?: string;
  saveEvent: boolean;
}

export interface TrackingResult {
  LinkID: number;
  Url: string;
  IsSaved: boolean;
}

function withQuery(url: string, qs: string | undefined): string {
  const q = (qs ?? '').replace(/^[?&]+/, '');
  if (!q) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${q}`;
}

/** The link (from the sending's message, else any email message of the account), 404 [719] when none. */
function findLink(ws: Workspace, r: TrackingRequest): MessageLink {
  const s = findSending(ws, r.account, 'email', r.sendingId);
  const m = s ? findMessage(ws, r.account, 'email', s.MessageID) : undefined;
  const link = (m && linkOf(m, r.linkId)) ?? linkOf(messageOfLink(ws, r.account, r.linkId) ?? { Links: [] }, r.linkId);
  if (!link) throw dolistError('719', `no email link ${r.linkId} in account ${r.account}`, 'LinkID');
  return link;
}

/** `[[Variable]]`s of a URL with the contact's values (URL-encoded; an unknown variable is left as is). */
export function personalize(ws: Workspace, account: string, url: string, contactId: number): string {
  if (!url.includes('[[')) return url;
  const c = findContact(ws, account, contactId);
  if (!c) return url;
  const byVariable = new Map(accountFields(ws, account).map((f) => [f.VariableName.toLowerCase(), f.ID]));
  return url.replace(/\[\[\s*([^\]\s]+)\s*\]\]/g, (whole, name: string) => {
    const id = byVariable.get(name.toLowerCase());
    return id === undefined ? whole : encodeURIComponent(c.Values[String(id)] ?? '');
  });
}

export function trackLink(ws: Workspace, r: TrackingRequest): TrackingResult {
  const link = findLink(ws, r);
  const out = { LinkID: link.LinkID, Url: withQuery(personalize(ws, r.account, link.Url, r.contactId), r.queryString), IsSaved: false };
  if (!r.saveEvent) return out;
  const s = findSending(ws, r.account, 'email', r.sendingId);
  if (!s) return out;
  const m = findMessage(ws, r.account, 'email', s.MessageID);
  const type = /^open/i.test(r.trackingType ?? '') ? 'Open' : 'Click';
  // A click must be on a link of the message that was sent; an open pixel names any link.
  if (type === 'Click' && !(m && linkOf(m, r.linkId))) return out;
  const rid = `${r.sendingId}:${r.occurrenceId}:${r.contactId}`;
  const view = recipientsTable(ws).peek(rid);
  const now = ws.now();
  if (!view || view.account !== r.account || !happened(view.SentDate, now) || view.DeliveredDate === null) return out;
  if (!isRecipientKeyCode(ws, r.sendingId, r.contactId, r.occurrenceId, r.keyCode)) return out;
  const at = new Date(now).toISOString();
  const rec = recipientsTable(ws).get(rid)!;
  // What the event proves happened by now (a timestamp drawn for later is brought forward).
  if (!happened(rec.DeliveredDate, now)) rec.DeliveredDate = at;
  if (!happened(rec.OpenedDate, now)) rec.OpenedDate = at;
  if (type === 'Click' && !happened(rec.ClickedDate, now)) rec.ClickedDate = at;
  // The unsubscribe link followed: the recipient unsubscribed now (if not already).
  const unsubscribes = type === 'Click' && link.LinkType === 'Unsubscribe' && !happened(rec.UnsubscribedDate, now);
  if (unsubscribes) rec.UnsubscribedDate = at;
  recipientsTable(ws).put(rec);
  const n = nextInSequence(ws, sequenceKey(API_ID, 'tracking_events'), 1);
  trackingEventsTable(ws).put({
    id: `trk-${n}`,
    account: r.account,
    SendingID: r.sendingId,
    OccurrenceID: r.occurrenceId,
    ContactID: r.contactId,
    TrackingType: type,
    LinkID: link.LinkID,
    Date: at,
    UserAgent: r.userAgent ?? null,
    IpAddress: r.ipAddress ?? null,
    Referer: r.referer ?? null,
    QueryString: r.queryString ?? null,
  });
  if (type === 'Click' && link.InterestIDList.length) addInterests(ws, r.account, r.contactId, link.InterestIDList, at);
  if (unsubscribes) {
    const c = findContact(ws, r.account, r.contactId);
    if (c) unsubscribeContact(ws, c, ORIGIN.Tracking);
  }
  return { ...out, IsSaved: true };
}

/** The link's interests reach the contact (those it has keep their origin and date). */
function addInterests(ws: Workspace, account: string, contactId: number, ids: number[], at: string): void {
  const c = findContact(ws, account, contactId);
  if (!c) return;
  const fresh = ids.filter((id) => !c.Interests[String(id)] && findInterest(ws, account, id));
  if (!fresh.length) return;
  const w = contactsTable(ws).get(c.id)!;
  w.Interests = { ...w.Interests, ...Object.fromEntries(fresh.map((id) => [String(id), { Origin: ORIGIN.Tracking, Date: at }])) };
  w.UpdateDate = at;
  w.UpdateOrigin = ORIGIN.Tracking;
  contactsTable(ws).put(w);
}
