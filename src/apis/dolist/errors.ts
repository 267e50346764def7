// The Dolist error envelope, ServiceStack's: `{"ResponseStatus":{"ErrorCode":"<code>",
// "Message":"<message>","Errors":[...]}}`. A SimError carrying a catalogue code answers that
// code's status and verbatim message; field-level detail goes to `Errors` (ServiceStack's place
// for it), so the Message stays the reference's. Validation failures are [36] "An invalid
// argument has been specified." with the precise reason and field in `Errors`. Statuses the
// reference never documents (401, 405, 429, unknown routes) use ServiceStack's own names.
import type { ErrorRendering } from '../../core/api.js';
import type { SimError } from '../../core/errors.js';
import { CATALOGUE } from './error-catalogue.js';

interface ResponseError {
  ErrorCode: string;
  FieldName: string;
  Message: string;
}

/** The parameter a validation message names (`query parameter 'Limit' must be ...` -> Limit). */
export function fieldNameOf(err: SimError): string {
  if (typeof err.details.field === 'string' && err.details.field) return err.details.field;
  const m = /'([^']+)'/.exec(err.message);
  return m ? m[1] : '';
}

function body(code: string, message: string, errors?: ResponseError[]) {
  return { ResponseStatus: { ErrorCode: code, Message: message, ...(errors?.length ? { Errors: errors } : {}) } };
}

function render(status: number, code: string, message: string, errors?: ResponseError[], headers?: Record<string, string>): ErrorRendering {
  return { status, body: body(code, message, errors), headers };
}

/** A catalogue code's answer, with the SimError's detail (if any) as one `Errors` entry. */
function fromCatalogue(code: string, err: SimError, status?: number): ErrorRendering {
  const [catStatus, message] = CATALOGUE[code];
  // The precise reason: the domain's detail, else the error's own message when it says more than
  // the catalogue's (an engine collection's "export 5 not found", a unique key's clash).
  const detail = typeof err.details.detail === 'string' ? err.details.detail : err.message && err.message !== message ? err.message : undefined;
  const errors = detail ? [{ ErrorCode: code, FieldName: fieldNameOf(err), Message: detail }] : undefined;
  return render(status ?? catStatus, code, message, errors);
}

export function renderError(err: SimError): ErrorRendering {
  const code = typeof err.details.code === 'string' ? err.details.code : undefined;
  if (err.kind === 'fault') {
    // A scenario's injected fault: its status, and the catalogue message of its code when it names one.
    const status = err.details.status ?? (code && CATALOGUE[code] ? CATALOGUE[code][0] : 500);
    if (code && CATALOGUE[code]) return fromCatalogue(code, err, status);
    return render(status, code ?? '0', err.message);
  }
  if (code && CATALOGUE[code] && CATALOGUE[code][0] >= 400) return fromCatalogue(code, err);
  switch (err.kind) {
    case 'invalid':
    case 'too_long':
      return render(400, '36', CATALOGUE['36'][1], [{ ErrorCode: '36', FieldName: fieldNameOf(err), Message: err.message }]);
    case 'unauthorized':
      return render(401, 'Unauthorized', err.message);
    case 'forbidden':
      return render(403, '6', CATALOGUE['6'][1], [{ ErrorCode: '6', FieldName: fieldNameOf(err) || 'AccountID', Message: err.message }]);
    case 'no_route':
      return render(404, 'NotFound', `Handler for Request not found: ${err.message}`);
    case 'method_not_allowed':
      return render(405, 'MethodNotAllowed', err.message);
    case 'rate_limited':
      return render(429, 'TooManyRequests', err.message);
    case 'unavailable':
      return { ...render(503, 'ServiceUnavailable', err.message), headers: { 'retry-after': '1' } };
    case 'not_found':
      return render(404, 'NotFound', err.message);
    case 'duplicate':
    case 'stale':
    case 'precondition':
    case 'state':
      return render(409, 'Conflict', err.message);
    case 'payment':
      return render(402, 'PaymentRequired', err.message);
    case 'rule':
      return render(400, '36', CATALOGUE['36'][1], [{ ErrorCode: '36', FieldName: fieldNameOf(err), Message: err.message }]);
    case 'internal':
    default:
      return render(500, '0', CATALOGUE['0'][1]);
  }
}
