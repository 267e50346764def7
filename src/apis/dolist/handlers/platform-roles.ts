// Roles and the rights catalogue over HTTP. Roles belong to the request's account and
// application: one of another application or account is 404 [101]. Rules in roles.ts, rights.ts.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import type { Collection } from '../../../core/engine/collection.js';
import type { Rec } from '../../../core/record.js';
import { describeRightLevels, renderRight, requireTemplate, rightsTable, type RightCollections, type RightLevelRef } from '../rights.js';
import {
  assertWritable,
  checkRoleName,
  changeRoleRightLevels,
  changeRoleUsers,
  cloneRightLevels,
  initialRightLevels,
  operationMode,
  renderRole,
  requireRole,
  roleForWrite,
  type RoleRec,
} from '../roles.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';
import { usersTable } from '../users.js';
import { applicationOf, bodyOf, listResult } from './platform-common.js';

/** The record must be of the request's application, else the collection's not-found. */
const sameApplication = (coll: Collection<any>) => (ctx: HandlerContext, rec?: Rec) => {
  if (rec && rec.ApplicationID !== applicationOf(ctx)) throw coll.notFoundError(rec.ID);
};

const roleOf = (ctx: HandlerContext) => requireRole(ctx.ws, callerAccount(ctx), applicationOf(ctx), Number(ctx.params.RoleID));
const roleForWriteOf = (ctx: HandlerContext) => roleForWrite(ctx.ws, callerAccount(ctx), applicationOf(ctx), Number(ctx.params.RoleID));

export function roleHandlers(deps: { roles: Collection<RoleRec>; rights: RightCollections }): Record<string, Handler> {
  const { roles } = deps;
  const { rights, categories, templates } = deps.rights;
  const app = (ctx: HandlerContext) => void applicationOf(ctx);
  return {
    ...crud(style, {
      getRole: { collection: roles, action: 'get', partition: callerAccount, authorize: app, guard: sameApplication(roles), render: (r, ctx) => renderRole(ctx.ws, r) },
      updateRole: {
        collection: roles,
        action: 'update',
        partition: callerAccount,
        authorize: app,
        guard: (ctx, rec) => {
          sameApplication(roles)(ctx, rec);
          assertWritable(rec as RoleRec);
          checkRoleName(ctx.ws, callerAccount(ctx), rec!.ApplicationID, bodyOf(ctx).Name, rec!.ID);
        },
      },
      deleteRole: {
        collection: roles,
        action: 'delete',
        partition: callerAccount,
        authorize: app,
        guard: (ctx, rec) => {
          sameApplication(roles)(ctx, rec);
          assertWritable(rec as RoleRec);
        },
      },
      createRole: {
        collection: roles,
        action: 'create',
        partition: callerAccount,
        authorize: app,
        guard: (ctx) => checkRoleName(ctx.ws, callerAccount(ctx), applicationOf(ctx), bodyOf(ctx).Name),
        extra: (ctx) => {
          const b = bodyOf(ctx);
          const applicationId = applicationOf(ctx);
          const levels = initialRightLevels(ctx.ws, callerAccount(ctx), applicationId, { TemplateID: b.TemplateID, RightLevelList: b.RightLevelList as RightLevelRef[] | undefined });
          return { ApplicationID: applicationId, IsReadOnly: false, UserIDList: [], RightLevels: levels };
        },
      },
      listRights: { collection: rights, action: 'list', authorize: app, render: (r, ctx) => renderRight(ctx.ws, callerAccount(ctx), r) },
      getRight: { collection: rights, action: 'get', authorize: app, guard: sameApplication(rights), render: (r, ctx) => renderRight(ctx.ws, callerAccount(ctx), r) },
      listRightCategories: { collection: categories, action: 'list', authorize: app, render: (c, ctx) => ({ ...categories.render(c), RightCount: rightsTable(ctx.ws).countBy('CategoryID', c.ID) }) },
      getRightCategory: {
        collection: categories,
        action: 'get',
        authorize: app,
        guard: sameApplication(categories),
        render: (c, ctx) => ({ ...categories.render(c), RightCount: rightsTable(ctx.ws).countBy('CategoryID', c.ID) }),
      },
      listRightTemplates: { collection: templates, action: 'list', authorize: app },
      getRightTemplate: { collection: templates, action: 'get', authorize: app, guard: sameApplication(templates) },
    }),

    listRightTemplateRightlevels: (ctx) => {
      const t = requireTemplate(ctx.ws, applicationOf(ctx), Number(ctx.params.TemplateID));
      return listResult(ctx, describeRightLevels(ctx.ws, t.RightLevels));
    },

    listRoleUsers: (ctx) => {
      const role = roleOf(ctx);
      const acc = Number(role.account);
      const items = role.UserIDList.flatMap((id) => {
        const u = usersTable(ctx.ws).peek(String(id));
        const m = u?.Accounts.find((a) => a.AccountID === acc);
        if (!u || !m) return [];
        return [{ UserID: u.ID, Email: u.Email, ...(u.FirstName ? { FirstName: u.FirstName } : {}), ...(u.LastName ? { LastName: u.LastName } : {}), IsActive: u.IsActive, UserFunction: m.UserFunction, RoleIDList: [role.ID] }];
      });
      return listResult(ctx, items);
    },

    updateRoleUsers: (ctx) => {
      const mode = operationMode(ctx.query.OperationMode);
      const role = roleForWriteOf(ctx);
      changeRoleUsers(ctx.ws, role, mode, (bodyOf(ctx).UserIDList ?? []) as number[]);
      return NO_CONTENT;
    },

    listRoleRightlevels: (ctx) => listResult(ctx, describeRightLevels(ctx.ws, roleOf(ctx).RightLevels)),

    updateRoleRightlevels: (ctx) => {
      const mode = operationMode(ctx.query.OperationMode);
      const role = roleForWriteOf(ctx);
      changeRoleRightLevels(ctx.ws, role, mode, (bodyOf(ctx).RightLevelList ?? []) as RightLevelRef[]);
      return NO_CONTENT;
    },

    createRoleRightlevel: (ctx) => {
      const role = roleForWriteOf(ctx);
      const b = bodyOf(ctx);
      cloneRightLevels(ctx.ws, role, { SourceRoleID: b.SourceRoleID, TemplateID: b.TemplateID });
      return NO_CONTENT;
    },
  };
}
