// Exports: a mapping (what columns), filters (which rows), a planning (when), recipients (who is
// told) and file settings. Table `exports` keyed by ID, partitioned by `account`; recipients in
// `export_recipients`, executions in `export_jobs` (the CSV stored with the job, also written
// to the account's files at `exports/<FileName>`). An execution is a core job (kind
// `dolist.export`) whose run() builds the CSV from the state of that moment. Without a planning
// the export is one-time: one job right after creation (operations.queueMs), then Completed
// (read only [1313]). With a planning (plannings.ts): OneTime runs at the planning's date,
// Recurrent at each of its dates while Active. Domain only.
import { nextInSequence, sequenceKey } from '../../core/engine/ids.js';
import { cancelJob, createJob, getJob, type Job, type JobKind } from '../../core/jobs.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { accountContacts, type ContactRec } from './contacts.js';
import { charsetOf, encode, formatValue, toCsv, type Encoding } from './csv.js';
import { dolistError } from './error-catalogue.js';
import { allowedFilters, EXPORT_TYPE, FILTER_TYPES, FILTER_VALUE_TYPE, SYSTEM_REFERENCES, type FilterType } from './export-catalogue.js';
import { findMapping, viewMapping, type ExportMappingRec } from './export-mappings.js';
import { writeFile } from './files.js';
import { findForm } from './forms.js';
import { findGroup, findInterest, interestsTable } from './interests.js';
import { API_ID, dolistFixtures } from './style.js';
import { happened, recipientsTable as sendingRecipientsTable, sendingRecipients, sendingsTable, trackingEventsTable } from './sendings.js';
import { messagesTable } from './messages.js';
import { findPlanning, nextOccurrenceDate } from './plannings.js';
import { targetContacts } from './target-eval.js';
import { registerUsage } from './usage.js';
import { zip } from '../../core/zip.js';
import { findAccountUser } from './users.js';

export const EXPORT_JOB_KIND = 'dolist.export';

export interface ExportFilter {
  ID: string;
  Type: FilterType;
  Value?: string | null;
  ValueList?: number[];
}

export type ExportStatus = 'Active' | 'Paused' | 'Completed';
export type JobStatus = 'pending' | 'success' | 'error';

export interface ExportRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Name: string;
  FileName: string;
  MappingID: number;
  TypeID: number;
  PlanningID: number | null;
  PlanningType: 'OneTime' | 'Recurrent';
  IsIncremental: boolean;
  LineSeparator: 'Lf' | 'Crlf';
  ColumnSeparator: string;
  Encoding: Encoding;
  IncludeTimeStamp: boolean;
  IncludeHeader: boolean;
  Compression: 'None' | 'Zip';
  Status: ExportStatus;
  LastStatus: JobStatus | null;
  FilterList: ExportFilter[];
  CreateDate: string;
  UpdateDate: string;
}

export interface ExportJobRec extends Rec {
  id: string;
  ID: number;
  account: string;
  ExportID: number;
  Status: JobStatus;
  CreateDate: string;
  StartDate: string | null;
  EndDate: string | null;
  RowCount: number | null;
  FileName: string | null;
  Error: string | null;
  /** The core job running it. */
  job: string;
  /** The CSV, encoded, base64. */
  file: string | null;
}

export interface RecipientRec extends Rec {
  id: string;
  ID: number;
  account: string;
  ExportID: number;
  Type: 'User' | 'Email';
  Value: string;
  Email: string;
  NotificationCount: number;
  CreateDate: string;
}

export const exportsTable = (ws: Workspace) => ws.table<ExportRec>(API_ID, 'exports');
export const jobsTable = (ws: Workspace) => ws.table<ExportJobRec>(API_ID, 'export_jobs');
export const recipientsTable = (ws: Workspace) => ws.table<RecipientRec>(API_ID, 'export_recipients');
const iso = (t: number) => new Date(t).toISOString();
const seq = (ws: Workspace, name: string, start: number) => nextInSequence(ws, sequenceKey(API_ID, name), start);
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

// ---- plannings (the sendings area's: one-time or recurrent) ---------------------------------

interface PlanningView {
  recurrent: boolean;
  /** When it first runs (epoch ms): a one-time planning's date, a recurrent one's first occurrence. */
  start?: number;
  /** The run after `t` (recurrent plannings; null past its end). */
  next(t: number): number | null;
}

/** A planning of the account (plannings.ts), or 404 [735]. */
export function planningOf(ws: Workspace, account: string, id: number): PlanningView {
  const p = findPlanning(ws, account, id);
  if (!p) throw dolistError('735', `no planning ${id} in account ${account}`, 'PlanningID');
  if (p.Kind !== 'Recurrent') return { recurrent: false, start: Date.parse(p.StartDate), next: () => null };
  const first = nextOccurrenceDate(p, Math.max(ws.now(), Date.parse(p.StartDate)) - 1);
  return { recurrent: true, start: first ?? undefined, next: (t) => nextOccurrenceDate(p, t) };
}

// ---- reads ----------------------------------------------------------------------------------

export function findExport(ws: Workspace, account: string, id: number): ExportRec | undefined {
  const e = exportsTable(ws).peek(String(id));
  return e && e.account === account ? e : undefined;
}

/** The export (read-only view): 404 [1301]; its mapping deleted 404 [1302] (research E5). */
export function viewExport(ws: Workspace, account: string, id: number, opts: { mapping?: boolean } = {}): ExportRec {
  const e = findExport(ws, account, id);
  if (!e) throw dolistError('1301', `no export ${id} in account ${account}`, 'ExportID');
  if (opts.mapping && !findMapping(ws, account, e.MappingID)) throw dolistError('1302', `export ${id}: its mapping ${e.MappingID} was deleted`, 'MappingID');
  return e;
}

const exportForWrite = (ws: Workspace, account: string, id: number, opts: { mapping?: boolean } = {}) => {
  viewExport(ws, account, id, opts);
  return exportsTable(ws).get(String(id))!;
};

export function exportJobs(ws: Workspace, exportId: number): ExportJobRec[] {
  return jobsTable(ws)
    .lookup('ExportID', exportId)
    .slice()
    .sort((a, b) => a.ID - b.ID);
}

export function jobView(j: ExportJobRec) {
  return { ID: j.ID, ExportID: j.ExportID, Status: j.Status, CreateDate: j.CreateDate, StartDate: j.StartDate, EndDate: j.EndDate, RowCount: j.RowCount, FileName: j.FileName, Error: j.Error };
}

/** Jobs an Export shows (the latest ones: a recurrent export runs for ever); older files stay downloadable. */
export const JOB_LIST_MAX = 100;

/** The Export DTO. */
export function renderExport(ws: Workspace, e: ExportRec) {
  const jobs = exportJobs(ws, e.ID).slice(-JOB_LIST_MAX).map(jobView);
  const { id: _id, account: _a, ...rest } = e;
  return { ...rest, ...(jobs.length ? { LastJob: jobs[jobs.length - 1] } : {}), JobList: jobs };
}

export function exportRecipients(ws: Workspace, exportId: number): RecipientRec[] {
  return recipientsTable(ws)
    .lookup('ExportID', exportId)
    .slice()
    .sort((a, b) => a.ID - b.ID);
}

// ---- settings -------------------------------------------------------------------------------

export interface ExportInput {
  Name?: string;
  FileName?: string;
  MappingID?: number;
  PlanningID?: number | null;
  IsIncremental?: boolean;
  LineSeparator?: string;
  ColumnSeparator?: string;
  Encoding?: string;
  IncludeTimeStamp?: boolean;
  IncludeHeader?: boolean;
  Compression?: string;
  Status?: string;
}

function lineSeparator(v: string): 'Lf' | 'Crlf' {
  const l = v.trim().toLowerCase();
  if (l === 'lf' || l === '\n') return 'Lf';
  if (l === 'crlf' || l === '\r\n') return 'Crlf';
  throw dolistError('36', `LineSeparator must be Lf or Crlf, not '${v}'`, 'LineSeparator');
}

function columnSeparator(v: string): string {
  if (v.toLowerCase() === 'tab' || v === '\t') return '\t';
  if (v.length !== 1 || /[\r\n"]/.test(v)) throw dolistError('36', `ColumnSeparator must be one character (or Tab), not '${v}'`, 'ColumnSeparator');
  return v;
}

function encoding(v: string): Encoding {
  const l = v.trim().toUpperCase().replace(/[-_ ]/g, '');
  if (l === 'UTF8') return 'UTF8';
  if (l === 'UTF16' || l === 'UNICODE') return 'UTF16';
  if (l === 'ISO88591' || l === 'LATIN1') return 'ISO-8859-1';
  throw dolistError('36', `Encoding must be UTF8, UTF16 or ISO-8859-1, not '${v}'`, 'Encoding');
}

function compression(v: string): 'None' | 'Zip' {
  const l = v.trim().toLowerCase();
  if (l === 'none') return 'None';
  if (l === 'zip') return 'Zip';
  throw dolistError('36', `Compression must be None or Zip, not '${v}'`, 'Compression');
}

function checkFileName(v: string): string {
  const n = v.trim();
  if (!n) throw dolistError('36', 'FileName must not be empty', 'FileName');
  if (/[\\/:*?"<>|\u0000-\u001f]/.test(n)) throw dolistError('36', `FileName '${v}' contains a character a file name cannot hold`, 'FileName');
  return n;
}

function checkUniqueNames(ws: Workspace, account: string, name: string, fileName: string, self?: number): void {
  const mine = exportsTable(ws).lookup('account', account).filter((e) => e.ID !== self);
  const byName = mine.find((e) => same(e.Name, name));
  if (byName) throw dolistError('1310', `export ${byName.ID} is already named '${byName.Name}'`, 'Name');
  const byFile = mine.find((e) => same(e.FileName, fileName));
  if (byFile) throw dolistError('1309', `export ${byFile.ID} already writes '${byFile.FileName}'`, 'FileName');
}

/** Creates an export (checks in the research's order, all before the first write) and plans its first job. */
export function createExport(ws: Workspace, account: string, b: ExportInput): ExportRec {
  const mapping = viewMapping(ws, account, Number(b.MappingID));
  const planning = b.PlanningID === undefined || b.PlanningID === null ? undefined : planningOf(ws, account, b.PlanningID);
  if (!mapping.ColumnList.length) throw dolistError('1335', `export mapping ${mapping.ID} has no column`, 'MappingID');
  const name = (b.Name ?? '').trim();
  if (!name) throw dolistError('36', 'Name must not be empty', 'Name');
  const fileName = checkFileName(b.FileName ?? '');
  checkUniqueNames(ws, account, name, fileName);
  if (b.IsIncremental && !planning?.recurrent) throw dolistError('1340', 'IsIncremental needs a Recurrent planning', 'IsIncremental');
  const settings = {
    LineSeparator: b.LineSeparator === undefined ? ('Lf' as const) : lineSeparator(b.LineSeparator),
    ColumnSeparator: b.ColumnSeparator === undefined ? ';' : columnSeparator(b.ColumnSeparator),
    Encoding: b.Encoding === undefined ? ('UTF8' as const) : encoding(b.Encoding),
    Compression: b.Compression === undefined ? ('None' as const) : compression(b.Compression),
  };
  const id = seq(ws, 'exports', 3001);
  const now = iso(ws.now());
  const rec = exportsTable(ws).put({
    id: String(id),
    ID: id,
    account,
    Name: name,
    FileName: fileName,
    MappingID: mapping.ID,
    TypeID: mapping.TypeID,
    PlanningID: b.PlanningID ?? null,
    PlanningType: planning?.recurrent ? 'Recurrent' : 'OneTime',
    IsIncremental: Boolean(b.IsIncremental),
    ...settings,
    IncludeTimeStamp: Boolean(b.IncludeTimeStamp),
    IncludeHeader: b.IncludeHeader ?? true,
    Status: 'Active',
    LastStatus: null,
    FilterList: [],
    CreateDate: now,
    UpdateDate: now,
  });
  scheduleRun(ws, rec, planning?.start);
  return rec;
}

function pendingJob(ws: Workspace, exportId: number): ExportJobRec | undefined {
  return exportJobs(ws, exportId).find((j) => j.Status === 'pending');
}

export function updateExport(ws: Workspace, account: string, id: number, b: ExportInput): void {
  const e = exportForWrite(ws, account, id, { mapping: true });
  if (e.Status === 'Completed') throw dolistError('1313', `export ${id} is Completed (its one-time job ran)`, 'ExportID');
  if (b.MappingID !== undefined && b.MappingID !== e.MappingID) throw dolistError('36', `the mapping of export ${id} cannot change (it is ${e.MappingID})`, 'MappingID');
  const status = b.Status === undefined ? e.Status : statusOf(b.Status);
  const planningChanges = b.PlanningID !== undefined && (b.PlanningID ?? null) !== e.PlanningID;
  if (planningChanges && e.Status === 'Active') throw dolistError('1339', `export ${id} is Active: pause it (Status Paused) before changing its planning`, 'PlanningID');
  const planning = planningChanges && b.PlanningID !== null && b.PlanningID !== undefined ? planningOf(ws, account, b.PlanningID) : undefined;
  const name = b.Name === undefined ? e.Name : b.Name.trim();
  if (!name) throw dolistError('36', 'Name must not be empty', 'Name');
  const fileName = b.FileName === undefined ? e.FileName : checkFileName(b.FileName);
  checkUniqueNames(ws, account, name, fileName, id);
  const recurrent = planningChanges ? Boolean(planning?.recurrent) : e.PlanningType === 'Recurrent';
  const incremental = b.IsIncremental ?? e.IsIncremental;
  if (incremental && !recurrent) throw dolistError('1340', 'IsIncremental needs a Recurrent planning', 'IsIncremental');
  const running = exportJobs(ws, id).find((j) => j.Status === 'pending' && getJob(ws, j.job)?.status === 'running');
  if (running) throw dolistError('1311', `job ${running.ID} of export ${id} is running`, 'ExportID');
  Object.assign(e, {
    Name: name,
    FileName: fileName,
    IsIncremental: incremental,
    ...(b.LineSeparator !== undefined ? { LineSeparator: lineSeparator(b.LineSeparator) } : {}),
    ...(b.ColumnSeparator !== undefined ? { ColumnSeparator: columnSeparator(b.ColumnSeparator) } : {}),
    ...(b.Encoding !== undefined ? { Encoding: encoding(b.Encoding) } : {}),
    ...(b.Compression !== undefined ? { Compression: compression(b.Compression) } : {}),
    ...(b.IncludeTimeStamp !== undefined ? { IncludeTimeStamp: b.IncludeTimeStamp } : {}),
    ...(b.IncludeHeader !== undefined ? { IncludeHeader: b.IncludeHeader } : {}),
    ...(planningChanges ? { PlanningID: b.PlanningID ?? null, PlanningType: recurrent ? 'Recurrent' : 'OneTime' } : {}),
    UpdateDate: iso(ws.now()),
  });
  if (status !== e.Status) {
    e.Status = status;
    if (status === 'Paused') {
      // A paused export runs nothing: its queued job is dropped.
      const p = pendingJob(ws, id);
      if (p) endJob(ws, jobsTable(ws).get(p.id)!, 'error', 'canceled: the export was paused');
    } else if (!pendingJob(ws, id) && (e.PlanningType === 'Recurrent' || !exportJobs(ws, id).some((j) => j.Status === 'success'))) {
      scheduleRun(ws, e, planning?.start);
    }
  }
}

function statusOf(v: string): ExportStatus {
  const l = v.trim().toLowerCase();
  if (l === 'active') return 'Active';
  if (l === 'paused') return 'Paused';
  throw dolistError('36', `Status must be Active or Paused, not '${v}'`, 'Status');
}

/** Deletes an export, its filters, recipients and jobs; 500 [1312] while a job is pending or running. */
export function deleteExport(ws: Workspace, account: string, id: number): void {
  viewExport(ws, account, id);
  const p = pendingJob(ws, id);
  if (p) throw dolistError('1312', `job ${p.ID} of export ${id} is pending: pause the export first`, 'ExportID');
  for (const j of exportJobs(ws, id)) jobsTable(ws).remove(j.id);
  for (const r of exportRecipients(ws, id)) recipientsTable(ws).remove(r.id);
  exportsTable(ws).remove(String(id));
}

// ---- filters --------------------------------------------------------------------------------

export interface FilterInput {
  Type?: string;
  Value?: string | number | null;
  ValueList?: number[];
}

function filterType(v: unknown): FilterType {
  const t = FILTER_TYPES.find((f) => f.toLowerCase() === String(v ?? '').trim().toLowerCase());
  if (!t) throw dolistError('36', `filter Type '${v}' is none of ${FILTER_TYPES.join(', ')}`, 'FilterList.Type');
  return t;
}

function dateValue(v: unknown, field: string): string {
  const t = typeof v === 'string' || typeof v === 'number' ? Date.parse(String(v)) : NaN;
  if (Number.isNaN(t)) throw dolistError('36', `${field} must be an ISO 8601 date, not '${v}'`, 'FilterList.Value');
  return iso(t);
}

function checkFilter(ws: Workspace, account: string, e: ExportRec, f: FilterInput): ExportFilter {
  const type = filterType(f.Type);
  if (!allowedFilters(e.TypeID).includes(type)) throw dolistError('36', `a ${type} filter does not apply to export type ${e.TypeID} (see GET /exports/types/filters?TypeID=${e.TypeID})`, 'FilterList.Type');
  const kind = FILTER_VALUE_TYPE[type];
  if (kind === 'IntegerList') {
    const list = f.ValueList ?? (f.Value !== undefined && f.Value !== null ? String(f.Value).split(/[,;]/).map((s) => Number(s.trim())) : []);
    if (!list.length || list.some((n) => !Number.isInteger(n))) throw dolistError('36', `a ${type} filter needs ValueList, a list of ids`, 'FilterList.ValueList');
    for (const n of list) {
      if (type === 'Interests' && !findInterest(ws, account, n)) throw dolistError('432', `no interest ${n} in account ${account}`, 'FilterList.ValueList');
      if (type === 'InterestsGroup' && !findGroup(ws, account, n)) throw dolistError('436', `no interest group ${n} in account ${account}`, 'FilterList.ValueList');
      if (type === 'Forms' && !findForm(ws, account, n)) throw dolistError('36', `no form ${n} in account ${account}`, 'FilterList.ValueList');
    }
    return { ID: type, Type: type, ValueList: [...new Set(list)] };
  }
  if (kind === 'Date') return { ID: type, Type: type, Value: dateValue(f.Value, type) };
  const n = Number(f.Value);
  if (f.Value === null || f.Value === undefined || String(f.Value).trim() === '' || !Number.isInteger(n) || n < (type === 'LastDays' ? 1 : 0)) {
    throw dolistError('36', `a ${type} filter needs Value, ${type === 'LastDays' ? 'a number of days (1 or more)' : 'a target id'}`, 'FilterList.Value');
  }
  if (type === 'Segment') targetContacts(ws, account, n);
  return { ID: type, Type: type, Value: String(n) };
}

/** Adds (or replaces, by type) filters; returns the export's filters. */
export function addFilters(ws: Workspace, account: string, id: number, list: FilterInput[]): ExportFilter[] {
  viewExport(ws, account, id);
  const checked = list.map((f) => checkFilter(ws, account, findExport(ws, account, id)!, f));
  const e = exportForWrite(ws, account, id);
  const byType = new Map(e.FilterList.map((f) => [f.ID, f]));
  for (const f of checked) byType.set(f.ID, f);
  e.FilterList = FILTER_TYPES.flatMap((t) => (byType.has(t) ? [byType.get(t)!] : []));
  e.UpdateDate = iso(ws.now());
  return e.FilterList;
}

export function deleteFilter(ws: Workspace, account: string, id: number, filterId: string): void {
  const e = exportForWrite(ws, account, id);
  const f = e.FilterList.find((x) => x.ID.toLowerCase() === filterId.trim().toLowerCase());
  if (!f) throw dolistError('1301', `export ${id} has no ${filterId} filter`, 'FilterID');
  e.FilterList = e.FilterList.filter((x) => x !== f);
  e.UpdateDate = iso(ws.now());
}

// ---- recipients -----------------------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function addRecipient(ws: Workspace, account: string, id: number, b: { Type?: string; Value?: string | number }): RecipientRec {
  viewExport(ws, account, id);
  const type = String(b.Type ?? '').trim().toLowerCase() === 'user' ? 'User' : String(b.Type ?? '').trim().toLowerCase() === 'email' ? 'Email' : undefined;
  if (!type) throw dolistError('36', `recipient Type must be User or Email, not '${b.Type}'`, 'Type');
  const raw = String(b.Value ?? '').trim();
  let value: string;
  let email: string;
  if (type === 'User') {
    const uid = Number(raw);
    const u = Number.isInteger(uid) ? findAccountUser(ws, Number(account), uid) : undefined;
    if (!u) throw dolistError('901', `no user ${raw} in account ${account}`, 'Value');
    value = String(uid);
    email = u.Email;
  } else {
    if (!EMAIL.test(raw)) throw dolistError('36', `'${raw}' is not an email address`, 'Value');
    value = email = raw.toLowerCase();
  }
  const clash = exportRecipients(ws, id).find((r) => r.Type === type && r.Value === value);
  if (clash) throw dolistError('1324', `recipient ${clash.ID} of export ${id} is already ${type} ${value}`, 'Value');
  const rid = seq(ws, 'export_recipients', 601);
  return recipientsTable(ws).put({ id: String(rid), ID: rid, account, ExportID: id, Type: type, Value: value, Email: email, NotificationCount: 0, CreateDate: iso(ws.now()) });
}

export function deleteRecipient(ws: Workspace, account: string, id: number, recipientId: number): void {
  viewExport(ws, account, id);
  const r = exportRecipients(ws, id).find((x) => x.ID === recipientId);
  if (!r) throw dolistError('1301', `export ${id} has no recipient ${recipientId}`, 'RecipientID');
  recipientsTable(ws).remove(r.id);
}

// ---- jobs -----------------------------------------------------------------------------------

/** Queues a job of the export, to start at `at` (default: after the operations' queue delay). */
function scheduleRun(ws: Workspace, e: ExportRec, at?: number): ExportJobRec {
  const { queueMs, rate } = dolistFixtures(ws).operations;
  const id = seq(ws, 'export_jobs', 40_001);
  const delay = at === undefined ? queueMs : Math.max(0, at - ws.now());
  const total = e.TypeID === EXPORT_TYPE.contacts ? accountContacts(ws, e.account).length : sendingRecipientsTable(ws).lookup('account', e.account).length;
  const job = createJob(ws, { api: API_ID, kind: EXPORT_JOB_KIND, total, rate, queueMs: delay, ref: `export-job-${id}`, input: { account: e.account, exportId: e.ID, jobId: id } });
  e.LastStatus = 'pending';
  exportsTable(ws).touch(e);
  return jobsTable(ws).put({ id: String(id), ID: id, account: e.account, ExportID: e.ID, Status: 'pending', CreateDate: iso(ws.now()), StartDate: null, EndDate: null, RowCount: null, FileName: null, Error: null, job: job.id, file: null });
}

function endJob(ws: Workspace, j: ExportJobRec, status: JobStatus, error: string | null): void {
  j.Status = status;
  j.EndDate = iso(ws.now());
  j.Error = error;
  jobsTable(ws).touch(j);
  if (status === 'error') cancelJob(ws, j.job);
  const e = exportsTable(ws).get(String(j.ExportID));
  if (e) {
    e.LastStatus = status;
    exportsTable(ws).touch(e);
  }
}

/** The file name of a job: the export's, with `_yyyyMMddHHmmss` before the extension when IncludeTimeStamp. */
export function jobFileName(e: ExportRec, at: number): string {
  if (!e.IncludeTimeStamp) return e.FileName;
  const stamp = new Date(at).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const dot = e.FileName.lastIndexOf('.');
  return dot > 0 ? `${e.FileName.slice(0, dot)}_${stamp}${e.FileName.slice(dot)}` : `${e.FileName}_${stamp}`;
}

/** The contacts an export selects now (Contacts type): its filters, and for an incremental one the changes since the last success. */
/** One row of an export: a contact, and for the sending types the event it is about. */
export interface ExportRow {
  contact: ContactRec;
  sendingId?: number;
  /** The event's time (ISO). */
  at?: string;
  /** A click's link. */
  url?: string;
}

/** Which recipient timestamp an event type exports (research: the type tree under Contacts). */
const EVENT_OF_TYPE: Record<number, { channel: 'email' | 'sms'; date: 'SentDate' | 'OpenedDate' | 'ClickedDate' | 'BouncedDate' | 'UnsubscribedDate' | 'DeliveredDate' }> = {
  2: { channel: 'email', date: 'SentDate' },
  3: { channel: 'email', date: 'OpenedDate' },
  4: { channel: 'email', date: 'ClickedDate' },
  5: { channel: 'email', date: 'BouncedDate' },
  6: { channel: 'email', date: 'UnsubscribedDate' },
  7: { channel: 'sms', date: 'SentDate' },
  8: { channel: 'sms', date: 'DeliveredDate' },
  9: { channel: 'sms', date: 'UnsubscribedDate' },
};

/**
 * The rows of the export now: the account's contacts through the filters (Contacts), or the
 * sending events that happened by now to those contacts (the other types: one row per recipient
 * and event, from the sendings' recipients; EmailSendings / SmsSendings name the sendings).
 */
export function selectRows(ws: Workspace, e: ExportRec, since: number | null): ExportRow[] {
  const contacts = filteredContacts(ws, e);
  const event = EVENT_OF_TYPE[e.TypeID];
  if (!event) {
    const rows = since === null ? contacts : contacts.filter((c) => Date.parse(c.UpdateDate) > since);
    return rows.map((contact) => ({ contact }));
  }
  const now = ws.now();
  const byId = new Map(contacts.map((c) => [c.ID, c]));
  const sendingFilter = e.FilterList.find((f) => f.Type === (event.channel === 'email' ? 'EmailSendings' : 'SmsSendings'));
  const only = sendingFilter ? new Set((sendingFilter.ValueList ?? []).map(Number)) : null;
  const out: ExportRow[] = [];
  for (const s of sendingsTable(ws).lookup('account', e.account)) {
    if (s.Channel !== event.channel || (only && !only.has(s.ID))) continue;
    const message = event.date === 'ClickedDate' ? messagesTable(ws).peek(String(s.MessageID)) : undefined;
    const clicks = event.date === 'ClickedDate' ? trackingEventsTable(ws).lookup('SendingID', s.ID).filter((t) => t.TrackingType.toLowerCase() === 'click') : [];
    for (const r of sendingRecipients(ws, s.ID)) {
      const at = r[event.date];
      const contact = byId.get(r.ContactID);
      if (!contact || !happened(at, now) || (since !== null && Date.parse(at!) <= since)) continue;
      let url: string | undefined;
      if (message) {
        const click = clicks.find((t) => t.ContactID === r.ContactID && t.OccurrenceID === r.OccurrenceID && t.LinkID !== null);
        url = message.Links.find((l) => l.LinkID === click?.LinkID)?.Url ?? message.Links.find((l) => l.LinkType.toLowerCase() === 'tracked')?.Url;
      }
      out.push({ contact, sendingId: s.ID, at: at!, url });
    }
  }
  return out.sort((a, b) => a.at!.localeCompare(b.at!) || a.contact.ID - b.contact.ID || a.sendingId! - b.sendingId!);
}

/** The account's contacts the export's contact filters keep, by ID. */
function filteredContacts(ws: Workspace, e: ExportRec): ContactRec[] {
  let rows = accountContacts(ws, e.account);
  const updated = (c: ContactRec) => Date.parse(c.UpdateDate);
  for (const f of e.FilterList) {
    switch (f.Type) {
      case 'Segment': {
        const ids = new Set(targetContacts(ws, e.account, Number(f.Value)).map((c) => c.ID));
        rows = rows.filter((c) => ids.has(c.ID));
        break;
      }
      case 'Interests': {
        const ids = (f.ValueList ?? []).map(String);
        rows = rows.filter((c) => ids.some((i) => c.Interests[i]));
        break;
      }
      case 'InterestsGroup': {
        const groups = new Set(f.ValueList ?? []);
        rows = rows.filter((c) => Object.keys(c.Interests).some((i) => groups.has(interestsTable(ws).peek(i)?.GroupID ?? -1)));
        break;
      }
      case 'LastDays': {
        const from = ws.now() - Number(f.Value) * 86_400_000;
        rows = rows.filter((c) => updated(c) >= from);
        break;
      }
      case 'StartDate': {
        const from = Date.parse(f.Value!);
        rows = rows.filter((c) => updated(c) >= from);
        break;
      }
      case 'EndDate': {
        // A date without a time covers its whole day.
        const to = Date.parse(f.Value!) + (f.Value!.endsWith('T00:00:00.000Z') ? 86_400_000 - 1 : 0);
        rows = rows.filter((c) => updated(c) <= to);
        break;
      }
      case 'Forms':
        // Contacts do not record which form made them: the filter keeps the contacts made by a form.
        rows = rows.filter((c) => c.CreateOrigin === 3);
        break;
      default:
        // EmailSendings / SmsSendings select the sendings of the event types (selectRows).
        break;
    }
  }
  return rows.slice().sort((a, b) => a.ID - b.ID);
}

function cellOf(ws: Workspace, row: ExportRow, refId: number): string {
  const c = row.contact;
  switch (refId) {
    case SYSTEM_REFERENCES.contactId:
      return String(c.ID);
    case SYSTEM_REFERENCES.createDate:
      return c.CreateDate;
    case SYSTEM_REFERENCES.updateDate:
      return c.UpdateDate;
    case SYSTEM_REFERENCES.subscribeDate:
      return c.SubscribeDate ?? '';
    case SYSTEM_REFERENCES.unsubscribeDate:
      return c.UnsubscribeDate ?? '';
    case SYSTEM_REFERENCES.interests:
      return Object.keys(c.Interests)
        .map((i) => interestsTable(ws).peek(i)?.Name)
        .filter((n): n is string => Boolean(n))
        .join('|');
    case SYSTEM_REFERENCES.sendingId:
      return row.sendingId === undefined ? '' : String(row.sendingId);
    case SYSTEM_REFERENCES.eventDate:
      return row.at ?? '';
    case SYSTEM_REFERENCES.url:
      return row.url ?? '';
    default:
      return refId < 9000 ? c.Values[String(refId)] ?? '' : '';
  }
}

/** The CSV text of the export now, and its row count. */
export function buildCsv(ws: Workspace, e: ExportRec, m: ExportMappingRec, since: number | null): { text: string; rows: number } {
  const culture = dolistFixtures(ws).accounts.find((a) => String(a.ID) === e.account)?.Culture ?? 'fr-FR';
  const cols = m.ColumnList.slice().sort((a, b) => a.Position - b.Position);
  const rows = selectRows(ws, e, since).map((row) => cols.map((col) => formatValue(cellOf(ws, row, col.ColumnReferenceID), col.DataType, col.Format, culture)));
  return { text: toCsv(cols.map((c) => c.Name), rows, { columnSeparator: e.ColumnSeparator, lineSeparator: e.LineSeparator, header: e.IncludeHeader }), rows: rows.length };
}

const jobOf = (ws: Workspace, job: Job) => jobsTable(ws).get(String(job.input.jobId));

export const exportJobKind: JobKind = {
  onStart(ws, job) {
    const j = jobOf(ws, job);
    if (!j) return;
    j.StartDate = iso(ws.now());
    jobsTable(ws).touch(j);
  },
  run(ws, job) {
    const j = jobOf(ws, job);
    const e = exportsTable(ws).peek(String(job.input.exportId));
    if (!j || !e) throw new Error('the export was deleted');
    const m = findMapping(ws, e.account, e.MappingID);
    if (!m) throw new Error(`the export's mapping ${e.MappingID} was deleted`);
    const last = exportJobs(ws, e.ID).filter((x) => x.Status === 'success' && x.StartDate).pop();
    const since = e.IsIncremental && last ? Date.parse(last.StartDate!) : null;
    const { text, rows } = buildCsv(ws, e, m, since);
    const csvName = jobFileName(e, ws.now());
    // Zip: the CSV, under its name, in an archive named after it.
    const bytes = e.Compression === 'Zip' ? zip([{ name: csvName, data: encode(text, e.Encoding), mtime: ws.now() }]) : encode(text, e.Encoding);
    const name = e.Compression === 'Zip' ? `${csvName}.zip` : csvName;
    writeFile(ws, e.account, `exports/${name}`, bytes, { overwrite: true, system: true });
    Object.assign(j, { RowCount: rows, FileName: name, file: Buffer.from(bytes).toString('base64') });
    jobsTable(ws).touch(j);
    return { rows, fileName: name };
  },
  onEnd(ws, job) {
    const j = jobOf(ws, job);
    if (!j || j.Status !== 'pending') return;
    const ok = job.status === 'succeeded';
    endJob(ws, j, ok ? 'success' : 'error', ok ? null : job.error ?? job.status);
    const e = exportsTable(ws).get(String(j.ExportID));
    if (!e) return;
    // Recipients are told (recorded, and an event in the journal: no email leaves the simulator).
    const told: string[] = [];
    for (const r of exportRecipients(ws, e.ID)) {
      const rec = recipientsTable(ws).get(r.id)!;
      rec.NotificationCount += 1;
      recipientsTable(ws).touch(rec);
      told.push(rec.Email);
    }
    ws.emit(API_ID, 'export_job_ended', { exportId: e.ID, jobId: j.ID, account: e.account, status: j.Status, rows: j.RowCount, fileName: j.FileName, recipients: told });
    if (e.PlanningType === 'OneTime') {
      if (ok) {
        e.Status = 'Completed';
        exportsTable(ws).touch(e);
      }
    } else if (e.Status === 'Active' && e.PlanningID !== null) {
      let next: number | null;
      try {
        next = planningOf(ws, e.account, e.PlanningID).next(ws.now());
      } catch {
        return; // the planning is gone: nothing more runs
      }
      if (next !== null) scheduleRun(ws, e, next);
    }
  },
};

/** The job's file: 404 [1307] for no such job of the export, or before it produced one. */
export function jobFile(ws: Workspace, account: string, exportId: number, jobId: number): { bytes: Uint8Array; name: string; contentType: string } {
  const e = viewExport(ws, account, exportId);
  const j = jobsTable(ws).peek(String(jobId));
  if (!j || j.ExportID !== exportId) throw dolistError('1307', `export ${exportId} has no job ${jobId}`, 'JobID');
  if (j.Status !== 'success' || !j.file) throw dolistError('1307', `job ${jobId} of export ${exportId} has no file (${j.Status})`, 'JobID');
  const name = j.FileName ?? e.FileName;
  const contentType = name.toLowerCase().endsWith('.zip') ? 'application/zip' : `text/csv; charset=${charsetOf(e.Encoding)}`;
  return { bytes: new Uint8Array(Buffer.from(j.file, 'base64')), name, contentType };
}

// What uses a target, an interest or a group: the exports filtering on it (usage type 7, Export).
const usedBy = (pick: (f: ExportFilter, id: number) => boolean) => (ws: Workspace, account: string, id: number) =>
  exportsTable(ws)
    .lookup('account', account)
    .filter((e) => e.FilterList.some((f) => pick(f, id)))
    .map((e) => ({ ID: e.ID, Name: e.Name }));
registerUsage('exports', 'target', 7, usedBy((f, id) => f.Type === 'Segment' && Number(f.Value) === id));
registerUsage('exports', 'interest', 7, usedBy((f, id) => f.Type === 'Interests' && (f.ValueList ?? []).includes(id)));
registerUsage('exports', 'group', 7, usedBy((f, id) => f.Type === 'InterestsGroup' && (f.ValueList ?? []).includes(id)));
