// Users over HTTP: the platform's users (global; a key sees the members of its accounts and the
// users it created), their accounts, roles and merged right levels, attributes, and password
// renewal. Rules in users.ts, passwords.ts, roles.ts.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { dolistError } from '../error-catalogue.js';
import { requestPasswordReset, resetPassword } from '../passwords.js';
import { describeRightLevels } from '../rights.js';
import { dropUserFromRoles, renderRole, rolesOfUser, userRightLevels } from '../roles.js';
import { accountKey, accountOf, NO_CONTENT } from '../style.js';
import { createUser, deleteUser, findAccountUser, requireVisibleUser, updateUser, userAttributes, type UserRec } from '../users.js';
import { applicationOf, bodyOf, callerOf, listResult, optionalApplication, userAccount } from './platform-common.js';

const USER_FIELDS = ['Email', 'FirstName', 'LastName', 'IsActive', 'HasPassword', 'AttributeList', 'AccountList', 'CreateDate', 'UpdateDate'] as const;

/** The user as answered: what the key may see of its memberships; never the password. */
function renderUser(u: UserRec, visibleAccounts: number[]) {
  return {
    ID: u.ID,
    Email: u.Email,
    ...(u.FirstName ? { FirstName: u.FirstName } : {}),
    ...(u.LastName ? { LastName: u.LastName } : {}),
    IsActive: u.IsActive,
    HasPassword: Boolean(u.PasswordHash),
    AttributeList: u.AttributeList ?? [],
    AccountList: u.Accounts.filter((a) => visibleAccounts.includes(a.AccountID)).map((a) => ({ ...a })),
    CreateDate: u.CreateDate,
    UpdateDate: u.UpdateDate,
  };
}

/** `RequiredFieldList` (CSV or repeated): the attributes wanted besides ID; unknown ones 400 [36]. */
function requiredFields(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const names = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);
  return names.map((n) => {
    const f = USER_FIELDS.find((x) => x.toLowerCase() === n.toLowerCase());
    if (!f && n.toLowerCase() !== 'id') throw dolistError('36', `RequiredFieldList: unknown attribute ${n} (${USER_FIELDS.join(', ')})`, 'RequiredFieldList');
    return f ?? 'ID';
  });
}

/** The path's user as the key sees it (404 [901]). */
function pathUser(ctx: HandlerContext): UserRec {
  const { key, accounts } = callerOf(ctx);
  return requireVisibleUser(ctx.ws, key, accounts, Number(ctx.params.UserID));
}

/** The path's user must be a member of the request's account (404 [901]). */
function accountUser(ctx: HandlerContext): UserRec {
  const id = Number(ctx.params.UserID);
  const u = findAccountUser(ctx.ws, accountOf(ctx), id);
  if (!u) throw dolistError('901', `user ${id} is not a user of account ${accountOf(ctx)}`, 'UserID');
  return u;
}

export function userHandlers(): Record<string, Handler> {
  return {
    createUser: (ctx) => {
      const u = createUser(ctx.ws, callerOf(ctx).key, bodyOf(ctx));
      return { status: 201, body: { ID: u.ID } };
    },

    getUser: (ctx) => {
      const u = pathUser(ctx);
      const full = renderUser(u, callerOf(ctx).accounts) as Record<string, unknown>;
      const wanted = requiredFields(ctx.query.RequiredFieldList);
      if (!wanted) return { status: 200, body: full };
      const out: Record<string, unknown> = { ID: u.ID };
      for (const f of wanted) if (full[f] !== undefined) out[f] = full[f];
      return { status: 200, body: out };
    },

    updateUser: (ctx) => {
      updateUser(ctx.ws, pathUser(ctx).ID, bodyOf(ctx));
      return NO_CONTENT;
    },

    deleteUser: (ctx) => {
      deleteUser(ctx.ws, pathUser(ctx).ID, callerOf(ctx).accounts, (id) => dropUserFromRoles(ctx.ws, id));
      return NO_CONTENT;
    },

    listUserAccounts: (ctx) => {
      optionalApplication(ctx);
      const u = pathUser(ctx);
      const mine = callerOf(ctx).accounts;
      return listResult(ctx, u.Accounts.filter((a) => mine.includes(a.AccountID)).map((a) => userAccount(ctx, a.AccountID, a.UserFunction)));
    },

    listUserRoles: (ctx) => {
      const app = applicationOf(ctx);
      const u = accountUser(ctx);
      return listResult(ctx, rolesOfUser(ctx.ws, accountKey(accountOf(ctx)), app, u.ID).map((r) => renderRole(ctx.ws, r)));
    },

    listUserRightlevels: (ctx) => {
      const app = applicationOf(ctx);
      const u = accountUser(ctx);
      return listResult(ctx, describeRightLevels(ctx.ws, userRightLevels(ctx.ws, accountKey(accountOf(ctx)), app, u.ID)));
    },

    listUserAttributes: (ctx) => listResult(ctx, userAttributes(ctx.ws)),

    requestUserPasswordReset: (ctx) => {
      const v = ctx.query.ValidationKey;
      requestPasswordReset(ctx.ws, String(bodyOf(ctx).Email ?? ''), v === undefined ? undefined : String(v));
      return NO_CONTENT;
    },

    resetUserPassword: (ctx) => {
      const u = resetPassword(ctx.ws, ctx.params.Token, String(bodyOf(ctx).Password ?? ''));
      return { status: 200, body: { UserID: u.ID, Email: u.Email } };
    },
  };
}
