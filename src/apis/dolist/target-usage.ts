// What targets use (usage.ts): the fields, interests and groups their criteria test (a group
// also through a criterion on one of its interests), and other targets (a `TARGET_<id>`
// criterion). Usage type 1 (Target).
import type { Workspace } from '../../core/workspace.js';
import { findInterest } from './interests.js';
import { criteriaTable, findTarget } from './targets.js';
import { registerUsage, type UsageItem } from './usage.js';

/** The targets of the account with a criterion whose reference `matches`, by ID. */
function targetsWhere(ws: Workspace, account: string, matches: (refId: string) => boolean): UsageItem[] {
  const out = new Map<number, UsageItem>();
  for (const c of criteriaTable(ws).lookup('account', account)) {
    if (!matches(c.CriteriaReferenceID.toUpperCase()) || out.has(c.TargetID)) continue;
    const t = findTarget(ws, account, c.TargetID);
    if (t) out.set(t.ID, { ID: t.ID, Name: t.Name });
  }
  return [...out.values()];
}

export function registerTargetUsage(): void {
  registerUsage('targets', 'field', 1, (ws, account, id) => targetsWhere(ws, account, (r) => r === `FIELD_${id}`));
  registerUsage('targets', 'interest', 1, (ws, account, id) => targetsWhere(ws, account, (r) => r === `INTEREST_${id}`));
  registerUsage('targets', 'group', 1, (ws, account, id) =>
    targetsWhere(ws, account, (r) => {
      if (r === `GROUP_${id}`) return true;
      const m = /^INTEREST_(\d+)$/.exec(r);
      return m !== null && findInterest(ws, account, Number(m[1]))?.GroupID === id;
    }),
  );
  registerUsage('targets', 'target', 1, (ws, account, id) => targetsWhere(ws, account, (r) => r === `TARGET_${id}`));
}
