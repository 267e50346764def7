// Delimited text files as the import mappings describe them: a column separator, an optional
// header row (ContainsColumns) and optional double quotes around values (ContainsQuotes; a
// doubled quote inside is a quote, and a quoted value may hold the separator or a line break).
// Pure functions: no HTTP, no workspace.

export interface DelimitedOptions {
  separator: string;
  quotes: boolean;
}

/** One row of a file: its 1-based line number (where it starts) and its cells. */
export interface FileRow {
  line: number;
  cells: string[];
}

/** Separators a mapping may name, by the spellings clients use for the unprintable one. */
export function separatorOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v);
  const named: Record<string, string> = { tab: '\t', '\\t': '\t', tabulation: '\t', semicolon: ';', comma: ',', pipe: '|' };
  if (named[s.trim().toLowerCase()]) return named[s.trim().toLowerCase()];
  if (s === '\t') return s;
  const t = s.trim();
  return t.length === 1 ? t : undefined;
}

/** The separator of a sample: the most frequent candidate on its first line (`;` when none). */
export function guessSeparator(text: string): string {
  const first = stripBom(text).split(/\r?\n/, 1)[0] ?? '';
  let best = ';';
  let count = 0;
  for (const c of [';', '\t', ',', '|']) {
    const n = first.split(c).length - 1;
    if (n > count) {
      best = c;
      count = n;
    }
  }
  return best;
}

export const stripBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/** The non-blank rows of a file. */
export function parseDelimited(text: string, opts: DelimitedOptions): FileRow[] {
  const s = stripBom(text);
  const rows: FileRow[] = [];
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let atCellStart = true;
    for (;;) {
      if (i >= s.length) {
        cells.push(cell);
        break;
      }
      const c = s[i];
      if (quoted) {
        if (c === '"') {
          if (s[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          quoted = false;
          i++;
          continue;
        }
        if (c === '\n') line++;
        cell += c;
        i++;
        continue;
      }
      if (opts.quotes && c === '"' && atCellStart) {
        quoted = true;
        atCellStart = false;
        i++;
        continue;
      }
      if (c === opts.separator) {
        cells.push(cell);
        cell = '';
        atCellStart = true;
        i++;
        continue;
      }
      if (c === '\r' && s[i + 1] === '\n') i++;
      if (c === '\n' || c === '\r') {
        cells.push(cell);
        i++;
        line++;
        break;
      }
      cell += c;
      atCellStart = false;
      i++;
    }
    if (cells.some((x) => x.trim() !== '')) rows.push({ line: start, cells: cells.map((x) => (opts.quotes ? x : x.trim())) });
  }
  return rows;
}

/** Whether bytes look like text (no NUL byte, valid UTF-8): a sample must be. */
export function textOf(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Latin-1 files are common in French CRM exports: read them as such.
    return Buffer.from(bytes).toString('latin1');
  }
}

/** One CSV line (`;`), values quoted when they need it. */
export function csvLine(values: Array<string | number | null | undefined>, separator = ';'): string {
  return values
    .map((v) => {
      const s = v === null || v === undefined ? '' : String(v);
      return /["\r\n]/.test(s) || s.includes(separator) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(separator);
}
