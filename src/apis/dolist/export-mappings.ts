// Export mappings: what an export writes, as ordered columns (a column reference, a name in the
// file, a format). Table `export_mappings` keyed by ID (one counter for every account),
// partitioned by `account`; the columns live in the mapping (`ColumnList`, Position 1-based and
// dense) with ids from their own counter. Each account starts with read-only system mappings
// ([1306] on any write; duplicate one to change it). Domain only: no HTTP.
import { nextInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { findColumnReference, formatFits, requireExportType, SYSTEM_MAPPINGS, type DataType } from './export-catalogue.js';
import { API_ID, accountKey, dolistFixtures } from './style.js';
import { registerUsage } from './usage.js';

export interface MappingColumn {
  ID: number;
  MappingID: number;
  ColumnReferenceID: number;
  Name: string;
  Format: string | null;
  Position: number;
  DataType: DataType;
}

export interface ExportMappingRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Name: string;
  TypeID: number;
  IsReadOnly: boolean;
  ColumnList: MappingColumn[];
  CreateDate: string;
  UpdateDate: string;
}

export const MAPPINGS_TABLE = 'export_mappings';
export const ID_START_MAPPINGS = 2001;
export const mappingsTable = (ws: Workspace) => ws.table<ExportMappingRec>(API_ID, MAPPINGS_TABLE);
const now = (ws: Workspace) => new Date(ws.now()).toISOString();
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A mapping of the account (read-only view), or undefined. */
export function findMapping(ws: Workspace, account: string, id: number): ExportMappingRec | undefined {
  const m = mappingsTable(ws).peek(String(id));
  return m && m.account === account ? m : undefined;
}

/** The mapping (read-only view), or 404 [1302]. */
export function viewMapping(ws: Workspace, account: string, id: number): ExportMappingRec {
  const m = findMapping(ws, account, id);
  if (!m) throw dolistError('1302', `no export mapping ${id} in account ${account}`, 'MappingID');
  return m;
}

/** The mapping for writing: 404 [1302], read only 409 [1306]. */
function writableMapping(ws: Workspace, account: string, id: number): ExportMappingRec {
  const m = viewMapping(ws, account, id);
  if (m.IsReadOnly) throw dolistError('1306', `export mapping ${id} (${m.Name}) is a system mapping; duplicate it to change it`, 'MappingID');
  return mappingsTable(ws).get(String(id))!;
}

export function accountMappings(ws: Workspace, account: string): ExportMappingRec[] {
  return mappingsTable(ws).lookup('account', account);
}

function checkName(ws: Workspace, account: string, name: string, self?: number): string {
  const n = name.trim();
  if (!n) throw dolistError('36', 'Name must not be empty', 'Name');
  const clash = accountMappings(ws, account).find((m) => m.ID !== self && sameName(m.Name, n));
  if (clash) throw dolistError('1304', `export mapping ${clash.ID} is already named '${clash.Name}'`, 'Name');
  return n;
}

function insertMapping(ws: Workspace, account: string, v: { Name: string; TypeID: number; IsReadOnly: boolean; ColumnList?: Array<Omit<MappingColumn, 'ID' | 'MappingID'>> }): ExportMappingRec {
  const id = nextInSequence(ws, sequenceKey(API_ID, MAPPINGS_TABLE), ID_START_MAPPINGS);
  const t = now(ws);
  const cols = (v.ColumnList ?? []).map((c) => ({ ...c, ID: nextColumnId(ws), MappingID: id }));
  return mappingsTable(ws).put({ id: String(id), ID: id, account, Name: v.Name, TypeID: v.TypeID, IsReadOnly: v.IsReadOnly, ColumnList: cols, CreateDate: t, UpdateDate: t });
}

const nextColumnId = (ws: Workspace) => nextInSequence(ws, sequenceKey(API_ID, 'export_mapping_columns'), 1);

export function createMapping(ws: Workspace, account: string, body: { Name: string; TypeID: number }): ExportMappingRec {
  const type = requireExportType(body.TypeID);
  const name = checkName(ws, account, body.Name);
  return insertMapping(ws, account, { Name: name, TypeID: type.ID, IsReadOnly: false });
}

export function updateMapping(ws: Workspace, account: string, id: number, body: { Name?: string; TypeID?: number }): void {
  const m = writableMapping(ws, account, id);
  if (body.TypeID !== undefined && body.TypeID !== m.TypeID) throw dolistError('36', `the type of export mapping ${id} cannot change (it is ${m.TypeID})`, 'TypeID');
  if (body.Name !== undefined) m.Name = checkName(ws, account, body.Name, id);
  m.UpdateDate = now(ws);
}

/** Deletes a custom mapping. Exports using it stay, and answer 404 [1302] (research E5). */
export function deleteMapping(ws: Workspace, account: string, id: number): void {
  writableMapping(ws, account, id);
  mappingsTable(ws).remove(String(id));
}

/** A custom copy with the same columns; the name defaults to "<Name> (copy)" ([1304] when taken). */
export function duplicateMapping(ws: Workspace, account: string, id: number, name?: string): ExportMappingRec {
  const src = viewMapping(ws, account, id);
  const n = checkName(ws, account, name ?? `${src.Name} (copy)`);
  const cols = src.ColumnList.map(({ ColumnReferenceID, Name, Format, Position, DataType }) => ({ ColumnReferenceID, Name, Format, Position, DataType }));
  return insertMapping(ws, account, { Name: n, TypeID: src.TypeID, IsReadOnly: false, ColumnList: cols });
}

function checkFormat(format: string | null | undefined, dataType: DataType): string | null {
  if (format === undefined || format === null || format.trim() === '') return null;
  if (!formatFits(format.trim(), dataType)) throw dolistError('1329', `format '${format}' does not apply to a ${dataType} column (dates: dd/MM/yyyy-style; numbers: C, E, Dx, Nx, Fx)`, 'Format');
  return format.trim();
}

function checkColumnName(m: ExportMappingRec, name: string, self?: number): string {
  const n = name.trim();
  if (!n) throw dolistError('36', 'Name must not be empty', 'Name');
  const clash = m.ColumnList.find((c) => c.ID !== self && sameName(c.Name, n));
  if (clash) throw dolistError('1315', `column ${clash.ID} of export mapping ${m.ID} is already named '${clash.Name}'`, 'Name');
  return n;
}

/** Appends a column (Position = last). */
export function addColumn(ws: Workspace, account: string, mappingId: number, body: { ColumnReferenceID: number; Name?: string; Format?: string | null }): MappingColumn {
  const m = writableMapping(ws, account, mappingId);
  const ref = findColumnReference(ws, account, body.ColumnReferenceID);
  if (!ref) throw dolistError('1318', `no column reference ${body.ColumnReferenceID} (see GET /exports/mappings/columnreferences)`, 'ColumnReferenceID');
  if (!ref.TypeIDList.includes(m.TypeID)) throw dolistError('1316', `column reference ${ref.ID} (${ref.Name}) is not available for export type ${m.TypeID}`, 'ColumnReferenceID');
  const used = m.ColumnList.find((c) => c.ColumnReferenceID === ref.ID);
  if (used) throw dolistError('1336', `column ${used.ID} of export mapping ${m.ID} already holds column reference ${ref.ID}`, 'ColumnReferenceID');
  const name = checkColumnName(m, body.Name ?? ref.Name);
  const format = checkFormat(body.Format, ref.DataType);
  const col: MappingColumn = { ID: nextColumnId(ws), MappingID: m.ID, ColumnReferenceID: ref.ID, Name: name, Format: format, Position: m.ColumnList.length + 1, DataType: ref.DataType };
  m.ColumnList = [...m.ColumnList, col];
  m.UpdateDate = now(ws);
  return col;
}

/** The column (read-only view): 404 [1303] when the account has no such column in this mapping. */
export function viewColumn(ws: Workspace, account: string, mappingId: number, columnId: number): MappingColumn {
  const m = viewMapping(ws, account, mappingId);
  const c = m.ColumnList.find((x) => x.ID === columnId);
  if (!c) throw dolistError('1303', `no column ${columnId} in export mapping ${mappingId}`, 'ColumnID');
  return c;
}

/** The mapping holding column `columnId` in the account, if any. */
function mappingOfColumn(ws: Workspace, account: string, columnId: number): ExportMappingRec | undefined {
  return accountMappings(ws, account).find((m) => m.ColumnList.some((c) => c.ID === columnId));
}

/** Column of the mapping for writing: 404 [1317] when it is a column of another mapping, [1303] when of none. */
function columnForWrite(ws: Workspace, account: string, mappingId: number, columnId: number): { m: ExportMappingRec; c: MappingColumn } {
  const m = writableMapping(ws, account, mappingId);
  const c = m.ColumnList.find((x) => x.ID === columnId);
  if (c) return { m, c };
  const other = mappingOfColumn(ws, account, columnId);
  if (other) throw dolistError('1317', `column ${columnId} belongs to export mapping ${other.ID}, not ${mappingId}`, 'ColumnID');
  throw dolistError('1303', `no column ${columnId} in export mapping ${mappingId}`, 'ColumnID');
}

const renumber = (cols: MappingColumn[]) => cols.map((c, i) => ({ ...c, Position: i + 1 }));

export function updateColumn(ws: Workspace, account: string, mappingId: number, columnId: number, body: { Name?: string; Format?: string | null; Position?: number }): void {
  const { m, c } = columnForWrite(ws, account, mappingId, columnId);
  const next = { ...c };
  if (body.Name !== undefined) next.Name = checkColumnName(m, body.Name, c.ID);
  if (body.Format !== undefined) next.Format = checkFormat(body.Format, c.DataType);
  const others = m.ColumnList.filter((x) => x.ID !== c.ID);
  const at = body.Position === undefined ? c.Position : Math.min(Math.max(1, body.Position), m.ColumnList.length);
  others.splice(at - 1, 0, next);
  m.ColumnList = renumber(others);
  m.UpdateDate = now(ws);
}

export function deleteColumn(ws: Workspace, account: string, mappingId: number, columnId: number): void {
  const { m, c } = columnForWrite(ws, account, mappingId, columnId);
  m.ColumnList = renumber(m.ColumnList.filter((x) => x.ID !== c.ID));
  m.UpdateDate = now(ws);
}

/** The system mappings of each account of the fixtures. */
export function loadSystemMappings(ws: Workspace): void {
  for (const acc of dolistFixtures(ws).accounts) {
    const account = accountKey(acc.ID);
    for (const sm of SYSTEM_MAPPINGS) {
      const cols = sm.columns.flatMap((refId, i) => {
        const ref = findColumnReference(ws, account, refId);
        return ref ? [{ ColumnReferenceID: ref.ID, Name: ref.Name, Format: null, Position: i + 1, DataType: ref.DataType }] : [];
      });
      insertMapping(ws, account, { Name: sm.Name, TypeID: sm.TypeID, IsReadOnly: true, ColumnList: renumber(cols as MappingColumn[]) });
    }
  }
}

// What uses a field: the mappings with a column holding it (usage type 5, ExportMapping).
registerUsage('export-mappings', 'field', 5, (ws, account, fieldId) =>
  accountMappings(ws, account)
    .filter((m) => m.ColumnList.some((c) => c.ColumnReferenceID === fieldId))
    .map((m) => ({ ID: m.ID, Name: m.Name })),
);
