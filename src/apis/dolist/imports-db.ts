// The imports area's records and their collections (engine tables, partitioned by account or
// by parent): import mappings and their columns, the two action catalogues, imports, their
// notification recipients, and import jobs. Ids come from one counter per resource across
// accounts (an id of another account is simply not found), starting at realistic magnitudes
// (the reference's example import is 10104). Settings of the area are the fixtures' `imports`
// key, typed here.
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { Rec } from '../../core/record.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { separatorOf } from './import-csv.js';
import { dolistFixtures, style } from './style.js';

/** What a row does to the contacts (the mapping's `ActionID`; `/imports/mappings/actions`). */
export const MAPPING_ACTION = { CreateOrUpdate: 1, CreateOnly: 2, UpdateOnly: 3 } as const;
/** What a column's value does to its field (a column's `ActionID`; `/imports/mappings/fields`). */
export const FIELD_ACTION = { Overwrite: 1, IgnoreIfEmpty: 2, CreateOnly: 3, Ignore: 4 } as const;

export interface ImportSettings {
  /** Upload limit ([28]). */
  maxFileBytes: number;
  /** A job's time in the queue, and rows it reads per second of virtual time. */
  queueMs: number;
  rowsPerSecond: number;
  /** Rows a snapshot shows. */
  snapshotRows: number;
  mappingActions: Array<{ ID: number; Name: string; Description: string }>;
  fieldActions: Array<{ ID: number; Name: string; Description: string }>;
  /** Header names (normalised: lower case, no accents or punctuation) -> field ID, beyond the fields' own names. */
  headerAliases: Record<string, number>;
}

export const importSettings = (ws: Workspace) => dolistFixtures(ws).imports as ImportSettings;

export interface MappingRec extends Rec {
  ID: number;
  account: string;
  Name: string;
  FileName: string;
  Separator: string;
  ContainsColumns: boolean;
  ContainsQuotes: boolean;
  ActionID: number;
  /** The sample file, base64 (the snapshot reads it again). */
  sample: string | null;
}

export interface ColumnRec extends Rec {
  ID: number;
  /** The mapping's ID as a string (partition). */
  mapping: string;
  MappingID: number;
  Name: string;
  Position: number;
  FieldID: number | null;
  ActionID: number;
}

export interface ActionRec extends Rec {
  ID: number;
  Name: string;
  Description: string;
}

export type OperationMode = 'Add' | 'Remove' | 'Replace';

export interface ImportRec extends Rec {
  ID: number;
  account: string;
  Name: string;
  MappingID: number;
  Type: 'Manual' | 'Automatic';
  Pattern: string | null;
  Description: string | null;
  InterestIDList: number[];
  OperationMode: OperationMode;
}

export interface RecipientRec extends Rec {
  ID: number;
  /** The import's ID as a string (partition). */
  import: string;
  ImportID: number;
  Type: 'User' | 'Email';
  Value: string;
  Email: string;
}

export type JobStatus = 'Pending' | 'Running' | 'Done' | 'Error';

/** A row the job did not apply, for the report and the exclusion statistics. */
export interface SkippedRow {
  line: number;
  type: 'Rejected' | 'Excluded';
  /** The catalogue code of a rejection. */
  code: string | null;
  /** A stable name (InvalidEmail, DuplicateInFile ...), what the statistics count by. */
  reason: string;
  /** This row's detail. */
  message: string;
  cells: string[];
}

export interface JobRec extends Rec {
  ID: number;
  account: string;
  ImportID: number;
  MappingID: number;
  FileName: string;
  Status: JobStatus;
  Executed: boolean;
  StartDate: string | null;
  EndDate: string | null;
  Total: number;
  Created: number;
  Updated: number;
  Rejected: number;
  Excluded: number;
  ErrorMessage: string | null;
  NotifiedList: string[];
  /** The uploaded file, base64. */
  content: string;
  /** The core job that runs it. */
  coreJob: string;
  skipped: SkippedRow[];
}

export interface ImportsDb {
  mappings: Collection<MappingRec>;
  columns: Collection<ColumnRec>;
  mappingActions: Collection<ActionRec>;
  fieldActions: Collection<ActionRec>;
  imports: Collection<ImportRec>;
  recipients: Collection<RecipientRec>;
  jobs: Collection<JobRec>;
}

const lower = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
const idFrom = (start: number) => ({ id: { ...style.resource.id, start } });

export function importsDb(spec: LoadedSpec): ImportsDb {
  const s = spec.schemas;
  const catalogue = (name: string, label: string) =>
    new Collection<ActionRec>({ api: style, name, label, shape: shapeOf(s.ImportAction), resource: { created: null, updated: null }, codes: { notFound: '316' }, errorField: 'ActionID' });
  return {
    mappings: new Collection<MappingRec>({
      api: style,
      name: 'import_mappings',
      label: 'mapping',
      shape: shapeOf(s.ImportMapping),
      resource: idFrom(3001),
      partition: 'account',
      uniqueKeys: [
        { fields: ['Name'], normalize: lower, code: '305', field: 'Name', message: (v, r) => `the name '${v[0]}' is used by mapping ${r.ID}` },
        { fields: ['FileName'], normalize: lower, code: '315', field: 'FileName', message: (v, r) => `the file name '${v[0]}' is used by mapping ${r.ID}` },
      ],
      filters: {
        Separator: { field: 'Separator' },
        ContainsColumns: { field: 'ContainsColumns' },
        UpdatedAfter: { field: 'UpdateDate', op: 'gte', type: 'date' },
        UpdatedBefore: { field: 'UpdateDate', op: 'lte', type: 'date' },
      },
      search: ['Name', 'FileName'],
      readOnly: ['ColumnList', 'FileName'],
      fields: { Separator: { input: (v) => separatorOf(v) ?? v } },
      codes: { notFound: '304' },
      errorField: 'MappingID',
    }),
    columns: new Collection<ColumnRec>({
      api: style,
      name: 'import_mapping_columns',
      label: 'mapping column',
      shape: shapeOf(s.ImportMappingColumn),
      partition: 'mapping',
      uniqueKeys: [
        { fields: ['Name'], normalize: lower, code: '311', field: 'Name', message: (v, r) => `column ${r.ID} of the mapping is named '${v[0]}' already` },
        { fields: ['FieldID'], code: '311', field: 'FieldID', message: (v, r) => `column ${r.ID} of the mapping imports field ${v[0]} already` },
      ],
      defaultSort: [{ field: 'Position', desc: false }],
      readOnly: ['MappingID'],
      codes: { notFound: '310' },
      errorField: 'ColumnID',
    }),
    mappingActions: catalogue('import_mapping_actions', 'mapping action'),
    fieldActions: catalogue('import_field_actions', 'field action'),
    imports: new Collection<ImportRec>({
      api: style,
      name: 'imports',
      label: 'import',
      shape: shapeOf(s.Import),
      resource: idFrom(10101),
      partition: 'account',
      uniqueKeys: [
        { fields: ['Name'], normalize: lower, code: '326', field: 'Name', message: (v, r) => `the name '${v[0]}' is used by import ${r.ID}` },
        { fields: ['Pattern'], normalize: lower, code: '330', field: 'Pattern', message: (v, r) => `the pattern '${v[0]}' is used by import ${r.ID}` },
      ],
      indexes: ['MappingID'],
      filters: { MappingID: { field: 'MappingID' }, Filter: { field: 'Type', caseInsensitive: true } },
      search: ['Name', 'Pattern', 'Description'],
      readOnly: ['Type', 'InterestIDList', 'OperationMode'],
      codes: { notFound: '318' },
      errorField: 'ImportID',
    }),
    recipients: new Collection<RecipientRec>({
      api: style,
      name: 'import_recipients',
      label: 'recipient',
      shape: shapeOf(s.ImportRecipient),
      resource: { updated: null },
      partition: 'import',
      uniqueKeys: [{ fields: ['Type', 'Value'], normalize: lower, code: '327', field: 'Value', message: (v, r) => `recipient ${r.ID} is ${v[0]} ${v[1]} already` }],
      codes: { notFound: '328' },
      errorField: 'RecipientID',
    }),
    jobs: new Collection<JobRec>({
      api: style,
      name: 'import_jobs',
      label: 'import job',
      shape: shapeOf(s.ImportJob),
      resource: { ...idFrom(700_001), updated: null },
      partition: 'account',
      indexes: ['ImportID'],
      filters: {
        ImportID: { field: 'ImportID' },
        Status: { field: 'Status', caseInsensitive: true },
        Executed: { field: 'Executed' },
      },
      search: ['FileName'],
      codes: { notFound: '324' },
      errorField: 'JobID',
    }),
  };
}

/** Loads the action catalogues (the same for every account). */
export function loadImportCatalogues(ws: Workspace, db: ImportsDb): void {
  const fx = importSettings(ws);
  for (const a of fx.mappingActions) db.mappingActions.insert(ws, { Name: a.Name, Description: a.Description }, { id: a.ID });
  for (const a of fx.fieldActions) db.fieldActions.insert(ws, { Name: a.Name, Description: a.Description }, { id: a.ID });
}
