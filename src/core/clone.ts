// Deep copies of JSON-shaped state (records, meta values). Transactions keep a copy of what a
// request is about to change and, on rollback, write it back into the same object so that every
// holder of a reference (the scheduler heap, a domain module) sees the restored value.

/** A deep copy of plain objects and arrays; other values (primitives, Uint8Array) are shared. */
export function deepClone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = deepClone(value[i]);
    return out as T;
  }
  if (ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k in value as Record<string, unknown>) out[k] = deepClone((value as Record<string, unknown>)[k]);
  return out as T;
}

/** Makes `target` (an object or array) hold exactly the content of `source`, keeping its identity. */
export function restoreInto(target: object, source: object): void {
  if (Array.isArray(target) && Array.isArray(source)) {
    target.length = 0;
    for (const v of source) target.push(deepClone(v));
    return;
  }
  const t = target as Record<string, unknown>;
  for (const k of Object.keys(t)) if (!(k in source)) delete t[k];
  for (const [k, v] of Object.entries(source)) t[k] = deepClone(v);
}

/** Structural equality of JSON-shaped values (object key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}
