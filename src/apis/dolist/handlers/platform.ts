// Platform operations over HTTP: applications, accounts (the key's accounts, packs, the account's
// roles, right lock reasons, members) and the caller's licences. Behaviour lives in the domain
// modules (accounts.ts, users.ts, roles.ts, rights.ts, packs.ts); handlers translate HTTP.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import type { Collection } from '../../../core/engine/collection.js';
import { keyAccounts } from '../accounts.js';
import type { ApplicationRec } from '../applications.js';
import type { PackRec } from '../packs.js';
import { lockReasons } from '../rights.js';
import { dropUserFromRoles, renderRole, rolesOfUser, type RoleRec } from '../roles.js';
import { accountKey, dolistFixtures, NO_CONTENT, style } from '../style.js';
import { accountMembers, addMembership, licenceOf, removeMembership, requireVisibleUser, userFunction } from '../users.js';
import { applicationOf, callerOf, listResult, optionalApplication, userAccount } from './platform-common.js';

export interface PlatformDeps {
  applications: Collection<ApplicationRec>;
  packs: Collection<PackRec>;
  roles: Collection<RoleRec>;
}

const pathAccount = (ctx: HandlerContext) => Number(ctx.params.AccountID);

export function platformHandlers(deps: PlatformDeps): Record<string, Handler> {
  return {
    ...crud(style, {
      getApplication: { collection: deps.applications, action: 'get' },
      listApplications: { collection: deps.applications, action: 'list' },
      listAccountPacks: { collection: deps.packs, action: 'list', partition: (ctx) => accountKey(pathAccount(ctx)) },
      getAccountPack: { collection: deps.packs, action: 'get', partition: (ctx) => accountKey(pathAccount(ctx)) },
      listAccountRoles: {
        collection: deps.roles,
        action: 'list',
        partition: (ctx) => accountKey(pathAccount(ctx)),
        authorize: (ctx) => void applicationOf(ctx),
        render: (r, ctx) => renderRole(ctx.ws, r),
      },
    }),

    listAccountReasons: (ctx) => {
      const app = applicationOf(ctx);
      const opt = (v: unknown) => (v === undefined ? undefined : Number(v));
      return listResult(ctx, lockReasons(ctx.ws, accountKey(pathAccount(ctx)), app, opt(ctx.query.RightID), opt(ctx.query.LevelID)));
    },

    listAccountUsers: (ctx) => {
      const app = applicationOf(ctx);
      const acc = pathAccount(ctx);
      const items = accountMembers(ctx.ws, acc).map(({ user: u, UserFunction }) => ({
        UserID: u.ID,
        Email: u.Email,
        ...(u.FirstName ? { FirstName: u.FirstName } : {}),
        ...(u.LastName ? { LastName: u.LastName } : {}),
        IsActive: u.IsActive,
        UserFunction,
        RoleIDList: rolesOfUser(ctx.ws, accountKey(acc), app, u.ID).map((r) => r.ID),
      }));
      return listResult(ctx, items);
    },

    addAccountUser: (ctx) => {
      applicationOf(ctx);
      const fn = userFunction(ctx.ws, ctx.query.UserFunction);
      const { key, accounts } = callerOf(ctx);
      const user = requireVisibleUser(ctx.ws, key, accounts, Number(ctx.query.UserID));
      addMembership(ctx.ws, pathAccount(ctx), user.ID, fn);
      return NO_CONTENT;
    },

    removeAccountUser: (ctx) => {
      applicationOf(ctx);
      const fn = userFunction(ctx.ws, ctx.query.UserFunction);
      const { key, accounts } = callerOf(ctx);
      const user = requireVisibleUser(ctx.ws, key, accounts, Number(ctx.params.UserID));
      removeMembership(ctx.ws, pathAccount(ctx), user.ID, fn);
      dropUserFromRoles(ctx.ws, user.ID, accountKey(pathAccount(ctx)));
      return NO_CONTENT;
    },

    // The key acts in each of its accounts with the fixtures' `keyFunction` (Administrator):
    // `UserFunction` keeps the accounts where that is the function asked.
    listAccounts: (ctx) => {
      optionalApplication(ctx);
      const fn = userFunction(ctx.ws, ctx.query.UserFunction);
      const keyFn = userFunction(ctx.ws, dolistFixtures(ctx.ws).keyFunction ?? 'Administrator', 'keyFunction');
      const accounts = fn === keyFn ? keyAccounts(ctx.ws, callerOf(ctx).accounts) : [];
      return listResult(ctx, accounts.map((a) => userAccount(ctx, a.ID, keyFn)));
    },

    getUserLicence: (ctx) => {
      const items = keyAccounts(ctx.ws, callerOf(ctx).accounts).flatMap((a) => {
        const l = licenceOf(ctx.ws, a.ID);
        return l ? [{ AccountID: a.ID, AccountName: a.Name, Licence: l.Licence, MaxUsers: l.MaxUsers, UserCount: accountMembers(ctx.ws, a.ID).length, ExpiryDate: l.ExpiryDate }] : [];
      });
      return listResult(ctx, items);
    },
  };
}
