// Import jobs: a file uploaded for an import, read with the import's mapping on the workspace
// clock. The job waits `imports.queueMs` (Pending), runs at `imports.rowsPerSecond` (Running), and
// at the end of its run applies the file in one step (Done; Error if the file cannot be read):
// each row whose composite key (field 7 by default) names a contact updates it, another creates
// one, with origin Import; the import's interests are applied with its OperationMode. Rows are
// rejected for an invalid value (the catalogue's code: [406] email, [454] mobile, [409] missing
// key, [36] other) and excluded when they must not be written (DoNotWrite: the address's status
// forbids it; DuplicateInFile: the key was on an earlier row; AlreadyExists / NotFound under a
// CreateOnly / UpdateOnly mapping). Every row is planned before the first write, so a run
// applies all its valid rows or none. The core job (kind `dolist.import`, ref = the JobID) drives
// the timing; the job record holds what the API shows. The end is told to the import's
// recipients: `NotifiedList`, and the workspace event `import_job_ended`. Domain only: no HTTP.
import { isSimError } from '../../core/errors.js';
import { createJob, getJob, jobView, type Job, type JobKind } from '../../core/jobs.js';
import type { Workspace } from '../../core/workspace.js';
import { compositeKeyOf, contactByKey, contactsTable, createContact, isDoNotWrite, ORIGIN, storedValue, updateContact, type ContactInterestLink, type FieldValueInput } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { csvLine, parseDelimited, textOf, type FileRow } from './import-csv.js';
import type { UploadedFile } from './import-files.js';
import { intOf, mappingColumns, prop } from './import-mappings.js';
import { importOf, recipientAddresses } from './imports.js';
import { FIELD_ACTION, importSettings, MAPPING_ACTION, type ColumnRec, type ImportsDb, type JobRec, type MappingRec, type OperationMode, type SkippedRow } from './imports-db.js';
import { API_ID } from './style.js';

export const IMPORT_JOB_KIND = 'dolist.import';

const REASONS: Record<string, string> = { '406': 'InvalidEmail', '454': 'InvalidMobile', '409': 'MissingKey', '415': 'UnknownField', '36': 'InvalidValue' };

/** The data rows of a file as the mapping reads it. */
export function dataRows(text: string, m: MappingRec): FileRow[] {
  const rows = parseDelimited(text, { separator: m.Separator, quotes: m.ContainsQuotes });
  return m.ContainsColumns ? rows.slice(1) : rows;
}

/** Queues a job for an uploaded file: `{ImportID}` of the account [318]. */
export function createImportJob(ws: Workspace, db: ImportsDb, account: string, file: UploadedFile, input: Record<string, unknown>): JobRec {
  const importId = intOf(prop(input, 'ImportID'), 'ImportID');
  if (importId === undefined) throw dolistError('36', 'the Job part must give an ImportID', 'Job');
  const imp = importOf(ws, db, account, importId);
  const mapping = db.mappings.view(ws, imp.MappingID, account);
  const text = textOf(file.bytes);
  const total = text === undefined ? 0 : dataRows(text, mapping).length;
  const fx = importSettings(ws);
  const rec = db.jobs.insert(
    ws,
    {
      ImportID: imp.ID,
      MappingID: mapping.ID,
      FileName: file.name,
      Status: 'Pending',
      Executed: false,
      StartDate: null,
      EndDate: null,
      Total: total,
      Created: 0,
      Updated: 0,
      Rejected: 0,
      Excluded: 0,
      ErrorMessage: null,
      NotifiedList: [],
      content: Buffer.from(file.bytes).toString('base64'),
      coreJob: '',
      skipped: [],
    },
    { partition: account },
  );
  const job = createJob(ws, { api: API_ID, kind: IMPORT_JOB_KIND, total, rate: fx.rowsPerSecond, queueMs: fx.queueMs, ref: rec.ID, input: { account, jobId: rec.ID } });
  rec.coreJob = job.id;
  return db.jobs.table(ws).put(rec);
}

interface RowPlan {
  line: number;
  contactId: number | undefined;
  /** Every mapped value of the row (stored form; null: empty). */
  values: Array<{ column: ColumnRec; value: string | null }>;
}

export interface ImportOutcome {
  Total: number;
  Created: number;
  Updated: number;
  Rejected: number;
  Excluded: number;
  skipped: SkippedRow[];
}

/** Applies a job's file to the contacts (see the header): plans every row, then writes. */
export function applyImportFile(ws: Workspace, db: ImportsDb, rec: JobRec): ImportOutcome {
  const account = rec.account;
  const mapping = db.mappings.lookup(ws, rec.MappingID, account);
  if (!mapping) throw dolistError('304', `mapping ${rec.MappingID} no longer exists`, 'MappingID');
  const imp = db.imports.lookup(ws, rec.ImportID, account);
  const text = textOf(Buffer.from(rec.content, 'base64'));
  if (text === undefined) throw dolistError('32', `${rec.FileName} is not a delimited text file`, 'File');
  const rows = dataRows(text, mapping);
  const columns = mappingColumns(ws, db, mapping.ID).filter((c) => c.FieldID !== null && c.ActionID !== FIELD_ACTION.Ignore);
  const skipped: SkippedRow[] = [];
  const plans: RowPlan[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const skip = (type: SkippedRow['type'], code: string | null, reason: string, message: string) => skipped.push({ line: row.line, type, code, reason, message, cells: row.cells });
    const values: RowPlan['values'] = [];
    const stored: Record<string, string> = {};
    let rejected = false;
    for (const column of columns) {
      const cell = row.cells[column.Position - 1] ?? '';
      try {
        const { value } = storedValue(ws, account, column.FieldID!, cell);
        values.push({ column, value });
        if (value !== null) stored[String(column.FieldID)] = value;
      } catch (e) {
        if (!isSimError(e)) throw e;
        const code = String(e.details.code ?? '36');
        skip('Rejected', code, REASONS[code] ?? 'InvalidValue', `column ${column.Position} (${column.Name}): ${String(e.details.detail ?? e.message)}`);
        rejected = true;
        break;
      }
    }
    if (rejected) continue;
    const key = compositeKeyOf(ws, account, stored);
    if (!key) {
      skip('Rejected', '409', REASONS['409'], 'a composite key value is missing');
      continue;
    }
    if (seen.has(key)) {
      skip('Excluded', null, 'DuplicateInFile', 'an earlier row has the same composite key');
      continue;
    }
    seen.add(key);
    const existing = contactByKey(ws, key);
    if (existing && mapping.ActionID === MAPPING_ACTION.CreateOnly) {
      skip('Excluded', null, 'AlreadyExists', `contact ${existing.ID} exists (the mapping creates only)`);
      continue;
    }
    if (!existing && mapping.ActionID === MAPPING_ACTION.UpdateOnly) {
      skip('Excluded', null, 'NotFound', 'no contact has this composite key (the mapping updates only)');
      continue;
    }
    if (existing && isDoNotWrite(ws, existing)) {
      skip('Excluded', null, 'DoNotWrite', `contact ${existing.ID}'s address status forbids writing to it`);
      continue;
    }
    plans.push({ line: row.line, contactId: existing?.ID, values });
  }
  // Writes: every row checked above.
  const now = new Date(ws.now()).toISOString();
  const interests = imp?.InterestIDList ?? [];
  const mode: OperationMode = imp?.OperationMode ?? 'Add';
  let created = 0;
  let updated = 0;
  for (const p of plans) {
    if (p.contactId === undefined) {
      const list: FieldValueInput[] = p.values.filter((v) => v.value !== null).map((v) => ({ ID: v.column.FieldID!, Value: v.value }));
      const links: Record<string, ContactInterestLink> = {};
      if (mode !== 'Remove') for (const id of interests) links[String(id)] = { Origin: ORIGIN.Import, Date: now };
      createContact(ws, account, list, { origin: ORIGIN.Import, interests: links });
      created++;
      continue;
    }
    const list: FieldValueInput[] = [];
    for (const v of p.values) {
      if (v.column.ActionID === FIELD_ACTION.CreateOnly) continue;
      if (v.value === null && v.column.ActionID === FIELD_ACTION.IgnoreIfEmpty) continue;
      list.push({ ID: v.column.FieldID!, Value: v.value });
    }
    updateContact(ws, account, p.contactId, list, { origin: ORIGIN.Import });
    if (interests.length || mode === 'Replace') applyInterests(ws, p.contactId, interests, mode, now);
    updated++;
  }
  return { Total: rows.length, Created: created, Updated: updated, Rejected: skipped.filter((s) => s.type === 'Rejected').length, Excluded: skipped.filter((s) => s.type === 'Excluded').length, skipped };
}

/** The import's interests on one contact: Add, Remove, or Replace its interests by them. */
function applyInterests(ws: Workspace, contactId: number, ids: number[], mode: OperationMode, now: string): void {
  const c = contactsTable(ws).get(String(contactId))!;
  const next: Record<string, ContactInterestLink> = mode === 'Replace' ? {} : { ...c.Interests };
  for (const id of ids) {
    const k = String(id);
    if (mode === 'Remove') delete next[k];
    else next[k] = c.Interests[k] ?? { Origin: ORIGIN.Import, Date: now };
  }
  c.Interests = next;
  contactsTable(ws).put(c);
}

/** The job kind: the record follows the core job (Running, then Done or Error with the counters). */
export function importJobKind(db: ImportsDb): JobKind {
  const recOf = (ws: Workspace, job: Job) => db.jobs.find(ws, Number(job.input.jobId), String(job.input.account));
  return {
    onStart(ws, job) {
      const rec = recOf(ws, job);
      if (!rec) return;
      rec.Status = 'Running';
      rec.StartDate = new Date(ws.now()).toISOString();
      db.jobs.table(ws).put(rec);
    },
    run(ws, job) {
      const rec = recOf(ws, job);
      if (!rec) return null;
      // A savepoint: a run that fails part-way leaves no contact written (the core job catches the error).
      const out = ws.transaction(() => applyImportFile(ws, db, rec));
      Object.assign(rec, { Total: out.Total, Created: out.Created, Updated: out.Updated, Rejected: out.Rejected, Excluded: out.Excluded, skipped: out.skipped });
      db.jobs.table(ws).put(rec);
      return { Total: out.Total, Created: out.Created, Updated: out.Updated, Rejected: out.Rejected, Excluded: out.Excluded };
    },
    onEnd(ws, job) {
      const rec = recOf(ws, job);
      if (!rec) return;
      rec.Status = job.status === 'succeeded' ? 'Done' : 'Error';
      rec.Executed = true;
      rec.EndDate = new Date(ws.now()).toISOString();
      if (rec.StartDate === null) rec.StartDate = rec.EndDate;
      rec.ErrorMessage = job.status === 'succeeded' ? null : job.error ?? job.status;
      rec.NotifiedList = recipientAddresses(ws, db, rec.ImportID);
      db.jobs.table(ws).put(rec);
      // The notice the recipients get, readable in the workspace's events.
      ws.emit(API_ID, 'import_job_ended', {
        JobID: rec.ID,
        ImportID: rec.ImportID,
        Status: rec.Status,
        Recipients: rec.NotifiedList,
        Total: rec.Total,
        Created: rec.Created,
        Updated: rec.Updated,
        Rejected: rec.Rejected,
        Excluded: rec.Excluded,
      });
    },
  };
}

/** The job's counters and progress (from the core job, on the workspace clock). */
export function jobStats(ws: Workspace, rec: JobRec) {
  const core = getJob(ws, rec.coreJob);
  const progress = rec.Status === 'Done' || rec.Status === 'Error' ? 100 : core ? jobView(core, ws.now()).progress : 0;
  return { JobID: rec.ID, Status: rec.Status, Progress: progress, Total: rec.Total, Created: rec.Created, Updated: rec.Updated, Rejected: rec.Rejected, Excluded: rec.Excluded };
}

/** The rows not applied, counted by type and reason (most frequent first). */
export function exclusionStats(rec: JobRec) {
  const counts = new Map<string, { Type: SkippedRow['type']; Code: string | null; Reason: string; Count: number }>();
  for (const s of rec.skipped) {
    const k = `${s.type}|${s.code}|${s.reason}`;
    const e = counts.get(k) ?? { Type: s.type, Code: s.code, Reason: s.reason, Count: 0 };
    e.Count++;
    counts.set(k, e);
  }
  const items = [...counts.values()].sort((a, b) => b.Count - a.Count || a.Reason.localeCompare(b.Reason));
  return { ItemList: items, Total: rec.skipped.length };
}

/** The report: the rows not applied, with why, then the row's values. */
export function jobReport(ws: Workspace, db: ImportsDb, rec: JobRec): string {
  const columns = mappingColumns(ws, db, rec.MappingID).map((c) => c.Name);
  const lines = [csvLine(['Line', 'Type', 'Code', 'Reason', 'Message', ...columns])];
  for (const s of rec.skipped) lines.push(csvLine([s.line, s.type, s.code, s.reason, s.message, ...s.cells]));
  return lines.join('\r\n') + '\r\n';
}
