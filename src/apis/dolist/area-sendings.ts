// The sendings area of the Dolist API (part 2, see area.ts): email and SMS sendings over time
// (sending-engine.ts), plannings, the transactional email calls.
import type { Area } from './area.js';
import { sendingEventHandlers } from './sending-engine.js';

export const sendingsArea: Area = () => ({
  handlers: {},
  eventHandlers: sendingEventHandlers,
});
