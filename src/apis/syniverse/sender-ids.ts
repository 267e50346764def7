// Sender id provisioning on the workspace clock: PENDING_IMPLEMENTATION -> IMPLEMENTED -> ACTIVE,
// each step `senderProvisioningMs` apart, each emitting `sender_id_state_change`.
import type { Workspace } from '../../core/workspace.js';
import { synFixtures, type SynCollections } from './collections.js';
import { API_ID } from './style.js';

export const SENDER_EV = { provision: 'syniverse.sender.provision' } as const;

/** Schedules the provisioning steps of a new PRIVATE sender id. */
export function scheduleProvisioning(ws: Workspace, senderId: string): void {
  const ms = synFixtures(ws).timings.senderProvisioningMs;
  ws.schedule(SENDER_EV.provision, ws.now() + ms, { sender: senderId, to: 'IMPLEMENTED' });
  ws.schedule(SENDER_EV.provision, ws.now() + 2 * ms, { sender: senderId, to: 'ACTIVE' });
}

export function senderEventHandlers(c: SynCollections) {
  return {
    [SENDER_EV.provision]: (ws: Workspace, data: Record<string, unknown>) => {
      const s = c.senderIds.table(ws).get(String(data.sender));
      if (!s) return;
      const from = data.to === 'IMPLEMENTED' ? 'PENDING_IMPLEMENTATION' : 'IMPLEMENTED';
      if (s.state !== from) return;
      s.state = data.to;
      c.senderIds.bump(ws, s);
      ws.emit(API_ID, 'sender_id_state_change', { sender_id: s.id, state: s.state, previous_state: from });
    },
  };
}
