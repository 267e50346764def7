// The GraphQL-style export filter: `query { contacts(where: {...}) { items { ... } } }`, a
// HotChocolate `where` argument. Parsed into a plain filter (kept in the export job) and
// evaluated over entities. A malformed query is a 400 naming the line, column and position of
// the error; an unknown field or operator too. The selection set is read but not used (the CSV
// columns come from the schema). No HTTP. Parsed here rather than by graphql-js: the seed's own
// example has an empty selection set (`{ items { } }`), which a spec-conforming parser refuses,
// and a client copying the vendor's example must be served.
import { invalid } from '../../core/errors.js';

type Tok = { t: 'name' | 'string' | 'number' | 'punct' | 'eof'; v: string; pos: number };

export type GqlValue =
  | { k: 'object'; fields: Array<{ name: string; value: GqlValue; pos: number }>; pos: number }
  | { k: 'list'; items: GqlValue[]; pos: number }
  | { k: 'scalar'; value: string | number | boolean | null; pos: number };

/** A filter as stored: and/or of conditions on paths. */
export type Filter = { and: Filter[] } | { or: Filter[] } | { path: string; op: string; value: unknown };

function position(text: string, pos: number): string {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `line ${line}, column ${column} (position ${pos})`;
}

const syntax = (text: string, pos: number, why: string) => invalid(`malformed GraphQL query at ${position(text, pos)}: ${why}`, { field: 'query', position: pos });

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/[\s,\uFEFF]/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_]/.test(ch)) {
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i])) i++;
      out.push({ t: 'name', v: text.slice(start, i), pos: start });
      continue;
    }
    if (/[-0-9]/.test(ch)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
      if (!m || !m[0] || m[0] === '-') throw syntax(text, start, `invalid number`);
      i += m[0].length;
      out.push({ t: 'number', v: m[0], pos: start });
      continue;
    }
    if (ch === '"') {
      let s = '';
      i++;
      for (;;) {
        if (i >= text.length || text[i] === '\n') throw syntax(text, start, 'unterminated string');
        const c = text[i];
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') {
          const e = text[i + 1];
          const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            s += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          if (!(e in map)) throw syntax(text, i, `invalid escape sequence \\${e ?? ''}`);
          s += map[e];
          i += 2;
          continue;
        }
        s += c;
        i++;
      }
      out.push({ t: 'string', v: s, pos: start });
      continue;
    }
    if ('{}()[]:$!='.includes(ch)) {
      out.push({ t: 'punct', v: ch, pos: start });
      i++;
      continue;
    }
    throw syntax(text, start, `unexpected character '${ch}'`);
  }
  out.push({ t: 'eof', v: '', pos: text.length });
  return out;
}

export interface ParsedQuery {
  root: string;
  rootPos: number;
  where: GqlValue | null;
}

/** Parses the query document (one operation, one root field). */
export function parseQuery(text: string): ParsedQuery {
  const toks = tokenize(text);
  let i = 0;
  const peek = () => toks[i];
  const describe = (t: Tok) => (t.t === 'eof' ? 'the end of the query' : t.t === 'string' ? `"${t.v}"` : `'${t.v}'`);
  const expect = (v: string) => {
    const t = toks[i];
    if (t.t !== 'punct' || t.v !== v) throw syntax(text, t.pos, `expected '${v}', found ${describe(t)}`);
    i++;
    return t;
  };
  const name = () => {
    const t = toks[i];
    if (t.t !== 'name') throw syntax(text, t.pos, `expected a name, found ${describe(t)}`);
    i++;
    return t;
  };
  const value = (): GqlValue => {
    const t = toks[i];
    if (t.t === 'punct' && t.v === '{') {
      i++;
      const fields: Array<{ name: string; value: GqlValue; pos: number }> = [];
      while (!(peek().t === 'punct' && peek().v === '}')) {
        const n = name();
        expect(':');
        fields.push({ name: n.v, value: value(), pos: n.pos });
      }
      i++;
      return { k: 'object', fields, pos: t.pos };
    }
    if (t.t === 'punct' && t.v === '[') {
      i++;
      const items: GqlValue[] = [];
      while (!(peek().t === 'punct' && peek().v === ']')) items.push(value());
      i++;
      return { k: 'list', items, pos: t.pos };
    }
    if (t.t === 'string') {
      i++;
      return { k: 'scalar', value: t.v, pos: t.pos };
    }
    if (t.t === 'number') {
      i++;
      return { k: 'scalar', value: Number(t.v), pos: t.pos };
    }
    if (t.t === 'name') {
      i++;
      if (t.v === 'true' || t.v === 'false') return { k: 'scalar', value: t.v === 'true', pos: t.pos };
      if (t.v === 'null') return { k: 'scalar', value: null, pos: t.pos };
      return { k: 'scalar', value: t.v, pos: t.pos };
    }
    if (t.t === 'punct' && t.v === '$') throw syntax(text, t.pos, 'variables are not supported: write the values in the query');
    throw syntax(text, t.pos, `expected a value, found ${describe(t)}`);
  };
  const selectionSet = (top: boolean): { root?: Tok; where: GqlValue | null } => {
    expect('{');
    let root: Tok | undefined;
    let where: GqlValue | null = null;
    while (!(peek().t === 'punct' && peek().v === '}')) {
      if (peek().t === 'eof') throw syntax(text, peek().pos, `expected '}', found the end of the query`);
      const f = name();
      if (top && root) throw syntax(text, f.pos, `only one root field is allowed (found '${root.v}' and '${f.v}')`);
      if (peek().t === 'punct' && peek().v === '(') {
        i++;
        while (!(peek().t === 'punct' && peek().v === ')')) {
          const a = name();
          expect(':');
          const v = value();
          if (!top) continue;
          if (a.v !== 'where') throw syntax(text, a.pos, `unknown argument '${a.v}' (only 'where' is supported)`);
          where = v;
        }
        i++;
      }
      if (peek().t === 'punct' && peek().v === '{') selectionSet(false);
      if (top) root = f;
    }
    i++;
    return { root, where };
  };
  const first = peek();
  if (first.t === 'name') {
    if (first.v !== 'query') throw syntax(text, first.pos, `expected 'query' or '{', found '${first.v}'`);
    i++;
    if (peek().t === 'name') i++;
  }
  const { root, where } = selectionSet(true);
  if (peek().t !== 'eof') throw syntax(text, peek().pos, `unexpected ${describe(peek())} after the query`);
  if (!root) throw syntax(text, first.pos, 'the query selects no field');
  return { root: root.v, rootPos: root.pos, where };
}

const STRING_OPS = ['eq', 'neq', 'contains', 'ncontains', 'startsWith', 'nstartsWith', 'endsWith', 'nendsWith', 'in', 'nin'];
const ORDER_OPS = ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'ngt', 'ngte', 'nlt', 'nlte'];

export type FieldKind = 'string' | 'number' | 'boolean' | 'date';

function plain(v: GqlValue): unknown {
  if (v.k === 'scalar') return v.value;
  if (v.k === 'list') return v.items.map(plain);
  return Object.fromEntries(v.fields.map((f) => [f.name, plain(f.value)]));
}

/**
 * The `where` value as a filter over `fields` (dotted path -> kind). Objects nest along the
 * paths; `and`/`or` take lists; a leaf field takes an operator object.
 */
export function compileWhere(text: string, where: GqlValue, fields: Map<string, FieldKind>): Filter {
  const prefixes = new Set<string>();
  for (const p of fields.keys()) {
    const parts = p.split('.');
    for (let n = 1; n < parts.length; n++) prefixes.add(parts.slice(0, n).join('.'));
  }
  const bad = (pos: number, why: string) => invalid(`invalid GraphQL filter at ${position(text, pos)}: ${why}`, { field: 'query', position: pos });
  const node = (v: GqlValue, prefix: string): Filter => {
    if (v.k !== 'object') throw bad(v.pos, 'expected a filter object');
    const parts: Filter[] = [];
    for (const f of v.fields) {
      if (f.name === 'and' || f.name === 'or') {
        if (f.value.k !== 'list') throw bad(f.value.pos, `'${f.name}' takes a list of filters`);
        const subs = f.value.items.map((x) => node(x, prefix));
        parts.push(f.name === 'and' ? { and: subs } : { or: subs });
        continue;
      }
      const path = prefix ? `${prefix}.${f.name}` : f.name;
      const kind = fields.get(path);
      if (kind) {
        if (f.value.k !== 'object') throw bad(f.value.pos, `'${path}' takes an operator object, e.g. { eq: ... }`);
        const allowed = kind === 'string' ? STRING_OPS : kind === 'boolean' ? ['eq', 'neq'] : ORDER_OPS;
        for (const o of f.value.fields) {
          if (!allowed.includes(o.name)) throw bad(o.pos, `unknown operator '${o.name}' for '${path}' (allowed: ${allowed.join(', ')})`);
          const val = plain(o.value);
          if ((o.name === 'in' || o.name === 'nin') && !Array.isArray(val)) throw bad(o.value.pos, `'${o.name}' takes a list`);
          if (o.name !== 'in' && o.name !== 'nin' && (Array.isArray(val) || (val !== null && typeof val === 'object'))) throw bad(o.value.pos, `'${o.name}' takes a single value`);
          parts.push({ path, op: o.name, value: val });
        }
        continue;
      }
      if (prefixes.has(path)) {
        parts.push(node(f.value, path));
        continue;
      }
      throw bad(f.pos, `unknown field '${path}'`);
    }
    return parts.length === 1 ? parts[0] : { and: parts };
  };
  return node(where, '');
}

const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

function compare(a: unknown, b: unknown): number | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const ta = typeof a === 'string' ? Date.parse(a) : NaN;
  const tb = typeof b === 'string' ? Date.parse(b) : NaN;
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && /^\d{4}-/.test(String(a))) return ta - tb;
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

/** Evaluates a filter; `read(path)` gives the entity's value. Text comparisons ignore case. */
export function matches(f: Filter, read: (path: string) => unknown): boolean {
  if ('and' in f) return f.and.every((x) => matches(x, read));
  if ('or' in f) return f.or.some((x) => matches(x, read));
  const v = read(f.path);
  const s = v === null || v === undefined ? null : String(v).toLowerCase();
  const w = f.value;
  const ws = w === null || w === undefined ? null : String(w).toLowerCase();
  switch (f.op) {
    case 'eq':
      return w === null ? v === null || v === undefined : norm(v) === norm(w) || (typeof v !== typeof w && s === ws);
    case 'neq':
      return !matches({ ...f, op: 'eq' }, read);
    case 'contains':
      return s !== null && ws !== null && s.includes(ws);
    case 'ncontains':
      return !(s !== null && ws !== null && s.includes(ws));
    case 'startsWith':
      return s !== null && ws !== null && s.startsWith(ws);
    case 'nstartsWith':
      return !(s !== null && ws !== null && s.startsWith(ws));
    case 'endsWith':
      return s !== null && ws !== null && s.endsWith(ws);
    case 'nendsWith':
      return !(s !== null && ws !== null && s.endsWith(ws));
    case 'in':
      return (w as unknown[]).some((x) => matches({ path: f.path, op: 'eq', value: x }, read));
    case 'nin':
      return !(w as unknown[]).some((x) => matches({ path: f.path, op: 'eq', value: x }, read));
    default: {
      const c = compare(v, w);
      if (c === undefined) return f.op.startsWith('n');
      const r = { gt: c > 0, gte: c >= 0, lt: c < 0, lte: c <= 0 } as Record<string, boolean>;
      return f.op.startsWith('n') ? !r[f.op.slice(1)] : r[f.op];
    }
  }
}
