// Email messages over HTTP: list (Channel), search, CRUD, duplicate, content, links and their
// interests, the readiness check, analyzers, the tracking redirect, tags and the reference lists.
// Behaviour lives in message-editing.ts, message-checks.ts, message-analysis.ts and
// message-tracking.ts; this file reads requests and renders answers.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import { dolistError } from '../error-catalogue.js';
import { accountGroups, findInterest } from '../interests.js';
import { startEmailAnalyzer } from '../message-analysis.js';
import { linkTypeName, messageCatalogue } from '../message-catalogue.js';
import { checkMessageReady } from '../message-checks.js';
import {
  createEmailMessage,
  deleteMessage,
  duplicateMessage,
  messageForWrite,
  messagesCollection,
  messageView,
  requireLink,
  setEmailContent,
  setLinkInterests,
  updateEmailMessage,
  updateLink,
} from '../message-editing.js';
import { trackLink } from '../message-tracking.js';
import type { Channel, MessageRec } from '../messages.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';
import { tagItemsTable, tagsOfItem } from '../tags.js';
import {
  bodyOf,
  channelParam,
  compact,
  intList,
  intParam,
  list,
  operationModeParam,
  renderEmailContent,
  renderEmailMessage,
  renderLink,
  renderMessage,
  renderTag,
  sendTypeParam,
} from './messages-views.js';

/**
 * The content of a body: `{Html, Text}`, also `SourceCode` for Html (the production transactional
 * calls' spelling) and either wrapped in `Content` or `MessageContent`. Only what is present changes.
 */
export function emailContentInput(b: Record<string, unknown>): { Html?: unknown; Text?: unknown } {
  const wrapped = [b.MessageContent, b.Content].find((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) as Record<string, unknown> | undefined;
  const src = wrapped ?? b;
  const html = src.Html !== undefined ? src.Html : src.SourceCode;
  return { ...(html !== undefined ? { Html: html } : {}), ...(src.Text !== undefined ? { Text: src.Text } : {}) };
}

const created = (m: MessageRec) => ({ status: 201, body: { ID: m.ID } });
const msgId = (ctx: HandlerContext) => intParam(ctx, 'MessageID');

/** The message lists' rule: the route's channel, and the `Channel` asked for (another one lists nothing). */
export function channelListDecl(channel: Channel) {
  return {
    collection: messagesCollection,
    action: 'list' as const,
    partition: callerAccount,
    guard: (ctx: HandlerContext) => void channelParam(ctx),
    where: (ctx: HandlerContext) => {
      const asked = channelParam(ctx);
      return (r: MessageRec) => r.Channel === channel && asked === channel;
    },
    render: (r: MessageRec) => renderMessage(r),
  };
}

/** `POST /x/messages/search`: the body's criteria, paged and sorted like the lists. */
export function searchMessages(ctx: HandlerContext, channel: Channel) {
  const b = bodyOf(ctx);
  const account = callerAccount(ctx);
  const name = typeof b.Name === 'string' ? b.Name.trim().toLowerCase() : undefined;
  const after = b.CreatedAfter !== undefined ? Date.parse(String(b.CreatedAfter)) : undefined;
  const before = b.CreatedBefore !== undefined ? Date.parse(String(b.CreatedBefore)) : undefined;
  if (Number.isNaN(after) || Number.isNaN(before)) throw dolistError('36', 'CreatedAfter / CreatedBefore must be ISO 8601 dates', Number.isNaN(after) ? 'CreatedAfter' : 'CreatedBefore');
  const tags = intList(b.TagIDList, 'TagIDList');
  const itemType = channel === 'email' ? 'emailmessage' : 'smsmessage';
  let tagged: Set<number> | undefined;
  if (tags.length) {
    const byItem = new Map<number, Set<number>>();
    for (const t of tagItemsTable(ctx.ws).lookup('account', account)) {
      if (t.ItemType.toLowerCase() !== itemType) continue;
      byItem.set(t.ItemID, (byItem.get(t.ItemID) ?? new Set<number>()).add(t.TagID));
    }
    tagged = new Set([...byItem].filter(([, ids]) => tags.every((t) => ids.has(t))).map(([id]) => id));
  }
  const input: Record<string, unknown> = {};
  for (const k of ['SearchValue', 'Offset', 'Limit', 'SortField', 'SortOrder']) if (b[k] !== undefined && b[k] !== null) input[k] = typeof b[k] === 'number' ? String(b[k]) : b[k];
  const { items, page } = messagesCollection.list(ctx.ws, input, {
    partition: account,
    where: (m) =>
      m.Channel === channel &&
      (name === undefined || m.Name.toLowerCase() === name) &&
      (typeof b.IsLocked !== 'boolean' || (m.LockedBySendingID !== null) === b.IsLocked) &&
      (typeof b.IsFrozen !== 'boolean' || m.IsFrozen === b.IsFrozen) &&
      (after === undefined || Date.parse(m.CreateDate) >= after) &&
      (before === undefined || Date.parse(m.CreateDate) <= before) &&
      (tagged === undefined || tagged.has(m.ID)),
  });
  return { status: 200, body: list(items.map(renderMessage), page.total) };
}

export function messageTags(ctx: HandlerContext, channel: Channel) {
  const account = callerAccount(ctx);
  const m = messageView(ctx.ws, account, channel, msgId(ctx));
  return { status: 200, body: list(tagsOfItem(ctx.ws, account, channel === 'email' ? 'EmailMessage' : 'SmsMessage', m.ID).map(renderTag)) };
}

export function duplicate(ctx: HandlerContext, channel: Channel) {
  const m = messageView(ctx.ws, callerAccount(ctx), channel, msgId(ctx));
  return created(duplicateMessage(ctx.ws, m, bodyOf(ctx).Name));
}

export function remove(ctx: HandlerContext, channel: Channel) {
  deleteMessage(ctx.ws, messageForWrite(ctx.ws, callerAccount(ctx), channel, msgId(ctx)));
  return NO_CONTENT;
}

export const referenceList = (items: ReadonlyArray<object>) => ({ status: 200, body: list(items.map((i) => compact({ ...i } as Record<string, unknown>))) });

export function emailMessageHandlers(): Record<string, Handler> {
  return {
    ...crud(style, {
      listEmailMessages: channelListDecl('email'),
      getEmailMessage: {
        collection: messagesCollection,
        action: 'get',
        partition: callerAccount,
        guard: (ctx, rec) => {
          if (rec!.Channel !== 'email') throw dolistError('708', `no email message ${rec!.ID}`, 'MessageID');
        },
        render: (r) => renderEmailMessage(r as MessageRec),
      },
    }),
    searchEmailMessages: (ctx) => searchMessages(ctx, 'email'),
    createEmailMessage: (ctx) => {
      const b = bodyOf(ctx);
      const content = b.Content !== undefined || b.MessageContent !== undefined ? emailContentInput({ Content: b.Content, MessageContent: b.MessageContent }) : undefined;
      return created(createEmailMessage(ctx.ws, callerAccount(ctx), { ...b, Content: content }));
    },
    updateEmailMessage: (ctx) => {
      const b = bodyOf(ctx);
      const content = b.Content !== undefined || b.MessageContent !== undefined ? emailContentInput({ Content: b.Content, MessageContent: b.MessageContent }) : undefined;
      updateEmailMessage(ctx.ws, messageForWrite(ctx.ws, callerAccount(ctx), 'email', msgId(ctx)), { ...b, Content: content });
      return NO_CONTENT;
    },
    deleteEmailMessage: (ctx) => remove(ctx, 'email'),
    duplicateEmailMessage: (ctx) => duplicate(ctx, 'email'),
    listEmailMessageTags: (ctx) => messageTags(ctx, 'email'),

    getEmailMessageContent: (ctx) => ({ status: 200, body: renderEmailContent(messageView(ctx.ws, callerAccount(ctx), 'email', msgId(ctx))) }),
    updateEmailMessageContent: (ctx) => {
      const m = messageForWrite(ctx.ws, callerAccount(ctx), 'email', msgId(ctx));
      setEmailContent(ctx.ws, m, emailContentInput(bodyOf(ctx)));
      return NO_CONTENT;
    },

    listEmailMessageLinks: (ctx) => {
      const m = messageView(ctx.ws, callerAccount(ctx), 'email', msgId(ctx));
      const asked = String(ctx.query.LinkTypeList ?? '')
        .split(/[,;]/)
        .map((s) => s.trim())
        .filter(Boolean);
      if (!asked.length) throw dolistError('36', 'LinkTypeList must name at least one link type (GET /email/messages/linktypes)', 'LinkTypeList');
      const types = new Set(
        asked.map((a) => {
          const t = linkTypeName(ctx.ws, a);
          if (!t) throw dolistError('36', `unknown link type ${JSON.stringify(a)} (GET /email/messages/linktypes)`, 'LinkTypeList');
          return t;
        }),
      );
      return { status: 200, body: list(m.Links.filter((l) => types.has(l.LinkType)).map(renderLink)) };
    },
    getEmailMessageLink: (ctx) => {
      const m = messageView(ctx.ws, callerAccount(ctx), 'email', msgId(ctx));
      return { status: 200, body: renderLink(requireLink(m, intParam(ctx, 'LinkID'))) };
    },
    updateEmailMessageLink: (ctx) => {
      const m = messageForWrite(ctx.ws, callerAccount(ctx), 'email', msgId(ctx));
      const b = bodyOf(ctx);
      requireLink(m, intParam(ctx, 'LinkID'));
      let type: string | undefined;
      if (b.LinkType !== undefined && b.LinkType !== null) {
        type = linkTypeName(ctx.ws, String(b.LinkType));
        if (!type) throw dolistError('36', `unknown link type ${JSON.stringify(b.LinkType)} (GET /email/messages/linktypes)`, 'LinkType');
      }
      updateLink(ctx.ws, m, intParam(ctx, 'LinkID'), b, type);
      return NO_CONTENT;
    },
    updateEmailMessageLinkInterests: (ctx) => {
      const mode = operationModeParam(ctx);
      const m = messageForWrite(ctx.ws, callerAccount(ctx), 'email', msgId(ctx));
      setLinkInterests(ctx.ws, m, intParam(ctx, 'LinkID'), mode, intList(bodyOf(ctx).InterestIDList, 'InterestIDList'));
      return NO_CONTENT;
    },
    listEmailMessageLinkGroupinterests: (ctx) => {
      const account = callerAccount(ctx);
      const m = messageView(ctx.ws, account, 'email', msgId(ctx));
      const link = requireLink(m, intParam(ctx, 'LinkID'));
      const interests = link.InterestIDList.map((id) => findInterest(ctx.ws, account, id)).filter((i) => i !== undefined);
      const groups = accountGroups(ctx.ws, account)
        .map((g) => ({ ID: g.ID, Name: g.Name, InterestList: interests.filter((i) => i.GroupID === g.ID).map((i) => ({ ID: i.ID, Name: i.Name })) }))
        .filter((g) => g.InterestList.length);
      return { status: 200, body: list(groups) };
    },

    checkEmailMessage: (ctx) => {
      sendTypeParam(ctx);
      checkMessageReady(ctx.ws, messageView(ctx.ws, callerAccount(ctx), 'email', msgId(ctx)));
      return NO_CONTENT;
    },
    analyzeEmailMessageAsync: (ctx) => {
      const m = messageView(ctx.ws, callerAccount(ctx), 'email', msgId(ctx));
      return { status: 201, body: startEmailAnalyzer(ctx.ws, m.account, { Subject: m.Subject, Html: m.Content.Html, Text: m.Content.Text }, m.ID) };
    },
    analyzeEmailDraftAsync: (ctx) => {
      const b = bodyOf(ctx);
      const account = callerAccount(ctx);
      const base = b.MessageID !== undefined && b.MessageID !== null ? messageView(ctx.ws, account, 'email', Number(b.MessageID)) : undefined;
      const pick = (k: 'Subject' | 'Html' | 'Text', stored: string | null | undefined) => (typeof b[k] === 'string' ? (b[k] as string) : stored ?? null);
      const draft = { Subject: pick('Subject', base?.Subject), Html: pick('Html', base?.Content.Html), Text: pick('Text', base?.Content.Text) };
      return { status: 201, body: startEmailAnalyzer(ctx.ws, account, draft, null) };
    },

    trackEmailLink: (ctx) => {
      const q = ctx.query;
      const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
      const result = trackLink(ctx.ws, {
        account: callerAccount(ctx),
        linkId: intParam(ctx, 'LinkID'),
        sendingId: Number(q.SendingID),
        occurrenceId: Number(q.OccurrenceID),
        contactId: Number(q.ContactID),
        keyCode: String(q.KeyCode ?? ''),
        queryString: str(q.QueryString),
        ipAddress: str(q.IpAddress),
        userAgent: str(q.UserAgent),
        referer: str(q.Referer),
        trackingType: str(q.TrackingType),
        saveEvent: q.SaveEvent === true || String(q.SaveEvent).toLowerCase() === 'true',
      });
      return { status: 200, body: result };
    },

    listEmailMessageLinktypes: (ctx) => referenceList(messageCatalogue(ctx.ws).linkTypes),
    listEmailMessageEncodings: (ctx) => referenceList(messageCatalogue(ctx.ws).emailEncodings),
    listEmailMessageFormats: (ctx) => referenceList(messageCatalogue(ctx.ws).emailFormats),
    listEmailMessageCultures: (ctx) => referenceList(messageCatalogue(ctx.ws).cultures),
  };
}
