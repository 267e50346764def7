// Operation types for handlers, from the `operations` map that `npm run contracts` generates per
// API (src/apis/<api>/generated/contract.ts, openapi-typescript). Types only, plus one identity
// function: nothing here changes what a handler receives or returns.
//
// What the router hands a handler, and so what these types state: path parameters and declared
// query parameters after validation (coerced to their schema types: an integer path parameter is
// a number); the body of a JSON or form request after validation (binary and multipart uploads
// have no typed body: `unknown`, the bytes are in `rawBody`); `undefined` when the operation
// declares no body, or an optional one that was not sent.
import type { Handler, HandlerContext, HandlerResult } from './api.js';

/** The operationIds of an operations map. */
export type OpId<O> = Extract<keyof O, string>;

/** The body type of a content map: its JSON media type, else its form media type, else unknown. */
type MediaBody<C> = C extends { 'application/json': infer B } ? B : C extends { 'application/x-www-form-urlencoded': infer B } ? B : unknown;

type RequestBodyOf<Op> = Op extends { requestBody?: infer R } ? R : undefined;
type BodyOf<R> = [NonNullable<R>] extends [never]
  ? undefined
  : NonNullable<R> extends { content: infer C }
    ? MediaBody<C> | (undefined extends R ? undefined : never)
    : unknown;

/** The parsed request body of an operation (undefined when it declares none). */
export type OpBody<O, Id extends keyof O> = BodyOf<RequestBodyOf<O[Id]>>;

/**
 * No parameters of a kind: an object without properties (the router always passes one), so that
 * reading a parameter the operation does not declare does not compile.
 */
type NoParams = {};
type ParamsOf<Op, In extends 'query' | 'path'> = Op extends { parameters: { [K in In]?: infer P } } ? ([NonNullable<P>] extends [never] ? NoParams : NonNullable<P>) : NoParams;

/** The declared query parameters of an operation (only those reach `ctx.query`). */
export type OpQuery<O, Id extends keyof O> = ParamsOf<O[Id], 'query'>;
/** The path parameters of an operation. */
export type OpParams<O, Id extends keyof O> = ParamsOf<O[Id], 'path'>;

type ResponsesOf<Op> = Op extends { responses: infer R } ? R : never;
/** The body of one documented response of an operation (default: 200); undefined when it has none. */
export type OpResponse<O, Id extends keyof O, Status extends keyof ResponsesOf<O[Id]> = 200 & keyof ResponsesOf<O[Id]>> =
  ResponsesOf<O[Id]>[Status] extends { content: infer C } ? MediaBody<C> : undefined;

/** A handler's context with the operation's body, query and path parameters typed. */
export type TypedContext<O, Id extends keyof O> = Omit<HandlerContext, 'body' | 'query' | 'params'> & {
  body: OpBody<O, Id>;
  query: OpQuery<O, Id>;
  params: OpParams<O, Id>;
};

/**
 * The handler of an operation. One handler serving several operations (an alias path) names them
 * all, `TypedHandler<O, 'getThing' | 'getThingAlias'>`: a handler typed for one operation does not
 * fit another's key.
 */
export type TypedHandler<O, Id extends keyof O> = (ctx: TypedContext<O, Id>) => HandlerResult;

/**
 * Handlers by operationId: a key that is not an operation of the spec does not compile, and each
 * handler's context is its operation's. A plain `Handler` (declared CRUD, crudActions) fits any
 * operation whose path parameters are strings; `HandlerContext` types them all as strings.
 */
export type OperationHandlers<O> = { [Id in OpId<O>]?: TypedHandler<O, Id> };

/** Values keyed by operationId (e.g. declared CRUD operations): unknown keys do not compile. */
export type OperationMap<O, V> = { [Id in OpId<O>]?: V };

/**
 * The handlers as the router holds them (ApiModule.handlers). The router calls each with its own
 * operation's context, which is what the typed handler declares: the cast only forgets the key.
 */
export function untypedHandlers<O>(handlers: OperationHandlers<O>): Record<string, Handler> {
  return handlers as Record<string, Handler>;
}
