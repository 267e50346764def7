// Syniverse SCG error envelope: {error_code: "<code>", error_description: "..."}, with the
// documented codes (seed 002): 400/1023/1012/1019/1020, 401, 402, 403, 404, 409 1001/1011,
// 412, 429, 500, 503; and beside them the public description's SCG_ERROR_nnnn codes for the
// conditions it names and the simulator detects (a missing, mistyped or unknown parameter, an
// unreadable payload, an invalid recipient ...). Where the seed has a specific code of its own
// (1012, 1023, 1020 ...) that one stays: the public description lists those too.
import type { ErrorRendering } from '../../core/api.js';
import type { SimError } from '../../core/errors.js';

/** Documented titles of the codes, used as the start of error_description. */
export const TITLES: Record<string, string> = {
  '400': 'Bad Request',
  '401': 'Unauthorized - Provided authentication data is invalid or insufficient',
  '402': 'Insufficient credit - The account does not have sufficient funds for this operation',
  '403': 'Forbidden - Access to this resource is not allowed with the current application token',
  '404': 'Not Found',
  '405': 'Method Not Allowed',
  '409': 'Conflict - The request could not be completed due to a conflict with the current state of the target resource',
  '412': 'Precondition Failed',
  '429': 'Too Many Requests',
  '500': 'Server Error - Internal server error. Please report',
  '503': 'Server Unavailable',
  '1001': 'Stale data - Concurrent resource update. Refresh the resource and retry.',
  '1011': 'Unique key constraint violated',
  '1012': 'Message size exceeds system limit',
  '1017': 'Invalid Json expression in Dynamic Group definition',
  '1019': 'Attachment Too Big - Attachment content size exceeds system limits',
  '1020': 'Invalid Tracking URL',
  '1023': 'Indexed field too long - One of the values in the request exceeded the maximum allowed length',
  // The public description's synchronous codes (its 400/401/402/403/404/500/503 answers).
  SCG_ERROR_4001: 'Required parameter missing or is null',
  SCG_ERROR_4002: 'Parameter has incorrect data type or format',
  SCG_ERROR_4004: 'Invalid parameter provided',
  SCG_ERROR_40015: 'Recipient limit exceeded',
  SCG_ERROR_40018: 'Invalid senderId/address',
  SCG_ERROR_40024: 'Invalid Recipient',
  SCG_ERROR_40025: 'Invalid payload',
  SCG_ERROR_4031: 'Attachment not found in cache or database',
  SCG_ERROR_4032: 'Attachment is in incorrect state',
  SCG_ERROR_4035: 'Invalid sender ID state',
};

/** What kind of invalid input (core `InvalidReason`) -> the public description's code. */
const VALIDATION_CODES: Record<string, string> = {
  missing: 'SCG_ERROR_4001',
  format: 'SCG_ERROR_4002',
  unknown: 'SCG_ERROR_4004',
};

/** The code of a 400: the domain's own, the validation failure's, an unreadable payload's, or 400. */
function invalidCode(err: SimError): string {
  const code = err.details.code;
  if (code && TITLES[code]) return code;
  if (code === 'malformed') return 'SCG_ERROR_40025';
  // Spec validation always says why; a domain rule says so when it matches one (an unknown
  // fast access attribute is an invalid parameter).
  return VALIDATION_CODES[String(err.details.reason)] ?? (err.details.validation ? 'SCG_ERROR_4002' : '400');
}

function body(code: string, detail: string): { error_code: string; error_description: string } {
  const title = TITLES[code];
  return { error_code: code, error_description: title && detail && detail !== title ? `${title}: ${detail}` : title ?? detail };
}

export function renderError(err: SimError): ErrorRendering {
  const code = err.details.code;
  switch (err.kind) {
    case 'invalid':
      return { status: 400, body: body(invalidCode(err), err.message) };
    case 'too_long':
      return { status: 400, body: body('1023', err.message) };
    case 'rule':
      return { status: 400, body: body(code ?? '400', err.message) };
    case 'unauthorized':
      return { status: 401, body: body('401', err.message), headers: { 'www-authenticate': 'Bearer realm="scg"' } };
    case 'payment':
      return { status: 402, body: body('402', err.message) };
    case 'forbidden':
      return { status: 403, body: body('403', err.message) };
    case 'not_found':
    case 'no_route':
      return { status: 404, body: body('404', err.message) };
    case 'method_not_allowed':
      return { status: 405, body: body('405', err.message) };
    case 'stale':
      return { status: 409, body: body('1001', err.message) };
    case 'duplicate':
      return { status: 409, body: body('1011', err.message) };
    case 'state':
      return { status: 409, body: body('409', err.message) };
    case 'precondition':
      // The seed lists 412 on every operation with no code; an If-Match mismatch is its one use.
      return { status: 412, body: body('412', err.message) };
    case 'rate_limited':
      return { status: 429, body: body('429', err.message) };
    case 'unavailable':
      return { status: 503, body: body('503', err.message), headers: { 'retry-after': '1' } };
    case 'fault': {
      const status = err.details.status ?? 500;
      return { status, body: body(code ?? String(status), err.message) };
    }
    case 'internal':
    default:
      return { status: 500, body: body('500', err.message) };
  }
}
