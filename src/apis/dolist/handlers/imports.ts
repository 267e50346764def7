// Imports operations over HTTP: mappings and their columns, the action catalogues, imports,
// their interests and recipients, and import jobs. Plain reads and writes are declared CRUD on
// the area's collections, with guards calling the domain; the multipart uploads, snapshots,
// duplicates, statistics and reports call the domain modules.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import { dolistError } from '../error-catalogue.js';
import { checkUpload } from '../import-files.js';
import { createImportJob, exclusionStats, jobReport, jobStats } from '../import-jobs.js';
import {
  assertColumnUpdateFree,
  assertMappingIdle,
  assertMappingUnused,
  checkColumnTargets,
  columnDefaults,
  createMapping,
  deleteMappingColumns,
  duplicateMapping,
  intOf,
  mappingOf,
  mappingSettings,
  mappingSnapshot,
  prop,
  renderMapping,
  sampleFile,
} from '../import-mappings.js';
import {
  assertImportIdle,
  checkImportMapping,
  deleteImportRecipients,
  importGroupInterests,
  importOf,
  operationModeOf,
  recipientValues,
  setImportInterests,
  typeOf,
} from '../imports.js';
import { importSettings, type ImportRec, type ImportsDb, type MappingRec } from '../imports-db.js';
import { parseJsvOrJson } from '../jsv.js';
import { accountOf, callerAccount, NO_CONTENT, style } from '../style.js';

const CSV = 'text/csv; charset=utf-8';
const JOB_STATUSES = ['Pending', 'Running', 'Done', 'Error'];

/** The uploaded file and the JSON/JSV part `partName` of a multipart body (part names in any case). */
function multipart(ctx: HandlerContext, partName: string) {
  const fields = (ctx.body && typeof ctx.body === 'object' ? ctx.body : {}) as Record<string, unknown>;
  const hasFile = Object.entries(fields).some(([k, v]) => k !== '__filename' && v === '(binary)');
  const file = checkUpload(hasFile ? ctx.rawBody ?? new Uint8Array() : undefined, typeof fields.__filename === 'string' ? fields.__filename : undefined, importSettings(ctx.ws).maxFileBytes);
  let raw = prop(fields, partName);
  if (Array.isArray(raw)) raw = raw[0];
  if (raw === undefined || raw === '(binary)') throw dolistError('36', `the multipart body has no ${partName} part`, partName);
  let part: unknown;
  try {
    part = parseJsvOrJson(String(raw));
  } catch (e) {
    throw dolistError('36', `the ${partName} part is neither JSON nor JSV: ${(e as Error).message}`, partName);
  }
  if (!part || typeof part !== 'object' || Array.isArray(part)) throw dolistError('36', `the ${partName} part must be an object such as {Name:...}`, partName);
  return { file, part: part as Record<string, unknown> };
}

const bodyOf = (ctx: HandlerContext) => (ctx.body && typeof ctx.body === 'object' ? (ctx.body as Record<string, unknown>) : {});

export function importHandlers(db: ImportsDb): Record<string, Handler> {
  const account = callerAccount;
  const mappingPartition = (ctx: HandlerContext) => String(mappingOf(ctx.ws, db, account(ctx), ctx.params.MappingID).ID);
  const importPartition = (ctx: HandlerContext) => String(importOf(ctx.ws, db, account(ctx), ctx.params.ImportID).ID);
  const jobOf = (ctx: HandlerContext) => db.jobs.view(ctx.ws, ctx.params.JobID, account(ctx));
  const checkMappingFilter = (ctx: HandlerContext) => {
    const id = ctx.query.MappingID;
    if (id !== undefined && id !== null && id !== '') mappingOf(ctx.ws, db, account(ctx), Number(id));
  };

  const declared = crud(style, {
    // mappings
    listImportMappings: { collection: db.mappings, action: 'list', partition: account, render: (m: MappingRec, ctx) => renderMapping(ctx.ws, db, m) },
    getImportMapping: { collection: db.mappings, action: 'get', partition: account, render: (m: MappingRec, ctx) => renderMapping(ctx.ws, db, m) },
    updateImportMapping: {
      collection: db.mappings,
      action: 'update',
      partition: account,
      guard: (ctx, m) => {
        mappingSettings(ctx.ws, db, bodyOf(ctx));
        assertMappingIdle(ctx.ws, db, m!.ID, '307');
      },
    },
    deleteImportMapping: {
      collection: db.mappings,
      action: 'delete',
      partition: account,
      guard: (ctx, m) => assertMappingUnused(ctx.ws, db, m!.ID),
      after: (ctx, m) => deleteMappingColumns(ctx.ws, db, m.ID),
    },
    listImportMappingActions: { collection: db.mappingActions, action: 'list' },
    listImportMappingFields: { collection: db.fieldActions, action: 'list' },
    // columns
    listImportMappingColumns: { collection: db.columns, action: 'list', partition: mappingPartition },
    getImportMappingColumn: { collection: db.columns, action: 'get', partition: mappingPartition },
    createImportMappingColumn: {
      collection: db.columns,
      action: 'create',
      partition: mappingPartition,
      guard: (ctx) => {
        assertMappingIdle(ctx.ws, db, Number(ctx.params.MappingID), '312');
        checkColumnTargets(ctx.ws, db, account(ctx), bodyOf(ctx));
      },
      extra: (ctx) => columnDefaults(ctx.ws, db, account(ctx), Number(ctx.params.MappingID), bodyOf(ctx)),
    },
    updateImportMappingColumn: {
      collection: db.columns,
      action: 'update',
      partition: mappingPartition,
      guard: (ctx, c) => {
        assertMappingIdle(ctx.ws, db, c!.MappingID, '313');
        checkColumnTargets(ctx.ws, db, account(ctx), bodyOf(ctx));
        assertColumnUpdateFree(ctx.ws, db, c!, bodyOf(ctx));
      },
    },
    deleteImportMappingColumn: {
      collection: db.columns,
      action: 'delete',
      partition: mappingPartition,
      guard: (ctx, c) => assertMappingIdle(ctx.ws, db, c!.MappingID, '314'),
    },
    // imports
    listImports: { collection: db.imports, action: 'list', partition: account, guard: checkMappingFilter },
    getImport: { collection: db.imports, action: 'get', partition: account },
    createImport: {
      collection: db.imports,
      action: 'create',
      partition: account,
      guard: (ctx) => {
        const name = prop(bodyOf(ctx), 'Name');
        if (typeof name !== 'string' || !name.trim()) throw dolistError('36', 'Name is required', 'Name');
        checkImportMapping(ctx.ws, db, account(ctx), bodyOf(ctx), true);
      },
      extra: (ctx) => ({ Type: typeOf(prop(bodyOf(ctx), 'Pattern')), InterestIDList: [], OperationMode: 'Add' }),
    },
    updateImport: {
      collection: db.imports,
      action: 'update',
      partition: account,
      guard: (ctx, imp) => {
        const name = prop(bodyOf(ctx), 'Name');
        if (name !== undefined && (typeof name !== 'string' || !name.trim())) throw dolistError('36', 'Name must be a non-empty string', 'Name');
        checkImportMapping(ctx.ws, db, account(ctx), bodyOf(ctx), false);
        assertImportIdle(ctx.ws, db, imp!.ID, '320');
      },
      after: (ctx, imp) => {
        const type = typeOf(imp.Pattern);
        if (imp.Type !== type) {
          imp.Type = type;
          db.imports.table(ctx.ws).put(imp);
        }
      },
    },
    deleteImport: {
      collection: db.imports,
      action: 'delete',
      partition: account,
      guard: (ctx, imp) => assertImportIdle(ctx.ws, db, imp!.ID, '321'),
      after: (ctx, imp) => deleteImportRecipients(ctx.ws, db, imp.ID),
    },
    listImportsWithJobs: {
      collection: db.imports,
      action: 'list',
      partition: account,
      guard: (ctx) => {
        const n = Number(ctx.query.JobPerImport);
        if (!Number.isInteger(n) || n < 0) throw dolistError('36', 'JobPerImport must be an integer from 0', 'JobPerImport');
        checkMappingFilter(ctx);
      },
      render: (imp: ImportRec, ctx) => {
        const n = Number(ctx.query.JobPerImport);
        const jobs = db.jobs
          .table(ctx.ws)
          .lookup('ImportID', imp.ID)
          .slice()
          .sort((a, b) => b.ID - a.ID)
          .slice(0, n);
        return { ...db.imports.render(imp), JobList: jobs.map((j) => db.jobs.render(j)) };
      },
    },
    // recipients
    listImportRecipients: { collection: db.recipients, action: 'list', partition: importPartition },
    createImportRecipient: {
      collection: db.recipients,
      action: 'create',
      partition: importPartition,
      extra: (ctx) => ({ ...recipientValues(ctx.ws, accountOf(ctx), bodyOf(ctx)), ImportID: Number(ctx.params.ImportID) }),
    },
    deleteImportRecipient: {
      collection: db.recipients,
      action: 'delete',
      partition: importPartition,
      guard: (ctx) => assertImportIdle(ctx.ws, db, Number(ctx.params.ImportID), '329'),
    },
    // jobs
    listImportJobs: {
      collection: db.jobs,
      action: 'list',
      partition: account,
      guard: (ctx) => {
        const s = ctx.query.Status;
        if (s !== undefined && s !== '' && !JOB_STATUSES.some((x) => x.toLowerCase() === String(s).toLowerCase())) throw dolistError('36', `Status must be one of ${JOB_STATUSES.join(', ')}`, 'Status');
      },
    },
    getImportJob: { collection: db.jobs, action: 'get', partition: account },
  });

  return {
    ...declared,
    getImportMappingSampleFile: (ctx) => ({
      status: 200,
      raw: { data: sampleFile(ctx.ws, account(ctx)), contentType: CSV },
      headers: { 'content-disposition': `attachment; filename="import-sample-${account(ctx)}.csv"` },
    }),
    createImportMapping: (ctx) => {
      const { file, part } = multipart(ctx, 'Mapping');
      const m = createMapping(ctx.ws, db, account(ctx), file, part);
      return { status: 201, body: { ID: m.ID } };
    },
    getImportMappingSnapshot: (ctx) => ({ status: 200, body: mappingSnapshot(ctx.ws, db, mappingOf(ctx.ws, db, account(ctx), ctx.params.MappingID)) }),
    duplicateImportMapping: (ctx) => {
      const m = mappingOf(ctx.ws, db, account(ctx), ctx.params.MappingID);
      const copy = duplicateMapping(ctx.ws, db, account(ctx), m, bodyOf(ctx));
      return { status: 201, body: { ID: copy.ID } };
    },
    updateImportInterests: (ctx) => {
      const imp = importOf(ctx.ws, db, account(ctx), ctx.params.ImportID);
      const mode = operationModeOf(ctx.query.OperationMode);
      setImportInterests(ctx.ws, db, account(ctx), imp.ID, mode, prop(bodyOf(ctx), 'InterestIDList'));
      return NO_CONTENT;
    },
    listImportGroupinterests: (ctx) => {
      const imp = importOf(ctx.ws, db, account(ctx), ctx.params.ImportID);
      const groups = importGroupInterests(ctx.ws, account(ctx), imp);
      const offset = intOf(ctx.query.Offset, 'Offset') ?? 0;
      const limit = intOf(ctx.query.Limit, 'Limit');
      if (offset < 0) throw dolistError('36', 'Offset must be 0 or more', 'Offset');
      if (limit !== undefined && (limit < 0 || limit > 1000)) throw dolistError('36', 'Limit must be from 0 to 1000', 'Limit');
      return { status: 200, body: { ItemList: groups.slice(offset, limit === undefined ? undefined : offset + limit), Total: groups.length } };
    },
    createImportJob: (ctx) => {
      const { file, part } = multipart(ctx, 'Job');
      const job = createImportJob(ctx.ws, db, account(ctx), file, part);
      return { status: 201, body: { ID: job.ID } };
    },
    getImportJobStats: (ctx) => ({ status: 200, body: jobStats(ctx.ws, jobOf(ctx)) }),
    getImportJobExclusionStats: (ctx) => ({ status: 200, body: exclusionStats(jobOf(ctx)) }),
    getImportJobReport: (ctx) => {
      const job = jobOf(ctx);
      return { status: 200, raw: { data: jobReport(ctx.ws, db, job), contentType: CSV }, headers: { 'content-disposition': `attachment; filename="import-job-${job.ID}-report.csv"` } };
    },
  };
}
