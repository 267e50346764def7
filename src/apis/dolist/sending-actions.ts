// Standby, resume and stop, for one sending or in bulk (research part 2 §4.2 S4-S7, S10). A
// wrong state is 403 [732] (the engine's requireStatus). Bulk: `{SendingIDList}` names the
// sendings, absent or empty = every sending of the channel in a state the action applies to;
// all or nothing (every listed sending is checked before the first one changes). Unknown ids:
// email 404 [729] (documented), SMS ignored (no 404 documented for the SMS bulk actions).
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import type { Channel } from './messages.js';
import { resumeSending, standbySending, stopSending } from './sending-engine.js';
import { findSending, sendingsTable, type SendingRec, type SendingStatus } from './sendings.js';

export type SendingAction = 'standby' | 'resume' | 'stop';

/** The states each action applies to. */
export const ACTION_FROM: Record<SendingAction, SendingStatus[]> = {
  standby: ['Planned', 'InProgress'],
  resume: ['Standby'],
  stop: ['Planned', 'InProgress', 'Standby'],
};

const RUN: Record<SendingAction, (ws: Workspace, s: SendingRec) => void> = { standby: standbySending, resume: resumeSending, stop: stopSending };

export function applyAction(ws: Workspace, s: SendingRec, action: SendingAction): void {
  RUN[action](ws, s);
}

/** The bulk action; returns the ids it applied to. */
export function bulkAction(ws: Workspace, account: string, channel: Channel, action: SendingAction, ids: unknown): number[] {
  let targets: SendingRec[];
  if (Array.isArray(ids) && ids.length) {
    targets = [];
    for (const raw of ids) {
      const id = Number(raw);
      if (!Number.isInteger(id)) throw dolistError('36', `SendingIDList holds ${JSON.stringify(raw)}, not an id`, 'SendingIDList');
      const s = findSending(ws, account, channel, id);
      if (!s) {
        if (channel === 'email') throw dolistError('729', `no email sending ${id} in account ${account}`, 'SendingIDList');
        continue;
      }
      if (!ACTION_FROM[action].includes(s.Status)) throw dolistError('732', `sending ${id} is ${s.Status}: it cannot be ${action === 'standby' ? 'put in standby' : action === 'resume' ? 'resumed' : 'stopped'}`, 'SendingIDList');
      if (!targets.some((t) => t.ID === s.ID)) targets.push(s);
    }
  } else if (ids === undefined || ids === null || Array.isArray(ids)) {
    targets = sendingsTable(ws)
      .lookup('account', account)
      .filter((s) => s.Channel === channel && ACTION_FROM[action].includes(s.Status))
      .sort((a, b) => a.ID - b.ID);
  } else {
    throw dolistError('36', 'SendingIDList must be a list of sending ids', 'SendingIDList');
  }
  for (const s of targets) RUN[action](ws, sendingsTable(ws).peek(s.id)!);
  return targets.map((s) => s.ID);
}
