// Contact fields: the account's field definitions (standard ones numbered as the real service
// numbers them: 7 the email address, 72 its status ...), and their values' rules. Stored in the
// `fields` table keyed `<account>:<ID>`: the standard fields have the same ID in every account,
// fields created through the API take ids from one counter (from 1000) so an id never names two
// fields. Deleted fields stay (soft delete, `Undo`), with `IsDeleted`.
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { API_ID, accountKey, dolistFixtures } from './style.js';

export interface FieldRec extends Rec {
  /** `<account>:<ID>` */
  id: string;
  ID: number;
  /** The owning account (partition key). */
  account: string;
  Name: string;
  FieldTypeID: number;
  IsCompositeKey: boolean;
  IsSystem: boolean;
  IsReadOnly: boolean;
  IsDisplayable: boolean;
  MinLength: number | null;
  MaxLength: number | null;
  /** 1-based, dense among the live fields of the account. */
  Position: number;
  VariableName: string;
  IsDeleted: boolean;
  CreateDate: string;
  UpdateDate: string;
}

/** Field type ids of the fixtures' catalogue (`GET /fields/fieldtypes`). */
export const FIELD_TYPE = { text: 1, integer: 2, decimal: 3, date: 4, boolean: 5, email: 6, mobile: 7, phone: 8, list: 9 } as const;

export const fieldKey = (account: string, id: number) => `${account}:${id}`;
export const fieldsTable = (ws: Workspace) => ws.table<FieldRec>(API_ID, 'fields');

/** The live fields of an account, by Position. */
export function accountFields(ws: Workspace, account: string): FieldRec[] {
  return fieldsTable(ws)
    .lookup('account', account)
    .filter((f) => !f.IsDeleted)
    .sort((a, b) => a.Position - b.Position || a.ID - b.ID);
}

/** A live field of the account (read-only view), or undefined. */
export function findField(ws: Workspace, account: string, id: number): FieldRec | undefined {
  const f = fieldsTable(ws).peek(fieldKey(account, id));
  return f && !f.IsDeleted ? f : undefined;
}

/** The fields whose values identify a contact (`IsCompositeKey`), by ID. */
export function compositeKeyFields(ws: Workspace, account: string): FieldRec[] {
  return accountFields(ws, account)
    .filter((f) => f.IsCompositeKey)
    .sort((a, b) => a.ID - b.ID);
}

/** Loads the standard fields into each account of the fixtures. */
export function loadFields(ws: Workspace): void {
  const fx = dolistFixtures(ws);
  const t = fieldsTable(ws);
  const now = new Date(ws.now()).toISOString();
  for (const acc of fx.accounts) {
    const account = accountKey(acc.ID);
    fx.fields.forEach((f, i) => {
      t.put({
        id: fieldKey(account, f.ID),
        ID: f.ID,
        account,
        Name: f.Name,
        FieldTypeID: f.FieldTypeID,
        IsCompositeKey: Boolean(f.IsCompositeKey),
        IsSystem: Boolean(f.IsSystem),
        IsReadOnly: Boolean(f.IsReadOnly),
        IsDisplayable: f.IsDisplayable ?? true,
        MinLength: f.MinLength ?? null,
        MaxLength: f.MaxLength ?? null,
        Position: i + 1,
        VariableName: f.Variable,
        IsDeleted: false,
        CreateDate: now,
        UpdateDate: now,
      });
    });
  }
}
