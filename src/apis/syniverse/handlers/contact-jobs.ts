// HTTP <-> domain for contact import and export jobs (core jobs on the workspace clock, CSV in attachments).
import type { OperationHandlers } from '../../../core/contract-types.js';
import { crudActions } from '../../../core/crud.js';
import type { SynCollections } from '../collections.js';
import { createExportJob, createImportJob, removeContactJob } from '../contact-jobs.js';
import type { operations } from '../generated/contract.js';
import { style, idAnswer as ok } from '../style.js';


export function contactJobHandlers(c: SynCollections): OperationHandlers<operations> {
  const importJobs = crudActions(style, c.importJobs);
  const exportJobs = crudActions(style, c.exportJobs);
  return {
    listContactImportJobs: importJobs.list,
    getContactImportJob: importJobs.get,
    createContactImportJob: (ctx) => ok(createImportJob(ctx.ws, c, ctx.body ?? {})),
    deleteContactImportJob: (ctx) => ok(removeContactJob(ctx.ws, c.importJobs, ctx.params.Job_ID)),
    listContactExportJobs: exportJobs.list,
    getContactExportJob: exportJobs.get,
    createContactExportJob: (ctx) => ok(createExportJob(ctx.ws, c, ctx.body ?? {})),
    deleteContactExportJob: (ctx) => ok(removeContactJob(ctx.ws, c.exportJobs, ctx.params.Job_ID)),
  };
}
