// HTTP <-> domain for /calling/*: calls, digits collectors, bridges, conferences, members and play_* actions.
import type { HandlerContext, HandlerResult } from '../../../core/api.js';
import type { OperationHandlers, TypedContext } from '../../../core/contract-types.js';
import type { Workspace } from '../../../core/workspace.js';
import type { Calling } from '../calling.js';
import type { SynCollections } from '../collections.js';
import type { operations } from '../generated/contract.js';
import { style } from '../style.js';
import { crudActions } from '../../../core/crud.js';
import { invalid } from '../../../core/errors.js';

type Ctx<Id extends keyof operations> = TypedContext<operations, Id>;
type PlayTarget = { id: string; active: boolean; label: string };

export function callingHandlers(c: SynCollections, calling: Calling): OperationHandlers<operations> {
  const calls = crudActions(style, c.calls);
  const bridges = crudActions(style, c.bridges);
  const conferences = crudActions(style, c.conferences);
  const members = crudActions(style, c.members, { parent: { param: 'Conference_ID', collection: c.conferences } });
  const id = (x: { id: unknown }) => ({ body: { id: x.id } });

  const callTarget = (ctx: Ctx<'playCallDtmf' | 'playCallTts' | 'playCallAudio'>) => {
    const call = c.calls.get(ctx.ws, ctx.params.call_id);
    return { id: String(call.id), active: call.state === 'ACTIVE', label: `Call ${call.id}` };
  };
  const bridgeTarget = (ctx: Ctx<'playBridgeTts' | 'playBridgeAudio'>) => {
    const b = c.bridges.get(ctx.ws, ctx.params.Bridge_ID);
    return { id: String(b.id), active: b.state === 'ACTIVE', label: `Bridge ${b.id}` };
  };
  const conferenceTarget = (ctx: Ctx<'playConferenceTts' | 'playConferenceAudio'>) => {
    const conf = c.conferences.get(ctx.ws, ctx.params.Conference_ID);
    return { id: String(conf.id), active: conf.state === 'active', label: `Conference ${conf.id}` };
  };
  const memberTarget = (ctx: Ctx<'playConferenceMemberTts' | 'playConferenceMemberAudio'>) => {
    const m = c.members.get(ctx.ws, ctx.params.Member_ID, c.conferences.get(ctx.ws, ctx.params.Conference_ID).id as string);
    return { id: String(m.id), active: m.state === 'active', label: `Conference member ${m.id}` };
  };
  /** The handler of the play_* operations of one kind of target (their context is the target's). */
  const play =
    <C extends { ws: Workspace; body: unknown }>(target: (ctx: C) => PlayTarget, kind: string) =>
    (ctx: C): HandlerResult => ({ body: { id: calling.play(ctx.ws, target(ctx), kind, playInput(kind, (ctx.body ?? {}) as Record<string, unknown>)) } });
  const member = (ctx: Ctx<'deleteConferenceMember' | 'updateConferenceMember'>) =>
    c.members.get(ctx.ws, ctx.params.Member_ID, c.conferences.get(ctx.ws, ctx.params.Conference_ID).id as string);
  const collectors = crudActions(style, c.digitsCollectors, { parent: { param: 'Call_ID', collection: c.calls } });

  return {
    listCalls: calls.list,
    getCall: calls.get,
    createCall: (ctx) => id(calling.create(ctx.ws, ctx.body ?? {}, ctx.operation.bodySchema)),
    updateCall: (ctx) => id(calling.update(ctx.ws, ctx.params.Call_ID, ctx.body ?? {}, ctx.operation.bodySchema)),
    deleteCall: (ctx) => id(calling.remove(ctx.ws, ctx.params.Call_ID)),
    playCallDtmf: play(callTarget, 'dtmf'),
    playCallTts: play(callTarget, 'tts'),
    playCallAudio: play(callTarget, 'audio'),
    listDigitsCollectors: collectors.list,
    getDigitsCollector: collectors.get,
    createDigitsCollector: (ctx) => id(calling.digits.start(ctx.ws, ctx.params.Call_ID, ctx.body ?? {})),
    deleteDigitsCollector: (ctx) => {
      calling.digits.stop(ctx.ws, ctx.params.Call_ID, ctx.params.Collector_ID);
      return { status: 204 };
    },

    listBridges: bridges.list,
    getBridge: bridges.get,
    createBridge: (ctx) => id(calling.createBridge(ctx.ws, ctx.body ?? {}, ctx.operation.bodySchema)),
    updateBridge: (ctx) => id(calling.updateBridge(ctx.ws, ctx.params.Bridge_ID, ctx.body ?? {}, ctx.operation.bodySchema)),
    deleteBridge: (ctx) => id(calling.removeBridge(ctx.ws, ctx.params.Bridge_ID)),
    listBridgeCalls: (ctx) => {
      const b = c.bridges.get(ctx.ws, ctx.params.Bridge_ID);
      return listWhere(ctx, c, (r) => r.bridge_id === b.id);
    },
    playBridgeTts: play(bridgeTarget, 'tts'),
    playBridgeAudio: play(bridgeTarget, 'audio'),

    listConferences: conferences.list,
    getConference: conferences.get,
    createConference: (ctx) => id(calling.createConference(ctx.ws, ctx.body ?? {}, ctx.operation.bodySchema)),
    updateConference: (ctx) => {
      calling.updateConference(ctx.ws, ctx.params.Conference_ID, ctx.body ?? {});
      return { status: 204 };
    },
    deleteConference: (ctx) => id(calling.removeConference(ctx.ws, ctx.params.Conference_ID)),
    playConferenceTts: play(conferenceTarget, 'tts'),
    playConferenceAudio: play(conferenceTarget, 'audio'),
    listConferenceMembers: members.list,
    getConferenceMember: members.get,
    createConferenceMember: (ctx) => id(calling.addMember(ctx.ws, ctx.params.Conference_ID, ctx.body ?? {}, ctx.operation.bodySchema)),
    updateConferenceMember: (ctx) => {
      calling.updateMember(ctx.ws, member(ctx), ctx.body ?? {});
      return { status: 204 };
    },
    deleteConferenceMember: (ctx) => {
      const m = member(ctx);
      calling.removeMember(ctx.ws, m);
      return id(m);
    },
    playConferenceMemberTts: play(memberTarget, 'tts'),
    playConferenceMemberAudio: play(memberTarget, 'audio'),
  };
}

/** play_dtmf takes `dtmf_digits` (seed) or `dtmfText` (public description); both must then agree. */
function playInput(kind: string, body: Record<string, unknown>): Record<string, unknown> {
  if (kind !== 'dtmf') return body;
  const { dtmfText, ...rest } = body;
  if (dtmfText !== undefined && rest.dtmf_digits !== undefined && dtmfText !== rest.dtmf_digits) {
    throw invalid('dtmf_digits and dtmfText differ: send one of them', { field: 'dtmfText' });
  }
  return { ...rest, dtmf_digits: rest.dtmf_digits ?? dtmfText };
}

function listWhere(ctx: HandlerContext, c: SynCollections, where: (r: Record<string, unknown>) => boolean) {
  const { items, page } = c.calls.list(ctx.ws, ctx.query, { where });
  return { body: c.calls.envelope(items.map((r) => c.calls.render(r)), page) };
}
