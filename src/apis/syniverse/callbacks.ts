// Syniverse's own event callbacks: the payloads its Event Manager (the Event Subscription Service,
// ESS) POSTs to a delivery configuration for the topics SCG-Message and SCG-Voice-Call, mapped from
// the simulator's events. Registered as `POST /_sim/workspaces/{ws}/webhooks` with
// `{format: 'syniverse'}`; core signs, delivers and retries them like every webhook.
//
// The public description: the ESS envelope `{topic, attempt, event: {"fld-val-list", "evt-tp",
// timestamp}, event_id}` (its samples spell the id `event-id`: both are sent), the fields of each
// event type as Syniverse's messaging and voice event guides list them, and the asynchronous failure
// codes of its error registry as `reason_code`. Where they are silent (see docs/callbacks.md), the
// choices are: absent values are left out, except `external_message_request_id` which the samples
// send as ""; a success carries `reason_code` "200" / `reason_description` "SUCCESS" as the delivered
// sample does.
//
// The mapping functions are pure: a simulated event plus the records as the event left them
// (`CallbackFacts`) give the vendor event, or null when Syniverse has no such event.
import { createHash } from 'node:crypto';
import type { CallbackFormat, VendorEvent } from '../../core/api.js';
import type { SimEvent } from '../../core/journal.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { synFixtures, type SynCollections } from './collections.js';
import { segmentsOf } from './senders.js';
import { API_ID } from './style.js';

export const FORMAT = 'syniverse';

/** ESS topics and their event types (a registration's `events` may name either). */
export const TOPICS = {
  'SCG-Message': ['message_request_state_change', 'message_state_change', 'mo_message_received'],
  'SCG-Voice-Call': [
    'bridge_playback_state_change',
    'bridge_tts_state_change',
    'call_incoming_received',
    'call_playback_state_change',
    'call_state_change',
    'call_tts_state_change',
    'collector_state_change',
    'conference_member_play_state_change',
    'conference_member_state_change',
  ],
} as const satisfies Record<string, readonly string[]>;

export type Topic = keyof typeof TOPICS;
export const EVENT_TYPES: readonly string[] = Object.values(TOPICS).flat();

export function topicOf(type: string): Topic | undefined {
  return (Object.keys(TOPICS) as Topic[]).find((t) => (TOPICS[t] as readonly string[]).includes(type));
}

/** Used when the workspace's fixtures set no `companyId` (Syniverse's `company-id`). */
export const DEFAULT_COMPANY_ID = 1000;

/** What a mapping reads besides the event: the records as the event left them. */
export interface CallbackFacts {
  applicationId: number;
  companyId: number;
  message?: Rec;
  request?: Rec;
  /** The sender id of a message. */
  sender?: Rec;
  call?: Rec;
  bridge?: Rec;
  conference?: Rec;
  member?: Rec;
  /** The digits collector of a collector event. */
  collector?: Rec;
}

/** Asynchronous failure codes (Syniverse's error registry) for the simulator's failure codes. */
export const FAILURE_CODES: Record<string, { code: string; description: string }> = {
  INVALID_RECIPIENT: { code: '1002', description: 'Invalid recipient address or address format' },
  NO_CONSENT: { code: '1005', description: 'No subscriber consent' },
  EXPIRED: { code: '1007', description: 'Message expired before delivery' },
  OTHER: { code: '1009', description: 'Message delivery failure' },
};
const SUCCESS = { reason_code: '200', reason_description: 'SUCCESS' };

type Fields = Record<string, unknown>;

/** Drops the fields without a value (undefined or null). */
function present(fields: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0);

function attachmentFields(ids: unknown): Fields {
  const list = Array.isArray(ids) ? ids.map(String).filter(Boolean) : [];
  return list.length ? { has_attachment: true, attachment_ids: list.join(',') } : { has_attachment: false };
}

/** A message's failure as `reason_code` / `reason_description`; SUCCESS when it has none. */
export function messageReason(state: unknown, failureCode: unknown, failureDetails: unknown): { reason_code: string; reason_description: string } {
  const code = str(failureCode);
  const failed = state === 'FAILED' || state === 'EXPIRED' || code !== undefined;
  if (!failed) return SUCCESS;
  if (code && /^\d+$/.test(code)) return { reason_code: code, reason_description: str(failureDetails) ?? code };
  const known = FAILURE_CODES[code ?? (state === 'EXPIRED' ? 'EXPIRED' : 'OTHER')] ?? FAILURE_CODES.OTHER;
  return { reason_code: known.code, reason_description: str(failureDetails) ?? known.description };
}

const account = (f: CallbackFacts): Fields => ({ application_id: f.applicationId, 'company-id': f.companyId });

/** `message_state_change`: an MT (delivery receipt) or MO message changed state. */
export function messageStateChange(ev: SimEvent, f: CallbackFacts): VendorEvent {
  const d = ev.data;
  const m: Fields = f.message ?? {};
  const mo = d.direction === 'MO' || m.direction === 'MO';
  return {
    type: 'message_state_change',
    data: present({
      previous_state: str(d.previous_state),
      message_request_id: str(d.message_request_id ?? m.message_request_id),
      message_id: str(d.message_id),
      to_address: str(d.to_address ?? m.to_address),
      ...attachmentFields(m.attachments),
      ...messageReason(d.state, d.failure_code, d.failure_details),
      ...account(f),
      sender_id_alias: str(f.sender?.name),
      sender_id_id: str(m.customer_sender_id ?? f.sender?.id),
      external_message_request_id: str(m.external_message_request_id ?? f.request?.external_id) ?? '',
      new_state: str(d.state),
      fragments_count: num(m._segments) || 1,
      from_address: str(d.from_address ?? m.from_address ?? f.sender?.address),
      ...(mo ? { mo_price: num(m.price) } : { mt_price: num(m.price) }),
    }),
  };
}

/** `mo_message_received`: an inbound message arrived on one of the application's sender ids. */
export function moMessageReceived(ev: SimEvent, f: CallbackFacts): VendorEvent {
  const d = ev.data;
  const m: Fields = f.message ?? {};
  const body = String(d.body ?? m.body ?? '');
  return {
    type: 'mo_message_received',
    data: present({
      message_id: str(d.message_id),
      to_address: str(d.to_address ?? m.to_address),
      from_address: str(d.from_address ?? m.from_address),
      ...attachmentFields(m.attachments),
      ...account(f),
      sender_id_alias: str(f.sender?.name),
      sender_id_id: str(d.sender_id ?? m.customer_sender_id),
      message_body: body,
      message_body_truncated: false,
      fragments_count: segmentsOf(String(m.type ?? 'SMS'), body),
      mo_price: num(m.price),
    }),
  };
}

/** `message_request_state_change`: a message request moved on (ACCEPTED, TRANSMITTING, COMPLETED...). */
export function messageRequestStateChange(ev: SimEvent, f: CallbackFacts): VendorEvent {
  const d = ev.data;
  const r: Fields = f.request ?? {};
  const rejected = d.state === 'REJECTED';
  return {
    type: 'message_request_state_change',
    data: present({
      previous_state: str(d.previous_state),
      message_request_id: str(d.message_request_id),
      ...(rejected ? { reason_code: FAILURE_CODES.OTHER.code, reason_description: str(d.reason) ?? 'Message request rejected' } : SUCCESS),
      ...account(f),
      external_message_request_id: str(r.external_id) ?? '',
      new_state: str(d.state),
    }),
  };
}

/** A call's end or refusal as `reason_code` (the SIP-like cause) / `reason_description`. */
function callReason(call: Fields): { reason_code: string; reason_description: string } {
  if (call.failure_code === undefined || call.failure_code === null) return SUCCESS;
  return { reason_code: str(call.failure_details) ?? '500', reason_description: String(call.failure_code) };
}

/** `call_state_change`, or `call_incoming_received` for the first event of an inbound call. */
export function callEvent(ev: SimEvent, f: CallbackFacts): VendorEvent {
  const d = ev.data;
  const call: Fields = f.call ?? {};
  const base = {
    call_id: str(d.call_id),
    from_address: str(call.from_address ?? call.from),
    to_address: str(d.to_address ?? call.to_address),
    ...callReason(call),
    application_id: f.applicationId,
  };
  if (call.direction === 'IN' && (d.previous_state === null || d.previous_state === undefined)) {
    return { type: 'call_incoming_received', data: present(base) };
  }
  return {
    type: 'call_state_change',
    data: present({
      ...base,
      previous_state: str(d.previous_state),
      new_state: str(d.state),
      external_call_id: str(call.external_id) ?? '',
      call_duration: num(call.chargeable_duration),
      call_price: num(call.price),
    }),
  };
}

/** The play_* events: on a call, a bridge or a conference member; null on a conference (no such event). */
export function playbackEvent(ev: SimEvent, f: CallbackFacts): VendorEvent | null {
  const d = ev.data;
  const state = ev.type === 'playback_started' ? 'playing' : 'finished';
  const tts = d.kind === 'tts';
  if (f.member) {
    return { type: 'conference_member_play_state_change', data: present({ ...memberIds(f), state, application_id: f.applicationId }) };
  }
  if (f.bridge) {
    return {
      type: tts ? 'bridge_tts_state_change' : 'bridge_playback_state_change',
      data: present({ bridge_id: str(f.bridge.id), state, application_id: f.applicationId, bridge_external_id: str(f.bridge.external_id) }),
    };
  }
  if (f.call) {
    return {
      type: tts ? 'call_tts_state_change' : 'call_playback_state_change',
      data: present({ call_id: str(f.call.id), state, application_id: f.applicationId, call_external_id: str(f.call.external_id) }),
    };
  }
  return null;
}

function memberIds(f: CallbackFacts): Fields {
  const m: Fields = f.member ?? {};
  return {
    member_id: str(m.id),
    conference_id: str(m.conference_id ?? f.conference?.id),
    conference_external_id: str(m.conference_external_id ?? f.conference?.external_id),
    member_external_id: str(m.external_id),
    call_id: str(f.call?.id),
    call_external_id: str(f.call?.external_id),
  };
}

/** `conference_member_state_change`: a member joined (active) or left (completed). */
export function conferenceMemberEvent(ev: SimEvent, f: CallbackFacts): VendorEvent {
  const m: Fields = f.member ?? {};
  return {
    type: 'conference_member_state_change',
    data: present({
      ...memberIds(f),
      state: str(m.state) ?? (ev.type === 'conference_member_joined' ? 'active' : 'completed'),
      active_members: num(f.conference?.active_members),
      mute: Boolean(m.mute),
      application_id: f.applicationId,
    }),
  };
}

/**
 * `collector_state_change`: a digits collector of a call started or completed. The fields are the
 * collector resource's (the event guides list none for it).
 */
export function collectorEvent(ev: SimEvent, f: CallbackFacts): VendorEvent {
  const d = ev.data;
  const col: Fields = f.collector ?? {};
  return {
    type: 'collector_state_change',
    data: present({
      collector_id: str(col.id ?? d.collector_id),
      collector_external_id: str(col.external_id),
      call_id: str(col.call_id ?? d.call_id),
      call_external_id: str(col.call_external_id ?? f.call?.external_id),
      state: str(d.state),
      reason: str(d.reason),
      digits: typeof d.digits === 'string' ? d.digits : '',
      application_id: f.applicationId,
    }),
  };
}

/** The Syniverse event of a simulated event, or null when Syniverse has none. */
export function toSyniverseEvent(ev: SimEvent, f: CallbackFacts): VendorEvent | null {
  switch (ev.type) {
    case 'message_state_change':
      return messageStateChange(ev, f);
    case 'mo_message_received':
      return moMessageReceived(ev, f);
    case 'message_request_state_change':
      return messageRequestStateChange(ev, f);
    case 'call_state_change':
      return callEvent(ev, f);
    case 'playback_started':
    case 'playback_finished':
      return playbackEvent(ev, f);
    case 'conference_member_joined':
    case 'conference_member_left':
      return conferenceMemberEvent(ev, f);
    case 'digits_collector_state_change':
      return collectorEvent(ev, f);
    default:
      return null; // bridge, conference, sender id and keyword events have no ESS event
  }
}

/** A stable ESS-looking event id (22 base64url characters) for a workspace's event. */
export function essEventId(workspaceId: string, eventId: string): string {
  return createHash('sha256').update(`${workspaceId}:${eventId}`).digest('base64url').slice(0, 22);
}

/** The body ESS POSTs for one delivery attempt. */
export function essEnvelope(vendor: VendorEvent, d: { attempt: number; eventId: string; timestamp: string }): Record<string, unknown> {
  return {
    topic: topicOf(vendor.type) ?? 'SCG-Message',
    attempt: d.attempt,
    event: { 'fld-val-list': vendor.data, 'evt-tp': vendor.type, timestamp: d.timestamp },
    event_id: d.eventId,
    'event-id': d.eventId,
  };
}

/** Reads the facts of an event from the workspace (read-only). */
export function factsOf(c: SynCollections, ws: Workspace, ev: SimEvent): CallbackFacts {
  const fx = synFixtures(ws);
  const companyId = typeof fx.companyId === 'number' ? fx.companyId : DEFAULT_COMPANY_ID;
  const f: CallbackFacts = { applicationId: fx.applicationId, companyId };
  const d = ev.data;
  const peek = (coll: { table(ws: Workspace): { peek(id: string): Rec | undefined } }, id: unknown) =>
    id === undefined || id === null ? undefined : coll.table(ws).peek(String(id));
  switch (ev.type) {
    case 'message_state_change':
    case 'mo_message_received': {
      f.message = peek(c.messages, d.message_id);
      f.sender = peek(c.senderIds, f.message?.customer_sender_id ?? d.sender_id);
      f.request = peek(c.messageRequests, f.message?.message_request_id);
      break;
    }
    case 'message_request_state_change':
      f.request = peek(c.messageRequests, d.message_request_id);
      break;
    case 'call_state_change':
      f.call = peek(c.calls, d.call_id);
      break;
    case 'playback_started':
    case 'playback_finished': {
      const target = d.target;
      f.call = peek(c.calls, target);
      f.bridge = f.call ? undefined : peek(c.bridges, target);
      f.member = f.call || f.bridge ? undefined : peek(c.members, target);
      if (f.member) {
        f.conference = peek(c.conferences, f.member.conference_id);
        f.call = peek(c.calls, f.member._call_id);
      }
      break;
    }
    case 'conference_member_joined':
    case 'conference_member_left':
      f.member = peek(c.members, d.member_id);
      f.conference = peek(c.conferences, d.conference_id);
      f.call = peek(c.calls, d.call_id ?? f.member?._call_id);
      break;
    case 'digits_collector_state_change':
      f.collector = peek(c.digitsCollectors, d.collector_id);
      f.call = peek(c.calls, d.call_id);
      break;
  }
  return f;
}

/** The `syniverse` callback format of `ApiModule.callbackFormats`. */
export function syniverseCallbackFormat(c: SynCollections): CallbackFormat {
  return {
    eventTypes: EVENT_TYPES,
    groups: TOPICS,
    render: (ev, ws) => (ev.api === API_ID ? toSyniverseEvent(ev, factsOf(c, ws, ev)) : null),
    deliver: (vendor, { ev, attempt, ws }) => ({ body: essEnvelope(vendor, { attempt, eventId: essEventId(ws.id, ev.id), timestamp: ev.at }) }),
  };
}
