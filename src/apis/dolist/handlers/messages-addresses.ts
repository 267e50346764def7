// Reply addresses, pack senders and SMS senders over HTTP: declared CRUD on their collections
// (senders.ts), with the guards the reference documents: a valid address or name [36], the pack
// of the path [701], in use by a message [706] / [704].
import type { Handler } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import { dolistError } from '../error-catalogue.js';
import {
  assertReplyDeletable,
  assertSenderDeletable,
  findPack,
  packSenders,
  requireEmail,
  requireSmsSenderName,
  type PackSenderRec,
  type SenderCollections,
} from '../senders.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';
import { bodyOf, intParam, renderPackSender } from './messages-views.js';

export function addressHandlers(c: SenderCollections): Record<string, Handler> {
  const partition = callerAccount;
  return {
    ...crud(style, {
      listEmailMessageAddressReplies: { collection: c.replies, action: 'list', partition },
      getEmailMessageAddressReply: { collection: c.replies, action: 'get', partition },
      createEmailMessageAddressReply: { collection: c.replies, action: 'create', partition, guard: (ctx) => void requireEmail(bodyOf(ctx).Email) },
      deleteEmailMessageAddressReply: { collection: c.replies, action: 'delete', partition, guard: (ctx, rec) => assertReplyDeletable(ctx.ws, rec!) },

      listEmailMessageAddressPacksenders: { collection: c.packSenders, action: 'list', partition, render: (r) => renderPackSender(r as PackSenderRec) },
      getEmailMessageAddressPacksender: { collection: c.packSenders, action: 'get', partition, render: (r) => renderPackSender(r as PackSenderRec) },
      deleteEmailMessageAddressPacksender: { collection: c.packSenders, action: 'delete', partition, guard: (ctx, rec) => assertSenderDeletable(ctx.ws, 'email', rec!) },
      createPackSender: {
        collection: c.packSenders,
        action: 'create',
        partition,
        guard: (ctx) => {
          const packId = intParam(ctx, 'PackID');
          if (!findPack(ctx.ws, callerAccount(ctx), packId)) throw dolistError('701', `no deliverability pack ${packId} in account ${callerAccount(ctx)}`, 'PackID');
          requireEmail(bodyOf(ctx).Email);
        },
        extra: (ctx) => ({ PackID: intParam(ctx, 'PackID') }),
      },

      listSmsMessageSenders: { collection: c.smsSenders, action: 'list', partition },
      createSmsMessageSender: { collection: c.smsSenders, action: 'create', partition, guard: (ctx) => void requireSmsSenderName(bodyOf(ctx).Name) },
      updateSmsMessageSender: {
        collection: c.smsSenders,
        action: 'update',
        partition,
        guard: (ctx) => {
          if (bodyOf(ctx).Name !== undefined) requireSmsSenderName(bodyOf(ctx).Name);
        },
      },
      deleteSmsMessageSender: { collection: c.smsSenders, action: 'delete', partition, guard: (ctx, rec) => assertSenderDeletable(ctx.ws, 'sms', rec!) },
    }),

    /** Every sender of the pack, all or nothing: one in use refuses the lot [704]. */
    deletePackSenders: (ctx) => {
      const account = callerAccount(ctx);
      const packId = intParam(ctx, 'PackID');
      if (!findPack(ctx.ws, account, packId)) throw dolistError('701', `no deliverability pack ${packId} in account ${account}`, 'PackID');
      const senders = packSenders(ctx.ws, account, packId);
      for (const s of senders) assertSenderDeletable(ctx.ws, 'email', s);
      for (const s of senders) c.packSenders.remove(ctx.ws, s.ID, account);
      return NO_CONTENT;
    },
  };
}
