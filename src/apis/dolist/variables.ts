// Personalisation variables (`[[Name]]` in a message): a contact field's variable IS the field's
// `VariableName` (fields.ts, owned by the contacts area), so variables are not stored anywhere
// else: the variables collection is a view of the `fields` table (same ID as the field, live
// fields only), and renaming a variable writes the field. Type: System for the standard fields
// of every account, Custom for the account's own; standard and read-only fields' variables keep
// their names.
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { findContact, valueOf } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { accountFields, fieldKey, fieldsTable, findField, type FieldRec } from './fields.js';
import { style } from './style.js';

export const VARIABLE_TYPES = ['System', 'Custom'] as const;
const typeOf = (f: FieldRec) => (f.IsSystem ? 'System' : 'Custom');
/** Standard and read-only fields keep their variable's name (the reference's [602]). */
const isFixedName = (f: FieldRec) => f.IsSystem || f.IsReadOnly;

export function variablesCollection(spec: LoadedSpec): Collection<FieldRec> {
  return new Collection<FieldRec>({
    api: style,
    name: 'fields',
    label: 'variable',
    shape: shapeOf(spec.schemas.Variable),
    resource: { id: { field: 'ID', kind: 'sequence', type: 'integer', scope: 'partition' }, created: null, updated: null },
    partition: 'account',
    hidden: { field: 'IsDeleted', values: [true] },
    codes: { notFound: '601' },
    errorField: 'VariableID',
    search: ['Name'],
    filters: {
      Type: { test: (v, r) => typeOf(r as FieldRec).toLowerCase() === String(v).toLowerCase() },
    },
    fields: {
      Name: { mirror: 'VariableName' },
      FieldID: { mirror: 'ID' },
      FieldName: { mirror: 'Name' },
      Type: { mirror: 'IsSystem', output: (v) => (v ? 'System' : 'Custom') },
      IsReadOnly: { mirror: 'ID', output: (_v, r) => isFixedName(r as FieldRec) },
    },
    defaultSort: [{ field: 'ID', desc: false }],
  });
}

/** A `Type` filter must name a type (400 [36]). */
export function checkVariableType(v: unknown): void {
  if (v === undefined || v === '') return;
  if (!VARIABLE_TYPES.some((t) => t.toLowerCase() === String(v).toLowerCase())) throw dolistError('36', `Type must be ${VARIABLE_TYPES.join(' or ')} (got ${JSON.stringify(v)})`, 'Type');
}

const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Renames the field's variable: a name of letters, digits and underscores (400 [36]), unique in
 * the account ignoring case (409 [603]); a read-only field's variable cannot change (500 [602]).
 */
export function renameVariable(ws: Workspace, account: string, id: number, name: string): FieldRec {
  const f = findField(ws, account, id);
  if (!f) throw dolistError('601', `no variable ${id} in account ${account}`, 'VariableID');
  const n = name.trim();
  if (!VARIABLE_NAME.test(n)) throw dolistError('36', `a variable name is letters, digits and underscores, starting with a letter (got ${JSON.stringify(name)})`, 'Name');
  if (isFixedName(f)) throw dolistError('602', `field ${id} (${f.Name}) is a ${f.IsSystem ? 'standard' : 'read-only'} field: its variable keeps its name`, 'VariableID');
  const clash = accountFields(ws, account).find((o) => o.ID !== id && o.VariableName.toLowerCase() === n.toLowerCase());
  if (clash) throw dolistError('603', `the variable name ${n} is field ${clash.ID}'s`, 'Name');
  const w = fieldsTable(ws).get(fieldKey(account, id))!;
  w.VariableName = n;
  w.UpdateDate = new Date(ws.now()).toISOString();
  return fieldsTable(ws).put(w);
}

/** The contact's values of the variables (all of the account's by default), as a message would render them. */
export function variableValues(ws: Workspace, account: string, contactId: number, ids?: number[]) {
  const c = findContact(ws, account, contactId);
  if (!c) throw dolistError('401', `no contact ${contactId} in account ${account}`, 'ContactID');
  const fields = ids?.length
    ? ids.map((id, i) => {
        const f = findField(ws, account, id);
        if (!f) throw dolistError('601', `no variable ${id} in account ${account}`, `VariableIDList[${i}]`);
        return f;
      })
    : accountFields(ws, account);
  return fields.map((f) => ({ VariableID: f.ID, Name: f.VariableName, Value: valueOf(c, f.ID) ?? null }));
}
