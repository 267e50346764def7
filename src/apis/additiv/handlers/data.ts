// Exports, imports/syncs, legal entities, schemas and lists.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { untypedHandlers, type OperationMap, type TypedHandler } from '../../../core/contract-types.js';
import { crud, type CrudDecl } from '../../../core/crud.js';
import { invalid } from '../../../core/errors.js';
import { downloadExport, exportFilter, startExport, type ExportKind } from '../exports.js';
import type { operations } from '../generated/contract.js';
import { startSync, syncStatus, uploadFiles, type ImportKind, type UploadedFile } from '../imports.js';
import { createLegalEntity, legalEntities, legalEntityOfContact, renderDetails, replaceLegalEntityDetails, type LegalEntityRec, type LinkInput } from '../legal-entities.js';
import { itemsOfLists, lookup } from '../lists.js';
import { applySchemaUpdate, inputFieldsOf, layoutFieldsOf, schemaByKey, schemas } from '../schemas.js';
import { API_ID, NO_CONTENT, style } from '../style.js';
import { callerOf, langOf } from './common.js';

type O = operations;

/** The query text of an export body: a GraphQL text, a JSON string, `{"query": ...}` or nothing. */
function queryText(ctx: Pick<HandlerContext, 'body' | 'rawBody'>): string | undefined {
  const b = ctx.body as unknown;
  if (typeof b === 'string') return b;
  if (b && typeof b === 'object' && !Array.isArray(b)) {
    const q = (b as { query?: unknown }).query;
    if (q === undefined || q === null) return undefined;
    if (typeof q !== 'string') throw invalid(`'query' must be a string`, { field: 'query' });
    return q;
  }
  if (ctx.rawBody?.length) return Buffer.from(ctx.rawBody).toString('utf8');
  return undefined;
}

/** The files of an upload: multipart (the first file), a JSON array of entries, or `{fileName, content}` objects. */
function uploadedFiles(ctx: Pick<HandlerContext, 'body' | 'rawBody'>): UploadedFile[] {
  const b = ctx.body as unknown;
  if (ctx.rawBody) {
    const name = b && typeof b === 'object' ? (b as Record<string, unknown>).__filename : undefined;
    return [{ fileName: typeof name === 'string' ? name : null, content: Buffer.from(ctx.rawBody).toString('utf8') }];
  }
  const isFile = (x: unknown): x is { fileName?: string | null; content?: unknown } => Boolean(x) && typeof x === 'object' && !Array.isArray(x) && 'content' in (x as object);
  if (Array.isArray(b) && b.length && b.every(isFile)) return b.map((f) => ({ fileName: f.fileName ?? null, content: f.content }));
  if (isFile(b)) return [{ fileName: b.fileName ?? null, content: b.content }];
  if (Array.isArray(b)) return [{ fileName: null, content: b }];
  throw invalid('the body must be a JSON file (an array of entries), {"fileName", "content"} objects, or a multipart/form-data upload', { field: 'files' });
}

export function dataHandlers(): Record<string, Handler> {
  const exportOf = (kind: ExportKind) => (ctx: HandlerContext) => {
    const caller = callerOf(ctx);
    const rec = startExport(ctx.ws, kind, exportFilter(ctx.ws, kind, queryText(ctx)), caller.kind === 'member' ? caller.memberId : null);
    return { body: { exportJobId: rec.id } };
  };
  const downloadOf = (kind: ExportKind) => (ctx: HandlerContext) => {
    const csv = downloadExport(ctx.ws, kind, String(ctx.params.exportJobId));
    return { status: 200, raw: { data: csv, contentType: 'text/csv; charset=utf-8' }, headers: { 'content-disposition': `attachment; filename="${kind}-${ctx.params.exportJobId}.csv"` } };
  };
  const uploadOf = (kind: ImportKind) => (ctx: HandlerContext) => ({ body: uploadFiles(ctx.ws, kind, uploadedFiles(ctx)) });
  const syncOf = (kind: ImportKind) => (ctx: HandlerContext) => {
    const rec = startSync(ctx.ws, kind);
    ctx.ws.emit(API_ID, 'import.sync_started', { statusId: rec.id, kind });
    return { body: { statusId: rec.id } };
  };
  const getSyncStatus: TypedHandler<O, 'getSyncStatus'> = (ctx) => ({ body: syncStatus(ctx.ws, ctx.params.statusId) as never });

  // ---- legal entities
  const leDecls = crud(style, {
    getLegalEntityDetails: { collection: legalEntities, action: 'get', render: (r) => renderDetails(r) },
  } satisfies OperationMap<O, CrudDecl<LegalEntityRec>>);
  const updateLegalEntityDetails: TypedHandler<O, 'updateLegalEntityDetails'> = (ctx) => {
    replaceLegalEntityDetails(ctx.ws, legalEntities.get(ctx.ws, ctx.params.legalEntityId), ctx.body.details);
    return NO_CONTENT;
  };
  const getContactLegalEntityDetails: TypedHandler<O, 'getContactLegalEntityDetails'> = (ctx) => ({ body: renderDetails(legalEntityOfContact(ctx.ws, ctx.params.contactId, ctx.params.legalEntityId)) });
  const create = (ctx: { ws: HandlerContext['ws']; body: { details?: unknown; contacts?: LinkInput[] | null } }) => {
    const rec = createLegalEntity(ctx.ws, { details: ctx.body.details, contacts: ctx.body.contacts });
    ctx.ws.emit(API_ID, 'legal_entity.created', { legalEntityId: Number(rec.id) });
    return { body: { id: Number(rec.id), details: rec.details } };
  };
  const createLegalEntityV10: TypedHandler<O, 'createLegalEntityV10'> = (ctx) => create(ctx);
  const createLegalEntityH: TypedHandler<O, 'createLegalEntity'> = (ctx) => create(ctx);

  // ---- schemas and lists
  const schemaDecls = crud(style, {
    getSchema: {
      collection: schemas,
      action: 'get',
      by: { field: 'key' },
      render: (r) => ({ id: Number(r.id), key: r.key, schema: r.schema, jsonSchema: r.jsonSchema, concurrencyToken: r.concurrencyToken }),
    },
    updateSchema: {
      collection: schemas,
      action: 'update',
      by: { field: 'key' },
      after: (ctx, rec) => {
        applySchemaUpdate(rec, ctx.body as { schema?: string | null; jsonSchema?: string | null });
        ctx.ws.emit(API_ID, 'schema.updated', { key: rec.key, concurrencyToken: rec.concurrencyToken });
      },
      render: (r) => ({ concurrencyToken: r.concurrencyToken }),
    },
  } satisfies OperationMap<O, CrudDecl<import('../schemas.js').SchemaRec>>);
  const getJsonSchema: TypedHandler<O, 'getJsonSchema'> = (ctx) => ({ body: { jsonSchema: schemaByKey(ctx.ws, ctx.params.key).jsonSchema } });
  const getLayoutFields: TypedHandler<O, 'getLayoutFields'> = (ctx) => ({ body: { fields: layoutFieldsOf(ctx.ws, schemaByKey(ctx.ws, ctx.params.key), langOf(ctx)) as never } });
  const getInputFields: TypedHandler<O, 'getInputFields'> = (ctx) => ({
    body: { fields: inputFieldsOf(ctx.ws, schemaByKey(ctx.ws, ctx.params.key), langOf(ctx), ctx.body ?? {}) as never },
  });
  const lookupList: TypedHandler<O, 'lookupList'> = (ctx) => ({ body: lookup(ctx.ws, ctx.params.listKey, ctx.body ?? {}, langOf(ctx)) });
  const getListItems: TypedHandler<O, 'getListItems'> = (ctx) => ({ body: { items: itemsOfLists(ctx.ws, ctx.body?.listKeys, langOf(ctx)) } });

  return {
    exportContacts: exportOf('contacts'),
    exportLegalEntities: exportOf('legalentities'),
    downloadContactsExport: downloadOf('contacts'),
    downloadLegalEntitiesExport: downloadOf('legalentities'),
    importContactFiles: uploadOf('contacts'),
    importLegalEntityFiles: uploadOf('legalentities'),
    syncContacts: syncOf('contacts'),
    syncLegalEntities: syncOf('legalentities'),
    getLegalEntityDetails: leDecls.getLegalEntityDetails,
    getSchema: schemaDecls.getSchema,
    updateSchema: schemaDecls.updateSchema,
    ...untypedHandlers<O>({
      getSyncStatus,
      updateLegalEntityDetails,
      getContactLegalEntityDetails,
      createLegalEntityV10,
      createLegalEntity: createLegalEntityH,
      getJsonSchema,
      getLayoutFields,
      getInputFields,
      lookupList,
      getListItems,
    }),
  };
}
