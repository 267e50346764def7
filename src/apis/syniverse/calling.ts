// The calling simulator: calls ring, are answered (or rejected), billed per started minute and
// hang up on the workspace clock; bridges join two calls; conferences gather members. Every
// transition bumps the record and emits `call_state_change` / `bridge_state_change` /
// `conference_state_change`.
import { parseTimestamp } from '../../core/clock.js';
import { conflictState, invalid, SimError } from '../../core/errors.js';
import { toStringList } from '../../core/engine/collection.js';
import { roundAmount } from '../../core/money.js';
import { decide, decideOutcome, type OutcomeCases } from '../../core/outcomes.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { synFixtures, type SynCollections } from './collections.js';
import { countryOf, normalizeMdn } from './numbers.js';
import { unitPrice } from './senders.js';
import { DigitsCollectors } from './digits-collectors.js';
import { API_ID } from './style.js';

export const CALL_EV = {
  answer: 'syniverse.call.answer',
  reject: 'syniverse.call.reject',
  hangup: 'syniverse.call.hangup',
  minute: 'syniverse.call.minute',
  playbackEnd: 'syniverse.playback.end',
} as const;

const LIVE_BRIDGE = new Set(['CREATED', 'ACTIVE', 'HOLD']);
const MINUTE = 60_000;

export type CallPlan =
  | { kind: 'answer'; afterMs: number; hangupAfterMs?: number }
  | { kind: 'reject'; afterMs: number; code: string; details: number };

/** What the far end does with an outgoing call (FIDELITY.md test numbers; a scenario may force it). */
export function callPlan(to: string, answerTimeout: number, answerMs: number, forced?: Record<string, unknown>): CallPlan {
  return decideOutcome<CallPlan>(to, forced, callCases(answerTimeout, answerMs));
}

function callCases(answerTimeout: number, answerMs: number): OutcomeCases<CallPlan> {
  return {
    scenario(f) {
      if (typeof f.state !== 'string') return undefined;
      if (f.state.toUpperCase() === 'REJECTED') {
        return { kind: 'reject', afterMs: Number(f.afterMs ?? 0), code: String(f.failure_code ?? 'BUSY'), details: Number(f.failure_details ?? 486) };
      }
      return { kind: 'answer', afterMs: Number(f.afterMs ?? answerMs), hangupAfterMs: typeof f.hangupAfterMs === 'number' ? f.hangupAfterMs : undefined };
    },
    testNumber(outcome) {
      switch (outcome) {
        case 'fail':
          return { kind: 'reject', afterMs: 0, code: 'BUSY', details: 486 };
        case 'expire':
          return { kind: 'reject', afterMs: answerTimeout, code: 'NO_ANSWER', details: 480 };
        case 'read':
          return { kind: 'answer', afterMs: answerMs, hangupAfterMs: 10_000 };
        case 'reject':
          return { kind: 'reject', afterMs: 0, code: 'INVALID_NUMBER', details: 404 };
        case 'timeout':
          return { kind: 'reject', afterMs: Math.min(30_000, answerTimeout), code: 'NETWORK_ERROR', details: 408 };
      }
    },
    otherwise: () => ({ kind: 'answer', afterMs: answerMs }),
  };
}

/** The scenario hook `call` first (core/outcomes.ts), then the test numbers, then answered. */
export function callPlanFor(ws: Workspace, facts: { to_address: string; from: string; answer_timeout: number }, answerMs: number): CallPlan {
  return decide<CallPlan>(ws, { on: 'call', api: API_ID, facts }, facts.to_address, callCases(facts.answer_timeout, answerMs));
}

export class Calling {
  readonly digits: DigitsCollectors;

  constructor(private readonly c: SynCollections) {
    this.digits = new DigitsCollectors(c);
  }

  private minutePrice(ws: Workspace, call: Record<string, unknown>): number {
    const fx = synFixtures(ws);
    return unitPrice(fx.prices, 'VOICE', countryOf(String(call.to_address ?? ''), fx.countries));
  }

  private senderFor(ws: Workspace, from: string): Rec | undefined {
    const id = from.replace(/^sender_id[:-]/i, '');
    return (
      this.c.senderIds.find(ws, id) ??
      this.c.senderIds.table(ws).find((s) => s.address === from || (normalizeMdn(from) !== undefined && normalizeMdn(String(s.address ?? '')) === normalizeMdn(from)))
    );
  }

  /** POST /calling/calls. */
  create(ws: Workspace, body: Record<string, any>, schema: Record<string, any> | undefined): Rec {
    const from = String(body.from ?? '').trim();
    const to = String(body.to ?? '').trim();
    if (!from) throw invalid(`body field 'from' is required (a sender id or its address)`, { field: 'from' });
    if (!to) throw invalid(`body field 'to' is required (an E.164 number or a contact id)`, { field: 'to' });
    const sender = this.senderFor(ws, from);
    if (!sender) throw invalid(`from: ${from} is not a sender id of this application`, { field: 'from' });
    if (body.from_address && sender.address && normalizeMdn(String(body.from_address)) !== normalizeMdn(String(sender.address))) {
      throw invalid(`from_address ${body.from_address} is not the address of sender id ${sender.id}`, { field: 'from_address' });
    }
    let toAddress = /^\+?[1-9]\d{6,14}$/.test(to) ? normalizeMdn(to) : undefined;
    if (!toAddress && this.c.contacts) {
      const contact = this.c.contacts.find(ws, to);
      if (contact?.primary_mdn) toAddress = normalizeMdn(String(contact.primary_mdn));
    }
    if (!toAddress) throw invalid(`to: '${to}' is neither an E.164 number nor a contact with a phone number`, { field: 'to' });
    const timeout = body.answer_timeout === undefined || body.answer_timeout === null ? 30_000 : Number(body.answer_timeout);
    if (!Number.isInteger(timeout) || timeout < 5_000 || timeout > 120_000) throw invalid('answer_timeout must be 5000 to 120000 ms', { field: 'answer_timeout' });
    const bridge = body.bridge_id ? this.joinableBridge(ws, String(body.bridge_id), undefined) : undefined;
    const probe = { id: '', to_address: toAddress };
    const firstMinute = this.minutePrice(ws, probe);
    if (firstMinute > 0 && !ws.credit.canAfford(API_ID, firstMinute)) {
      throw new SimError('payment', `a call to ${toAddress} costs ${firstMinute} per minute; the balance is ${ws.credit.balance(API_ID)}`);
    }
    const values = this.c.calls.pick(body, schema);
    const call = this.c.calls.insert(ws, {
      ...values,
      from,
      from_address: sender.address ?? null,
      to,
      to_address: toAddress,
      destination_country: countryOf(toAddress, synFixtures(ws).countries) ?? null,
      answer_timeout: timeout,
      direction: 'OUT',
      state: 'STARTED',
      start_time: ws.nowIso(),
      bridge_id: bridge?.id ?? null,
      chargeable_duration: 0,
      price: 0,
    });
    this.emit(ws, call, null);
    const fx = synFixtures(ws);
    const plan = callPlanFor(ws, { to_address: toAddress, from, answer_timeout: timeout }, fx.timings.callAnswerMs ?? 3_000);
    if (plan.kind === 'reject') {
      if (plan.afterMs === 0) this.reject(ws, call, plan.code, plan.details);
      else ws.schedule(CALL_EV.reject, ws.now() + plan.afterMs, { call: call.id, code: plan.code, details: plan.details });
    } else ws.schedule(CALL_EV.answer, ws.now() + plan.afterMs, { call: call.id, hangupAfterMs: plan.hangupAfterMs ?? null });
    return call;
  }

  emit(ws: Workspace, call: Rec, prev: string | null): void {
    ws.emit(API_ID, 'call_state_change', { call_id: call.id, state: call.state, previous_state: prev, to_address: call.to_address, bridge_id: call.bridge_id ?? null, version_number: call.version_number });
  }

  private setCall(ws: Workspace, call: Rec, state: string, patch: Record<string, unknown> = {}): void {
    const prev = String(call.state);
    Object.assign(call, patch, { state });
    this.c.calls.bump(ws, call);
    this.emit(ws, call, prev);
    if (state === 'COMPLETED' || state === 'REJECTED') this.onCallEnded(ws, call, state);
  }

  private answer(ws: Workspace, call: Rec, hangupAfterMs?: number | null): void {
    const price = this.minutePrice(ws, call);
    if (price > 0 && !ws.credit.charge(API_ID, price, `call ${call.id} minute 1`, String(call.id))) {
      this.setCall(ws, call, 'COMPLETED', { answer_time: ws.nowIso(), end_time: ws.nowIso(), failure_code: 'INSUFFICIENT_CREDIT', failure_details: 402 });
      return;
    }
    this.setCall(ws, call, 'ACTIVE', { answer_time: ws.nowIso(), price });
    ws.schedule(CALL_EV.minute, ws.now() + MINUTE, { call: call.id, minute: 2 });
    // An inbound call's caller may hang up on its own (inbound-calls.ts: scenario or inject).
    const after = typeof hangupAfterMs === 'number' ? hangupAfterMs : typeof call._hangupAfterMs === 'number' ? call._hangupAfterMs : undefined;
    if (after !== undefined) ws.schedule(CALL_EV.hangup, ws.now() + after, { call: call.id });
    if (call.bridge_id) this.refreshBridge(ws, String(call.bridge_id));
  }

  private reject(ws: Workspace, call: Rec, code: string, details: number): void {
    this.setCall(ws, call, 'REJECTED', { failure_code: code, failure_details: details, end_time: ws.nowIso() });
  }

  /** Ends an ACTIVE call (hang-up) or cancels a STARTED one. */
  hangup(ws: Workspace, call: Rec, patch: Record<string, unknown> = {}): void {
    if (call.state === 'ACTIVE') {
      const answered = parseTimestamp(call.answer_time) ?? ws.now();
      this.setCall(ws, call, 'COMPLETED', { end_time: ws.nowIso(), chargeable_duration: Math.ceil((ws.now() - answered) / 1000), ...patch });
    } else if (call.state === 'STARTED') {
      if (call.direction === 'IN') this.setCall(ws, call, 'REJECTED', { end_time: ws.nowIso(), ...patch });
      else this.setCall(ws, call, 'COMPLETED', { end_time: ws.nowIso(), chargeable_duration: 0, ...patch });
    }
  }

  private onCallEnded(ws: Workspace, call: Rec, state: string): void {
    if (call.bridge_id) {
      const b = this.c.bridges.table(ws).get(String(call.bridge_id));
      if (b && LIVE_BRIDGE.has(String(b.state))) {
        const to = b.state === 'CREATED' && state === 'REJECTED' ? 'ERROR' : 'COMPLETED';
        this.setBridge(ws, b, to, { completed_time: ws.nowIso() });
      }
    }
    for (const m of this.c.members.table(ws).filter((x) => x._call_id === call.id && x.state === 'active')) this.removeMember(ws, m);
    this.digits.onCallEnded(ws, String(call.id));
    for (const p of ws.table(API_ID, 'playbacks').filter((p) => p.target === call.id && p.state === 'playing')) {
      p.state = 'canceled';
      ws.table(API_ID, 'playbacks').touch(p);
    }
  }

  eventHandlers(): Record<string, (ws: Workspace, data: Record<string, unknown>) => void> {
    const callOf = (ws: Workspace, data: Record<string, unknown>) => this.c.calls.table(ws).get(String(data.call));
    return {
      ...this.digits.eventHandlers(),
      [CALL_EV.answer]: (ws, data) => {
        const call = callOf(ws, data);
        if (call?.state === 'STARTED') this.answer(ws, call, data.hangupAfterMs as number | null);
      },
      [CALL_EV.reject]: (ws, data) => {
        const call = callOf(ws, data);
        if (call?.state === 'STARTED') this.reject(ws, call, String(data.code), Number(data.details));
      },
      [CALL_EV.hangup]: (ws, data) => {
        const call = callOf(ws, data);
        if (call?.state === 'ACTIVE') this.hangup(ws, call);
      },
      [CALL_EV.minute]: (ws, data) => {
        const call = callOf(ws, data);
        if (call?.state !== 'ACTIVE') return;
        const price = this.minutePrice(ws, call);
        if (price > 0 && !ws.credit.charge(API_ID, price, `call ${call.id} minute ${data.minute}`, String(call.id))) {
          this.hangup(ws, call, { failure_code: 'INSUFFICIENT_CREDIT', failure_details: 402 });
          return;
        }
        call.price = roundAmount(Number(call.price ?? 0) + price);
        this.c.calls.bump(ws, call);
        ws.schedule(CALL_EV.minute, ws.now() + MINUTE, { call: call.id, minute: Number(data.minute) + 1 });
      },
      [CALL_EV.playbackEnd]: (ws, data) => {
        const table = ws.table(API_ID, 'playbacks');
        const p = table.get(String(data.playback));
        if (!p || p.state !== 'playing') return;
        p.state = 'finished';
        table.touch(p);
        ws.emit(API_ID, 'playback_finished', { playback_id: p.id, target: p.target, kind: p.kind });
      },
    };
  }

  /** POST /calling/calls/{id}: state changes and attribute updates (x-sim-decision of updateCall). */
  update(ws: Workspace, id: string, body: Record<string, any>, schema: Record<string, any> | undefined): Rec {
    const call = this.c.calls.get(ws, id);
    this.c.calls.checkVersion(call, body);
    const final = call.state === 'REJECTED' || call.state === 'COMPLETED';
    if (body.direction !== undefined && body.direction !== null && body.direction !== call.direction) throw conflictState('the direction of a call cannot change');
    for (const f of ['from', 'from_address', 'to', 'answer_timeout']) {
      if (body[f] !== undefined && body[f] !== call[f] && call.state !== 'STARTED') throw conflictState(`${f} can only change while the call is STARTED (it is ${call.state})`);
    }
    const target = body.state ? String(body.state).toUpperCase() : undefined;
    if (target && target !== call.state) {
      const allowed =
        (target === 'COMPLETED' && (call.state === 'ACTIVE' || (call.state === 'STARTED' && call.direction === 'OUT'))) ||
        (call.direction === 'IN' && call.state === 'STARTED' && (target === 'ACTIVE' || target === 'REJECTED'));
      if (!allowed) throw conflictState(`a ${call.direction} call in state ${call.state} cannot become ${target}`);
    }
    let bridge: Rec | undefined;
    if (body.bridge_id && body.bridge_id !== call.bridge_id) {
      if (final) throw conflictState(`call ${call.id} is ${call.state} and cannot join a bridge`);
      bridge = this.joinableBridge(ws, String(body.bridge_id), call);
    }
    const patch = this.c.calls.pick(body, schema);
    delete patch.state;
    delete patch.direction;
    this.c.calls.checkUnique(ws, { ...call, ...patch });
    Object.assign(call, patch);
    this.c.calls.bump(ws, call);
    if (bridge) this.refreshBridge(ws, String(bridge.id));
    if (target && target !== call.state) {
      if (target === 'ACTIVE') this.answer(ws, call);
      else this.hangup(ws, call);
    }
    return call;
  }

  remove(ws: Workspace, id: string): Rec {
    const call = this.c.calls.get(ws, id);
    this.hangup(ws, call);
    this.c.calls.table(ws).remove(String(call.id));
    return call;
  }

  /** A playback on an ACTIVE target; it ends on the clock and is logged. */
  play(ws: Workspace, target: { id: string; active: boolean; label: string }, kind: string, input: Record<string, unknown>): string {
    if (!target.active) throw conflictState(`${target.label} is not active`);
    let ms = 2_000;
    if (kind === 'tts') ms = Math.max(1, String(input.text ?? '').split(/\s+/).filter(Boolean).length) * 400 * (input.loopEnabled === true ? Number(input.loopCount ?? 1) : 1);
    if (kind === 'dtmf') ms = String(input.dtmf_digits ?? '').length * 100;
    const id = ws.rng.base64url(22);
    ws.table(API_ID, 'playbacks').put({ id, target: target.id, kind, input, state: 'playing', started: ws.nowIso() });
    ws.emit(API_ID, 'playback_started', { playback_id: id, target: target.id, kind, ...input });
    ws.schedule(CALL_EV.playbackEnd, ws.now() + ms, { playback: id });
    return id;
  }

  // ---- bridges -----------------------------------------------------------------------------

  private joinableBridge(ws: Workspace, id: string, call: Rec | undefined): Rec {
    const b = this.c.bridges.table(ws).get(id);
    if (!b) throw invalid(`bridge ${id} does not exist`, { field: 'bridge_id' });
    if (!LIVE_BRIDGE.has(String(b.state))) throw conflictState(`bridge ${id} is ${b.state}`);
    const members = this.c.calls.table(ws).filter((x) => x.bridge_id === id && x.id !== call?.id && x.state !== 'REJECTED' && x.state !== 'COMPLETED');
    if (members.length >= 2) throw conflictState(`bridge ${id} already holds 2 calls`);
    return b;
  }

  private callsForBridge(ws: Workspace, ids: string[], bridgeId: string | undefined): Rec[] {
    return ids.map((cid) => {
      const call = this.c.calls.table(ws).get(cid);
      if (!call) throw invalid(`call ${cid} does not exist`, { field: 'call_ids' });
      if (call.state === 'REJECTED' || call.state === 'COMPLETED') throw conflictState(`call ${cid} is ${call.state}`);
      if (call.bridge_id && call.bridge_id !== bridgeId) {
        const other = this.c.bridges.table(ws).get(String(call.bridge_id));
        if (other && LIVE_BRIDGE.has(String(other.state))) throw conflictState(`call ${cid} is already in bridge ${other.id}`);
      }
      return call;
    });
  }

  createBridge(ws: Workspace, body: Record<string, any>, schema: Record<string, any> | undefined): Rec {
    const ids = [...new Set(toStringList(body.call_ids) ?? [])];
    if (ids.length > 2) throw conflictState('a bridge holds at most 2 calls');
    const calls = this.callsForBridge(ws, ids, undefined);
    const values = this.c.bridges.pick(body, schema);
    const b = this.c.bridges.insert(ws, { ...values, state: 'CREATED', bridge_audio: body.bridge_audio === undefined ? true : values.bridge_audio });
    for (const call of calls) {
      call.bridge_id = b.id;
      this.c.calls.bump(ws, call);
    }
    this.refreshBridge(ws, String(b.id));
    return b;
  }

  updateBridge(ws: Workspace, id: string, body: Record<string, any>, schema: Record<string, any> | undefined): Rec {
    const b = this.c.bridges.get(ws, id);
    this.c.bridges.checkVersion(b, body);
    if (!LIVE_BRIDGE.has(String(b.state))) throw conflictState(`bridge ${id} is ${b.state}`);
    const current = this.bridgeCalls(ws, id).filter((x) => x.state !== 'REJECTED' && x.state !== 'COMPLETED');
    const add = (toStringList(body.call_ids) ?? []).filter((cid) => !current.some((x) => x.id === cid));
    if (current.length + new Set(add).size > 2) throw conflictState('a bridge holds at most 2 calls');
    const calls = this.callsForBridge(ws, [...new Set(add)], id);
    const patch = this.c.bridges.pick(body, schema);
    delete patch.call_ids;
    this.c.bridges.checkUnique(ws, { ...b, ...patch });
    Object.assign(b, patch);
    this.c.bridges.bump(ws, b);
    for (const call of calls) {
      call.bridge_id = b.id;
      this.c.calls.bump(ws, call);
    }
    this.refreshBridge(ws, id);
    return b;
  }

  bridgeCalls(ws: Workspace, id: string): Rec[] {
    return this.c.calls.table(ws).filter((x) => x.bridge_id === id);
  }

  /** CREATED -> ACTIVE (HOLD without audio) once 2 ACTIVE calls are in; ACTIVE <-> HOLD by bridge_audio. */
  private refreshBridge(ws: Workspace, id: string): void {
    const b = this.c.bridges.table(ws).get(id);
    if (!b || !LIVE_BRIDGE.has(String(b.state))) return;
    const active = this.bridgeCalls(ws, id).filter((x) => x.state === 'ACTIVE').length;
    let to = String(b.state);
    if (b.state === 'CREATED' && active >= 2) to = b.bridge_audio === false ? 'HOLD' : 'ACTIVE';
    else if (b.state === 'ACTIVE' && b.bridge_audio === false) to = 'HOLD';
    else if (b.state === 'HOLD' && b.bridge_audio !== false) to = 'ACTIVE';
    if (to !== b.state) this.setBridge(ws, b, to, b.activated_time ? {} : { activated_time: ws.nowIso() });
  }

  private setBridge(ws: Workspace, b: Rec, state: string, patch: Record<string, unknown>): void {
    const prev = b.state;
    Object.assign(b, patch, { state });
    this.c.bridges.bump(ws, b);
    ws.emit(API_ID, 'bridge_state_change', { bridge_id: b.id, state, previous_state: prev });
  }

  removeBridge(ws: Workspace, id: string): Rec {
    const b = this.c.bridges.get(ws, id);
    if (LIVE_BRIDGE.has(String(b.state))) this.setBridge(ws, b, 'COMPLETED', { completed_time: ws.nowIso() });
    for (const call of this.bridgeCalls(ws, id)) {
      call.bridge_id = null;
      this.c.calls.bump(ws, call);
    }
    this.c.bridges.table(ws).remove(id);
    return b;
  }

  // ---- conferences -------------------------------------------------------------------------

  createConference(ws: Workspace, body: Record<string, any>, schema: Record<string, any> | undefined): Rec {
    const values = this.c.conferences.pick(body, schema);
    if (values.external_id) {
      const clash = this.c.conferences.table(ws).find((x) => x.external_id === values.external_id);
      if (clash) throw new SimError('duplicate', `external_id ${values.external_id} is already used by conference ${clash.id}`, { field: 'external_id' });
    }
    return this.c.conferences.insert(ws, { ...values, state: 'created', created_time: ws.nowIso(), active_members: 0, hold: values.hold ?? false, mute: values.mute ?? false });
  }

  addMember(ws: Workspace, conferenceId: string, body: Record<string, any>, schema: Record<string, any> | undefined): Rec {
    const conf = this.c.conferences.get(ws, conferenceId);
    if (conf.state === 'completed') throw conflictState(`conference ${conf.id} is completed`);
    const callId = body.call_id ?? body.callId;
    let call: Rec | undefined;
    if (callId) {
      call = this.c.calls.table(ws).get(String(callId));
      if (!call) throw invalid(`call ${callId} does not exist`, { field: 'call_id' });
      if (call.state !== 'ACTIVE') throw conflictState(`call ${callId} is ${call.state}, not ACTIVE`);
      const b = call.bridge_id ? this.c.bridges.table(ws).get(String(call.bridge_id)) : undefined;
      if (b && LIVE_BRIDGE.has(String(b.state))) throw conflictState(`call ${callId} is in bridge ${b.id}`);
      if (this.c.members.table(ws).find((m) => m._call_id === call!.id && m.state === 'active')) throw conflictState(`call ${callId} is already in a conference`);
    }
    const values = this.c.members.pick(body, schema);
    if (values.external_id && this.c.members.table(ws).find((m) => m.external_id === values.external_id)) {
      throw new SimError('duplicate', `external_id ${values.external_id} is already used by another member`, { field: 'external_id' });
    }
    const member = this.c.members.insert(
      ws,
      {
        ...values,
        state: 'active',
        join_tone: values.join_tone ?? true,
        leaving_tone: values.leaving_tone ?? true,
        hold: values.hold ?? false,
        mute: values.mute ?? false,
        added_time: ws.nowIso(),
        conference_external_id: conf.external_id ?? null,
        _call_id: call?.id ?? null,
      },
      { partition: String(conf.id) },
    );
    conf.active_members = Number(conf.active_members ?? 0) + 1;
    if (conf.state === 'created') conf.state = 'active';
    this.c.conferences.bump(ws, conf);
    ws.emit(API_ID, 'conference_member_joined', { conference_id: conf.id, member_id: member.id, call_id: call?.id ?? null });
    return member;
  }

  removeMember(ws: Workspace, member: Rec): void {
    if (member.state !== 'active') return;
    member.state = 'completed';
    member.removed_time = ws.nowIso();
    this.c.members.bump(ws, member);
    const conf = this.c.conferences.table(ws).get(String(member.conference_id));
    if (!conf) return;
    conf.active_members = Math.max(0, Number(conf.active_members ?? 0) - 1);
    if (conf.active_members === 0 && conf.state === 'active') {
      conf.state = 'completed';
      conf.completed_time = ws.nowIso();
      ws.emit(API_ID, 'conference_state_change', { conference_id: conf.id, state: 'completed' });
    }
    this.c.conferences.bump(ws, conf);
    ws.emit(API_ID, 'conference_member_left', { conference_id: conf.id, member_id: member.id });
  }

  /** POST /calling/conferences/{id} (public description): `state: completed` ends it; hold and mute for everyone. */
  updateConference(ws: Workspace, id: string, body: Record<string, any>): Rec {
    const conf = this.c.conferences.get(ws, id);
    const target = body.state === undefined || body.state === null ? undefined : String(body.state);
    if (target && target !== conf.state && target !== 'completed') throw conflictState(`conference ${conf.id} is ${conf.state} and cannot become ${target} (it becomes active with its first member)`);
    const flags = (['hold', 'mute'] as const).filter((f) => typeof body[f] === 'boolean' && body[f] !== conf[f]);
    if (flags.length && conf.state === 'completed') throw conflictState(`conference ${conf.id} is completed`);
    for (const f of flags) conf[f] = body[f];
    if (flags.length) {
      this.c.conferences.bump(ws, conf);
      ws.emit(API_ID, 'conference_updated', { conference_id: conf.id, hold: conf.hold, mute: conf.mute });
    }
    if (target === 'completed' && conf.state !== 'completed') {
      for (const m of this.c.members.table(ws).filter((x) => x.conference_id === conf.id && x.state === 'active')) this.removeMember(ws, m);
      if (conf.state !== 'completed') {
        Object.assign(conf, { state: 'completed', completed_time: ws.nowIso() });
        this.c.conferences.bump(ws, conf);
        ws.emit(API_ID, 'conference_state_change', { conference_id: conf.id, state: 'completed' });
      }
    }
    return conf;
  }

  /** POST /calling/conferences/{id}/members/{id} (public description): hold or mute one active member. */
  updateMember(ws: Workspace, member: Rec, body: Record<string, any>): Rec {
    if (member.state !== 'active') throw conflictState(`conference member ${member.id} is ${member.state}`);
    const flags = (['hold', 'mute'] as const).filter((f) => typeof body[f] === 'boolean' && body[f] !== member[f]);
    for (const f of flags) member[f] = body[f];
    if (flags.length) {
      this.c.members.bump(ws, member);
      ws.emit(API_ID, 'conference_member_updated', { conference_id: member.conference_id, member_id: member.id, hold: member.hold, mute: member.mute });
    }
    return member;
  }

  removeConference(ws: Workspace, id: string): Rec {
    const conf = this.c.conferences.get(ws, id);
    for (const m of this.c.members.table(ws).filter((x) => x.conference_id === id)) {
      this.removeMember(ws, m);
      this.c.members.table(ws).remove(String(m.id));
    }
    this.c.conferences.table(ws).remove(id);
    return conf;
  }
}
