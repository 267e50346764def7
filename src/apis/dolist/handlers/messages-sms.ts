// SMS messages over HTTP: list (Channel), search, CRUD, duplicate, content, checks (stored and
// draft), analyzers and simulations (stored and draft), tags and the reference lists.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import type { Workspace } from '../../../core/workspace.js';
import { dolistError } from '../error-catalogue.js';
import { startSmsAnalyzer, startSmsSimulation } from '../message-analysis.js';
import { defaultCulture, findCulture, messageCatalogue } from '../message-catalogue.js';
import { checkMessageReady } from '../message-checks.js';
import { createSmsMessage, messageForWrite, messagesCollection, messageView, setSmsContent, updateSmsMessage } from '../message-editing.js';
import type { MessageRec } from '../messages.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';
import { channelListDecl, duplicate, messageTags, referenceList, remove, searchMessages } from './messages-email.js';
import { bodyOf, compact, intParam, renderSmsMessage, sendTypeParam } from './messages-views.js';

const msgId = (ctx: HandlerContext) => intParam(ctx, 'MessageID');

/** An unsaved SMS message of the body, as the validator reads a stored one (nothing is written). */
function draftMessage(ws: Workspace, account: string, b: Record<string, unknown>): MessageRec {
  const culture = b.Culture !== undefined && b.Culture !== null ? findCulture(ws, String(b.Culture)) : undefined;
  if (b.Culture !== undefined && b.Culture !== null && !culture) throw dolistError('41', `culture ${JSON.stringify(b.Culture)} is not one of GET /sms/messages/cultures`, 'Culture');
  return {
    id: 'draft',
    ID: 0,
    account,
    Channel: 'sms',
    Name: 'draft',
    Subject: null,
    SenderID: b.SenderID === undefined || b.SenderID === null ? null : Number(b.SenderID),
    ReplyID: null,
    PackID: null,
    Culture: culture?.Code ?? defaultCulture(ws, account),
    EncodingID: null,
    FormatID: null,
    IsTrackingValidated: true,
    Content: { Text: typeof b.Text === 'string' ? b.Text : '' },
    Links: [],
    IsFrozen: false,
    LockedBySendingID: null,
    CreateDate: '',
    UpdateDate: '',
  };
}

/** The simulation's target (required, an integer; unknown: 404 [502] when started). */
function targetOf(b: Record<string, unknown>): number {
  const t = Number(b.TargetID);
  if (b.TargetID === undefined || b.TargetID === null || !Number.isInteger(t)) throw dolistError('36', 'TargetID is required (the target to simulate a send to)', 'TargetID');
  return t;
}

export function smsMessageHandlers(): Record<string, Handler> {
  return {
    ...crud(style, {
      listSmsMessages: channelListDecl('sms'),
      getSmsMessage: {
        collection: messagesCollection,
        action: 'get',
        partition: callerAccount,
        guard: (ctx, rec) => {
          if (rec!.Channel !== 'sms') throw dolistError('708', `no SMS message ${rec!.ID}`, 'MessageID');
        },
        render: (r) => renderSmsMessage(r as MessageRec),
      },
    }),
    searchSmsMessages: (ctx) => searchMessages(ctx, 'sms'),
    createSmsMessage: (ctx) => ({ status: 201, body: { ID: createSmsMessage(ctx.ws, callerAccount(ctx), bodyOf(ctx)).ID } }),
    updateSmsMessage: (ctx) => {
      updateSmsMessage(ctx.ws, messageForWrite(ctx.ws, callerAccount(ctx), 'sms', msgId(ctx)), bodyOf(ctx));
      return NO_CONTENT;
    },
    deleteSmsMessage: (ctx) => remove(ctx, 'sms'),
    duplicateSmsMessage: (ctx) => duplicate(ctx, 'sms'),
    listSmsMessageTags: (ctx) => messageTags(ctx, 'sms'),

    getSmsMessageContent: (ctx) => ({ status: 200, body: compact({ Text: messageView(ctx.ws, callerAccount(ctx), 'sms', msgId(ctx)).Content.Text }) }),
    updateSmsMessageContent: (ctx) => {
      const b = bodyOf(ctx);
      setSmsContent(ctx.ws, messageForWrite(ctx.ws, callerAccount(ctx), 'sms', msgId(ctx)), b.Text !== undefined ? { Text: b.Text } : {});
      return NO_CONTENT;
    },

    checkSmsMessage: (ctx) => {
      sendTypeParam(ctx);
      checkMessageReady(ctx.ws, messageView(ctx.ws, callerAccount(ctx), 'sms', msgId(ctx)));
      return NO_CONTENT;
    },
    checkSmsDraft: (ctx) => {
      checkMessageReady(ctx.ws, draftMessage(ctx.ws, callerAccount(ctx), bodyOf(ctx)));
      return NO_CONTENT;
    },

    analyzeSmsMessageAsync: (ctx) => {
      const m = messageView(ctx.ws, callerAccount(ctx), 'sms', msgId(ctx));
      return { status: 201, body: startSmsAnalyzer(ctx.ws, m.account, m.Content.Text ?? '', m.ID) };
    },
    analyzeSmsDraftAsync: (ctx) => {
      const b = bodyOf(ctx);
      return { status: 201, body: startSmsAnalyzer(ctx.ws, callerAccount(ctx), typeof b.Text === 'string' ? b.Text : '', null) };
    },
    simulateSmsMessageAsync: (ctx) => {
      const m = messageView(ctx.ws, callerAccount(ctx), 'sms', msgId(ctx));
      return { status: 201, body: startSmsSimulation(ctx.ws, m.account, targetOf(bodyOf(ctx)), m.Content.Text ?? '', m.ID) };
    },
    simulateSmsDraftAsync: (ctx) => {
      const b = bodyOf(ctx);
      return { status: 201, body: startSmsSimulation(ctx.ws, callerAccount(ctx), targetOf(b), typeof b.Text === 'string' ? b.Text : '', null) };
    },

    listSmsMessageEncodings: (ctx) => referenceList(messageCatalogue(ctx.ws).smsEncodings),
    listSmsMessageCultures: (ctx) => referenceList(messageCatalogue(ctx.ws).cultures),
  };
}
