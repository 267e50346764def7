// The `criteria` expression of campaigns by criteria (seed 3.13/3.14: `diffusion=on and
// BRINGUP=oui`, "field=value avec des opérateurs logiques"). Grammar (commsim's reading, recorded
// in the spec):
//
//   expression := conjunction ( OR conjunction )*        AND binds tighter than OR
//   conjunction := condition ( AND condition )*          keywords case-insensitive
//   condition  := field ( "=" | "!=" | "<>" ) value      no parentheses
//   value      := 'quoted' | "quoted" | bare text up to the next AND/OR or the end
//
// Comparisons are case-insensitive on trimmed values. Parsing is pure; which field names exist
// (contact fields, additional fields) is decided by the caller through `resolveField`.
import { invalid } from '../../core/errors.js';

export interface Condition {
  field: string;
  negated: boolean;
  value: string;
}

/** OR of ANDs. */
export type Criteria = Condition[][];

const fail = (why: string) => invalid(`invalid criteria expression: ${why}`, { field: 'criteria' });

export function parseCriteria(text: string): Criteria {
  const src = text;
  let i = 0;
  const skipSpace = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const keywordAt = (pos: number): 'and' | 'or' | undefined => {
    const m = /^(and|or)(?=\s|$)/i.exec(src.slice(pos));
    return m ? (m[1].toLowerCase() as 'and' | 'or') : undefined;
  };

  const condition = (): Condition => {
    skipSpace();
    if (i >= src.length) throw fail('a condition (field=value) is missing at the end');
    if (src[i] === '(' || src[i] === ')') throw fail(`parentheses are not supported (at position ${i + 1})`);
    const fm = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(src.slice(i));
    if (!fm) throw fail(`expected a field name at position ${i + 1}, found '${src.slice(i, i + 10)}'`);
    const field = fm[0];
    i += field.length;
    skipSpace();
    let negated = false;
    if (src.startsWith('!=', i) || src.startsWith('<>', i)) {
      negated = true;
      i += 2;
    } else if (src[i] === '=') i += 1;
    else throw fail(`expected '=' or '!=' after '${field}'${i < src.length ? ` at position ${i + 1}` : ''}`);
    skipSpace();
    let value: string;
    const q = src[i];
    if (q === "'" || q === '"') {
      const end = src.indexOf(q, i + 1);
      if (end < 0) throw fail(`unterminated quoted value for '${field}'`);
      value = src.slice(i + 1, end);
      i = end + 1;
    } else {
      // A bare value runs to the next " AND " / " OR " keyword or the end.
      const rest = src.slice(i);
      const m = /\s+(and|or)(\s|$)/i.exec(rest);
      const raw = m ? rest.slice(0, m.index) : rest;
      value = raw.trim();
      if (!value) throw fail(`missing value after '${field}${negated ? '!=' : '='}'`);
      if (/[()]/.test(value)) throw fail('parentheses are not supported');
      i += raw.length;
    }
    return { field, negated, value: value.trim() };
  };

  const out: Criteria = [];
  let current: Condition[] = [condition()];
  for (;;) {
    skipSpace();
    if (i >= src.length) break;
    const kw = keywordAt(i);
    if (!kw) throw fail(`expected AND or OR at position ${i + 1}, found '${src.slice(i, i + 10)}'`);
    i += kw.length;
    const next = condition();
    if (kw === 'and') current.push(next);
    else {
      out.push(current);
      current = [next];
    }
  }
  out.push(current);
  return out;
}

/**
 * Checks every field through `resolveField` (which throws or returns a canonical name) and
 * returns a matcher over a record's values (`valuesOf(canonical)` = the strings to compare with).
 */
export function compileCriteria(
  criteria: Criteria,
  resolveField: (name: string) => string | undefined,
): (valuesOf: (field: string) => string[]) => boolean {
  const compiled = criteria.map((and) =>
    and.map((c) => {
      const field = resolveField(c.field);
      if (!field) throw invalid(`invalid criteria expression: unknown field '${c.field}' (contact fields or the additional fields of GET /api/fieldlist)`, { field: 'criteria' });
      return { ...c, field, value: c.value.toLowerCase() };
    }),
  );
  return (valuesOf) =>
    compiled.some((and) =>
      and.every((c) => {
        const hit = valuesOf(c.field).some((v) => v.trim().toLowerCase() === c.value);
        return c.negated ? !hit : hit;
      }),
    );
}
