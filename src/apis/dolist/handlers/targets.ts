// Targets, laws and criteria over HTTP: plain reads, updates and deletes are declared CRUD on
// the collections (target-collections.ts); creates, copies, moves and criterion checks call the
// domain (targets.ts, target-criteria.ts).
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import { dolistError } from '../error-catalogue.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';
import { findReference } from '../target-catalogue.js';
import type { TargetCollections } from '../target-collections.js';
import { assertStoredCriteria, checkCriteria } from '../target-criteria.js';
import {
  checkTargetName,
  copyLaws,
  copyTargetFrom,
  criteriaOf,
  criteriaOr508,
  criteriaTable,
  deleteCriteriaOfLaw,
  deleteLawsOf,
  duplicateTarget,
  insertCriteria,
  insertLaw,
  insertTarget,
  lawOr511,
  lawsOf,
  lawsTable,
  renumberLaws,
  targetOr502,
  touchTarget,
  type CriteriaRec,
  type LawOperator,
  type LawRec,
  type TargetRec,
} from '../targets.js';

const num = (v: unknown) => (v === undefined || v === null || v === '' ? NaN : Number(v));
const bodyOf = (ctx: HandlerContext): Record<string, unknown> => (ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? ctx.body : {});

function lawOperator(v: unknown): LawOperator | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim().toLowerCase();
  if (s === 'or') return 'Or';
  if (s === 'and') return 'And';
  throw dolistError('36', `Operator must be Or or And, not '${String(v)}'`, 'Operator');
}

export function targetHandlers(c: TargetCollections): Record<string, Handler> {
  const { targets, laws, criteria } = c;
  const renderTarget = (ctx: HandlerContext, t: TargetRec) => ({ ...targets.render(t), LawCount: lawsOf(ctx.ws, t.ID).length });
  const renderLaw = (ctx: HandlerContext, l: LawRec) => ({ ...laws.render(l), CriteriaCount: criteriaOf(ctx.ws, l.ID).length });
  const renderLawWithCriteria = (ctx: HandlerContext, l: LawRec) => ({ ...renderLaw(ctx, l), CriteriaList: criteriaOf(ctx.ws, l.ID).map((x) => criteria.render(x)) });
  // The partitions of nested resources, checked on the way: the target in the caller's account, the law in the target.
  const targetPartition = (ctx: HandlerContext) => String(targetOr502(ctx.ws, callerAccount(ctx), num(ctx.params.TargetID)).ID);
  const lawPartition = (ctx: HandlerContext) => String(lawOr511(ctx.ws, callerAccount(ctx), num(ctx.params.TargetID), num(ctx.params.LawID)).ID);

  const declared = crud(style, {
    getTarget: { collection: targets, action: 'get', partition: callerAccount, render: (r: TargetRec, ctx) => renderTarget(ctx, r) },
    listTargets: { collection: targets, action: 'list', partition: callerAccount, render: (r: TargetRec, ctx) => renderTarget(ctx, r) },
    updateTarget: {
      collection: targets,
      action: 'update',
      partition: callerAccount,
      guard: (ctx, rec?: TargetRec) => {
        const name = bodyOf(ctx).Name;
        if (typeof name === 'string') checkTargetName(ctx.ws, callerAccount(ctx), name, rec!.ID);
      },
    },
    deleteTarget: { collection: targets, action: 'delete', partition: callerAccount, after: (ctx, rec: TargetRec) => deleteLawsOf(ctx.ws, rec.ID) },
    listTargetLaws: { collection: laws, action: 'list', partition: targetPartition, render: (r: LawRec, ctx) => renderLaw(ctx, r) },
    getTargetLaw: { collection: laws, action: 'get', partition: targetPartition, render: (r: LawRec, ctx) => renderLaw(ctx, r) },
    deleteTargetLaw: {
      collection: laws,
      action: 'delete',
      partition: targetPartition,
      after: (ctx, rec: LawRec) => {
        deleteCriteriaOfLaw(ctx.ws, rec.ID);
        renumberLaws(ctx.ws, rec.TargetID);
        touchTarget(ctx.ws, rec.TargetID);
      },
    },
    listTargetLawCriterias: { collection: criteria, action: 'list', partition: lawPartition },
    getTargetLawCriteria: {
      collection: criteria,
      action: 'get',
      partition: lawPartition,
      // The reference it tests may have gone since (a deleted field, interest or target): [507].
      guard: (ctx, rec?: CriteriaRec) => {
        if (rec && !findReference(ctx.ws, callerAccount(ctx), rec.CriteriaReferenceID)) throw dolistError('507', `criterion ${rec.ID} tests ${rec.CriteriaReferenceID}, which no longer exists`, 'CriteriaReferenceID');
      },
    },
    deleteTargetLawCriteria: {
      collection: criteria,
      action: 'delete',
      partition: lawPartition,
      after: (ctx, rec: CriteriaRec) => {
        criteriaOf(ctx.ws, rec.LawID).forEach((view, i) => {
          if (view.Position !== i + 1) {
            const w = criteriaTable(ctx.ws).get(view.id)!;
            w.Position = i + 1;
            criteriaTable(ctx.ws).put(w);
          }
        });
        touchTarget(ctx.ws, rec.TargetID);
      },
    },
  });

  return {
    ...declared,
    // 200 with the new ID, as the reference says ("Target created."), not 201.
    createTarget: (ctx) => {
      const account = callerAccount(ctx);
      const b = bodyOf(ctx);
      const source = b.SourceTargetID === undefined || b.SourceTargetID === null ? undefined : targetOr502(ctx.ws, account, num(b.SourceTargetID), 'SourceTargetID');
      const t = insertTarget(ctx.ws, account, { Name: String(b.Name ?? ''), Description: (b.Description as string | null | undefined) ?? null });
      if (source) copyLaws(ctx.ws, source, t);
      return { status: 200, body: { ID: t.ID } };
    },
    searchTargets: (ctx) => {
      const account = callerAccount(ctx);
      const b = bodyOf(ctx);
      const { Name, ...params } = b;
      const name = typeof Name === 'string' ? Name.trim().toLowerCase() : undefined;
      const input = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
      const { items, page } = targets.list(ctx.ws, input, { partition: account, where: name === undefined ? undefined : (t) => t.Name.trim().toLowerCase() === name });
      return { status: 200, body: targets.envelope(items.map((t) => renderTarget(ctx, t)), page) };
    },
    duplicateTarget: (ctx) => {
      const t = duplicateTarget(ctx.ws, callerAccount(ctx), num(ctx.params.TargetID), bodyOf(ctx).Name as string | undefined);
      return { status: 201, body: { ID: t.ID } };
    },
    copyTargetFrom: (ctx) => {
      copyTargetFrom(ctx.ws, callerAccount(ctx), num(ctx.params.TargetID), num(ctx.query.SourceTargetID));
      return NO_CONTENT;
    },
    createTargetLaw: (ctx) => {
      const t = targetOr502(ctx.ws, callerAccount(ctx), num(ctx.params.TargetID));
      const b = bodyOf(ctx);
      const law = insertLaw(ctx.ws, t, { Name: b.Name as string | undefined, Operator: lawOperator(b.Operator), Position: b.Position as number | undefined });
      return { status: 201, body: { ID: law.ID } };
    },
    updateTargetLaw: (ctx) => {
      const view = lawOr511(ctx.ws, callerAccount(ctx), num(ctx.params.TargetID), num(ctx.params.LawID));
      const b = bodyOf(ctx);
      const op = lawOperator(b.Operator);
      const law = lawsTable(ctx.ws).get(view.id)!;
      if (typeof b.Name === 'string' && b.Name.trim()) law.Name = b.Name.trim();
      if (op) law.Operator = op;
      law.UpdateDate = new Date(ctx.ws.now()).toISOString();
      lawsTable(ctx.ws).put(law);
      if (typeof b.Position === 'number') renumberLaws(ctx.ws, law.TargetID, { id: law.ID, position: b.Position });
      touchTarget(ctx.ws, law.TargetID);
      return NO_CONTENT;
    },
    listTargetLawcriterias: (ctx) => {
      const account = callerAccount(ctx);
      const t = targetOr502(ctx.ws, account, num(ctx.params.TargetID));
      const all = lawsOf(ctx.ws, t.ID);
      assertStoredCriteria(ctx.ws, account, all);
      return { status: 200, body: { ItemList: all.map((l) => renderLawWithCriteria(ctx, l)), Total: all.length } };
    },
    getTargetLawcriteria: (ctx) => {
      const account = callerAccount(ctx);
      const law = lawOr511(ctx.ws, account, num(ctx.params.TargetID), num(ctx.params.LawID));
      assertStoredCriteria(ctx.ws, account, [law]);
      return { status: 200, body: renderLawWithCriteria(ctx, law) };
    },
    createTargetLawCriteria: (ctx) => {
      const account = callerAccount(ctx);
      const law = lawOr511(ctx.ws, account, num(ctx.params.TargetID), num(ctx.params.LawID));
      const checked = checkCriteria(ctx.ws, account, law, bodyOf(ctx));
      const rec = insertCriteria(ctx.ws, law, checked);
      return { status: 201, body: { ID: rec.ID } };
    },
    updateTargetLawCriteria: (ctx) => {
      const account = callerAccount(ctx);
      const view = criteriaOr508(ctx.ws, account, num(ctx.params.TargetID), num(ctx.params.LawID), num(ctx.params.CriteriaID));
      const law = lawsTable(ctx.ws).peek(String(view.LawID))!;
      const checked = checkCriteria(ctx.ws, account, law, bodyOf(ctx), view);
      const rec = criteriaTable(ctx.ws).get(view.id)!;
      Object.assign(rec, checked, { UpdateDate: new Date(ctx.ws.now()).toISOString() });
      criteriaTable(ctx.ws).put(rec);
      touchTarget(ctx.ws, rec.TargetID);
      return NO_CONTENT;
    },
  };
}
