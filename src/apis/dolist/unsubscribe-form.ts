// Unsubscribing through a form (`POST /contacts/unsubscribes/{FormID}/submit`, research §4.2 C8):
// the link of an email carries the contact, the sending and a KeyCode that proves the link was
// made by the service: a digest of the workspace, the contact and the sending, so part 2's
// emails can put it in their links and nobody can unsubscribe another contact by changing an id.
// The form must be one of the account's (404 [44]), an Unsubscribe one (400 [36]); a wrong
// KeyCode is 400 [45]; the contact must be the account's (404 [401]). The submit sets field 72 to
// "7" (unsubscribed, origin Forms), records where it came from, answers the email; idempotent.
import { createHash } from 'node:crypto';
import type { Workspace } from '../../core/workspace.js';
import { contactsTable, emailOf, findContact, ORIGIN, unsubscribeContact } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { findForm } from './forms.js';
import { isRecipientKeyCode } from './keycodes.js';

/** The KeyCode of an unsubscribe link for a contact and a sending (20 hex characters). */
export function unsubscribeKeyCode(ws: Workspace, contactId: number, sendingId: number): string {
  return createHash('sha256').update(`dolist-unsubscribe|${ws.id}|${contactId}|${sendingId}`).digest('hex').slice(0, 20);
}

export interface UnsubscribeSubmit {
  formId: number;
  contactId: number;
  sendingId: number;
  occurrenceId: number;
  keyCode: string;
  reason?: string;
}

export function submitUnsubscribe(ws: Workspace, account: string, s: UnsubscribeSubmit): { ContactID: number; Email: string | null } {
  const form = findForm(ws, account, s.formId);
  if (!form) throw dolistError('44', `no form ${s.formId} in account ${account}`, 'FormID');
  if (form.Type.toLowerCase() !== 'unsubscribe') throw dolistError('36', `form ${s.formId} (${form.Name}) is a ${form.Type} form, not an Unsubscribe one`, 'FormID');
  // The recipient's KeyCode of the sending (what its emails' links carry), or the form link's own.
  const recipientKey = isRecipientKeyCode(ws, s.sendingId, s.contactId, s.occurrenceId, s.keyCode);
  if (!recipientKey && s.keyCode.trim().toLowerCase() !== unsubscribeKeyCode(ws, s.contactId, s.sendingId)) {
    throw dolistError('45', `the KeyCode is not the one of contact ${s.contactId} and sending ${s.sendingId}`, 'KeyCode');
  }
  const c = findContact(ws, account, s.contactId);
  if (!c) throw dolistError('401', `no contact ${s.contactId} in account ${account}`, 'ContactID');
  const first = !c.UnsubscribeSource;
  const w = unsubscribeContact(ws, c, ORIGIN.Forms);
  if (first) {
    const rec = contactsTable(ws).get(w.id)!;
    rec.UnsubscribeSource = { FormID: s.formId, SendingID: s.sendingId, OccurrenceID: s.occurrenceId, Date: new Date(ws.now()).toISOString(), ...(s.reason ? { Reason: s.reason } : {}) };
    contactsTable(ws).put(rec);
  }
  return { ContactID: c.ID, Email: emailOf(ws, c) ?? null };
}
