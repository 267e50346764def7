// HTTP <-> domain for /messaging/*: templates, messages and message requests (sender ids,
// channels, attachments and keywords are in senders.ts).
import type { Handler } from '../../../core/api.js';
import type { OperationHandlers } from '../../../core/contract-types.js';
import { conflictState, SimError } from '../../../core/errors.js';
import { toStringList } from '../../../core/engine/collection.js';
import type { SynCollections } from '../collections.js';
import type { operations } from '../generated/contract.js';
import { crudActions } from '../../../core/crud.js';
import type { Messaging } from '../messaging.js';
import { style, idAnswer as ok } from '../style.js';

/** DELETED messages stay readable but leave the lists unless asked for (research M9). */
const DELETED = [{ field: 'state', values: ['DELETED'] }];

export function messagingHandlers(c: SynCollections, m: Messaging): OperationHandlers<operations> {
  const templates = crudActions(style, c.messageTemplates);
  const messages = crudActions(style, c.messages, {
    exclude: (ctx) => (String(ctx.query.state ?? '').toUpperCase() === 'DELETED' ? undefined : DELETED),
  });
  const requests = crudActions(style, c.messageRequests);
  const notAllowed: Handler = (ctx) => {
    throw new SimError('method_not_allowed', `${ctx.operation.method} ${ctx.operation.path} is not allowed (documented as "Not allowed")`);
  };

  return {
    listMessageTemplates: templates.list,
    getMessageTemplate: templates.get,
    createMessageTemplate: templates.create,
    updateMessageTemplate: templates.update,
    replaceMessageTemplate: templates.replace,
    deleteMessageTemplate: (ctx) => {
      const t = c.messageTemplates.get(ctx.ws, ctx.params.Template_ID);
      const user = c.senderIds.table(ctx.ws).find((s) => (toStringList(s.message_templates) ?? []).includes(String(t.id)));
      if (user) throw conflictState(`template ${t.id} is used by sender id ${user.id}`);
      return templates.remove(ctx);
    },

    listMessages: messages.list,
    getMessage: messages.get,
    updateMessageState: (ctx) => ok(m.updateMessageState(ctx.ws, ctx.params.Message_ID, ctx.body)),
    deleteMessage: (ctx) => ok(m.deleteMessage(ctx.ws, ctx.params.Message_ID)),
    listMessageAttachments: (ctx) => {
      const msg = c.messages.get(ctx.ws, ctx.params.Message_ID);
      const ids = new Set(toStringList(msg.attachments) ?? []);
      const { items, page } = c.attachments.list(ctx.ws, ctx.query, { where: (a) => ids.has(String(a.id)) });
      return { body: c.attachments.envelope(items.map((a) => c.attachments.render(a)), page) };
    },
    createMessageAttachment: notAllowed,

    getMessageRequest: requests.get,
    createMessageRequest: (ctx) => ok(m.createRequest(ctx.ws, ctx.body ?? {}, ctx.operation.bodySchema)),
    updateMessageRequestState: (ctx) => ok(m.updateRequestState(ctx.ws, ctx.params.MessageRequest_ID, ctx.body)),
    deleteMessageRequest: (ctx) => ok(m.deleteRequest(ctx.ws, ctx.params.MessageRequest_ID)),
    listMessageRequestMessages: (ctx) => {
      const req = c.messageRequests.get(ctx.ws, ctx.params.MessageRequest_ID);
      const exclude = String(ctx.query.state ?? '').toUpperCase() === 'DELETED' ? undefined : DELETED;
      const { items, page } = c.messages.list(ctx.ws, { ...ctx.query, message_request_id: req.id }, { exclude });
      return { body: c.messages.envelope(items.map((r) => c.messages.render(r)), page) };
    },
    createMessageRequestMessage: notAllowed,
  };
}
