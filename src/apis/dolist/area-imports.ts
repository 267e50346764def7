// The imports area of the Dolist API (see area.ts): import mappings (made from a sample file)
// and their columns, the action catalogues, imports with their interests and recipients, and
// import jobs that read an uploaded file into the contacts on the workspace clock (job kind
// `dolist.import`). What imports use is registered for the fields' and interests' usage
// endpoints: mappings use fields (type 6), imports use interests and their groups (type 8).
import type { Area } from './area.js';
import { importHandlers } from './handlers/imports.js';
import { IMPORT_JOB_KIND, importJobKind } from './import-jobs.js';
import { mappingColumns } from './import-mappings.js';
import { importsDb, loadImportCatalogues, type ImportsDb } from './imports-db.js';
import { findInterest, interestsTable } from './interests.js';
import { registerUsage } from './usage.js';
import type { Workspace } from '../../core/workspace.js';

function registerImportUsage(db: ImportsDb): void {
  const accountImports = (ws: Workspace, account: string) => db.imports.table(ws).lookup('account', account);
  registerUsage('import-mappings', 'field', 6, (ws, account, id) =>
    db.mappings
      .table(ws)
      .lookup('account', account)
      .filter((m) => mappingColumns(ws, db, m.ID).some((c) => c.FieldID === id))
      .map((m) => ({ ID: m.ID, Name: m.Name })),
  );
  registerUsage('imports', 'interest', 8, (ws, account, id) => accountImports(ws, account).filter((i) => i.InterestIDList.includes(id)).map((i) => ({ ID: i.ID, Name: i.Name })));
  registerUsage('imports', 'group', 8, (ws, account, id) =>
    accountImports(ws, account)
      .filter((i) => i.InterestIDList.some((iid) => (findInterest(ws, account, iid) ?? interestsTable(ws).peek(String(iid)))?.GroupID === id))
      .map((i) => ({ ID: i.ID, Name: i.Name })),
  );
}

export const importsArea: Area = (spec) => {
  const db = importsDb(spec);
  registerImportUsage(db);
  return {
    handlers: importHandlers(db),
    jobKinds: { [IMPORT_JOB_KIND]: importJobKind(db) },
    setup: (ws) => loadImportCatalogues(ws, db),
  };
};
