// The rules of a criterion (research §4.5 T2), checked in this order: the reference exists
// (404 [507]); it may share the law with the law's other criteria, and a target reference does
// not select its own target or one that selects it (400 [504]); the operator exists (404 [510])
// and is allowed for the reference (400 [509]); the parameter count fits the operator's arity
// (400 [520]); each value fits the reference's type (400 [506]); a given search control exists
// (404 [513]). Values are stored normalised (dates `YYYY-MM-DD`, booleans "1"/"0", emails lower
// case, mobiles E.164), so evaluation compares like with like. A stored criterion can go bad
// when the account changes under it (a field deleted or retyped): reads of laws with criteria
// then answer 500 [521] (values or reference) / [522] (parameter count), as the reference lists.
import type { Workspace } from '../../core/workspace.js';
import { mobileOf } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { accountInterests } from './interests.js';
import { dolistFixtures } from './style.js';
import { allowedWith, findOperator, findReference, findSearchControl, OP, referenceOr507, type CriteriaReference, type Operator } from './target-catalogue.js';
import { criteriaOf, lawsOf, type CriteriaRec, type LawRec } from './targets.js';

export interface CriteriaInput {
  CriteriaReferenceID?: unknown;
  OperatorID?: unknown;
  ParameterList?: unknown;
  SearchControlTypeID?: unknown;
}

export interface CheckedCriteria {
  CriteriaReferenceID: string;
  OperatorID: number;
  ParameterList: string[];
  SearchControlTypeID: number;
}

const DAY_OPS: number[] = [OP.inLastDays, OP.moreThanDaysAgo];

/** A date parameter as `YYYY-MM-DD` (ISO 8601 or dd/MM/yyyy), or undefined. */
export function dateParam(s: string): string | undefined {
  const text = /^\d{2}\/\d{2}\/\d{4}$/.test(s) ? s.split('/').reverse().join('-') : s;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().slice(0, 10);
}

/** One parameter in its stored form, or undefined when it does not fit the reference's type. */
export function normalizeParam(ws: Workspace, account: string, ref: CriteriaReference, op: Operator, raw: string): string | undefined {
  const s = raw.trim();
  if (DAY_OPS.includes(op.ID)) return /^\d+$/.test(s) ? String(Number(s)) : undefined;
  switch (ref.DataType) {
    case 'Integer':
      return /^-?\d+$/.test(s) ? String(Number(s)) : undefined;
    case 'Decimal':
      return /^-?\d+([.,]\d+)?$/.test(s) ? String(Number(s.replace(',', '.'))) : undefined;
    case 'Date':
      return dateParam(s);
    case 'Boolean': {
      const l = s.toLowerCase();
      return ['true', '1'].includes(l) ? '1' : ['false', '0'].includes(l) ? '0' : undefined;
    }
    case 'List':
      return dolistFixtures(ws).emailStatuses.some((e) => e.Value === s) ? s : undefined;
    case 'Group':
      return accountInterests(ws, account, ref.GroupID).some((i) => String(i.ID) === s) ? s : undefined;
    case 'Email':
      return s === '' ? undefined : s.toLowerCase();
    case 'Mobile':
      if (op.ID === OP.contains || op.ID === OP.startsWith) return s === '' ? undefined : s;
      return mobileOf(s);
    default:
      return s === '' ? undefined : s;
  }
}

function parameterList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw dolistError('36', 'ParameterList must be an array of strings', 'ParameterList');
  return v.map((x) => {
    if (x === null || typeof x === 'object') throw dolistError('36', 'each ParameterList value must be a string, a number or a boolean', 'ParameterList');
    return String(x);
  });
}

/** The target ids a target's criteria select contacts from (directly). */
function targetsReferencedBy(ws: Workspace, targetId: number): number[] {
  const out: number[] = [];
  for (const l of lawsOf(ws, targetId)) for (const c of criteriaOf(ws, l.ID)) {
    const m = /^TARGET_(\d+)$/i.exec(c.CriteriaReferenceID);
    if (m) out.push(Number(m[1]));
  }
  return out;
}

/** Whether target `from` selects from target `to`, directly or through others. */
export function selectsFrom(ws: Workspace, from: number, to: number, seen = new Set<number>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return targetsReferencedBy(ws, from).some((t) => selectsFrom(ws, t, to, seen));
}

/**
 * Checks a criterion for `law` (`current`: the criterion being updated, whose attributes not
 * given are kept). Throws the first broken rule's code; answers the stored form.
 */
export function checkCriteria(ws: Workspace, account: string, law: LawRec, input: CriteriaInput, current?: CriteriaRec): CheckedCriteria {
  const refId = input.CriteriaReferenceID ?? current?.CriteriaReferenceID;
  if (typeof refId !== 'string' || refId.trim() === '') throw dolistError('36', 'CriteriaReferenceID is required (e.g. FIELD_7)', 'CriteriaReferenceID');
  const ref = referenceOr507(ws, account, refId);
  // [504]: the reference must be allowed next to each other criterion of the law.
  const others = criteriaOf(ws, law.ID).filter((c) => c.ID !== current?.ID);
  for (const o of others) {
    const oref = findReference(ws, account, o.CriteriaReferenceID);
    if (!oref) continue;
    if (!allowedWith(ws, account, oref).some((r) => r.ID === ref.ID) || !allowedWith(ws, account, ref).some((r) => r.ID === oref.ID))
      throw dolistError('504', `${ref.ID} cannot share law ${law.ID} with criterion ${o.ID} (${oref.ID}): a target reference stands alone in its law`, 'CriteriaReferenceID');
  }
  if (ref.subject.kind === 'target' && selectsFrom(ws, ref.subject.targetId, law.TargetID))
    throw dolistError('504', `target ${ref.subject.targetId} ${ref.subject.targetId === law.TargetID ? 'is this target' : `selects from target ${law.TargetID}`}: a target cannot select from itself`, 'CriteriaReferenceID');
  const opRaw = input.OperatorID ?? current?.OperatorID;
  const opId = Number(opRaw);
  if (opRaw === undefined || opRaw === null || !Number.isInteger(opId)) throw dolistError('36', 'OperatorID is required (an integer)', 'OperatorID');
  const op = findOperator(opId);
  if (!op) throw dolistError('510', `no operator ${opId}`, 'OperatorID');
  if (!ref.OperatorIDList.includes(op.ID)) throw dolistError('509', `operator ${op.ID} (${op.Name}) is not allowed for ${ref.ID}; allowed: ${ref.OperatorIDList.join(', ')}`, 'OperatorID');
  const params = input.ParameterList !== undefined ? parameterList(input.ParameterList) : [...(current?.ParameterList ?? [])];
  if (params.length < op.MinParameterCount || (op.MaxParameterCount !== null && params.length > op.MaxParameterCount))
    throw dolistError('520', `operator ${op.Name} takes ${op.MaxParameterCount === null ? `at least ${op.MinParameterCount}` : op.MinParameterCount === op.MaxParameterCount ? op.MinParameterCount : `${op.MinParameterCount} to ${op.MaxParameterCount}`} parameter(s), ${params.length} given`, 'ParameterList');
  const stored = params.map((p, i) => {
    const v = normalizeParam(ws, account, ref, op, p);
    if (v === undefined) throw dolistError('506', `ParameterList[${i}] '${p}' is not a valid ${DAY_OPS.includes(op.ID) ? 'number of days' : ref.DataType.toLowerCase()} value for ${ref.ID}`, 'ParameterList');
    return v;
  });
  const scRaw = input.SearchControlTypeID;
  let sc = current && input.CriteriaReferenceID === undefined ? current.SearchControlTypeID : ref.SearchControlTypeID;
  if (scRaw !== undefined && scRaw !== null) {
    sc = Number(scRaw);
    if (!Number.isInteger(sc) || !findSearchControl(ws, sc)) throw dolistError('513', `no search control ${String(scRaw)}`, 'SearchControlTypeID');
  }
  return { CriteriaReferenceID: ref.ID, OperatorID: op.ID, ParameterList: stored, SearchControlTypeID: sc };
}

/** What went wrong with a stored criterion since it was written ([521] / [522]), or undefined. */
export function storedCriteriaProblem(ws: Workspace, account: string, c: CriteriaRec): { code: '521' | '522'; detail: string } | undefined {
  const ref = findReference(ws, account, c.CriteriaReferenceID);
  if (!ref) return { code: '521', detail: `criterion ${c.ID}: its reference ${c.CriteriaReferenceID} no longer exists` };
  const op = findOperator(c.OperatorID);
  if (!op || !ref.OperatorIDList.includes(op.ID)) return { code: '521', detail: `criterion ${c.ID}: operator ${c.OperatorID} no longer fits ${ref.ID} (${ref.DataType})` };
  const n = c.ParameterList.length;
  if (n < op.MinParameterCount || (op.MaxParameterCount !== null && n > op.MaxParameterCount)) return { code: '522', detail: `criterion ${c.ID}: ${n} parameter(s) for operator ${op.Name}` };
  const bad = c.ParameterList.find((p) => normalizeParam(ws, account, ref, op, p) === undefined);
  if (bad !== undefined) return { code: '521', detail: `criterion ${c.ID}: '${bad}' is not a valid ${ref.DataType.toLowerCase()} value for ${ref.ID}` };
  return undefined;
}

/** Throws 500 [521]/[522] when a criterion of these laws went bad (reads of laws with criteria). */
export function assertStoredCriteria(ws: Workspace, account: string, laws: LawRec[]): void {
  for (const l of laws)
    for (const c of criteriaOf(ws, l.ID)) {
      const p = storedCriteriaProblem(ws, account, c);
      if (p) throw dolistError(p.code, p.detail, 'CriteriaList');
    }
}
