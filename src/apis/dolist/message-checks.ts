// Is a message ready to be sent? One validator for `GET /email|sms/messages/{id}/check` (204 or
// the first failing code) and for the sending creates, so that check and send always agree
// (research part 2 §4.1 M10-M12). Order as the research suggests. Senders, reply addresses and
// packs are read from the tables the messages and platform areas keep: `email_senders`
// (pack senders), `sms_senders`, `reply_addresses`, `packs` (records keyed by ID, `account`).
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { findCulture, messageCatalogue } from './message-catalogue.js';
import { smsSegmentsOf, type MessageRec } from './messages.js';
import { API_ID } from './style.js';

const inAccount = (ws: Workspace, table: string, account: string, id: number | null) => {
  if (id === null || id === undefined) return undefined;
  const r = ws.table(API_ID, table).peek(String(id));
  return r && r.account === account ? r : undefined;
};

/** The Unsubscribe link an email must carry: a link of type Unsubscribe, or the unsubscribe variable. */
export function hasUnsubscribeLink(m: Pick<MessageRec, 'Links' | 'Content'>): boolean {
  return (m.Links ?? []).some((l) => String(l.LinkType).toLowerCase() === 'unsubscribe') || /\[\[\s*unsubscribe[^\]]*\]\]|\{\{\s*unsubscribe/i.test(m.Content?.Html ?? '');
}

/** An SMS must mention how to stop receiving them (the STOP variable or a STOP mention). */
export function hasStopMention(text: string): boolean {
  return /\[\[\s*stop[^\]]*\]\]|\bSTOP\b/i.test(text);
}

/** Bytes of an email's content (Html + Text, UTF-8): above `limits.maxContentBytes` a send is 409 [725]. */
export function contentSize(m: Pick<MessageRec, 'Content'>): number {
  return Buffer.byteLength(m.Content?.Html ?? '', 'utf8') + Buffer.byteLength(m.Content?.Text ?? '', 'utf8');
}

/**
 * Throws the first reason the message cannot be sent now: email [702], [720], [723], [722],
 * [721], [725]; SMS [1207], [702], [223] (the culture has no opt-out key value), [724] (empty, or
 * more segments than `limits.maxSmsSegments`). Thresholds from fixtures `messageCatalogue.limits`.
 */
export function checkMessageReady(ws: Workspace, m: MessageRec, opts: { maxSmsSegments?: number } = {}): void {
  const limits = messageCatalogue(ws).limits;
  if (m.Channel === 'email') {
    if (!inAccount(ws, 'email_senders', m.account, m.SenderID)) throw dolistError('702', `message ${m.ID} has no sender of this account (SenderID ${m.SenderID ?? 'none'})`, 'SenderID');
    if (!hasUnsubscribeLink(m)) throw dolistError('720', `message ${m.ID} has no unsubscribe link`, 'Content');
    if (m.PackID !== null) {
      const pack = inAccount(ws, 'packs', m.account, m.PackID);
      if (!pack || pack.IsAllowed === false) throw dolistError('723', `pack ${m.PackID} is not allowed for this account`, 'PackID');
    }
    if (!m.Subject || !m.Subject.trim()) throw dolistError('722', `message ${m.ID} has no subject`, 'Subject');
    if (!m.IsTrackingValidated) throw dolistError('721', `message ${m.ID}: the tracking of its links is not validated`, 'IsTrackingValidated');
    const size = contentSize(m);
    if (size > limits.maxContentBytes) throw dolistError('725', `message ${m.ID}: content is ${size} bytes, more than ${limits.maxContentBytes}`, 'Content');
    return;
  }
  const text = m.Content?.Text ?? '';
  if (!hasStopMention(text)) throw dolistError('1207', `message ${m.ID} has no unsubscribe (STOP) mention`, 'Content');
  if (!inAccount(ws, 'sms_senders', m.account, m.SenderID)) throw dolistError('702', `message ${m.ID} has no sender of this account (SenderID ${m.SenderID ?? 'none'})`, 'SenderID');
  const culture = findCulture(ws, m.Culture);
  if (!culture?.SmsStopText) throw dolistError('223', `culture ${m.Culture} has no SMS opt-out key value`, 'Culture');
  if (!text.trim()) throw dolistError('724', `message ${m.ID} has no text`, 'Content');
  const max = opts.maxSmsSegments ?? limits.maxSmsSegments;
  const { segments } = smsSegmentsOf(m);
  if (segments > max) throw dolistError('724', `message ${m.ID} is ${segments} SMS segments, more than ${max}`, 'Content');
}
