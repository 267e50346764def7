// Account, users, additional fields and predefined messages. Users are declared CRUD over the
// users collection; the hooks are the roles, the login that the manager owns too, the credential
// index and the units (ledger sub-accounts).
import type { HandlerContext } from '../../../core/api.js';
import type { OperationHandlers, OperationMap, TypedHandler } from '../../../core/contract-types.js';
import { crud, type CrudDecl } from '../../../core/crud.js';
import type { Collection } from '../../../core/engine/collection.js';
import type { Workspace } from '../../../core/workspace.js';
import {
  assertLoginFree,
  assertManager,
  assertMayReach,
  bindUserCredentials,
  companyOf,
  expiryOf,
  managerCredentials,
  setUserUnits,
  unitsOf,
  usersTable,
  type UserRec,
} from '../accounts.js';
import type { operations } from '../generated/contract.js';
import { cleverFixtures, type CleverCompany } from '../style.js';
import { datasOf, firstOf, intParam, isObject, principalOf } from './common.js';

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
  const u = usersTable(ws).peek(String(owner))!;
  return { name: u.name, lastname: u.lastname, email: u.email, tocontrol: 0, telephone: u.telephone, credit, date_expiration: expiration, company: renderCompany(companyOf(u), true) };
}

function renderUser(u: UserRec, withPassword: boolean): Record<string, unknown> {
  return {
    id: Number(u.id),
    username: u.username,
    ...(withPassword ? { password: u.password } : {}),
    account: { name: u.name, lastname: u.lastname, email: u.email, telephone: u.telephone, company: renderCompany(companyOf(u), false) },
  };
}

/** `credit` of a user body: nested (`account.credit`) or flat. */
function creditOf(ctx: HandlerContext): number | undefined {
  const d = datasOf(ctx);
  const raw = firstOf(isObject(d.account) ? d.account : {}, 'credit') ?? firstOf(d, 'credit');
  return raw === undefined ? undefined : Number(raw);
}

const usernameOf = (ctx: HandlerContext) => {
  const u = datasOf(ctx).username;
  return u === undefined || u === null ? undefined : String(u);
};

export function accountHandlers(users: Collection<UserRec>): OperationHandlers<operations> {
  const getAccount: TypedHandler<operations, 'getAccount' | 'getAccountAlias'> = (ctx) => ({ body: { account: renderAccount(ctx.ws, principalOf(ctx).owner) } });
  const reach = (ctx: HandlerContext) => assertMayReach(principalOf(ctx), intParam(ctx, 'id_user'));
  return {
    getAccount,
    getAccountAlias: getAccount,
    ...crud(users.cfg.api, {
      createUser: {
        collection: users,
        action: 'create',
        authorize: (ctx) => assertManager(principalOf(ctx), 'create users'),
        guard: (ctx) => assertLoginFree(ctx.ws, usernameOf(ctx)),
        after: (ctx, u) => {
          // The new user authenticates at once with its own Basic credentials, and has its own units.
          bindUserCredentials(ctx.ws, u);
          setUserUnits(ctx.ws, Number(u.id), creditOf(ctx) ?? 0, `user ${u.username} created`);
        },
        // The seed's 201 echoes the password in clear text; GET never does.
        render: (u) => renderUser(u, true),
      },
      updateUser: {
        collection: users,
        action: 'update',
        authorize: reach,
        guard: (ctx, u) => {
          const name = usernameOf(ctx);
          if (name !== u?.username) assertLoginFree(ctx.ws, name);
        },
        after: (ctx, u, before) => {
          bindUserCredentials(ctx.ws, u, before);
          // A user may not hand itself units: `credit` counts only when the manager sends it.
          const units = creditOf(ctx);
          if (units !== undefined && principalOf(ctx).role === 'manager') setUserUnits(ctx.ws, Number(u.id), units, 'credit set by the manager');
        },
      },
      getUser: { collection: users, action: 'get', authorize: reach, render: (u) => renderUser(u, false) },
    } satisfies OperationMap<operations, CrudDecl<UserRec>>),
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

/** Fixture users (scenario data): the same fields as the API's flat form, plus `id` and `credit`. */
export function loadFixtureUsers(ws: Workspace, users: Collection<UserRec>): void {
  for (const row of cleverFixtures(ws).users ?? []) {
    const values = users.pick(row, 'all', ws);
    if (!values.username || !values.password || values.username === managerCredentials(ws)?.login) continue;
    const u = users.insert(ws, values, { id: row.id !== undefined ? Number(row.id) : undefined });
    setUserUnits(ws, Number(u.id), Number(row.credit ?? 0), 'fixture');
  }
}
