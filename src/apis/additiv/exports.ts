// Exports of contacts and legal entities as CSV: an async core job per request, filtered by the
// GraphQL `where` of the request (checked when the export starts), run on the workspace clock;
// the CSV (an `id` column, then the schema fields marked isExportable) is built from the state at
// the end of the run and downloadable once the job succeeded. No HTTP.
import { Collection } from '../../core/engine/collection.js';
import { shapeFromKinds } from '../../core/engine/shape.js';
import { invalid, notFound } from '../../core/errors.js';
import { createJob, getJob, type Job, type JobKind } from '../../core/jobs.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { accessibleContactIds, contacts, type ContactRec } from './contacts.js';
import { compileWhere, matches, parseQuery, type FieldKind, type Filter } from './graphql.js';
import { legalEntities, type LegalEntityRec } from './legal-entities.js';
import { contactSchema, getPath, legalEntitySchema, type SchemaRec } from './schemas.js';
import { additivFixtures, API_ID, style } from './style.js';

export type ExportKind = 'contacts' | 'legalentities';

export interface ExportRec extends Rec {
  kind: ExportKind;
  jobId: string;
  filter: Filter | null;
  /** The member who asked: only the contacts it has access to are exported (null: an app, all). */
  memberId: number | null;
}

export const exportsCollection = new Collection<ExportRec>({
  api: style,
  name: 'exports',
  label: 'export job',
  shape: shapeFromKinds({ id: 'string', kind: 'string', jobId: 'string', filter: 'object', memberId: 'integer' }),
  resource: { id: { field: 'id', kind: 'uuid', type: 'string' } },
  errorField: 'exportJobId',
});

export const EXPORT_JOB = { contacts: 'additiv.export.contacts', legalentities: 'additiv.export.legalentities' } as const;

const KIND_OF_FIELD: Record<string, FieldKind> = { Boolean: 'boolean', Number: 'number', Decimal: 'number', Currency: 'number', Date: 'date', DateTime: 'date' };

/** The fields a `where` may name: the entity's own attributes and its schema's fields. */
function filterFields(ws: Workspace, kind: ExportKind): Map<string, FieldKind> {
  const out = new Map<string, FieldKind>([['id', 'number']]);
  if (kind === 'contacts') {
    out.set('uId', 'string').set('username', 'string').set('contactTypeId', 'number');
    for (const f of contactSchema(ws).fields) out.set(f.key, KIND_OF_FIELD[f.fieldType] ?? 'string');
  } else {
    out.set('contactGroupId', 'number');
    for (const f of legalEntitySchema(ws).fields) out.set(`details.${f.key}`, KIND_OF_FIELD[f.fieldType] ?? 'string');
  }
  return out;
}

/** The filter of an export request body: empty (everything) or a GraphQL query on the right root field. */
export function exportFilter(ws: Workspace, kind: ExportKind, text: string | undefined): Filter | null {
  if (text === undefined || !text.trim()) return null;
  const q = parseQuery(text);
  const roots = kind === 'contacts' ? ['contacts'] : ['legalentities', 'legalEntities'];
  if (!roots.includes(q.root)) throw invalid(`the query must select '${roots[0]}' (found '${q.root}' at position ${q.rootPos})`, { field: 'query', position: q.rootPos });
  return q.where ? compileWhere(text, q.where, filterFields(ws, kind)) : null;
}

export function startExport(ws: Workspace, kind: ExportKind, filter: Filter | null, memberId: number | null = null): ExportRec {
  const f = additivFixtures(ws).jobs;
  const total = kind === 'contacts' ? contacts.table(ws).size : legalEntities.table(ws).size;
  const rec = exportsCollection.insert(ws, { kind, filter, jobId: '', memberId });
  const job = createJob(ws, { api: API_ID, kind: EXPORT_JOB[kind], total, rate: f.exportRate, queueMs: f.exportQueueMs, input: { exportJobId: rec.id } });
  rec.jobId = job.id;
  exportsCollection.table(ws).touch(rec);
  ws.emit(API_ID, 'export.started', { exportJobId: rec.id, kind });
  return rec;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvLine = (cells: unknown[]) => cells.map(csvCell).join(',');

function exportable(schema: SchemaRec): string[] {
  return schema.fields.filter((f) => f.isExportable).map((f) => f.key);
}

/** The CSV of the entities matching the filter, as the state is now. */
export function buildCsv(ws: Workspace, kind: ExportKind, filter: Filter | null, memberId: number | null = null): { csv: string; rows: number } {
  const lines: string[] = [];
  let rows = 0;
  if (kind === 'contacts') {
    const cols = exportable(contactSchema(ws));
    lines.push(csvLine(['id', ...cols]));
    const visible = accessibleContactIds(ws, memberId, false);
    for (const c of contacts.table(ws).scan() as Iterable<ContactRec>) {
      if (visible && !visible.has(Number(c.id))) continue;
      const read = (p: string) => (p === 'id' ? Number(c.id) : p === 'uId' || p === 'username' || p === 'contactTypeId' ? c[p] : getPath(c.details, p));
      if (filter && !matches(filter, read)) continue;
      lines.push(csvLine([Number(c.id), ...cols.map((k) => getPath(c.details, k))]));
      rows++;
    }
  } else {
    const cols = exportable(legalEntitySchema(ws));
    lines.push(csvLine(['id', ...cols]));
    for (const e of legalEntities.table(ws).scan() as Iterable<LegalEntityRec>) {
      const read = (p: string) => (p === 'id' ? Number(e.id) : p === 'contactGroupId' ? e.contactGroupId : getPath(e.details, p.replace(/^details\./, '')));
      if (filter && !matches(filter, read)) continue;
      lines.push(csvLine([Number(e.id), ...cols.map((k) => getPath(e.details, k))]));
      rows++;
    }
  }
  return { csv: lines.join('\r\n') + '\r\n', rows };
}

function exportJobKind(kind: ExportKind): JobKind {
  return {
    run(ws: Workspace, job: Job) {
      const rec = exportsCollection.lookup(ws, String(job.input.exportJobId));
      if (!rec) throw notFound(`export ${String(job.input.exportJobId)} vanished`);
      const out = buildCsv(ws, kind, rec.filter, rec.memberId ?? null);
      ws.emit(API_ID, 'export.completed', { exportJobId: rec.id, kind, rows: out.rows });
      return out;
    },
  };
}

export const exportJobKinds: Record<string, JobKind> = {
  [EXPORT_JOB.contacts]: exportJobKind('contacts'),
  [EXPORT_JOB.legalentities]: exportJobKind('legalentities'),
};

/** The CSV of a finished export (404 unknown or of the other kind; 400 while it runs or when it failed). */
export function downloadExport(ws: Workspace, kind: ExportKind, exportJobId: string): string {
  const rec = exportsCollection.lookup(ws, exportJobId.toLowerCase());
  if (!rec || rec.kind !== kind) throw notFound(`${kind === 'contacts' ? 'contacts' : 'legal-entities'} export job ${exportJobId} not found`, { field: 'exportJobId' });
  const job = getJob(ws, rec.jobId);
  if (!job) throw notFound(`export job ${exportJobId} not found`, { field: 'exportJobId' });
  if (job.status === 'failed') throw invalid(`export job ${exportJobId} failed: ${job.error ?? 'unknown error'}`, { field: 'exportJobId' });
  if (job.status !== 'succeeded') throw invalid(`export job ${exportJobId} is not completed yet (${job.status}): try again later`, { field: 'exportJobId' });
  return (job.result as { csv: string }).csv;
}
