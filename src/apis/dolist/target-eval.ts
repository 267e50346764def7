// The contacts a target (segment) selects, as its laws and criteria say: the criteria of a law
// are AND-ed (a law without criteria selects every contact); the laws are applied in order, each
// after the first joining the result so far with its Operator (Or: union, And: intersection); a
// target without laws selects every contact. The account's permanent filter, when on, leaves out
// the contacts whose address must not be written to (`isDoNotWrite`); `SaleManagementID`
// restricts to the contacts of that partition. Exports (the Segment filter), target counts and
// part 2's sendings read it. Time only from ws.now().
//
// Value semantics: text comparisons ignore case; a contact without the value matches NotEquals
// and NotInList (it is not equal to the value) but never Equals, comparisons or Between;
// Between is inclusive; dates compare by day (UTC); InLastDays N: within the last N days up to
// now; MoreThanDaysAgo N: before now minus N days.
import type { Workspace } from '../../core/workspace.js';
import { accountContacts, isDoNotWrite, valueOf, type ContactRec } from './contacts.js';
import { accountInterests } from './interests.js';
import { findReference, OP, type CriteriaReference } from './target-catalogue.js';
import { dateParam } from './target-criteria.js';
import { criteriaOf, lawsOf, targetOr502, type CriteriaRec, type LawRec } from './targets.js';
import { API_ID } from './style.js';

export interface EvalOptions {
  /** Only the contacts of this "gestion commerciale" partition. */
  saleManagementId?: number | null;
  /** Targets being evaluated (a target criterion never loops). */
  seen?: Set<number>;
}

const DAY = 24 * 3600 * 1000;

/** The account's permanent filter switch (table `permanent_filters`, record `<account>`; off when absent). */
export function permanentFilterOn(ws: Workspace, account: string): boolean {
  return Boolean(ws.table<{ id: string; IsEnabled: boolean }>(API_ID, 'permanent_filters').peek(account)?.IsEnabled);
}

function compareText(v: string | undefined, op: number, params: string[]): boolean {
  const s = v?.toLowerCase();
  const ps = params.map((p) => p.toLowerCase());
  switch (op) {
    case OP.equals:
      return s !== undefined && s === ps[0];
    case OP.notEquals:
      return s !== ps[0];
    case OP.contains:
      return s !== undefined && s.includes(ps[0]);
    case OP.startsWith:
      return s !== undefined && s.startsWith(ps[0]);
    case OP.inList:
      return s !== undefined && ps.includes(s);
    case OP.notInList:
      return s === undefined || !ps.includes(s);
    case OP.greaterThan:
      return s !== undefined && s > ps[0];
    case OP.lessThan:
      return s !== undefined && s < ps[0];
    case OP.between:
      return s !== undefined && s >= ps[0] && s <= ps[1];
    default:
      return false;
  }
}

function compareNumber(v: string | undefined, op: number, params: string[]): boolean {
  const n = v === undefined ? NaN : Number(v);
  const ps = params.map(Number);
  const has = !Number.isNaN(n);
  switch (op) {
    case OP.equals:
      return has && n === ps[0];
    case OP.notEquals:
      return !has || n !== ps[0];
    case OP.greaterThan:
      return has && n > ps[0];
    case OP.lessThan:
      return has && n < ps[0];
    case OP.between:
      return has && n >= ps[0] && n <= ps[1];
    case OP.inList:
      return has && ps.includes(n);
    case OP.notInList:
      return !has || !ps.includes(n);
    default:
      return false;
  }
}

function compareDate(ws: Workspace, v: string | undefined, op: number, params: string[]): boolean {
  const day = v === undefined ? undefined : dateParam(v);
  if (op === OP.inLastDays || op === OP.moreThanDaysAgo) {
    if (v === undefined) return false;
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    if (Number.isNaN(t)) return false;
    const limit = ws.now() - Number(params[0]) * DAY;
    return op === OP.inLastDays ? t >= limit && t <= ws.now() : t < limit;
  }
  return compareText(day, op, params);
}

function matchesCriterion(ws: Workspace, account: string, c: ContactRec, crit: CriteriaRec, ref: CriteriaReference, opts: EvalOptions, targetSets: Map<number, Set<number>>): boolean {
  const op = crit.OperatorID;
  const p = crit.ParameterList;
  const s = ref.subject;
  switch (s.kind) {
    case 'interest': {
      const has = c.Interests[String(s.interestId)] !== undefined;
      return op === OP.hasNot ? !has : has;
    }
    case 'group': {
      const ids = op === OP.inList || op === OP.notInList ? p : accountInterests(ws, account, s.groupId).map((i) => String(i.ID));
      const has = ids.some((id) => c.Interests[id] !== undefined);
      return op === OP.hasNot || op === OP.notInList ? !has : has;
    }
    case 'target': {
      let set = targetSets.get(s.targetId);
      if (!set) {
        const seen = opts.seen ?? new Set<number>();
        set = seen.has(s.targetId) ? new Set() : new Set(selectIds(ws, account, s.targetId, { ...opts, seen: new Set([...seen, s.targetId]) }));
        targetSets.set(s.targetId, set);
      }
      const has = set.has(c.ID);
      return op === OP.hasNot ? !has : has;
    }
    default: {
      const raw = s.kind === 'date' ? (c[s.attr] as string | null) ?? undefined : valueOf(c, s.fieldId);
      const v = raw === '' ? undefined : raw;
      if (op === OP.isEmpty) return v === undefined;
      if (op === OP.isNotEmpty) return v !== undefined;
      switch (ref.DataType) {
        case 'Integer':
        case 'Decimal':
          return compareNumber(v, op, p);
        case 'Date':
          return compareDate(ws, v, op, p);
        default:
          return compareText(v, op, p);
      }
    }
  }
}

/** The contacts of the account `laws` select (before the permanent filter and SaleManagementID). */
export function evaluate(ws: Workspace, account: string, laws: Array<{ law: Pick<LawRec, 'Operator'>; criteria: CriteriaRec[] }>, opts: EvalOptions = {}): ContactRec[] {
  const contacts = accountContacts(ws, account);
  if (!laws.length) return contacts;
  const targetSets = new Map<number, Set<number>>();
  // A criterion whose reference is gone (a deleted field) selects nobody.
  const compiled = laws.map(({ law, criteria }) => ({ law, criteria: criteria.map((crit) => ({ crit, ref: findReference(ws, account, crit.CriteriaReferenceID) })) }));
  return contacts.filter((c) => {
    let result = false;
    compiled.forEach(({ law, criteria }, i) => {
      if (i > 0 && law.Operator === 'And' && !result) return;
      if (i > 0 && law.Operator !== 'And' && result) return;
      const m = criteria.every(({ crit, ref }) => ref !== undefined && matchesCriterion(ws, account, c, crit, ref, opts, targetSets));
      result = i === 0 ? m : law.Operator === 'And' ? result && m : result || m;
    });
    return result;
  });
}

function selectIds(ws: Workspace, account: string, targetId: number, opts: EvalOptions): number[] {
  return filtered(ws, account, evaluate(ws, account, targetLaws(ws, targetId), opts), opts).map((c) => c.ID);
}

function filtered(ws: Workspace, account: string, contacts: ContactRec[], opts: EvalOptions): ContactRec[] {
  const pf = permanentFilterOn(ws, account);
  const sm = opts.saleManagementId;
  if (!pf && (sm === undefined || sm === null)) return contacts;
  return contacts.filter((c) => (!pf || !isDoNotWrite(ws, c)) && (sm === undefined || sm === null || c.SaleManagementID === sm));
}

/** A target's laws with their criteria, in order. */
export function targetLaws(ws: Workspace, targetId: number) {
  return lawsOf(ws, targetId).map((law) => ({ law, criteria: criteriaOf(ws, law.ID) }));
}

/** The live contacts of the account matching target `targetId` (404 [502] when no such target), read-only views. */
export function targetContacts(ws: Workspace, account: string, targetId: number, opts: EvalOptions = {}): ContactRec[] {
  targetOr502(ws, account, targetId);
  return filtered(ws, account, evaluate(ws, account, targetLaws(ws, targetId), { ...opts, seen: new Set([targetId]) }), opts);
}
