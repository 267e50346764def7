// Managing the account's interest groups and interests (interests.ts holds the model): create,
// change, soft delete and Undo, positions within a group, duplicates, counts of contacts,
// personalisation variables and the CSV. Rules (research §4.4): a group name is unique in the
// account (409 [438]), an interest name within its group (409 [435]), both case-insensitive and
// trimmed; a read-only interest cannot be changed (403 [433]), nor a read-only group (403 [437]);
// an update-only group takes no new interest (403 [434]); a group may become single-choice
// (Radio, Select) only while no contact has two of its interests (500 [446]). Deleting a group
// deletes its live interests with it (same `DeletedAt`); Undo brings them back together.
import { Collection } from '../../core/engine/collection.js';
import type { FilterSpec } from '../../core/engine/query.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { accountContacts, ORIGIN, type ContactRec } from './contacts.js';
import { csvText } from './contacts-csv.js';
import { dolistError } from './error-catalogue.js';
import { accountGroups, accountInterests, findGroup, findInterest, groupsTable, interestsTable, type InterestGroupRec, type InterestRec } from './interests.js';
import { ID_START, style } from './style.js';

export const GROUP_STYLES = ['Checkbox', 'Radio', 'Select'] as const;
/** Styles where a contact has at most one interest of the group. */
export const isSingleChoice = (s: string) => s === 'Radio' || s === 'Select';

const range = (field: string, op: 'gte' | 'lte'): FilterSpec => ({ field, op, type: 'date' });
const dateAndOriginFilters: Record<string, FilterSpec> = {
  CreatedAfter: range('CreateDate', 'gte'),
  CreatedBefore: range('CreateDate', 'lte'),
  UpdatedAfter: range('UpdateDate', 'gte'),
  UpdatedBefore: range('UpdateDate', 'lte'),
  CreateOrigin: { field: 'CreateOrigin' },
  UpdateOrigin: { field: 'UpdateOrigin' },
};

export function interestsCollection(spec: LoadedSpec): Collection<InterestRec> {
  return new Collection<InterestRec>({
    api: style,
    name: 'interests',
    label: 'interest',
    shape: shapeOf(spec.schemas.Interest),
    resource: { id: { field: 'ID', kind: 'sequence', type: 'integer', start: ID_START.interests } },
    partition: 'account',
    hidden: { field: 'IsDeleted', values: [true] },
    codes: { notFound: '432' },
    errorField: 'InterestID',
    search: ['Name'],
    filters: { GroupID: { field: 'GroupID' }, ...dateAndOriginFilters },
    defaultSort: [
      { field: 'GroupID', desc: false },
      { field: 'Position', desc: false },
    ],
  });
}

export function groupsCollection(spec: LoadedSpec): Collection<InterestGroupRec> {
  return new Collection<InterestGroupRec>({
    api: style,
    name: 'interest_groups',
    label: 'interest group',
    shape: shapeOf(spec.schemas.InterestGroup),
    resource: { id: { field: 'ID', kind: 'sequence', type: 'integer', start: ID_START.interestGroups } },
    partition: 'account',
    hidden: { field: 'IsDeleted', values: [true] },
    codes: { notFound: '436' },
    errorField: 'GroupID',
    search: ['Name'],
    filters: {
      GroupType: { field: 'GroupType', caseInsensitive: true },
      ActiveOnly: { test: (v, r) => !(v === true || String(v).toLowerCase() === 'true') || Boolean(r.IsActive) },
      ...dateAndOriginFilters,
    },
    defaultSort: [{ field: 'Position', desc: false }],
  });
}

export function interestOr404(ws: Workspace, account: string, id: number): InterestRec {
  const i = findInterest(ws, account, id);
  if (!i) throw dolistError('432', `no interest ${id} in account ${account}`, 'InterestID');
  return i;
}

export function groupOr404(ws: Workspace, account: string, id: number, field = 'GroupID'): InterestGroupRec {
  const g = findGroup(ws, account, id);
  if (!g) throw dolistError('436', `no interest group ${id} in account ${account}`, field);
  return g;
}

const norm = (s: string) => s.trim().toLowerCase();
const nowIso = (ws: Workspace) => new Date(ws.now()).toISOString();

function nameOf(v: unknown): string {
  if (typeof v !== 'string' || !v.trim()) throw dolistError('36', 'Name must be a non-empty string', 'Name');
  return v.trim();
}

function checkGroupName(ws: Workspace, account: string, name: string, selfId?: number): void {
  const clash = accountGroups(ws, account).find((g) => g.ID !== selfId && norm(g.Name) === norm(name));
  if (clash) throw dolistError('438', `group ${clash.ID} is already named '${clash.Name}'`, 'Name');
}

function checkInterestName(ws: Workspace, account: string, groupId: number, name: string, selfId?: number): void {
  const clash = accountInterests(ws, account, groupId).find((i) => i.ID !== selfId && norm(i.Name) === norm(name));
  if (clash) throw dolistError('435', `interest ${clash.ID} of group ${groupId} is already named '${clash.Name}'`, 'Name');
}

/** Checkbox / Radio / Select in any case, or 400 [36]. */
export function styleOf(v: unknown): string {
  const s = GROUP_STYLES.find((x) => x.toLowerCase() === String(v).trim().toLowerCase());
  if (!s) throw dolistError('36', `Style must be one of ${GROUP_STYLES.join(', ')}`, 'Style');
  return s;
}

export interface GroupInput {
  Name?: string;
  GroupType?: string;
  Style?: string;
  IsActive?: boolean;
  IsReadOnly?: boolean;
  IsUpdateOnly?: boolean;
}

export function createGroup(ws: Workspace, coll: Collection<InterestGroupRec>, account: string, input: GroupInput): InterestGroupRec {
  const Name = nameOf(input.Name);
  checkGroupName(ws, account, Name);
  return coll.insert(
    ws,
    {
      Name,
      GroupType: input.GroupType?.trim() || 'Standard',
      Style: input.Style === undefined ? 'Checkbox' : styleOf(input.Style),
      IsActive: input.IsActive ?? true,
      IsReadOnly: Boolean(input.IsReadOnly),
      IsUpdateOnly: Boolean(input.IsUpdateOnly),
      Position: accountGroups(ws, account).length + 1,
      IsDeleted: false,
      CreateOrigin: ORIGIN.API,
      UpdateOrigin: ORIGIN.API,
    },
    { partition: account },
  );
}

/** The contacts holding more than one of the interests `ids`. */
function contactsWithSeveral(ws: Workspace, account: string, ids: Set<string>): ContactRec[] {
  return accountContacts(ws, account).filter((c) => Object.keys(c.Interests).filter((k) => ids.has(k)).length > 1);
}

export function updateGroup(ws: Workspace, account: string, id: number, input: GroupInput): InterestGroupRec {
  const view = groupOr404(ws, account, id);
  // A read-only group may only be made writable again.
  const onlyUnlock = Object.keys(input).every((k) => k === 'IsReadOnly') && input.IsReadOnly === false;
  if (view.IsReadOnly && !onlyUnlock) throw dolistError('437', `group ${id} (${view.Name}) is read-only`, 'GroupID');
  const Name = input.Name !== undefined ? nameOf(input.Name) : view.Name;
  if (input.Name !== undefined) checkGroupName(ws, account, Name, id);
  const Style = input.Style !== undefined ? styleOf(input.Style) : view.Style;
  if (isSingleChoice(Style) && !isSingleChoice(view.Style)) {
    const ids = new Set(accountInterests(ws, account, id).map((i) => String(i.ID)));
    const several = contactsWithSeveral(ws, account, ids);
    if (several.length) throw dolistError('446', `${several.length} contact(s) (first: ${several[0].ID}) have several interests of group ${id}: it cannot become ${Style}`, 'Style');
  }
  const g = groupsTable(ws).get(view.id)!;
  Object.assign(g, {
    Name,
    Style,
    GroupType: input.GroupType !== undefined ? input.GroupType.trim() || 'Standard' : g.GroupType,
    IsActive: input.IsActive ?? g.IsActive,
    IsReadOnly: input.IsReadOnly ?? g.IsReadOnly,
    IsUpdateOnly: input.IsUpdateOnly ?? g.IsUpdateOnly,
    UpdateDate: nowIso(ws),
    UpdateOrigin: ORIGIN.API,
  });
  return groupsTable(ws).put(g);
}

function renumberGroups(ws: Workspace, account: string): void {
  accountGroups(ws, account).forEach((v, i) => {
    if (v.Position === i + 1) return;
    const g = groupsTable(ws).get(v.id)!;
    g.Position = i + 1;
    groupsTable(ws).put(g);
  });
}

/** Renumbers a group's live interests 1..N, `moved` placed at `position`. */
function renumberInterests(ws: Workspace, account: string, groupId: number, moved?: { id: number; position: number }): void {
  let order = accountInterests(ws, account, groupId).map((i) => i.ID);
  if (moved) {
    order = order.filter((x) => x !== moved.id);
    order.splice(moved.position - 1, 0, moved.id);
  }
  const now = nowIso(ws);
  order.forEach((iid, idx) => {
    const v = interestsTable(ws).peek(String(iid))!;
    if (v.Position === idx + 1) return;
    const w = interestsTable(ws).get(v.id)!;
    w.Position = idx + 1;
    w.UpdateDate = now;
    interestsTable(ws).put(w);
  });
}

/** Soft-deletes a group and its live interests, or with `undo` brings them back. */
export function deleteGroup(ws: Workspace, account: string, id: number, undo: boolean): void {
  const view = groupsTable(ws).peek(String(id));
  if (!view || view.account !== account) throw dolistError('436', `no interest group ${id} in account ${account}`, 'GroupID');
  const now = nowIso(ws);
  if (undo) {
    if (!view.IsDeleted) return; // nothing to undo
    checkGroupName(ws, account, view.Name, id);
    const g = groupsTable(ws).get(view.id)!;
    const stamp = g.DeletedAt;
    Object.assign(g, { IsDeleted: false, DeletedAt: null, Position: accountGroups(ws, account).length + 1, UpdateDate: now });
    groupsTable(ws).put(g);
    for (const i of interestsTable(ws).lookup('account', account)) {
      if (i.GroupID !== id || !i.IsDeleted || i.DeletedAt !== stamp) continue;
      const w = interestsTable(ws).get(i.id)!;
      Object.assign(w, { IsDeleted: false, DeletedAt: null, UpdateDate: now });
      interestsTable(ws).put(w);
    }
    renumberInterests(ws, account, id);
    return;
  }
  if (view.IsDeleted) throw dolistError('436', `no interest group ${id} in account ${account}`, 'GroupID');
  if (view.IsReadOnly) throw dolistError('437', `group ${id} (${view.Name}) is read-only`, 'GroupID');
  const g = groupsTable(ws).get(view.id)!;
  Object.assign(g, { IsDeleted: true, DeletedAt: now, UpdateDate: now });
  groupsTable(ws).put(g);
  for (const i of accountInterests(ws, account, id)) {
    const w = interestsTable(ws).get(i.id)!;
    Object.assign(w, { IsDeleted: true, DeletedAt: now, UpdateDate: now });
    interestsTable(ws).put(w);
  }
  renumberGroups(ws, account);
}

export interface InterestInput {
  Name?: string;
  IsReadOnly?: boolean;
}

export function createInterest(ws: Workspace, coll: Collection<InterestRec>, account: string, groupId: number, input: InterestInput): InterestRec {
  const g = groupOr404(ws, account, groupId);
  if (g.IsUpdateOnly) throw dolistError('434', `group ${groupId} (${g.Name}) is update-only: no interest can be added`, 'GroupID');
  if (g.IsReadOnly) throw dolistError('437', `group ${groupId} (${g.Name}) is read-only`, 'GroupID');
  const Name = nameOf(input.Name);
  checkInterestName(ws, account, groupId, Name);
  return coll.insert(
    ws,
    {
      GroupID: groupId,
      Name,
      IsReadOnly: Boolean(input.IsReadOnly),
      Position: accountInterests(ws, account, groupId).length + 1,
      IsDeleted: false,
      CreateOrigin: ORIGIN.API,
      UpdateOrigin: ORIGIN.API,
    },
    { partition: account },
  );
}

export function updateInterest(ws: Workspace, account: string, id: number, input: InterestInput): InterestRec {
  const view = interestOr404(ws, account, id);
  const onlyUnlock = Object.keys(input).every((k) => k === 'IsReadOnly') && input.IsReadOnly === false;
  if (view.IsReadOnly && !onlyUnlock) throw dolistError('433', `interest ${id} (${view.Name}) is read-only`, 'InterestID');
  const Name = input.Name !== undefined ? nameOf(input.Name) : view.Name;
  if (input.Name !== undefined) checkInterestName(ws, account, view.GroupID, Name, id);
  const w = interestsTable(ws).get(view.id)!;
  Object.assign(w, { Name, IsReadOnly: input.IsReadOnly ?? w.IsReadOnly, UpdateDate: nowIso(ws), UpdateOrigin: ORIGIN.API });
  return interestsTable(ws).put(w);
}

/** Soft-deletes an interest (contacts' links kept, hidden), or with `undo` brings it back at the end of its group. */
export function deleteInterest(ws: Workspace, account: string, id: number, undo: boolean): void {
  const view = interestsTable(ws).peek(String(id));
  if (!view || view.account !== account) throw dolistError('432', `no interest ${id} in account ${account}`, 'InterestID');
  const now = nowIso(ws);
  if (undo) {
    if (!view.IsDeleted) return;
    // Its group deleted: Undo the group (which brings its interests back).
    groupOr404(ws, account, view.GroupID, 'InterestID');
    checkInterestName(ws, account, view.GroupID, view.Name, id);
    const w = interestsTable(ws).get(view.id)!;
    Object.assign(w, { IsDeleted: false, DeletedAt: null, Position: accountInterests(ws, account, view.GroupID).length + 1, UpdateDate: now });
    interestsTable(ws).put(w);
    return;
  }
  if (view.IsDeleted) throw dolistError('432', `no interest ${id} in account ${account}`, 'InterestID');
  if (view.IsReadOnly) throw dolistError('433', `interest ${id} (${view.Name}) is read-only`, 'InterestID');
  const w = interestsTable(ws).get(view.id)!;
  Object.assign(w, { IsDeleted: true, DeletedAt: now, UpdateDate: now });
  interestsTable(ws).put(w);
  renumberInterests(ws, account, view.GroupID);
}

/** Moves an interest within its group (1-based, 400 [36] out of range). */
export function moveInterest(ws: Workspace, account: string, id: number, position: unknown): void {
  const i = interestOr404(ws, account, id);
  const n = accountInterests(ws, account, i.GroupID).length;
  const p = Number(position);
  if (!Number.isInteger(p) || p < 1 || p > n) throw dolistError('36', `Position must be an integer from 1 to ${n} (the interests of group ${i.GroupID})`, 'Position');
  renumberInterests(ws, account, i.GroupID, { id, position: p });
}

/** Copies a group and its live interests (new ids, origin API, no contact links). */
export function duplicateGroup(ws: Workspace, groups: Collection<InterestGroupRec>, interests: Collection<InterestRec>, account: string, id: number, name?: string): InterestGroupRec {
  const src = groupOr404(ws, account, id);
  const Name = name !== undefined ? nameOf(name) : `${src.Name} (copy)`;
  checkGroupName(ws, account, Name);
  const copy = groups.insert(
    ws,
    {
      Name,
      GroupType: src.GroupType,
      Style: src.Style,
      IsActive: src.IsActive,
      IsReadOnly: false,
      IsUpdateOnly: src.IsUpdateOnly,
      Position: accountGroups(ws, account).length + 1,
      IsDeleted: false,
      CreateOrigin: ORIGIN.API,
      UpdateOrigin: ORIGIN.API,
    },
    { partition: account },
  );
  for (const i of accountInterests(ws, account, id)) {
    interests.insert(ws, { GroupID: copy.ID, Name: i.Name, IsReadOnly: false, Position: i.Position, IsDeleted: false, CreateOrigin: ORIGIN.API, UpdateOrigin: ORIGIN.API }, { partition: account });
  }
  return copy;
}

/** Per live interest and per group of the account: how many of `contacts` have it (one pass). */
export function interestCounts(ws: Workspace, account: string, contacts: readonly ContactRec[] = accountContacts(ws, account)): { byInterest: Map<number, number>; byGroup: Map<number, number> } {
  const groupOf = new Map(accountInterests(ws, account).map((i) => [String(i.ID), i.GroupID]));
  const byInterest = new Map<number, number>();
  const byGroup = new Map<number, number>();
  for (const c of contacts) {
    const groups = new Set<number>();
    for (const k of Object.keys(c.Interests)) {
      const g = groupOf.get(k);
      if (g === undefined) continue;
      byInterest.set(Number(k), (byInterest.get(Number(k)) ?? 0) + 1);
      groups.add(g);
    }
    for (const g of groups) byGroup.set(g, (byGroup.get(g) ?? 0) + 1);
  }
  return { byInterest, byGroup };
}

/** The variable of a group (`[[Groupe_501]]`) or of one of its interests (`[[Groupe_501_5001]]`): derived from the ids. */
export function groupVariable(g: InterestGroupRec, i?: InterestRec) {
  const VariableName = i ? `Groupe_${g.ID}_${i.ID}` : `Groupe_${g.ID}`;
  return { GroupID: g.ID, GroupName: g.Name, InterestID: i ? i.ID : null, InterestName: i ? i.Name : null, VariableName, Tag: `[[${VariableName}]]` };
}

/** The group's variable, then its interests' (by Position). */
export function groupVariables(ws: Workspace, account: string, g: InterestGroupRec) {
  return [groupVariable(g), ...accountInterests(ws, account, g.ID).map((i) => groupVariable(g, i))];
}

/** The CSV of the account's groups and interests with their variables (a line per group, then per interest). */
export function interestsCsv(ws: Workspace, account: string): string {
  const rows: Array<Array<string | number | null>> = [];
  for (const g of accountGroups(ws, account)) {
    for (const v of groupVariables(ws, account, g)) rows.push([g.ID, g.Name, g.GroupType, g.Style, v.InterestID, v.InterestName, v.VariableName, v.Tag]);
  }
  return csvText(['GroupID', 'GroupName', 'GroupType', 'Style', 'InterestID', 'InterestName', 'VariableName', 'Tag'], rows);
}
