// Declared CRUD: an operation that is a plain list/get/create/update/replace/delete of one
// collection is a line of data (operationId -> collection + action), turned into a handler here.
// The API's style decides the request envelope (`{"datas": ...}`), the list envelope and what
// each action answers; a declaration may add the partition of the request (a parent record named
// in the path, or the caller's account), an extra condition, server-set values, and small hooks
// that call domain functions (a permission check, a side effect after the write).
import type { Handler, HandlerContext, HandlerResult } from './api.js';
import { invalid } from './errors.js';
import type { Collection } from './engine/collection.js';
import type { Exclusion } from './engine/query.js';
import { propertiesOf } from './engine/shape.js';
import type { ActionResponse, ApiStyle } from './engine/styles.js';
import type { Rec } from './record.js';
import type { JsonSchema } from './spec.js';

export type CrudAction = 'list' | 'get' | 'create' | 'update' | 'replace' | 'delete';

export interface CrudDecl<T extends Rec = Rec> {
  collection: Collection<T>;
  action: CrudAction;
  /** Path parameter holding the item's id (default: the operation's last path parameter). */
  id?: string;
  /**
   * The item is addressed by another attribute than its id (`/schemas/{key}`): the path
   * parameter's value is looked up in `field` (an equality index), within the partition.
   */
  by?: { field: string };
  /** What this operation answers, where it differs from the API's style for the action. */
  response?: Partial<ActionResponse>;
  /** The parent record named by a path parameter: it must exist; its id is the partition. */
  parent?: { param: string; collection: Collection<any> };
  /** The partition of the request (e.g. the caller's account), when not a parent in the path. */
  partition?: (ctx: HandlerContext) => string;
  /** An extra list condition. */
  where?: (ctx: HandlerContext) => ((r: T) => boolean) | undefined;
  /** Records a list leaves out, as data (answered from an index: the total needs no scan). */
  exclude?: (ctx: HandlerContext) => Exclusion[] | undefined;
  /** Values the server sets on create, beyond the body. */
  extra?: (ctx: HandlerContext) => Partial<T>;
  /** The request asks to skip the bypassable unique keys. */
  allowDuplicates?: (ctx: HandlerContext) => boolean;
  /** Runs first, before anything is read (permissions); throws a SimError to refuse. */
  authorize?: (ctx: HandlerContext) => void;
  /** Runs before the action, with the record for item actions (guards); throws to refuse. */
  guard?: (ctx: HandlerContext, rec?: T) => void;
  /** Attributes this request may not write (they keep their values). */
  ignore?: (ctx: HandlerContext) => string[];
  /** Runs after a successful write, in the same transaction (side effects on other state). */
  after?: (ctx: HandlerContext, rec: T, before?: T) => void;
  /** The record as this operation answers it (default: the collection's render). */
  render?: (rec: T, ctx: HandlerContext) => unknown;
}

function unwrap(style: ApiStyle, ctx: HandlerContext): { body: Record<string, unknown> | undefined; schema: JsonSchema | 'all' | undefined } {
  const schema = ctx.operation.bodySchema;
  if (!style.request) return { body: ctx.body as Record<string, unknown> | undefined, schema };
  const { wrap, singleItemArray } = style.request;
  const outer = ctx.body as Record<string, unknown> | undefined;
  let inner = outer && typeof outer === 'object' && !Array.isArray(outer) ? outer[wrap] : undefined;
  if (Array.isArray(inner) && singleItemArray) inner = inner[0];
  if (inner === undefined && ctx.operation.method === 'GET') return { body: undefined, schema: undefined };
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw invalid(`the body must be {"${wrap}": {...}}`, { field: wrap });
  const innerSchema = propertiesOf(schema)[wrap];
  return { body: inner as Record<string, unknown>, schema: innerSchema && Object.keys(propertiesOf(innerSchema)).length ? innerSchema : 'all' };
}

function respond<T extends Rec>(style: ApiStyle, r: ActionResponse, coll: Collection<T>, rec: T, show: () => unknown): HandlerResult {
  if (r.body === 'none') return { status: r.status, body: null };
  const value = r.body === 'id' ? { [coll.resource.id.field]: coll.publicId(rec) } : show();
  const wrap = r.wrap === true ? coll.cfg.wrap : r.wrap;
  return { status: r.status, body: wrap ? { [wrap]: value } : value };
}

/** The handler of one declared operation. */
export function crudHandler<T extends Rec>(style: ApiStyle, d: CrudDecl<T>): Handler {
  const coll = d.collection;
  const pathValue = (ctx: HandlerContext) => ctx.params[d.id ?? ctx.operation.pathParams[ctx.operation.pathParams.length - 1]];
  const partitionOf = (ctx: HandlerContext): string | undefined => {
    if (d.parent) return d.parent.collection.view(ctx.ws, ctx.params[d.parent.param]).id;
    return d.partition?.(ctx);
  };
  // The public id of the addressed item; with `by`, of the record whose attribute has the value.
  const itemId = (ctx: HandlerContext, partition?: string): string | number => {
    const v = pathValue(ctx);
    if (!d.by) return v;
    const rec = coll.lookupBy(ctx.ws, d.by.field, v, partition);
    if (!rec) throw coll.notFoundError(v);
    return coll.publicId(rec);
  };
  const responseOf = (action: Exclude<CrudAction, 'list'>): ActionResponse => (d.response ? { ...style.responses[action], ...d.response } : style.responses[action]);
  const show = (rec: T, ctx: HandlerContext) => (d.render ? d.render(rec, ctx) : coll.render(rec));
  const writeOpts = (ctx: HandlerContext, partition: string | undefined) => ({ partition, allowDuplicates: d.allowDuplicates?.(ctx) ?? false });
  const input = (ctx: HandlerContext) => {
    const { body, schema } = unwrap(style, ctx);
    const drop = d.ignore?.(ctx);
    if (!body || !drop?.length) return { body, schema };
    const kept = { ...body };
    for (const f of drop) delete kept[f];
    return { body: kept, schema };
  };
  switch (d.action) {
    case 'list':
      return (ctx) => {
        d.authorize?.(ctx);
        const partition = partitionOf(ctx);
        d.guard?.(ctx);
        const params = coll.listStyle.source === 'body' ? (unwrap(style, ctx).body ?? {}) : ctx.query;
        const { items, page } = coll.list(ctx.ws, params, { partition, where: d.where?.(ctx), exclude: d.exclude?.(ctx) });
        const wrap = style.responses.list.wrap === true ? coll.cfg.wrap : style.responses.list.wrap;
        return { status: style.responses.list.status, body: coll.envelope(items.map((r) => show(r, ctx)), page, wrap) };
      };
    case 'get':
      return (ctx) => {
        d.authorize?.(ctx);
        const partition = partitionOf(ctx);
        const rec = coll.view(ctx.ws, itemId(ctx, partition), partition);
        d.guard?.(ctx, rec);
        return respond(style, responseOf('get'), coll, rec, () => show(rec, ctx));
      };
    case 'create':
      return (ctx) => {
        d.authorize?.(ctx);
        const partition = partitionOf(ctx);
        d.guard?.(ctx);
        const { body, schema } = input(ctx);
        const rec = coll.create(ctx.ws, body, schema, { ...writeOpts(ctx, partition), extra: d.extra?.(ctx) });
        d.after?.(ctx, rec);
        return respond(style, responseOf('create'), coll, rec, () => show(rec, ctx));
      };
    case 'update':
    case 'replace': {
      const action = d.action;
      return (ctx) => {
        d.authorize?.(ctx);
        const partition = partitionOf(ctx);
        const id = itemId(ctx, partition);
        const current = coll.get(ctx.ws, id, partition);
        d.guard?.(ctx, current);
        coll.checkIfMatch(current, ctx.headers.get('if-match'));
        const before = d.after ? { ...current } : undefined;
        const { body, schema } = input(ctx);
        const write = action === 'update' ? coll.update.bind(coll) : coll.replace.bind(coll);
        const rec = write(ctx.ws, id, body, schema, partition, writeOpts(ctx, partition));
        d.after?.(ctx, rec, before);
        return respond(style, responseOf(action), coll, rec, () => show(rec, ctx));
      };
    }
    case 'delete':
      return (ctx) => {
        d.authorize?.(ctx);
        const partition = partitionOf(ctx);
        const id = itemId(ctx, partition);
        const current = coll.get(ctx.ws, id, partition);
        d.guard?.(ctx, current);
        coll.checkIfMatch(current, ctx.headers.get('if-match'));
        const rec = coll.remove(ctx.ws, id, partition);
        d.after?.(ctx, rec);
        return respond(style, responseOf('delete'), coll, rec, () => show(rec, ctx));
      };
  }
}

/** Handlers of declared operations, by operationId. */
export function crud(style: ApiStyle, decls: Record<string, CrudDecl<any>>): Record<string, Handler> {
  const out: Record<string, Handler> = {};
  for (const [operationId, d] of Object.entries(decls)) out[operationId] = crudHandler(style, d);
  return out;
}

/** Several operations of one collection: `{list: 'listThings', get: 'getThing', ...}`. */
export function crudOf<T extends Rec>(
  coll: Collection<T>,
  ops: Partial<Record<CrudAction, string>>,
  common: Omit<CrudDecl<T>, 'collection' | 'action'> = {},
): Record<string, CrudDecl<T>> {
  const out: Record<string, CrudDecl<T>> = {};
  for (const [action, operationId] of Object.entries(ops) as Array<[CrudAction, string]>) out[operationId] = { collection: coll, action, ...common };
  return out;
}

/** The six handlers of one collection (for operations that reuse them inside behaviour). */
export function crudActions<T extends Rec>(style: ApiStyle, coll: Collection<T>, common: Omit<CrudDecl<T>, 'collection' | 'action'> = {}) {
  const h = (action: CrudAction) => crudHandler(style, { collection: coll, action, ...common });
  return { list: h('list'), get: h('get'), create: h('create'), update: h('update'), replace: h('replace'), remove: h('delete') };
}
