// Email and SMS messages: one table `messages` for both channels with one id counter (so an id
// never names two messages, and `GET /email/messages/{id of an SMS}` is simply [708]),
// partitioned by `account`. Owned by the messages area; sendings read them (`findMessage`,
// `checkMessage` before a send, `smsSegmentsOf`), lock them while a sending is active and freeze
// them once used (research part 2 §4.1 M5/M6).
import type { Rec } from '../../core/record.js';
import { segment, type Segmentation } from '../../core/sms.js';
import type { Workspace } from '../../core/workspace.js';
import { API_ID } from './style.js';

export type Channel = 'email' | 'sms';

export interface MessageLink {
  LinkID: number;
  Url: string;
  Name: string | null;
  /** Tracked, Unsubscribe, Mirror ... (`GET /email/messages/linktypes`). */
  LinkType: string;
  IsTracked: boolean;
  InterestIDList: number[];
}

export interface MessageAnalysis {
  OperationID: number;
  Date: string;
  Result: Record<string, unknown>;
}

export interface MessageRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Channel: Channel;
  Name: string;
  /** Email only. */
  Subject: string | null;
  SenderID: number | null;
  ReplyID: number | null;
  PackID: number | null;
  Culture: string;
  EncodingID: number | null;
  FormatID: number | null;
  IsTrackingValidated: boolean;
  /** Email: Html and Text; SMS: Text. */
  Content: { Html?: string | null; Text?: string | null };
  Links: MessageLink[];
  /** A sending used it: content and settings frozen (duplicate to change). */
  IsFrozen: boolean;
  /** The active (non-terminal) sending holding the lock, if any. */
  LockedBySendingID: number | null;
  /** The last analyzer (and, SMS, simulation) result, written when its async operation is Done. */
  LastAnalysis?: MessageAnalysis | null;
  LastSimulation?: MessageAnalysis | null;
  CreateDate: string;
  UpdateDate: string;
}

export const messagesTable = (ws: Workspace) => ws.table<MessageRec>(API_ID, 'messages');

/** A message of the channel in the account (read-only view), or undefined. */
export function findMessage(ws: Workspace, account: string, channel: Channel, id: number): MessageRec | undefined {
  const m = messagesTable(ws).peek(String(id));
  return m && m.account === account && m.Channel === channel ? m : undefined;
}

/** Encoding and segments of an SMS message's text (units = segments per recipient). */
export function smsSegmentsOf(m: Pick<MessageRec, 'Content'>): Segmentation {
  return segment(m.Content?.Text ?? '');
}
