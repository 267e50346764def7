// The messaging simulator: message requests fan out into messages, which move through their
// state machine on the workspace clock (scheduler events), keep their request's counters equal to
// the sum of their states, pay for themselves when SENT, and emit `message_state_change`.
import { parseTimestamp } from '../../core/clock.js';
import { invalid, notFound, SimError, conflictState } from '../../core/errors.js';
import { toStringList } from '../../core/engine/collection.js';
import { displayAmount } from '../../core/money.js';
import type { Rec } from '../../core/store.js';
import { submitVerdict } from './message-flow.js';
import type { Workspace } from '../../core/workspace.js';
import { synFixtures, type SynCollections } from './collections.js';
import {
  COUNTER_FIELDS,
  customerTransitionError,
  deliveryPlanFor,
  EMPTY_TALLY,
  parseFrom,
  REQUEST_FINAL,
  tallyAfter,
  UNSENT,
  type Tally,
} from './message-flow.js';
import { addressKind, countryOf, normalizeMdn } from './numbers.js';
import {
  countSend,
  messagePrice,
  messageTypeFor,
  nextWindowOpening,
  parseDeliveryWindow,
  segmentsOf,
  selectSender,
  throughputSlot,
  type Destination,
  type ThroughputCounter,
} from './senders.js';
import { receiveMo } from './inbound.js';
import { checkTrackingUrls, localInstant, optionalTime, passesValidators, renderBody } from './message-content.js';
import { armDrain, dropFront, enqueue, peekFront, queueKey, queueOf, waiting, type SendQueue } from './send-queue.js';
import { API_ID } from './style.js';

export const EV = {
  dispatch: 'syniverse.message.dispatch',
  release: 'syniverse.message.release',
  receipt: 'syniverse.message.receipt',
  read: 'syniverse.message.read',
  expire: 'syniverse.message.expire',
  pauseExpiry: 'syniverse.request.pause_expiry',
  /** One slot of a (sender, country) send queue (send-queue.ts). */
  drain: 'syniverse.message.drain',
} as const;

/** Seam for the contacts module: resolves contact ids, group ids, criteria and consent. */
export interface RecipientDirectory {
  /** Addresses (with their contact id) for one `to` element, or undefined when it is not a contact/group id. */
  resolve(ws: Workspace, element: string, priority: string[]): Array<{ address: string; contactId?: string }> | undefined;
  /** Contacts matching a criteria expression (400 on a bad expression). */
  criteria(ws: Workspace, expression: string, priority: string[]): Array<{ address: string; contactId?: string }>;
  /** Consent status of (address, sender id): OPTIN | OPTOUT | WHITELIST | BLACKLIST | undefined. */
  consent(ws: Workspace, address: string, senderId: string): string | undefined;
  /** Records a consent change caused by a keyword. */
  setConsent?(ws: Workspace, address: string, senderId: string, status: string, keyword: string, message: string): void;
}

const noDirectory: RecipientDirectory = {
  resolve: () => undefined,
  criteria: () => [],
  consent: () => undefined,
};

interface Recipient {
  address: string;
  contactId?: string;
}

/** Hidden bookkeeping on a message record (never rendered). */
interface MessageRec extends Rec {
  _tally?: Tally;
  _country?: string | null;
  _estimate?: number;
  _segments?: number;
}

/** A validated submission (message request or single message), before anything is stored. */
interface Submission {
  from: string;
  channel?: Rec;
  text: string;
  attachments: string[];
  zone: string;
  pauseExpiry: number | undefined;
  priority: string[];
  recipients: Recipient[];
  testFlag: boolean;
  pause: boolean;
  consentRequirement: string;
  sortCriteria: string[] | null;
  rejectReason: string | undefined;
  plans: Array<Partial<MessageRec>>;
  estimate: number;
}

/** What a new MT message copies from where it comes from (its request, or a single send). */
interface MessageOrigin {
  requestId: string | null;
  external: unknown;
  conversation: unknown;
  campaign: unknown;
  subject: unknown;
  body: string;
  attachments: string[] | null;
  expiry: unknown;
  language: unknown;
  channel: string | null;
  pause: boolean;
  pauseExpiry: unknown;
}

function originOfRequest(req: Rec): MessageOrigin {
  return {
    requestId: String(req.id),
    external: req.external_id ?? null,
    conversation: req.conversation_id ?? null,
    campaign: req.campaign_id ?? null,
    subject: req.subject ?? null,
    body: String(req.body ?? ''),
    attachments: (req.attachments as string[] | null) ?? null,
    expiry: req.expiry_time ?? null,
    language: req.src_language ?? null,
    channel: (req._channel as string | null) ?? null,
    pause: req.pause_before_transmit === true,
    pauseExpiry: req.pause_expiry_time ?? null,
  };
}

export class Messaging {
  directory: RecipientDirectory = noDirectory;

  constructor(private readonly c: SynCollections) {}

  // ---- message requests -------------------------------------------------------------------

  /**
   * What a message request or a single message would send: the validated inputs, the resolved
   * recipients, one plan per recipient, the reason the whole submission is refused (stored
   * REJECTED / FAILED, not an HTTP error) and the estimate the balance must cover (402 otherwise).
   */
  private plan(ws: Workspace, body: Record<string, any>): Submission {
    const fx = synFixtures(ws);
    const now = ws.now();
    const from = String(body.from ?? '').trim();
    if (!from) throw invalid(`body field 'from' is required ("sender_id:<id>" or "channel:<id>")`, { field: 'from', reason: 'missing' });
    const { candidates, channel, direct } = this.candidatesOf(ws, from);
    const attachments = toStringList(body.attachments) ?? [];
    for (const id of attachments) {
      const a = this.c.attachments.lookup(ws, id);
      if (!a) throw invalid(`attachment ${id} does not exist`, { field: 'attachments' });
      if (a.state !== 'UPLOADED') throw invalid(`attachment ${id} has no content (state ${a.state}); upload it first`, { field: 'attachments' });
    }
    const text = renderBody(ws, this.c, body);
    checkTrackingUrls(text);
    const scheduledAt = body.scheduled_delivery_time === undefined || body.scheduled_delivery_time === null ? undefined : body.scheduled_delivery_time;
    const zone = String(body.scheduled_delivery_time_zone ?? 'UTC').toUpperCase();
    optionalTime(body.expiry_time, 'expiry_time');
    const pauseExpiry = optionalTime(body.pause_expiry_time, 'pause_expiry_time');
    if (scheduledAt !== undefined && zone === 'UTC' && optionalTime(scheduledAt, 'scheduled_delivery_time') === undefined) {
      throw invalid(`body field 'scheduled_delivery_time' must be a timestamp`, { field: 'scheduled_delivery_time', reason: 'format' });
    }
    const priority = toStringList(body.contact_delivery_address_priority) ?? ['MDN', 'PUSH'];
    const recipients = this.recipientsOf(ws, body, priority);
    const testFlag = body.test_message_flag === true || body.test_message_flag === 'true';
    const pause = body.pause_before_transmit === true || body.pause_before_transmit === 'true';
    const consentRequirement = String(body.consent_requirement ?? 'NONE').toUpperCase();

    // Reasons that reject the whole request (MR2): it is stored REJECTED, with no messages.
    let rejectReason: string | undefined;
    if (!recipients.length) rejectReason = 'no recipients';
    else if (direct && direct.state !== 'ACTIVE') rejectReason = `sender id ${direct.id} is ${direct.state}, not ACTIVE`;
    else if (pauseExpiry !== undefined && pauseExpiry - now > fx.limits.pauseExpiryMaxHours * 3_600_000) {
      rejectReason = `pause_expiry_time is more than ${fx.limits.pauseExpiryMaxHours} h after creation`;
    } else if (direct && !passesValidators(ws, this.c, direct, text)) rejectReason = `the body matches none of the VALIDATOR templates of sender id ${direct.id}`;

    const classes = [...this.c.senderIdClasses.table(ws).scan()];
    const sortCriteria = toStringList(body.sender_id_sort_criteria);
    const threshold = body.price_threshold === undefined || body.price_threshold === null ? null : Number(body.price_threshold);
    const plans: Array<Partial<MessageRec>> = [];
    if (!rejectReason) {
      for (const r of recipients) plans.push(this.planMessage(ws, r, { candidates, classes, text, attachments, testFlag, pause, scheduledAt, zone, sortCriteria, threshold, consentRequirement, now }));
    }
    // C2: the estimate of what will be sent must be covered by the balance; nothing is created otherwise.
    const estimate = plans.reduce((sum, p) => sum + (UNSENT.has(String(p.state)) ? p._estimate ?? 0 : 0), 0);
    return { from, channel, text, attachments, zone, pauseExpiry, priority, recipients, testFlag, pause, consentRequirement, sortCriteria, rejectReason, plans, estimate };
  }

  private checkCredit(ws: Workspace, sub: Submission): void {
    if (!sub.rejectReason && sub.estimate > 0 && !ws.credit.canAfford(API_ID, sub.estimate)) {
      throw new SimError('payment', `the request would cost about ${displayAmount(sub.estimate)} ${ws.credit.account(API_ID).currency} for ${sub.plans.length} message(s); the balance is ${ws.credit.balance(API_ID)}`);
    }
  }

  /** POST /messaging/message_requests: validates, fans out, prices (402) and queues. */
  createRequest(ws: Workspace, body: Record<string, any>, schema: Record<string, any> | undefined): Rec {
    const sub = this.plan(ws, body);
    if (!sub.rejectReason && sub.plans.every((p) => p.failure_code === 'INVALID_RECIPIENT')) sub.rejectReason = 'no valid recipient';
    this.checkCredit(ws, sub);
    const { from, channel, text, attachments, zone, pauseExpiry, priority, recipients, testFlag, pause, consentRequirement, sortCriteria, rejectReason, plans } = sub;
    const values: Record<string, unknown> = this.c.messageRequests.pick(body, schema);
    const req = this.c.messageRequests.insert(ws, {
      ...values,
      from,
      to: recipients.map((r) => r.contactId ?? r.address),
      body: text,
      attachments: attachments.length ? attachments : null,
      consent_requirement: consentRequirement,
      scheduled_delivery_time_zone: zone,
      test_message_flag: testFlag,
      pause_before_transmit: pause,
      translate: body.translate === true || body.translate === 'true',
      src_language: body.src_language ?? 'en',
      sender_id_sort_criteria: sortCriteria ?? ['DELIVERY_ADDRESS', 'PRICE'],
      contact_delivery_address_priority: priority,
      state: 'SUBMITTED',
      // The seed's spelling and the public description's, always equal.
      'recipient_ count': 0,
      recipient_count: 0,
      sent_count: 0,
      delivered_count: 0,
      read_count: 0,
      converted_count: 0,
      canceled_count: 0,
      failed_count: 0,
      translations_count: 0,
      translations_failed_count: 0,
      translations_performed_count: 0,
      _channel: channel?.id ?? null,
      _unsent: 0,
      _reason: rejectReason ?? null,
    });
    if (rejectReason) {
      this.setRequestState(ws, req, 'REJECTED', { reason: rejectReason });
      return req;
    }
    const origin = originOfRequest(req);
    for (const p of plans) this.insertMessage(ws, origin, p, req);
    if (req.state !== 'SUBMITTED') return req;
    const settled = testFlag || req._unsent === 0 ? 'COMPLETED' : pause ? 'PAUSED' : 'TRANSMITTING';
    this.setRequestState(ws, req, settled);
    if (settled === 'PAUSED' && pauseExpiry !== undefined) ws.schedule(EV.pauseExpiry, pauseExpiry, { request: req.id });
    return req;
  }

  /**
   * POST /messaging/messages ("Send a Message", public description): one message to one
   * recipient, with no message request, through the same planning, pricing and state machine.
   * What would reject a message request gives a FAILED message.
   */
  sendMessage(ws: Workspace, body: Record<string, any>): MessageRec {
    const to = typeof body.to === 'string' ? body.to.trim() : '';
    if (!to) throw invalid(`body field 'to' is required: one recipient address or contact id`, { field: 'to', reason: 'missing' });
    const sub = this.plan(ws, { ...body, to: [to], to_address: undefined, contact_group_id: undefined, criteria: undefined, test_message_flag: false, pause_before_transmit: false, pause_expiry_time: undefined });
    if (sub.recipients.length > 1) throw invalid(`'to' must name one recipient; ${to} resolves to ${sub.recipients.length} addresses (use POST /messaging/message_requests)`, { field: 'to', code: 'SCG_ERROR_40015' });
    if (!sub.recipients.length) throw invalid(`'to' (${to}) has no address to send to`, { field: 'to' });
    this.checkCredit(ws, sub);
    const expiry = optionalTime(body.expiry_time, 'expiry_time');
    const origin: MessageOrigin = {
      requestId: null,
      external: body.external_id ?? null,
      conversation: body.conversation_id ?? null,
      campaign: body.campaign_id ?? null,
      subject: body.subject ?? null,
      body: sub.text,
      attachments: sub.attachments.length ? sub.attachments : null,
      expiry: expiry === undefined ? null : new Date(expiry).toISOString(),
      language: body.src_language ?? null,
      channel: sub.channel?.id === undefined ? null : String(sub.channel.id),
      pause: false,
      pauseExpiry: null,
    };
    const plan: Partial<MessageRec> = sub.rejectReason
      ? { to_address: normalizeMdn(sub.recipients[0].address) ?? sub.recipients[0].address, 'contact-id': sub.recipients[0].contactId ?? null, type: 'SMS', state: 'FAILED', failure_code: 'OTHER', failure_details: sub.rejectReason, _estimate: 0 }
      : sub.plans[0];
    return this.insertMessage(ws, origin, plan);
  }

  private candidatesOf(ws: Workspace, from: string): { candidates: Rec[]; channel?: Rec; direct?: Rec } {
    const f = parseFrom(from);
    if (f.kind !== 'channel') {
      const s = this.c.senderIds.lookup(ws, f.id);
      if (s) return { candidates: [s], direct: s };
      if (f.kind === 'sender_id') throw invalid(`invalid from: sender id ${f.id} does not exist`, { field: 'from', code: 'SCG_ERROR_40018' });
    }
    const ch = this.c.channels.lookup(ws, f.id);
    if (!ch) throw invalid(`invalid from: ${f.kind === 'channel' ? 'channel' : 'sender id or channel'} ${f.id} does not exist`, { field: 'from', code: 'SCG_ERROR_40018' });
    const ids = (ch._sender_ids as string[] | undefined) ?? [];
    return { candidates: ids.map((id) => this.c.senderIds.lookup(ws, id)).filter((s): s is Rec => Boolean(s)), channel: ch };
  }

  private recipientsOf(ws: Workspace, body: Record<string, any>, priority: string[]): Recipient[] {
    const elements = [...(toStringList(body.to) ?? []), ...(toStringList(body.to_address) ?? []), ...(toStringList(body.contact_group_id) ?? [])];
    const out: Recipient[] = [];
    const seen = new Set<string>();
    const add = (r: Recipient) => {
      const key = normalizeMdn(r.address) ?? r.address.toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      out.push(r);
    };
    for (const el of elements) {
      const resolved = this.directory.resolve(ws, el, priority);
      if (resolved) resolved.forEach(add);
      else add({ address: el });
    }
    if (body.criteria) this.directory.criteria(ws, String(body.criteria), priority).forEach(add);
    return out;
  }

  private planMessage(
    ws: Workspace,
    r: Recipient,
    o: {
      candidates: Rec[];
      classes: Rec[];
      text: string;
      attachments: string[];
      testFlag: boolean;
      pause: boolean;
      scheduledAt: unknown;
      zone: string;
      sortCriteria: string[] | null;
      threshold: number | null;
      consentRequirement: string;
      now: number;
    },
  ): Partial<MessageRec> {
    const fx = synFixtures(ws);
    const kind = addressKind(r.address);
    const address = kind === 'MDN' ? normalizeMdn(r.address)! : r.address;
    const base: Partial<MessageRec> = { to_address: address, 'contact-id': r.contactId ?? null, _estimate: 0 };
    if (!kind) return { ...base, type: 'SMS', state: 'FAILED', failure_code: 'INVALID_RECIPIENT', failure_details: `'${r.address}' is not a phone number, email address or push token` };
    // Scenario hook `message-submit`, then test number 999004 (core/outcomes.ts precedence).
    const verdict = submitVerdict(ws, API_ID, address, { body: o.text });
    if (verdict.reject) return { ...base, type: 'SMS', state: 'FAILED', failure_code: verdict.code, failure_details: verdict.details };
    const dest: Destination = { address, kind, country: kind === 'MDN' ? countryOf(address, fx.countries) : undefined };
    const type = messageTypeFor(kind, o.attachments.length > 0);
    const pick = selectSender(o.candidates, type, dest, o.text, { classes: o.classes, prices: fx.prices, priceThreshold: o.threshold, sort: o.sortCriteria });
    const msg: Partial<MessageRec> = { ...base, type, _country: dest.country ?? null };
    if (!pick.sender) return { ...msg, state: 'FAILED', failure_code: 'OTHER', failure_details: pick.reason ?? 'no eligible sender id' };
    const sender = pick.sender;
    Object.assign(msg, { customer_sender_id: sender.id, from_address: sender.address ?? null });
    const consent = this.directory.consent(ws, address, String(sender.id));
    if (o.consentRequirement === 'OPT_IN' && consent !== 'OPTIN' && consent !== 'WHITELIST') {
      return { ...msg, state: 'FAILED', failure_code: 'NO_CONSENT', failure_details: `no opt-in for ${address} on sender id ${sender.id}` };
    }
    if (o.consentRequirement === 'OPT_OUT' && (consent === 'OPTOUT' || consent === 'BLACKLIST')) {
      return { ...msg, state: 'FAILED', failure_code: 'NO_CONSENT', failure_details: `${address} opted out of sender id ${sender.id}` };
    }
    if (sender.check_white_list === true && consent !== 'WHITELIST') {
      return { ...msg, state: 'FAILED', failure_code: 'NO_CONSENT', failure_details: `${address} is not whitelisted for sender id ${sender.id}` };
    }
    msg._estimate = messagePrice(fx.prices, type, dest.country, o.text);
    msg._segments = segmentsOf(type, o.text);
    if (o.testFlag) return { ...msg, state: 'TEST', _estimate: 0 };
    let scheduled: number | undefined;
    if (o.scheduledAt !== undefined) {
      scheduled = o.zone === 'LOCAL' ? localInstant(o.scheduledAt, dest.country ? fx.countries[dest.country]?.timezone : undefined) : parseTimestamp(o.scheduledAt);
      if (scheduled !== undefined) msg.scheduled_delivery_time = new Date(scheduled).toISOString();
    }
    if (o.pause) return { ...msg, state: 'PAUSED' };
    if (scheduled !== undefined && scheduled > o.now) return { ...msg, state: 'SCHEDULED' };
    return { ...msg, state: 'CREATED' };
  }

  private insertMessage(ws: Workspace, o: MessageOrigin, plan: Partial<MessageRec>, req?: Rec): MessageRec {
    const state = String(plan.state);
    const msg = this.c.messages.insert(ws, {
      ...plan,
      direction: 'MT',
      message_request_id: o.requestId,
      external_message_request_id: o.external,
      conversation_id: o.conversation,
      campaign_id: o.campaign,
      subject: o.subject,
      body: o.body,
      attachments: o.attachments,
      expiry_time: o.expiry,
      price: 0,
      language: o.language,
      _tally: EMPTY_TALLY,
      // What the list filters of the public description read (`from=channel:<id>`, ...).
      _channel: o.channel,
      _pause_before_transmit: o.pause,
      _pause_expiry_time: o.pauseExpiry,
    }) as MessageRec;
    if (req) this.adjustRequest(ws, req, EMPTY_TALLY, tallyAfter(EMPTY_TALLY, state), { recipients: 1, unsent: UNSENT.has(state) ? 1 : 0 });
    msg._tally = tallyAfter(EMPTY_TALLY, state);
    this.emitState(ws, msg, null);
    this.queue(ws, msg);
    return msg;
  }

  /** Schedules what happens next to a message in its current state. */
  private queue(ws: Workspace, msg: MessageRec): void {
    const fx = synFixtures(ws);
    if (msg.state === 'CREATED') ws.schedule(EV.dispatch, ws.now() + fx.timings.sentAfterMs, { message: msg.id });
    if (msg.state === 'SCHEDULED') ws.schedule(EV.release, parseTimestamp(msg.scheduled_delivery_time) ?? ws.now(), { message: msg.id });
    if ((msg.state === 'CREATED' || msg.state === 'SCHEDULED') && msg.expiry_time) {
      ws.schedule(EV.expire, parseTimestamp(msg.expiry_time)!, { message: msg.id, unsentOnly: true });
    }
  }

  // ---- transitions ------------------------------------------------------------------------

  /** Moves a message to `state`, bumps it, keeps its request's counters and emits the event. */
  transition(ws: Workspace, msg: MessageRec, state: string, patch: Record<string, unknown> = {}): void {
    const prev = String(msg.state);
    const before = msg._tally ?? EMPTY_TALLY;
    const after = tallyAfter(before, state);
    Object.assign(msg, patch, { state });
    msg._tally = after;
    this.c.messages.bump(ws, msg);
    const req = msg.message_request_id ? this.c.messageRequests.table(ws).get(String(msg.message_request_id)) : undefined;
    if (req) {
      const unsent = (UNSENT.has(state) ? 1 : 0) - (UNSENT.has(prev) ? 1 : 0);
      this.adjustRequest(ws, req, before, after, { unsent });
      if (req.state === 'TRANSMITTING' && req._unsent === 0) this.setRequestState(ws, req, 'COMPLETED');
    }
    this.emitState(ws, msg, prev);
  }

  private adjustRequest(ws: Workspace, req: Rec, before: Tally, after: Tally, extra: { recipients?: number; unsent?: number }): void {
    let changed = false;
    for (const [flag, field] of Object.entries(COUNTER_FIELDS) as Array<[keyof Tally, string]>) {
      const d = Number(after[flag]) - Number(before[flag]);
      if (d) {
        req[field] = Number(req[field] ?? 0) + d;
        changed = true;
      }
    }
    if (extra.recipients) {
      req['recipient_ count'] = Number(req['recipient_ count'] ?? 0) + extra.recipients;
      req.recipient_count = req['recipient_ count'];
      changed = true;
    }
    if (extra.unsent) req._unsent = Number(req._unsent ?? 0) + extra.unsent;
    if (changed) this.c.messageRequests.bump(ws, req);
    else if (extra.unsent) this.c.messageRequests.table(ws).touch(req);
  }

  private setRequestState(ws: Workspace, req: Rec, state: string, extra: Record<string, unknown> = {}): void {
    const prev = req.state;
    req.state = state;
    this.c.messageRequests.bump(ws, req);
    ws.emit(API_ID, 'message_request_state_change', { message_request_id: req.id, state, previous_state: prev, ...extra });
  }

  private emitState(ws: Workspace, msg: MessageRec, prev: string | null): void {
    ws.emit(API_ID, 'message_state_change', {
      message_id: msg.id,
      message_request_id: msg.message_request_id ?? null,
      direction: msg.direction,
      state: msg.state,
      previous_state: prev,
      from_address: msg.from_address ?? null,
      to_address: msg.to_address ?? null,
      failure_code: msg.failure_code ?? null,
      failure_details: msg.failure_details ?? null,
      version_number: msg.version_number,
    });
  }

  private message(ws: Workspace, data: Record<string, unknown>): MessageRec | undefined {
    return this.c.messages.table(ws).get(String(data.message)) as MessageRec | undefined;
  }

  /** Scheduler handlers. */
  eventHandlers(): Record<string, (ws: Workspace, data: Record<string, unknown>) => void> {
    return {
      [EV.release]: (ws, data) => {
        const msg = this.message(ws, data);
        if (!msg || msg.state !== 'SCHEDULED') return;
        this.transition(ws, msg, 'CREATED');
        ws.schedule(EV.dispatch, ws.now() + synFixtures(ws).timings.sentAfterMs, { message: msg.id });
      },
      [EV.dispatch]: (ws, data) => {
        const msg = this.message(ws, data);
        if (msg && msg.state === 'CREATED') this.dispatch(ws, msg);
      },
      [EV.drain]: (ws, data) => this.drain(ws, String(data.queue)),
      [EV.receipt]: (ws, data) => {
        const msg = this.message(ws, data);
        if (!msg || msg.state !== 'SENT') return;
        if (data.outcome === 'fail') this.transition(ws, msg, 'FAILED', { failure_code: 'OTHER', failure_details: String(data.details ?? 'Undeliverable') });
        else {
          this.transition(ws, msg, 'DELIVERED', { delivered_date: ws.nowIso() });
          if (typeof data.readAfterMs === 'number') ws.schedule(EV.read, ws.now() + data.readAfterMs, { message: msg.id });
        }
      },
      [EV.read]: (ws, data) => {
        const msg = this.message(ws, data);
        if (msg && msg.state === 'DELIVERED') this.transition(ws, msg, 'READ');
      },
      [EV.expire]: (ws, data) => {
        const msg = this.message(ws, data);
        if (!msg) return;
        const ok = data.unsentOnly ? msg.state === 'CREATED' || msg.state === 'SCHEDULED' : msg.state === 'SENT';
        if (ok) this.transition(ws, msg, 'EXPIRED', { failure_details: data.unsentOnly ? 'message was too old to be sent (expiry_time passed)' : 'no delivery receipt within the validity period' });
      },
      [EV.pauseExpiry]: (ws, data) => {
        const req = this.c.messageRequests.table(ws).get(String(data.request));
        if (!req || req.state !== 'PAUSED') return;
        for (const m of this.messagesOf(ws, req.id)) if (m.state === 'PAUSED') this.transition(ws, m, 'EXPIRED', { failure_details: 'pause_expiry_time passed while the request was paused' });
        if (req.state === 'PAUSED') this.setRequestState(ws, req, 'COMPLETED');
      },
    };
  }

  /**
   * CREATED -> SENT when throughput, delivery window and credit allow. A message that must wait
   * (or that finds others waiting before it) joins its (sender, country) queue, drained in order
   * by one event per slot (send-queue.ts).
   */
  private dispatch(ws: Workspace, msg: MessageRec): void {
    if (this.expiredBeforeSending(ws, msg)) return;
    const gate = this.gateOf(ws, msg);
    if (gate) {
      const q = queueOf(ws, gate.key);
      if (waiting(q) > 0) {
        enqueue(ws, q, String(msg.id));
        armDrain(ws, q, EV.drain, ws.now());
        return;
      }
      const at = this.slotFor(ws, msg, q, gate.cls);
      if (at === undefined) return;
      if (at > ws.now()) {
        enqueue(ws, q, String(msg.id));
        armDrain(ws, q, EV.drain, at);
        return;
      }
      countSend(q, ws.now());
      ws.table<ThroughputCounter>(API_ID, '_throughput').touch(q);
    }
    this.send(ws, msg);
  }

  /** One drain slot: sends from the front of the queue what the limits allow, then re-arms. */
  private drain(ws: Workspace, key: string): void {
    const q = ws.table<SendQueue>(API_ID, '_throughput').get(key);
    if (!q) return;
    q.drainAt = null;
    ws.table<SendQueue>(API_ID, '_throughput').touch(q);
    for (;;) {
      const id = peekFront(ws, q);
      if (id === undefined) return;
      const msg = this.c.messages.table(ws).get(id) as MessageRec | undefined;
      // Canceled, converted, expired or deleted while waiting: it leaves the queue unsent.
      if (!msg || msg.state !== 'CREATED' || this.expiredBeforeSending(ws, msg)) {
        dropFront(ws, q);
        continue;
      }
      const gate = this.gateOf(ws, msg);
      if (gate) {
        const at = this.slotFor(ws, msg, q, gate.cls);
        if (at === undefined) {
          dropFront(ws, q);
          continue;
        }
        if (at > ws.now()) {
          armDrain(ws, q, EV.drain, at);
          return;
        }
        countSend(q, ws.now());
      }
      dropFront(ws, q);
      this.send(ws, msg);
    }
  }

  private expiredBeforeSending(ws: Workspace, msg: MessageRec): boolean {
    const expiry = msg.expiry_time ? parseTimestamp(msg.expiry_time) : undefined;
    if (expiry === undefined || expiry > ws.now()) return false;
    this.transition(ws, msg, 'EXPIRED', { failure_details: 'message was too old to be sent (expiry_time passed)' });
    return true;
  }

  /** The sender class whose limits apply to the message, and its queue key (none: no limits). */
  private gateOf(ws: Workspace, msg: MessageRec): { key: string; cls: Rec } | undefined {
    if (!synFixtures(ws).throttling.enabled) return undefined;
    const sender = msg.customer_sender_id ? this.c.senderIds.table(ws).peek(String(msg.customer_sender_id)) : undefined;
    const cls = sender?.class_id ? this.c.senderIdClasses.table(ws).peek(String(sender.class_id)) : undefined;
    if (!sender || !cls) return undefined;
    return { key: queueKey(String(sender.id), msg._country ?? undefined), cls };
  }

  /**
   * The first instant the message may leave: the delivery window's opening and the first free
   * throughput slot. Undefined (and the message FAILED) when the window never opens.
   */
  private slotFor(ws: Workspace, msg: MessageRec, q: SendQueue, cls: Rec): number | undefined {
    const fx = synFixtures(ws);
    const now = ws.now();
    const country = msg._country ?? undefined;
    const tz = (country && fx.countries[country]?.timezone) || 'UTC';
    const open = nextWindowOpening(parseDeliveryWindow(cls.delivery_window), country, tz, now);
    if (open === undefined) {
      this.transition(ws, msg, 'FAILED', { failure_code: 'OTHER', failure_details: `the delivery window of sender class ${cls.id} never opens` });
      return undefined;
    }
    if (open > now) return open;
    return throughputSlot(q, cls, now);
  }

  /** Charges the message and hands it to the carrier: SENT, then its delivery outcome. */
  private send(ws: Workspace, msg: MessageRec): void {
    const fx = synFixtures(ws);
    const now = ws.now();
    const expiry = msg.expiry_time ? parseTimestamp(msg.expiry_time) : undefined;
    const price = msg._estimate ?? 0;
    if (price > 0 && !ws.credit.charge(API_ID, price, `message ${msg.id} to ${msg.to_address}`, String(msg.id))) {
      this.transition(ws, msg, 'FAILED', { failure_code: 'OTHER', failure_details: 'Insufficient credit: the account balance cannot pay for this message' });
      return;
    }
    // One carrier transaction id per SMS segment (M4).
    const txIds = Array.from({ length: msg._segments ?? 1 }, () => ws.rng.hex(16));
    this.transition(ws, msg, 'SENT', { sent_date: ws.nowIso(), price, external_transaction_ids: txIds.join(',') });
    const plan = deliveryPlanFor(ws, API_ID, { to_address: String(msg.to_address), type: String(msg.type), body: String(msg.body ?? '') }, fx.timings);
    if (plan.kind === 'expire') {
      const at = Math.max(now + fx.timings.validityMs, 0);
      ws.schedule(EV.expire, expiry !== undefined && expiry > now ? Math.min(expiry, at) : at, { message: msg.id });
    } else if (plan.kind === 'fail') ws.schedule(EV.receipt, now + plan.afterMs, { message: msg.id, outcome: 'fail', details: plan.details });
    else ws.schedule(EV.receipt, now + plan.afterMs, { message: msg.id, outcome: 'deliver', readAfterMs: plan.readAfterMs });
  }

  messagesOf(ws: Workspace, requestId: unknown): MessageRec[] {
    return this.c.messages.table(ws).where('message_request_id', requestId) as MessageRec[];
  }

  /** POST /messaging/message_requests/{id} {state: CANCELED | TRANSMITTING}. */
  updateRequestState(ws: Workspace, id: string, body: Record<string, any> | undefined): Rec {
    const req = this.c.messageRequests.get(ws, id);
    this.c.messageRequests.checkVersion(req, body);
    const target = body?.state === undefined || body.state === null ? undefined : String(body.state).toUpperCase();
    if (!target) return req; // the request is immutable once submitted; other attributes are ignored
    if (target === 'CANCELED') this.cancelRequest(ws, req);
    else if (target === 'TRANSMITTING') this.resumeRequest(ws, req);
    else throw invalid(`state ${target} cannot be requested; use CANCELED or TRANSMITTING`, { field: 'state' });
    return req;
  }

  private cancelRequest(ws: Workspace, req: Rec): void {
    if (req.state === 'CANCELED') return;
    if (REQUEST_FINAL.has(String(req.state))) throw conflictState(`message request ${req.id} is ${req.state} and can no longer be canceled`);
    for (const m of this.messagesOf(ws, req.id)) if (UNSENT.has(String(m.state))) this.transition(ws, m, 'CANCELED');
    this.setRequestState(ws, req, 'CANCELED');
  }

  private resumeRequest(ws: Workspace, req: Rec): void {
    if (req.state !== 'PAUSED') throw conflictState(`message request ${req.id} is ${req.state}; only a PAUSED request can be resumed`);
    const paused = this.messagesOf(ws, req.id).filter((m) => m.state === 'PAUSED');
    const estimate = paused.reduce((s, m) => s + (m._estimate ?? 0), 0);
    if (estimate > 0 && !ws.credit.canAfford(API_ID, estimate)) {
      throw new SimError('payment', `resuming would cost about ${displayAmount(estimate)}; the balance is ${ws.credit.balance(API_ID)}`);
    }
    this.setRequestState(ws, req, 'TRANSMITTING');
    const now = ws.now();
    for (const m of paused) {
      const at = m.scheduled_delivery_time ? parseTimestamp(m.scheduled_delivery_time) : undefined;
      this.transition(ws, m, at !== undefined && at > now ? 'SCHEDULED' : 'CREATED');
      this.queue(ws, m);
    }
    if ((req.state as string) === 'TRANSMITTING' && req._unsent === 0) this.setRequestState(ws, req, 'COMPLETED');
  }

  /**
   * DELETE /messaging/message_requests/scheduled/{id} (public description): cancels a request
   * while one of its messages still waits for its scheduled time; afterwards 404.
   */
  cancelScheduledRequest(ws: Workspace, id: string): Rec {
    const req = this.c.messageRequests.get(ws, id);
    if (!req.scheduled_delivery_time) throw notFound(`message request ${id} is not a scheduled message request (it has no scheduled_delivery_time)`);
    const now = ws.now();
    if (!this.messagesOf(ws, req.id).some((m) => waitsForItsTime(m, now))) {
      throw notFound(`message request ${id} is no longer scheduled: no message waits for its scheduled_delivery_time (${req.scheduled_delivery_time}) any more (request ${req.state})`);
    }
    this.cancelRequest(ws, req);
    return req;
  }

  /** DELETE /messaging/messages/scheduled/{id} (public description): one message before its time. */
  cancelScheduledMessage(ws: Workspace, id: string): MessageRec {
    const msg = this.c.messages.get(ws, id) as MessageRec;
    if (msg.direction !== 'MT' || !msg.scheduled_delivery_time) throw notFound(`message ${id} is not a scheduled message (it has no scheduled_delivery_time)`);
    if (!waitsForItsTime(msg, ws.now())) {
      throw notFound(`message ${id} is no longer scheduled: its scheduled_delivery_time ${msg.scheduled_delivery_time} has passed (state ${msg.state})`);
    }
    this.transition(ws, msg, 'CANCELED');
    return msg;
  }

  /** DELETE: cancels what is not sent, then the request is gone for the client (404). */
  deleteRequest(ws: Workspace, id: string): Rec {
    const req = this.c.messageRequests.get(ws, id);
    if (!REQUEST_FINAL.has(String(req.state))) this.cancelRequest(ws, req);
    this.setRequestState(ws, req, 'DELETED');
    return req;
  }

  // ---- messages ---------------------------------------------------------------------------

  /** POST /messaging/messages/{id} {state, converted_date?, conversion_info_source?}. */
  updateMessageState(ws: Workspace, id: string, body: Record<string, any>): MessageRec {
    const msg = this.c.messages.get(ws, id) as MessageRec;
    this.c.messages.checkVersion(msg, body);
    const target = String(body.state).toUpperCase();
    const why = customerTransitionError(String(msg.direction), String(msg.state), target);
    if (why) throw conflictState(`message ${id}: ${why}`);
    if (target === msg.state) return msg;
    const patch: Record<string, unknown> = {};
    if (target === 'CONVERTED') {
      const at = body.converted_date === undefined || body.converted_date === null ? ws.now() : parseTimestamp(body.converted_date);
      if (at === undefined) throw invalid(`body field 'converted_date' must be a timestamp`, { field: 'converted_date', reason: 'format' });
      patch.converted_date = new Date(at).toISOString();
      patch.conversion_info_source = body.conversion_info_source ?? 'CUSTOMER';
    }
    this.transition(ws, msg, target, patch);
    return msg;
  }

  deleteMessage(ws: Workspace, id: string): MessageRec {
    const msg = this.c.messages.get(ws, id) as MessageRec;
    if (msg.state !== 'DELETED') this.transition(ws, msg, 'DELETED');
    return msg;
  }


  // ---- inbound (MO) -----------------------------------------------------------------------

  /** An end user's reply `{from, to, body}` to one of the workspace's sender addresses (inbound.ts). */
  receiveMo(ws: Workspace, input: Record<string, unknown>): MessageRec {
    return receiveMo(ws, this.c, this.directory, input, (from: string, to: string, text: string) => {
      const req = this.createRequest(ws, { from, to: [to], body: text }, undefined);
      return this.messagesOf(ws, req.id);
    }) as MessageRec;
  }
}

/** Not sent yet and held until its scheduled_delivery_time. */
function waitsForItsTime(m: Rec, now: number): boolean {
  if (m.state === 'SCHEDULED') return true;
  const at = m.scheduled_delivery_time ? parseTimestamp(m.scheduled_delivery_time) : undefined;
  return m.state === 'PAUSED' && at !== undefined && at > now;
}
