// Accounts: the workspace's manager account (its profile from the fixtures, its units in the
// workspace credit ledger) and the users (sub-accounts) it creates through POST /api/users, each
// with its own login, password and units. Roles (spec x-sim-rules `roles`): the manager manages
// its users; a user sees and changes only its own record.
import { SimError, forbidden, notFound } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { formatLocalDate, parseLocal } from './dates.js';
import { API_ID, cleverFixtures, nextId, type CleverCompany } from './style.js';

/** Who is calling: the manager (owner 0) or one of its users (owner = the user's id). */
export interface Principal {
  role: 'manager' | 'user';
  owner: number;
  login: string;
}

export interface UserRec extends Rec {
  username: string;
  password: string;
  name: string;
  lastname: string;
  email: string;
  telephone: string;
  company: CleverCompany;
  credit: number;
}

/** What a client may set on a user (already unwrapped from the flat or nested form). */
export interface UserInput {
  username?: string;
  password?: string;
  name?: string;
  lastname?: string;
  email?: string;
  telephone?: string;
  credit?: number;
  company: CleverCompany;
}

export const usersTable = (ws: Workspace) => ws.table<UserRec>(API_ID, 'users');

/** Credential-index key of a login/password pair (Basic auth resolves through it). */
export const credentialKey = (login: string, password: string) => `${login}:${password}`;

export function managerCredentials(ws: Pick<Workspace, 'credentials'>): { login: string; password: string } | undefined {
  const c = ws.credentials?.[API_ID];
  return c && typeof c.login === 'string' && typeof c.password === 'string' ? { login: c.login, password: c.password } : undefined;
}

/** The principal behind a login/password, or undefined. */
export function principalFor(ws: Workspace, login: string, password: string): Principal | undefined {
  const m = managerCredentials(ws);
  if (m && m.login === login && m.password === password) return { role: 'manager', owner: 0, login };
  const u = usersTable(ws).find((r) => r.username === login && r.password === password);
  return u ? { role: 'user', owner: Number(u.id), login } : undefined;
}

// ---- expiry ----------------------------------------------------------------------------------

/** The account's expiry instant (users share their manager's). */
export function expiryOf(ws: Workspace): { text: string; at: number | undefined } {
  const text = String(cleverFixtures(ws).account.date_expiration ?? '');
  return { text, at: parseLocal(text) };
}

/** 430 `Account expired YYYY-mm-JJ` once the workspace clock has passed `date_expiration`. */
export function assertNotExpired(ws: Workspace): void {
  const { at } = expiryOf(ws);
  if (at !== undefined && ws.now() > at) {
    throw new SimError('forbidden', `Account expired ${formatLocalDate(at)}`, { code: 'account_expired', field: 'account' });
  }
}

// ---- units -----------------------------------------------------------------------------------

/** Units left: the ledger for the manager, the user's own counter for a user. */
export function unitsOf(ws: Workspace, owner: number): number {
  if (owner === 0) return ws.credit.balance(API_ID);
  return usersTable(ws).get(String(owner))?.credit ?? 0;
}

export function canAfford(ws: Workspace, owner: number, units: number): boolean {
  if (units <= 0) return true;
  return owner === 0 ? ws.credit.canAfford(API_ID, units) : unitsOf(ws, owner) >= units;
}

/** Debits units (false and nothing debited when they are not there). */
export function debit(ws: Workspace, owner: number, units: number, reason: string, ref: string): boolean {
  if (units <= 0) return true;
  if (owner === 0) return ws.credit.charge(API_ID, units, reason, ref);
  const u = usersTable(ws).get(String(owner));
  if (!u || u.credit < units) return false;
  u.credit -= units;
  usersTable(ws).touch(u);
  return true;
}

export function credit(ws: Workspace, owner: number, units: number, reason: string, ref: string): void {
  if (units <= 0) return;
  if (owner === 0) {
    ws.credit.refund(API_ID, units, reason, ref);
    return;
  }
  const u = usersTable(ws).get(String(owner));
  if (!u) return;
  u.credit += units;
  usersTable(ws).touch(u);
}

// ---- users -----------------------------------------------------------------------------------

function loginTaken(ws: Workspace, username: string, except?: string): boolean {
  if (managerCredentials(ws)?.login === username) return true;
  return Boolean(usersTable(ws).find((u) => u.username === username && u.id !== except));
}

const taken = (username: string) =>
  new SimError('duplicate', `L'utilisateur existe, username déjà pris : '${username}'`, { field: 'username' });

/** The stored form of a user (API create and fixture users alike). */
export function userRecord(id: number, input: UserInput): UserRec {
  return {
    id: String(id),
    username: input.username!,
    password: input.password!,
    name: input.name ?? '',
    lastname: input.lastname ?? '',
    email: input.email ?? '',
    telephone: input.telephone ?? '',
    company: input.company,
    credit: input.credit ?? 0,
  } as UserRec;
}

export function createUser(ws: Workspace, p: Principal, input: UserInput): UserRec {
  if (p.role !== 'manager') throw forbidden('only a manager account may create users', { field: 'role' });
  const username = input.username!;
  if (loginTaken(ws, username)) throw taken(username);
  const user = usersTable(ws).put(userRecord(nextId(ws, 'user'), input));
  // The new user authenticates at once with its own Basic credentials.
  ws.runtime.bindKey(API_ID, credentialKey(user.username, user.password), ws);
  return user;
}

/** A user the caller may see: its own record, or (manager) any of its users. */
export function visibleUser(ws: Workspace, p: Principal, id: number): UserRec {
  if (p.role === 'user' && p.owner !== id) throw forbidden(`a user account may only read or change its own record (${p.owner}), not ${id}`, { field: 'role' });
  const u = usersTable(ws).get(String(id));
  if (!u) throw notFound(`no user ${id}`, { field: 'id_user' });
  return u;
}

export function updateUser(ws: Workspace, p: Principal, id: number, input: UserInput): UserRec {
  const u = visibleUser(ws, p, id);
  if (input.username !== undefined && input.username !== u.username && loginTaken(ws, input.username, u.id)) throw taken(input.username);
  const oldKey = credentialKey(u.username, u.password);
  for (const k of ['username', 'password', 'name', 'lastname', 'email', 'telephone'] as const) {
    if (input[k] !== undefined) u[k] = input[k]!;
  }
  u.company = { ...u.company, ...input.company };
  // A user may not hand itself units: `credit` counts only when the manager sends it.
  if (input.credit !== undefined && p.role === 'manager') u.credit = input.credit;
  usersTable(ws).touch(u);
  const newKey = credentialKey(u.username, u.password);
  if (newKey !== oldKey) {
    ws.runtime.unbindKey(API_ID, oldKey, ws);
    ws.runtime.bindKey(API_ID, newKey, ws);
  }
  return u;
}

export function findUserByLogin(ws: Workspace, login: string): UserRec | undefined {
  return usersTable(ws).find((u) => u.username === login);
}
