// Variables over HTTP: the account's personalisation variables, a view of its live fields
// (variables.ts), renamed by writing the field; a contact's values for them.
import type { Handler } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import type { Collection } from '../../../core/engine/collection.js';
import type { FieldRec } from '../fields.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';
import { checkVariableType, renameVariable, variableValues } from '../variables.js';
import { bodyOf, listResult } from './platform-common.js';

export function variableHandlers(variables: Collection<FieldRec>): Record<string, Handler> {
  return {
    ...crud(style, {
      listVariables: { collection: variables, action: 'list', partition: callerAccount, authorize: (ctx) => checkVariableType(ctx.query.Type) },
      getVariable: { collection: variables, action: 'get', partition: callerAccount },
    }),

    updateVariable: (ctx) => {
      renameVariable(ctx.ws, callerAccount(ctx), Number(ctx.params.VariableID), String(bodyOf(ctx).Name ?? ''));
      return NO_CONTENT;
    },

    createVariableValues: (ctx) => {
      const b = bodyOf(ctx);
      return listResult(ctx, variableValues(ctx.ws, callerAccount(ctx), Number(b.ContactID), b.VariableIDList as number[] | undefined), b);
    },
  };
}
