// The outside world acting on sendings (`POST /_sim/workspaces/{ws}/inject/{kind}`): a recipient
// opens or clicks an email, an email bounces, a mobile replies to an SMS. Each records a
// tracking event and the recipient's timestamp (statistics read both) and reaches the contact as
// the engine's own effects do (a hard bounce marks field 72 "4"; an SMS "STOP" unsubscribes the
// contacts with that mobile). The recipient is the contact's in the sending's latest occurrence.
import type { InjectorField } from '../../core/api.js';
import { nextInSequence, sequenceKey } from '../../core/engine/ids.js';
import { invalid, notFound } from '../../core/errors.js';
import type { Workspace } from '../../core/workspace.js';
import { contactsTable, mobileOf, unsubscribeContact, valueOf } from './contacts.js';
import { SENDING_EV, sendingEventHandlers } from './sending-engine.js';
import { recipientsTable, sendingsTable, trackingEventsTable, type RecipientRec } from './sendings.js';
import { API_ID, dolistFixtures } from './style.js';

const iso = (t: number) => new Date(t).toISOString();

function intField(body: Record<string, unknown>, name: string, required = true): number | null {
  const v = body[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw invalid(`'${name}' is required`, { field: name });
    return null;
  }
  const n = Number(v);
  if (!Number.isInteger(n)) throw invalid(`'${name}' must be an integer`, { field: name });
  return n;
}

/** The contact's recipient record in the sending's latest occurrence, for writing; it must have been sent. */
function sentRecipient(ws: Workspace, body: Record<string, unknown>, channel: 'email' | 'sms'): RecipientRec {
  // Without either, the input is another API's (Clever's email-open names a `recipient`).
  if (body.sending === undefined && body.contact === undefined) throw invalid(`a Dolist ${channel} injection names 'sending' and 'contact'`, { field: 'sending', notAddressed: true });
  const sendingId = intField(body, 'sending')!;
  const contactId = intField(body, 'contact')!;
  const s = sendingsTable(ws).peek(String(sendingId));
  if (!s || s.Channel !== channel) throw notFound(`no ${channel} sending ${sendingId}`, { field: 'sending' });
  const r = recipientsTable(ws)
    .lookup('SendingID', sendingId)
    .filter((x) => x.ContactID === contactId && x.SentDate !== null)
    .sort((a, b) => b.OccurrenceID - a.OccurrenceID)[0];
  if (!r) throw notFound(`contact ${contactId} was not sent sending ${sendingId}`, { field: 'contact' });
  return recipientsTable(ws).get(r.id)!;
}

function trackingEvent(ws: Workspace, r: RecipientRec, type: string, linkId: number | null): void {
  const n = nextInSequence(ws, sequenceKey(API_ID, 'tracking_events'), 1);
  trackingEventsTable(ws).put({ id: String(n), account: r.account, SendingID: r.SendingID, OccurrenceID: r.OccurrenceID, ContactID: r.ContactID, TrackingType: type, LinkID: linkId, Date: iso(ws.now()), UserAgent: null, IpAddress: null });
}

/** The earlier of a planned timestamp and now (an injected event happens now unless it already did). */
const notAfterNow = (v: string | null, now: number) => (v !== null && Date.parse(v) <= now ? v : iso(now));

function engage(ws: Workspace, body: Record<string, unknown>, kind: 'open' | 'click') {
  const r = sentRecipient(ws, body, 'email');
  const now = ws.now();
  if (r.BouncedDate !== null && Date.parse(r.BouncedDate) <= now) throw invalid(`the email to contact ${r.ContactID} bounced: it cannot be ${kind === 'open' ? 'opened' : 'clicked'}`, { field: 'contact' });
  // Engagement implies delivery.
  r.DeliveredDate = notAfterNow(r.DeliveredDate, now);
  r.BouncedDate = null;
  r.BounceType = null;
  r.OpenedDate = notAfterNow(r.OpenedDate, now);
  const linkId = kind === 'click' ? intField(body, 'link', false) : null;
  if (kind === 'click') r.ClickedDate = notAfterNow(r.ClickedDate, now);
  recipientsTable(ws).put(r);
  trackingEvent(ws, r, kind === 'open' ? 'Open' : 'Click', linkId);
  return { api: API_ID, recipient: r.id, OpenedDate: r.OpenedDate, ClickedDate: r.ClickedDate, LinkID: linkId };
}

function bounce(ws: Workspace, body: Record<string, unknown>) {
  const type = String(body.type ?? 'hard').toLowerCase();
  if (type !== 'hard' && type !== 'soft') throw invalid(`'type' must be hard or soft`, { field: 'type' });
  const r = sentRecipient(ws, body, 'email');
  const now = ws.now();
  r.BouncedDate = iso(now);
  r.BounceType = type === 'hard' ? 'Hard' : 'Soft';
  // A bounced email was not delivered, and what was planned after delivery does not happen.
  for (const f of ['DeliveredDate', 'OpenedDate', 'ClickedDate', 'UnsubscribedDate', 'ComplainedDate'] as const) if (r[f] !== null && Date.parse(r[f]!) > now) r[f] = null;
  r.DeliveredDate = null;
  recipientsTable(ws).put(r);
  trackingEvent(ws, r, 'Bounce', null);
  if (type === 'hard') sendingEventHandlers[SENDING_EV.effect](ws, { recipient: r.id, effect: 'hardbounce' });
  return { api: API_ID, recipient: r.id, BounceType: r.BounceType, BouncedDate: r.BouncedDate };
}

function smsMo(ws: Workspace, body: Record<string, unknown>) {
  const from = typeof body.from === 'string' ? mobileOf(body.from) : undefined;
  if (!from) throw invalid(`'from' must be a mobile number`, { field: 'from' });
  const text = typeof body.text === 'string' ? body.text : '';
  const isStop = /^\s*stop\b/i.test(text);
  const mobileField = dolistFixtures(ws).standardFieldIds.mobile;
  const contacts = [...contactsTable(ws).scan()].filter((c) => {
    const v = valueOf(c, mobileField);
    return v !== undefined && mobileOf(v) === from;
  });
  const now = ws.now();
  const unsubscribed: number[] = [];
  for (const c of contacts) {
    // The latest SMS this number was sent: the reply is about it.
    const last = recipientsTable(ws)
      .lookup('ContactID', c.ID)
      .filter((r) => r.Channel === 'sms' && r.ContactID === c.ID && r.SentDate !== null)
      .sort((a, b) => Date.parse(b.SentDate!) - Date.parse(a.SentDate!))[0];
    if (last) {
      const w = recipientsTable(ws).get(last.id)!;
      if (isStop && (w.UnsubscribedDate === null || Date.parse(w.UnsubscribedDate) > now)) w.UnsubscribedDate = iso(now);
      recipientsTable(ws).put(w);
      trackingEvent(ws, w, isStop ? 'Unsubscribe' : 'MO', null);
    }
    if (isStop) {
      unsubscribeContact(ws, c, 5);
      unsubscribed.push(c.ID);
    }
  }
  return { api: API_ID, from, stop: isStop, contacts: contacts.map((c) => c.ID), unsubscribed };
}

export const sendingInjectors: Record<string, (ws: Workspace, body: Record<string, unknown>) => unknown> = {
  'email-open': (ws, body) => engage(ws, body, 'open'),
  'email-click': (ws, body) => engage(ws, body, 'click'),
  'email-bounce': bounce,
  'sms-mo': smsMo,
};

const f = (name: string, description: string, example: string, required = true): InjectorField => ({ name, description, example, required });

export const sendingInjectorInfo: Record<string, { description?: string; fields: InjectorField[] }> = {
  'email-open': { description: 'A recipient opens a Dolist email sending (a tracking event and the recipient\'s OpenedDate).', fields: [f('sending', 'SendingID', '1'), f('contact', 'ContactID', '1000001')] },
  'email-click': { description: 'A recipient clicks a link of a Dolist email sending (implies the open).', fields: [f('sending', 'SendingID', '1'), f('contact', 'ContactID', '1000001'), f('link', 'LinkID (optional)', '1', false)] },
  'email-bounce': { description: 'A Dolist email bounces (hard: the contact\'s address becomes status 4).', fields: [f('sending', 'SendingID', '1'), f('contact', 'ContactID', '1000001'), f('type', 'hard or soft', 'hard', false)] },
  'sms-mo': { description: 'A mobile replies to a Dolist SMS; "STOP" unsubscribes the contacts with that number.', fields: [f('from', 'the mobile number', '+33612345678'), f('text', 'the reply', 'STOP')] },
};
