// Email and SMS sendings over HTTP: get and list are declared CRUD on the channel's collection;
// the rest calls the domain (sending-create.ts, sending-actions.ts, sending-views.ts). The
// not-found code of an unknown sending is the one each operation documents (research S9):
// email [708] on get/content/locks/thumbnails/render/tags, [729] on put/actions/report; SMS
// [729] on get/put/actions/report/tags, [708] on content/locks.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import { parseTimestamp } from '../../../core/clock.js';
import { dolistError } from '../error-catalogue.js';
import type { Channel } from '../messages.js';
import { applyAction, bulkAction, type SendingAction } from '../sending-actions.js';
import type { SendingCollections } from '../sending-collections.js';
import { createSending, updateSending } from '../sending-create.js';
import { renderSending, sendingContent, sendingLocks, sendingReportCsv, sendingTags, sendingThumbnails, sendingView } from '../sending-views.js';
import { findSending, type SendingRec } from '../sendings.js';
import { parseTransactionalPart, sendTransactional } from '../transactional.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';

const CHANNELS: Record<Channel, { prefix: 'Email' | 'Sms'; label: string }> = { email: { prefix: 'Email', label: 'email' }, sms: { prefix: 'Sms', label: 'SMS' } };

/** The sending of the path, or the operation's not-found code. */
function sendingOf(ctx: HandlerContext, channel: Channel, code: '708' | '729'): SendingRec {
  const id = Number(ctx.params.SendingID);
  const s = findSending(ctx.ws, callerAccount(ctx), channel, id);
  if (!s) throw dolistError(code, `no ${CHANNELS[channel].label} sending ${ctx.params.SendingID} in account ${callerAccount(ctx)}`, 'SendingID');
  return s;
}

/** The `Channel` query parameter (Email / Sms, any case): [36] otherwise. */
export function channelParam(v: unknown, code: '36' | '749' = '36'): Channel {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (s === 'email') return 'email';
  if (s === 'sms') return 'sms';
  throw dolistError(code, `Channel must be Email or Sms (got ${JSON.stringify(v ?? null)})`, 'Channel');
}

const bodyOf = (ctx: HandlerContext): Record<string, unknown> => (ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? ctx.body : {});
const list = (items: unknown[]) => ({ ItemList: items, Total: items.length });
const dateParam = (v: unknown, field: string): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const t = parseTimestamp(v);
  if (t === undefined) throw dolistError('36', `${field} is not a date: ${JSON.stringify(v)}`, field);
  return t;
};

function channelHandlers(c: SendingCollections, channel: Channel): Record<string, Handler> {
  const P = CHANNELS[channel].prefix;
  const coll = c.sendings[channel];
  const getCode = channel === 'email' ? '708' : '729';
  const h: Record<string, Handler> = {
    ...crud(style, {
      [`get${P}Sending`]: { collection: coll, action: 'get', partition: callerAccount, render: (r, ctx) => sendingView(ctx.ws, r) },
      [`list${P}Sendings`]: {
        collection: coll,
        action: 'list',
        partition: callerAccount,
        // The reference requires Channel even here: it filters (a mismatch lists nothing).
        where: (ctx) => {
          const asked = channelParam(ctx.query.Channel);
          return (r: SendingRec) => asked === channel && !r.IsTransactional;
        },
        render: (r, ctx) => sendingView(ctx.ws, r),
      },
    }),
    [`create${P}Sending`]: (ctx) => {
      const s = createSending(ctx.ws, callerAccount(ctx), channel, bodyOf(ctx));
      return { status: 201, body: { ID: s.ID } };
    },
    [`update${P}Sending`]: (ctx) => {
      updateSending(ctx.ws, sendingOf(ctx, channel, '729'), bodyOf(ctx));
      return NO_CONTENT;
    },
    [`search${P}Sendings`]: (ctx) => {
      const body = bodyOf(ctx);
      const q = (body.SearchQuery && typeof body.SearchQuery === 'object' ? body.SearchQuery : {}) as Record<string, unknown>;
      const after = dateParam(q.CreatedAfter, 'CreatedAfter');
      const before = dateParam(q.CreatedBefore, 'CreatedBefore');
      const statuses = [...(Array.isArray(q.StatusList) ? q.StatusList : []), ...(q.Status !== undefined && q.Status !== null ? [q.Status] : [])].map((x) => String(x).toLowerCase());
      const name = typeof q.Name === 'string' ? q.Name.trim().toLowerCase() : '';
      const where = (r: SendingRec) =>
        !r.IsTransactional &&
        (!name || r.Name.toLowerCase().includes(name)) &&
        (!statuses.length || statuses.includes(r.Status.toLowerCase())) &&
        (q.MessageID === undefined || q.MessageID === null || r.MessageID === Number(q.MessageID)) &&
        (q.TargetID === undefined || q.TargetID === null || r.TargetID === Number(q.TargetID)) &&
        (typeof q.SendType !== 'string' || r.SendType.toLowerCase() === q.SendType.toLowerCase()) &&
        (after === undefined || Date.parse(r.CreateDate) >= after) &&
        (before === undefined || Date.parse(r.CreateDate) <= before);
      const paging: Record<string, unknown> = {};
      for (const k of ['Offset', 'Limit', 'SortField', 'SortOrder']) if (body[k] !== undefined && body[k] !== null) paging[k] = String(body[k]);
      const { items, page } = coll.list(ctx.ws, paging, { partition: callerAccount(ctx), where });
      return { status: 200, body: coll.envelope(items.map((r) => sendingView(ctx.ws, r)), page) };
    },
    [`get${P}SendingContent`]: (ctx) => ({ status: 200, body: sendingContent(sendingOf(ctx, channel, '708')) }),
    [`list${P}SendingLocks`]: (ctx) => ({ status: 200, body: list(sendingLocks(sendingOf(ctx, channel, '708'))) }),
    [`list${P}SendingTags`]: (ctx) => ({ status: 200, body: list(sendingTags(ctx.ws, sendingOf(ctx, channel, getCode))) }),
    [`get${P}SendingReport`]: (ctx) => {
      const s = sendingOf(ctx, channel, '729');
      const target = ctx.query.TargetID === undefined ? undefined : Number(ctx.query.TargetID);
      const csv = sendingReportCsv(ctx.ws, s, target);
      return { status: 200, raw: { data: csv, contentType: 'text/csv; charset=utf-8' }, headers: { 'content-disposition': `attachment; filename="sending-${s.ID}-report.csv"` } };
    },
  };
  for (const action of ['standby', 'resume', 'stop'] as SendingAction[]) {
    h[`${action}${P}Sending`] = (ctx) => {
      applyAction(ctx.ws, sendingOf(ctx, channel, '729'), action);
      return NO_CONTENT;
    };
    h[`${action}${P}Sendings`] = (ctx) => {
      const ids = bulkAction(ctx.ws, callerAccount(ctx), channel, action, bodyOf(ctx).SendingIDList);
      // The reference answers 201 for the bulk resume, 204 for bulk standby and stop.
      return action === 'resume' ? { status: 201, body: { SendingIDList: ids } } : NO_CONTENT;
    };
  }
  return h;
}

export function sendingHandlers(c: SendingCollections): Record<string, Handler> {
  return {
    ...channelHandlers(c, 'email'),
    ...channelHandlers(c, 'sms'),
    renderEmailSending: (ctx) => {
      const s = sendingOf(ctx, 'email', '708');
      return { status: 200, body: renderSending(ctx.ws, s, Number(ctx.query.ContactID), Number(ctx.query.OccurrenceID), String(ctx.query.KeyCode ?? '')) };
    },
    listEmailSendingThumbnails: (ctx) => ({ status: 200, body: list(sendingThumbnails(ctx.ws, sendingOf(ctx, 'email', '708'))) }),
    createTransactionalEmailSending: (ctx) => {
      const ts = bodyOf(ctx).TransactionalSending;
      const id = sendTransactional(ctx.ws, callerAccount(ctx), ts && typeof ts === 'object' && !Array.isArray(ts) ? (ts as Record<string, unknown>) : undefined);
      return { status: 200, body: { Result: id } };
    },
    createTransactionalEmailSendingWithAttachments: (ctx) => {
      const body = bodyOf(ctx);
      let part = body.TransactionalSending;
      // Sent as a file part (some clients do): its bytes are the raw body when it is the only file.
      if (part === '(binary)' && ctx.rawBody) part = Buffer.from(ctx.rawBody).toString('utf8');
      const files: string[] = [];
      for (const [k, v] of Object.entries(body)) {
        if (k === 'TransactionalSending' || k === '__filename') continue;
        for (const x of Array.isArray(v) ? v : [v]) if (x === '(binary)') files.push(files.length === 0 && typeof body.__filename === 'string' ? body.__filename : k);
      }
      const id = sendTransactional(ctx.ws, callerAccount(ctx), parseTransactionalPart(part), files);
      return { status: 200, body: { Result: id } };
    },
  };
}
