// Change requests and the details change history: declared get/list over the collections
// (the contact in the path is the parent), rendered per version; review and cancel call the
// lifecycle.
import type { Handler } from '../../../core/api.js';
import { untypedHandlers, type OperationMap, type TypedHandler } from '../../../core/contract-types.js';
import { crud, type CrudDecl } from '../../../core/crud.js';
import { notFound } from '../../../core/errors.js';
import { additivFixtures, NO_CONTENT, style } from '../style.js';
import {
  cancelChangeRequest,
  changeRequests,
  renderChangeRequest,
  renderPendingCheck,
  renderSummary,
  reviewChangeRequest,
  statusesOf,
  type ChangeRequestRec,
} from '../change-requests.js';
import { accessibleContactIds, contacts } from '../contacts.js';
import type { HandlerContext } from '../../../core/api.js';
import { changeSets, renderChangeSet, type ChangeSetRec } from '../history.js';
import type { operations } from '../generated/contract.js';
import { callerOf, langOf, withCriteria } from './common.js';

type O = operations;

export function changeRequestHandlers(): Record<string, Handler> {
  const ofContact = { param: 'contactId', collection: contacts };
  // A member sees the change requests of the contacts it has access to (with or without hierarchy).
  const accessible = (memberId: (ctx: HandlerContext) => number | null) => (ctx: HandlerContext) => {
    const ids = accessibleContactIds(ctx.ws, memberId(ctx), (ctx.body as { excludeHierarchy?: boolean } | undefined)?.excludeHierarchy === true);
    return ids ? (r: ChangeRequestRec) => ids.has(r.contactId) : undefined;
  };
  const callerMember = (ctx: HandlerContext) => {
    const p = callerOf(ctx);
    return p.kind === 'member' ? p.memberId : null;
  };
  const declared = crud(style, {
    getChangeRequestV10: { collection: changeRequests, action: 'get', parent: ofContact, render: (r, ctx) => renderChangeRequest(ctx.ws, r, 'v1.0', langOf(ctx)) },
    getChangeRequest: { collection: changeRequests, action: 'get', parent: ofContact, render: (r, ctx) => renderChangeRequest(ctx.ws, r, 'v1.1', langOf(ctx)) },
    searchChangeRequests: { collection: changeRequests, action: 'list', where: accessible(callerMember), render: (r, ctx) => renderSummary(ctx.ws, r, 'v1.1', langOf(ctx)) },
    searchMemberChangeRequests: {
      collection: changeRequests,
      action: 'list',
      where: accessible((ctx) => Number(ctx.params.memberId)),
      authorize: (ctx) => {
        const id = Number(ctx.params.memberId);
        if (!additivFixtures(ctx.ws).members.some((m) => m.id === id)) throw notFound(`member ${id} not found`, { field: 'memberId' });
      },
      render: (r, ctx) => renderSummary(ctx.ws, r, 'v1.0', langOf(ctx)),
    },
  } satisfies OperationMap<O, CrudDecl<ChangeRequestRec>>);
  const history = crud(style, {
    searchDetailsChangeHistoryV10: { collection: changeSets, action: 'list', parent: ofContact, render: (r) => renderChangeSet(r, 'v1.0') },
    searchDetailsChangeHistory: { collection: changeSets, action: 'list', parent: ofContact, render: (r) => renderChangeSet(r, 'v1.1') },
  } satisfies OperationMap<O, CrudDecl<ChangeSetRec>>);

  const listChangeRequestStatuses: TypedHandler<O, 'listChangeRequestStatuses'> = (ctx) => ({ body: { changeRequestStatuses: statusesOf(ctx.ws, langOf(ctx)) } });
  const checkPendingChangeRequestV10: TypedHandler<O, 'checkPendingChangeRequestV10'> = (ctx) => ({ body: renderPendingCheck(ctx.ws, contacts.view(ctx.ws, ctx.params.contactId), 'v1.0') });
  const checkPendingChangeRequest: TypedHandler<O, 'checkPendingChangeRequest'> = (ctx) => ({ body: renderPendingCheck(ctx.ws, contacts.view(ctx.ws, ctx.params.contactId), 'v1.1') });
  const requestOf = (ctx: { ws: import('../../../core/workspace.js').Workspace; params: { contactId: number; changeRequestId: number } }) => {
    const c = contacts.view(ctx.ws, ctx.params.contactId);
    return changeRequests.get(ctx.ws, ctx.params.changeRequestId, c.id);
  };
  const cancel: TypedHandler<O, 'cancelChangeRequest'> = (ctx) => {
    cancelChangeRequest(ctx.ws, requestOf(ctx), callerOf(ctx));
    return NO_CONTENT;
  };
  const review: TypedHandler<O, 'reviewChangeRequest'> = (ctx) => {
    reviewChangeRequest(ctx.ws, requestOf(ctx), callerOf(ctx), ctx.body);
    return NO_CONTENT;
  };
  return {
    ...untypedHandlers<O>({ listChangeRequestStatuses, checkPendingChangeRequestV10, checkPendingChangeRequest, cancelChangeRequest: cancel, reviewChangeRequest: review }),
    getChangeRequestV10: declared.getChangeRequestV10,
    getChangeRequest: declared.getChangeRequest,
    searchChangeRequests: withCriteria(declared.searchChangeRequests),
    searchMemberChangeRequests: withCriteria(declared.searchMemberChangeRequests),
    searchDetailsChangeHistoryV10: withCriteria(history.searchDetailsChangeHistoryV10),
    searchDetailsChangeHistory: withCriteria(history.searchDetailsChangeHistory),
  };
}
