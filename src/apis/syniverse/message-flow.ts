// The SCG message state machines as plain rules: which states a client may set, what a
// message contributes to its request's counters, and the delivery outcome of a destination.
import { decide, decideOutcome, type OutcomeCases } from '../../core/outcomes.js';
import type { Workspace } from '../../core/workspace.js';

export type MessageState =
  | 'CREATED'
  | 'SCHEDULED'
  | 'PAUSED'
  | 'TEST'
  | 'SENT'
  | 'DELIVERED'
  | 'READ'
  | 'CONVERTED'
  | 'FAILED'
  | 'EXPIRED'
  | 'CANCELED'
  | 'DELETED'
  | 'RECEIVED'
  | 'PROCESSED';

export type RequestState =
  | 'SUBMITTED'
  | 'ACCEPTED'
  | 'REJECTED'
  | 'PREPARING'
  | 'TRANSMITTING'
  | 'COMPLETED'
  | 'PAUSED'
  | 'CANCELED'
  | 'DELETED';

/** Not yet handed to the carrier: a cancel, pause expiry or expiry_time still applies. */
export const UNSENT: ReadonlySet<string> = new Set(['CREATED', 'SCHEDULED', 'PAUSED']);

/** Request states in which nothing more will be submitted. */
export const REQUEST_FINAL: ReadonlySet<string> = new Set(['COMPLETED', 'REJECTED', 'CANCELED', 'DELETED']);

/**
 * Transitions a client may ask for with POST /messaging/messages/{id} {state} (seed L8989):
 * any -> DELETED; RECEIVED -> PROCESSED (MO only); CONVERTED from the MT states that can still
 * convert. Returns why not, or undefined when allowed.
 */
export function customerTransitionError(direction: string, from: string, to: string): string | undefined {
  if (from === to && to !== 'PROCESSED') return undefined;
  if (to === 'DELETED') return undefined;
  if (from === 'DELETED') return `the message is DELETED`;
  if (to === 'PROCESSED') {
    if (direction !== 'MO') return 'only inbound (MO) messages can be set to PROCESSED';
    return from === 'RECEIVED' ? undefined : `an MO message in state ${from} cannot become PROCESSED (only RECEIVED can)`;
  }
  if (to === 'CONVERTED') {
    if (direction !== 'MT') return 'only outbound (MT) messages can be set to CONVERTED';
    return ['CREATED', 'SENT', 'DELIVERED', 'READ', 'CANCELED', 'SCHEDULED', 'PAUSED'].includes(from)
      ? undefined
      : `a message in state ${from} cannot become CONVERTED`;
  }
  return `state ${to} cannot be set by the client`;
}

/**
 * Monotonic counter flags of a message: once SENT it counts as sent forever (a READ message is
 * also delivered and sent); failed covers FAILED and EXPIRED. The request's counters are the sums.
 */
export interface Tally {
  sent: boolean;
  delivered: boolean;
  read: boolean;
  converted: boolean;
  canceled: boolean;
  failed: boolean;
}

export const COUNTER_FIELDS: Record<keyof Tally, string> = {
  sent: 'sent_count',
  delivered: 'delivered_count',
  read: 'read_count',
  converted: 'converted_count',
  canceled: 'canceled_count',
  failed: 'failed_count',
};

/** The flags a message has after entering `state` (given the flags it had). */
export function tallyAfter(prev: Tally, state: string): Tally {
  const t = { ...prev };
  if (state === 'SENT') t.sent = true;
  if (state === 'DELIVERED') t.sent = t.delivered = true;
  if (state === 'READ') t.sent = t.delivered = t.read = true;
  if (state === 'CONVERTED') t.converted = true;
  if (state === 'CANCELED') t.canceled = true;
  if (state === 'FAILED' || state === 'EXPIRED') t.failed = true;
  return t;
}

export const EMPTY_TALLY: Tally = { sent: false, delivered: false, read: false, converted: false, canceled: false, failed: false };

/** What happens to a message after it is SENT. */
export type DeliveryPlan =
  | { kind: 'deliver'; afterMs: number; readAfterMs?: number }
  | { kind: 'fail'; afterMs: number; details: string }
  | { kind: 'expire' };

export interface DeliveryTimings {
  deliveredAfterMs: number;
  readAfterMs: number;
  carrierTimeoutMs: number;
}

/**
 * The carrier's answer for a destination (FIDELITY.md test numbers): 999001 undeliverable,
 * 999002 no receipt (expires), 999003 delivered then read, 999005 carrier timeout; a scenario
 * outcome ({state: DELIVERED|FAILED|EXPIRED|READ, afterMs?, details?}) overrides it.
 */
export function deliveryPlan(address: string, t: DeliveryTimings, forced?: Record<string, unknown>): DeliveryPlan {
  return decideOutcome<DeliveryPlan>(address, forced, deliveryCases(t));
}

/** The carrier's answer for a SENT message: the scenario hook `message` first (core/outcomes.ts), then the test numbers, then delivered. */
export function deliveryPlanFor(ws: Workspace, api: string, msg: { to_address: string; type: string; body: string }, t: DeliveryTimings): DeliveryPlan {
  return decide<DeliveryPlan>(ws, { on: 'message', api, facts: msg }, msg.to_address, deliveryCases(t));
}

function deliveryCases(t: DeliveryTimings): OutcomeCases<DeliveryPlan> {
  return {
    scenario(f) {
      if (typeof f.state !== 'string') return undefined;
      const afterMs = typeof f.afterMs === 'number' ? f.afterMs : t.deliveredAfterMs;
      switch (f.state.toUpperCase()) {
        case 'FAILED':
          return { kind: 'fail', afterMs, details: String(f.details ?? 'Undeliverable (scenario)') };
        case 'EXPIRED':
          return { kind: 'expire' };
        case 'READ':
          return { kind: 'deliver', afterMs, readAfterMs: typeof f.readAfterMs === 'number' ? f.readAfterMs : t.readAfterMs };
        case 'DELIVERED':
          return { kind: 'deliver', afterMs };
      }
      return undefined;
    },
    testNumber(outcome) {
      switch (outcome) {
        case 'fail':
          return { kind: 'fail', afterMs: t.deliveredAfterMs, details: 'Undeliverable: the carrier rejected the message (test number 999001)' };
        case 'expire':
          return { kind: 'expire' };
        case 'read':
          return { kind: 'deliver', afterMs: t.deliveredAfterMs, readAfterMs: t.readAfterMs };
        case 'timeout':
          return { kind: 'fail', afterMs: t.carrierTimeoutMs, details: 'Carrier timeout: no delivery receipt (test number 999005)' };
        default:
          // 999004 is refused at submit (messaging.ts); should one get here, it is delivered.
          return { kind: 'deliver', afterMs: t.deliveredAfterMs };
      }
    },
    otherwise: () => ({ kind: 'deliver', afterMs: t.deliveredAfterMs }),
  };
}

/** Submit-time verdict on one recipient: accepted, or refused as an invalid recipient. */
export type SubmitVerdict = { reject: false } | { reject: true; code: string; details: string };

/**
 * Whether the network accepts a recipient at submit (scenario hook `message-submit`: outcome
 * `{state: REJECTED|FAILED, failure_code?, details?}` refuses it, `{state: ACCEPTED}` accepts
 * it; else 999004 is refused as an invalid recipient; else accepted).
 */
export function submitVerdict(ws: Workspace, api: string, address: string, facts: { type?: string; body?: string }): SubmitVerdict {
  return decide<SubmitVerdict>(ws, { on: 'message-submit', api, facts: { to_address: address, ...facts } }, address, {
    scenario(f) {
      const state = typeof f.state === 'string' ? f.state.toUpperCase() : undefined;
      if (state === 'ACCEPTED') return { reject: false };
      if (state === 'REJECTED' || state === 'FAILED') {
        // The spec's failure codes; another value becomes OTHER (its text stays in the details).
        const code = ['INVALID_RECIPIENT', 'NO_CONSENT', 'OTHER'].includes(String(f.failure_code)) ? String(f.failure_code) : f.failure_code === undefined ? 'INVALID_RECIPIENT' : 'OTHER';
        return { reject: true, code, details: String(f.details ?? 'Invalid recipient (scenario)') };
      }
      return undefined;
    },
    testNumber: (o) => (o === 'reject' ? { reject: true, code: 'INVALID_RECIPIENT', details: 'Invalid recipient (test number 999004)' } : { reject: false }),
    otherwise: () => ({ reject: false }),
  });
}

/** `from` of a message request: `sender_id:<id>`, `sender_id-<id>`, `channel:<id>`, `channel-<id>` or a bare id. */
export function parseFrom(from: string): { kind: 'sender_id' | 'channel' | 'any'; id: string } {
  const m = /^(sender_id|channel)[:-](.+)$/i.exec(from.trim());
  if (m) return { kind: m[1].toLowerCase() as 'sender_id' | 'channel', id: m[2].trim() };
  return { kind: 'any', id: from.trim() };
}
