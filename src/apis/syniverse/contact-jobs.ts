// Contact import and export as core async jobs on the workspace clock: CSV read from an
// uploaded attachment (one contact per row, failures in a CSV of their own) or written to one.
import type { Job, JobKind } from '../../core/jobs.js';
import { SimError } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { attachmentText, storeContent } from './attachments.js';
import type { SynCollections } from './collections.js';
import { groupMembers } from './contacts.js';
import { normalizeMdn } from './numbers.js';

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
  const fields = new Set(c.contacts.cfg.shape.fields);
  const failures: string[][] = [];
  let imported = 0;
  const group = rec.contact_group_id ? c.contactGroups.table(ws).get(String(rec.contact_group_id)) : undefined;
  for (const row of rows) {
    try {
      const values: Record<string, unknown> = {};
      header.forEach((h, i) => {
        const k = h.trim();
        if (!fields.has(k) || ['id', 'version_number', 'created_date', 'last_updated_date', 'application_id', 'fast_access'].includes(k)) return;
        values[k] = row[i] === '' || row[i] === undefined ? null : c.contacts.normalize(k, row[i]);
      });
      if (values.primary_mdn && !normalizeMdn(String(values.primary_mdn))) throw new SimError('invalid', `primary_mdn ${values.primary_mdn} is not a phone number`);
      const existing = values.external_id ? c.contacts.table(ws).find((x) => x.external_id === values.external_id) : undefined;
      let contact: Rec;
      if (existing) {
        Object.assign(existing, values);
        contact = c.contacts.bump(ws, existing);
      } else contact = c.contacts.insert(ws, values);
      if (group && !((group._members as string[]) ?? []).includes(String(contact.id))) {
        group._members = [...((group._members as string[]) ?? []), String(contact.id)];
        c.contactGroups.bump(ws, group);
      }
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
  const csv = [fields.join(','), ...list.map((r) => fields.map((f) => csvCell(r[f])).join(','))].join('\n') + '\n';
  const a = c.attachments.table(ws).get(String(rec.export_attachment_id));
  if (a) {
    Object.assign(a, { state: 'UPLOADED', size: storeContent(ws, String(a.id), csv) });
    c.attachments.bump(ws, a);
  }
  rec.exported_count = list.length;
  c.exportJobs.table(ws).touch(rec);
  return { exported: list.length };
}
