// The targeting catalogues over HTTP (target-catalogue.ts): categories, criteria references
// (filtered by CategoryID), allowed references, operators, search controls (204 [512] for an
// empty list, 204 [514] for a control without a name: a 204 has no body, the code goes in an
// `X-Dolist-Code` header), dynamic searches, the permanent filter switch, a target's usage and tags.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { dolistError } from '../error-catalogue.js';
import { callerAccount } from '../style.js';
import { tagsOfItem } from '../tags.js';
import { accountReferences, allowedWith, CATEGORIES, findOperator, OPERATORS, referenceOr507, renderReference, searchControls } from '../target-catalogue.js';
import { permanentFilterOn } from '../target-eval.js';
import { executeSearch } from '../target-search.js';
import { targetOr502 } from '../targets.js';
import { usageCounts, usageItems, USAGE_TYPES } from '../usage.js';

const list = <T>(items: T[]) => ({ status: 200, body: { ItemList: items, Total: items.length } });
const empty204 = (code: string) => ({ status: 204, headers: { 'X-Dolist-Code': code } });

function page<T>(ctx: HandlerContext, items: T[]) {
  const offset = ctx.query.Offset === undefined ? 0 : Number(ctx.query.Offset);
  const limit = ctx.query.Limit === undefined ? undefined : Number(ctx.query.Limit);
  if (!Number.isInteger(offset) || offset < 0) throw dolistError('36', 'Offset must be an integer >= 0', 'Offset');
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) throw dolistError('36', 'Limit must be an integer from 1 to 1000', 'Limit');
  return { status: 200, body: { ItemList: items.slice(offset, limit === undefined ? undefined : offset + limit), Total: items.length } };
}

export function targetCatalogueHandlers(): Record<string, Handler> {
  return {
    listTargetCategories: () => list([...CATEGORIES]),
    listTargetCriteriareferences: (ctx) => {
      const cat = ctx.query.CategoryID === undefined ? undefined : Number(ctx.query.CategoryID);
      if (cat !== undefined && !CATEGORIES.some((c) => c.ID === cat)) throw dolistError('123', `no category ${cat} (${CATEGORIES.map((c) => c.ID).join(', ')})`, 'CategoryID');
      return list(accountReferences(ctx.ws, callerAccount(ctx)).filter((r) => cat === undefined || r.CategoryID === cat).map(renderReference));
    },
    getTargetCriteriareference: (ctx) => ({ status: 200, body: renderReference(referenceOr507(ctx.ws, callerAccount(ctx), ctx.params.CriteriaReferenceID)) }),
    listAllowedCriteriaReferences: (ctx) => {
      const account = callerAccount(ctx);
      return list(allowedWith(ctx.ws, account, referenceOr507(ctx.ws, account, ctx.params.CriteriaReferenceID)).map(renderReference));
    },
    listTargetOperators: () => list(OPERATORS),
    getTargetOperator: (ctx) => {
      const op = findOperator(Number(ctx.params.OperatorID));
      if (!op) throw dolistError('510', `no operator ${ctx.params.OperatorID}`, 'OperatorID');
      return { status: 200, body: op };
    },
    listTargetSearchcontrols: (ctx) => {
      const all = searchControls(ctx.ws);
      return all.length ? list(all) : empty204('512');
    },
    getTargetSearchcontrol: (ctx) => {
      const sc = searchControls(ctx.ws).find((s) => s.TypeID === Number(ctx.params.TypeID));
      if (!sc) throw dolistError('513', `no search control ${ctx.params.TypeID}`, 'TypeID');
      return sc.Name.trim() ? { status: 200, body: sc } : empty204('514');
    },
    executeTargetSearchControl: (ctx) => {
      const { items, total } = executeSearch(ctx.ws, callerAccount(ctx), ctx.body ?? {});
      return { status: 201, body: { ItemList: items, Total: total } };
    },
    getTargetPermanentFilter: (ctx) => ({ status: 200, body: { IsEnabled: permanentFilterOn(ctx.ws, callerAccount(ctx)) } }),
    listTargetUsage: (ctx) => {
      const account = callerAccount(ctx);
      const t = targetOr502(ctx.ws, account, Number(ctx.params.TargetID));
      return list(usageCounts(ctx.ws, 'target', account, t.ID));
    },
    getTargetUsage: (ctx) => {
      const account = callerAccount(ctx);
      const t = targetOr502(ctx.ws, account, Number(ctx.params.TargetID));
      const typeId = Number(ctx.params.TypeID);
      if (!(typeId in USAGE_TYPES)) throw dolistError('36', `TypeID ${ctx.params.TypeID} is not a usage type (${Object.entries(USAGE_TYPES).map(([k, v]) => `${k} ${v}`).join(', ')})`, 'TypeID');
      return page(ctx, usageItems(ctx.ws, 'target', account, t.ID, typeId));
    },
    listTargetTags: (ctx) => {
      const account = callerAccount(ctx);
      const t = targetOr502(ctx.ws, account, Number(ctx.params.TargetID));
      return list(tagsOfItem(ctx.ws, account, 'Target', t.ID).map((g) => ({ ID: g.ID, Name: g.Name, ColorID: g.ColorID })));
    },
  };
}
