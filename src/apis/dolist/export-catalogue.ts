// The export reference data (simulator-chosen, the reference has no enumeration): the export
// type tree (`GET /exports/types`), the filter types each type allows (`/exports/types/filters`)
// and the column references a mapping column can hold (`/exports/mappings/columnreferences`):
// every contact field of the account (reference ID = the field's ID) and contact or event values
// (ids from 9001). Types other than Contacts list sending events: one row per recipient and event
// that happened (sent, opened, clicked with its link, bounced, unsubscribed; SMS sent, delivered,
// unsubscribed), from the sendings' recipients (exports.ts selectRows).
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { accountFields, FIELD_TYPE } from './fields.js';

export interface ExportTypeDef {
  ID: number;
  Name: string;
  ParentTypeID: number | null;
}

export const EXPORT_TYPE = { contacts: 1, emailSendings: 2, smsSendings: 7 } as const;

/** Parents before children. */
export const EXPORT_TYPES: readonly ExportTypeDef[] = [
  { ID: 1, Name: 'Contacts', ParentTypeID: null },
  { ID: 2, Name: 'Email sendings', ParentTypeID: 1 },
  { ID: 3, Name: 'Email opens', ParentTypeID: 2 },
  { ID: 4, Name: 'Email clicks', ParentTypeID: 2 },
  { ID: 5, Name: 'Email bounces', ParentTypeID: 2 },
  { ID: 6, Name: 'Email unsubscribes', ParentTypeID: 2 },
  { ID: 7, Name: 'SMS sendings', ParentTypeID: 1 },
  { ID: 8, Name: 'SMS deliveries', ParentTypeID: 7 },
  { ID: 9, Name: 'SMS unsubscribes', ParentTypeID: 7 },
];

const EMAIL_TYPES = [2, 3, 4, 5, 6];
const SMS_TYPES = [7, 8, 9];
const ALL_TYPES = EXPORT_TYPES.map((t) => t.ID);

export function exportType(id: number): ExportTypeDef | undefined {
  return EXPORT_TYPES.find((t) => t.ID === id);
}

/** The type, or 400 [1305]. */
export function requireExportType(id: unknown, field = 'TypeID'): ExportTypeDef {
  const t = exportType(Number(id));
  if (!t) throw dolistError('1305', `no export type ${id} (see GET /exports/types)`, field);
  return t;
}

export function typeTree(): Array<ExportTypeDef & { Level: number; ChildTypeIDList: number[] }> {
  const level = (t: ExportTypeDef): number => (t.ParentTypeID === null ? 0 : 1 + level(exportType(t.ParentTypeID)!));
  return EXPORT_TYPES.map((t) => ({ ...t, Level: level(t), ChildTypeIDList: EXPORT_TYPES.filter((c) => c.ParentTypeID === t.ID).map((c) => c.ID) }));
}

export type FilterType = 'Segment' | 'EmailSendings' | 'SmsSendings' | 'Interests' | 'InterestsGroup' | 'LastDays' | 'StartDate' | 'EndDate' | 'Forms';
export const FILTER_TYPES: readonly FilterType[] = ['Segment', 'EmailSendings', 'SmsSendings', 'Interests', 'InterestsGroup', 'LastDays', 'StartDate', 'EndDate', 'Forms'];
export const FILTER_VALUE_TYPE: Record<FilterType, 'Integer' | 'IntegerList' | 'Date'> = {
  Segment: 'Integer',
  EmailSendings: 'IntegerList',
  SmsSendings: 'IntegerList',
  Interests: 'IntegerList',
  InterestsGroup: 'IntegerList',
  LastDays: 'Integer',
  StartDate: 'Date',
  EndDate: 'Date',
  Forms: 'IntegerList',
};

/** The filter types an export type allows (any other is 400 [36] on POST .../filters). */
export function allowedFilters(typeId: number): FilterType[] {
  const common: FilterType[] = ['Segment', 'LastDays', 'StartDate', 'EndDate'];
  if (typeId === EXPORT_TYPE.contacts) return ['Segment', 'Interests', 'InterestsGroup', 'LastDays', 'StartDate', 'EndDate', 'Forms'];
  if (EMAIL_TYPES.includes(typeId)) return ['EmailSendings', ...common];
  return ['SmsSendings', ...common];
}

export type DataType = 'Text' | 'Integer' | 'Decimal' | 'Date' | 'DateTime' | 'Boolean';

export interface ColumnReference {
  ID: number;
  Name: string;
  DataType: DataType;
  FieldID: number | null;
  TypeIDList: number[];
}

/** Values of the contact itself and of events, beside the fields. */
export const SYSTEM_REFERENCES = {
  contactId: 9001,
  createDate: 9002,
  updateDate: 9003,
  subscribeDate: 9004,
  unsubscribeDate: 9005,
  interests: 9006,
  sendingId: 9101,
  eventDate: 9102,
  url: 9103,
} as const;

const SYSTEM: ColumnReference[] = [
  { ID: 9001, Name: 'ContactID', DataType: 'Integer', FieldID: null, TypeIDList: ALL_TYPES },
  { ID: 9002, Name: 'CreateDate', DataType: 'DateTime', FieldID: null, TypeIDList: ALL_TYPES },
  { ID: 9003, Name: 'UpdateDate', DataType: 'DateTime', FieldID: null, TypeIDList: ALL_TYPES },
  { ID: 9004, Name: 'SubscribeDate', DataType: 'DateTime', FieldID: null, TypeIDList: ALL_TYPES },
  { ID: 9005, Name: 'UnsubscribeDate', DataType: 'DateTime', FieldID: null, TypeIDList: ALL_TYPES },
  { ID: 9006, Name: 'Interests', DataType: 'Text', FieldID: null, TypeIDList: [EXPORT_TYPE.contacts] },
  { ID: 9101, Name: 'SendingID', DataType: 'Integer', FieldID: null, TypeIDList: [...EMAIL_TYPES, ...SMS_TYPES] },
  { ID: 9102, Name: 'EventDate', DataType: 'DateTime', FieldID: null, TypeIDList: [...EMAIL_TYPES.slice(1), ...SMS_TYPES.slice(1)] },
  { ID: 9103, Name: 'Url', DataType: 'Text', FieldID: null, TypeIDList: [4] },
];

function dataTypeOfField(fieldTypeId: number): DataType {
  switch (fieldTypeId) {
    case FIELD_TYPE.integer:
      return 'Integer';
    case FIELD_TYPE.decimal:
      return 'Decimal';
    case FIELD_TYPE.date:
      return 'Date';
    case FIELD_TYPE.boolean:
      return 'Boolean';
    default:
      return 'Text';
  }
}

/** The account's column references (its live fields, then the system ones), optionally of one type. */
export function columnReferences(ws: Workspace, account: string, typeId?: number): ColumnReference[] {
  const fields = accountFields(ws, account).map<ColumnReference>((f) => ({ ID: f.ID, Name: f.Name, DataType: dataTypeOfField(f.FieldTypeID), FieldID: f.ID, TypeIDList: ALL_TYPES }));
  const all = [...fields, ...SYSTEM];
  return typeId === undefined ? all : all.filter((r) => r.TypeIDList.includes(typeId));
}

export function findColumnReference(ws: Workspace, account: string, id: number): ColumnReference | undefined {
  return columnReferences(ws, account).find((r) => r.ID === id);
}

/** The read-only mappings every account starts with: name, type and column references. */
export const SYSTEM_MAPPINGS: ReadonlyArray<{ Name: string; TypeID: number; columns: number[] }> = [
  { Name: 'Contacts (standard)', TypeID: 1, columns: [9001, 7, 1, 2, 3, 14, 72] },
  { Name: 'Email opens (standard)', TypeID: 3, columns: [9101, 7, 9102] },
  { Name: 'Email clicks (standard)', TypeID: 4, columns: [9101, 7, 9102, 9103] },
];

const DATE_FORMAT = /^(?=.*[dMyHhms])[dMyHhmsf/.\-: T]+$/;
const NUMBER_FORMAT = /^([Cc]\d{0,2}|[Ee]\d{0,2}|[Dd]\d{1,2}|[NnFf]\d{0,2})$/;

/** Whether `format` applies to a column of `dataType` ([1329] otherwise). */
export function formatFits(format: string, dataType: DataType): boolean {
  if (dataType === 'Date' || dataType === 'DateTime') return DATE_FORMAT.test(format);
  if (dataType === 'Integer') return NUMBER_FORMAT.test(format);
  if (dataType === 'Decimal') return NUMBER_FORMAT.test(format) && !/^[Dd]/.test(format);
  return false;
}
