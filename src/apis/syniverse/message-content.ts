// What a message says and when it is due, before any of it is stored: the body (text, or a
// TEMPLATE with its variables substituted, within the size limit: 1012), the sender id's VALIDATOR
// templates, tracking URLs (1020), and the request's timestamps (UTC, or LOCAL wall time in the
// recipient's zone). Plain functions of the workspace's records; no HTTP, no state changes.
import { parseTimestamp } from '../../core/clock.js';
import { toStringList } from '../../core/engine/collection.js';
import { invalid, SimError } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { synFixtures, type SynCollections } from './collections.js';
import { wallTimeToInstant } from './numbers.js';

export const TEMPLATE_CT = 'application/template+json';

/** The final body: the text itself, or a TEMPLATE-designated template with `{{var}}` substituted. */
export function renderBody(ws: Workspace, c: SynCollections, body: Record<string, any>): string {
  const raw = body.body === undefined || body.body === null ? '' : String(body.body);
  let spec: Record<string, any> | undefined;
  const ct = String(body.content_type ?? '').toLowerCase();
  if (ct === TEMPLATE_CT || /^\s*\{/.test(raw)) {
    try {
      const parsed = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && (parsed.template_id || parsed.template_name)) spec = parsed;
    } catch {
      if (ct === TEMPLATE_CT) throw invalid(`body must be JSON {"template_id"|"template_name", "variables"} when content_type is ${TEMPLATE_CT}`, { field: 'body' });
    }
    if (!spec && ct === TEMPLATE_CT) throw invalid(`body must name a template ("template_id" or "template_name")`, { field: 'body' });
  }
  let text = raw;
  if (spec) {
    const tpl = spec.template_id
      ? c.messageTemplates.lookup(ws, String(spec.template_id))
      : c.messageTemplates.table(ws).lookup('name', spec!.template_name)[0];
    if (!tpl) throw invalid(`template ${spec.template_id ?? spec.template_name} does not exist`, { field: 'body' });
    if (tpl.designation !== 'TEMPLATE') throw invalid(`template ${tpl.id} is a ${tpl.designation}, not a TEMPLATE`, { field: 'body' });
    const vars = (spec.variables ?? {}) as Record<string, unknown>;
    text = String(tpl.pattern ?? '').replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_m, name: string) => {
      if (!(name in vars)) throw invalid(`template ${tpl.name} needs variable '${name}'`, { field: 'body' });
      return String(vars[name]);
    });
  }
  const fx = synFixtures(ws);
  if (text.length > fx.limits.smsBodyLength) {
    throw new SimError('rule', `the body has ${text.length} characters; the limit is ${fx.limits.smsBodyLength}`, { code: '1012', field: 'body' });
  }
  return text;
}

/** Whether `text` matches one of the sender id's VALIDATOR templates (or it has none). */
export function passesValidators(ws: Workspace, c: SynCollections, sender: Rec, text: string): boolean {
  const ids = toStringList(sender.message_templates) ?? [];
  const validators = ids
    .map((id) => c.messageTemplates.lookup(ws, id) ?? c.messageTemplates.table(ws).lookup('name', id)[0])
    .filter((t): t is Rec => Boolean(t) && t!.designation === 'VALIDATOR');
  if (!validators.length) return true;
  return validators.some((t) => {
    try {
      return new RegExp(`^(?:${t.pattern})$`, 's').test(text);
    } catch {
      return false;
    }
  });
}

export function optionalTime(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const t = parseTimestamp(v);
  if (t === undefined) throw invalid(`body field '${field}' must be an ISO 8601 timestamp or epoch milliseconds`, { field, reason: 'format' });
  return t;
}

/** `scheduled_delivery_time` with zone LOCAL: the wall time (any offset ignored) in the recipient's zone. */
export function localInstant(v: unknown, tz: string | undefined): number | undefined {
  if (typeof v === 'number') return v;
  const s = String(v).trim().replace(/(Z|[+-]\d{2}:?\d{2})$/i, '');
  const wall = parseTimestamp(/T/.test(s) ? `${s}Z` : `${s}T00:00:00Z`);
  if (wall === undefined) throw invalid(`body field 'scheduled_delivery_time' must be a timestamp`, { field: 'scheduled_delivery_time', reason: 'format' });
  return tz ? wallTimeToInstant(wall, tz) : wall;
}

/** F9: a malformed http(s) URL in the body is an invalid tracking URL (1020). */
export function checkTrackingUrls(text: string): void {
  for (const m of text.matchAll(/\bhttps?:\/\/\S*/gi)) {
    try {
      const u = new URL(m[0]);
      if (!u.hostname || !/^[a-z0-9.-]+$/i.test(u.hostname) || !u.hostname.includes('.')) throw new Error('host');
    } catch {
      throw new SimError('rule', `'${m[0]}' is not a valid tracking URL`, { code: '1020', field: 'body' });
    }
  }
}
