// HTTP <-> domain for the sending resources of /messaging/*: sender id classes and types
// (read-only catalogues), sender ids (ownership, purchase, provisioning, bulk delete, the limited
// list), channels and their sender ids, attachments (+ access tokens and content) and keywords.
// The rules live in sender-ids.ts, keywords.ts and attachments.ts.
import type { HandlerContext } from '../../../core/api.js';
import type { OperationHandlers, TypedContext } from '../../../core/contract-types.js';
import { crudActions } from '../../../core/crud.js';
import type { Collection } from '../../../core/engine/collection.js';
import { toStringList } from '../../../core/engine/collection.js';
import { conflictState, invalid, notFound } from '../../../core/errors.js';
import type { Rec } from '../../../core/store.js';
import { attachmentOfToken, attachmentToken, clearContent, decodeContentData, downloadContent, requestedExpiry, uploadContent } from '../attachments.js';
import type { SynCollections } from '../collections.js';
import type { operations } from '../generated/contract.js';
import { checkKeywordDelete, checkKeywordUpdate, createKeyword, replaceKeyword } from '../keywords.js';
import { canonicalFilters, catalogueId, createSender, deleteSender, deleteSenders, purchaseSender, requestUsing, updateSender } from '../sender-ids.js';
import { style, idAnswer as ok } from '../style.js';


type Ctx<Id extends keyof operations> = TypedContext<operations, Id>;

export function sendersHandlers(c: SynCollections): OperationHandlers<operations> {
  const channels = crudActions(style, c.channels);
  const attachments = crudActions(style, c.attachments);
  const keywords = crudActions(style, c.keywords);

  /** class_id / type_id filters in the vendor's names or the former fixture ids. */
  const refs = { class_id: c.senderIdClasses, type_id: c.senderIdTypes };
  const listSenders = (ctx: HandlerContext, where?: (s: Rec) => boolean) => {
    const { items, page } = c.senderIds.list(ctx.ws, canonicalFilters(ctx.ws, ctx.query, refs), { where });
    return { body: c.senderIds.envelope(items.map((s) => c.senderIds.render(s)), page) };
  };
  /** A catalogue read by its id or an alias of it. */
  const catalogue = (coll: Collection) => ({
    list: (ctx: HandlerContext) => {
      const { items, page } = coll.list(ctx.ws, canonicalFilters(ctx.ws, ctx.query, { id: coll }));
      return { body: coll.envelope(items.map((r) => coll.render(r)), page) };
    },
    get: (ctx: HandlerContext, id: string) => ({ body: coll.render(coll.view(ctx.ws, catalogueId(ctx.ws, coll, id) ?? id)) }),
  });
  const classCatalogue = catalogue(c.senderIdClasses);
  const typeCatalogue = catalogue(c.senderIdTypes);

  /** `If-Match` on the hand-written updates and deletes too (412 unless it names the current version). */
  const ifMatch = (ctx: HandlerContext, coll: Collection, id: string) => coll.checkIfMatch(coll.view(ctx.ws, id), ctx.headers.get('if-match'));

  const members = (ch: Rec) => (ch._sender_ids as string[] | undefined) ?? [];
  /** Membership is not an attribute of the channel: a change keeps its version (a client's update with it still succeeds). */
  const setMembers = (ctx: HandlerContext, ch: Rec, ids: string[]) => {
    ch._sender_ids = ids;
    c.channels.table(ctx.ws).touch(ch);
  };
  const removeMember = (ctx: Ctx<'removeChannelSenderId' | 'removeChannelSenderIdByPath'>, senderId: string) => {
    const ch = c.channels.get(ctx.ws, ctx.params.Channel_ID);
    if (!senderId) throw invalid('name the sender id to remove (`?sender_id=` or DELETE .../sender_ids/{Sender_ID})', { field: 'sender_id', reason: 'missing' });
    if (!members(ch).includes(senderId)) throw notFound(`sender id ${senderId} is not in channel ${ch.id}`);
    setMembers(ctx, ch, members(ch).filter((x) => x !== senderId));
    return { body: { id: String(ch.id) } };
  };

  return {
    listSenderIdClasses: classCatalogue.list,
    getSenderIdClass: (ctx) => classCatalogue.get(ctx, ctx.params.Class_ID),
    listSenderIdTypes: typeCatalogue.list,
    getSenderIdType: (ctx) => typeCatalogue.get(ctx, ctx.params.Type_ID),

    listSenderIds: (ctx) => listSenders(ctx),
    listSenderIdsLimited: (ctx) => {
      const name = typeof ctx.query.name === 'string' ? ctx.query.name.toLowerCase() : '';
      const { items, page } = c.senderIds.list(ctx.ws, { offset: ctx.query.offset, limit: ctx.query.limit, sort: ctx.query.sort }, {
        where: name ? (s) => String(s.name ?? '').toLowerCase().includes(name) : undefined,
      });
      return { body: c.senderIds.envelope(items.map(limitedView), page) };
    },
    getSenderId: (ctx) => ({ body: c.senderIds.render(c.senderIds.view(ctx.ws, ctx.params.Sender_ID)) }),
    createSenderId: (ctx) => ok(createSender(ctx.ws, c, ctx.body ?? {}, ctx.operation.bodySchema)),
    purchaseSenderId: (ctx) => ok(purchaseSender(ctx.ws, c, String(ctx.body.parent_id))),
    updateSenderId: (ctx) => {
      ifMatch(ctx, c.senderIds, ctx.params.Sender_ID);
      return ok(updateSender(ctx.ws, c, ctx.params.Sender_ID, (ctx.body ?? {}) as Record<string, unknown>, ctx.operation.bodySchema));
    },
    deleteSenderId: (ctx) => {
      ifMatch(ctx, c.senderIds, ctx.params.Sender_ID);
      return ok(deleteSender(ctx.ws, c, ctx.params.Sender_ID));
    },
    deleteSenderIds: (ctx) => {
      const deleted = deleteSenders(ctx.ws, c, ctx.query as Record<string, unknown>);
      return { body: { del_qty: String(deleted), err_qty: '0', err_msg: null } };
    },

    listChannels: channels.list,
    getChannel: channels.get,
    createChannel: (ctx) => ok(c.channels.create(ctx.ws, lowerPriority(ctx.body), ctx.operation.bodySchema)),
    updateChannel: (ctx) => {
      ifMatch(ctx, c.channels, ctx.params.Channel_ID);
      return ok(c.channels.update(ctx.ws, ctx.params.Channel_ID, lowerPriority(ctx.body), ctx.operation.bodySchema));
    },
    replaceChannel: (ctx) => {
      ifMatch(ctx, c.channels, ctx.params.Channel_ID);
      return ok(c.channels.replace(ctx.ws, ctx.params.Channel_ID, lowerPriority(ctx.body), ctx.operation.bodySchema));
    },
    deleteChannel: (ctx) => {
      ifMatch(ctx, c.channels, ctx.params.Channel_ID);
      const ch = c.channels.get(ctx.ws, ctx.params.Channel_ID);
      const user = requestUsing(ctx.ws, c, String(ch.id));
      if (user) throw conflictState(`channel ${ch.id} is used by message request ${user.id} (${user.state})`);
      return ok(c.channels.remove(ctx.ws, String(ch.id)));
    },
    listChannelSenderIds: (ctx) => {
      const ids = new Set(members(c.channels.get(ctx.ws, ctx.params.Channel_ID)));
      return listSenders(ctx, (s) => ids.has(String(s.id)));
    },
    addChannelSenderIds: (ctx) => {
      const ws = ctx.ws;
      const ch = c.channels.get(ws, ctx.params.Channel_ID);
      const body = ctx.body ?? {};
      const wanted = [...(toStringList(body.sender_ids) ?? []), ...(toStringList(body.sender_id) ?? []), ...(toStringList(body.id) ?? [])];
      if (!wanted.length) throw invalid('send the sender ids to add as "sender_ids" (array) or "sender_id"', { field: 'sender_ids', reason: 'missing' });
      const next = [...members(ch)];
      const errors: Array<{ sender_id: string; error_code: string; error_description: string }> = [];
      for (const id of wanted) {
        if (!c.senderIds.lookup(ws, id)) errors.push({ sender_id: id, error_code: '404', error_description: `sender id ${id} not found` });
        else if (!next.includes(id)) next.push(id);
      }
      if (errors.length === wanted.length) throw notFound(errors.map((e) => e.error_description).join('; '));
      if (next.length !== members(ch).length) setMembers(ctx, ch, next);
      // Always a list: the SDKs iterate `errors`, and a null crashes them.
      return { body: { id: String(ch.id), errors } };
    },
    // The operation declares no body (the router reads none for it): the id is the query's.
    removeChannelSenderId: (ctx) => removeMember(ctx, String(ctx.rawQuery.sender_id ?? '')),
    removeChannelSenderIdByPath: (ctx) => removeMember(ctx, ctx.params.Sender_ID),

    listAttachments: attachments.list,
    getAttachment: attachments.get,
    createAttachment: attachments.create,
    updateAttachment: attachments.update,
    deleteAttachment: (ctx) => {
      ifMatch(ctx, c.attachments, ctx.params.Attachment_ID);
      return ok(clearContent(ctx.ws, c, ctx.params.Attachment_ID));
    },
    createAttachmentAccessToken: (ctx) => ({
      body: { id: attachmentToken(ctx.ws, c, ctx.params.Attachment_ID, requestedExpiry(ctx.ws, ctx.body as Record<string, unknown> | undefined)) },
    }),
    uploadAttachmentContent: (ctx) => {
      const a = attachmentOfToken(ctx.ws, c, ctx.params.AccessToken);
      const bytes = ctx.rawBody ?? (typeof ctx.body === 'string' ? new TextEncoder().encode(ctx.body) : undefined);
      return ok(uploadContent(ctx.ws, c, a, bytes, ctx.contentType));
    },
    downloadAttachmentContent: (ctx) => ({ raw: downloadContent(ctx.ws, attachmentOfToken(ctx.ws, c, ctx.params.AccessToken)) }),
    // The public description's content by attachment id (Bearer token instead of an access token).
    getAttachmentContent: (ctx) => ({ raw: downloadContent(ctx.ws, c.attachments.get(ctx.ws, ctx.params.Attachment_ID)) }),
    uploadAttachmentContentById: (ctx) => {
      const a = c.attachments.get(ctx.ws, ctx.params.Attachment_ID);
      if (ctx.rawBody) return ok(uploadContent(ctx.ws, c, a, ctx.rawBody, ctx.contentType));
      const body = (ctx.body ?? {}) as Record<string, unknown>;
      return ok(uploadContent(ctx.ws, c, a, decodeContentData(body['content-data']), ''));
    },

    listKeywords: keywords.list,
    getKeyword: keywords.get,
    createKeyword: (ctx) => ok(createKeyword(ctx.ws, c, ctx.body ?? {}, ctx.operation.bodySchema)),
    updateKeyword: (ctx) => {
      checkKeywordUpdate(ctx.ws, c, ctx.params.Keyword_ID, ctx.body, ctx.operation.bodySchema);
      return keywords.update(ctx);
    },
    replaceKeyword: (ctx) => {
      ifMatch(ctx, c.keywords, ctx.params.Keyword_ID);
      return ok(replaceKeyword(ctx.ws, c, ctx.params.Keyword_ID, ctx.body, ctx.operation.bodySchema));
    },
    deleteKeyword: (ctx) => {
      checkKeywordDelete(ctx.ws, c, ctx.params.Keyword_ID);
      return keywords.remove(ctx);
    },
  };
}

/** GET /messaging/sender_ids/list items: the public description's limited sender address. */
function limitedView(s: Rec) {
  return {
    id: String(s.id),
    version_number: Number(s.version_number),
    name: (s.name as string | null) ?? null,
    address: (s.address as string | null) ?? null,
    country: (s.country as string | null) ?? null,
    countries: s.country ? [String(s.country)] : [],
    capabilities: (s.capabilities as string[] | null) ?? null,
    application_id: (s.application_id as number | null) ?? null,
    type_id: (s.type_id as string | null) ?? null,
    state: String(s.state),
  };
}

function lowerPriority(body: Record<string, unknown> | undefined) {
  if (!body || typeof body.priority !== 'string') return body;
  return { ...body, priority: body.priority.toLowerCase() };
}
