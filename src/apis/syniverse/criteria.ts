// The contact selection language of DYNAMIC groups and message-request `criteria` (the seed's
// "section 5.4" is missing; commsim's grammar): a JSON object whose entries are ANDed; an entry
// is `field: value` (equality), `field: {"$in": [...]}`, `field: {"$like": "pat%"}` (SQL-like,
// case-insensitive) or `"$or": [object, ...]`. `fast_access.<name>` reads a contact's fast access
// value. A bad expression is 400 1017.
import { SimError } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';

export type Predicate = (r: Rec) => boolean;

const bad = (why: string) => new SimError('rule', `invalid criteria: ${why}`, { code: '1017', field: 'criteria' });

/**
 * The expression as an object (1017 when it is not one). With `attributes`, every entry must name
 * one of them or `fast_access.<name>` (1017 otherwise).
 */
export function parseCriteria(input: unknown, attributes?: ReadonlySet<string>): Record<string, unknown> {
  let v = input;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw bad('not JSON');
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('must be a JSON object');
  compile(v as Record<string, unknown>, attributes);
  return v as Record<string, unknown>;
}

/** The value an entry compares: an attribute, or `fast_access.<name>` from the contact's fast access object. */
function valueAt(r: Rec, key: string): unknown {
  if (!key.startsWith('fast_access.')) return r[key];
  if (typeof r.fast_access !== 'string') return undefined;
  try {
    const v = (JSON.parse(r.fast_access) as Record<string, unknown>)[key.slice('fast_access.'.length)];
    return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
  } catch {
    return undefined;
  }
}

export function compile(expr: Record<string, unknown>, attributes?: ReadonlySet<string>): Predicate {
  const parts: Predicate[] = [];
  for (const [key, val] of Object.entries(expr)) {
    if (key === '$or') {
      if (!Array.isArray(val) || !val.length) throw bad('$or needs a non-empty array of objects');
      const alts = val.map((x) => {
        if (typeof x !== 'object' || x === null || Array.isArray(x)) throw bad('$or items must be objects');
        return compile(x as Record<string, unknown>, attributes);
      });
      parts.push((r) => alts.some((p) => p(r)));
      continue;
    }
    if (key.startsWith('$')) throw bad(`unknown operator ${key}`);
    if (attributes && !attributes.has(key) && !(key.startsWith('fast_access.') && key.length > 12)) throw bad(`${key} is not a contact attribute`);
    if (val !== null && typeof val === 'object' && !Array.isArray(val)) {
      const ops = Object.entries(val as Record<string, unknown>);
      if (ops.length !== 1) throw bad(`${key}: one operator ($in or $like) expected`);
      const [op, arg] = ops[0];
      if (op === '$in') {
        if (!Array.isArray(arg)) throw bad(`${key}: $in needs an array`);
        const set = new Set(arg.map(String));
        parts.push((r) => {
          const v = valueAt(r, key);
          return v !== null && v !== undefined && set.has(String(v));
        });
      } else if (op === '$like') {
        if (typeof arg !== 'string') throw bad(`${key}: $like needs a string`);
        const re = new RegExp('^' + arg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$', 'i');
        parts.push((r) => {
          const v = valueAt(r, key);
          return v !== null && v !== undefined && re.test(String(v));
        });
      } else throw bad(`${key}: unknown operator ${op}`);
      continue;
    }
    if (Array.isArray(val)) throw bad(`${key}: use {"$in": [...]} for a list`);
    parts.push((r) => {
      const v = valueAt(r, key);
      return val === null ? v === null || v === undefined : String(v) === String(val);
    });
  }
  return (r) => parts.every((p) => p(r));
}
