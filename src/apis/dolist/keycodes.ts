// The KeyCode of one recipient of one occurrence of a sending: what `render` ("view online")
// and the tracking links check (400 [45] when it does not match), and what the report file
// shows so a client (or a test) can obtain it. Research part 2 §5 item 22: a deterministic
// HMAC of (SendingID, ContactID, OccurrenceID), keyed by the workspace, so it is stable across
// restarts and never guessable from another workspace. The tracking endpoint (message-tracking.ts),
// render and the reports all use this one definition.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Workspace } from '../../core/workspace.js';

export function recipientKeyCode(ws: Workspace, sendingId: number, contactId: number, occurrenceId: number): string {
  return createHmac('sha256', `dolist-keycode:${ws.id}`).update(`${sendingId}:${contactId}:${occurrenceId}`).digest('hex').slice(0, 24).toUpperCase();
}

/** Does `keyCode` (any case) belong to that recipient? */
export function isRecipientKeyCode(ws: Workspace, sendingId: number, contactId: number, occurrenceId: number, keyCode: string): boolean {
  const want = Buffer.from(recipientKeyCode(ws, sendingId, contactId, occurrenceId));
  const got = Buffer.from(keyCode.trim().toUpperCase());
  return got.length === want.length && timingSafeEqual(got, want);
}
