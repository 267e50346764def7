// Generic SCG handlers over the collection engine: list in the {list, offset, limit, total}
// envelope, get, create/update/replace/delete answering {id}. Sub-collections check their parent.
import type { Handler, HandlerContext } from '../../core/api.js';
import type { Collection } from '../../core/resources.js';
import type { Rec } from '../../core/store.js';
import { listBody } from './style.js';

export interface CrudOptions {
  /** Path parameter naming the parent record, and the parent's collection. */
  parent?: { param: string; collection: Collection };
  /** Extra list condition. */
  where?: (ctx: HandlerContext) => ((r: Rec) => boolean) | undefined;
}

export function parentId(ctx: HandlerContext, opts: CrudOptions): string | undefined {
  if (!opts.parent) return undefined;
  const id = ctx.params[opts.parent.param];
  opts.parent.collection.get(ctx.ws, id);
  return id;
}

export function crud<T extends Rec>(coll: Collection<T>, opts: CrudOptions = {}) {
  const itemId = (ctx: HandlerContext) => ctx.params[ctx.operation.pathParams[ctx.operation.pathParams.length - 1]];
  const list: Handler = (ctx) => {
    const parent = parentId(ctx, opts);
    const where = opts.where?.(ctx);
    const { items, page } = coll.list(ctx.ws, ctx.query, { parent, where: where as ((r: T) => boolean) | undefined });
    return { body: listBody(items.map((r) => coll.render(r)), page) };
  };
  const get: Handler = (ctx) => ({ body: coll.render(coll.get(ctx.ws, itemId(ctx), parentId(ctx, opts))) });
  const create: Handler = (ctx) => {
    const parent = parentId(ctx, opts);
    const rec = coll.create(ctx.ws, ctx.body, ctx.operation.bodySchema, { parent });
    return { body: { id: rec.id } };
  };
  const update: Handler = (ctx) => {
    const rec = coll.update(ctx.ws, itemId(ctx), ctx.body, ctx.operation.bodySchema, parentId(ctx, opts));
    return { body: { id: rec.id } };
  };
  const replace: Handler = (ctx) => {
    const rec = coll.replace(ctx.ws, itemId(ctx), ctx.body, ctx.operation.bodySchema, parentId(ctx, opts));
    return { body: { id: rec.id } };
  };
  const remove: Handler = (ctx) => {
    const rec = coll.remove(ctx.ws, itemId(ctx), parentId(ctx, opts));
    return { body: { id: rec.id } };
  };
  return { list, get, create, update, replace, remove };
}
