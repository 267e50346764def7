// Change requests: a member's change of approval-required contact details waits for review.
//   Pending --review(approved)--> Approved (applied, recorded in the history as of the approval)
//   Pending --review(rejected)--> Rejected (discarded)
//   Pending --cancel-----------> Cancelled (initiator only; discarded)
// One pending request per contact. Another member or an app reviews (never the initiator).
// Searched with paging, sorting (Id, StatusId, CreateDate, ...; latest first) and filters.
import { Collection } from '../../core/engine/collection.js';
import { uuid } from '../../core/engine/ids.js';
import { shapeFromKinds } from '../../core/engine/shape.js';
import { conflictState, forbidden, invalid } from '../../core/errors.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import type { Principal } from './auth.js';
import { applyChanges, contactRef, contacts, type Change, type ChangeDetail, type ContactRec } from './contacts.js';
import { additivFixtures, API_ID, localize, style } from './style.js';

export const STATUS = { Pending: 1, Approved: 2, Rejected: 3, Cancelled: 4 } as const;

export interface ChangeRequestRec extends Rec {
  uId: string;
  contact: string;
  contactId: number;
  statusId: number;
  createDate: string;
  initiatorMemberId: number;
  initiatorMemberUid: string;
  initiatorMemberName: string;
  initiatorComment: string | null;
  reviewDate: string | null;
  reviewMemberId: number | null;
  reviewMemberUid: string | null;
  reviewMemberName: string | null;
  reviewComment: string | null;
  details: ChangeDetail[];
  paths: string[];
  /** The values to write on approval, by path (null removes). */
  targets: Record<string, unknown>;
}

export const changeRequests = new Collection<ChangeRequestRec>({
  api: style,
  name: 'change_requests',
  label: 'change request',
  shape: shapeFromKinds({
    id: 'integer', uId: 'string', contact: 'string', contactId: 'integer', statusId: 'integer', createDate: 'date', initiatorMemberId: 'integer',
    initiatorMemberUid: 'string', initiatorMemberName: 'string', initiatorComment: 'string', reviewDate: 'date', reviewMemberId: 'integer',
    reviewMemberUid: 'string', reviewMemberName: 'string', reviewComment: 'string', details: 'objectArray', paths: 'stringArray', targets: 'object',
  }),
  partition: 'contact',
  indexes: ['statusId'],
  sortable: ['id', 'statusId', 'createDate', 'initiatorMemberId', 'contactId', 'reviewDate', 'reviewMemberId'],
  defaultSort: [
    { field: 'createDate', desc: true },
    { field: 'id', desc: true },
  ],
  filters: {
    statusId: { field: 'statusId', op: 'eq' },
    createDateFrom: { field: 'createDate', op: 'gte', type: 'date' },
    createDateTo: { field: 'createDate', op: 'lte', type: 'date' },
    reviewDateFrom: { field: 'reviewDate', op: 'gte', type: 'date' },
    reviewDateTo: { field: 'reviewDate', op: 'lte', type: 'date' },
    initiatorMemberIds: { field: 'initiatorMemberId', op: 'in' },
    initiatorMemberUids: { field: 'initiatorMemberUid', op: 'in', caseInsensitive: true },
    reviewMemberIds: { field: 'reviewMemberId', op: 'in' },
    reviewMemberUids: { field: 'reviewMemberUid', op: 'in', caseInsensitive: true },
    contactIds: { field: 'contactId', op: 'in' },
    paths: { field: 'paths', op: 'in' },
  },
  errorField: 'changeRequestId',
  notFoundMessage: (id) => `change request ${id} not found for this contact`,
});

export function pendingChangeRequestOf(ws: Workspace, c: ContactRec): ChangeRequestRec | undefined {
  return changeRequests.table(ws).lookup('contact', c.id).find((r) => r.statusId === STATUS.Pending);
}

export function createChangeRequest(ws: Workspace, c: ContactRec, changes: Change[], member: Extract<Principal, { kind: 'member' }>, comment: string | null): number {
  const rec = changeRequests.insert(
    ws,
    {
      uId: uuid(ws),
      contactId: Number(c.id),
      statusId: STATUS.Pending,
      createDate: new Date(ws.now()).toISOString(),
      initiatorMemberId: member.memberId,
      initiatorMemberUid: member.uid,
      initiatorMemberName: member.name,
      initiatorComment: comment,
      reviewDate: null,
      reviewMemberId: null,
      reviewMemberUid: null,
      reviewMemberName: null,
      reviewComment: null,
      details: changes.map(({ path, originalValue, targetValue, isApprovalRequired }) => ({ path, originalValue, targetValue, isApprovalRequired })),
      paths: changes.map((ch) => ch.path),
      targets: Object.fromEntries(changes.map((ch) => [ch.path, ch.value ?? null])),
    },
    { partition: c.id },
  );
  ws.emit(API_ID, 'contact.change_request.created', { contactId: Number(c.id), changeRequestId: Number(rec.id), paths: rec.paths });
  return Number(rec.id);
}

function assertPending(r: ChangeRequestRec, action: string): void {
  if (r.statusId !== STATUS.Pending) {
    const name = Object.entries(STATUS).find(([, v]) => v === r.statusId)?.[0] ?? String(r.statusId);
    throw conflictState(`change request ${r.id} is ${name}: only a pending change request can be ${action}`, { field: 'changeRequestId' });
  }
}

export function cancelChangeRequest(ws: Workspace, r: ChangeRequestRec, caller: Principal): void {
  assertPending(r, 'cancelled');
  if (caller.kind !== 'member' || caller.memberId !== r.initiatorMemberId) {
    throw forbidden(`only the initiating member (${r.initiatorMemberName}) can cancel change request ${r.id}`);
  }
  r.statusId = STATUS.Cancelled;
  changeRequests.table(ws).touch(r);
  ws.emit(API_ID, 'contact.change_request.cancelled', { contactId: r.contactId, changeRequestId: Number(r.id) });
}

/** Approves (the changes are applied now and recorded in the history) or rejects a pending request. */
export function reviewChangeRequest(ws: Workspace, r: ChangeRequestRec, caller: Principal, input: { isApproved?: boolean; comment?: string | null }): void {
  assertPending(r, 'reviewed');
  if (typeof input.isApproved !== 'boolean') throw invalid(`'isApproved' is required`, { field: 'isApproved' });
  if (caller.kind === 'member' && caller.memberId === r.initiatorMemberId) throw forbidden(`the initiating member cannot review their own change request ${r.id}`);
  r.statusId = input.isApproved ? STATUS.Approved : STATUS.Rejected;
  r.reviewDate = new Date(ws.now()).toISOString();
  r.reviewMemberId = caller.kind === 'member' ? caller.memberId : 0;
  r.reviewMemberUid = caller.uid;
  r.reviewMemberName = caller.name;
  r.reviewComment = input.comment ?? null;
  changeRequests.table(ws).touch(r);
  if (input.isApproved) {
    const c = contacts.get(ws, r.contactId);
    const changes: Change[] = r.details.map((d) => ({ ...d, value: r.targets[d.path] ?? null }));
    applyChanges(ws, c, changes, { kind: 'person', id: r.initiatorMemberId, uid: r.initiatorMemberUid, name: r.initiatorMemberName }, Number(r.id));
  }
  ws.emit(API_ID, input.isApproved ? 'contact.change_request.approved' : 'contact.change_request.rejected', { contactId: r.contactId, changeRequestId: Number(r.id) });
}

/** Cancels a pending request and masks the values of every request of the contact (anonymization). */
export function anonymizeChangeRequests(ws: Workspace, c: ContactRec, token: string): void {
  const t = changeRequests.table(ws);
  for (const r of t.where('contact', c.id)) {
    if (r.statusId === STATUS.Pending) r.statusId = STATUS.Cancelled;
    r.details = r.details.map((d) => ({ ...d, originalValue: d.originalValue === null ? null : token, targetValue: d.targetValue === null ? null : token }));
    r.targets = {};
    t.touch(r);
  }
}

// ---- rendering ---------------------------------------------------------------------------------

export function statusOf(ws: Workspace, id: number, lang: string) {
  const s = additivFixtures(ws).changeRequestStatuses.find((x) => x.id === id);
  return { id, name: s ? localize(ws, s.name, lang) : null };
}

export function statusesOf(ws: Workspace, lang: string) {
  return additivFixtures(ws).changeRequestStatuses.map((s) => ({ id: s.id, name: localize(ws, s.name, lang) }));
}

type Version = 'v1.0' | 'v1.1';

const memberRef = (version: Version, key: 'uId' | 'uid', id: number | null, uid: string | null, name: string | null) => {
  if (id === null || uid === null) return null;
  return version === 'v1.0' ? { id, name } : { [key]: uid, name };
};

export function renderChangeRequest(ws: Workspace, r: ChangeRequestRec, version: Version, lang: string) {
  const c = contacts.view(ws, r.contactId);
  return {
    id: Number(r.id),
    uId: r.uId,
    contact: contactRef(c),
    status: statusOf(ws, r.statusId, lang),
    createDate: r.createDate,
    initiatorMember: memberRef(version, 'uId', r.initiatorMemberId, r.initiatorMemberUid, r.initiatorMemberName),
    initiatorComment: r.initiatorComment,
    reviewDate: r.reviewDate,
    reviewMember: memberRef(version, 'uId', r.reviewMemberId, r.reviewMemberUid, r.reviewMemberName),
    reviewComment: r.reviewComment,
    details: r.details.map((d) => ({ ...d })),
  };
}

export function renderSummary(ws: Workspace, r: ChangeRequestRec, version: Version, lang: string) {
  const c = contacts.view(ws, r.contactId);
  return {
    id: Number(r.id),
    contact: contactRef(c),
    status: statusOf(ws, r.statusId, lang),
    createDate: r.createDate,
    initiatorMember: memberRef(version, 'uid', r.initiatorMemberId, r.initiatorMemberUid, r.initiatorMemberName),
    reviewDate: r.reviewDate,
    reviewMember: memberRef(version, 'uid', r.reviewMemberId, r.reviewMemberUid, r.reviewMemberName),
  };
}

export function renderPendingCheck(ws: Workspace, c: ContactRec, version: Version) {
  const r = pendingChangeRequestOf(ws, c);
  if (!r) return { hasPendingChangeRequest: false, changeRequest: null };
  return {
    hasPendingChangeRequest: true,
    changeRequest: { id: Number(r.id), initiatorMember: memberRef(version, 'uid', r.initiatorMemberId, r.initiatorMemberUid, r.initiatorMemberName), createdDate: r.createDate },
  };
}
