// Transactional email as production clients of Dolist send it (not in the reference, issue
// #12): `POST /email/sendings/transactional` with a `TransactionalSending` (the contact by email
// address, the message settings, its HTML), or the older multipart variant whose
// `TransactionalSending` part is JSON or ServiceStack JSV. It is a sending of one recipient run
// by the same engine as campaigns (its audience is the one contact: `ContactIDList`), so the
// email has an outcome on the clock like any other (test addresses, rates, scenario rules) and
// reaches the statistics. The contact is found by its address or created; an unsubscribed
// address (field 72 "7") is refused with 458, a known bad one (hard bounce "4", complaint "3")
// with 402: the ResponseStatus codes clients test for (catalogue extension).
import type { Workspace } from '../../core/workspace.js';
import { accountContacts, createContact, emailOf, emailStatusOf, type ContactRec, type FieldValueInput } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { JsvError, parseJsvOrJson } from './jsv.js';
import { launchSending } from './sending-engine.js';
import { nextSendingId, sendingsTable, type SendingRec } from './sendings.js';
import { API_ID, dolistFixtures } from './style.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const truthy = (v: unknown) => v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');

/** The `TransactionalSending` part of the multipart variant: JSON or JSV text ([36] when neither). */
export function parseTransactionalPart(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string' || !text.trim()) throw dolistError('36', 'the TransactionalSending part is missing', 'TransactionalSending');
  let v: unknown;
  try {
    v = parseJsvOrJson(text);
  } catch (e) {
    if (e instanceof JsvError || e instanceof SyntaxError) throw dolistError('36', `the TransactionalSending part is neither JSON nor JSV: ${(e as Error).message}`, 'TransactionalSending');
    throw e;
  }
  const o = obj(v);
  // Either the object itself or `{TransactionalSending: {...}}`.
  const inner = o && obj(o.TransactionalSending);
  if (inner) return inner;
  if (o) return o;
  throw dolistError('36', 'the TransactionalSending part must be an object', 'TransactionalSending');
}

/** The account's contact with this address (case-insensitive), read-only. */
function contactByEmail(ws: Workspace, account: string, email: string): ContactRec | undefined {
  const lower = email.toLowerCase();
  return accountContacts(ws, account).find((c) => emailOf(ws, c)?.toLowerCase() === lower);
}

/** Sends one transactional email now; returns the sending's id. */
export function sendTransactional(ws: Workspace, account: string, ts: Record<string, unknown> | undefined, attachments: string[] = []): number {
  if (!ts) throw dolistError('36', 'the body must be {"TransactionalSending": {...}}', 'TransactionalSending');
  const fx = dolistFixtures(ws);
  const emailField = fx.standardFieldIds.email;
  const list = obj(ts.Contact)?.FieldList;
  if (!Array.isArray(list)) throw dolistError('36', 'Contact.FieldList is required', 'Contact.FieldList');
  const values: FieldValueInput[] = list.map((fv) => ({ ID: Number(obj(fv)?.ID), Value: obj(fv)?.Value }));
  const email = String(values.find((v) => v.ID === emailField)?.Value ?? '').trim();
  if (!email) throw dolistError('36', `Contact.FieldList must give the email address (field ${emailField})`, 'Contact.FieldList');
  if (!EMAIL.test(email)) throw dolistError('402', `${JSON.stringify(email)} is not an email address`, 'Contact.FieldList');
  const message = obj(ts.Message);
  if (!message) throw dolistError('36', 'Message is required', 'Message');
  const subject = typeof message.Subject === 'string' ? message.Subject : '';
  if (!subject.trim()) throw dolistError('36', 'Message.Subject is required', 'Message.Subject');
  const senderId = Number(message.SenderID);
  if (!Number.isInteger(senderId)) throw dolistError('36', 'Message.SenderID is required (GET /email/messages/addresses/packsenders)', 'Message.SenderID');
  const sender = ws.table(API_ID, 'email_senders').peek(String(senderId));
  if (!sender || sender.account !== account) throw dolistError('702', `no pack sender ${senderId} in account ${account}`, 'Message.SenderID');
  const html = obj(ts.MessageContent)?.SourceCode;
  if (typeof html !== 'string' || !html.trim()) throw dolistError('36', 'MessageContent.SourceCode is required', 'MessageContent.SourceCode');

  let contact = contactByEmail(ws, account, email);
  if (contact) {
    const status = emailStatusOf(ws, contact);
    if (status === '7') throw dolistError('458', `contact ${contact.ID} (${email}) is unsubscribed`, 'Contact.FieldList');
    if (status === '4' || status === '3') throw dolistError('402', `contact ${contact.ID} (${email}) is a known bad address (status ${status === '4' ? 'hard bounce' : 'complaint'})`, 'Contact.FieldList');
  } else {
    contact = createContact(ws, account, values.filter((v) => Number.isInteger(v.ID)));
  }
  const now = new Date(ws.now()).toISOString();
  const ID = nextSendingId(ws);
  const s: SendingRec = sendingsTable(ws).put({
    id: String(ID), ID, account, Channel: 'email', Name: typeof message.Name === 'string' && message.Name.trim() ? message.Name.trim() : `Transactional ${ID}`,
    MessageID: 0, TargetID: null, PlanningID: null, PlanningIDList: [], SendType: 'Real', Status: 'Planned',
    ContentSnapshot: { Subject: subject, Html: html, Text: null }, Occurrences: [], CreateDate: now, UpdateDate: now, StartDate: null, EndDate: null,
    UnitsPerRecipient: 0, Token: 0, IsTransactional: true, ContactIDList: [contact.ID], AttachmentNames: attachments,
    DisableOpenTracking: truthy(message.DisableOpenTracking),
  });
  launchSending(ws, s);
  return ID;
}

