// Digits collectors of calls (public description): a collector speaks its prompt on an ACTIVE
// call, then keeps the DTMF digits the far end presses (injected through the control API or a
// scenario) until a terminating digit, max_digits, its timeout or the end of the call. Every
// change bumps the record and emits `digits_collector_state_change`. No HTTP here.
import { conflictState, invalid, notFound } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import type { SynCollections } from './collections.js';
import { normalizeMdn } from './numbers.js';
import { API_ID } from './style.js';

export const DIGITS_EV = { timeout: 'syniverse.digits.timeout' } as const;

const DTMF = /^[0-9A-D*#]+$/;
const DEFAULT_TIMEOUT_MS = 10_000;
/** How long a prompt is spoken (as play_tts: 400 ms per word). */
export const promptMs = (sentence: unknown) => Math.max(1, String(sentence ?? '').split(/\s+/).filter(Boolean).length) * 400;

export class DigitsCollectors {
  constructor(private readonly c: SynCollections) {}

  private running(ws: Workspace, callId: string): Rec | undefined {
    return this.c.digitsCollectors.table(ws).lookup('call_id', callId).find((r) => r.state === 'STARTED');
  }

  /** POST /calling/calls/{id}/digits_collector. */
  start(ws: Workspace, callId: string, body: Record<string, any>): Rec {
    const call = this.c.calls.get(ws, callId);
    if (call.state !== 'ACTIVE') throw conflictState(`call ${call.id} is ${call.state}, not ACTIVE: no digits can be collected`);
    const busy = this.running(ws, String(call.id));
    if (busy) throw conflictState(`call ${call.id} already has a STARTED digits collector (${busy.id})`);
    const prompt = (body.prompt ?? {}) as Record<string, unknown>;
    if (prompt.voice !== undefined && (prompt.gender !== undefined || prompt.locale !== undefined)) {
      throw invalid('prompt: with a voice, no gender or locale is accepted', { field: 'prompt' });
    }
    const max = body.max_digits === undefined || body.max_digits === null || body.max_digits === '' ? null : Number(body.max_digits);
    if (max !== null && (!Number.isInteger(max) || max < 1 || max > 255)) throw invalid('max_digits must be 1 to 255', { field: 'max_digits' });
    const timeout = body.timeout === undefined || body.timeout === null ? DEFAULT_TIMEOUT_MS : Number(body.timeout);
    const rec = this.c.digitsCollectors.insert(
      ws,
      {
        external_id: body.external_id ?? null,
        state: 'STARTED',
        reason: null,
        start_time: ws.nowIso(),
        end_time: null,
        call_external_id: call.external_id ?? null,
        digits: '',
        max_digits: max,
        timeout,
        terminating_digits: body.terminating_digits ? String(body.terminating_digits) : null,
        prompt: { sentence: String(prompt.sentence ?? ''), ...pick(prompt, ['voice', 'gender', 'locale']) },
      },
      { partition: String(call.id) },
    );
    ws.schedule(DIGITS_EV.timeout, ws.now() + promptMs(prompt.sentence) + timeout, { collector: rec.id });
    this.emit(ws, rec);
    return rec;
  }

  private emit(ws: Workspace, rec: Rec): void {
    ws.emit(API_ID, 'digits_collector_state_change', { collector_id: rec.id, call_id: rec.call_id, state: rec.state, reason: rec.reason ?? null, digits: rec.digits });
  }

  private complete(ws: Workspace, rec: Rec, reason: string): void {
    Object.assign(rec, { state: 'COMPLETED', reason, end_time: ws.nowIso() });
    this.c.digitsCollectors.bump(ws, rec);
    this.emit(ws, rec);
  }

  /**
   * The call a DTMF injection names: `call_id`, or (for scenario timelines, which cannot know
   * ids) `to`, the destination of the latest ACTIVE call to that number.
   */
  callOf(ws: Workspace, body: Record<string, unknown>): string {
    const id = body.call_id ?? body.call;
    if (id !== undefined && id !== null && id !== '') return String(id);
    if (body.to === undefined || body.to === null || body.to === '') throw invalid('dtmf: give call_id, or to (the number of an ACTIVE call)', { field: 'call_id' });
    const to = normalizeMdn(String(body.to)) ?? String(body.to);
    const active = [...this.c.calls.table(ws).scan()].filter((x) => x.state === 'ACTIVE' && x.to_address === to);
    if (!active.length) throw notFound(`no ACTIVE call to ${to}`);
    return String(active[active.length - 1].id);
  }

  /** The far end presses `digits` on an ACTIVE call (the `dtmf` injector). */
  press(ws: Workspace, callId: string, digits: string): Rec | undefined {
    if (!DTMF.test(digits)) throw invalid(`digits '${digits}' are not DTMF digits (0-9, A-D, *, #)`, { field: 'digits' });
    const call = this.c.calls.get(ws, callId);
    if (call.state !== 'ACTIVE') throw conflictState(`call ${call.id} is ${call.state}, not ACTIVE`);
    ws.emit(API_ID, 'call_dtmf_received', { call_id: call.id, digits });
    const found = this.running(ws, String(call.id));
    if (!found) return undefined;
    const rec = this.c.digitsCollectors.table(ws).get(String(found.id))!;
    const terminators = String(rec.terminating_digits ?? '');
    let collected = String(rec.digits ?? '');
    for (const ch of digits) {
      if (terminators.includes(ch)) {
        rec.digits = collected;
        this.complete(ws, rec, 'terminating_digit');
        return rec;
      }
      collected += ch;
      if (typeof rec.max_digits === 'number' && collected.length >= rec.max_digits) {
        rec.digits = collected;
        this.complete(ws, rec, 'max_digits');
        return rec;
      }
    }
    rec.digits = collected;
    this.c.digitsCollectors.bump(ws, rec);
    return rec;
  }

  /** DELETE: a STARTED collector stops (reason `stopped`), then the record goes. */
  stop(ws: Workspace, callId: string, collectorId: string): Rec {
    const call = this.c.calls.get(ws, callId);
    const rec = this.c.digitsCollectors.get(ws, collectorId, String(call.id));
    if (rec.state === 'STARTED') this.complete(ws, rec, 'stopped');
    this.c.digitsCollectors.table(ws).remove(String(rec.id));
    return rec;
  }

  /** The call ended: its STARTED collector completes with reason `call_ended`. */
  onCallEnded(ws: Workspace, callId: string): void {
    const found = this.running(ws, callId);
    if (found) this.complete(ws, this.c.digitsCollectors.table(ws).get(String(found.id))!, 'call_ended');
  }

  eventHandlers(): Record<string, (ws: Workspace, data: Record<string, unknown>) => void> {
    return {
      [DIGITS_EV.timeout]: (ws, data) => {
        const rec = this.c.digitsCollectors.table(ws).get(String(data.collector));
        if (rec?.state === 'STARTED') this.complete(ws, rec, 'timeout');
      },
    };
  }
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined && o[k] !== null).map((k) => [k, o[k]]));
}
