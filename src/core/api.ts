// The contract between the API-independent core and one simulated vendor API.
import type { SimError } from './errors.js';
import type { JobKind } from './jobs.js';
import type { SimEvent } from './journal.js';
import type { RateLimitSpec } from './rate-limit.js';
import type { OperationInfo } from './spec.js';
import type { Workspace } from './workspace.js';

export interface RequestHeaders {
  get(name: string): string | undefined;
}

export interface HandlerContext {
  ws: Workspace;
  operationId: string;
  operation: OperationInfo;
  /** Path parameters, as in the spec's template. */
  params: Record<string, string>;
  /** Declared query parameters, coerced to their schema types. */
  query: Record<string, unknown>;
  /** The whole query string, raw. */
  rawQuery: Record<string, string>;
  /** The parsed body (JSON, or form fields coerced to the schema types); undefined when none. */
  body: any;
  /** Raw body bytes for binary content (uploads). */
  rawBody: Uint8Array | undefined;
  contentType: string;
  headers: RequestHeaders;
  /** What the API's authenticate() resolved besides the workspace (e.g. the calling user). */
  principal: unknown;
}

export interface HandlerResult {
  status?: number;
  /** JSON body (undefined = no body). */
  body?: unknown;
  /** A non-JSON body. */
  raw?: { data: Uint8Array | string; contentType: string };
  headers?: Record<string, string>;
}

/**
 * One operation's behaviour. Synchronous: it runs inside the request's transaction, which must
 * not be interleaved with another request's.
 */
export type Handler = (ctx: HandlerContext) => HandlerResult;

/** What authenticate() sees of a request (before its body is read or validated). */
export interface AuthRequest {
  headers: RequestHeaders;
  /** The raw query string. */
  query: Record<string, string>;
  /** Path parameters (public content URLs carry their token). */
  params: Record<string, string>;
  /** Lets account-level checks (e.g. an expired account) apply per operation. */
  operationId: string;
}

export interface AuthSuccess {
  ws: Workspace;
  principal?: unknown;
}

export type EventHandler = (ws: Workspace, data: Record<string, unknown>) => void;

/** One field of an injector's body. */
export interface InjectorField {
  name: string;
  description?: string;
  example?: string;
  required?: boolean;
}

/** Makes the outside world act (`POST /_sim/workspaces/{ws}/inject/{kind}`); returns what happened. */
export type Injector = (ws: Workspace, body: Record<string, unknown>) => unknown;

export interface ErrorContext {
  ws?: Workspace;
  operationId?: string;
}

export interface ErrorRendering {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RoutingOptions {
  /** Static path segments compared case-insensitively (Dolist, a ServiceStack service). */
  caseInsensitivePaths?: boolean;
  /** Query parameter names compared case-insensitively. */
  caseInsensitiveQuery?: boolean;
  /** `/things/` routes like `/things`. */
  ignoreTrailingSlash?: boolean;
}

export interface CredentialsSpec {
  /** Credentials of a new workspace (the default one gets fixed, documented values). */
  create(ws: Workspace, isDefault: boolean): Record<string, unknown>;
  /** Keys under which these credentials are indexed (e.g. the token); no workspace state needed. */
  keys(credentials: Record<string, unknown>): string[];
  /** Further keys held in the workspace's state (users created through the API, access tokens). */
  stateKeys?(ws: Workspace): string[];
  /** The tables `stateKeys` reads (`<api>.<name>`): a change there rebinds the keys. */
  stateTables?: string[];
  /** One line for the start banner, e.g. `Authorization: Bearer <token>`. */
  describe(credentials: Record<string, unknown>): string;
}

/** A vendor's event as a callback format renders it: its type (what a registration's `events` names) and data. */
export interface VendorEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * A vendor's own event callbacks (`POST /_sim/workspaces/{ws}/webhooks` with `format`): how a
 * simulated event of the API reaches an application's real callback handler. Delivery, signing
 * and retries are core's (`webhooks.ts`); the format only shapes the payload.
 */
export interface CallbackFormat {
  /** The vendor's event type names, which a registration's `events` may list. */
  eventTypes: readonly string[];
  /** Named groups of event types (the vendor's topics) a registration's `events` may list too. */
  groups?: Record<string, readonly string[]>;
  /**
   * Maps a simulated event to the vendor's event, when it happens: the workspace state is as the
   * event left it, so every attempt carries the same facts. null when the vendor has no such event.
   * Must not change state nor draw from the RNG.
   */
  render(ev: SimEvent, ws: Workspace): VendorEvent | null;
  /** The JSON body, and headers of the vendor's own, of one delivery attempt (1-based). */
  deliver(vendorEvent: VendorEvent, delivery: { ev: SimEvent; attempt: number; ws: Workspace }): { body: unknown; headers?: Record<string, string> };
}

export interface ApiModule {
  id: string;
  title: string;
  /** Everything under this prefix belongs to the API (unknown paths get its 404). */
  mountPrefix: string;
  /** The spec's servers[0].url (the base path a client configures). */
  basePath: string;
  /** How requests are matched to operations (vendor quirks). */
  routing?: RoutingOptions;
  handlers: Record<string, Handler>;
  /**
   * Resolves the credentials of a request to a workspace, or throws an `unauthorized`/`forbidden`
   * SimError. Runs before request validation; `operationId` lets account-level checks (e.g. an
   * expired account) apply per operation.
   */
  authenticate(request: AuthRequest): AuthSuccess;
  /**
   * Renders any SimError as the vendor's status + body. `ctx` names the request when there is
   * one (an error before authentication has no workspace). Rendering must not change state: it
   * runs after the request's changes were undone, so a per-error id (additiv's correlationId)
   * is derived (e.g. from the workspace id and `ws.journal.pushed`), not drawn from the RNG.
   */
  renderError(err: SimError, ctx?: ErrorContext): ErrorRendering;
  /** The API's credentials in a workspace. */
  credentials: CredentialsSpec;
  /** Starting balance and unit of the API's account. */
  credit: { balance: number; currency: string };
  /** Loads the API's fixtures into a new (or reset) workspace. */
  setup(ws: Workspace): void;
  eventHandlers?: Record<string, EventHandler>;
  injectors?: Record<string, Injector>;
  /** What each injector reads of its body (forms of the dashboard, `GET /_sim/injectors`). */
  injectorInfo?: Record<string, { description?: string; fields: InjectorField[] }>;
  jobKinds?: Record<string, JobKind>;
  /** The vendor's own callback payloads, by format name (unique across APIs), e.g. `syniverse`. */
  callbackFormats?: Record<string, CallbackFormat>;
  /** A request budget per caller key, with the vendor's headers on every authenticated answer. */
  rateLimit?: RateLimitSpec;
}
