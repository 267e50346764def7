// The far end acting on calls (control API `inject/...` and scenario timelines): an inbound call
// rings a sender id of the application, the caller hangs up. Inbound (IN) calls come only from
// here (spec x-sim-decision of Call): `to` is the Sender ID, `from`/`from_address` the caller; a
// call not accepted (POST /calling/calls/{id} {state: ACTIVE}) within answer_timeout becomes
// REJECTED (NO_ANSWER, 480). What the caller does is the scenario hook `inbound-call` (outcome
// {hangupAfterMs?, abandonAfterMs?}), else the inject body's values, else it waits.
import type { Injector } from '../../core/api.js';
import { invalid, notFound } from '../../core/errors.js';
import { decide } from '../../core/outcomes.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { CALL_EV, type Calling } from './calling.js';
import type { SynCollections } from './collections.js';
import { normalizeMdn } from './numbers.js';
import { API_ID } from './style.js';

/** What the caller of an inbound call does. */
export interface InboundPlan {
  /** Ringing time after which the caller gives up (the call is REJECTED, NO_ANSWER). */
  abandonAfterMs: number;
  /** Once accepted, the caller hangs up after this long; absent: it stays until the app hangs up. */
  hangupAfterMs?: number;
}

const ms = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined);

/** The scenario hook `inbound-call` first, then the inject's own values, then: rings until answer_timeout. */
export function inboundPlan(ws: Workspace, facts: { from: string; to: string; to_address: string }, given: { answerTimeout: number; hangupAfterMs?: number }): InboundPlan {
  const defaults: InboundPlan = { abandonAfterMs: given.answerTimeout, hangupAfterMs: given.hangupAfterMs };
  return decide<InboundPlan>(ws, { on: 'inbound-call', api: API_ID, facts }, facts.from, {
    scenario: (f) => ({
      abandonAfterMs: Math.min(ms(f.abandonAfterMs) ?? given.answerTimeout, given.answerTimeout),
      hangupAfterMs: ms(f.hangupAfterMs) ?? given.hangupAfterMs,
    }),
    otherwise: () => defaults,
  });
}

export function callInjectors(c: SynCollections, calling: Calling): Record<string, Injector> {
  const senderOf = (ws: Workspace, to: string): Rec | undefined => {
    const mdn = normalizeMdn(to);
    return c.senderIds.find(ws, to.replace(/^sender_id[:-]/i, '')) ?? c.senderIds.table(ws).find((s) => s.address === to || (mdn !== undefined && normalizeMdn(String(s.address ?? '')) === mdn));
  };
  const callOf = (ws: Workspace, body: Record<string, unknown>): Rec => {
    const id = String(body.call_id ?? body.call ?? '');
    if (!id) throw invalid('call_id is required', { field: 'call_id' });
    const call = c.calls.table(ws).get(id);
    if (!call) throw notFound(`call ${id} does not exist`, { field: 'call_id' });
    return call;
  };
  return {
    /** {from: caller E.164, to: a sender id or its address, answer_timeout?, hangupAfterMs?}. */
    'inbound-call': (ws, body) => {
      const fromRaw = String(body.from ?? '').trim();
      const from = normalizeMdn(fromRaw);
      if (!from) throw invalid(`inbound-call: from must be the caller's E.164 number, not '${fromRaw}'`, { field: 'from' });
      const toRaw = String(body.to ?? '').trim();
      if (!toRaw) throw invalid('inbound-call: to is required (a sender id of the application, or its address)', { field: 'to' });
      const sender = senderOf(ws, toRaw);
      if (!sender) throw notFound(`inbound-call: ${toRaw} is not a sender id (or sender address) of this application`, { field: 'to' });
      const timeout = body.answer_timeout === undefined ? 30_000 : Number(body.answer_timeout);
      if (!Number.isInteger(timeout) || timeout < 5_000 || timeout > 120_000) throw invalid('answer_timeout must be 5000 to 120000 ms', { field: 'answer_timeout' });
      if (body.hangupAfterMs !== undefined && ms(body.hangupAfterMs) === undefined) throw invalid('hangupAfterMs must be a number of ms >= 0', { field: 'hangupAfterMs' });
      const toAddress = String(sender.address ?? toRaw);
      const plan = inboundPlan(ws, { from, to: String(sender.id), to_address: toAddress }, { answerTimeout: timeout, hangupAfterMs: ms(body.hangupAfterMs) });
      const call = c.calls.insert(ws, {
        from,
        from_address: from,
        to: String(sender.id),
        to_address: toAddress,
        answer_timeout: timeout,
        direction: 'IN',
        state: 'STARTED',
        start_time: ws.nowIso(),
        bridge_id: null,
        chargeable_duration: 0,
        price: 0,
        _hangupAfterMs: plan.hangupAfterMs ?? null,
      } as never);
      calling.emit(ws, call, null);
      ws.schedule(CALL_EV.reject, ws.now() + plan.abandonAfterMs, { call: call.id, code: 'NO_ANSWER', details: 480 });
      return { api: API_ID, call: c.calls.render(call) };
    },
    /** The far end hangs up: {call_id}. An ACTIVE call COMPLETES, a ringing one ends. */
    'call-hangup': (ws, body) => {
      const call = callOf(ws, body);
      if (call.state !== 'ACTIVE' && call.state !== 'STARTED') throw invalid(`call ${call.id} is ${call.state}; only a STARTED or ACTIVE call can be hung up`, { field: 'call_id' });
      calling.hangup(ws, call);
      return { api: API_ID, call: c.calls.render(call) };
    },
  };
}
