// Forms: the account's subscription and unsubscription forms (made in the vendor's UI: the API
// only reads their tags and submits unsubscriptions through them). Table `forms` keyed by ID,
// partitioned by `account`, loaded from the fixtures' `forms`.
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { API_ID, accountKey, dolistFixtures } from './style.js';

export interface FormRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Name: string;
  /** Subscribe or Unsubscribe. */
  Type: string;
  CreateDate: string;
}

export interface FormFixture {
  ID: number;
  AccountID: number;
  Name: string;
  Type: string;
}

export const formsTable = (ws: Workspace) => ws.table<FormRec>(API_ID, 'forms');

export function findForm(ws: Workspace, account: string, id: number): FormRec | undefined {
  const f = formsTable(ws).peek(String(id));
  return f && f.account === account ? f : undefined;
}

export function loadForms(ws: Workspace): void {
  const now = new Date(ws.now()).toISOString();
  for (const f of (dolistFixtures(ws).forms ?? []) as FormFixture[]) {
    formsTable(ws).put({ id: String(f.ID), ID: f.ID, account: accountKey(f.AccountID), Name: f.Name, Type: f.Type, CreateDate: now });
  }
}
