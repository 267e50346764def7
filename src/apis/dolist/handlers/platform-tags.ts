// Tags over HTTP: the account's tags (CRUD), the colour and item-type catalogues, tagging items
// and finding items by tag, and an item's tags (`/tags/items/{ItemType}/{ItemID}/tags`,
// `/forms/{FormID}/tags`). Rules in tags.ts.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import { dolistError } from '../error-catalogue.js';
import { findForm } from '../forms.js';
import { operationMode } from '../roles.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';
import {
  changeTagItems,
  checkTagName,
  checkItemExists,
  dropTagLinks,
  itemTypeOf,
  renderTag,
  requireColor,
  tagsOfItem,
  taggedItems,
  type ItemRef,
  type TagCollections,
  type TagRec,
} from '../tags.js';
import { bodyOf, listResult } from './platform-common.js';

const show = (t: TagRec, ctx: HandlerContext) => renderTag(ctx.ws, t);

export function tagHandlers(c: TagCollections): Record<string, Handler> {
  const { tags, colors, itemTypes } = c;
  return {
    ...crud(style, {
      listTags: { collection: tags, action: 'list', partition: callerAccount, render: show },
      getTag: { collection: tags, action: 'get', partition: callerAccount, render: show },
      createTag: {
        collection: tags,
        action: 'create',
        partition: callerAccount,
        guard: (ctx) => {
          const b = bodyOf(ctx);
          checkTagName(ctx.ws, callerAccount(ctx), b.Name, '1701');
          requireColor(ctx.ws, b.ColorID ?? 1);
        },
        extra: (ctx) => ({ ColorID: bodyOf(ctx).ColorID ?? 1 }),
      },
      updateTag: {
        collection: tags,
        action: 'update',
        partition: callerAccount,
        // A rename onto another tag's name is 500 [1704] here (research T2: PUT documents no 409).
        guard: (ctx, rec) => {
          const b = bodyOf(ctx);
          checkTagName(ctx.ws, callerAccount(ctx), b.Name, '1704', rec!.ID);
          if (b.ColorID !== undefined) requireColor(ctx.ws, b.ColorID);
        },
      },
      deleteTag: { collection: tags, action: 'delete', partition: callerAccount, after: (ctx, rec) => dropTagLinks(ctx.ws, rec.ID) },
      listTagColors: { collection: colors, action: 'list' },
      getTagColor: { collection: colors, action: 'get' },
      listTagItemTypes: { collection: itemTypes, action: 'list' },
      getTagItemType: { collection: itemTypes, action: 'get' },
    }),

    searchTags: (ctx) => {
      const { items, page } = tags.list(ctx.ws, bodyOf(ctx), { partition: callerAccount(ctx) });
      return { status: 200, body: tags.envelope(items.map((t) => renderTag(ctx.ws, t)), page) };
    },

    updateTagItems: (ctx) => {
      const b = bodyOf(ctx);
      const mode = b.OperationMode === undefined ? 'Add' : operationMode(b.OperationMode);
      changeTagItems(ctx.ws, callerAccount(ctx), b.TagIDList as number[], b.ItemList as ItemRef[], mode);
      return NO_CONTENT;
    },

    searchTagItems: (ctx) => {
      const b = bodyOf(ctx);
      const itemType = b.ItemType === undefined ? undefined : itemTypeOf(b.ItemType);
      return listResult(ctx, taggedItems(ctx.ws, callerAccount(ctx), b.TagIDList as number[], { itemType, all: Boolean(b.MatchAll) }), b);
    },

    listItemTags: (ctx) => {
      const type = itemTypeOf(ctx.params.ItemType);
      const id = Number(ctx.params.ItemID);
      checkItemExists(ctx.ws, callerAccount(ctx), type, id);
      return listResult(ctx, tagsOfItem(ctx.ws, callerAccount(ctx), type, id).map((t) => renderTag(ctx.ws, t)));
    },

    listFormTags: (ctx) => {
      const id = Number(ctx.params.FormID);
      if (!findForm(ctx.ws, callerAccount(ctx), id)) throw dolistError('44', `no form ${id} in account ${callerAccount(ctx)}`, 'FormID');
      return listResult(ctx, tagsOfItem(ctx.ws, callerAccount(ctx), 'Form', id).map((t) => renderTag(ctx.ws, t)));
    },
  };
}
