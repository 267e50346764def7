// The Clevermultimedias error envelope: `{"errors": {"<key>": "<message>"}}` (the shape the API's
// public client code reads), with the seed's status codes. Keys (spec, Error schema): the
// offending parameter for 400 (without the `datas.` wrapper), `authentication` 401, `credit` 402,
// `role` 403, the path parameter for 404, `referencePush`/`method` 405, `username`/`duplicates`
// 409, `account` 430, `server` 500/503. Messages start with the seed's French "Signification".
import type { ErrorRendering } from '../../core/api.js';
import type { SimError } from '../../core/errors.js';

const MEANING: Record<number, string> = {
  400: 'Les paramètres de la requête sont incorrects.',
  401: "L'authentification est incorrecte.",
  402: 'Le crédit du compte est insuffisant. Paiement requis.',
  403: "La demande n'a pas été autorisée.",
  404: "La ressource demandée n'existe pas.",
  405: "L'opération demandée n'est pas permise.",
  409: 'La requête entre en conflit avec une autre requête.',
  500: 'Erreur du service lors du traitement de la requête.',
  501: 'Le serveur HTTP ne supporte pas la fonctionnalité nécessaire pour traiter la requête.',
  503: 'Le serveur HTTP est actuellement incapable de traiter la requête.',
};

/** "Meaning : detail", unless the detail already starts with a message of its own (409s). */
function message(status: number, detail: string): string {
  const meaning = MEANING[status];
  if (!meaning) return detail;
  if (!detail || detail === meaning) return meaning;
  if (/^(Le contact existe|L'utilisateur existe)/.test(detail)) return detail;
  return `${meaning.replace(/\.$/, '')} : ${detail}`;
}

/**
 * The parameter a validation message is about: the first quoted name, without the `datas.`
 * wrapper (or `datas.0.` for the one-element array form). `datas` when the wrapper itself is bad.
 */
export function parameterOf(msg: string): string {
  const m = /'([^']+)'/.exec(msg);
  if (!m) return 'datas';
  const name = m[1].replace(/^datas\.(\d+\.)?/, '');
  return name || 'datas';
}

function render(status: number, key: string, detail: string, headers?: Record<string, string>): ErrorRendering {
  return { status, body: { errors: { [key]: message(status, detail) } }, headers };
}

export function renderError(err: SimError): ErrorRendering {
  const field = typeof err.details.field === 'string' ? err.details.field : undefined;
  switch (err.kind) {
    case 'invalid':
    case 'too_long':
    case 'rule': {
      const key = field && !err.details.validation ? field : parameterOf(err.message);
      return render(400, key.replace(/^datas\.(\d+\.)?/, '') || 'datas', err.message);
    }
    case 'unauthorized':
      return render(401, 'authentication', err.message, { 'www-authenticate': 'Basic realm="clevermultimedias"' });
    case 'payment':
      return render(402, 'credit', err.message);
    case 'forbidden':
      // The 430 reason phrase is the message itself: "Account expired YYYY-mm-JJ".
      if (err.details.code === 'account_expired') return { status: 430, body: { errors: { account: err.message } } };
      return render(403, field && field !== 'role' ? field : 'role', err.message);
    case 'not_found':
      return render(404, field ?? 'resource', err.message);
    case 'no_route':
      return render(404, 'path', err.message);
    case 'method_not_allowed':
      return render(405, field ?? 'method', err.message);
    case 'duplicate':
    case 'stale':
    case 'precondition':
    case 'state':
      return render(409, field ?? 'duplicates', err.message);
    case 'rate_limited':
      return render(503, 'server', err.message);
    case 'unavailable':
      return { ...render(503, 'server', err.message), headers: { 'retry-after': '1' } };
    case 'fault': {
      const status = err.details.status ?? 500;
      if (status === 430) return { status, body: { errors: { account: err.message } } };
      return render(status, field ?? (status === 402 ? 'credit' : status === 401 ? 'authentication' : status < 500 ? 'datas' : 'server'), err.message);
    }
    case 'internal':
    default:
      return render(500, 'server', err.message);
  }
}
