// HTTP <-> domain for /messaging/*: sender id classes/types (read-only catalogues), templates,
// sender ids (ownership, purchase, provisioning), channels and their sender ids, messages,
// message requests, attachments (+ access tokens and content) and keywords.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { deepEqual } from '../../../core/clone.js';
import type { OperationHandlers, TypedContext } from '../../../core/contract-types.js';
import { forbidden, invalid, conflictState, notFound, SimError } from '../../../core/errors.js';
import { parseTimestamp } from '../../../core/clock.js';
import { toStringList } from '../../../core/engine/collection.js';
import type { Rec } from '../../../core/store.js';
import type { Workspace } from '../../../core/workspace.js';
import { contentTable, issueAccessToken, tokenTable } from '../attachments.js';
import { scheduleProvisioning } from '../sender-ids.js';
import { synFixtures, type SynCollections } from '../collections.js';
import type { operations } from '../generated/contract.js';
import { crudActions } from '../../../core/crud.js';
import { REQUEST_FINAL } from '../message-flow.js';
import type { Messaging } from '../messaging.js';
import { API_ID, style } from '../style.js';

const SYSTEM_OWNERSHIP = new Set(['SHARED', 'PREPROVISIONED', 'PURCHASED']);
/** DELETED messages stay readable but leave the lists unless asked for (research M9). */
const DELETED = [{ field: 'state', values: ['DELETED'] }];
const ok = (rec: Rec) => ({ body: { id: rec.id } });

type Ctx<Id extends keyof operations> = TypedContext<operations, Id>;

export function messagingHandlers(c: SynCollections, m: Messaging): OperationHandlers<operations> {
  const classes = crudActions(style, c.senderIdClasses);
  const types = crudActions(style, c.senderIdTypes);
  const templates = crudActions(style, c.messageTemplates);
  const senders = crudActions(style, c.senderIds);
  const channels = crudActions(style, c.channels);
  const messages = crudActions(style, c.messages, {
    exclude: (ctx) => (String(ctx.query.state ?? '').toUpperCase() === 'DELETED' ? undefined : DELETED),
  });
  const requests = crudActions(style, c.messageRequests);
  const attachments = crudActions(style, c.attachments);
  const keywords = crudActions(style, c.keywords);
  const notAllowed: Handler = (ctx) => {
    throw new SimError('method_not_allowed', `${ctx.operation.method} ${ctx.operation.path} is not allowed (documented as "Not allowed")`);
  };

  const senderOf = (ws: Workspace, id: string) => c.senderIds.get(ws, id);
  const systemGuard = (s: Rec) => {
    if (SYSTEM_OWNERSHIP.has(String(s.ownership))) throw forbidden(`sender id ${s.id} is ${s.ownership} and managed by Syniverse`);
  };
  /** Non-final message requests sending from a sender id or channel. */
  const inUse = (ws: Workspace, ref: string) =>
    c.messageRequests.table(ws).peekFind((r) => !REQUEST_FINAL.has(String(r.state)) && (r._channel === ref || String(r.from ?? '').endsWith(ref)));

  const copyOfParent = (p: Rec) => ({
    parent_id: p.id,
    name: p.name,
    class_id: p.class_id,
    type_id: p.type_id,
    address: p.address,
    content_type: p.content_type,
    country: p.country,
    operators: p.operators,
    capabilities: p.capabilities,
    two_way_required: p.two_way_required,
    keep_sender_address: p.keep_sender_address,
    dr_required: p.dr_required,
    consent_managed_by: p.consent_managed_by,
    message_templates: p.message_templates,
    ownership: 'PRIVATE',
    state: 'ACTIVE',
  });

  const checkKeyword = (ctx: HandlerContext, merged: Rec) => {
    const ws = ctx.ws;
    if (merged.value !== undefined && merged.value !== null) {
      try {
        new RegExp(String(merged.value));
      } catch {
        throw invalid(`keyword value '${merged.value}' is not a valid regular expression`, { field: 'value' });
      }
      const clash = c.keywords
        .table(ws)
        .find((k) => k.type === 'RESERVED' && k.id !== merged.id && String(k.value).split('|').some((v) => v.toUpperCase() === String(merged.value).toUpperCase()));
      if (clash) throw new SimError('duplicate', `'${merged.value}' is reserved by the platform keyword ${clash.name}`, { field: 'value' });
    }
    const from = merged.valid_from ? parseTimestamp(merged.valid_from) : undefined;
    const to = merged.valid_to ? parseTimestamp(merged.valid_to) : undefined;
    if (from !== undefined && to !== undefined && from > to) throw invalid('valid_from must not be after valid_to', { field: 'valid_from' });
    if (merged.sender_id && !c.senderIds.lookup(ws, String(merged.sender_id))) throw invalid(`sender id ${merged.sender_id} does not exist`, { field: 'sender_id' });
    if (merged.reply_template && !c.messageTemplates.table(ws).peekFind((t) => t.name === merged.reply_template || t.id === merged.reply_template)) {
      throw invalid(`reply_template '${merged.reply_template}' names no message template`, { field: 'reply_template' });
    }
  };
  const reservedGuard = (k: Rec) => {
    if (k.type === 'RESERVED') throw forbidden(`keyword ${k.name} is a RESERVED platform keyword and cannot be changed`);
  };

  const tokenOf = (ctx: Ctx<'uploadAttachmentContent' | 'downloadAttachmentContent'>) => {
    const token = ctx.params.AccessToken;
    const row = tokenTable(ctx.ws).get(token);
    const exp = row ? parseTimestamp(row.expiry_time) : undefined;
    if (!row || (exp !== undefined && exp <= ctx.ws.now())) throw new SimError('unauthorized', 'the access token is unknown or expired; request a new one');
    if (row._resource !== 'ATTACHMENT') throw new SimError('unauthorized', 'this access token does not open an attachment');
    return c.attachments.get(ctx.ws, String(row._resource_id));
  };

  return {
    listSenderIdClasses: classes.list,
    getSenderIdClass: classes.get,
    listSenderIdTypes: types.list,
    getSenderIdType: types.get,

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

    listSenderIds: senders.list,
    getSenderId: senders.get,
    createSenderId: (ctx) => {
      const ws = ctx.ws;
      const body = ctx.body ?? {};
      const own = body.ownership ? String(body.ownership).toUpperCase() : 'PRIVATE';
      if (own !== 'PRIVATE') throw forbidden(`only PRIVATE sender ids can be created; ${own} ones are provided by Syniverse`, { field: 'ownership' });
      const values = c.senderIds.pick(body, ctx.operation.bodySchema);
      // Syniverse manages these (P6): ignored on create.
      delete values.country;
      delete values.operators;
      delete values.state;
      if (body.parent_id) {
        const parent = senderOf(ws, String(body.parent_id));
        if (parent.ownership === 'PREPROVISIONED') throw invalid(`sender id ${parent.id} is PREPROVISIONED: buy it with POST /messaging/sender_ids/purchase`, { field: 'parent_id' });
        if (parent.ownership !== 'SHARED') throw invalid(`parent_id must be a SHARED sender id (${parent.id} is ${parent.ownership})`, { field: 'parent_id' });
        return ok(c.senderIds.insert(ws, { ...copyOfParent(parent), ...values, ownership: 'PRIVATE', state: 'ACTIVE', parent_id: parent.id }));
      }
      if (!values.type_id || !values.address) throw invalid('a sender id needs type_id and address (or a SHARED parent_id)', { field: values.type_id ? 'address' : 'type_id' });
      if (!c.senderIdTypes.lookup(ws, String(values.type_id))) throw invalid(`sender id type ${values.type_id} does not exist`, { field: 'type_id' });
      if (values.class_id && !c.senderIdClasses.lookup(ws, String(values.class_id))) throw invalid(`sender id class ${values.class_id} does not exist`, { field: 'class_id' });
      const rec = c.senderIds.insert(ws, { ...values, ownership: 'PRIVATE', state: 'PENDING_IMPLEMENTATION' });
      scheduleProvisioning(ws, rec.id);
      return ok(rec);
    },
    purchaseSenderId: (ctx) => {
      const ws = ctx.ws;
      const parent = senderOf(ws, String(ctx.body.parent_id));
      if (parent.ownership !== 'PREPROVISIONED') throw conflictState(`sender id ${parent.id} is ${parent.ownership}; only PREPROVISIONED sender ids can be purchased`);
      const fee = Number(synFixtures(ws).prices.senderIdPurchase ?? 0);
      if (fee > 0 && !ws.credit.charge(API_ID, fee, `purchase of sender id ${parent.id}`, String(parent.id))) {
        throw new SimError('payment', `buying sender id ${parent.id} costs ${fee}; the balance is ${ws.credit.balance(API_ID)}`);
      }
      const child = c.senderIds.insert(ws, copyOfParent(parent));
      parent.ownership = 'PURCHASED';
      c.senderIds.bump(ws, parent);
      return ok(child);
    },
    updateSenderId: (ctx) => {
      const ws = ctx.ws;
      const s = senderOf(ws, ctx.params.Sender_ID);
      systemGuard(s);
      c.senderIds.checkVersion(s, ctx.body);
      const body = (ctx.body ?? {}) as Record<string, unknown>;
      // Managed by Syniverse: a change is refused, the current value sent back (a GET body) is ignored.
      for (const f of ['country', 'operators']) {
        if (body[f] !== undefined && !deepEqual(c.senderIds.normalize(f, body[f]) ?? null, s[f] ?? null)) throw forbidden(`${f} is managed by Syniverse and cannot be changed`, { field: f });
      }
      if (body.ownership !== undefined && String(body.ownership).toUpperCase() !== s.ownership) throw forbidden('ownership cannot be changed', { field: 'ownership' });
      const patch = c.senderIds.pick(body, ctx.operation.bodySchema);
      delete patch.country;
      delete patch.operators;
      if (patch.state !== undefined && patch.state !== null) {
        const to = String(patch.state).toUpperCase() === 'ATIVE' ? 'ACTIVE' : String(patch.state).toUpperCase();
        if (to !== s.state) {
          if (!['ACTIVE', 'INACTIVE'].includes(to) || !['ACTIVE', 'INACTIVE'].includes(String(s.state))) {
            throw conflictState(`sender id ${s.id} is ${s.state}; a client may only switch between ACTIVE and INACTIVE`);
          }
        }
        patch.state = to;
      } else delete patch.state;
      c.senderIds.checkUnique(ws, { ...s, ...patch });
      Object.assign(s, patch);
      return ok(c.senderIds.bump(ws, s));
    },
    deleteSenderId: (ctx) => {
      const ws = ctx.ws;
      const s = senderOf(ws, ctx.params.Sender_ID);
      systemGuard(s);
      const user = inUse(ws, String(s.id));
      if (user) throw conflictState(`sender id ${s.id} is used by message request ${user.id} (${user.state})`);
      for (const ch of c.channels.table(ws).filter((x) => ((x._sender_ids as string[]) ?? []).includes(String(s.id)))) {
        ch._sender_ids = (ch._sender_ids as string[]).filter((x) => x !== s.id);
        c.channels.bump(ws, ch);
      }
      const parent = s.parent_id ? c.senderIds.find(ws, String(s.parent_id)) : undefined;
      if (parent && parent.ownership === 'PURCHASED') {
        parent.ownership = 'PREPROVISIONED';
        c.senderIds.bump(ws, parent);
      }
      c.senderIds.table(ws).remove(String(s.id));
      return ok(s);
    },

    listChannels: channels.list,
    getChannel: channels.get,
    createChannel: (ctx) => ok(c.channels.create(ctx.ws, lowerPriority(ctx.body), ctx.operation.bodySchema)),
    updateChannel: (ctx) => ok(c.channels.update(ctx.ws, ctx.params.Channel_ID, lowerPriority(ctx.body), ctx.operation.bodySchema)),
    replaceChannel: (ctx) => ok(c.channels.replace(ctx.ws, ctx.params.Channel_ID, lowerPriority(ctx.body), ctx.operation.bodySchema)),
    deleteChannel: (ctx) => {
      const ch = c.channels.get(ctx.ws, ctx.params.Channel_ID);
      const user = inUse(ctx.ws, String(ch.id));
      if (user) throw conflictState(`channel ${ch.id} is used by message request ${user.id} (${user.state})`);
      return ok(c.channels.remove(ctx.ws, String(ch.id)));
    },
    listChannelSenderIds: (ctx) => {
      const ch = c.channels.get(ctx.ws, ctx.params.Channel_ID);
      const ids = new Set((ch._sender_ids as string[]) ?? []);
      const { items, page } = c.senderIds.list(ctx.ws, ctx.query, { where: (s) => ids.has(String(s.id)) });
      return { body: c.senderIds.envelope(items.map((s) => c.senderIds.render(s)), page) };
    },
    addChannelSenderIds: (ctx) => {
      const ws = ctx.ws;
      const ch = c.channels.get(ws, ctx.params.Channel_ID);
      const body = ctx.body ?? {};
      const wanted = [...(toStringList(body.sender_ids) ?? []), ...(toStringList(body.sender_id) ?? []), ...(toStringList(body.id) ?? [])];
      if (!wanted.length) throw invalid('send the sender ids to add as "sender_ids" (array) or "sender_id"', { field: 'sender_ids' });
      const members = [...((ch._sender_ids as string[]) ?? [])];
      const errors: Array<{ sender_id: string; error_code: string; error_description: string }> = [];
      for (const id of wanted) {
        if (!c.senderIds.lookup(ws, id)) errors.push({ sender_id: id, error_code: '404', error_description: `sender id ${id} not found` });
        else if (!members.includes(id)) members.push(id);
      }
      if (members.length !== ((ch._sender_ids as string[]) ?? []).length) {
        ch._sender_ids = members;
        c.channels.bump(ws, ch);
      }
      if (errors.length === wanted.length) throw notFound(errors.map((e) => e.error_description).join('; '));
      return { body: { id: ch.id, errors: errors.length ? errors : null } };
    },
    // The operation declares no body (the router reads none for it): the id is the query's.
    removeChannelSenderId: (ctx) => removeMember(ctx, c, String(ctx.rawQuery.sender_id ?? '')),
    removeChannelSenderIdByPath: (ctx) => removeMember(ctx, c, ctx.params.Sender_ID),

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

    listAttachments: attachments.list,
    getAttachment: attachments.get,
    createAttachment: attachments.create,
    updateAttachment: attachments.update,
    deleteAttachment: (ctx) => {
      // "Deletes the content of the attachment": the metadata stays, back to CREATED (A6).
      const a = c.attachments.get(ctx.ws, ctx.params.Attachment_ID);
      contentTable(ctx.ws).remove(String(a.id));
      Object.assign(a, { state: 'CREATED', size: 0 });
      return ok(c.attachments.bump(ctx.ws, a));
    },
    createAttachmentAccessToken: (ctx) => {
      const ws = ctx.ws;
      const a = c.attachments.get(ws, ctx.params.Attachment_ID);
      return { body: { id: issueAccessToken(ws, c, 'ATTACHMENT', String(a.id)) } };
    },
    uploadAttachmentContent: (ctx) => {
      const ws = ctx.ws;
      const a = tokenOf(ctx);
      const bytes = ctx.rawBody ?? (typeof ctx.body === 'string' ? new TextEncoder().encode(ctx.body) : undefined);
      if (!bytes || !bytes.length) throw invalid('the upload has no content: send the file as the multipart part or as the raw body');
      const limit = synFixtures(ws).limits.attachmentBytes;
      if (bytes.length > limit) throw new SimError('rule', `the content has ${bytes.length} bytes; the limit is ${limit}`, { code: '1019' });
      const partType = ctx.contentType.split(';')[0].trim().toLowerCase();
      if (a.type && partType && !['application/octet-stream', 'multipart/form-data'].includes(partType) && partType !== String(a.type).toLowerCase()) {
        throw invalid(`the content type ${partType} does not match the attachment type ${a.type}`);
      }
      contentTable(ws).put({ id: String(a.id), data: Buffer.from(bytes).toString('base64') });
      Object.assign(a, { state: 'UPLOADED', size: bytes.length });
      return ok(c.attachments.bump(ws, a));
    },
    downloadAttachmentContent: (ctx) => {
      const a = tokenOf(ctx);
      const row = contentTable(ctx.ws).get(String(a.id));
      if (!row) throw notFound(`attachment ${a.id} has no content`);
      return { raw: { data: new Uint8Array(Buffer.from(String(row.data), 'base64')), contentType: String(a.type ?? 'application/octet-stream') } };
    },

    listKeywords: keywords.list,
    getKeyword: keywords.get,
    createKeyword: (ctx) => {
      const body = ctx.body ?? {};
      if (String(body.type ?? 'COMPANY').toUpperCase() === 'RESERVED') throw forbidden('RESERVED keywords are provided by the platform', { field: 'type' });
      const values = c.keywords.pick(body, ctx.operation.bodySchema);
      checkKeyword(ctx, values as Rec);
      return ok(c.keywords.insert(ctx.ws, { ...values, type: 'COMPANY' }));
    },
    updateKeyword: (ctx) => {
      const k = c.keywords.get(ctx.ws, ctx.params.Keyword_ID);
      reservedGuard(k);
      if (ctx.body?.type && String(ctx.body.type).toUpperCase() === 'RESERVED') throw forbidden('a keyword cannot be made RESERVED', { field: 'type' });
      checkKeyword(ctx, { ...k, ...c.keywords.pick(ctx.body, ctx.operation.bodySchema) });
      return keywords.update(ctx);
    },
    replaceKeyword: (ctx) => {
      const k = c.keywords.get(ctx.ws, ctx.params.Keyword_ID);
      reservedGuard(k);
      if (ctx.body?.type && String(ctx.body.type).toUpperCase() === 'RESERVED') throw forbidden('a keyword cannot be made RESERVED', { field: 'type' });
      checkKeyword(ctx, { id: k.id, ...c.keywords.pick(ctx.body, ctx.operation.bodySchema) });
      const rec = c.keywords.replace(ctx.ws, String(k.id), ctx.body, ctx.operation.bodySchema);
      rec.type = 'COMPANY';
      return ok(rec);
    },
    deleteKeyword: (ctx) => {
      reservedGuard(c.keywords.get(ctx.ws, ctx.params.Keyword_ID));
      return keywords.remove(ctx);
    },
  };
}

function lowerPriority(body: Record<string, unknown> | undefined) {
  if (!body || typeof body.priority !== 'string') return body;
  return { ...body, priority: body.priority.toLowerCase() };
}

function removeMember(ctx: Ctx<'removeChannelSenderId' | 'removeChannelSenderIdByPath'>, c: SynCollections, senderId: string) {
  const ch = c.channels.get(ctx.ws, ctx.params.Channel_ID);
  if (!senderId) throw invalid('name the sender id to remove (`?sender_id=` or DELETE .../sender_ids/{Sender_ID})', { field: 'sender_id' });
  const members = (ch._sender_ids as string[]) ?? [];
  if (!members.includes(senderId)) throw notFound(`sender id ${senderId} is not in channel ${ch.id}`);
  ch._sender_ids = members.filter((x) => x !== senderId);
  c.channels.bump(ctx.ws, ch);
  return { body: { id: ch.id } };
}

