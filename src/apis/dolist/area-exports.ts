// The exports area of the Dolist API (see area.ts): exports, export mappings and their columns,
// filters, recipients, jobs and their files; the account's files, the creative-commons library
// and remotes.
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { Area } from './area.js';
import { ID_START_MAPPINGS, MAPPINGS_TABLE, loadSystemMappings, type ExportMappingRec } from './export-mappings.js';
import { EXPORT_JOB_KIND, exportJobKind, type ExportRec } from './exports.js';
import { loadFiles } from './files.js';
import { exportsHandlers } from './handlers/exports.js';
import { filesHandlers } from './handlers/files.js';
import { remotesCollection } from './remotes.js';
import { style } from './style.js';

export const exportsArea: Area = (spec) => {
  // Reads (lists, search, get) go through the engine; writes are the domain modules'.
  const exports = new Collection<ExportRec>({
    api: style,
    name: 'exports',
    label: 'export',
    shape: shapeOf(spec.schemas.Export),
    partition: 'account',
    codes: { notFound: '1301' },
    errorField: 'ExportID',
    search: ['Name', 'FileName'],
    filters: {
      PlanningType: { field: 'PlanningType', caseInsensitive: true },
      LastStatus: { field: 'LastStatus', caseInsensitive: true },
      TypeID: { field: 'TypeID' },
      MappingID: { field: 'MappingID' },
    },
    resource: { id: { field: 'ID', kind: 'sequence', type: 'integer', start: 3001 } },
  });
  const mappings = new Collection<ExportMappingRec>({
    api: style,
    name: MAPPINGS_TABLE,
    label: 'export mapping',
    shape: shapeOf(spec.schemas.ExportMapping),
    partition: 'account',
    codes: { notFound: '1302' },
    errorField: 'MappingID',
    search: ['Name'],
    filters: { TypeID: { field: 'TypeID' } },
    resource: { id: { field: 'ID', kind: 'sequence', type: 'integer', start: ID_START_MAPPINGS } },
  });
  const remotes = remotesCollection(spec);
  return {
    handlers: { ...exportsHandlers({ exports, mappings }), ...filesHandlers({ remotes }) },
    jobKinds: { [EXPORT_JOB_KIND]: exportJobKind },
    setup: (ws) => {
      loadSystemMappings(ws);
      loadFiles(ws);
    },
  };
};
