// Operations over a target's contacts (target-actions.ts): the async operations (201 with the
// operation descriptor), the synchronous bulk changes (204), the preview (204: validates the
// target, nothing to observe, research §5 item 17), field occupancy and value counts.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { toStringList } from '../../../core/engine/collection.js';
import { dolistError } from '../error-catalogue.js';
import { callerAccount, NO_CONTENT } from '../style.js';
import { deleteTargetContacts, fieldOccupancy, fieldValueCounts, setTargetContactStatus, setTargetField, setTargetInterest, startTargetOperation } from '../target-actions.js';
import type { EvalOptions } from '../target-eval.js';
import { targetOr502 } from '../targets.js';

const bodyOf = (ctx: HandlerContext): Record<string, unknown> => (ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? ctx.body : {});
const targetId = (ctx: HandlerContext) => Number(ctx.params.TargetID);

/** SaleManagementID of the query, else of the body. */
function scope(ctx: HandlerContext): EvalOptions {
  const v = ctx.query.SaleManagementID ?? bodyOf(ctx).SaleManagementID;
  if (v === undefined || v === null || v === '') return {};
  const n = Number(v);
  if (!Number.isInteger(n)) throw dolistError('36', 'SaleManagementID must be an integer', 'SaleManagementID');
  return { saleManagementId: n };
}

function intList(v: unknown, field: string): number[] | null {
  const l = toStringList(v);
  if (!l) return null;
  return l.map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n)) throw dolistError('36', `${field}: '${s}' is not an integer`, field);
    return n;
  });
}

export function targetContactHandlers(): Record<string, Handler> {
  const async = (action: Parameters<typeof startTargetOperation>[3]): Handler => (ctx) => ({
    status: 201,
    body: startTargetOperation(ctx.ws, callerAccount(ctx), targetId(ctx), action, scope(ctx)),
  });
  return {
    countTargetAsync: async('count'),
    listTargetContactsAsync: async('contacts'),
    unsubscribeTargetAsync: async('unsubscribe'),
    deleteTargetContactsAsync: async('contactsDelete'),
    deleteTargetContacts: (ctx) => {
      deleteTargetContacts(ctx.ws, callerAccount(ctx), targetId(ctx), scope(ctx));
      return NO_CONTENT;
    },
    updateTargetField: (ctx) => {
      const b = bodyOf(ctx);
      if (!('Value' in b)) throw dolistError('36', 'the body needs a Value (null or empty clears the field)', 'Value');
      setTargetField(ctx.ws, callerAccount(ctx), targetId(ctx), Number(ctx.params.FieldID), b.Value, scope(ctx));
      return NO_CONTENT;
    },
    updateTargetInterest: (ctx) => {
      const linked = bodyOf(ctx).IsLinked;
      setTargetInterest(ctx.ws, callerAccount(ctx), targetId(ctx), Number(ctx.params.InterestID), linked === undefined || linked === null ? true : Boolean(linked), scope(ctx));
      return NO_CONTENT;
    },
    updateTargetContactStatus: (ctx) => {
      setTargetContactStatus(ctx.ws, callerAccount(ctx), targetId(ctx), bodyOf(ctx).Status, scope(ctx));
      return NO_CONTENT;
    },
    previewTargetContacts: (ctx) => {
      targetOr502(ctx.ws, callerAccount(ctx), targetId(ctx));
      scope(ctx);
      return NO_CONTENT;
    },
    getTargetFieldsOccupancy: (ctx) => {
      const items = fieldOccupancy(ctx.ws, callerAccount(ctx), targetId(ctx), intList(ctx.query.FieldIDList, 'FieldIDList'), scope(ctx));
      return { status: 200, body: { ItemList: items, Total: items.length } };
    },
    countTargetFieldValues: (ctx) => {
      const min = ctx.query.MinCount === undefined ? 1 : Number(ctx.query.MinCount);
      if (!Number.isInteger(min) || min < 0) throw dolistError('36', 'MinCount must be an integer >= 0', 'MinCount');
      const items = fieldValueCounts(ctx.ws, callerAccount(ctx), targetId(ctx), Number(ctx.params.FieldID), min, scope(ctx));
      return { status: 200, body: { ItemList: items, Total: items.length } };
    },
  };
}
