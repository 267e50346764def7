// Typed domain errors. Domain code throws these with plain facts; each API's errors.ts turns
// them into that vendor's status code and error body.

export type SimErrorKind =
  /** Malformed or invalid input (field-level detail in `message`). */
  | 'invalid'
  /** A string longer than the indexed-field limit. */
  | 'too_long'
  /** Missing/unknown credentials. */
  | 'unauthorized'
  /** Known caller, action forbidden. */
  | 'forbidden'
  /** No such resource (or not visible to the caller). */
  | 'not_found'
  /** No such route or method. */
  | 'no_route'
  /** The operation exists but the vendor does not allow it. */
  | 'method_not_allowed'
  /** Optimistic locking: the client's version is stale. */
  | 'stale'
  /** A unique key is already taken. */
  | 'duplicate'
  /** A request precondition (`If-Match`) does not hold for the resource's current version. */
  | 'precondition'
  /** The action is not allowed in the resource's current state. */
  | 'state'
  /** Not enough credit. */
  | 'payment'
  /** A vendor business rule with its own code (see `code`). */
  | 'rule'
  /** Injected by a scenario: a given HTTP status and vendor code. */
  | 'fault'
  /** Rate limit. */
  | 'rate_limited'
  /** The shared store (Redis) is unreachable or the workspace stayed locked: try again. */
  | 'unavailable'
  /** A bug: never expected, rendered as the vendor's 500. */
  | 'internal';

export interface SimErrorDetails {
  /** Vendor-specific error code when the domain knows it (e.g. Syniverse "1012"). */
  code?: string;
  /** HTTP status override (faults). */
  status?: number;
  /** The field or key concerned. */
  field?: string;
  [key: string]: unknown;
}

export class SimError extends Error {
  constructor(
    readonly kind: SimErrorKind,
    message: string,
    readonly details: SimErrorDetails = {},
  ) {
    // A vendor error is an answer, not a fault: capturing a stack trace for it would cost more
    // than the rest of a refused request (internal errors keep theirs; see router.ts).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = kind === 'internal' ? limit : 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'SimError';
  }
}

export const invalid = (message: string, details?: SimErrorDetails) => new SimError('invalid', message, details);
export const notFound = (message: string, details?: SimErrorDetails) => new SimError('not_found', message, details);
export const conflictState = (message: string, details?: SimErrorDetails) => new SimError('state', message, details);
export const unavailable = (message: string, details?: SimErrorDetails) => new SimError('unavailable', message, details);
export const forbidden = (message: string, details?: SimErrorDetails) => new SimError('forbidden', message, details);

export function isSimError(e: unknown): e is SimError {
  return e instanceof SimError;
}
