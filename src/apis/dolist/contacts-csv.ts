// The CSV the contacts area serves (`/fields/export`, `/interests/export`): `;`-separated as the
// French service's extranet exports are, a header line, CRLF line ends, values quoted when they
// hold a separator, a quote or a line break.
export function csvText(header: string[], rows: Array<Array<string | number | boolean | null | undefined>>): string {
  const cell = (v: string | number | boolean | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(';')).join('\r\n') + '\r\n';
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
