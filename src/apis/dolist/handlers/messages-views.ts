// How the messages area's records look over HTTP (schemas Messages* of specs/dolist.yaml), and
// the small request readers its handlers share. Nulls are left out, as the API style says.
import type { HandlerContext } from '../../../core/api.js';
import { dolistError } from '../error-catalogue.js';
import { contentSize } from '../message-checks.js';
import type { OperationMode } from '../message-editing.js';
import { smsSegmentsOf, type Channel, type MessageLink, type MessageRec } from '../messages.js';
import type { PackSenderRec } from '../senders.js';
import { callerAccount } from '../style.js';
import type { TagRec } from '../tags.js';

/** The object without its null and undefined attributes. */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

export const list = (items: unknown[], total = items.length) => ({ ItemList: items, Total: total });

export function renderEmailMessage(m: MessageRec): Record<string, unknown> {
  return compact({
    ID: m.ID,
    Name: m.Name,
    Subject: m.Subject,
    SenderID: m.SenderID,
    ReplyID: m.ReplyID,
    PackID: m.PackID,
    Culture: m.Culture,
    EncodingID: m.EncodingID,
    FormatID: m.FormatID,
    IsTrackingValidated: m.IsTrackingValidated,
    IsFrozen: m.IsFrozen,
    IsLocked: m.LockedBySendingID !== null,
    LockedBySendingID: m.LockedBySendingID,
    LinkCount: (m.Links ?? []).length,
    LastAnalysis: m.LastAnalysis,
    CreateDate: m.CreateDate,
    UpdateDate: m.UpdateDate,
  });
}

export function renderSmsMessage(m: MessageRec): Record<string, unknown> {
  const text = m.Content?.Text ?? '';
  const seg = smsSegmentsOf(m);
  return compact({
    ID: m.ID,
    Name: m.Name,
    SenderID: m.SenderID,
    Culture: m.Culture,
    Encoding: seg.encoding,
    EncodingID: m.EncodingID ?? (seg.encoding === 'GSM-7' ? 1 : 2),
    CharacterCount: [...text].length,
    SegmentCount: text ? seg.segments : 0,
    IsFrozen: m.IsFrozen,
    IsLocked: m.LockedBySendingID !== null,
    LockedBySendingID: m.LockedBySendingID,
    LastAnalysis: m.LastAnalysis,
    LastSimulation: m.LastSimulation,
    CreateDate: m.CreateDate,
    UpdateDate: m.UpdateDate,
  });
}

export const renderMessage = (m: MessageRec) => (m.Channel === 'email' ? renderEmailMessage(m) : renderSmsMessage(m));

export function renderEmailContent(m: MessageRec): Record<string, unknown> {
  return compact({ Html: m.Content?.Html, Text: m.Content?.Text, Size: contentSize(m) });
}

export function renderLink(l: MessageLink): Record<string, unknown> {
  return compact({ ID: l.LinkID, LinkID: l.LinkID, Url: l.Url, Name: l.Name, LinkType: l.LinkType, IsTracked: l.IsTracked, InterestIDList: l.InterestIDList });
}

export function renderPackSender(s: PackSenderRec): Record<string, unknown> {
  return compact({
    ID: s.ID,
    PackID: s.PackID,
    Email: s.Email,
    Name: s.Name,
    Sender: compact({ ID: s.ID, Email: s.Email, Name: s.Name }),
    CreateDate: s.CreateDate,
    UpdateDate: s.UpdateDate,
  });
}

export const renderTag = (t: TagRec) => compact({ ID: t.ID, Name: t.Name, ColorID: t.ColorID });

// ---- request readers ---------------------------------------------------------------------------

export const accountParam = callerAccount;

/** The body as an object ({} when none); 400 [36] for another JSON value. */
export function bodyOf(ctx: HandlerContext): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined || b === null || b === '') return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw dolistError('36', 'the body must be a JSON object', 'body');
  return b as Record<string, unknown>;
}

/** An integer path parameter. */
export const intParam = (ctx: HandlerContext, name: string) => Number(ctx.params[name]);

/** `Channel` of the message lists: Email or Sms (any case), else 400 [36]. */
export function channelParam(ctx: HandlerContext): Channel {
  const v = String(ctx.query.Channel ?? '').trim().toLowerCase();
  if (v !== 'email' && v !== 'sms') throw dolistError('36', `Channel must be Email or Sms (got ${JSON.stringify(ctx.query.Channel ?? null)})`, 'Channel');
  return v;
}

/** `SendType` of the checks: Test or Real (any case), else 400 [36]. */
export function sendTypeParam(ctx: HandlerContext): 'Test' | 'Real' {
  const v = String(ctx.query.SendType ?? '').trim().toLowerCase();
  if (v === 'test') return 'Test';
  if (v === 'real') return 'Real';
  throw dolistError('36', `SendType must be Test or Real (got ${JSON.stringify(ctx.query.SendType ?? null)})`, 'SendType');
}

/** `OperationMode`: Add, Remove or Replace (any case), else 400 [36]. */
export function operationModeParam(ctx: HandlerContext): OperationMode {
  const v = String(ctx.query.OperationMode ?? '').trim().toLowerCase();
  const modes: OperationMode[] = ['Add', 'Remove', 'Replace'];
  const mode = modes.find((m) => m.toLowerCase() === v);
  if (!mode) throw dolistError('36', `OperationMode must be Add, Remove or Replace (got ${JSON.stringify(ctx.query.OperationMode ?? null)})`, 'OperationMode');
  return mode;
}

/** A list of integers from the body (400 [36] otherwise). */
export function intList(v: unknown, field: string): number[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(Number(x)))) throw dolistError('36', `${field} must be a list of integer ids`, field);
  return v.map(Number);
}
