// The additiv error envelope, ApiError: `{"code": "BadRequest", "subCode": "NA", "message": "...",
// "correlationId": "<32 hex>"}`. `code` follows the status, `subCode` names the business rule
// (UsernameNotUnique, KeyExpired, KeyNoMatch; NA otherwise). Business rules are 400, unknown ids
// 404, a stale schema concurrencyToken 409. The correlationId is derived from the workspace and
// its journal position (rendering must not draw from the RNG nor change state).
import { createHash } from 'node:crypto';
import type { ErrorContext, ErrorRendering } from '../../core/api.js';
import type { SimError } from '../../core/errors.js';

/** The documented subCodes (ApiError.SubCode). */
export const SUB_CODES = ['NA', 'UsernameNotUnique', 'KeyExpired', 'KeyNoMatch'] as const;
export type SubCode = (typeof SUB_CODES)[number];

const CODE_OF_STATUS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  422: 'UnprocessableEntity',
  429: 'TooManyRequests',
  500: 'General',
  503: 'ServiceUnavailable',
};

let anonymous = 0;

function correlationId(ctx?: ErrorContext): string {
  const seed = ctx?.ws ? `${ctx.ws.id}/${ctx.ws.journal.pushed}/${ctx.ws.now()}/${ctx.operationId ?? ''}` : `-/${++anonymous}/${ctx?.operationId ?? ''}`;
  return createHash('md5').update(seed).digest('hex');
}

function render(status: number, subCode: string, message: string, ctx?: ErrorContext, headers?: Record<string, string>): ErrorRendering {
  return { status, body: { code: CODE_OF_STATUS[status] ?? (status >= 500 ? 'General' : 'BadRequest'), subCode, message, correlationId: correlationId(ctx) }, headers };
}

const subCodeOf = (err: SimError): string => (typeof err.details.code === 'string' && (SUB_CODES as readonly string[]).includes(err.details.code) ? err.details.code : 'NA');

export function renderError(err: SimError, ctx?: ErrorContext): ErrorRendering {
  switch (err.kind) {
    case 'invalid':
    case 'too_long':
    case 'rule':
    case 'state':
    case 'duplicate':
    case 'payment':
      return render(400, subCodeOf(err), err.message, ctx);
    case 'unauthorized':
      return render(401, 'NA', err.message, ctx, { 'www-authenticate': 'Bearer' });
    case 'forbidden':
      return render(403, 'NA', err.message, ctx);
    case 'not_found':
    case 'no_route':
      return render(404, 'NA', err.message, ctx);
    case 'method_not_allowed':
      return render(405, 'NA', err.message, ctx);
    case 'stale':
    case 'precondition':
      return render(409, 'NA', err.message, ctx);
    case 'rate_limited':
      return render(429, 'NA', err.message, ctx);
    case 'unavailable':
      return { ...render(503, 'NA', err.message, ctx), headers: { 'retry-after': '1' } };
    case 'fault': {
      const status = err.details.status ?? 500;
      return render(status, typeof err.details.code === 'string' ? err.details.code : 'NA', err.message, ctx);
    }
    case 'internal':
    default:
      return render(500, 'NA', err.message, ctx);
  }
}
