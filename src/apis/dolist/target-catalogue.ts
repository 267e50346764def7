// The targeting catalogues (simulator-chosen: the reference enumerates none, research §5 item 35):
// criteria categories, operators with their arity, search controls (the kind of input a value
// takes; fixtures `targetSearchControls`, so a scenario can empty the list or blank a name for
// the 204 [512]/[514] answers), and the criteria references, built from the account's state:
// one per live field (`FIELD_<id>`), interest (`INTEREST_<id>`), group (`GROUP_<id>`), the
// contact dates and every other target (`TARGET_<id>`). Domain only, no HTTP.
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { accountFields, FIELD_TYPE, findField, type FieldRec } from './fields.js';
import { accountGroups, accountInterests, findGroup, findInterest } from './interests.js';
import { dolistFixtures } from './style.js';
import { findTarget, accountTargets } from './targets.js';

export const CATEGORIES = [
  { ID: 1, Name: 'Contact fields' },
  { ID: 2, Name: 'Interests' },
  { ID: 3, Name: 'Contact dates' },
  { ID: 4, Name: 'Email address status' },
  { ID: 5, Name: 'Targets' },
] as const;

export interface Operator {
  ID: number;
  Name: string;
  Symbol: string;
  MinParameterCount: number;
  /** null: any number from the minimum (lists). */
  MaxParameterCount: number | null;
}

export const OP = {
  equals: 1,
  notEquals: 2,
  contains: 3,
  startsWith: 4,
  greaterThan: 5,
  lessThan: 6,
  between: 7,
  isEmpty: 8,
  isNotEmpty: 9,
  inList: 10,
  notInList: 11,
  has: 12,
  hasNot: 13,
  inLastDays: 14,
  moreThanDaysAgo: 15,
} as const;

export const OPERATORS: Operator[] = [
  { ID: OP.equals, Name: 'Equals', Symbol: '=', MinParameterCount: 1, MaxParameterCount: 1 },
  { ID: OP.notEquals, Name: 'NotEquals', Symbol: '<>', MinParameterCount: 1, MaxParameterCount: 1 },
  { ID: OP.contains, Name: 'Contains', Symbol: 'LIKE %x%', MinParameterCount: 1, MaxParameterCount: 1 },
  { ID: OP.startsWith, Name: 'StartsWith', Symbol: 'LIKE x%', MinParameterCount: 1, MaxParameterCount: 1 },
  { ID: OP.greaterThan, Name: 'GreaterThan', Symbol: '>', MinParameterCount: 1, MaxParameterCount: 1 },
  { ID: OP.lessThan, Name: 'LessThan', Symbol: '<', MinParameterCount: 1, MaxParameterCount: 1 },
  { ID: OP.between, Name: 'Between', Symbol: 'BETWEEN', MinParameterCount: 2, MaxParameterCount: 2 },
  { ID: OP.isEmpty, Name: 'IsEmpty', Symbol: 'IS NULL', MinParameterCount: 0, MaxParameterCount: 0 },
  { ID: OP.isNotEmpty, Name: 'IsNotEmpty', Symbol: 'IS NOT NULL', MinParameterCount: 0, MaxParameterCount: 0 },
  { ID: OP.inList, Name: 'InList', Symbol: 'IN', MinParameterCount: 1, MaxParameterCount: null },
  { ID: OP.notInList, Name: 'NotInList', Symbol: 'NOT IN', MinParameterCount: 1, MaxParameterCount: null },
  { ID: OP.has, Name: 'Has', Symbol: 'HAS', MinParameterCount: 0, MaxParameterCount: 0 },
  { ID: OP.hasNot, Name: 'HasNot', Symbol: 'HAS NOT', MinParameterCount: 0, MaxParameterCount: 0 },
  { ID: OP.inLastDays, Name: 'InLastDays', Symbol: '>= NOW - N DAYS', MinParameterCount: 1, MaxParameterCount: 1 },
  { ID: OP.moreThanDaysAgo, Name: 'MoreThanDaysAgo', Symbol: '< NOW - N DAYS', MinParameterCount: 1, MaxParameterCount: 1 },
];

export const findOperator = (id: number) => OPERATORS.find((o) => o.ID === id);

export interface SearchControl {
  TypeID: number;
  Name: string;
  Kind: 'Text' | 'Number' | 'Date' | 'Boolean' | 'List' | 'None';
}

/** Control type ids the references use (the default fixtures define them). */
export const CONTROL = { text: 1, number: 2, date: 3, boolean: 4, list: 5, none: 6 } as const;

export const DEFAULT_SEARCH_CONTROLS: SearchControl[] = [
  { TypeID: CONTROL.text, Name: 'TextBox', Kind: 'Text' },
  { TypeID: CONTROL.number, Name: 'NumberBox', Kind: 'Number' },
  { TypeID: CONTROL.date, Name: 'DatePicker', Kind: 'Date' },
  { TypeID: CONTROL.boolean, Name: 'CheckBox', Kind: 'Boolean' },
  { TypeID: CONTROL.list, Name: 'DropDownList', Kind: 'List' },
  { TypeID: CONTROL.none, Name: 'None', Kind: 'None' },
];

/** The search controls of the workspace (fixtures `targetSearchControls`, else the defaults). */
export function searchControls(ws: Workspace): SearchControl[] {
  const fx = dolistFixtures(ws).targetSearchControls as SearchControl[] | undefined;
  return fx ?? DEFAULT_SEARCH_CONTROLS;
}

export const findSearchControl = (ws: Workspace, typeId: number) => searchControls(ws).find((s) => s.TypeID === typeId);

export type DataType = 'Text' | 'Integer' | 'Decimal' | 'Date' | 'Boolean' | 'Email' | 'Mobile' | 'Phone' | 'List' | 'Interest' | 'Group' | 'Target';

/** What a criterion tests: a field's value, an interest, a group, a contact date or a target. */
export type Subject =
  | { kind: 'field'; fieldId: number }
  | { kind: 'interest'; interestId: number }
  | { kind: 'group'; groupId: number }
  | { kind: 'date'; attr: 'CreateDate' | 'SubscribeDate' | 'UnsubscribeDate' }
  | { kind: 'target'; targetId: number };

export interface CriteriaReference {
  ID: string;
  Name: string;
  CategoryID: number;
  DataType: DataType;
  OperatorIDList: number[];
  SearchControlTypeID: number;
  FieldID?: number;
  InterestID?: number;
  GroupID?: number;
  TargetID?: number;
  subject: Subject;
}

const TEXT_OPS = [OP.equals, OP.notEquals, OP.contains, OP.startsWith, OP.isEmpty, OP.isNotEmpty, OP.inList, OP.notInList];
const NUMBER_OPS = [OP.equals, OP.notEquals, OP.greaterThan, OP.lessThan, OP.between, OP.isEmpty, OP.isNotEmpty, OP.inList, OP.notInList];
const DATE_OPS = [OP.equals, OP.greaterThan, OP.lessThan, OP.between, OP.inLastDays, OP.moreThanDaysAgo, OP.isEmpty, OP.isNotEmpty];
const LIST_OPS = [OP.equals, OP.notEquals, OP.inList, OP.notInList, OP.isEmpty, OP.isNotEmpty];

const DATES = [
  { id: 'CONTACT_CREATEDATE', attr: 'CreateDate', Name: 'Date de création' },
  { id: 'CONTACT_SUBSCRIBEDATE', attr: 'SubscribeDate', Name: "Date d'inscription" },
  { id: 'CONTACT_UNSUBSCRIBEDATE', attr: 'UnsubscribeDate', Name: 'Date de désinscription' },
] as const;

function fieldReference(ws: Workspace, f: FieldRec): CriteriaReference {
  const base = { ID: `FIELD_${f.ID}`, Name: f.Name, FieldID: f.ID, subject: { kind: 'field', fieldId: f.ID } as Subject };
  if (f.ID === dolistFixtures(ws).standardFieldIds.emailStatus) return { ...base, CategoryID: 4, DataType: 'List', OperatorIDList: LIST_OPS, SearchControlTypeID: CONTROL.list };
  switch (f.FieldTypeID) {
    case FIELD_TYPE.integer:
      return { ...base, CategoryID: 1, DataType: 'Integer', OperatorIDList: NUMBER_OPS, SearchControlTypeID: CONTROL.number };
    case FIELD_TYPE.decimal:
      return { ...base, CategoryID: 1, DataType: 'Decimal', OperatorIDList: NUMBER_OPS, SearchControlTypeID: CONTROL.number };
    case FIELD_TYPE.date:
      return { ...base, CategoryID: 1, DataType: 'Date', OperatorIDList: DATE_OPS, SearchControlTypeID: CONTROL.date };
    case FIELD_TYPE.boolean:
      return { ...base, CategoryID: 1, DataType: 'Boolean', OperatorIDList: [OP.equals, OP.isEmpty, OP.isNotEmpty], SearchControlTypeID: CONTROL.boolean };
    case FIELD_TYPE.email:
      return { ...base, CategoryID: 1, DataType: 'Email', OperatorIDList: TEXT_OPS, SearchControlTypeID: CONTROL.text };
    case FIELD_TYPE.mobile:
      return { ...base, CategoryID: 1, DataType: 'Mobile', OperatorIDList: TEXT_OPS, SearchControlTypeID: CONTROL.text };
    case FIELD_TYPE.phone:
      return { ...base, CategoryID: 1, DataType: 'Phone', OperatorIDList: TEXT_OPS, SearchControlTypeID: CONTROL.text };
    default:
      return { ...base, CategoryID: 1, DataType: 'Text', OperatorIDList: TEXT_OPS, SearchControlTypeID: CONTROL.text };
  }
}

/** One reference by its id, from the account's current state, or undefined. */
export function findReference(ws: Workspace, account: string, id: string): CriteriaReference | undefined {
  const m = /^([A-Z_]+?)_?(\d+)?$/i.exec(id.trim());
  if (!m) return undefined;
  const [kind, n] = [m[1].toUpperCase(), m[2] === undefined ? NaN : Number(m[2])];
  if (kind === 'FIELD') {
    const f = findField(ws, account, n);
    return f && fieldReference(ws, f);
  }
  if (kind === 'INTEREST') {
    const i = findInterest(ws, account, n);
    return i && { ID: `INTEREST_${i.ID}`, Name: i.Name, CategoryID: 2, DataType: 'Interest', OperatorIDList: [OP.has, OP.hasNot], SearchControlTypeID: CONTROL.none, InterestID: i.ID, GroupID: i.GroupID, subject: { kind: 'interest', interestId: i.ID } };
  }
  if (kind === 'GROUP') {
    const g = findGroup(ws, account, n);
    return g && { ID: `GROUP_${g.ID}`, Name: g.Name, CategoryID: 2, DataType: 'Group', OperatorIDList: [OP.has, OP.hasNot, OP.inList, OP.notInList], SearchControlTypeID: CONTROL.list, GroupID: g.ID, subject: { kind: 'group', groupId: g.ID } };
  }
  if (kind === 'TARGET') {
    const t = findTarget(ws, account, n);
    return t && { ID: `TARGET_${t.ID}`, Name: t.Name, CategoryID: 5, DataType: 'Target', OperatorIDList: [OP.has, OP.hasNot], SearchControlTypeID: CONTROL.none, TargetID: t.ID, subject: { kind: 'target', targetId: t.ID } };
  }
  const d = DATES.find((x) => x.id === id.trim().toUpperCase());
  return d && { ID: d.id, Name: d.Name, CategoryID: 3, DataType: 'Date', OperatorIDList: DATE_OPS, SearchControlTypeID: CONTROL.date, subject: { kind: 'date', attr: d.attr } };
}

/** Every reference of the account (fields by position, dates, interests, groups, targets). */
export function accountReferences(ws: Workspace, account: string): CriteriaReference[] {
  const ids = [
    ...accountFields(ws, account).map((f) => `FIELD_${f.ID}`),
    ...DATES.map((d) => d.id),
    ...accountInterests(ws, account).map((i) => `INTEREST_${i.ID}`),
    ...accountGroups(ws, account).map((g) => `GROUP_${g.ID}`),
    ...accountTargets(ws, account).map((t) => `TARGET_${t.ID}`),
  ];
  return ids.map((id) => findReference(ws, account, id)!).filter(Boolean);
}

/** The reference, or 404 [507]. */
export function referenceOr507(ws: Workspace, account: string, id: string, field = 'CriteriaReferenceID'): CriteriaReference {
  const r = findReference(ws, account, id);
  if (!r) throw dolistError('507', `no criteria reference '${id}' in account ${account}`, field);
  return r;
}

/**
 * Which references may share a law with `ref` (`.../allowed`, and [504] on a criterion): a
 * target reference stands alone in its law (it is a whole selection of its own); the others mix
 * freely, except with target references.
 */
export function allowedWith(ws: Workspace, account: string, ref: CriteriaReference): CriteriaReference[] {
  if (ref.subject.kind === 'target') return [];
  return accountReferences(ws, account).filter((r) => r.subject.kind !== 'target');
}

/** The reference as the API shows it. */
export function renderReference(r: CriteriaReference): Omit<CriteriaReference, 'subject'> {
  const { subject: _subject, ...rest } = r;
  return rest;
}
