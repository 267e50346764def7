// Account, users, additional fields and predefined messages: HTTP <-> accounts.ts.
import type { Handler } from '../../../core/api.js';
import type { Workspace } from '../../../core/workspace.js';
import { createUser, expiryOf, managerCredentials, unitsOf, updateUser, userRecord, usersTable, visibleUser, type UserInput, type UserRec } from '../accounts.js';
import { cleverFixtures, type CleverCompany } from '../style.js';
import { datasOf, firstOf, intParam, isObject, NO_CONTENT, principalOf, str, type Datas } from './common.js';

/** `zip_code` is an integer in the seed's account (77183); a non-numeric code is null. */
function zipOf(v: unknown): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isInteger(n) ? n : null;
}

/** Company with every key (GET /api/account/me) or only the known ones (users). */
function renderCompany(c: CleverCompany, all: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['company_name', 'address', 'country', 'city'] as const) {
    if (c[k] !== undefined && c[k] !== null) out[k] = String(c[k]);
    else if (all) out[k] = null;
  }
  if (c.zip_code !== undefined && c.zip_code !== null) out.zip_code = zipOf(c.zip_code);
  else if (all) out.zip_code = null;
  return out;
}

function renderAccount(ws: Workspace, owner: number): Record<string, unknown> {
  const fx = cleverFixtures(ws);
  const expiration = expiryOf(ws).text;
  // Units are whole numbers; a balance set to a fraction through the control API is floored.
  const credit = Math.floor(unitsOf(ws, owner));
  if (owner === 0) {
    const a = fx.account;
    return { name: a.name, lastname: a.lastname, email: a.email, tocontrol: 0, telephone: a.telephone, credit, date_expiration: expiration, company: renderCompany(a.company ?? {}, true) };
  }
  const u = usersTable(ws).get(String(owner))!;
  return { name: u.name, lastname: u.lastname, email: u.email, tocontrol: 0, telephone: u.telephone, credit, date_expiration: expiration, company: renderCompany(u.company, true) };
}

function renderUser(u: UserRec, withPassword: boolean): Record<string, unknown> {
  return {
    id: Number(u.id),
    username: u.username,
    ...(withPassword ? { password: u.password } : {}),
    account: { name: u.name, lastname: u.lastname, email: u.email, telephone: u.telephone, company: renderCompany(u.company, false) },
  };
}

/**
 * The user parameters, from the nested form of the seed's example (`account.company`) or the
 * flat form of its table; the nested value wins when both are sent.
 */
export function userInputOf(d: Datas): UserInput {
  const acc = isObject(d.account) ? d.account : {};
  const comp = isObject(acc.company) ? acc.company : {};
  const pick = (nested: Datas, ...names: string[]) => str(firstOf(nested, ...names));
  const company: CleverCompany = {};
  const set = (k: keyof CleverCompany, v: string | undefined) => {
    if (v !== undefined) company[k] = v;
  };
  set('company_name', pick(comp, 'company_name') ?? pick(d, 'company_name'));
  set('address', pick(comp, 'address') ?? pick(d, 'address'));
  set('city', pick(comp, 'city') ?? pick(d, 'city'));
  set('country', pick(comp, 'country') ?? pick(d, 'country'));
  set('zip_code', pick(comp, 'zipCode', 'zip_code') ?? pick(d, 'zipCode', 'zip_code'));
  const creditRaw = firstOf(acc, 'credit') ?? firstOf(d, 'credit');
  return {
    username: str(d.username),
    password: str(d.password),
    name: pick(acc, 'name') ?? pick(d, 'name'),
    lastname: pick(acc, 'lastname') ?? pick(d, 'lastname'),
    email: pick(acc, 'email') ?? pick(d, 'email'),
    telephone: pick(acc, 'telephone') ?? pick(d, 'telephone'),
    credit: creditRaw === undefined ? undefined : Number(creditRaw),
    company,
  };
}

export function accountHandlers(): Record<string, Handler> {
  const getAccount: Handler = (ctx) => ({ body: { account: renderAccount(ctx.ws, principalOf(ctx).owner) } });
  return {
    getAccount,
    getAccountAlias: getAccount,
    createUser: (ctx) => {
      const u = createUser(ctx.ws, principalOf(ctx), userInputOf(datasOf(ctx)));
      // The seed's 201 echoes the password in clear text; GET never does.
      return { status: 201, body: { user: renderUser(u, true) } };
    },
    updateUser: (ctx) => {
      updateUser(ctx.ws, principalOf(ctx), intParam(ctx, 'id_user'), userInputOf(datasOf(ctx)));
      return NO_CONTENT;
    },
    getUser: (ctx) => ({ body: { user: renderUser(visibleUser(ctx.ws, principalOf(ctx), intParam(ctx, 'id_user')), false) } }),
    listFields: (ctx) => ({
      body: { fields: [...cleverFixtures(ctx.ws).fields].sort((a, b) => a.id - b.id).map((f) => ({ id: f.id, name: f.name })) },
    }),
    listPredefinedMessages: (ctx) => ({
      body: {
        predefined_message: [...cleverFixtures(ctx.ws).predefined_messages].sort((a, b) => a.id - b.id).map((m) => ({ id: m.id, title: m.title, text: m.text })),
      },
    }),
  };
}

/** Fixture users (scenario data): same fields as the API's flat form, plus `id`. */
export function loadFixtureUsers(ws: Workspace, reserve: (id: number) => void, next: () => number): void {
  for (const row of cleverFixtures(ws).users ?? []) {
    const input = userInputOf(row);
    if (!input.username || !input.password || input.username === managerCredentials(ws)?.login) continue;
    const id = row.id !== undefined ? Number(row.id) : next();
    reserve(id);
    usersTable(ws).put(userRecord(id, input));
  }
}
