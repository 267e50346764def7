// Applications (global) and accounts of a workspace, from the fixtures: the tenants every other
// resource belongs to. The platform area (packs, roles, users, rights ...) builds on these.
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { API_ID, dolistFixtures } from './style.js';

export interface AccountRec extends Rec {
  id: string;
  ID: number;
  Name: string;
  CompanyName: string;
  Culture: string;
  TimeZone: string;
  IsActive: boolean;
  CreateDate: string;
}

export const accountsTable = (ws: Workspace) => ws.table<AccountRec>(API_ID, 'accounts');

export function findAccount(ws: Workspace, id: number): AccountRec | undefined {
  return accountsTable(ws).peek(String(id));
}

export function loadAccounts(ws: Workspace): void {
  const now = new Date(ws.now()).toISOString();
  for (const a of dolistFixtures(ws).accounts) {
    const { ID, Name, CompanyName, Culture, TimeZone } = a;
    accountsTable(ws).put({ id: String(ID), ID, Name, CompanyName, Culture, TimeZone, IsActive: true, CreateDate: now });
  }
}

/** The accounts of a key (`GET /accounts`), by ID. */
export function keyAccounts(ws: Workspace, ids: number[]): AccountRec[] {
  return ids
    .map((id) => findAccount(ws, id))
    .filter((a): a is AccountRec => a !== undefined)
    .sort((a, b) => a.ID - b.ID);
}
