// Writing email and SMS messages (research part 2 §4.1 M1-M9, M13): create and update with their
// reference checks (culture [41], pack [701], reply address [705], sender [702] / SMS update
// [1202]), names unique per account and channel [709], content (links re-extracted, tracking
// validation reset), links and their interests, duplicate, delete. A message a sending used is
// frozen ([711], [716], [718], delete [712]); one an active sending holds is locked (delete
// [728]). Check order: the path's resource, the body's references, the state, the values, the
// name. Domain only (no HTTP); the sendings area may create messages through these functions.
import { Collection } from '../../core/engine/collection.js';
import { shapeFromKinds } from '../../core/engine/shape.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { findInterest } from './interests.js';
import { defaultCulture, findCulture, messageCatalogue, smsEncodingId } from './message-catalogue.js';
import { copyLinks, extractLinks, linkOf } from './message-links.js';
import { messagesTable, smsSegmentsOf, type Channel, type MessageLink, type MessageRec } from './messages.js';
import { findPack, findPackSender, findReplyAddress, findSmsSender } from './senders.js';
import { style } from './style.js';
import { registerUsage } from './usage.js';

const lower = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

/** Both channels' messages: one table, one id counter, names unique per account and channel. */
export const messagesCollection = new Collection<MessageRec>({
  api: style,
  name: 'messages',
  label: 'message',
  shape: shapeFromKinds({
    ID: 'integer',
    Channel: 'string',
    Name: 'string',
    Subject: 'string',
    SenderID: 'integer',
    ReplyID: 'integer',
    PackID: 'integer',
    Culture: 'string',
    EncodingID: 'integer',
    FormatID: 'integer',
    IsTrackingValidated: 'boolean',
    IsFrozen: 'boolean',
    LockedBySendingID: 'integer',
    CreateDate: 'date',
    UpdateDate: 'date',
  }),
  partition: 'account',
  uniqueKeys: [{ fields: ['Channel', 'Name'], normalize: lower, bypassable: true, code: '709', field: 'Name', message: (v, clash) => `an ${v[0]} message named ${JSON.stringify(v[1])} already exists (ID ${clash.ID})` }],
  codes: { notFound: '708' },
  errorField: 'MessageID',
  search: ['Name', 'Subject'],
  defaultSort: [{ field: 'ID', desc: false }],
});

export interface EmailMessageInput {
  Name?: unknown;
  Subject?: unknown;
  SenderID?: unknown;
  ReplyID?: unknown;
  PackID?: unknown;
  Culture?: unknown;
  EncodingID?: unknown;
  FormatID?: unknown;
  IsTrackingValidated?: unknown;
  Content?: { Html?: unknown; Text?: unknown } | null;
}

export interface SmsMessageInput {
  Name?: unknown;
  SenderID?: unknown;
  Culture?: unknown;
  Text?: unknown;
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k) && (o as Record<string, unknown>)[k] !== undefined;
const idOrNull = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const iso = (ws: Workspace) => new Date(ws.now()).toISOString();

/** A message of the channel in the account, for writing; 404 [708] otherwise (an SMS id on an email route too). */
export function messageForWrite(ws: Workspace, account: string, channel: Channel, id: number | string): MessageRec {
  const m = messagesCollection.find(ws, id, account);
  if (!m || m.Channel !== channel) throw dolistError('708', `no ${channel} message ${id} in account ${account}`, 'MessageID');
  return m;
}

/** The same, read-only. */
export function messageView(ws: Workspace, account: string, channel: Channel, id: number | string): MessageRec {
  const m = messagesCollection.lookup(ws, id, account);
  if (!m || m.Channel !== channel) throw dolistError('708', `no ${channel} message ${id} in account ${account}`, 'MessageID');
  return m;
}

function checkCulture(ws: Workspace, v: unknown): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const c = findCulture(ws, String(v));
  if (!c) throw dolistError('41', `culture ${JSON.stringify(v)} is not one of GET /email/messages/cultures`, 'Culture');
  return c.Code;
}

function checkName(v: unknown, code: '710' | '711'): string {
  if (typeof v !== 'string' || !v.trim()) throw dolistError(code, 'Name is required (a non-empty string)', 'Name');
  if (v.length > 255) throw dolistError(code, 'Name is longer than 255 characters', 'Name');
  return v.trim();
}

function checkReference(ws: Workspace, list: 'emailEncodings' | 'emailFormats', v: unknown, field: string, code: '710' | '711'): number | null {
  const id = idOrNull(v);
  if (id === null) return null;
  if (!messageCatalogue(ws)[list].some((r) => r.ID === id)) throw dolistError(code, `${field} ${id} is not one of GET /email/messages/${list === 'emailEncodings' ? 'encodings' : 'formats'}`, field);
  return id;
}

function assertNotFrozen(m: MessageRec, code: '711' | '716' | '718', what: string): void {
  if (m.IsFrozen) throw dolistError(code, `message ${m.ID} was used by a sending: its ${what} cannot change (duplicate it)`, 'MessageID');
}

function emailContent(content: EmailMessageInput['Content'], current: MessageRec['Content']): MessageRec['Content'] {
  const c = content ?? {};
  return { Html: has(c, 'Html') ? strOrNull(c.Html) : current.Html ?? null, Text: has(c, 'Text') ? strOrNull(c.Text) : current.Text ?? null };
}

/**
 * A new email message. `allowDuplicateName`: for messages the API makes itself (a transactional
 * send's message), which need not have a unique name.
 */
export function createEmailMessage(ws: Workspace, account: string, input: EmailMessageInput, opts: { allowDuplicateName?: boolean } = {}): MessageRec {
  const culture = checkCulture(ws, input.Culture) ?? defaultCulture(ws, account);
  const packId = idOrNull(input.PackID);
  if (packId !== null && !findPack(ws, account, packId)) throw dolistError('701', `no deliverability pack ${packId} in account ${account}`, 'PackID');
  const replyId = idOrNull(input.ReplyID);
  if (replyId !== null && !findReplyAddress(ws, account, replyId)) throw dolistError('705', `no reply address ${replyId} in account ${account}`, 'ReplyID');
  const senderId = idOrNull(input.SenderID);
  const sender = senderId !== null ? findPackSender(ws, account, senderId) : undefined;
  if (senderId !== null && !sender) throw dolistError('702', `no pack sender ${senderId} in account ${account}`, 'SenderID');
  const name = checkName(input.Name, '710');
  const encodingId = checkReference(ws, 'emailEncodings', input.EncodingID, 'EncodingID', '710') ?? messageCatalogue(ws).emailEncodings[0].ID;
  const formatId = checkReference(ws, 'emailFormats', input.FormatID, 'FormatID', '710') ?? messageCatalogue(ws).emailFormats[0].ID;
  const content = emailContent(input.Content, {});
  return messagesCollection.insert(
    ws,
    {
      Channel: 'email',
      Name: name,
      Subject: strOrNull(input.Subject),
      SenderID: senderId,
      ReplyID: replyId,
      // The pack is the sender's unless the body names one.
      PackID: packId ?? sender?.PackID ?? null,
      Culture: culture,
      EncodingID: encodingId,
      FormatID: formatId,
      IsTrackingValidated: input.IsTrackingValidated === true,
      Content: content,
      Links: extractLinks(ws, content.Html, []),
      IsFrozen: false,
      LockedBySendingID: null,
      LastAnalysis: null,
    },
    { partition: account, allowDuplicates: opts.allowDuplicateName === true },
  );
}

/** Partial update of an email message's settings (`m` read for writing). */
export function updateEmailMessage(ws: Workspace, m: MessageRec, input: EmailMessageInput): MessageRec {
  const patch: Partial<MessageRec> = {};
  if (has(input, 'Culture')) patch.Culture = checkCulture(ws, input.Culture) ?? defaultCulture(ws, m.account);
  if (has(input, 'ReplyID')) {
    const replyId = idOrNull(input.ReplyID);
    if (replyId !== null && !findReplyAddress(ws, m.account, replyId)) throw dolistError('705', `no reply address ${replyId} in account ${m.account}`, 'ReplyID');
    patch.ReplyID = replyId;
  }
  if (has(input, 'SenderID')) {
    const senderId = idOrNull(input.SenderID);
    const sender = senderId !== null ? findPackSender(ws, m.account, senderId) : undefined;
    if (senderId !== null && !sender) throw dolistError('702', `no pack sender ${senderId} in account ${m.account}`, 'SenderID');
    patch.SenderID = senderId;
    // No [701] on update: the pack follows the sender.
    if (sender) patch.PackID = sender.PackID;
  }
  assertNotFrozen(m, '711', 'settings');
  if (has(input, 'Name')) patch.Name = checkName(input.Name, '711');
  if (has(input, 'Subject')) patch.Subject = strOrNull(input.Subject);
  if (has(input, 'EncodingID')) patch.EncodingID = checkReference(ws, 'emailEncodings', input.EncodingID, 'EncodingID', '711') ?? messageCatalogue(ws).emailEncodings[0].ID;
  if (has(input, 'FormatID')) patch.FormatID = checkReference(ws, 'emailFormats', input.FormatID, 'FormatID', '711') ?? messageCatalogue(ws).emailFormats[0].ID;
  if (has(input, 'IsTrackingValidated')) patch.IsTrackingValidated = input.IsTrackingValidated === true;
  if (input.Content) {
    const content = emailContent(input.Content, m.Content);
    patch.Content = content;
    patch.Links = extractLinks(ws, content.Html, m.Links);
    if (!has(input, 'IsTrackingValidated')) patch.IsTrackingValidated = false;
  }
  messagesCollection.checkUnique(ws, { ...m, ...patch }, { before: m });
  Object.assign(m, patch);
  return messagesCollection.bump(ws, m);
}

/** `PUT /email/messages/{id}/content`: links re-extracted, tracking to be validated again (M8, M9). */
export function setEmailContent(ws: Workspace, m: MessageRec, input: { Html?: unknown; Text?: unknown }): MessageRec {
  assertNotFrozen(m, '716', 'content');
  const content = emailContent(input, m.Content);
  m.Content = content;
  m.Links = extractLinks(ws, content.Html, m.Links);
  m.IsTrackingValidated = false;
  return messagesCollection.bump(ws, m);
}

function smsEncoding(ws: Workspace, text: string | null | undefined): number {
  return smsEncodingId(ws, smsSegmentsOf({ Content: { Text: text ?? '' } }).encoding);
}

export function createSmsMessage(ws: Workspace, account: string, input: SmsMessageInput): MessageRec {
  const culture = checkCulture(ws, input.Culture) ?? defaultCulture(ws, account);
  const senderId = idOrNull(input.SenderID);
  if (senderId !== null && !findSmsSender(ws, account, senderId)) throw dolistError('702', `no SMS sender ${senderId} in account ${account}`, 'SenderID');
  const name = checkName(input.Name, '710');
  const text = strOrNull(input.Text);
  return messagesCollection.insert(
    ws,
    {
      Channel: 'sms',
      Name: name,
      Subject: null,
      SenderID: senderId,
      ReplyID: null,
      PackID: null,
      Culture: culture,
      EncodingID: smsEncoding(ws, text),
      FormatID: null,
      // SMS have no links to validate.
      IsTrackingValidated: true,
      Content: { Text: text },
      Links: [],
      IsFrozen: false,
      LockedBySendingID: null,
      LastAnalysis: null,
      LastSimulation: null,
    },
    { partition: account },
  );
}

export function updateSmsMessage(ws: Workspace, m: MessageRec, input: SmsMessageInput): MessageRec {
  const patch: Partial<MessageRec> = {};
  if (has(input, 'Culture')) patch.Culture = checkCulture(ws, input.Culture) ?? defaultCulture(ws, m.account);
  if (has(input, 'SenderID')) {
    const senderId = idOrNull(input.SenderID);
    if (senderId !== null && !findSmsSender(ws, m.account, senderId)) throw dolistError('1202', `no SMS sender ${senderId} in account ${m.account}`, 'SenderID');
    patch.SenderID = senderId;
  }
  assertNotFrozen(m, '711', 'settings');
  if (has(input, 'Name')) patch.Name = checkName(input.Name, '711');
  if (has(input, 'Text')) {
    patch.Content = { Text: strOrNull(input.Text) };
    patch.EncodingID = smsEncoding(ws, patch.Content.Text);
  }
  messagesCollection.checkUnique(ws, { ...m, ...patch }, { before: m });
  Object.assign(m, patch);
  return messagesCollection.bump(ws, m);
}

export function setSmsContent(ws: Workspace, m: MessageRec, input: { Text?: unknown }): MessageRec {
  assertNotFrozen(m, '716', 'content');
  if (has(input, 'Text')) {
    m.Content = { Text: strOrNull(input.Text) };
    m.EncodingID = smsEncoding(ws, m.Content.Text);
  }
  return messagesCollection.bump(ws, m);
}

/** M7: a new message with the same settings, content and links (new LinkIDs), neither frozen nor locked. */
export function duplicateMessage(ws: Workspace, m: MessageRec, name?: unknown): MessageRec {
  let newName: string;
  if (name !== undefined && name !== null) newName = checkName(name, '710');
  else {
    const taken = new Set(
      messagesTable(ws)
        .lookup('account', m.account)
        .filter((x) => x.Channel === m.Channel)
        .map((x) => x.Name.toLowerCase()),
    );
    newName = `${m.Name} (copie)`;
    for (let n = 2; taken.has(newName.toLowerCase()); n++) newName = `${m.Name} (copie ${n})`;
  }
  const { id: _id, ID: _ID, CreateDate: _c, UpdateDate: _u, ...rest } = m;
  return messagesCollection.insert(
    ws,
    {
      ...rest,
      Name: newName,
      Content: { ...m.Content },
      Links: copyLinks(ws, m.Links),
      IsFrozen: false,
      LockedBySendingID: null,
      LastAnalysis: null,
      ...(m.Channel === 'sms' ? { LastSimulation: null } : {}),
    },
    { partition: m.account },
  );
}

/** DELETE: locked by an active sending [728], used by a finished one [712]. */
export function deleteMessage(ws: Workspace, m: MessageRec): void {
  if (m.LockedBySendingID !== null) throw dolistError('728', `message ${m.ID} is locked by sending ${m.LockedBySendingID}`, 'MessageID');
  if (m.IsFrozen) throw dolistError('712', `message ${m.ID} was used by a sending: it is kept for its statistics`, 'MessageID');
  messagesTable(ws).remove(m.id);
}

/** The link of the message, 404 [719] otherwise. */
export function requireLink(m: MessageRec, linkId: number): MessageLink {
  const l = linkOf(m, linkId);
  if (!l) throw dolistError('719', `message ${m.ID} has no link ${linkId}`, 'LinkID');
  return l;
}

export interface LinkInput {
  Name?: unknown;
  Url?: unknown;
  LinkType?: unknown;
  IsTracked?: unknown;
}

/** `PUT .../links/{LinkID}`: a changed Url or tracking makes the message's tracking to be validated again. */
export function updateLink(ws: Workspace, m: MessageRec, linkId: number, input: LinkInput, linkType?: string): MessageRec {
  const link = requireLink(m, linkId);
  assertNotFrozen(m, '718', 'links');
  const next: MessageLink = { ...link };
  if (has(input, 'Name')) next.Name = strOrNull(input.Name);
  if (has(input, 'Url')) {
    const url = String(input.Url ?? '').trim();
    if (!url) throw dolistError('36', 'Url must not be empty', 'Url');
    if (url !== link.Url && m.Links.some((l) => l.LinkID !== linkId && l.Url === url)) throw dolistError('36', `message ${m.ID} already has a link to ${url}`, 'Url');
    next.Url = url;
  }
  if (linkType) next.LinkType = linkType;
  if (has(input, 'IsTracked')) next.IsTracked = input.IsTracked === true;
  if (next.Url !== link.Url || next.IsTracked !== link.IsTracked) m.IsTrackingValidated = false;
  // The Html keeps pointing at the link: a new URL is written there too.
  if (next.Url !== link.Url && m.Content.Html) {
    const encoded = (u: string) => u.replace(/&/g, '&amp;');
    m.Content = { ...m.Content, Html: m.Content.Html.split(encoded(link.Url)).join(encoded(next.Url)).split(link.Url).join(next.Url) };
  }
  m.Links = m.Links.map((l) => (l.LinkID === linkId ? next : l));
  return messagesCollection.bump(ws, m);
}

export type OperationMode = 'Add' | 'Remove' | 'Replace';

/** `PUT .../links/{LinkID}/interests?OperationMode=` (M13): every interest checked first [432]. */
export function setLinkInterests(ws: Workspace, m: MessageRec, linkId: number, mode: OperationMode, ids: number[]): MessageRec {
  const link = requireLink(m, linkId);
  for (const id of ids) if (!findInterest(ws, m.account, id)) throw dolistError('432', `no interest ${id} in account ${m.account}`, 'InterestIDList');
  assertNotFrozen(m, '718', 'links');
  const current = new Set(link.InterestIDList);
  const next = mode === 'Replace' ? new Set(ids) : current;
  if (mode === 'Add') for (const id of ids) next.add(id);
  if (mode === 'Remove') for (const id of ids) next.delete(id);
  m.Links = m.Links.map((l) => (l.LinkID === linkId ? { ...l, InterestIDList: [...next].sort((a, b) => a - b) } : l));
  return messagesCollection.bump(ws, m);
}

// Interests (and their groups) used by a message's links count as used (`GET /interests/{id}/usage`).
registerUsage('message-links', 'interest', 2, (ws, account, id) =>
  messagesTable(ws)
    .lookup('account', account)
    .filter((m) => m.Channel === 'email' && m.Links.some((l) => l.InterestIDList.includes(id)))
    .map((m) => ({ ID: m.ID, Name: m.Name })),
);
registerUsage('message-links', 'group', 2, (ws, account, id) =>
  messagesTable(ws)
    .lookup('account', account)
    .filter((m) => m.Channel === 'email' && m.Links.some((l) => l.InterestIDList.some((i) => findInterest(ws, account, i)?.GroupID === id)))
    .map((m) => ({ ID: m.ID, Name: m.Name })),
);
