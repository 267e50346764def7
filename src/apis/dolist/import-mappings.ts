// Import mappings: made from a sample file (the reference's multipart `File` + `Mapping` part),
// they say how a file's columns land in the contact fields. The columns are guessed from the
// sample: with a header row (ContainsColumns) each name is matched to a field's name, its
// variable or a known alias (fixtures `imports.headerAliases`: "LastName" is field 2, "Nom");
// without one, by the first row's content (an address is the email field, a mobile number the
// mobile field). Unmatched columns are kept, not imported (field action Ignore) until a client
// maps them. A mapping a job is reading (an import of it has a Pending or Running job) cannot
// change: [307] / [312] / [313] / [314]; one an import uses cannot be deleted [308].
// Domain only: no HTTP.
import type { Workspace } from '../../core/workspace.js';
import { mobileOf } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { accountFields, findField } from './fields.js';
import { guessSeparator, parseDelimited, separatorOf, textOf } from './import-csv.js';
import type { UploadedFile } from './import-files.js';
import { FIELD_ACTION, importSettings, MAPPING_ACTION, type ColumnRec, type ImportsDb, type MappingRec } from './imports-db.js';
import { dolistFixtures } from './style.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A property of a client's object, its name in any case (JSV parts are written by hand). */
export function prop(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const k = Object.keys(obj).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : obj[k];
}

export function boolOf(v: unknown, field: string, dflt: boolean): boolean {
  if (v === undefined || v === null || v === '') return dflt;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw dolistError('36', `${field} must be true or false, not '${String(v)}'`, field);
}

export function intOf(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw dolistError('36', `${field} must be an integer, not '${String(v)}'`, field);
  return n;
}

/** Header names compared without case, accents, spaces or punctuation. */
export const headerKey = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** The field a header names in the account, or undefined. */
export function fieldForHeader(ws: Workspace, account: string, header: string): number | undefined {
  const key = headerKey(header);
  if (!key) return undefined;
  const fields = accountFields(ws, account);
  const own = fields.find((f) => headerKey(f.Name) === key || headerKey(f.VariableName) === key);
  if (own) return own.ID;
  const alias = importSettings(ws).headerAliases[key];
  return alias !== undefined && findField(ws, account, alias) ? alias : undefined;
}

/** The field a value looks like it belongs to (files without a header row). */
function fieldForValue(ws: Workspace, account: string, value: string): number | undefined {
  const ids = dolistFixtures(ws).standardFieldIds;
  const v = value.trim();
  if (EMAIL.test(v)) return findField(ws, account, ids.email) ? ids.email : undefined;
  if (/^(\+|0)[\d\s.]{8,}$/.test(v) && mobileOf(v)) return findField(ws, account, ids.mobile) ? ids.mobile : undefined;
  return undefined;
}

export interface GuessedColumn {
  Name: string;
  Position: number;
  FieldID: number | null;
  ActionID: number;
}

/** The columns of a sample (none when it is not text): header names matched, or content guessed. */
export function guessColumns(ws: Workspace, account: string, sample: Uint8Array, opts: { separator: string; containsColumns: boolean; quotes: boolean }): GuessedColumn[] {
  const text = textOf(sample);
  if (text === undefined) return [];
  const rows = parseDelimited(text, { separator: opts.separator, quotes: opts.quotes });
  if (!rows.length) return [];
  const first = rows[0].cells;
  const used = new Set<number>();
  const names = new Map<string, number>();
  return first.map((cell, i) => {
    const name = opts.containsColumns && cell.trim() ? cell.trim() : `Column${i + 1}`;
    const dup = names.get(name.toLowerCase());
    if (dup !== undefined) throw dolistError('306', `the sample's columns ${dup} and ${i + 1} are both named '${name}'`, 'File');
    names.set(name.toLowerCase(), i + 1);
    let fieldId = opts.containsColumns ? fieldForHeader(ws, account, cell) : fieldForValue(ws, account, cell);
    if (fieldId !== undefined && used.has(fieldId)) fieldId = undefined;
    if (fieldId !== undefined) used.add(fieldId);
    return { Name: name, Position: i + 1, FieldID: fieldId ?? null, ActionID: fieldId === undefined ? FIELD_ACTION.Ignore : FIELD_ACTION.IgnoreIfEmpty };
  });
}

/** The mapping's settings from a client's object (the `Mapping` part, a PUT body). */
export function mappingSettings(ws: Workspace, db: ImportsDb, input: Record<string, unknown>): Partial<MappingRec> {
  const out: Partial<MappingRec> = {};
  const name = prop(input, 'Name');
  if (name !== undefined) {
    if (typeof name !== 'string' || !name.trim()) throw dolistError('36', 'Name must be a non-empty string', 'Name');
    out.Name = name.trim();
  }
  const sep = prop(input, 'Separator');
  if (sep !== undefined) {
    const s = separatorOf(sep);
    if (!s) throw dolistError('36', `Separator must be one character (or "tab"), not '${String(sep)}'`, 'Separator');
    out.Separator = s;
  }
  if (prop(input, 'ContainsColumns') !== undefined) out.ContainsColumns = boolOf(prop(input, 'ContainsColumns'), 'ContainsColumns', false);
  if (prop(input, 'ContainsQuotes') !== undefined) out.ContainsQuotes = boolOf(prop(input, 'ContainsQuotes'), 'ContainsQuotes', false);
  const action = intOf(prop(input, 'ActionID'), 'ActionID');
  if (action !== undefined) {
    if (!db.mappingActions.lookup(ws, action)) throw dolistError('316', `no mapping action ${action} (see /imports/mappings/actions)`, 'ActionID');
    out.ActionID = action;
  }
  return out;
}

/** Creates a mapping and its guessed columns from an uploaded sample. */
export function createMapping(ws: Workspace, db: ImportsDb, account: string, file: UploadedFile, input: Record<string, unknown>): MappingRec {
  const settings = mappingSettings(ws, db, input);
  if (!settings.Name) throw dolistError('36', 'the Mapping part must give a Name', 'Mapping');
  const fileName = prop(input, 'FileName');
  const text = textOf(file.bytes);
  const separator = settings.Separator ?? (text === undefined ? ';' : guessSeparator(text));
  const containsColumns = settings.ContainsColumns ?? false;
  const quotes = settings.ContainsQuotes ?? false;
  const columns = guessColumns(ws, account, file.bytes, { separator, containsColumns, quotes });
  const mapping = db.mappings.insert(
    ws,
    {
      Name: settings.Name,
      FileName: typeof fileName === 'string' && fileName.trim() ? fileName.trim() : file.name,
      Separator: separator,
      ContainsColumns: containsColumns,
      ContainsQuotes: quotes,
      ActionID: settings.ActionID ?? MAPPING_ACTION.CreateOrUpdate,
      sample: Buffer.from(file.bytes).toString('base64'),
    },
    { partition: account },
  );
  for (const c of columns) db.columns.insert(ws, { ...c, MappingID: mapping.ID }, { partition: String(mapping.ID) });
  return mapping;
}

/** The mapping's columns by position (read-only). */
export function mappingColumns(ws: Workspace, db: ImportsDb, mappingId: number): ColumnRec[] {
  return db.columns
    .table(ws)
    .lookup('mapping', String(mappingId))
    .slice()
    .sort((a, b) => a.Position - b.Position || a.ID - b.ID);
}

/** The mapping as the API shows it, with its columns. */
export function renderMapping(ws: Workspace, db: ImportsDb, m: MappingRec): Record<string, unknown> {
  return { ...db.mappings.render(m), ColumnList: mappingColumns(ws, db, m.ID).map((c) => db.columns.render(c)) };
}

/** A mapping of the account (read-only), or 404 [304]. */
export function mappingOf(ws: Workspace, db: ImportsDb, account: string, id: number | string): MappingRec {
  return db.mappings.view(ws, id, account);
}

/** Whether a job is reading files with this mapping (an import of it has a Pending or Running job). */
export function mappingBusy(ws: Workspace, db: ImportsDb, mappingId: number): number | undefined {
  for (const imp of db.imports.table(ws).lookup('MappingID', mappingId)) {
    const job = db.jobs.table(ws).lookup('ImportID', imp.ID).find((j) => j.Status === 'Pending' || j.Status === 'Running');
    if (job) return job.ID;
  }
  return undefined;
}

/** Refuses a change to a mapping a job is reading, with the operation's code. */
export function assertMappingIdle(ws: Workspace, db: ImportsDb, mappingId: number, code: '307' | '312' | '313' | '314'): void {
  const job = mappingBusy(ws, db, mappingId);
  if (job !== undefined) throw dolistError(code, `import job ${job} is reading files with mapping ${mappingId}`, 'MappingID');
}

/** Refuses deleting a mapping an import uses [308]. */
export function assertMappingUnused(ws: Workspace, db: ImportsDb, mappingId: number): void {
  const imp = db.imports.table(ws).lookup('MappingID', mappingId)[0];
  if (imp) throw dolistError('308', `import ${imp.ID} (${imp.Name}) uses mapping ${mappingId}`, 'MappingID');
}

/** Deletes a mapping's columns with it. */
export function deleteMappingColumns(ws: Workspace, db: ImportsDb, mappingId: number): void {
  for (const c of mappingColumns(ws, db, mappingId)) db.columns.table(ws).remove(c.id);
}

/** Checks a column's field [415] and action [316] before a write. */
export function checkColumnTargets(ws: Workspace, db: ImportsDb, account: string, body: Record<string, unknown>): void {
  const fieldId = prop(body, 'FieldID');
  if (fieldId !== undefined && fieldId !== null) {
    const f = findField(ws, account, Number(fieldId));
    if (!f) throw dolistError('415', `no field ${String(fieldId)} in account ${account}`, 'FieldID');
    if (f.IsReadOnly) throw dolistError('36', `field ${f.ID} (${f.Name}) is read-only: it cannot be imported`, 'FieldID');
  }
  const action = prop(body, 'ActionID');
  if (action !== undefined && action !== null && !db.fieldActions.lookup(ws, Number(action))) throw dolistError('316', `no field action ${String(action)} (see /imports/mappings/fields)`, 'ActionID');
}

/** Defaults of a new column: the next position, the field's name, IgnoreIfEmpty (Ignore without a field). */
export function columnDefaults(ws: Workspace, db: ImportsDb, account: string, mappingId: number, body: Record<string, unknown>): Partial<ColumnRec> {
  const out: Partial<ColumnRec> = { MappingID: mappingId };
  const columns = mappingColumns(ws, db, mappingId);
  const position = prop(body, 'Position');
  if (position === undefined || position === null) out.Position = columns.reduce((m, c) => Math.max(m, c.Position), 0) + 1;
  const fieldId = prop(body, 'FieldID');
  const field = fieldId === undefined || fieldId === null ? undefined : findField(ws, account, Number(fieldId));
  const name = prop(body, 'Name');
  if (typeof name !== 'string' || !name.trim()) out.Name = field ? field.Name : `Column${(position as number | undefined) ?? out.Position}`;
  const action = prop(body, 'ActionID');
  if (action === undefined || action === null) out.ActionID = field ? FIELD_ACTION.IgnoreIfEmpty : FIELD_ACTION.Ignore;
  return out;
}

/** An update would give the column a name or field another column has: [313] (the PUT knows no 409). */
export function assertColumnUpdateFree(ws: Workspace, db: ImportsDb, column: ColumnRec, body: Record<string, unknown>): void {
  const name = prop(body, 'Name');
  const fieldId = prop(body, 'FieldID');
  for (const c of mappingColumns(ws, db, column.MappingID)) {
    if (c.ID === column.ID) continue;
    if (typeof name === 'string' && c.Name.toLowerCase() === name.trim().toLowerCase()) throw dolistError('313', `column ${c.ID} is named '${c.Name}' already`, 'Name');
    if (fieldId !== undefined && fieldId !== null && c.FieldID === Number(fieldId)) throw dolistError('313', `column ${c.ID} imports field ${c.FieldID} already`, 'FieldID');
  }
}

export interface Snapshot {
  MappingID: number;
  ColumnList: string[];
  RowList: string[][];
  Total: number;
}

/** The stored sample read with the mapping's settings: no file [25], not text [32], uneven rows [333]. */
export function mappingSnapshot(ws: Workspace, db: ImportsDb, m: MappingRec): Snapshot {
  if (!m.sample) throw dolistError('25', `mapping ${m.ID} has no sample file`, 'MappingID');
  const text = textOf(Buffer.from(m.sample, 'base64'));
  if (text === undefined) throw dolistError('32', `the sample file ${m.FileName} is not a delimited text file`, 'MappingID');
  const rows = parseDelimited(text, { separator: m.Separator, quotes: m.ContainsQuotes });
  const columns = mappingColumns(ws, db, m.ID);
  const header = m.ContainsColumns && rows.length ? rows[0].cells.map((c) => c.trim()) : columns.map((c) => c.Name);
  const data = m.ContainsColumns ? rows.slice(1) : rows;
  const width = header.length || (data[0]?.cells.length ?? 0);
  const uneven = data.find((r) => r.cells.length !== width);
  if (uneven) throw dolistError('333', `line ${uneven.line} has ${uneven.cells.length} values, the file has ${width} columns (separator '${m.Separator}')`, 'MappingID');
  return { MappingID: m.ID, ColumnList: header, RowList: data.slice(0, importSettings(ws).snapshotRows).map((r) => r.cells), Total: data.length };
}

/** The first free name among `base`, `base (copy)`, `base (copy 2)` ... per `taken`. */
function freeName(base: string, taken: (n: string) => boolean, insert: (s: string, suffix: string) => string): string {
  for (let n = 1; ; n++) {
    const candidate = insert(base, n === 1 ? ' (copy)' : ` (copy ${n})`);
    if (!taken(candidate)) return candidate;
  }
}

/** Copies a mapping and its columns; `Name` from the body, else the first free "<Name> (copy)". */
export function duplicateMapping(ws: Workspace, db: ImportsDb, account: string, m: MappingRec, body: Record<string, unknown> | undefined): MappingRec {
  const all = db.mappings.table(ws).lookup('account', account);
  const given = body ? prop(body, 'Name') : undefined;
  if (given !== undefined && (typeof given !== 'string' || !given.trim())) throw dolistError('36', 'Name must be a non-empty string', 'Name');
  const nameTaken = (n: string) => all.some((x) => x.Name.toLowerCase() === n.toLowerCase());
  const fileTaken = (n: string) => all.some((x) => x.FileName.toLowerCase() === n.toLowerCase());
  const name = typeof given === 'string' ? given.trim() : freeName(m.Name, nameTaken, (s, suffix) => s + suffix);
  const beforeExt = (s: string, suffix: string) => {
    const dot = s.lastIndexOf('.');
    return dot > 0 ? s.slice(0, dot) + suffix + s.slice(dot) : s + suffix;
  };
  const copy = db.mappings.insert(
    ws,
    { Name: name, FileName: freeName(m.FileName, fileTaken, beforeExt), Separator: m.Separator, ContainsColumns: m.ContainsColumns, ContainsQuotes: m.ContainsQuotes, ActionID: m.ActionID, sample: m.sample },
    { partition: account },
  );
  for (const c of mappingColumns(ws, db, m.ID)) db.columns.insert(ws, { Name: c.Name, Position: c.Position, FieldID: c.FieldID, ActionID: c.ActionID, MappingID: copy.ID }, { partition: String(copy.ID) });
  return copy;
}

/** The auto-generated sample file: a header of the account's writable fields (by variable) and an example row. */
export function sampleFile(ws: Workspace, account: string): string {
  const ids = dolistFixtures(ws).standardFieldIds;
  const fields = accountFields(ws, account).filter((f) => !f.IsReadOnly && f.ID !== ids.emailStatus);
  const example: Record<number, string> = { [ids.email]: 'jane.doe@example.com', [ids.firstName]: 'Jane', [ids.lastName]: 'Doe', [ids.mobile]: '+33612345678', [ids.city]: 'Paris', [ids.zip]: '75001' };
  return `${fields.map((f) => f.VariableName).join(';')}\r\n${fields.map((f) => example[f.ID] ?? '').join(';')}\r\n`;
}
