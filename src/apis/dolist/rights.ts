// The rights catalogue of each application (read-only reference data from the fixtures): rights
// with ordered levels (a higher LevelID grants more), their categories, ready-made templates of
// right levels, and the levels an account may not give (`rightLocks`: the "right lock reasons"
// of `/accounts/{AccountID}/reasons`). Roles (roles.ts) hold right levels checked here.
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { Rec } from '../../core/record.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { API_ID, dolistFixtures, style } from './style.js';

export interface LevelDef {
  ID: number;
  Name: string;
}

export interface RightRec extends Rec {
  ID: number;
  ApplicationID: number;
  CategoryID: number;
  Name: string;
  Levels: LevelDef[];
}

export interface RightCategoryRec extends Rec {
  ID: number;
  ApplicationID: number;
  Name: string;
}

export interface RightLevelRef {
  RightID: number;
  LevelID: number;
}

export interface RightTemplateRec extends Rec {
  ID: number;
  ApplicationID: number;
  Name: string;
  Description: string | null;
  RightLevels: RightLevelRef[];
}

export interface RightLock extends RightLevelRef {
  Reason: string;
}

interface RightsFixtures {
  rights?: Array<Omit<RightRec, 'id'>>;
  rightCategories?: Array<Omit<RightCategoryRec, 'id'>>;
  rightTemplates?: Array<Omit<RightTemplateRec, 'id'>>;
  rightLocks?: Record<string, RightLock[]>;
}

const fx = (ws: Workspace) => dolistFixtures(ws) as unknown as RightsFixtures;

export const rightsTable = (ws: Workspace) => ws.table<RightRec>(API_ID, 'rights');
export const rightTemplatesTable = (ws: Workspace) => ws.table<RightTemplateRec>(API_ID, 'right_templates');

/** Reference collections: global, filtered by the request's ApplicationID, no timestamps. */
function catalogue<T extends Rec>(spec: LoadedSpec, name: string, schema: string, notFound: string, errorField: string): Collection<T> {
  return new Collection<T>({
    api: style,
    name,
    shape: shapeOf(spec.schemas[schema]),
    resource: { created: null, updated: null },
    codes: { notFound },
    errorField,
    search: ['Name'],
    filters: { ApplicationID: { field: 'ApplicationID' } },
    indexes: ['ApplicationID'],
    defaultSort: [{ field: 'ID', desc: false }],
  });
}

export function rightCollections(spec: LoadedSpec) {
  return {
    rights: catalogue<RightRec>(spec, 'rights', 'Right', '126', 'RightID'),
    categories: catalogue<RightCategoryRec>(spec, 'right_categories', 'RightCategory', '123', 'CategoryID'),
    templates: catalogue<RightTemplateRec>(spec, 'right_templates', 'RightTemplate', '113', 'TemplateID'),
  };
}
export type RightCollections = ReturnType<typeof rightCollections>;

export function loadRights(ws: Workspace, c: RightCollections): void {
  const f = fx(ws);
  for (const r of f.rights ?? []) c.rights.insert(ws, { ...r }, { id: r.ID as number });
  for (const r of f.rightCategories ?? []) c.categories.insert(ws, { ...r }, { id: r.ID as number });
  for (const r of f.rightTemplates ?? []) c.templates.insert(ws, { ...r, Description: (r.Description as string | undefined) ?? null }, { id: r.ID as number });
}

/** The levels the account may not give, with why. */
export function accountLocks(ws: Workspace, account: string): RightLock[] {
  return fx(ws).rightLocks?.[account] ?? [];
}

export function isLocked(ws: Workspace, account: string, rightId: number, levelId: number): boolean {
  return accountLocks(ws, account).some((l) => l.RightID === rightId && l.LevelID === levelId);
}

/** A right of the application, or 404 [126]. */
export function requireRight(ws: Workspace, applicationId: number, rightId: number, field = 'RightID'): RightRec {
  const r = rightsTable(ws).peek(String(rightId));
  if (!r || r.ApplicationID !== applicationId) throw dolistError('126', `no right ${rightId} in application ${applicationId}`, field);
  return r;
}

/** A template of the application, or 404 [113]. */
export function requireTemplate(ws: Workspace, applicationId: number, templateId: number): RightTemplateRec {
  const t = rightTemplatesTable(ws).peek(String(templateId));
  if (!t || t.ApplicationID !== applicationId) throw dolistError('113', `no right template ${templateId} in application ${applicationId}`, 'TemplateID');
  return t;
}

/**
 * Checks right levels to give in the account: each right of the application (404 [126]), each
 * level one of its levels (400 [36]), one level per right (400 [36]), none locked for the
 * account (`lockCode`, the operation's failure code; `account` null: no lock check, for
 * removals). Returns them sorted by RightID.
 */
export function checkRightLevels(ws: Workspace, account: string | null, applicationId: number, list: RightLevelRef[], lockCode: string): RightLevelRef[] {
  const seen = new Set<number>();
  for (const [i, rl] of list.entries()) {
    const right = requireRight(ws, applicationId, rl.RightID, `RightLevelList[${i}].RightID`);
    if (!right.Levels.some((l) => l.ID === rl.LevelID)) {
      throw dolistError('36', `right ${rl.RightID} has no level ${rl.LevelID} (levels: ${right.Levels.map((l) => l.ID).join(', ')})`, `RightLevelList[${i}].LevelID`);
    }
    if (seen.has(rl.RightID)) throw dolistError('36', `right ${rl.RightID} is listed twice: a role holds one level per right`, `RightLevelList[${i}].RightID`);
    seen.add(rl.RightID);
  }
  for (const rl of account === null ? [] : list) {
    const lock = accountLocks(ws, account!).find((l) => l.RightID === rl.RightID && l.LevelID === rl.LevelID);
    if (lock) throw dolistError(lockCode, `level ${rl.LevelID} of right ${rl.RightID} is locked in account ${account}: ${lock.Reason}`, 'RightLevelList');
  }
  return list.map((rl) => ({ RightID: rl.RightID, LevelID: rl.LevelID })).sort((a, b) => a.RightID - b.RightID);
}

/** Right levels as answered: with the right's and the level's names. */
export function describeRightLevels(ws: Workspace, list: RightLevelRef[]) {
  return list.map((rl) => {
    const right = rightsTable(ws).peek(String(rl.RightID));
    return { RightID: rl.RightID, LevelID: rl.LevelID, RightName: right?.Name ?? '', LevelName: right?.Levels.find((l) => l.ID === rl.LevelID)?.Name ?? '' };
  });
}

/** A right as answered in an account: its levels say which are locked there. */
export function renderRight(ws: Workspace, account: string, r: RightRec) {
  return {
    ID: r.ID,
    Name: r.Name,
    ApplicationID: r.ApplicationID,
    CategoryID: r.CategoryID,
    LevelList: r.Levels.map((l) => ({ ID: l.ID, Name: l.Name, IsLocked: isLocked(ws, account, r.ID, l.ID) })),
  };
}

/** The account's lock reasons in the application, optionally for one right and/or level. */
export function lockReasons(ws: Workspace, account: string, applicationId: number, rightId?: number, levelId?: number) {
  if (rightId !== undefined) requireRight(ws, applicationId, rightId);
  return accountLocks(ws, account)
    .filter((l) => rightsTable(ws).peek(String(l.RightID))?.ApplicationID === applicationId)
    .filter((l) => (rightId === undefined || l.RightID === rightId) && (levelId === undefined || l.LevelID === levelId))
    .sort((a, b) => a.RightID - b.RightID || a.LevelID - b.LevelID)
    .map((l) => ({ ...describeRightLevels(ws, [l])[0], Reason: l.Reason }));
}

/** The merge of several sets of right levels: the highest level of each right. */
export function mergeRightLevels(sets: RightLevelRef[][]): RightLevelRef[] {
  const best = new Map<number, number>();
  for (const set of sets) for (const rl of set) best.set(rl.RightID, Math.max(best.get(rl.RightID) ?? 0, rl.LevelID));
  return [...best.entries()].sort((a, b) => a[0] - b[0]).map(([RightID, LevelID]) => ({ RightID, LevelID }));
}
