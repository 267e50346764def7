// Import and sync: JSON files (arrays of entries) are uploaded to the dedicated storage; a sync
// takes every stored file of its kind as an async core job and upserts each entry by its
// externalId (the connection of system "Default"): contacts `{externalId, contactTypeId?,
// username?, details}`, legal entities `{externalId, details, contacts?}`. An entry that fails is
// undone alone and listed in failedExternalIds. The status is read from the job. No HTTP.
import { Collection } from '../../core/engine/collection.js';
import { shapeFromKinds } from '../../core/engine/shape.js';
import { invalid, isSimError, notFound } from '../../core/errors.js';
import { createJob, getJob, type Job, type JobKind } from '../../core/jobs.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { principalOf } from './auth.js';
import { addExternalConnection, contacts, createContact, updateDetails, updateUsername, type ContactRec } from './contacts.js';
import { createLegalEntity, legalEntities, replaceLegalEntityDetails, resolveLinks, type LinkInput } from './legal-entities.js';
import { additivFixtures, API_ID, style } from './style.js';

export type ImportKind = 'contacts' | 'legalentities';
export const IMPORT_SYSTEM = 'Default';

export interface ImportFileRec extends Rec {
  kind: ImportKind;
  fileName: string;
  fileLength: number;
  uploadDate: string;
  entries: Array<Record<string, unknown>>;
}

export interface SyncRec extends Rec {
  kind: ImportKind;
  jobId: string;
}

export const importFiles = new Collection<ImportFileRec>({
  api: style,
  name: 'import_files',
  label: 'import file',
  shape: shapeFromKinds({ id: 'integer', kind: 'string', fileName: 'string', fileLength: 'integer', uploadDate: 'date', entries: 'objectArray' }),
  indexes: ['kind'],
});

export const syncs = new Collection<SyncRec>({
  api: style,
  name: 'syncs',
  label: 'sync',
  shape: shapeFromKinds({ id: 'string', kind: 'string', jobId: 'string' }),
  resource: { id: { field: 'id', kind: 'uuid', type: 'string' } },
  errorField: 'statusId',
});

export const SYNC_JOB = { contacts: 'additiv.sync.contacts', legalentities: 'additiv.sync.legalentities' } as const;

export interface UploadedFile {
  fileName: string | null;
  /** The file's text, or its parsed JSON. */
  content: unknown;
}

/** Stores uploaded files (each an array of entries with an externalId). */
export function uploadFiles(ws: Workspace, kind: ImportKind, files: UploadedFile[]) {
  if (!files.length) throw invalid('no file was uploaded', { field: 'files' });
  const out = [];
  for (const [i, f] of files.entries()) {
    const text = typeof f.content === 'string' ? f.content : JSON.stringify(f.content);
    let entries: unknown;
    try {
      entries = typeof f.content === 'string' ? JSON.parse(f.content) : f.content;
    } catch (e) {
      throw invalid(`file ${f.fileName ?? i + 1} is not JSON: ${(e as Error).message}`, { field: 'files' });
    }
    if (!Array.isArray(entries)) throw invalid(`file ${f.fileName ?? i + 1} must hold a JSON array of entries`, { field: 'files' });
    for (const [n, e] of entries.entries()) {
      if (!e || typeof e !== 'object' || Array.isArray(e)) throw invalid(`file ${f.fileName ?? i + 1}: entry ${n} is not an object`, { field: 'files' });
      const ext = (e as Record<string, unknown>).externalId;
      if (typeof ext !== 'string' || !ext) throw invalid(`file ${f.fileName ?? i + 1}: entry ${n} has no externalId`, { field: 'files' });
    }
    const rec = importFiles.insert(ws, {
      kind,
      fileName: f.fileName || `${kind}-${ws.now()}-${i + 1}.json`,
      fileLength: Buffer.byteLength(text, 'utf8'),
      uploadDate: new Date(ws.now()).toISOString(),
      entries: entries as Array<Record<string, unknown>>,
    });
    out.push({ fileName: rec.fileName, fileLength: rec.fileLength, uploadDate: rec.uploadDate });
  }
  return { files: out };
}

/** Starts syncing every stored file of the kind (the files leave the storage). */
export function startSync(ws: Workspace, kind: ImportKind): SyncRec {
  const t = importFiles.table(ws);
  const files = t.where('kind', kind);
  if (!files.length) throw invalid(`no ${kind === 'contacts' ? 'contact' : 'legal entity'} files in the storage: upload some first`, { field: 'files' });
  const entries = files.flatMap((f) => f.entries);
  for (const f of files) t.remove(f.id);
  const cfg = additivFixtures(ws).jobs;
  const rec = syncs.insert(ws, { kind, jobId: '' });
  const job = createJob(ws, { api: API_ID, kind: SYNC_JOB[kind], total: entries.length, rate: cfg.syncRate, queueMs: cfg.syncQueueMs, input: { statusId: rec.id, entries } });
  rec.jobId = job.id;
  syncs.table(ws).touch(rec);
  return rec;
}

function syncContact(ws: Workspace, e: Record<string, unknown>): void {
  const externalId = String(e.externalId);
  const app = principalOf(ws, 'appToken');
  const existing = contacts.table(ws).lookup('externalIds', externalId).find((c) => c.externalConnections.some((x) => x.system === IMPORT_SYSTEM && x.externalId === externalId));
  if (existing) {
    const c = contacts.get(ws, Number(existing.id)) as ContactRec;
    if (e.details !== undefined) updateDetails(ws, c, e.details, { mode: 'patch', principal: app });
    if (typeof e.username === 'string' && e.username !== c.username) updateUsername(ws, c, e.username);
    return;
  }
  const c = createContact(ws, {
    contactTypeId: typeof e.contactTypeId === 'number' ? e.contactTypeId : null,
    username: typeof e.username === 'string' ? e.username : null,
    details: e.details,
  });
  addExternalConnection(ws, c, { externalId, system: IMPORT_SYSTEM });
}

function syncLegalEntity(ws: Workspace, e: Record<string, unknown>): void {
  const externalId = String(e.externalId);
  const [existing] = legalEntities.table(ws).lookup('externalId', externalId);
  if (existing) {
    const rec = legalEntities.get(ws, Number(existing.id));
    replaceLegalEntityDetails(ws, rec, e.details);
    if (Array.isArray(e.contacts)) {
      rec.contacts = resolveLinks(ws, e.contacts as LinkInput[]);
      rec.contactIds = rec.contacts.map((l) => l.contactId);
      legalEntities.table(ws).touch(rec);
    }
    return;
  }
  createLegalEntity(ws, { details: e.details, contacts: e.contacts as LinkInput[] | undefined, externalId });
}

function syncJobKind(kind: ImportKind): JobKind {
  return {
    run(ws: Workspace, job: Job) {
      const failed: string[] = [];
      const errors: string[] = [];
      for (const e of job.input.entries as Array<Record<string, unknown>>) {
        try {
          ws.transaction(() => (kind === 'contacts' ? syncContact(ws, e) : syncLegalEntity(ws, e)));
        } catch (err) {
          if (!isSimError(err)) throw err;
          failed.push(String(e.externalId));
          errors.push(`${String(e.externalId)}: ${err.message}`);
        }
      }
      const total = (job.input.entries as unknown[]).length;
      ws.emit(API_ID, 'import.synced', { statusId: job.input.statusId, kind, total, failed: failed.length });
      return { failedExternalIds: failed, errorMessage: errors.length ? errors.join('; ') : null, allFailed: total > 0 && failed.length === total };
    },
  };
}

export const syncJobKinds: Record<string, JobKind> = {
  [SYNC_JOB.contacts]: syncJobKind('contacts'),
  [SYNC_JOB.legalentities]: syncJobKind('legalentities'),
};

/** InProgress while the job waits or runs; Completed (some entries may have failed) or Failed. */
export function syncStatus(ws: Workspace, statusId: string) {
  const rec = syncs.lookup(ws, statusId.toLowerCase());
  const job = rec ? getJob(ws, rec.jobId) : undefined;
  if (!rec || !job) throw notFound(`sync ${statusId} not found`, { field: 'statusId' });
  if (job.status === 'queued' || job.status === 'running') return { status: 'InProgress', errorMessage: null, failedExternalIds: [] };
  if (job.status !== 'succeeded') return { status: 'Failed', errorMessage: job.error ?? `the sync was ${job.status}`, failedExternalIds: [] };
  const r = job.result as { failedExternalIds: string[]; errorMessage: string | null; allFailed: boolean };
  return { status: r.allFailed ? 'Failed' : 'Completed', errorMessage: r.errorMessage, failedExternalIds: r.failedExternalIds };
}
