// Targets (segments), their laws and the laws' criteria. Tables `targets` (partitioned by
// account), `target_laws` (by target: `target` holds the TargetID as a string) and
// `target_criteria` (by law: `law`). Ids from one counter per resource across accounts. A
// target's laws are ordered (`Position`, 1-based, dense); the criteria of a law are AND-ed and
// each law after the first joins the result so far with its `Operator` (Or by default, And),
// left to right (target-eval.ts). Deleting a target deletes its laws and criteria; deleting a
// law deletes its criteria. Domain only: no HTTP.
import { nextInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { API_ID } from './style.js';

export type CountStatus = 'None' | 'Pending' | 'Done' | 'Error';
export type LawOperator = 'Or' | 'And';

export interface TargetRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Name: string;
  Description: string | null;
  ContactCount: number | null;
  LastCountDate: string | null;
  CountStatus: CountStatus;
  CountOperationID: number | null;
  CreateDate: string;
  UpdateDate: string;
}

export interface LawRec extends Rec {
  id: string;
  ID: number;
  account: string;
  /** The partition: String(TargetID). */
  target: string;
  TargetID: number;
  Name: string;
  Operator: LawOperator;
  Position: number;
  CreateDate: string;
  UpdateDate: string;
}

export interface CriteriaRec extends Rec {
  id: string;
  ID: number;
  account: string;
  /** The partition: String(LawID). */
  law: string;
  TargetID: number;
  LawID: number;
  CriteriaReferenceID: string;
  OperatorID: number;
  ParameterList: string[];
  SearchControlTypeID: number;
  Position: number;
  CreateDate: string;
  UpdateDate: string;
}

export const TARGET_TABLES = { targets: 'targets', laws: 'target_laws', criteria: 'target_criteria' } as const;

export const targetsTable = (ws: Workspace) => ws.table<TargetRec>(API_ID, TARGET_TABLES.targets);
export const lawsTable = (ws: Workspace) => ws.table<LawRec>(API_ID, TARGET_TABLES.laws);
export const criteriaTable = (ws: Workspace) => ws.table<CriteriaRec>(API_ID, TARGET_TABLES.criteria);

/** A target of the account (read-only view), or undefined. */
export function findTarget(ws: Workspace, account: string, id: number): TargetRec | undefined {
  if (!Number.isInteger(id)) return undefined;
  const t = targetsTable(ws).peek(String(id));
  return t && t.account === account ? t : undefined;
}

/** The target (read-only), or 404 [502]. */
export function targetOr502(ws: Workspace, account: string, id: number, field = 'TargetID'): TargetRec {
  const t = findTarget(ws, account, id);
  if (!t) throw dolistError('502', `no target ${id} in account ${account}`, field);
  return t;
}

export function accountTargets(ws: Workspace, account: string): TargetRec[] {
  return targetsTable(ws)
    .lookup('account', account)
    .slice()
    .sort((a, b) => a.ID - b.ID);
}

/** The laws of a target, in order (read-only). */
export function lawsOf(ws: Workspace, targetId: number): LawRec[] {
  return lawsTable(ws)
    .lookup('target', String(targetId))
    .slice()
    .sort((a, b) => a.Position - b.Position || a.ID - b.ID);
}

/** The criteria of a law, in order (read-only). */
export function criteriaOf(ws: Workspace, lawId: number): CriteriaRec[] {
  return criteriaTable(ws)
    .lookup('law', String(lawId))
    .slice()
    .sort((a, b) => a.Position - b.Position || a.ID - b.ID);
}

/** The law of the target (read-only), or 404 [511] (the target checked first: [502]). */
export function lawOr511(ws: Workspace, account: string, targetId: number, lawId: number): LawRec {
  targetOr502(ws, account, targetId);
  const l = Number.isInteger(lawId) ? lawsTable(ws).peek(String(lawId)) : undefined;
  if (!l || l.TargetID !== targetId) throw dolistError('511', `no law ${lawId} in target ${targetId}`, 'LawID');
  return l;
}

/** The criterion of the law (read-only), or 404 [508]. */
export function criteriaOr508(ws: Workspace, account: string, targetId: number, lawId: number, criteriaId: number): CriteriaRec {
  lawOr511(ws, account, targetId, lawId);
  const c = Number.isInteger(criteriaId) ? criteriaTable(ws).peek(String(criteriaId)) : undefined;
  if (!c || c.LawID !== lawId) throw dolistError('508', `no criteria ${criteriaId} in law ${lawId}`, 'CriteriaID');
  return c;
}

/** Target names are unique in the account, compared trimmed and case-insensitively: 409 [501]. */
export function checkTargetName(ws: Workspace, account: string, name: string, except?: number): void {
  const n = name.trim().toLowerCase();
  const clash = accountTargets(ws, account).find((t) => t.ID !== except && t.Name.trim().toLowerCase() === n);
  if (clash) throw dolistError('501', `target ${clash.ID} is already named '${clash.Name}'`, 'Name');
}

/** Renumbers a target's laws 1..n in their order (after a delete or a move). */
export function renumberLaws(ws: Workspace, targetId: number, moved?: { id: number; position: number }): void {
  const laws = lawsOf(ws, targetId);
  const order = laws.filter((l) => l.ID !== moved?.id);
  if (moved) {
    const m = laws.find((l) => l.ID === moved.id);
    if (m) order.splice(Math.max(0, Math.min(order.length, moved.position - 1)), 0, m);
  }
  order.forEach((view, i) => {
    if (view.Position !== i + 1) {
      const l = lawsTable(ws).get(view.id)!;
      l.Position = i + 1;
      lawsTable(ws).put(l);
    }
  });
}

/** Removes a law's criteria. */
export function deleteCriteriaOfLaw(ws: Workspace, lawId: number): void {
  for (const c of criteriaOf(ws, lawId)) criteriaTable(ws).remove(c.id);
}

/** Removes a target's laws and their criteria. */
export function deleteLawsOf(ws: Workspace, targetId: number): void {
  for (const l of lawsOf(ws, targetId)) {
    deleteCriteriaOfLaw(ws, l.ID);
    lawsTable(ws).remove(l.id);
  }
}

/** The sequences' first values (realistic magnitudes; one counter per resource across accounts). */
export const TARGET_ID_START = { targets: 3001, laws: 7001, criteria: 9001 } as const;

const nowIso = (ws: Workspace) => new Date(ws.now()).toISOString();

/** A new target (name checked: 409 [501]). */
export function insertTarget(ws: Workspace, account: string, v: { Name: string; Description?: string | null }): TargetRec {
  checkTargetName(ws, account, v.Name);
  const ID = nextInSequence(ws, sequenceKey(API_ID, TARGET_TABLES.targets), TARGET_ID_START.targets);
  const now = nowIso(ws);
  return targetsTable(ws).put({
    id: String(ID), ID, account, Name: v.Name.trim(), Description: v.Description ?? null,
    ContactCount: null, LastCountDate: null, CountStatus: 'None', CountOperationID: null, CreateDate: now, UpdateDate: now,
  });
}

/** A new law at the end of the target's laws, or at `Position` (the others move down). */
export function insertLaw(ws: Workspace, target: TargetRec, v: { Name?: string | null; Operator?: LawOperator | null; Position?: number | null }): LawRec {
  const n = lawsOf(ws, target.ID).length;
  const ID = nextInSequence(ws, sequenceKey(API_ID, TARGET_TABLES.laws), TARGET_ID_START.laws);
  const now = nowIso(ws);
  const law = lawsTable(ws).put({
    id: String(ID), ID, account: target.account, target: String(target.ID), TargetID: target.ID,
    Name: v.Name?.trim() || `Law ${n + 1}`, Operator: v.Operator ?? 'Or', Position: n + 1, CreateDate: now, UpdateDate: now,
  });
  if (v.Position && v.Position <= n) renumberLaws(ws, target.ID, { id: ID, position: v.Position });
  touchTarget(ws, target.ID);
  return law;
}

/** A new criterion at the end of the law (its values already checked, criteria.ts). */
export function insertCriteria(ws: Workspace, law: LawRec, v: { CriteriaReferenceID: string; OperatorID: number; ParameterList: string[]; SearchControlTypeID: number }): CriteriaRec {
  const ID = nextInSequence(ws, sequenceKey(API_ID, TARGET_TABLES.criteria), TARGET_ID_START.criteria);
  const now = nowIso(ws);
  const rec = criteriaTable(ws).put({
    id: String(ID), ID, account: law.account, law: String(law.ID), TargetID: law.TargetID, LawID: law.ID,
    ...v, Position: criteriaOf(ws, law.ID).length + 1, CreateDate: now, UpdateDate: now,
  });
  touchTarget(ws, law.TargetID);
  return rec;
}

/** The target's UpdateDate follows changes to its laws and criteria. */
export function touchTarget(ws: Workspace, targetId: number): void {
  const t = targetsTable(ws).get(String(targetId));
  if (!t) return;
  t.UpdateDate = nowIso(ws);
  targetsTable(ws).put(t);
}

/** Copies `source`'s laws and criteria onto `dest` (after removing dest's own), with new ids. */
export function copyLaws(ws: Workspace, source: TargetRec, dest: TargetRec): void {
  const laws = lawsOf(ws, source.ID).map((l) => ({ law: { ...l }, criteria: criteriaOf(ws, l.ID).map((c) => ({ ...c, ParameterList: [...c.ParameterList] })) }));
  deleteLawsOf(ws, dest.ID);
  for (const { law, criteria } of laws) {
    const nl = insertLaw(ws, dest, { Name: law.Name, Operator: law.Operator });
    for (const c of criteria) {
      // A criterion on the destination itself would select itself: it points at the source instead.
      const ref = c.CriteriaReferenceID.toUpperCase() === `TARGET_${dest.ID}` ? `TARGET_${source.ID}` : c.CriteriaReferenceID;
      insertCriteria(ws, nl, { CriteriaReferenceID: ref, OperatorID: c.OperatorID, ParameterList: c.ParameterList, SearchControlTypeID: c.SearchControlTypeID });
    }
  }
}

/** A duplicate of the target: a deep copy of its laws and criteria, no count values. */
export function duplicateTarget(ws: Workspace, account: string, sourceId: number, name?: string | null): TargetRec {
  const source = targetOr502(ws, account, sourceId);
  const copy = insertTarget(ws, account, { Name: name?.trim() || `${source.Name} (copy)`, Description: source.Description });
  copyLaws(ws, source, copy);
  return copy;
}

/** `PUT /targets/{t}/duplicate?SourceTargetID=s`: t keeps its ID and name, takes s's laws, criteria and latest count values. */
export function copyTargetFrom(ws: Workspace, account: string, targetId: number, sourceId: number): TargetRec {
  const dest = targetOr502(ws, account, targetId);
  const source = targetOr502(ws, account, sourceId, 'SourceTargetID');
  if (source.ID !== dest.ID) copyLaws(ws, source, dest);
  const t = targetsTable(ws).get(dest.id)!;
  t.ContactCount = source.ContactCount;
  t.LastCountDate = source.LastCountDate;
  t.CountStatus = source.CountStatus === 'Pending' ? (source.ContactCount === null ? 'None' : 'Done') : source.CountStatus;
  t.UpdateDate = nowIso(ws);
  return targetsTable(ws).put(t);
}

/** Deletes a target with its laws and criteria. */
export function deleteTarget(ws: Workspace, account: string, targetId: number): void {
  const t = targetOr502(ws, account, targetId);
  deleteLawsOf(ws, t.ID);
  targetsTable(ws).remove(t.id);
}
