// A small JSONPath dialect for fast access rules' value_derivation_script: `$` then steps
// `.name`, `['name']` / `["name"]`, `[n]` (negative from the end), `[*]` / `.*`, `..name`
// (recursive descent) and filters `[?(@.a == 'v')]` (==, !=, <, <=, >, >= on a path of @, a
// quoted string, a number, true/false/null; or `[?(@.a)]` for presence). A bad expression
// throws JsonPathError with the reason.

export class JsonPathError extends Error {}

type Step =
  | { kind: 'name'; name: string; deep: boolean }
  | { kind: 'wild'; deep: boolean }
  | { kind: 'index'; index: number }
  | { kind: 'filter'; path: string[]; op?: string; value?: unknown };

const NAME = /^[A-Za-z_$][\w$-]*/;

export function compileJsonPath(expr: string): Step[] {
  const s = expr.trim();
  if (!s.startsWith('$')) throw new JsonPathError('must start with $');
  const steps: Step[] = [];
  let i = 1;
  while (i < s.length) {
    const rest = s.slice(i);
    if (rest.startsWith('..') || rest.startsWith('.')) {
      const deep = rest.startsWith('..');
      i += deep ? 2 : 1;
      const r = s.slice(i);
      if (r.startsWith('*')) {
        steps.push({ kind: 'wild', deep });
        i += 1;
        continue;
      }
      if (deep && r.startsWith('[')) {
        steps.push({ kind: 'wild', deep: true });
        continue;
      }
      const m = NAME.exec(r);
      if (!m) throw new JsonPathError(`a name is expected at position ${i}`);
      steps.push({ kind: 'name', name: m[0], deep });
      i += m[0].length;
      continue;
    }
    if (rest.startsWith('[')) {
      const close = matchingBracket(s, i);
      const inner = s.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') steps.push({ kind: 'wild', deep: false });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'[^']*'$|^"[^"]*"$/.test(inner)) steps.push({ kind: 'name', name: inner.slice(1, -1), deep: false });
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1).trim()));
      else throw new JsonPathError(`unsupported selector [${inner}]`);
      continue;
    }
    throw new JsonPathError(`unexpected '${rest[0]}' at position ${i}`);
  }
  return steps;
}

function matchingBracket(s: string, open: number): number {
  let quote: string | null = null;
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    const ch = s[j];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return j;
  }
  throw new JsonPathError('unclosed [');
}

function parseFilter(f: string): Step {
  const m = /^@((?:\.[A-Za-z_$][\w$-]*)*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+))?$/.exec(f);
  if (!m) throw new JsonPathError(`unsupported filter ?(${f})`);
  const path = m[1].split('.').filter(Boolean);
  if (!m[2]) return { kind: 'filter', path };
  const lit = m[3].trim();
  let value: unknown;
  if (/^'[^']*'$|^"[^"]*"$/.test(lit)) value = lit.slice(1, -1);
  else if (/^-?\d+(\.\d+)?$/.test(lit)) value = Number(lit);
  else if (lit === 'true' || lit === 'false') value = lit === 'true';
  else if (lit === 'null') value = null;
  else throw new JsonPathError(`unsupported literal ${lit}`);
  return { kind: 'filter', path, op: m[2], value };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return isObj(v) ? Object.values(v) : [];
}

function descendants(v: unknown): unknown[] {
  const out: unknown[] = [v];
  for (const c of children(v)) out.push(...descendants(c));
  return out;
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    default: {
      if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
      const x = a as number | string;
      const y = b as number | string;
      return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
  }
}

/** Every match of the path in `doc`, in document order. */
export function evaluateJsonPath(steps: Step[], doc: unknown): unknown[] {
  let cur: unknown[] = [doc];
  for (const st of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (st.kind === 'name') {
        for (const x of st.deep ? descendants(v) : [v]) if (isObj(x) && !Array.isArray(x) && st.name in x) next.push(x[st.name]);
      } else if (st.kind === 'wild') {
        if (st.deep) next.push(...descendants(v).slice(1));
        else next.push(...children(v));
      } else if (st.kind === 'index') {
        if (Array.isArray(v)) {
          const k = st.index < 0 ? v.length + st.index : st.index;
          if (k >= 0 && k < v.length) next.push(v[k]);
        }
      } else {
        for (const x of children(v)) {
          let y: unknown = x;
          for (const p of st.path) y = isObj(y) && !Array.isArray(y) ? y[p] : undefined;
          if (st.op ? compare(y, st.op, st.value) : y !== undefined && y !== null) next.push(x);
        }
      }
    }
    cur = next;
  }
  return cur;
}
