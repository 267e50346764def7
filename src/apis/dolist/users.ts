// Platform users: people with a login who belong to accounts with a function (`UserFunction`)
// and roles. Table `users` keyed by ID; `Accounts` lists the memberships. Export and import
// recipients name users (404 [901] when unknown). The platform area owns their HTTP.
import { reserveInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { API_ID, dolistFixtures } from './style.js';

export interface UserRec extends Rec {
  id: string;
  ID: number;
  Email: string;
  FirstName: string;
  LastName: string;
  IsActive: boolean;
  /** Memberships: the accounts the user works in, with a function. */
  Accounts: Array<{ AccountID: number; UserFunction: string }>;
  CreateDate: string;
  UpdateDate: string;
}

export const usersTable = (ws: Workspace) => ws.table<UserRec>(API_ID, 'users');

/** A user who belongs to the account (read-only), or undefined. */
export function findAccountUser(ws: Workspace, accountId: number, id: number): UserRec | undefined {
  const u = usersTable(ws).peek(String(id));
  return u && u.Accounts.some((a) => a.AccountID === accountId) ? u : undefined;
}

export interface UserFixture {
  ID: number;
  Email: string;
  FirstName: string;
  LastName: string;
  Accounts: Array<{ AccountID: number; UserFunction: string }>;
}

export function loadUsers(ws: Workspace): void {
  const now = new Date(ws.now()).toISOString();
  const users = (dolistFixtures(ws).users ?? []) as UserFixture[];
  for (const u of users) {
    usersTable(ws).put({ id: String(u.ID), ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, IsActive: true, Accounts: u.Accounts, CreateDate: now, UpdateDate: now });
    reserveInSequence(ws, sequenceKey(API_ID, 'users'), u.ID, 1);
  }
}
