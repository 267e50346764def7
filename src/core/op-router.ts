// Matches a request to a spec operation: a trie of the operations' path templates, static
// segments before parameters (with backtracking, so `/sender_ids/purchase` and
// `/sender_ids/{Sender_ID}` coexist), per-API options (static segments case-insensitive, a
// trailing slash ignored). One lookup costs the number of path segments, whatever the number of
// operations; a path that exists for other methods is reported with them (405).
import type { OperationInfo } from './spec.js';

export interface RouteOptions {
  caseInsensitive?: boolean;
  ignoreTrailingSlash?: boolean;
}

export type RouteMatch =
  | { kind: 'operation'; op: OperationInfo; params: Record<string, string> }
  | { kind: 'method'; allowed: string[] }
  | { kind: 'none' };

interface Node {
  statics: Map<string, Node>;
  param: Node | null;
  /** A wildcard parameter (`OperationInfo.wildcardParam`): the rest of the path, any segments. */
  rest: Node | null;
  /** Operations ending here, by method. */
  ops: Map<string, OperationInfo>;
}

const newNode = (): Node => ({ statics: new Map(), param: null, rest: null, ops: new Map() });

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export class OperationRouter {
  private readonly root = newNode();
  /** The path prefix every operation shares (the API's mount prefix): compared once, not walked. */
  private readonly prefix: string;
  private readonly prefixSegments: number;

  constructor(operations: OperationInfo[], private readonly opts: RouteOptions = {}) {
    this.prefix = commonStaticPrefix(operations.map((o) => o.fullPath));
    this.prefixSegments = this.prefix.split('/').length - 1;
    for (const op of operations) this.add(op);
  }

  private key(segment: string): string {
    return this.opts.caseInsensitive ? segment.toLowerCase() : segment;
  }

  private add(op: OperationInfo): void {
    let node = this.root;
    const segs = op.fullPath.split('/').filter(Boolean).slice(this.prefixSegments);
    for (const [i, seg] of segs.entries()) {
      if (op.wildcardParam && i === segs.length - 1 && seg === `{${op.wildcardParam}}`) node = node.rest ??= newNode();
      else if (/^\{[^}]+\}$/.test(seg)) node = node.param ??= newNode();
      else {
        const k = this.key(seg);
        let next = node.statics.get(k);
        if (!next) node.statics.set(k, (next = newNode()));
        node = next;
      }
    }
    if (node.ops.has(op.method)) throw new Error(`two operations for ${op.method} ${op.fullPath}: ${node.ops.get(op.method)!.operationId} and ${op.operationId}`);
    node.ops.set(op.method, op);
  }

  match(method: string, path: string): RouteMatch {
    let p = path;
    if (this.opts.ignoreTrailingSlash) while (p.length > 1 && p.charCodeAt(p.length - 1) === 47) p = p.slice(0, -1);
    const pre = this.prefix;
    if (pre) {
      const head = p.slice(0, pre.length);
      if (head !== pre && !(this.opts.caseInsensitive && head.toLowerCase() === pre.toLowerCase())) return NONE;
      // The prefix ends at a segment boundary.
      if (p.length > pre.length && p.charCodeAt(pre.length) !== 47) return NONE;
    }
    const values: string[] = [];
    const allowed: string[] = [];
    const op = this.walk(this.root, p, pre.length, values, method, allowed);
    if (op) {
      // `values` holds the parameters of the matched branch (backtracking pops the others).
      const params: Record<string, string> = {};
      const names = op.pathParams;
      for (let i = 0; i < names.length; i++) {
        const v = values[i] ?? '';
        params[names[i]] = v.includes('%') ? decode(v) : v;
      }
      return { kind: 'operation', op, params };
    }
    if (allowed.length) return { kind: 'method', allowed: [...new Set(allowed)] };
    return NONE;
  }

  /** Walks from `at` (the `/` before the next segment, or the end of the path). */
  private walk(node: Node, path: string, at: number, values: string[], method: string, allowed: string[]): OperationInfo | undefined {
    if (at >= path.length) {
      const op = node.ops.get(method) ?? (method === 'HEAD' ? node.ops.get('GET') : undefined);
      if (op) return op;
      for (const m of node.ops.keys()) allowed.push(m);
      // An empty wildcard (`/files/` for `/files/{Path*}`): the root.
      return node.rest ? this.rest(node.rest, '', values, method, allowed) : undefined;
    }
    const start = path.charCodeAt(at) === 47 ? at + 1 : at;
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    const seg = path.slice(start, end);
    const next = node.statics.get(this.opts.caseInsensitive ? seg.toLowerCase() : seg);
    if (next) {
      const r = this.walk(next, path, end, values, method, allowed);
      if (r) return r;
    }
    if (node.param && seg !== '') {
      values.push(seg);
      const r = this.walk(node.param, path, end, values, method, allowed);
      if (r) return r;
      values.pop();
    }
    if (node.rest) return this.rest(node.rest, path.slice(start), values, method, allowed);
    return undefined;
  }

  /** A wildcard taking `value` (the rest of the path, segments joined by `/`). */
  private rest(node: Node, value: string, values: string[], method: string, allowed: string[]): OperationInfo | undefined {
    const op = node.ops.get(method) ?? (method === 'HEAD' ? node.ops.get('GET') : undefined);
    if (op) {
      values.push(value);
      return op;
    }
    for (const m of node.ops.keys()) allowed.push(m);
    return undefined;
  }
}

const NONE: RouteMatch = Object.freeze({ kind: 'none' }) as RouteMatch;

/** The longest run of leading static segments all paths share (`/a/b` of `/a/b/c` and `/a/b/{x}`). */
function commonStaticPrefix(paths: string[]): string {
  if (!paths.length) return '';
  const split = paths.map((p) => p.split('/').filter(Boolean));
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const seg = split[0][i];
    if (seg === undefined || seg.startsWith('{')) break;
    // Keep at least one segment below the prefix in every path, so the trie decides the rest.
    if (split.some((s) => s[i] !== seg || s.length <= i + 1)) break;
    out.push(seg);
  }
  return out.length ? `/${out.join('/')}` : '';
}
