// Export operations over HTTP: exports (declared list/get, behaviour in exports.ts), search,
// the type tree, type filters and column references (export-catalogue.ts), mappings and their
// columns (export-mappings.ts), filters, recipients and job files.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import type { Collection } from '../../../core/engine/collection.js';
import { dolistError } from '../error-catalogue.js';
import { allowedFilters, columnReferences, FILTER_VALUE_TYPE, requireExportType, typeTree } from '../export-catalogue.js';
import { addColumn, createMapping, deleteColumn, deleteMapping, duplicateMapping, updateColumn, updateMapping, viewColumn, viewMapping, type ExportMappingRec } from '../export-mappings.js';
import {
  addFilters,
  addRecipient,
  createExport,
  deleteExport,
  deleteFilter,
  deleteRecipient,
  exportRecipients,
  jobFile,
  renderExport,
  updateExport,
  viewExport,
  type ExportRec,
} from '../exports.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';

const id = (ctx: HandlerContext, name: string) => Number(ctx.params[name]);
const body = (ctx: HandlerContext): Record<string, any> => (ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? ctx.body : {});
const list = (items: unknown[]) => ({ status: 200, body: { ItemList: items, Total: items.length } });
const created = (ID: number) => ({ status: 201, body: { ID } });

/** An optional TypeID query parameter, checked against the tree ([1305]). */
function typeParam(ctx: HandlerContext): number | undefined {
  const v = ctx.query.TypeID;
  return v === undefined || v === null || v === '' ? undefined : requireExportType(v).ID;
}

export function exportsHandlers(deps: { exports: Collection<ExportRec>; mappings: Collection<ExportMappingRec> }): Record<string, Handler> {
  const { exports, mappings } = deps;
  const renderE = (r: ExportRec, ctx: HandlerContext) => renderExport(ctx.ws, r);
  const declared = crud(style, {
    listExports: { collection: exports, action: 'list', partition: callerAccount, render: renderE },
    getExport: {
      collection: exports,
      action: 'get',
      partition: callerAccount,
      // First the domain's not-found answers (with their detail); an export whose mapping was
      // deleted answers [1302] (research E5).
      authorize: (ctx) => void viewExport(ctx.ws, callerAccount(ctx), id(ctx, 'ExportID'), { mapping: true }),
      render: renderE,
    },
    listExportMappings: { collection: mappings, action: 'list', partition: callerAccount },
    getExportMapping: { collection: mappings, action: 'get', partition: callerAccount, authorize: (ctx) => void viewMapping(ctx.ws, callerAccount(ctx), id(ctx, 'MappingID')) },
  });

  return {
    ...declared,
    createExport: (ctx) => created(createExport(ctx.ws, callerAccount(ctx), body(ctx)).ID),
    updateExport: (ctx) => {
      updateExport(ctx.ws, callerAccount(ctx), id(ctx, 'ExportID'), body(ctx));
      return NO_CONTENT;
    },
    deleteExport: (ctx) => {
      deleteExport(ctx.ws, callerAccount(ctx), id(ctx, 'ExportID'));
      return NO_CONTENT;
    },
    searchExports: (ctx) => {
      const b = body(ctx);
      if (b.TypeID !== undefined) requireExportType(b.TypeID);
      const { items, page } = exports.list(ctx.ws, b, { partition: callerAccount(ctx) });
      return { status: 200, body: exports.envelope(items.map((r) => renderExport(ctx.ws, r)), page) };
    },

    listExportTypes: () => list(typeTree()),
    listExportTypeFilters: (ctx) => {
      const t = typeParam(ctx);
      const types = t === undefined ? typeTree().map((x) => x.ID) : [t];
      return list(types.flatMap((TypeID) => allowedFilters(TypeID).map((Type) => ({ TypeID, Type, ValueType: FILTER_VALUE_TYPE[Type] }))));
    },
    listExportMappingColumnreferences: (ctx) => list(columnReferences(ctx.ws, callerAccount(ctx), typeParam(ctx))),

    createExportMapping: (ctx) => created(createMapping(ctx.ws, callerAccount(ctx), body(ctx) as { Name: string; TypeID: number }).ID),
    updateExportMapping: (ctx) => {
      updateMapping(ctx.ws, callerAccount(ctx), id(ctx, 'MappingID'), body(ctx));
      return NO_CONTENT;
    },
    deleteExportMapping: (ctx) => {
      deleteMapping(ctx.ws, callerAccount(ctx), id(ctx, 'MappingID'));
      return NO_CONTENT;
    },
    searchExportMappings: (ctx) => {
      const b = body(ctx);
      if (b.TypeID !== undefined) requireExportType(b.TypeID);
      const { items, page } = mappings.list(ctx.ws, b, { partition: callerAccount(ctx) });
      return { status: 200, body: mappings.envelope(items.map((r) => mappings.render(r)), page) };
    },
    duplicateExportMapping: (ctx) => created(duplicateMapping(ctx.ws, callerAccount(ctx), id(ctx, 'MappingID'), body(ctx).Name).ID),

    listExportMappingColumns: (ctx) => list(viewMapping(ctx.ws, callerAccount(ctx), id(ctx, 'MappingID')).ColumnList.slice().sort((a, b) => a.Position - b.Position)),
    createExportMappingColumn: (ctx) => {
      addColumn(ctx.ws, callerAccount(ctx), id(ctx, 'MappingID'), body(ctx) as { ColumnReferenceID: number });
      return NO_CONTENT;
    },
    getExportMappingColumn: (ctx) => ({ status: 200, body: viewColumn(ctx.ws, callerAccount(ctx), id(ctx, 'MappingID'), id(ctx, 'ColumnID')) }),
    updateExportMappingColumn: (ctx) => {
      updateColumn(ctx.ws, callerAccount(ctx), id(ctx, 'MappingID'), id(ctx, 'ColumnID'), body(ctx));
      return NO_CONTENT;
    },
    deleteExportMappingColumn: (ctx) => {
      deleteColumn(ctx.ws, callerAccount(ctx), id(ctx, 'MappingID'), id(ctx, 'ColumnID'));
      return NO_CONTENT;
    },

    listExportFilters: (ctx) => list(viewExport(ctx.ws, callerAccount(ctx), id(ctx, 'ExportID')).FilterList),
    createExportFilter: (ctx) => {
      const filters = body(ctx).FilterList;
      if (filters !== undefined && !Array.isArray(filters)) throw dolistError('36', 'FilterList must be a list', 'FilterList');
      viewExport(ctx.ws, callerAccount(ctx), id(ctx, 'ExportID'));
      // An empty body (or list) adds nothing: 204, as the reference's second answer says.
      if (!filters?.length) return NO_CONTENT;
      const all = addFilters(ctx.ws, callerAccount(ctx), id(ctx, 'ExportID'), filters);
      return { status: 201, body: { ItemList: all, Total: all.length } };
    },
    deleteExportFilter: (ctx) => {
      deleteFilter(ctx.ws, callerAccount(ctx), id(ctx, 'ExportID'), ctx.params.FilterID);
      return NO_CONTENT;
    },

    listExportRecipients: (ctx) => {
      viewExport(ctx.ws, callerAccount(ctx), id(ctx, 'ExportID'));
      return list(exportRecipients(ctx.ws, id(ctx, 'ExportID')).map(({ ID, Type, Value, Email, CreateDate, NotificationCount }) => ({ ID, Type, Value, Email, CreateDate, NotificationCount })));
    },
    createExportRecipient: (ctx) => created(addRecipient(ctx.ws, callerAccount(ctx), id(ctx, 'ExportID'), body(ctx)).ID),
    deleteExportRecipient: (ctx) => {
      deleteRecipient(ctx.ws, callerAccount(ctx), id(ctx, 'ExportID'), id(ctx, 'RecipientID'));
      return NO_CONTENT;
    },

    getExportJobFile: (ctx) => {
      const f = jobFile(ctx.ws, callerAccount(ctx), id(ctx, 'ExportID'), id(ctx, 'JobID'));
      return {
        status: 200,
        raw: { data: f.bytes, contentType: f.contentType },
        headers: { 'Content-Disposition': `attachment; filename="${f.name.replace(/"/g, '')}"` },
      };
    },
  };
}
