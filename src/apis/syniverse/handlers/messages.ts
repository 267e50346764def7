// HTTP <-> domain for the message flow operations of the public description: "Send a Message"
// (POST /messaging/messages), the cancellation of scheduled messages and message requests, and
// the message request list with its message-date filters.
import type { HandlerContext } from '../../../core/api.js';
import { parseTimestamp } from '../../../core/clock.js';
import type { OperationHandlers } from '../../../core/contract-types.js';
import { crudActions } from '../../../core/crud.js';
import { invalid } from '../../../core/errors.js';
import type { Rec } from '../../../core/store.js';
import type { SynCollections } from '../collections.js';
import type { operations } from '../generated/contract.js';
import type { Messaging } from '../messaging.js';
import { style } from '../style.js';

const NO_CONTENT = { status: 204 } as const;

/** `sent_date` / `delivered_date` on message requests: requests with a message sent (delivered) at that instant. */
const MESSAGE_DATES = ['sent_date', 'delivered_date'] as const;

export function messagesHandlers(c: SynCollections, m: Messaging): OperationHandlers<operations> {
  const byMessageDate = (ctx: HandlerContext): ((r: Rec) => boolean) | undefined => {
    let ids: Set<string> | undefined;
    for (const field of MESSAGE_DATES) {
      const raw = ctx.query[field];
      if (raw === undefined || raw === null || raw === '') continue;
      const t = parseTimestamp(raw);
      if (t === undefined) throw invalid(`query parameter '${field}' must be an ISO 8601 timestamp or epoch milliseconds`, { field });
      const found = new Set(
        c.messages
          .table(ctx.ws)
          .lookup(field, new Date(t).toISOString())
          .map((msg) => String(msg.message_request_id)),
      );
      ids = ids ? new Set([...ids].filter((id) => found.has(id))) : found;
    }
    return ids ? (r) => ids!.has(String(r.id)) : undefined;
  };
  const requests = crudActions(style, c.messageRequests, { where: byMessageDate });

  return {
    createMessage: (ctx) => ({ body: { id: m.sendMessage(ctx.ws, ctx.body ?? {}).id } }),
    deleteScheduledMessage: (ctx) => {
      m.cancelScheduledMessage(ctx.ws, ctx.params.Message_Scheduled_ID);
      return NO_CONTENT;
    },
    deleteScheduledMessageRequest: (ctx) => {
      m.cancelScheduledRequest(ctx.ws, ctx.params.MessageRequest_Scheduled_ID);
      return NO_CONTENT;
    },
    listMessageRequests: requests.list,
  };
}
