// Field operations over HTTP: lists and reads are declared CRUD on the fields collection; writes,
// positions, variables, usage and the CSV call field-definitions.ts.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import type { Collection } from '../../../core/engine/collection.js';
import { listArray } from '../../../core/engine/array-list.js';
import { shapeOf } from '../../../core/engine/shape.js';
import type { LoadedSpec } from '../../../core/spec.js';
import { CSV_CONTENT_TYPE } from '../contacts-csv.js';
import { dolistError } from '../error-catalogue.js';
import { createField, deleteField, fieldOr404, fieldsCsv, fieldVariable, isTrue, moveField, updateField, type FieldInput } from '../field-definitions.js';
import type { FieldRec } from '../fields.js';
import { callerAccount, dolistFixtures, NO_CONTENT, style } from '../style.js';
import { USAGE_TYPES, usageCounts, usageItems, type UsedKind } from '../usage.js';
import { idParam, listBody } from './contacts.js';

/** The usage type of the path (400 [36] when it is not one of USAGE_TYPES). */
export function usageTypeOf(ctx: HandlerContext): number {
  const t = idParam(ctx, 'TypeID');
  if (!(t in USAGE_TYPES)) throw dolistError('36', `TypeID must be one of ${Object.entries(USAGE_TYPES).map(([k, v]) => `${k} (${v})`).join(', ')}`, 'TypeID');
  return t;
}

/** `/usage` and `/usage/{TypeID}` of a field, interest or group (after its existence was checked). */
export function usageHandlers(spec: LoadedSpec, kind: UsedKind, param: string, check: (ctx: HandlerContext, id: number) => void) {
  const itemShape = shapeOf(spec.schemas.ContactsUsageItem);
  return {
    counts: ((ctx) => {
      const id = idParam(ctx, param);
      check(ctx, id);
      const items = usageCounts(ctx.ws, kind, callerAccount(ctx), id);
      return { status: 200, body: { ItemList: items, Total: items.length } };
    }) as Handler,
    items: ((ctx) => {
      const id = idParam(ctx, param);
      check(ctx, id);
      const type = usageTypeOf(ctx);
      const { items, page } = listArray({ shape: itemShape, list: style.list }, usageItems(ctx.ws, kind, callerAccount(ctx), id, type), ctx.query);
      return { status: 200, body: listBody(items, page) };
    }) as Handler,
  };
}

const fieldInput = (body: unknown): FieldInput => (body && typeof body === 'object' ? (body as FieldInput) : {});

export function fieldHandlers(spec: LoadedSpec, fields: Collection<FieldRec>): Record<string, Handler> {
  const exists = (ctx: HandlerContext) => void fieldOr404(ctx.ws, callerAccount(ctx), idParam(ctx, 'FieldID'));
  const usage = usageHandlers(spec, 'field', 'FieldID', (ctx, id) => void fieldOr404(ctx.ws, callerAccount(ctx), id));
  return {
    ...crud(style, {
      getField: { collection: fields, action: 'get', partition: callerAccount, authorize: exists },
      listFields: { collection: fields, action: 'list', partition: callerAccount },
      listFieldFieldvariables: { collection: fields, action: 'list', partition: callerAccount, render: fieldVariable },
    }),

    createField: (ctx) => {
      const f = createField(ctx.ws, fields, callerAccount(ctx), fieldInput(ctx.body));
      return { status: 201, body: { ID: f.ID } };
    },

    updateField: (ctx) => {
      updateField(ctx.ws, callerAccount(ctx), idParam(ctx, 'FieldID'), fieldInput(ctx.body));
      return NO_CONTENT;
    },

    deleteField: (ctx) => {
      deleteField(ctx.ws, callerAccount(ctx), idParam(ctx, 'FieldID'), isTrue(ctx.query.Undo));
      return NO_CONTENT;
    },

    setFieldPosition: (ctx) => {
      moveField(ctx.ws, callerAccount(ctx), idParam(ctx, 'FieldID'), (ctx.body as { Position?: unknown } | undefined)?.Position);
      return NO_CONTENT;
    },

    listFieldFieldtypes: (ctx) => {
      const types = dolistFixtures(ctx.ws).fieldTypes.map((t) => ({ ID: t.ID, Name: t.Name }));
      return { status: 200, body: { ItemList: types, Total: types.length } };
    },

    getFieldVariable: (ctx) => ({ status: 200, body: fieldVariable(fieldOr404(ctx.ws, callerAccount(ctx), idParam(ctx, 'FieldID'))) }),
    getFieldFieldvariable: (ctx) => ({ status: 200, body: fieldVariable(fieldOr404(ctx.ws, callerAccount(ctx), idParam(ctx, 'FieldID'))) }),

    exportFields: (ctx) => ({
      status: 200,
      raw: { data: fieldsCsv(ctx.ws, callerAccount(ctx)), contentType: CSV_CONTENT_TYPE },
      headers: { 'content-disposition': `attachment; filename="fields-${callerAccount(ctx)}.csv"` },
    }),

    listFieldUsage: usage.counts,
    getFieldUsage: usage.items,
  };
}
