// What is done to a target's contacts: the async operations (count, contact list, unsubscribe,
// contact deletion: core jobs whose run() lands the effect when the operation is Done, against
// the contacts the target selects at that moment), and the synchronous bulk changes (delete,
// field value, interest link, address status). Reads over the selection: field occupancy and
// the distribution of a field's values. Domain only: no HTTP.
import type { Job, JobKind } from '../../core/jobs.js';
import type { Workspace } from '../../core/workspace.js';
import { contactsTable, deleteContact, ORIGIN, storedValue, unsubscribeContact, type ContactRec } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { accountFields, findField } from './fields.js';
import { findInterest } from './interests.js';
import { startOperation, type OperationView } from './operations.js';
import { dolistFixtures } from './style.js';
import { targetContacts, type EvalOptions } from './target-eval.js';
import { findTarget, targetOr502, targetsTable } from './targets.js';

export const TARGET_JOBS = {
  count: 'dolist.target-count',
  contacts: 'dolist.target-contacts',
  unsubscribe: 'dolist.target-unsubscribe',
  contactsDelete: 'dolist.target-contacts-delete',
} as const;

type Action = keyof typeof TARGET_JOBS;
const TYPE_NAMES: Record<Action, string> = { count: 'TargetCount', contacts: 'TargetContacts', unsubscribe: 'TargetUnsubscribe', contactsDelete: 'TargetContactsDelete' };

const nowIso = (ws: Workspace) => new Date(ws.now()).toISOString();

/** Starts an async operation over the target's contacts (404 [502]); a count marks the target Pending. */
export function startTargetOperation(ws: Workspace, account: string, targetId: number, action: Action, opts: EvalOptions = {}): OperationView {
  const size = targetContacts(ws, account, targetId, opts).length;
  const op = startOperation(ws, account, TARGET_JOBS[action], TYPE_NAMES[action], Math.max(1, size), { targetId, saleManagementId: opts.saleManagementId ?? null });
  if (action === 'count') {
    const t = targetsTable(ws).get(String(targetId))!;
    // The previous values stay until the new count is Done (research §4.1 A4).
    t.CountStatus = 'Pending';
    t.CountOperationID = op.ID;
    targetsTable(ws).put(t);
  }
  return op;
}

const jobInput = (job: Job) => ({
  account: String(job.input.account),
  targetId: Number(job.input.targetId),
  opts: { saleManagementId: (job.input.saleManagementId as number | null) ?? null } as EvalOptions,
});

/** The job kinds of the targets area (registered by area-targets.ts). */
export const targetJobKinds: Record<string, JobKind> = {
  [TARGET_JOBS.count]: {
    run(ws, job) {
      const { account, targetId, opts } = jobInput(job);
      const n = targetContacts(ws, account, targetId, opts).length;
      const t = targetsTable(ws).get(String(targetId))!;
      // A later count started meanwhile owns the status; its result lands when it ends.
      if (t.CountOperationID === Number(job.ref) || t.CountOperationID === null) t.CountStatus = 'Done';
      t.ContactCount = n;
      t.LastCountDate = nowIso(ws);
      targetsTable(ws).put(t);
      return { ContactCount: n };
    },
    onEnd(ws, job) {
      if (job.status === 'succeeded') return;
      const { account, targetId } = jobInput(job);
      const t = findTarget(ws, account, targetId) && targetsTable(ws).get(String(targetId));
      if (t && t.CountOperationID === Number(job.ref)) {
        t.CountStatus = 'Error';
        targetsTable(ws).put(t);
      }
    },
  },
  [TARGET_JOBS.contacts]: {
    run(ws, job) {
      const { account, targetId, opts } = jobInput(job);
      const ids = targetContacts(ws, account, targetId, opts).map((c) => c.ID);
      return { ContactCount: ids.length, ContactIDList: ids };
    },
  },
  [TARGET_JOBS.unsubscribe]: {
    run(ws, job) {
      const { account, targetId, opts } = jobInput(job);
      const matched = targetContacts(ws, account, targetId, opts);
      for (const c of matched) unsubscribeContact(ws, c, ORIGIN.API);
      return { ContactCount: matched.length };
    },
  },
  [TARGET_JOBS.contactsDelete]: {
    run(ws, job) {
      const { account, targetId, opts } = jobInput(job);
      return { ContactCount: deleteTargetContacts(ws, account, targetId, opts) };
    },
  },
};

/** Deletes every contact the target selects, at once; answers how many. */
export function deleteTargetContacts(ws: Workspace, account: string, targetId: number, opts: EvalOptions = {}): number {
  const ids = targetContacts(ws, account, targetId, opts).map((c) => c.ID);
  for (const id of ids) deleteContact(ws, account, id);
  return ids.length;
}

function writeEach(ws: Workspace, contacts: ContactRec[], change: (c: ContactRec) => boolean): number {
  let n = 0;
  const now = nowIso(ws);
  for (const view of contacts) {
    const c = contactsTable(ws).get(view.id)!;
    if (!change(c)) continue;
    c.UpdateDate = now;
    c.UpdateOrigin = ORIGIN.API;
    contactsTable(ws).put(c);
    n++;
  }
  return n;
}

/**
 * Sets field `fieldId` to `value` on every contact of the target: unknown field 404 [415]; a
 * value that does not fit the field 400 [405] (the detail says why); a composite-key field
 * cannot be set on many contacts at once (they would clash): 400 [36].
 */
export function setTargetField(ws: Workspace, account: string, targetId: number, fieldId: number, value: unknown, opts: EvalOptions = {}): number {
  targetOr502(ws, account, targetId);
  const field = findField(ws, account, fieldId);
  if (!field) throw dolistError('415', `no field ${fieldId} in account ${account}`, 'FieldID');
  if (field.IsCompositeKey) throw dolistError('36', `field ${fieldId} (${field.Name}) is part of the composite key: one value on every contact of a target would make them clash`, 'FieldID');
  let stored: string | null;
  try {
    stored = storedValue(ws, account, fieldId, value).value;
  } catch (e) {
    const detail = (e as { details?: { detail?: string } }).details?.detail ?? String((e as Error).message);
    throw dolistError('405', detail, 'Value');
  }
  const key = String(fieldId);
  return writeEach(ws, targetContacts(ws, account, targetId, opts), (c) => {
    if ((c.Values[key] ?? null) === stored) return false;
    const values = { ...c.Values };
    if (stored === null) delete values[key];
    else values[key] = stored;
    c.Values = values;
    return true;
  });
}

/** Links (or, `linked` false, unlinks) interest `interestId` on every contact of the target (404 [432] for an unknown interest). */
export function setTargetInterest(ws: Workspace, account: string, targetId: number, interestId: number, linked: boolean, opts: EvalOptions = {}): number {
  targetOr502(ws, account, targetId);
  if (!findInterest(ws, account, interestId)) throw dolistError('432', `no interest ${interestId} in account ${account}`, 'InterestID');
  const key = String(interestId);
  const date = nowIso(ws);
  return writeEach(ws, targetContacts(ws, account, targetId, opts), (c) => {
    const has = c.Interests[key] !== undefined;
    if (has === linked) return false;
    const interests = { ...c.Interests };
    if (linked) interests[key] = { Origin: ORIGIN.API, Date: date };
    else delete interests[key];
    c.Interests = interests;
    return true;
  });
}

/** Gives every contact of the target the address status `status` (field 72); "7" dates the unsubscription, another status clears it. */
export function setTargetContactStatus(ws: Workspace, account: string, targetId: number, status: unknown, opts: EvalOptions = {}): number {
  targetOr502(ws, account, targetId);
  const fx = dolistFixtures(ws);
  const s = status === undefined || status === null ? '' : String(status).trim();
  if (!fx.emailStatuses.some((e) => e.Value === s)) throw dolistError('36', `Status '${s}' is not an address status (${fx.emailStatuses.map((e) => e.Value).join(', ')})`, 'Status');
  const key = String(fx.standardFieldIds.emailStatus);
  const now = nowIso(ws);
  return writeEach(ws, targetContacts(ws, account, targetId, opts), (c) => {
    if (c.Values[key] === s && (s !== '7' || c.UnsubscribeDate)) return false;
    c.Values = { ...c.Values, [key]: s };
    c.UnsubscribeDate = s === '7' ? c.UnsubscribeDate ?? now : null;
    return true;
  });
}

/** Per field (all live fields, or `fieldIds` in that order), how many of the target's contacts have a value. */
export function fieldOccupancy(ws: Workspace, account: string, targetId: number, fieldIds: number[] | null, opts: EvalOptions = {}) {
  targetOr502(ws, account, targetId);
  const fields = fieldIds?.length
    ? fieldIds.map((id) => {
        const f = findField(ws, account, id);
        if (!f) throw dolistError('415', `no field ${id} in account ${account}`, 'FieldIDList');
        return f;
      })
    : accountFields(ws, account);
  const contacts = targetContacts(ws, account, targetId, opts);
  return fields.map((f) => {
    const filled = contacts.filter((c) => (c.Values[String(f.ID)] ?? '') !== '').length;
    return { FieldID: f.ID, Name: f.Name, FilledCount: filled, ContactCount: contacts.length, Rate: contacts.length ? Math.round((filled / contacts.length) * 10000) / 100 : 0 };
  });
}

/** The values of field `fieldId` among the target's contacts with their counts (>= minCount), most frequent first, then by value. */
export function fieldValueCounts(ws: Workspace, account: string, targetId: number, fieldId: number, minCount: number, opts: EvalOptions = {}) {
  targetOr502(ws, account, targetId);
  if (!findField(ws, account, fieldId)) throw dolistError('415', `no field ${fieldId} in account ${account}`, 'FieldID');
  const counts = new Map<string, number>();
  for (const c of targetContacts(ws, account, targetId, opts)) {
    const v = c.Values[String(fieldId)];
    if (v !== undefined && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()]
    .filter(([, n]) => n >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([Value, Count]) => ({ Value, Count }));
}
