// Who an email or SMS message comes from and who answers go to (research part 2 §4.6): reply
// addresses (table `reply_addresses`: ID, account, Email, Name; Email unique in the account
// [707]), pack senders (`email_senders`: ID, account, PackID, Email, Name; Email unique in its
// deliverability pack [703]; packs are the platform area's table `packs`) and SMS senders
// (`sms_senders`: ID, account, Name; unique [1201]). checkMessageReady reads these tables by
// name. None can be deleted while a message of the account uses it ([706], [704]).
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { Rec } from '../../core/record.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { messagesTable, type Channel } from './messages.js';
import { API_ID, style } from './style.js';

export interface ReplyAddressRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Email: string;
  Name: string | null;
  CreateDate: string;
  UpdateDate: string;
}

export interface PackSenderRec extends Rec {
  id: string;
  ID: number;
  account: string;
  PackID: number;
  Email: string;
  Name: string | null;
  CreateDate: string;
  UpdateDate: string;
}

export interface SmsSenderRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Name: string;
  CreateDate: string;
  UpdateDate: string;
}

export interface PackRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Name?: string;
  IsAllowed?: boolean;
}

const lower = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
const trimmed = { input: (v: unknown) => (typeof v === 'string' ? v.trim() : v) };

export interface SenderCollections {
  replies: Collection<ReplyAddressRec>;
  packSenders: Collection<PackSenderRec>;
  smsSenders: Collection<SmsSenderRec>;
}

export function senderCollections(spec: LoadedSpec): SenderCollections {
  return {
    replies: new Collection<ReplyAddressRec>({
      api: style,
      name: 'reply_addresses',
      label: 'reply address',
      shape: shapeOf(spec.schemas.MessagesReplyAddress),
      partition: 'account',
      uniqueKeys: [{ fields: ['Email'], normalize: lower, code: '707', field: 'Email', message: (v, clash) => `reply address ${v[0]} already exists (ID ${clash.ID})` }],
      codes: { notFound: '705' },
      fields: { Email: trimmed, Name: trimmed },
      errorField: 'ReplyID',
      search: ['Email', 'Name'],
    }),
    packSenders: new Collection<PackSenderRec>({
      api: style,
      name: 'email_senders',
      label: 'sender',
      shape: shapeOf(spec.schemas.MessagesPackSender),
      partition: 'account',
      uniqueKeys: [{ fields: ['PackID', 'Email'], normalize: lower, code: '703', field: 'Email', message: (v, clash) => `pack ${v[0]} already has sender ${v[1]} (ID ${clash.ID})` }],
      indexes: ['PackID'],
      codes: { notFound: '702' },
      fields: { Email: trimmed, Name: trimmed },
      errorField: 'SenderID',
      search: ['Email', 'Name'],
    }),
    smsSenders: new Collection<SmsSenderRec>({
      api: style,
      name: 'sms_senders',
      label: 'SMS sender',
      shape: shapeOf(spec.schemas.MessagesSmsSender),
      partition: 'account',
      uniqueKeys: [{ fields: ['Name'], normalize: lower, code: '1201', field: 'Name', message: (v, clash) => `SMS sender ${v[0]} already exists (ID ${clash.ID})` }],
      codes: { notFound: '1202' },
      fields: { Name: trimmed },
      errorField: 'SenderID',
      search: ['Name'],
    }),
  };
}

const inAccount = <T extends Rec>(ws: Workspace, table: string, account: string, id: number | null | undefined): T | undefined => {
  if (id === null || id === undefined) return undefined;
  const r = ws.table<T>(API_ID, table).peek(String(id));
  return r && r.account === account ? r : undefined;
};

export const findPack = (ws: Workspace, account: string, id: number | null | undefined) => inAccount<PackRec>(ws, 'packs', account, id);
export const findPackSender = (ws: Workspace, account: string, id: number | null | undefined) => inAccount<PackSenderRec>(ws, 'email_senders', account, id);
export const findSmsSender = (ws: Workspace, account: string, id: number | null | undefined) => inAccount<SmsSenderRec>(ws, 'sms_senders', account, id);
export const findReplyAddress = (ws: Workspace, account: string, id: number | null | undefined) => inAccount<ReplyAddressRec>(ws, 'reply_addresses', account, id);

/** The account's messages of a channel whose attribute `field` holds `id` (read-only). */
export function messagesUsing(ws: Workspace, account: string, channel: Channel, field: 'SenderID' | 'ReplyID', id: number) {
  return messagesTable(ws)
    .lookup('account', account)
    .filter((m) => m.Channel === channel && m[field] === id);
}

/** 400 [706] while a message uses the reply address. */
export function assertReplyDeletable(ws: Workspace, r: ReplyAddressRec): void {
  const used = messagesUsing(ws, r.account, 'email', 'ReplyID', r.ID);
  if (used.length) throw dolistError('706', `reply address ${r.ID} is used by message ${used.map((m) => m.ID).join(', ')}`, 'ReplyID');
}

/** 400 [704] while a message of the sender's channel uses it. */
export function assertSenderDeletable(ws: Workspace, channel: Channel, s: { ID: number; account: string }): void {
  const used = messagesUsing(ws, s.account, channel, 'SenderID', s.ID);
  if (used.length) throw dolistError('704', `sender ${s.ID} is used by message ${used.map((m) => m.ID).join(', ')}`, 'SenderID');
}

/** The senders of a pack in the account (read-only), by ID. */
export function packSenders(ws: Workspace, account: string, packId: number): PackSenderRec[] {
  return ws
    .table<PackSenderRec>(API_ID, 'email_senders')
    .lookup('PackID', packId)
    .filter((s) => s.account === account)
    .sort((a, b) => a.ID - b.ID);
}

/** 400 [36] unless `v` looks like an email address. */
export function requireEmail(v: unknown, field = 'Email'): string {
  if (typeof v !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim())) throw dolistError('36', `${field} must be an email address (got ${JSON.stringify(v ?? null)})`, field);
  return v.trim();
}

/** 400 [36] unless `v` is an SMS sender name: 1-11 alphanumeric characters, or a number of up to 16 digits. */
export function requireSmsSenderName(v: unknown): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!/^[A-Za-z0-9 .\-_]{1,11}$/.test(s) && !/^\+?\d{3,16}$/.test(s)) throw dolistError('36', `Name must be 1 to 11 letters or digits, or a phone number (got ${JSON.stringify(v ?? null)})`, 'Name');
  return s;
}
