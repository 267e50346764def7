// Accounts: the workspace's manager account (its profile from the fixtures) and the users
// (sub-accounts) it creates through POST /api/users, each with its own login, password and
// units. Units live in the workspace's credit ledgers: the manager's in the API's account
// (`/_sim/workspaces/{ws}/credit/clever`), each user's in a sub-account `clever/user/<id>`.
// Roles (spec x-sim-rules `roles`): the manager manages its users; a user sees and changes only
// its own record.
import { Collection } from '../../core/engine/collection.js';
import { shapeFromKinds } from '../../core/engine/shape.js';
import { SimError, forbidden, invalid } from '../../core/errors.js';
import { parseTimestamp } from '../../core/clock.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { formatLocal, formatLocalDate, parseLocal } from './dates.js';
import { API_ID, cleverFixtures, style, type CleverCompany } from './style.js';

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
  company_name?: string;
  address?: string;
  city?: string;
  country?: string;
  zip_code?: string;
}

export const usersTable = (ws: Workspace) => ws.table<UserRec>(API_ID, 'users');

/** Credential-index key of a login/password pair (Basic auth resolves through it). */
export const credentialKey = (login: string, password: string) => `${login}:${password}`;

const COMPANY_FIELDS = ['company_name', 'address', 'city', 'country', 'zip_code'] as const;

/**
 * Users as an engine collection. Two input forms (spec `UserWriteFields`): the nested form of the
 * seed's example (`account.company.city`) and the flat form of its table; the nested value wins.
 */
export function usersCollection(): Collection<UserRec> {
  const text = (v: unknown) => String(v);
  const nested = (f: string, ...flat: string[]) => ({ from: [`account.${f}`, ...flat], input: text });
  const company = (f: string, ...flat: string[]) => ({ from: [`account.company.${f}`, ...flat], input: text });
  return new Collection<UserRec>({
    api: style,
    name: 'users',
    label: 'user',
    wrap: 'user',
    shape: shapeFromKinds({
      id: 'integer',
      username: 'string',
      password: 'string',
      name: 'string',
      lastname: 'string',
      email: 'string',
      telephone: 'string',
      company_name: 'string',
      address: 'string',
      city: 'string',
      country: 'string',
      zip_code: 'string',
    }),
    resource: { id: { field: 'id', kind: 'sequence', sequence: 'user', type: 'integer' } },
    fields: {
      username: { from: ['username'], input: text },
      password: { from: ['password'], input: text },
      name: nested('name', 'name'),
      lastname: nested('lastname', 'lastname'),
      email: nested('email', 'email'),
      telephone: nested('telephone', 'telephone'),
      company_name: company('company_name', 'company_name'),
      address: company('address', 'address'),
      city: company('city', 'city'),
      country: company('country', 'country'),
      zip_code: { from: ['account.company.zipCode', 'account.company.zip_code', 'zipCode', 'zip_code'], input: text },
    },
    uniqueKeys: [{ fields: ['username'], field: 'username', message: (values) => takenMessage(String(values[0])) }],
    defaults: () => ({ name: '', lastname: '', email: '', telephone: '' }),
    errorField: 'id_user',
    notFoundMessage: (id) => `no user ${id}`,
  });
}

export function companyOf(u: UserRec): CleverCompany {
  const c: CleverCompany = {};
  for (const k of COMPANY_FIELDS) if (u[k] !== undefined && u[k] !== null) c[k] = u[k];
  return c;
}

export function managerCredentials(ws: Pick<Workspace, 'credentials'>): { login: string; password: string } | undefined {
  const c = ws.credentials?.[API_ID];
  return c && typeof c.login === 'string' && typeof c.password === 'string' ? { login: c.login, password: c.password } : undefined;
}

/** The principal behind a login/password, or undefined. */
export function principalFor(ws: Workspace, login: string, password: string): Principal | undefined {
  const m = managerCredentials(ws);
  if (m && m.login === login && m.password === password) return { role: 'manager', owner: 0, login };
  const u = usersTable(ws).lookup('username', login).find((r) => r.password === password);
  return u ? { role: 'user', owner: Number(u.id), login } : undefined;
}

export function findUserByLogin(ws: Workspace, login: string): UserRec | undefined {
  return usersTable(ws).lookup('username', login)[0];
}

// ---- expiry ----------------------------------------------------------------------------------

/** The account's expiry instant (users share their manager's). */
export function expiryOf(ws: Workspace): { text: string; at: number | undefined } {
  const set = ws.table(API_ID, '_account').peek('expiry');
  const text = String(set?.date_expiration ?? cleverFixtures(ws).account.date_expiration ?? '');
  return { text, at: parseLocal(text) };
}

/**
 * The account expires (control API `inject/account-expire` or a scenario timeline): at `at`
 * (ISO 8601 or `Y-m-d H:i:s` Paris time), by default one second ago, so the next request is 430.
 */
export function expireAccount(ws: Workspace, at?: unknown): string {
  let when = ws.now() - 1000;
  if (at !== undefined && at !== null) {
    const t = typeof at === 'string' ? (parseLocal(at) ?? parseTimestamp(at)) : parseTimestamp(at);
    if (t === undefined) throw invalid(`account-expire: at must be a date (ISO 8601 or Y-m-d H:i:s), not ${JSON.stringify(at)}`, { field: 'at' });
    when = t;
  }
  const text = formatLocal(when);
  const table = ws.table(API_ID, '_account');
  const rec = table.get('expiry');
  if (rec) {
    rec.date_expiration = text;
    table.touch(rec);
  } else table.put({ id: 'expiry', date_expiration: text });
  ws.emit(API_ID, 'account_expiration_change', { date_expiration: text });
  return text;
}

/** 430 `Account expired YYYY-mm-JJ` once the workspace clock has passed `date_expiration`. */
export function assertNotExpired(ws: Workspace): void {
  const { at } = expiryOf(ws);
  if (at !== undefined && ws.now() > at) {
    throw new SimError('forbidden', `Account expired ${formatLocalDate(at)}`, { code: 'account_expired', field: 'account' });
  }
}

// ---- units -----------------------------------------------------------------------------------

/** The ledger account of an owner's units. */
export const unitAccount = (owner: number) => (owner === 0 ? API_ID : `${API_ID}/user/${owner}`);

/** Units left. */
export function unitsOf(ws: Workspace, owner: number): number {
  const acc = unitAccount(owner);
  return ws.credit.has(acc) ? ws.credit.balance(acc) : 0;
}

/** Sets a user's units (creation, the manager's update). */
export function setUserUnits(ws: Workspace, owner: number, units: number, reason: string): void {
  const acc = unitAccount(owner);
  if (!ws.credit.has(acc)) ws.credit.open(acc, units, cleverFixtures(ws).credit.currency, reason);
  else ws.credit.set(acc, units, reason);
}

export function canAfford(ws: Workspace, owner: number, units: number): boolean {
  if (units <= 0) return true;
  const acc = unitAccount(owner);
  return ws.credit.has(acc) && ws.credit.canAfford(acc, units);
}

/** Debits units (false and nothing debited when they are not there). */
export function debit(ws: Workspace, owner: number, units: number, reason: string, ref: string): boolean {
  if (units <= 0) return true;
  const acc = unitAccount(owner);
  return ws.credit.has(acc) && ws.credit.charge(acc, units, reason, ref);
}

export function credit(ws: Workspace, owner: number, units: number, reason: string, ref: string): void {
  if (units <= 0) return;
  const acc = unitAccount(owner);
  if (ws.credit.has(acc)) ws.credit.refund(acc, units, reason, ref);
}

// ---- users -----------------------------------------------------------------------------------

const takenMessage = (username: string) => `L'utilisateur existe, username déjà pris : '${username}'`;

/** 403 unless the caller is the manager. */
export function assertManager(p: Principal, what: string): void {
  if (p.role !== 'manager') throw forbidden(`only a manager account may ${what}`, { field: 'role' });
}

/** 403 when a user asks for another user's record (checked before the record is looked up). */
export function assertMayReach(p: Principal, id: number): void {
  if (p.role === 'user' && p.owner !== id) throw forbidden(`a user account may only read or change its own record (${p.owner}), not ${id}`, { field: 'role' });
}

/** The manager's login is taken too. */
export function assertLoginFree(ws: Workspace, username: string | undefined): void {
  if (username !== undefined && managerCredentials(ws)?.login === username) throw new SimError('duplicate', takenMessage(username), { field: 'username' });
}

/** Keeps the credential index in step with a user's login and password. */
export function bindUserCredentials(ws: Workspace, user: UserRec, before?: Pick<UserRec, 'username' | 'password'>): void {
  const key = credentialKey(user.username, user.password);
  if (before) {
    const old = credentialKey(before.username, before.password);
    if (old === key) return;
    ws.runtime.unbindKey(API_ID, old, ws);
  }
  ws.runtime.bindKey(API_ID, key, ws);
}
