// Managing the account's contact fields (fields.ts holds the model): create, change, soft
// delete and Undo, positions, variables, the CSV of fields and variables. Rules (research §4.3):
// a name is unique in the account, case-insensitive and trimmed (409 [416]); length boundaries
// only on text fields (Text, Email, Mobile, Phone, List), MinLength <= MaxLength (409 [420]); standard fields keep their
// name, type and variable; system, composite-key and used fields cannot be deleted (500 [419]);
// positions are 1-based and dense over the live fields. Created fields take their ids from one
// counter (from 1000) for every account, so an id never names two fields.
import { Collection } from '../../core/engine/collection.js';
import { nextInSequence, sequenceKey } from '../../core/engine/ids.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { accountContacts, recomputeKeys } from './contacts.js';
import { csvText } from './contacts-csv.js';
import { dolistError } from './error-catalogue.js';
import { accountFields, FIELD_TYPE, fieldKey, fieldsTable, type FieldRec } from './fields.js';
import { isUsed } from './usage.js';
import { API_ID, dolistFixtures, ID_START, style } from './style.js';

/**
 * The fields as the engine lists them (partition: the account; deleted ones hidden). Keys are
 * `<account>:<ID>` (scope partition); the IDs come from the one `fields` counter of createField,
 * always passed to insert (the collection's own per-account counter is never drawn from).
 */
export function fieldsCollection(spec: LoadedSpec): Collection<FieldRec> {
  return new Collection<FieldRec>({
    api: style,
    name: 'fields',
    label: 'field',
    shape: shapeOf(spec.schemas.Field),
    resource: { id: { field: 'ID', kind: 'sequence', type: 'integer', scope: 'partition', start: ID_START.fields } },
    partition: 'account',
    hidden: { field: 'IsDeleted', values: [true] },
    codes: { notFound: '415' },
    errorField: 'FieldID',
    search: ['Name', 'VariableName'],
    filters: {
      IsCompositeKeyOnly: { test: (v, r) => !isTrue(v) || Boolean(r.IsCompositeKey) },
      IsDisplayableOnly: { test: (v, r) => !isTrue(v) || Boolean(r.IsDisplayable) },
    },
    defaultSort: [{ field: 'Position', desc: false }],
  });
}

export const isTrue = (v: unknown) => v === true || (typeof v === 'string' && ['true', '1'].includes(v.toLowerCase()));

/** Field types whose values are text with a length (boundaries allowed): not numbers, dates, booleans. */
const BOUNDED_TYPES: number[] = [FIELD_TYPE.text, FIELD_TYPE.email, FIELD_TYPE.mobile, FIELD_TYPE.phone, FIELD_TYPE.list];

export interface FieldInput {
  Name?: string;
  FieldTypeID?: number;
  IsCompositeKey?: boolean;
  IsDisplayable?: boolean;
  IsReadOnly?: boolean;
  MinLength?: number | null;
  MaxLength?: number | null;
  VariableName?: string;
}

/** A live field of the account for writing, or 404 [415]. */
export function fieldForWrite(ws: Workspace, account: string, id: number): FieldRec {
  const f = fieldsTable(ws).peek(fieldKey(account, id));
  if (!f || f.IsDeleted) throw dolistError('415', `no field ${id} in account ${account}`, 'FieldID');
  return fieldsTable(ws).get(f.id)!;
}

/** A live field of the account (read-only), or 404 [415]. */
export function fieldOr404(ws: Workspace, account: string, id: number): FieldRec {
  const f = fieldsTable(ws).peek(fieldKey(account, id));
  if (!f || f.IsDeleted) throw dolistError('415', `no field ${id} in account ${account}`, 'FieldID');
  return f;
}

const norm = (s: string) => s.trim().toLowerCase();

/** `Prénom de l'ami` -> `PrenomDeLAmi`: the default variable of a field. */
export function variableNameOf(name: string): string {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const words = ascii.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const v = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(v) ? v : `Champ${v}`;
}

function checkName(ws: Workspace, account: string, name: unknown, selfId?: number): string {
  if (typeof name !== 'string' || !name.trim()) throw dolistError('36', 'Name must be a non-empty string', 'Name');
  const n = name.trim();
  const clash = accountFields(ws, account).find((f) => f.ID !== selfId && norm(f.Name) === norm(n));
  if (clash) throw dolistError('416', `field ${clash.ID} is already named '${clash.Name}'`, 'Name');
  return n;
}

function checkVariable(ws: Workspace, account: string, v: unknown, selfId?: number): string {
  if (typeof v !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(v)) throw dolistError('36', 'VariableName must start with a letter and hold letters, digits or _ (64 at most)', 'VariableName');
  const clash = accountFields(ws, account).find((f) => f.ID !== selfId && f.VariableName.toLowerCase() === v.toLowerCase());
  if (clash) throw dolistError('36', `variable '${v}' is already the variable of field ${clash.ID}`, 'VariableName');
  return v;
}

function checkType(ws: Workspace, typeId: unknown): number {
  const id = Number(typeId);
  if (!dolistFixtures(ws).fieldTypes.some((t) => t.ID === id)) throw dolistError('36', `unknown FieldTypeID ${String(typeId)} (see GET /fields/fieldtypes)`, 'FieldTypeID');
  return id;
}

/** 409 [420] unless the boundaries suit the type; 400 [36] for a negative one. */
function checkBoundaries(typeId: number, min: number | null, max: number | null): void {
  for (const [name, v] of [['MinLength', min], ['MaxLength', max]] as const) {
    if (v !== null && (!Number.isInteger(v) || v < 0)) throw dolistError('36', `${name} must be an integer >= 0`, name);
  }
  if ((min !== null || max !== null) && !BOUNDED_TYPES.includes(typeId)) throw dolistError('420', `length boundaries are allowed on text fields only (Text, Email, Mobile, Phone, List), not on FieldTypeID ${typeId}`, min !== null ? 'MinLength' : 'MaxLength');
  if (min !== null && max !== null && min > max) throw dolistError('420', `MinLength ${min} is greater than MaxLength ${max}`, 'MinLength');
}

/** Creates a field at the end of the account's fields. */
export function createField(ws: Workspace, coll: Collection<FieldRec>, account: string, input: FieldInput): FieldRec {
  const Name = checkName(ws, account, input.Name);
  if (input.FieldTypeID === undefined) throw dolistError('36', 'FieldTypeID is required', 'FieldTypeID');
  const FieldTypeID = checkType(ws, input.FieldTypeID);
  const MinLength = input.MinLength ?? null;
  const MaxLength = input.MaxLength ?? null;
  checkBoundaries(FieldTypeID, MinLength, MaxLength);
  const VariableName = checkVariable(ws, account, input.VariableName ?? variableNameOf(Name));
  const ID = nextInSequence(ws, sequenceKey(API_ID, 'fields'), ID_START.fields);
  const rec = coll.insert(
    ws,
    {
      Name,
      FieldTypeID,
      IsCompositeKey: Boolean(input.IsCompositeKey),
      IsSystem: false,
      IsReadOnly: Boolean(input.IsReadOnly),
      IsDisplayable: input.IsDisplayable ?? true,
      MinLength,
      MaxLength,
      Position: accountFields(ws, account).length + 1,
      VariableName,
      IsDeleted: false,
    },
    { id: ID, partition: account },
  );
  if (rec.IsCompositeKey) recomputeKeys(ws, account);
  return rec;
}

/** Changes a field (only the attributes given). */
export function updateField(ws: Workspace, account: string, id: number, input: FieldInput): FieldRec {
  const f = fieldForWrite(ws, account, id);
  if (f.IsSystem) {
    if (input.Name !== undefined && input.Name.trim() !== f.Name) throw dolistError('36', `field ${id} is a standard field: its name is fixed`, 'Name');
    if (input.FieldTypeID !== undefined && Number(input.FieldTypeID) !== f.FieldTypeID) throw dolistError('36', `field ${id} is a standard field: its type is fixed`, 'FieldTypeID');
    if (input.VariableName !== undefined && input.VariableName !== f.VariableName) throw dolistError('36', `field ${id} is a standard field: its variable is fixed`, 'VariableName');
  }
  const Name = input.Name !== undefined ? checkName(ws, account, input.Name, id) : f.Name;
  const FieldTypeID = input.FieldTypeID !== undefined ? checkType(ws, input.FieldTypeID) : f.FieldTypeID;
  if (FieldTypeID !== f.FieldTypeID && accountContacts(ws, account).some((c) => c.Values[String(id)] !== undefined)) {
    throw dolistError('36', `contacts have values in field ${id}: its type cannot change`, 'FieldTypeID');
  }
  const MinLength = input.MinLength !== undefined ? input.MinLength : FieldTypeID === f.FieldTypeID ? f.MinLength : null;
  const MaxLength = input.MaxLength !== undefined ? input.MaxLength : FieldTypeID === f.FieldTypeID ? f.MaxLength : null;
  if (input.MinLength !== undefined || input.MaxLength !== undefined || FieldTypeID !== f.FieldTypeID) checkBoundaries(FieldTypeID, MinLength, MaxLength);
  const VariableName = input.VariableName !== undefined ? checkVariable(ws, account, input.VariableName, id) : f.VariableName;
  const keyChanged = input.IsCompositeKey !== undefined && input.IsCompositeKey !== f.IsCompositeKey;
  if (keyChanged && !input.IsCompositeKey && accountFields(ws, account).filter((x) => x.IsCompositeKey).length === 1) {
    throw dolistError('36', `field ${id} is the account's only composite-key field: contacts need a key`, 'IsCompositeKey');
  }
  Object.assign(f, {
    Name,
    FieldTypeID,
    MinLength,
    MaxLength,
    VariableName,
    IsCompositeKey: input.IsCompositeKey ?? f.IsCompositeKey,
    IsDisplayable: input.IsDisplayable ?? f.IsDisplayable,
    IsReadOnly: input.IsReadOnly ?? f.IsReadOnly,
    UpdateDate: new Date(ws.now()).toISOString(),
  });
  fieldsTable(ws).put(f);
  if (keyChanged) recomputeKeys(ws, account);
  return f;
}

/** Renumbers the live fields 1..N in their current order, `moved` placed at `position`. */
function renumber(ws: Workspace, account: string, moved?: { id: number; position: number }): void {
  const live = accountFields(ws, account);
  let order = live.map((f) => f.ID);
  if (moved) {
    order = order.filter((x) => x !== moved.id);
    order.splice(moved.position - 1, 0, moved.id);
  }
  const now = new Date(ws.now()).toISOString();
  order.forEach((fid, i) => {
    const view = fieldsTable(ws).peek(fieldKey(account, fid))!;
    if (view.Position === i + 1) return;
    const w = fieldsTable(ws).get(view.id)!;
    w.Position = i + 1;
    w.UpdateDate = now;
    fieldsTable(ws).put(w);
  });
}

/** Soft-deletes a field (values kept), or with `undo` brings a deleted one back at the end. */
export function deleteField(ws: Workspace, account: string, id: number, undo: boolean): void {
  const view = fieldsTable(ws).peek(fieldKey(account, id));
  if (undo) {
    if (!view) throw dolistError('415', `no field ${id} in account ${account}`, 'FieldID');
    if (!view.IsDeleted) return; // Undo of a live field: nothing to undo.
    checkName(ws, account, view.Name, id);
    checkVariable(ws, account, view.VariableName, id);
    const Position = accountFields(ws, account).length + 1;
    const f = fieldsTable(ws).get(view.id)!;
    f.IsDeleted = false;
    f.Position = Position;
    f.UpdateDate = new Date(ws.now()).toISOString();
    fieldsTable(ws).put(f);
    return;
  }
  const f = fieldForWrite(ws, account, id);
  if (f.IsSystem) throw dolistError('419', `field ${id} (${f.Name}) is a standard field`, 'FieldID');
  if (f.IsCompositeKey) throw dolistError('419', `field ${id} (${f.Name}) is part of the composite key`, 'FieldID');
  if (isUsed(ws, 'field', account, id)) throw dolistError('419', `field ${id} (${f.Name}) is used (see GET /fields/${id}/usage)`, 'FieldID');
  f.IsDeleted = true;
  f.UpdateDate = new Date(ws.now()).toISOString();
  fieldsTable(ws).put(f);
  renumber(ws, account);
}

/** Moves a field to a 1-based position among the live fields (400 [36] out of range). */
export function moveField(ws: Workspace, account: string, id: number, position: unknown): void {
  fieldOr404(ws, account, id);
  const n = accountFields(ws, account).length;
  const p = Number(position);
  if (!Number.isInteger(p) || p < 1 || p > n) throw dolistError('36', `Position must be an integer from 1 to ${n}`, 'Position');
  renumber(ws, account, { id, position: p });
}

/** A field and its variable (VariableID is the field ID: one variable per field). */
export function fieldVariable(f: FieldRec) {
  return { FieldID: f.ID, FieldName: f.Name, VariableID: f.ID, VariableName: f.VariableName, Tag: `[[${f.VariableName}]]` };
}

/** The CSV of the account's fields and their variables, by Position. */
export function fieldsCsv(ws: Workspace, account: string): string {
  const types = new Map(dolistFixtures(ws).fieldTypes.map((t) => [t.ID, t.Name]));
  return csvText(
    ['FieldID', 'FieldName', 'FieldType', 'IsCompositeKey', 'Position', 'VariableName', 'Tag'],
    accountFields(ws, account).map((f) => [f.ID, f.Name, types.get(f.FieldTypeID) ?? f.FieldTypeID, f.IsCompositeKey, f.Position, f.VariableName, `[[${f.VariableName}]]`]),
  );
}
