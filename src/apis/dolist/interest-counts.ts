// Counting the contacts of an interest or a group asynchronously (`POST /interests/{id}/count/
// async`, `/interests/groups/{id}/count/async`, research §4.1 A5): an operation (a core job, see
// operations.ts) sized by the contacts it scans; at its end the count lands on the interest or
// group (`LastCountContacts`, `LastCountTargetID`, `LastCountDate`, shown by GET and the lists)
// and is the job's result. With a `TargetID`, only the target's contacts are counted (the
// targets area's evaluation, at the end of the run: the target as it is then). The number agrees
// with `WithCountContacts=true` for the same data and no target.
import type { JobKind } from '../../core/jobs.js';
import type { Workspace } from '../../core/workspace.js';
import { accountContacts } from './contacts.js';
import { groupOr404, interestCounts, interestOr404 } from './interest-catalogue.js';
import { findGroup, findInterest, groupsTable, interestsTable, type InterestGroupRec, type InterestRec } from './interests.js';
import { startOperation, type OperationView } from './operations.js';
import { targetContacts } from './target-eval.js';

export const INTEREST_COUNT = 'dolist.interest-count';
export const GROUP_COUNT = 'dolist.group-count';

function scanned(ws: Workspace, account: string, targetId: number | null) {
  return targetId === null ? accountContacts(ws, account) : targetContacts(ws, account, targetId);
}

/** Starts the count of an interest's contacts (404 [432], or [502] for an unknown target). */
export function startInterestCount(ws: Workspace, account: string, interestId: number, targetId: number | null): OperationView {
  interestOr404(ws, account, interestId);
  const n = scanned(ws, account, targetId).length;
  return startOperation(ws, account, INTEREST_COUNT, 'InterestCount', Math.max(n, 1), { interestId, targetId });
}

/** Starts the count of a group's contacts (404 [436], or [502] for an unknown target). */
export function startGroupCount(ws: Workspace, account: string, groupId: number, targetId: number | null): OperationView {
  groupOr404(ws, account, groupId);
  const n = scanned(ws, account, targetId).length;
  return startOperation(ws, account, GROUP_COUNT, 'InterestGroupCount', Math.max(n, 1), { groupId, targetId });
}

function land(ws: Workspace, kind: 'interest' | 'group', account: string, id: number, targetId: number | null): { ContactCount: number } {
  const { byInterest, byGroup } = interestCounts(ws, account, scanned(ws, account, targetId));
  const ContactCount = (kind === 'interest' ? byInterest.get(id) : byGroup.get(id)) ?? 0;
  // Deleted meanwhile: the operation still answers its count, nothing to land it on.
  const live = kind === 'interest' ? findInterest(ws, account, id) : findGroup(ws, account, id);
  if (live) {
    const w = (kind === 'interest' ? interestsTable(ws).get(live.id) : groupsTable(ws).get(live.id))!;
    w.LastCountContacts = ContactCount;
    w.LastCountTargetID = targetId;
    w.LastCountDate = new Date(ws.now()).toISOString();
    if (kind === 'interest') interestsTable(ws).put(w as InterestRec);
    else groupsTable(ws).put(w as InterestGroupRec);
  }
  return { ContactCount };
}

export const interestCountJobKinds: Record<string, JobKind> = {
  [INTEREST_COUNT]: { run: (ws, job) => land(ws, 'interest', String(job.input.account), Number(job.input.interestId), (job.input.targetId as number | null) ?? null) },
  [GROUP_COUNT]: { run: (ws, job) => land(ws, 'group', String(job.input.account), Number(job.input.groupId), (job.input.targetId as number | null) ?? null) },
};
