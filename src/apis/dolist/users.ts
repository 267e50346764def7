// Platform users: people with a login who belong to accounts with a function (`UserFunction`)
// and roles. Table `users` keyed by ID; `Accounts` lists the memberships. Export and import
// recipients name users (404 [901] when unknown). The platform area owns their HTTP.
import { createHash } from 'node:crypto';
import { nextInSequence, reserveInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
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
  /** `{Key, Value}` of the attributes of `GET /users/attributes`. */
  AttributeList?: Array<{ Key: string; Value: string | null }>;
  /** A salted hash; the password itself is never stored or returned. */
  PasswordHash?: string | null;
  /** The API key (name) that created the user through `POST /users`: it sees the user before any membership. */
  CreatedBy?: string | null;
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

// ---- the platform area's user rules (HTTP in handlers/platform-users.ts) ----------------------

interface UserRulesFixtures {
  userFunctions?: string[];
  userAttributes?: Array<{ Key: string; Name: string; Type: string }>;
  licences?: Record<string, { Licence: string; MaxUsers: number; ExpiryDate: string }>;
}
const rulesFx = (ws: Workspace) => dolistFixtures(ws) as unknown as UserRulesFixtures;

/** The functions a user can have in an account (fixtures `userFunctions`). */
export const userFunctions = (ws: Workspace): string[] => rulesFx(ws).userFunctions ?? [ADMINISTRATOR];
export const userAttributes = (ws: Workspace) => rulesFx(ws).userAttributes ?? [];
export const licenceOf = (ws: Workspace, accountId: number) => rulesFx(ws).licences?.[String(accountId)];

/** A known function (any case, answered in the catalogue's spelling), else 400 [36]. */
export function userFunction(ws: Workspace, v: unknown, field = 'UserFunction'): string {
  const s = String(v ?? '').trim().toLowerCase();
  const f = userFunctions(ws).find((x) => x.toLowerCase() === s);
  if (!f) throw dolistError('36', `UserFunction must be one of ${userFunctions(ws).join(', ')} (got ${JSON.stringify(v)})`, field);
  return f;
}

/** The user as a key sees it: a member of one of its accounts, or created by it; else undefined. */
export function visibleUser(ws: Workspace, key: string, accounts: number[], id: number): UserRec | undefined {
  const u = usersTable(ws).peek(String(id));
  if (!u) return undefined;
  return u.Accounts.some((a) => accounts.includes(a.AccountID)) || u.CreatedBy === key ? u : undefined;
}

export function requireVisibleUser(ws: Workspace, key: string, accounts: number[], id: number, field = 'UserID'): UserRec {
  const u = visibleUser(ws, key, accounts, id);
  if (!u) throw dolistError('901', `no user ${id} for this API key`, field);
  return u;
}

const normEmail = (e: string) => e.trim().toLowerCase();
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The user holding the address (case-insensitive), other than `except`. */
function emailOwner(ws: Workspace, email: string, except?: number): UserRec | undefined {
  const e = normEmail(email);
  for (const u of usersTable(ws).scan()) if (normEmail(u.Email) === e && u.ID !== except) return u;
  return undefined;
}

function checkEmail(email: string): void {
  if (!EMAIL.test(email.trim())) throw dolistError('36', `Email ${JSON.stringify(email)} is not an e-mail address`, 'Email');
}

function checkAttributes(ws: Workspace, list: Array<{ Key: string; Value?: string | null }>): Array<{ Key: string; Value: string | null }> {
  const known = userAttributes(ws);
  const seen = new Set<string>();
  return list.map((a, i) => {
    const def = known.find((k) => k.Key.toLowerCase() === String(a.Key).toLowerCase());
    if (!def) throw dolistError('36', `unknown user attribute ${JSON.stringify(a.Key)} (GET /users/attributes: ${known.map((k) => k.Key).join(', ')})`, `AttributeList[${i}].Key`);
    if (seen.has(def.Key)) throw dolistError('36', `attribute ${def.Key} is listed twice`, `AttributeList[${i}].Key`);
    seen.add(def.Key);
    return { Key: def.Key, Value: a.Value ?? null };
  });
}

/** Password rules ([902]): at least 8 characters, a lower-case and an upper-case letter, a digit. */
export function checkPasswordRules(pw: string): void {
  const missing: string[] = [];
  if (pw.length < 8) missing.push('at least 8 characters');
  if (!/[a-z]/.test(pw)) missing.push('a lower-case letter');
  if (!/[A-Z]/.test(pw)) missing.push('an upper-case letter');
  if (!/[0-9]/.test(pw)) missing.push('a digit');
  if (missing.length) throw dolistError('902', `the password needs ${missing.join(', ')}`, 'Password');
}

export const passwordHash = (userId: number, pw: string) => createHash('sha256').update(`dolist-user-${userId}:${pw}`).digest('hex');

export interface UserInput {
  Email?: string;
  FirstName?: string | null;
  LastName?: string | null;
  Password?: string;
  IsActive?: boolean;
  AttributeList?: Array<{ Key: string; Value?: string | null }>;
}

/** A new user, in no account yet. A used address is 500 [906] (as the reference documents it). */
export function createUser(ws: Workspace, createdBy: string, input: UserInput): UserRec {
  const email = String(input.Email ?? '');
  checkEmail(email);
  const attrs = checkAttributes(ws, input.AttributeList ?? []);
  if (input.Password !== undefined) checkPasswordRules(input.Password);
  const clash = emailOwner(ws, email);
  if (clash) throw dolistError('906', `the e-mail address ${email.trim()} is used by user ${clash.ID}`, 'Email');
  const id = nextInSequence(ws, sequenceKey(API_ID, 'users'), 1);
  const now = new Date(ws.now()).toISOString();
  return usersTable(ws).put({
    id: String(id),
    ID: id,
    Email: email.trim(),
    FirstName: input.FirstName ?? '',
    LastName: input.LastName ?? '',
    IsActive: input.IsActive ?? true,
    Accounts: [],
    AttributeList: attrs,
    PasswordHash: input.Password !== undefined ? passwordHash(id, input.Password) : null,
    CreatedBy: createdBy,
    CreateDate: now,
    UpdateDate: now,
  });
}

/** Changes a user; a used address is 500 [907]. */
export function updateUser(ws: Workspace, id: number, input: UserInput): UserRec {
  const u = usersTable(ws).get(String(id))!;
  if (input.Email !== undefined) {
    checkEmail(input.Email);
    const clash = emailOwner(ws, input.Email, id);
    if (clash) throw dolistError('907', `the e-mail address ${input.Email.trim()} is used by user ${clash.ID}`, 'Email');
  }
  const attrs = input.AttributeList !== undefined ? checkAttributes(ws, input.AttributeList) : undefined;
  if (input.Email !== undefined) u.Email = input.Email.trim();
  if (input.FirstName !== undefined) u.FirstName = input.FirstName ?? '';
  if (input.LastName !== undefined) u.LastName = input.LastName ?? '';
  if (input.IsActive !== undefined) u.IsActive = input.IsActive;
  if (attrs) u.AttributeList = attrs;
  u.UpdateDate = new Date(ws.now()).toISOString();
  return usersTable(ws).touch(u);
}

/** The function that administers an account: each account keeps at least one user with it. */
export const ADMINISTRATOR = 'Administrator';

/** The accounts (all, or just `onlyAccount`) where the user is the only Administrator. */
function lastAdministratorOf(ws: Workspace, u: UserRec, onlyAccount?: number): number[] {
  return u.Accounts.filter((m) => (onlyAccount === undefined || m.AccountID === onlyAccount) && m.UserFunction === ADMINISTRATOR)
    .map((m) => m.AccountID)
    .filter((acc) => !accountMembers(ws, acc).some((o) => o.user.ID !== u.ID && o.UserFunction === ADMINISTRATOR));
}

/**
 * Deletes a user (memberships and roles go with it). 500 [904] when it is the only Administrator
 * of an account, or belongs to an account the deleting key may not use (it is not the key's alone).
 */
export function deleteUser(ws: Workspace, id: number, keyAccounts: number[], dropFromRoles: (userId: number) => void): void {
  const u = usersTable(ws).peek(String(id))!;
  const last = lastAdministratorOf(ws, u);
  if (last.length) throw dolistError('904', `user ${id} is the only ${ADMINISTRATOR} of account ${last.join(', ')}`, 'UserID');
  const foreign = u.Accounts.filter((a) => !keyAccounts.includes(a.AccountID)).map((a) => a.AccountID);
  if (foreign.length) throw dolistError('904', `user ${id} also belongs to account ${foreign.join(', ')}, which this API key may not use`, 'UserID');
  dropFromRoles(id);
  usersTable(ws).remove(String(id));
}

/** Members of an account with their function, by ID. */
export function accountMembers(ws: Workspace, accountId: number): Array<{ user: UserRec; UserFunction: string }> {
  const out: Array<{ user: UserRec; UserFunction: string }> = [];
  for (const u of usersTable(ws).scan()) {
    const m = u.Accounts.find((a) => a.AccountID === accountId);
    if (m) out.push({ user: u, UserFunction: m.UserFunction });
  }
  return out.sort((a, b) => a.user.ID - b.user.ID);
}

/**
 * Makes the user a member of the account with the function (the function changes when it is one
 * already). The account's licence caps its users: one more is 500 [908].
 */
export function addMembership(ws: Workspace, accountId: number, userId: number, fn: string): void {
  const u = usersTable(ws).get(String(userId))!;
  const m = u.Accounts.find((a) => a.AccountID === accountId);
  if (m) {
    if (m.UserFunction !== fn && lastAdministratorOf(ws, u, accountId).length) {
      throw dolistError('908', `user ${userId} is the only ${ADMINISTRATOR} of account ${accountId}: its function cannot change`, 'UserFunction');
    }
    m.UserFunction = fn;
  } else {
    const max = licenceOf(ws, accountId)?.MaxUsers;
    const count = accountMembers(ws, accountId).length;
    if (max !== undefined && count >= max) throw dolistError('908', `account ${accountId}'s licence allows ${max} users and it has ${count}`, 'UserID');
    u.Accounts = [...u.Accounts, { AccountID: accountId, UserFunction: fn }].sort((a, b) => a.AccountID - b.AccountID);
  }
  u.UpdateDate = new Date(ws.now()).toISOString();
  usersTable(ws).touch(u);
}

/**
 * Takes the user out of the account: it must be a member (404 [901]) with that function and not
 * the account's last Administrator (500 [908]).
 */
export function removeMembership(ws: Workspace, accountId: number, userId: number, fn: string): void {
  const u = usersTable(ws).get(String(userId))!;
  const m = u.Accounts.find((a) => a.AccountID === accountId);
  if (!m) throw dolistError('901', `user ${userId} is not a user of account ${accountId}`, 'UserID');
  if (m.UserFunction !== fn) throw dolistError('908', `user ${userId} is ${m.UserFunction} of account ${accountId}, not ${fn}`, 'UserFunction');
  if (lastAdministratorOf(ws, u, accountId).length) throw dolistError('908', `user ${userId} is the only ${fn} of account ${accountId}`, 'UserID');
  u.Accounts = u.Accounts.filter((a) => a.AccountID !== accountId);
  u.UpdateDate = new Date(ws.now()).toISOString();
  usersTable(ws).touch(u);
}
