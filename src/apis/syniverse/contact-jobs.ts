// Contact import and export as core async jobs on the workspace clock: CSV read from an
// uploaded attachment (one contact per row, failures in a CSV of their own) or written to one.
import type { Job, JobKind } from '../../core/jobs.js';
import { createJob, deleteJob } from '../../core/jobs.js';
import { invalid, SimError } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { attachmentText, storeContent } from './attachments.js';
import type { SynCollections } from './collections.js';
import { addMembers, groupMembers } from './contacts.js';
import { writeFastAccess } from './fast-access.js';
import { normalizeMdn } from './numbers.js';
import { API_ID } from './style.js';

/** Column names of the public description (and SDKs) for the seed's attributes. */
const PUBLIC_NAMES: Record<string, string> = { account_list: 'customer_account_list', device_list: 'customer_device_list' };

export const JOB_KIND = { import: 'syniverse.contactimport', export: 'syniverse.contactexport' } as const;

export function contactJobKinds(c: SynCollections): Record<string, JobKind> {
  return {
    [JOB_KIND.import]: {
      onStart: (ws, job) => markJob(ws, c.importJobs, job, 'RUNNING'),
      run: (ws, job) => runImport(ws, c, job),
      onEnd: (ws, job) => markJob(ws, c.importJobs, job, 'COMPLETED'),
    },
    [JOB_KIND.export]: {
      onStart: (ws, job) => markJob(ws, c.exportJobs, job, 'RUNNING'),
      run: (ws, job) => runExport(ws, c, job),
      onEnd: (ws, job) => markJob(ws, c.exportJobs, job, 'COMPLETED'),
    },
  };
}

/** Rows of an attachment's CSV (header included). */
export function csvRowsOf(ws: Workspace, attachmentId: string): string[][] {
  return parseCsv(attachmentText(ws, attachmentId));
}

function markJob(ws: Workspace, coll: SynCollections['importJobs'], job: Job, state: string): void {
  const rec = coll.table(ws).get(String(job.input.record));
  if (!rec) return;
  rec.state = state;
  if (state === 'RUNNING') rec.started_date = ws.nowIso();
  if (state === 'COMPLETED') rec.completed_date = ws.nowIso();
  coll.bump(ws, rec);
}

/** RFC 4180-ish CSV: quoted fields with "" escapes, comma separated, first row = header. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function runImport(ws: Workspace, c: SynCollections, job: Job) {
  const rec = c.importJobs.table(ws).get(String(job.input.record));
  if (!rec) return null;
  const a = c.attachments.table(ws).get(String(rec.import_attachment_id));
  const text = a ? attachmentText(ws, String(a.id)) : '';
  const [header = [], ...rows] = parseCsv(text);
  // The attributes a client may write (not id, stamps, fast access values or the mirrored spellings).
  const fields = new Set(c.contacts.writable('all'));
  const failures: string[][] = [];
  let imported = 0;
  const group = rec.contact_group_id ? c.contactGroups.table(ws).get(String(rec.contact_group_id)) : undefined;
  for (const row of rows) {
    try {
      const values: Record<string, unknown> = {};
      header.forEach((h, i) => {
        const k = PUBLIC_NAMES[h.trim()] ?? h.trim();
        if (!fields.has(k) || k === 'application_id') return;
        values[k] = row[i] === '' || row[i] === undefined ? null : c.contacts.normalize(k, row[i]);
      });
      if (values.primary_mdn && !normalizeMdn(String(values.primary_mdn))) throw new SimError('invalid', `primary_mdn ${values.primary_mdn} is not a phone number`);
      const existing = values.external_id ? c.contacts.table(ws).find((x) => x.external_id === values.external_id) : undefined;
      let contact: Rec;
      if (existing) {
        Object.assign(existing, values);
        contact = c.contacts.bump(ws, existing);
      } else contact = c.contacts.insert(ws, values);
      writeFastAccess(ws, c, contact, undefined);
      if (group) addMembers(ws, c, group, [String(contact.id)]);
      imported++;
    } catch (e) {
      failures.push([...row, e instanceof Error ? e.message : String(e)]);
    }
  }
  rec.imported_count = imported;
  rec.failed_count = failures.length;
  if (failures.length) {
    const fa = c.attachments.insert(ws, { name: 'contact-import-failures', type: 'text/csv', filename: 'failures.csv', state: 'UPLOADED' });
    const csv = [[...header, 'error'], ...failures].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
    fa.size = storeContent(ws, String(fa.id), csv);
    c.attachments.table(ws).touch(fa);
    rec.failures_attachment_id = fa.id;
  }
  c.importJobs.table(ws).touch(rec);
  return { imported, failed: failures.length };
}

function runExport(ws: Workspace, c: SynCollections, job: Job) {
  const rec = c.exportJobs.table(ws).get(String(job.input.record));
  if (!rec) return null;
  const g = rec.contact_group_id ? c.contactGroups.table(ws).get(String(rec.contact_group_id)) : undefined;
  const list = g ? groupMembers(ws, c, g) : [...c.contacts.table(ws).scan()];
  const fields = c.contacts.cfg.shape.fields;
  const csv = [fields.join(','), ...list.map((r) => c.contacts.render(r)).map((r) => fields.map((f) => csvCell(r[f])).join(','))].join('\n') + '\n';
  const a = c.attachments.table(ws).get(String(rec.export_attachment_id));
  if (a) {
    Object.assign(a, { state: 'UPLOADED', size: storeContent(ws, String(a.id), csv) });
    c.attachments.bump(ws, a);
  }
  rec.exported_count = list.length;
  c.exportJobs.table(ws).touch(rec);
  return { exported: list.length };
}

/** POST /contactimport: the attachment must hold content; a group must be STATIC. */
export function createImportJob(ws: Workspace, c: SynCollections, b: Record<string, unknown>): Rec {
  const a = c.attachments.find(ws, String(b.import_attachment_id));
  if (!a) throw invalid(`attachment ${b.import_attachment_id} does not exist`, { field: 'import_attachment_id' });
  if (a.state !== 'UPLOADED') throw invalid(`attachment ${a.id} has no content`, { field: 'import_attachment_id' });
  if (b.contact_group_id) {
    const g = c.contactGroups.find(ws, String(b.contact_group_id));
    if (!g) throw invalid(`contact group ${b.contact_group_id} does not exist`, { field: 'contact_group_id' });
    if (g.type !== 'STATIC') throw invalid(`contact group ${g.id} is DYNAMIC`, { field: 'contact_group_id' });
  }
  const rows = csvRowsOf(ws, String(a.id));
  const rec = c.importJobs.insert(ws, { import_attachment_id: a.id, contact_group_id: b.contact_group_id ?? null, state: 'CREATED', imported_count: 0, failed_count: 0 });
  const job = createJob(ws, { api: API_ID, kind: JOB_KIND.import, total: Math.max(1, rows.length - 1), input: { record: rec.id } });
  rec._job = job.id;
  return rec;
}

/** POST /contactexport: all contacts or a group's, into the given attachment or a new one. */
export function createExportJob(ws: Workspace, c: SynCollections, b: Record<string, unknown>): Rec {
  let groupSize = c.contacts.table(ws).size;
  if (b.contact_group_id) {
    const g = c.contactGroups.find(ws, String(b.contact_group_id));
    if (!g) throw invalid(`contact group ${b.contact_group_id} does not exist`, { field: 'contact_group_id' });
    groupSize = groupMembers(ws, c, g).length;
  }
  let attachmentId = b.export_attachment_id ? String(b.export_attachment_id) : undefined;
  if (attachmentId && !c.attachments.lookup(ws, attachmentId)) throw invalid(`attachment ${attachmentId} does not exist`, { field: 'export_attachment_id' });
  if (!attachmentId) attachmentId = String(c.attachments.insert(ws, { name: 'contact-export', type: 'text/csv', filename: 'contacts.csv' }).id);
  const rec = c.exportJobs.insert(ws, { contact_group_id: b.contact_group_id ?? null, export_attachment_id: attachmentId, state: 'CREATED', exported_count: 0 });
  const job = createJob(ws, { api: API_ID, kind: JOB_KIND.export, total: Math.max(1, groupSize), input: { record: rec.id } });
  rec._job = job.id;
  return rec;
}

/** DELETE of an import or export job: the core job goes with it. */
export function removeContactJob(ws: Workspace, coll: SynCollections['importJobs'], id: string): Rec {
  const rec = coll.remove(ws, id);
  if (rec._job) deleteJob(ws, String(rec._job));
  return rec;
}
