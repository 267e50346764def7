// HTTP <-> domain for consent: contact address statuses, their history and the bulk opt-out.
import type { OperationHandlers } from '../../../core/contract-types.js';
import { crudActions } from '../../../core/crud.js';
import type { SynCollections } from '../collections.js';
import { createStatus, optOut, updateStatus } from '../consent.js';
import type { operations } from '../generated/contract.js';
import { style, idAnswer as ok } from '../style.js';


export function consentHandlers(c: SynCollections): OperationHandlers<operations> {
  const statuses = crudActions(style, c.addressStatuses);
  const history = crudActions(style, c.addressHistory);
  return {
    listContactAddressStatuses: statuses.list,
    getContactAddressStatus: statuses.get,
    createContactAddressStatus: (ctx) => ok(createStatus(ctx.ws, c, c.addressStatuses.pick(ctx.body, ctx.operation.bodySchema))),
    updateContactAddressStatus: (ctx) => ok(updateStatus(ctx.ws, c, ctx.params.AddressStatus_ID, ctx.body, ctx.operation.bodySchema)),
    deleteContactAddressStatus: statuses.remove,
    optOutContactAddressStatuses: (ctx) => ({ body: { ids: optOut(ctx.ws, c, ctx.body.sender_id, ctx.body.addresses, ctx.body.consent_status ?? null) } }),
    listContactAddressHistory: history.list,
  };
}
