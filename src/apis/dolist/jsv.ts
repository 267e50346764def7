// ServiceStack's JSV ("JSON and CSV"), the format the reference asks for in the multipart
// `Mapping` and `Job` parts: `{Name:My mapping,Separator:;,ContainsColumns:true}`. Keys and
// values are unquoted; a value runs to the next `,` or closing bracket at its depth; `"..."`
// quotes a value holding those (a doubled `""` is a quote); `{...}` is an object, `[...]` a list.
// Scalars stay strings (the reader converts them by its schema, as ServiceStack does).
// Pure functions: no HTTP, no workspace.

export type JsvValue = string | JsvValue[] | { [key: string]: JsvValue };

export class JsvError extends Error {}

/** Parses a JSV document (a JSON document is accepted too: JSON first when it parses). */
export function parseJsvOrJson(text: string): unknown {
  const s = text.trim();
  if (s.startsWith('{"') || s.startsWith('[') || s === '{}') {
    try {
      return JSON.parse(s);
    } catch {
      // not JSON: JSV below
    }
  }
  return parseJsv(s);
}

export function parseJsv(text: string): JsvValue {
  const p = new Parser(text.trim());
  const v = p.value(true);
  p.skipSpace();
  if (!p.done()) throw new JsvError(`unexpected '${p.peek()}' at position ${p.pos}`);
  return v;
}

class Parser {
  pos = 0;
  constructor(readonly s: string) {}

  done(): boolean {
    return this.pos >= this.s.length;
  }

  peek(): string {
    return this.s[this.pos];
  }

  skipSpace(): void {
    while (!this.done() && /\s/.test(this.peek())) this.pos++;
  }

  /** A value; `top` reads a bare scalar to the end of the text (no delimiter ends it). */
  value(top = false): JsvValue {
    this.skipSpace();
    const c = this.peek();
    if (c === '{') return this.object();
    if (c === '[') return this.list();
    if (c === '"') return this.quoted();
    return this.scalar(top);
  }

  private object(): Record<string, JsvValue> {
    this.pos++; // {
    const out: Record<string, JsvValue> = {};
    this.skipSpace();
    if (this.peek() === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      const key = this.peek() === '"' ? this.quoted() : this.key();
      if (this.peek() !== ':') throw new JsvError(`expected ':' after key '${key}' at position ${this.pos}`);
      this.pos++;
      out[key.trim()] = this.peek() === ',' || this.peek() === '}' ? '' : this.value();
      this.skipSpace();
      const d = this.peek();
      this.pos++;
      if (d === '}') return out;
      if (d !== ',') throw new JsvError(d === undefined ? 'unterminated object' : `expected ',' or '}' at position ${this.pos - 1}`);
    }
  }

  private list(): JsvValue[] {
    this.pos++; // [
    const out: JsvValue[] = [];
    this.skipSpace();
    if (this.peek() === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipSpace();
      const d = this.peek();
      this.pos++;
      if (d === ']') return out;
      if (d !== ',') throw new JsvError(d === undefined ? 'unterminated list' : `expected ',' or ']' at position ${this.pos - 1}`);
    }
  }

  private key(): string {
    const start = this.pos;
    while (!this.done() && this.peek() !== ':') {
      if (',{}[]'.includes(this.peek())) throw new JsvError(`expected a key at position ${start}`);
      this.pos++;
    }
    if (this.done()) throw new JsvError('unterminated object');
    return this.s.slice(start, this.pos);
  }

  private quoted(): string {
    this.pos++; // "
    let out = '';
    for (;;) {
      if (this.done()) throw new JsvError('unterminated quoted string');
      const c = this.s[this.pos++];
      if (c === '"') {
        if (this.peek() === '"') {
          out += '"';
          this.pos++;
          continue;
        }
        return out;
      }
      out += c;
    }
  }

  /** An unquoted scalar: to the next `,`, `}` or `]` (`Separator:;` is ";"; a comma must be quoted). */
  private scalar(top: boolean): string {
    if (top) {
      const rest = this.s.slice(this.pos);
      this.pos = this.s.length;
      return rest.trim();
    }
    const start = this.pos;
    while (!this.done() && !',}]'.includes(this.peek())) this.pos++;
    return this.s.slice(start, this.pos).trim();
  }
}
