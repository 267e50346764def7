// The CSV an export job writes: a header of column names, one line per row, the export's column
// and line separators, RFC 4180 quoting (a value holding the separator, a quote or a line break
// is quoted, quotes doubled), column formats (.NET-style, as the reference documents them: date
// patterns such as dd/MM/yyyy, numeric C, E, Dx, Nx, Fx) and the encoding (UTF8, UTF16 with a
// byte order mark, ISO-8859-1). Pure functions.
import type { DataType } from './export-catalogue.js';

export type Encoding = 'UTF8' | 'UTF16' | 'ISO-8859-1';

export interface CsvOptions {
  columnSeparator: string;
  lineSeparator: 'Lf' | 'Crlf';
  header: boolean;
}

function quote(v: string, sep: string): string {
  return v.includes(sep) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(names: string[], rows: string[][], o: CsvOptions): string {
  const eol = o.lineSeparator === 'Crlf' ? '\r\n' : '\n';
  const lines = (o.header ? [names, ...rows] : rows).map((r) => r.map((v) => quote(v, o.columnSeparator)).join(o.columnSeparator));
  return lines.length ? lines.join(eol) + eol : '';
}

export function encode(text: string, enc: Encoding): Uint8Array {
  if (enc === 'UTF16') return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  if (enc === 'ISO-8859-1') return new Uint8Array(Buffer.from(text.replace(/[^\u0000-\u00ff]/g, '?'), 'latin1'));
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/** The charset a Content-Type names for the encoding. */
export const charsetOf = (enc: Encoding) => (enc === 'UTF16' ? 'utf-16' : enc === 'ISO-8859-1' ? 'iso-8859-1' : 'utf-8');

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** A .NET-style custom date pattern (dd, MM, yyyy, yy, HH, hh, mm, ss, fff ...) over a UTC time. */
export function formatDate(t: number, pattern: string): string {
  const d = new Date(t);
  const parts: Record<string, string> = {
    yyyy: String(d.getUTCFullYear()),
    yy: pad(d.getUTCFullYear() % 100, 2),
    MM: pad(d.getUTCMonth() + 1, 2),
    M: String(d.getUTCMonth() + 1),
    dd: pad(d.getUTCDate(), 2),
    d: String(d.getUTCDate()),
    HH: pad(d.getUTCHours(), 2),
    H: String(d.getUTCHours()),
    hh: pad(((d.getUTCHours() + 11) % 12) + 1, 2),
    h: String(((d.getUTCHours() + 11) % 12) + 1),
    mm: pad(d.getUTCMinutes(), 2),
    m: String(d.getUTCMinutes()),
    ss: pad(d.getUTCSeconds(), 2),
    s: String(d.getUTCSeconds()),
    fff: pad(d.getUTCMilliseconds(), 3),
  };
  return pattern.replace(/yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|fff/g, (k) => parts[k]);
}

function formatNumber(n: number, format: string, culture: string): string {
  const kind = format[0].toUpperCase();
  const digits = format.length > 1 ? Number(format.slice(1)) : undefined;
  switch (kind) {
    case 'C':
      return new Intl.NumberFormat(culture, { style: 'currency', currency: 'EUR', minimumFractionDigits: digits ?? 2, maximumFractionDigits: digits ?? 2 }).format(n);
    case 'E': {
      const s = n.toExponential(digits ?? 6);
      const [m, e] = s.split('e');
      const exp = Number(e);
      return `${m}${format[0] === 'e' ? 'e' : 'E'}${exp < 0 ? '-' : '+'}${pad(Math.abs(exp), 3)}`;
    }
    case 'D':
      return (n < 0 ? '-' : '') + pad(Math.abs(Math.trunc(n)), digits ?? 1);
    case 'N':
      return new Intl.NumberFormat(culture, { minimumFractionDigits: digits ?? 2, maximumFractionDigits: digits ?? 2 }).format(n);
    case 'F':
      return n.toFixed(digits ?? 2);
    default:
      return String(n);
  }
}

/** A stored value as a column with `format` writes it ('' stays ''). */
export function formatValue(value: string | undefined | null, dataType: DataType, format: string | null, culture = 'fr-FR'): string {
  if (value === undefined || value === null || value === '') return '';
  if (!format) return value;
  if (dataType === 'Date' || dataType === 'DateTime') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? value : formatDate(t, format);
  }
  if (dataType === 'Integer' || dataType === 'Decimal') {
    const n = Number(value);
    return Number.isNaN(n) ? value : formatNumber(n, format, culture);
  }
  return value;
}
