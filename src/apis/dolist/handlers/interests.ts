// Interest and interest-group operations over HTTP: lists and reads are declared CRUD on the two
// collections (with the live `ContactCount` when `WithCountContacts` asks for it); writes,
// positions, duplicates, variables, usage, counts and the CSV call interest-catalogue.ts and
// interest-counts.ts.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import type { Collection } from '../../../core/engine/collection.js';
import type { LoadedSpec } from '../../../core/spec.js';
import { CSV_CONTENT_TYPE } from '../contacts-csv.js';
import { isTrue } from '../field-definitions.js';
import {
  createGroup,
  createInterest,
  deleteGroup,
  deleteInterest,
  duplicateGroup,
  groupOr404,
  groupVariable,
  groupVariables,
  interestCounts,
  interestOr404,
  interestsCsv,
  moveInterest,
  updateGroup,
  updateInterest,
  type GroupInput,
  type InterestInput,
} from '../interest-catalogue.js';
import { startGroupCount, startInterestCount } from '../interest-counts.js';
import { accountInterests, type InterestGroupRec, type InterestRec } from '../interests.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';
import { idParam } from './contacts.js';
import { usageHandlers } from './fields.js';

type Counts = ReturnType<typeof interestCounts>;

const objectBody = <T>(body: unknown): T => (body && typeof body === 'object' && !Array.isArray(body) ? (body as T) : ({} as T));

export function interestHandlers(spec: LoadedSpec, interests: Collection<InterestRec>, groups: Collection<InterestGroupRec>): Record<string, Handler> {
  // The counts of one request, computed once (one pass over the account's contacts).
  const countsOf = new WeakMap<HandlerContext, Counts>();
  const counts = (ctx: HandlerContext) => {
    let c = countsOf.get(ctx);
    if (!c) countsOf.set(ctx, (c = interestCounts(ctx.ws, callerAccount(ctx))));
    return c;
  };
  const withCount = (ctx: HandlerContext) => isTrue(ctx.query.WithCountContacts);
  const showInterest = (i: InterestRec, ctx: HandlerContext) => {
    const out = interests.render(i);
    return withCount(ctx) ? { ...out, ContactCount: counts(ctx).byInterest.get(i.ID) ?? 0 } : out;
  };
  const showGroup = (g: InterestGroupRec, ctx: HandlerContext) => {
    const out = groups.render(g);
    return withCount(ctx) ? { ...out, ContactCount: counts(ctx).byGroup.get(g.ID) ?? 0 } : out;
  };
  /** `InterestIDList` of /interests/groupinterests: only these interests (and their groups). */
  const onlyInterests = (ctx: HandlerContext): Set<number> | undefined => {
    const raw = ctx.query.InterestIDList;
    return Array.isArray(raw) && raw.length ? new Set(raw.map(Number)) : undefined;
  };
  const showGroupWithInterests = (g: InterestGroupRec, ctx: HandlerContext) => {
    const only = onlyInterests(ctx);
    const list = accountInterests(ctx.ws, callerAccount(ctx), g.ID).filter((i) => !only || only.has(i.ID));
    return { ...showGroup(g, ctx), Interests: list.map((i) => showInterest(i, ctx)) };
  };
  const interestExists = (ctx: HandlerContext) => void interestOr404(ctx.ws, callerAccount(ctx), idParam(ctx, 'InterestID'));
  const groupExists = (ctx: HandlerContext) => void groupOr404(ctx.ws, callerAccount(ctx), idParam(ctx, 'GroupID'));
  const interestUsage = usageHandlers(spec, 'interest', 'InterestID', (ctx, id) => void interestOr404(ctx.ws, callerAccount(ctx), id));
  const groupUsage = usageHandlers(spec, 'group', 'GroupID', (ctx, id) => void groupOr404(ctx.ws, callerAccount(ctx), id));
  const targetOf = (ctx: HandlerContext) => (ctx.query.TargetID === undefined || ctx.query.TargetID === null ? null : Number(ctx.query.TargetID));

  return {
    ...crud(style, {
      getInterest: { collection: interests, action: 'get', partition: callerAccount, authorize: interestExists, render: showInterest },
      listInterests: { collection: interests, action: 'list', partition: callerAccount, render: showInterest },
      getInterestGroup: { collection: groups, action: 'get', partition: callerAccount, authorize: groupExists, render: showGroup },
      listInterestGroups: { collection: groups, action: 'list', partition: callerAccount, render: showGroup },
      listInterestGroupinterests: {
        collection: groups,
        action: 'list',
        partition: callerAccount,
        where: (ctx) => {
          const gid = ctx.query.GroupID === undefined ? undefined : Number(ctx.query.GroupID);
          const only = onlyInterests(ctx);
          const account = callerAccount(ctx);
          if (gid === undefined && !only) return undefined;
          return (g) => (gid === undefined || g.ID === gid) && (!only || accountInterests(ctx.ws, account, g.ID).some((i) => only.has(i.ID)));
        },
        render: showGroupWithInterests,
      },
      listInterestGroupvariables: { collection: groups, action: 'list', partition: callerAccount, render: (g) => groupVariable(g) },
    }),

    createInterest: (ctx) => {
      const i = createInterest(ctx.ws, interests, callerAccount(ctx), Number(ctx.query.GroupID), objectBody<InterestInput>(ctx.body));
      return { status: 201, body: { ID: i.ID } };
    },
    updateInterest: (ctx) => {
      updateInterest(ctx.ws, callerAccount(ctx), idParam(ctx, 'InterestID'), objectBody<InterestInput>(ctx.body));
      return NO_CONTENT;
    },
    deleteInterest: (ctx) => {
      deleteInterest(ctx.ws, callerAccount(ctx), idParam(ctx, 'InterestID'), isTrue(ctx.query.Undo));
      return NO_CONTENT;
    },
    setInterestPosition: (ctx) => {
      moveInterest(ctx.ws, callerAccount(ctx), idParam(ctx, 'InterestID'), objectBody<{ Position?: unknown }>(ctx.body).Position);
      return NO_CONTENT;
    },

    createInterestGroup: (ctx) => {
      const g = createGroup(ctx.ws, groups, callerAccount(ctx), objectBody<GroupInput>(ctx.body));
      return { status: 201, body: { ID: g.ID } };
    },
    updateInterestGroup: (ctx) => {
      updateGroup(ctx.ws, callerAccount(ctx), idParam(ctx, 'GroupID'), objectBody<GroupInput>(ctx.body));
      return NO_CONTENT;
    },
    deleteInterestGroup: (ctx) => {
      deleteGroup(ctx.ws, callerAccount(ctx), idParam(ctx, 'GroupID'), isTrue(ctx.query.Undo));
      return NO_CONTENT;
    },
    duplicateInterestGroup: (ctx) => {
      const g = duplicateGroup(ctx.ws, groups, interests, callerAccount(ctx), idParam(ctx, 'GroupID'), objectBody<{ Name?: string }>(ctx.body).Name);
      return { status: 201, body: { ID: g.ID } };
    },

    getInterestGroupvariable: (ctx) => ({ status: 200, body: groupVariable(groupOr404(ctx.ws, callerAccount(ctx), idParam(ctx, 'GroupID'))) }),
    listInterestGroupVariables: (ctx) => {
      const items = groupVariables(ctx.ws, callerAccount(ctx), groupOr404(ctx.ws, callerAccount(ctx), idParam(ctx, 'GroupID')));
      return { status: 200, body: { ItemList: items, Total: items.length } };
    },
    exportInterests: (ctx) => ({
      status: 200,
      raw: { data: interestsCsv(ctx.ws, callerAccount(ctx)), contentType: CSV_CONTENT_TYPE },
      headers: { 'content-disposition': `attachment; filename="interests-${callerAccount(ctx)}.csv"` },
    }),

    listInterestUsage: interestUsage.counts,
    getInterestUsage: interestUsage.items,
    listInterestGroupUsage: groupUsage.counts,
    getInterestGroupUsage: groupUsage.items,

    countInterestContactsAsync: (ctx) => ({ status: 201, body: startInterestCount(ctx.ws, callerAccount(ctx), idParam(ctx, 'InterestID'), targetOf(ctx)) }),
    countInterestGroupContactsAsync: (ctx) => ({ status: 201, body: startGroupCount(ctx.ws, callerAccount(ctx), idParam(ctx, 'GroupID'), targetOf(ctx)) }),
  };
}
