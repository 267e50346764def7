// Sendings (email and SMS campaigns), their occurrences and recipients: the records the
// sendings area writes and the statistics area reads. One table `sendings` for both channels
// (one id counter), `recipients` one record per (sending, occurrence, contact) with the
// timestamps of what happened to that message (drawn when it is sent, from the workspace RNG:
// statistics compare them with the clock, so counters grow as it advances), and
// `tracking_events` (opens and clicks recorded by the tracking endpoint and injections).
import { nextInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import type { Channel } from './messages.js';
import { API_ID } from './style.js';

/** Research part 2 §4.2: Planned -> InProgress -> Sent; Standby/resume; Stopped (terminal). Draft for a test send. */
export type SendingStatus = 'Draft' | 'Planned' | 'InProgress' | 'Standby' | 'Sent' | 'Stopped';

export interface OccurrenceRec {
  OccurrenceID: number;
  ScheduledDate: string;
  StartDate: string | null;
  EndDate: string | null;
  Status: SendingStatus;
  /** Recipients of this occurrence (the target as evaluated when it started). */
  RecipientCount: number;
}

export interface SendingRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Channel: Channel;
  Name: string;
  MessageID: number;
  TargetID: number | null;
  /** The current planning and every planning it had (re-planning appends). */
  PlanningID: number | null;
  PlanningIDList: number[];
  /** Real or Test. */
  SendType: string;
  Status: SendingStatus;
  /** The message content when the sending was created (`GET .../content`). */
  ContentSnapshot: { Subject?: string | null; Html?: string | null; Text?: string | null };
  Occurrences: OccurrenceRec[];
  CreateDate: string;
  UpdateDate: string;
  StartDate: string | null;
  EndDate: string | null;
  /** SMS: units per recipient (segments). */
  UnitsPerRecipient: number;
  /** Bumped by standby/resume/stop: scheduled steps of an older token are stale. */
  Token: number;
  /** Email: the user the sending is made for (POST body `UserID`), if any. */
  UserID?: number | null;
  /** A transactional email (`POST /email/sendings/transactional`): not listed with the campaigns. */
  IsTransactional?: boolean;
  /** The audience when it is given contacts rather than a target (a transactional email's one contact). */
  ContactIDList?: number[] | null;
  /** Transactional email: the names of the attached files. */
  AttachmentNames?: string[];
  /** SMS: units still held on the Dolist ledger for this sending (its estimate, as batches use it). */
  ReservedUnits?: number;
  /** The status standby interrupted (Planned or InProgress). */
  StandbyFrom?: SendingStatus;
}

export type RecipientStatus = 'Pending' | 'Sent' | 'Delivered' | 'SoftBounce' | 'HardBounce' | 'Failed';

export interface RecipientRec extends Rec {
  /** `<SendingID>:<OccurrenceID>:<ContactID>` */
  id: string;
  account: string;
  SendingID: number;
  OccurrenceID: number;
  ContactID: number;
  Channel: Channel;
  /** The email address or mobile number it went to. */
  Address: string;
  /** Timestamps (ISO) of what happened or will happen, null when it does not. */
  SentDate: string | null;
  DeliveredDate: string | null;
  BouncedDate: string | null;
  BounceType: 'Soft' | 'Hard' | null;
  FailedDate: string | null;
  OpenedDate: string | null;
  ClickedDate: string | null;
  UnsubscribedDate: string | null;
  ComplainedDate: string | null;
  /** SMS units consumed. */
  Units: number;
}

export interface TrackingEventRec extends Rec {
  id: string;
  account: string;
  SendingID: number;
  OccurrenceID: number;
  ContactID: number;
  /** Open, Click, Unsubscribe, Bounce, MO ... */
  TrackingType: string;
  LinkID: number | null;
  Date: string;
  UserAgent: string | null;
  IpAddress: string | null;
}

export const sendingsTable = (ws: Workspace) => ws.table<SendingRec>(API_ID, 'sendings');

/**
 * The next sending id: one counter for both channels (and transactional emails), the sequence
 * the sendings collections read by (`dolist/sendings`), skipping ids already taken.
 */
export function nextSendingId(ws: Workspace): number {
  for (;;) {
    const n = nextInSequence(ws, sequenceKey(API_ID, 'sendings'), 1);
    if (!sendingsTable(ws).has(String(n))) return n;
  }
}
export const recipientsTable = (ws: Workspace) => ws.table<RecipientRec>(API_ID, 'recipients');
export const trackingEventsTable = (ws: Workspace) => ws.table<TrackingEventRec>(API_ID, 'tracking_events');

/** A sending of the channel in the account (read-only view), or undefined. */
export function findSending(ws: Workspace, account: string, channel: Channel, id: number): SendingRec | undefined {
  const s = sendingsTable(ws).peek(String(id));
  return s && s.account === account && s.Channel === channel ? s : undefined;
}

/** The recipients of a sending (read-only views), optionally of one occurrence. */
export function sendingRecipients(ws: Workspace, sendingId: number, occurrenceId?: number): RecipientRec[] {
  return recipientsTable(ws)
    .lookup('SendingID', sendingId)
    .filter((r) => occurrenceId === undefined || r.OccurrenceID === occurrenceId);
}

export const isTerminal = (s: Pick<SendingRec, 'Status'>) => s.Status === 'Sent' || s.Status === 'Stopped';

/** What the timestamp says at `now`: it happened (set and not after now). */
export const happened = (iso: string | null, now: number) => iso !== null && Date.parse(iso) <= now;
