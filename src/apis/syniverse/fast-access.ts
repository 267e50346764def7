// Fast access attributes of contacts: up to 20 rules (fast_access_1..20), each either derived
// from the contact by a JSONPath value_derivation_script or editable by clients. A contact keeps
// the editable values (`_fast_access`, keyed by target attribute) and shows every current value
// in `fast_access` (JSON text keyed by target_attribute_name, or fast_access_N for a rule without
// a name) and in the top-level fast_access_N. Values are recomputed whenever a contact or a rule
// changes. Plain functions over the collections: no HTTP here.
import { invalid, SimError } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { synFixtures, type SynCollections } from './collections.js';
import { compileJsonPath, evaluateJsonPath, JsonPathError } from './jsonpath.js';

const JSON_TEXT = ['address_list', 'customer_account_list', 'customer_device_list', 'interest_list', 'demographic_list', 'extended_attributes'];
export const FAST_ACCESS_TARGETS = Array.from({ length: 20 }, (_, i) => `fast_access_${i + 1}`);

type Compiled = ReturnType<typeof compileJsonPath>;
const compiledCache = new Map<string, Compiled>();

/** The compiled script (400 naming value_derivation_script when it is not a JSONPath we read). */
export function compileScript(script: string): Compiled {
  let steps = compiledCache.get(script);
  if (!steps) {
    try {
      steps = compileJsonPath(script);
    } catch (e) {
      const why = e instanceof JsonPathError ? e.message : String(e);
      throw invalid(`value_derivation_script '${script}' is not a JSONPath expression: ${why}`, { field: 'value_derivation_script' });
    }
    if (compiledCache.size > 500) compiledCache.clear();
    compiledCache.set(script, steps);
  }
  return steps;
}

const keyOf = (rule: Rec) => String(rule.target_attribute_name || rule.target_attribute);
const scripted = (rule: Rec) => typeof rule.value_derivation_script === 'string' && rule.value_derivation_script.trim() !== '';

/** The contact as a JSONPath document: JSON-text attributes parsed, fast access values left out. */
function documentOf(contact: Rec): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(contact)) {
    if (k.startsWith('_') || k.startsWith('fast_access')) continue;
    if (JSON_TEXT.includes(k) && typeof v === 'string') {
      try {
        doc[k] = JSON.parse(v);
      } catch {
        doc[k] = v;
      }
    } else doc[k] = v;
  }
  return doc;
}

/** The value of a derived attribute: the first match, or null. */
function derive(rule: Rec, contact: Rec): unknown {
  const [first] = evaluateJsonPath(compileScript(String(rule.value_derivation_script)), documentOf(contact));
  return first === undefined ? null : first;
}

const asText = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Recomputes the shown fast access values of a contact; true when they changed. */
export function syncFastAccess(ws: Workspace, c: SynCollections, contact: Rec, rules: Rec[] = [...c.fastAccessRules.table(ws).scan()]): boolean {
  const editable = (contact._fast_access as Record<string, unknown> | undefined) ?? {};
  const shown: Record<string, unknown> = {};
  const top: Record<string, string | null> = Object.fromEntries(FAST_ACCESS_TARGETS.map((t) => [t, null]));
  for (const rule of rules) {
    const target = String(rule.target_attribute);
    const v = scripted(rule) ? derive(rule, contact) : editable[target] ?? null;
    if (v === null) continue;
    shown[keyOf(rule)] = v;
    top[target] = asText(v);
  }
  const text = Object.keys(shown).length ? JSON.stringify(shown) : null;
  let changed = contact.fast_access !== text;
  contact.fast_access = text;
  for (const t of FAST_ACCESS_TARGETS) {
    if ((contact[t] ?? null) !== top[t]) changed = true;
    contact[t] = top[t];
  }
  return changed;
}

/**
 * Writes the fast access values of a body (`{name or fast_access_N: value}`) onto a contact,
 * then recomputes what it shows. 400 for a name no rule defines, and for a derived attribute
 * unless the value is the one it has (a contact read and sent back); a null value clears an
 * editable one; a value longer than the indexed-field limit is 400 1023.
 */
export function writeFastAccess(ws: Workspace, c: SynCollections, rec: Rec, values: Record<string, unknown> | undefined): void {
  const rules = [...c.fastAccessRules.table(ws).scan()];
  const editable = { ...((rec._fast_access as Record<string, unknown> | undefined) ?? {}) };
  if (values && typeof values === 'object') {
    const limit = synFixtures(ws).limits.indexedFieldLength;
    for (const [k, v] of Object.entries(values)) {
      const rule = rules.find((r) => r.target_attribute_name === k) ?? rules.find((r) => r.target_attribute === k);
      if (!rule) throw invalid(`no fast access rule defines '${k}'`, { field: 'fast_access', reason: 'unknown' });
      const target = String(rule.target_attribute);
      if (scripted(rule)) {
        const current = derive(rule, rec);
        if (asText(v) !== asText(current)) throw invalid(`fast access attribute '${k}' is derived by its rule (value_derivation_script) and cannot be written`, { field: 'fast_access' });
        continue;
      }
      if (v === null) delete editable[target];
      else {
        if (typeof v === 'string' && v.length > limit) throw new SimError('too_long', `fast access attribute '${k}' is longer than ${limit} characters`, { field: 'fast_access' });
        editable[target] = v;
      }
    }
  }
  rec._fast_access = editable;
  syncFastAccess(ws, c, rec, rules);
  c.contacts.table(ws).touch(rec);
}

/** After a rule is created, changed or deleted: every contact shows its current values (those that change are bumped). */
export function resyncAllContacts(ws: Workspace, c: SynCollections, removedTargets: string[] = []): void {
  const rules = [...c.fastAccessRules.table(ws).scan()];
  for (const r of rules) if (scripted(r)) compileScript(String(r.value_derivation_script));
  const table = c.contacts.table(ws);
  for (const peeked of [...table.scan()]) {
    const contact = table.get(String(peeked.id));
    if (!contact) continue;
    const editable = (contact._fast_access as Record<string, unknown> | undefined) ?? {};
    const dropped = removedTargets.some((t) => t in editable);
    if (dropped) {
      const next = { ...editable };
      for (const t of removedTargets) delete next[t];
      contact._fast_access = next;
    }
    if (syncFastAccess(ws, c, contact, rules)) c.contacts.bump(ws, contact);
    else if (dropped) table.touch(contact);
  }
}

/** A rule body's script, checked before the rule is written. */
export function checkRuleBody(body: Record<string, unknown> | undefined): void {
  const script = body?.value_derivation_script;
  if (typeof script === 'string' && script.trim() !== '') compileScript(script);
}

/** POST /contacts/fast_access. */
export function createRule(ws: Workspace, c: SynCollections, body: Record<string, unknown> | undefined, schema: Record<string, any> | undefined): Rec {
  checkRuleBody(body);
  const rule = c.fastAccessRules.create(ws, body, schema);
  resyncAllContacts(ws, c);
  return rule;
}

/** POST /contacts/fast_access/{id}: moving a rule to another target drops the old target's values. */
export function updateRule(ws: Workspace, c: SynCollections, id: string, body: Record<string, unknown> | undefined, schema: Record<string, any> | undefined): Rec {
  checkRuleBody(body);
  const before = String(c.fastAccessRules.get(ws, id).target_attribute);
  const rule = c.fastAccessRules.update(ws, id, body, schema);
  resyncAllContacts(ws, c, rule.target_attribute !== before ? [before] : []);
  return rule;
}

/** DELETE /contacts/fast_access/{id}: its values leave every contact. */
export function removeRule(ws: Workspace, c: SynCollections, id: string): Rec {
  const rule = c.fastAccessRules.remove(ws, id);
  resyncAllContacts(ws, c, [String(rule.target_attribute)]);
  return rule;
}
