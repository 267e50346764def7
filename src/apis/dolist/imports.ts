// Imports: named definitions reading files with one mapping. An import's `Pattern` is the
// file-name pattern of an automated pickup (unique [330]; the import is then Automatic, else
// Manual); its interests (`PUT /imports/{ImportID}/interests`) are applied by its jobs to each
// imported contact with its OperationMode: Add them, Remove them, or Replace the contact's
// interests by them. Recipients (a user of the account, or an address; unique [327]) are told
// when a job ends. While a job of the import is Pending or Running the import cannot be updated
// [320] or deleted [321], nor a recipient removed [329]. Domain only: no HTTP.
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { findGroup, findInterest, groupsTable } from './interests.js';
import { prop } from './import-mappings.js';
import type { ImportRec, ImportsDb, JobRec, OperationMode, RecipientRec } from './imports-db.js';
import { findAccountUser } from './users.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const OPERATION_MODES: OperationMode[] = ['Add', 'Remove', 'Replace'];

/** An import of the account (read-only), or 404 [318]. */
export function importOf(ws: Workspace, db: ImportsDb, account: string, id: number | string): ImportRec {
  return db.imports.view(ws, id, account);
}

/** The job of the import that is Pending or Running, if any. */
export function activeJob(ws: Workspace, db: ImportsDb, importId: number): JobRec | undefined {
  return db.jobs
    .table(ws)
    .lookup('ImportID', importId)
    .find((j) => j.Status === 'Pending' || j.Status === 'Running');
}

export function assertImportIdle(ws: Workspace, db: ImportsDb, importId: number, code: '320' | '321' | '329'): void {
  const job = activeJob(ws, db, importId);
  if (job) throw dolistError(code, `import job ${job.ID} of import ${importId} is ${job.Status}`, 'ImportID');
}

/** The import's Type follows its Pattern. */
export const typeOf = (pattern: unknown): ImportRec['Type'] => (typeof pattern === 'string' && pattern.trim() ? 'Automatic' : 'Manual');

/** Checks the mapping an import body names: required on create, of the account [304]. */
export function checkImportMapping(ws: Workspace, db: ImportsDb, account: string, body: Record<string, unknown> | undefined, creating: boolean): void {
  const id = body ? prop(body, 'MappingID') : undefined;
  if (id === undefined || id === null) {
    if (creating) throw dolistError('36', 'MappingID is required', 'MappingID');
    return;
  }
  if (!db.mappings.lookup(ws, Number(id), account)) throw dolistError('304', `no mapping ${String(id)} in account ${account}`, 'MappingID');
}

export function operationModeOf(v: unknown): OperationMode {
  const m = OPERATION_MODES.find((x) => x.toLowerCase() === String(v ?? '').trim().toLowerCase());
  if (!m) throw dolistError('36', `OperationMode must be one of ${OPERATION_MODES.join(', ')}, not '${String(v ?? '')}'`, 'OperationMode');
  return m;
}

/** Sets the interests the import's jobs apply and how: every interest of the account [432]. */
export function setImportInterests(ws: Workspace, db: ImportsDb, account: string, importId: number, mode: OperationMode, ids: unknown): ImportRec {
  if (!Array.isArray(ids)) throw dolistError('36', 'InterestIDList must be a list of interest ids', 'InterestIDList');
  const list: number[] = [];
  for (const raw of ids) {
    const id = Number(raw);
    if (!Number.isInteger(id) || !findInterest(ws, account, id)) throw dolistError('432', `no interest ${String(raw)} in account ${account}`, 'InterestIDList');
    if (!list.includes(id)) list.push(id);
  }
  const imp = db.imports.get(ws, importId, account);
  imp.InterestIDList = list;
  imp.OperationMode = mode;
  return db.imports.bump(ws, imp);
}

export interface GroupInterests {
  ID: number;
  Name: string;
  InterestList: Array<{ ID: number; Name: string }>;
}

/** The import's live interests grouped by their group, groups in the account's order. */
export function importGroupInterests(ws: Workspace, account: string, imp: ImportRec): GroupInterests[] {
  const byGroup = new Map<number, Array<{ ID: number; Name: string; Position: number }>>();
  for (const id of imp.InterestIDList) {
    const i = findInterest(ws, account, id);
    if (!i) continue;
    const list = byGroup.get(i.GroupID) ?? [];
    list.push({ ID: i.ID, Name: i.Name, Position: i.Position });
    byGroup.set(i.GroupID, list);
  }
  const out: Array<GroupInterests & { position: number }> = [];
  for (const [gid, list] of byGroup) {
    const g = findGroup(ws, account, gid) ?? groupsTable(ws).peek(String(gid));
    if (!g) continue;
    list.sort((a, b) => a.Position - b.Position || a.ID - b.ID);
    out.push({ ID: g.ID, Name: g.Name, position: g.Position, InterestList: list.map(({ ID, Name }) => ({ ID, Name })) });
  }
  return out.sort((a, b) => a.position - b.position || a.ID - b.ID).map(({ position: _p, ...g }) => g);
}

/** A recipient body checked and completed: Type User (a user of the account [901]) or Email. */
export function recipientValues(ws: Workspace, accountId: number, body: Record<string, unknown> | undefined): Pick<RecipientRec, 'Type' | 'Value' | 'Email'> {
  const b = body ?? {};
  const type = String(prop(b, 'Type') ?? '').trim().toLowerCase();
  const value = String(prop(b, 'Value') ?? '').trim();
  if (!value) throw dolistError('36', 'Value is required', 'Value');
  if (type === 'user') {
    const id = Number(value);
    const user = Number.isInteger(id) ? findAccountUser(ws, accountId, id) : undefined;
    if (!user) throw dolistError('901', `no user ${value} in account ${accountId}`, 'Value');
    return { Type: 'User', Value: String(id), Email: user.Email };
  }
  if (type === 'email') {
    if (!EMAIL.test(value)) throw dolistError('36', `'${value}' is not an email address`, 'Value');
    return { Type: 'Email', Value: value.toLowerCase(), Email: value.toLowerCase() };
  }
  throw dolistError('36', `Type must be User or Email, not '${String(prop(b, 'Type') ?? '')}'`, 'Type');
}

/** The addresses told when a job of the import ends. */
export function recipientAddresses(ws: Workspace, db: ImportsDb, importId: number): string[] {
  return db.recipients
    .table(ws)
    .lookup('import', String(importId))
    .map((r) => r.Email);
}

/** Removes an import's recipients with it. */
export function deleteImportRecipients(ws: Workspace, db: ImportsDb, importId: number): void {
  for (const r of db.recipients.table(ws).lookup('import', String(importId)).slice()) db.recipients.table(ws).remove(r.id);
}
