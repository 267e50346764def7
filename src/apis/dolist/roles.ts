// Roles: per account and application, a name, right levels (one level per right, rights.ts) and
// the users given the role (members of the account). Table `roles` keyed by ID (one counter
// across accounts), partitioned by `account`. The roles of the fixtures are the account's system
// roles: read-only (PUT, DELETE and right-level changes 403 [105]); users can still be given
// them. A user's roles (`GET /users/{UserID}/roles`) are read from the roles' UserIDList, so
// both sides always agree; removing a user from the account takes it out of the account's roles.
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { Rec } from '../../core/record.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { checkRightLevels, describeRightLevels, mergeRightLevels, requireTemplate, type RightLevelRef } from './rights.js';
import { API_ID, accountKey, dolistFixtures, style } from './style.js';
import { findAccountUser } from './users.js';

export interface RoleRec extends Rec {
  id: string;
  ID: number;
  account: string;
  ApplicationID: number;
  Name: string;
  Description: string | null;
  IsReadOnly: boolean;
  /** Users given the role (members of the account), ascending. */
  UserIDList: number[];
  RightLevels: RightLevelRef[];
  CreateDate: string;
  UpdateDate: string;
}

interface RoleFixture {
  ID: number;
  ApplicationID: number;
  Name: string;
  Description?: string;
  TemplateID?: number;
  RightLevels?: RightLevelRef[];
  UserIDList?: number[];
}

export const rolesTable = (ws: Workspace) => ws.table<RoleRec>(API_ID, 'roles');

const normName = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

export function rolesCollection(spec: LoadedSpec): Collection<RoleRec> {
  return new Collection<RoleRec>({
    api: style,
    name: 'roles',
    label: 'role',
    shape: shapeOf(spec.schemas.Role),
    partition: 'account',
    uniqueKeys: [{ fields: ['ApplicationID', 'Name'], normalize: normName, code: '106', field: 'Name', message: (v, clash) => `the role name ${JSON.stringify(v[1])} is used by role ${clash.ID} in application ${v[0]}` }],
    codes: { notFound: '101' },
    errorField: 'RoleID',
    search: ['Name'],
    filters: { ApplicationID: { field: 'ApplicationID' } },
    indexes: ['ApplicationID'],
    readOnly: ['ApplicationID', 'IsReadOnly', 'UserCount', 'RightLevelList'],
    defaultSort: [{ field: 'ID', desc: false }],
  });
}

export function loadRoles(ws: Workspace, coll: Collection<RoleRec>): void {
  const byAccount = (dolistFixtures(ws).roles ?? {}) as Record<string, RoleFixture[]>;
  for (const [acc, roles] of Object.entries(byAccount)) {
    for (const r of roles) {
      const levels = r.RightLevels ?? (r.TemplateID ? requireTemplate(ws, r.ApplicationID, r.TemplateID).RightLevels : []);
      coll.insert(
        ws,
        { ApplicationID: r.ApplicationID, Name: r.Name, Description: r.Description ?? null, IsReadOnly: true, UserIDList: [...(r.UserIDList ?? [])].sort((a, b) => a - b), RightLevels: levels.map((l) => ({ ...l })) },
        { id: r.ID, partition: accountKey(acc) },
      );
    }
  }
}

/** A role of the account and application (read-only view), or undefined. */
export function findRole(ws: Workspace, account: string, applicationId: number, id: number): RoleRec | undefined {
  const r = rolesTable(ws).peek(String(id));
  return r && r.account === account && r.ApplicationID === applicationId ? r : undefined;
}

/** The role for writing, or 404 [101]. */
export function roleForWrite(ws: Workspace, account: string, applicationId: number, id: number, field = 'RoleID'): RoleRec {
  if (!findRole(ws, account, applicationId, id)) throw dolistError('101', `no role ${id} in account ${account}, application ${applicationId}`, field);
  return rolesTable(ws).get(String(id))!;
}

export function requireRole(ws: Workspace, account: string, applicationId: number, id: number, field = 'RoleID'): RoleRec {
  const r = findRole(ws, account, applicationId, id);
  if (!r) throw dolistError('101', `no role ${id} in account ${account}, application ${applicationId}`, field);
  return r;
}

export function assertWritable(role: RoleRec): void {
  if (role.IsReadOnly) throw dolistError('105', `role ${role.ID} (${role.Name}) is a system role`, 'RoleID');
}

export function renderRole(ws: Workspace, r: RoleRec) {
  return {
    ID: r.ID,
    Name: r.Name,
    ...(r.Description !== null && r.Description !== undefined ? { Description: r.Description } : {}),
    ApplicationID: r.ApplicationID,
    IsReadOnly: r.IsReadOnly,
    UserCount: r.UserIDList.length,
    RightLevelList: describeRightLevels(ws, r.RightLevels),
    CreateDate: r.CreateDate,
    UpdateDate: r.UpdateDate,
  };
}

/** Add, Remove or Replace (any case), else 400 [36]. */
export type OperationMode = 'Add' | 'Remove' | 'Replace';
export function operationMode(v: unknown, field = 'OperationMode'): OperationMode {
  const s = String(v ?? '').trim().toLowerCase();
  const mode = (['Add', 'Remove', 'Replace'] as const).find((m) => m.toLowerCase() === s);
  if (!mode) throw dolistError('36', `OperationMode must be Add, Remove or Replace (got ${JSON.stringify(v)})`, field);
  return mode;
}

/** The right levels of a new role: a template's (if any), then the listed ones over them. */
export function initialRightLevels(ws: Workspace, account: string, applicationId: number, input: { TemplateID?: number; RightLevelList?: RightLevelRef[] }): RightLevelRef[] {
  const base = input.TemplateID !== undefined ? requireTemplate(ws, applicationId, input.TemplateID).RightLevels : [];
  const merged = new Map(base.map((l) => [l.RightID, l.LevelID]));
  const listed = input.RightLevelList ?? [];
  // The listed levels are checked as listed (duplicates, unknown rights), then the whole set for locks.
  checkRightLevels(ws, account, applicationId, listed, '102');
  for (const l of listed) merged.set(l.RightID, l.LevelID);
  return checkRightLevels(ws, account, applicationId, [...merged].map(([RightID, LevelID]) => ({ RightID, LevelID })), '102');
}

/** Changes the role's users; each must be a member of the account (404 [901]), checked first. */
export function changeRoleUsers(ws: Workspace, role: RoleRec, mode: OperationMode, userIds: number[]): void {
  const acc = Number(role.account);
  userIds.forEach((u, i) => {
    if (!findAccountUser(ws, acc, u)) throw dolistError('901', `user ${u} is not a user of account ${acc}`, `UserIDList[${i}]`);
  });
  const now = new Set(mode === 'Replace' ? [] : role.UserIDList);
  for (const u of userIds) mode === 'Remove' ? now.delete(u) : now.add(u);
  role.UserIDList = [...now].sort((a, b) => a - b);
  role.UpdateDate = new Date(ws.now()).toISOString();
  rolesTable(ws).touch(role);
}

/** Changes the role's right levels (403 [105] on a system role; locks: 500 [114]). */
export function changeRoleRightLevels(ws: Workspace, role: RoleRec, mode: OperationMode, list: RightLevelRef[]): void {
  assertWritable(role);
  let next: RightLevelRef[];
  if (mode === 'Remove') {
    // Removal names rights (and levels, which must be the right's): nothing to lock-check.
    checkRightLevels(ws, null, role.ApplicationID, list, '114');
    const gone = new Set(list.map((l) => l.RightID));
    next = role.RightLevels.filter((l) => !gone.has(l.RightID));
  } else {
    const listed = checkRightLevels(ws, role.account, role.ApplicationID, list, '114');
    const merged = new Map(mode === 'Replace' ? [] : role.RightLevels.map((l) => [l.RightID, l.LevelID]));
    for (const l of listed) merged.set(l.RightID, l.LevelID);
    next = [...merged].map(([RightID, LevelID]) => ({ RightID, LevelID })).sort((a, b) => a.RightID - b.RightID);
  }
  role.RightLevels = next;
  role.UpdateDate = new Date(ws.now()).toISOString();
  rolesTable(ws).touch(role);
}

/** Replaces the role's levels by another role's or a template's (exactly one source). */
export function cloneRightLevels(ws: Workspace, role: RoleRec, source: { SourceRoleID?: number; TemplateID?: number }): void {
  assertWritable(role);
  const given = [source.SourceRoleID, source.TemplateID].filter((v) => v !== undefined && v !== null).length;
  if (given !== 1) throw dolistError('36', 'give exactly one of SourceRoleID and TemplateID', 'SourceRoleID');
  const levels =
    source.SourceRoleID !== undefined && source.SourceRoleID !== null
      ? requireRole(ws, role.account, role.ApplicationID, source.SourceRoleID, 'SourceRoleID').RightLevels
      : requireTemplate(ws, role.ApplicationID, source.TemplateID!).RightLevels;
  role.RightLevels = checkRightLevels(ws, role.account, role.ApplicationID, levels, '114');
  role.UpdateDate = new Date(ws.now()).toISOString();
  rolesTable(ws).touch(role);
}

/** The roles of the account and application given to the user, by ID. */
export function rolesOfUser(ws: Workspace, account: string, applicationId: number, userId: number): RoleRec[] {
  return rolesTable(ws)
    .lookup('account', account)
    .filter((r) => r.ApplicationID === applicationId && r.UserIDList.includes(userId))
    .sort((a, b) => a.ID - b.ID);
}

/** What the user may do in the account and application: the highest level of each right over its roles. */
export function userRightLevels(ws: Workspace, account: string, applicationId: number, userId: number): RightLevelRef[] {
  return mergeRightLevels(rolesOfUser(ws, account, applicationId, userId).map((r) => r.RightLevels));
}

/** Takes the user out of the roles of one account (or of every account). */
export function dropUserFromRoles(ws: Workspace, userId: number, account?: string): void {
  const t = rolesTable(ws);
  for (const r of account === undefined ? t.all() : t.lookup('account', account)) {
    if (!r.UserIDList.includes(userId)) continue;
    const w = t.get(r.id)!;
    w.UserIDList = w.UserIDList.filter((u) => u !== userId);
    t.touch(w);
  }
}

/** A role name is unique (trimmed, any case) in the account and application: else 403 [106]. */
export function checkRoleName(ws: Workspace, account: string, applicationId: number, name: unknown, exceptId?: number): void {
  if (name === undefined || name === null) return;
  const n = String(name).trim();
  if (!n) throw dolistError('36', 'Name must not be blank', 'Name');
  const clash = rolesTable(ws)
    .lookup('account', account)
    .find((r) => r.ApplicationID === applicationId && r.ID !== exceptId && r.Name.trim().toLowerCase() === n.toLowerCase());
  if (clash) throw dolistError('106', `the role name ${n} is used by role ${clash.ID} in application ${applicationId}`, 'Name');
}
