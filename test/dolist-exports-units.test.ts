// Domain units of the exports area: the CSV writer (quoting, separators, encodings, .NET-style
// formats), the format rules of mapping columns, the type tree and filters, file paths.
import { describe, expect, it } from 'vitest';
import { encode, formatDate, formatValue, toCsv } from '../src/apis/dolist/csv.js';
import { allowedFilters, formatFits, requireExportType, typeTree } from '../src/apis/dolist/export-catalogue.js';
import { jobFileName, type ExportRec } from '../src/apis/dolist/exports.js';
import { normalizePath } from '../src/apis/dolist/files.js';

describe('csv', () => {
  it('quotes values holding the separator, quotes or line breaks, and ends every line', () => {
    const o = { columnSeparator: ';', lineSeparator: 'Lf' as const, header: true };
    expect(toCsv(['a', 'b'], [['1', 'x;y'], ['say "hi"', 'two\nlines']], o)).toBe('a;b\n1;"x;y"\n"say ""hi""";"two\nlines"\n');
    expect(toCsv(['a', 'b'], [['1', 'x;y']], { ...o, columnSeparator: ',', lineSeparator: 'Crlf' })).toBe('a,b\r\n1,x;y\r\n');
    expect(toCsv(['a'], [], { ...o, header: false })).toBe('');
    expect(toCsv(['a'], [], o)).toBe('a\n');
  });

  it('encodes UTF8, UTF16 (with a byte order mark) and ISO-8859-1 (unmappable as ?)', () => {
    expect([...encode('é', 'UTF8')]).toEqual([0xc3, 0xa9]);
    expect([...encode('é', 'UTF16')]).toEqual([0xff, 0xfe, 0xe9, 0x00]);
    expect([...encode('é€', 'ISO-8859-1')]).toEqual([0xe9, 0x3f]);
  });

  it('formats dates and numbers as the reference documents them', () => {
    const t = Date.parse('2026-03-02T09:05:07.045Z');
    expect(formatDate(t, 'dd/MM/yyyy')).toBe('02/03/2026');
    expect(formatDate(t, 'yyyy-MM-dd HH:mm:ss.fff')).toBe('2026-03-02 09:05:07.045');
    expect(formatDate(t, 'd/M/yy h:m')).toBe('2/3/26 9:5');
    expect(formatValue('1234', 'Integer', 'D8')).toBe('00001234');
    expect(formatValue('-12', 'Integer', 'D4')).toBe('-0012');
    expect(formatValue('1234.5', 'Decimal', 'E2')).toBe('1.23E+003');
    expect(formatValue('0.5', 'Decimal', 'e')).toBe('5.000000e-001');
    expect(formatValue('3.14159', 'Decimal', 'F2')).toBe('3.14');
    expect(formatValue('1234.5', 'Decimal', 'C', 'en-US')).toBe('€1,234.50');
    expect(formatValue('1990-04-07', 'Date', 'dd/MM/yyyy')).toBe('07/04/1990');
    expect(formatValue('', 'Date', 'dd/MM/yyyy')).toBe('');
    expect(formatValue('abc', 'Integer', 'D3')).toBe('abc');
    expect(formatValue('text', 'Text', null)).toBe('text');
  });
});

describe('export catalogue', () => {
  it('checks column formats against the data type', () => {
    expect(formatFits('dd/MM/yyyy', 'Date')).toBe(true);
    expect(formatFits('HH:mm', 'DateTime')).toBe(true);
    expect(formatFits('C', 'Date')).toBe(false);
    expect(formatFits('D8', 'Integer')).toBe(true);
    expect(formatFits('D8', 'Decimal')).toBe(false);
    expect(formatFits('N2', 'Decimal')).toBe(true);
    expect(formatFits('X', 'Integer')).toBe(false);
    expect(formatFits('dd', 'Text')).toBe(false);
  });

  it('has a tree with one root and the filters of each branch', () => {
    const tree = typeTree();
    expect(tree.filter((t) => t.ParentTypeID === null).map((t) => t.ID)).toEqual([1]);
    for (const t of tree) if (t.ParentTypeID !== null) expect(tree.find((p) => p.ID === t.ParentTypeID)!.ChildTypeIDList).toContain(t.ID);
    expect(allowedFilters(1)).toContain('Interests');
    expect(allowedFilters(4)).toEqual(['EmailSendings', 'Segment', 'LastDays', 'StartDate', 'EndDate']);
    expect(allowedFilters(8)[0]).toBe('SmsSendings');
    expect(() => requireExportType(0)).toThrow();
    expect(requireExportType('3').Name).toBe('Email opens');
  });
});

describe('job file names and paths', () => {
  it('puts the timestamp before the extension', () => {
    const e = { FileName: 'contacts.csv', IncludeTimeStamp: true } as ExportRec;
    const at = Date.parse('2026-03-02T09:00:01.400Z');
    expect(jobFileName(e, at)).toBe('contacts_20260302090001.csv');
    expect(jobFileName({ ...e, FileName: 'noext' }, at)).toBe('noext_20260302090001');
    expect(jobFileName({ ...e, IncludeTimeStamp: false }, at)).toBe('contacts.csv');
  });

  it('normalizes paths and refuses dangerous ones with [33]', () => {
    expect(normalizePath('/a//b/c.csv/')).toBe('a/b/c.csv');
    expect(normalizePath('')).toBe('');
    for (const bad of ['a/../b', './a', 'a\\b', 'c:/x', 'a*b', 'a?b', 'a"b', 'a<b', 'a>b', 'a|b', 'a\u0001b']) {
      expect(() => normalizePath(bad), bad).toThrow(expect.objectContaining({ details: expect.objectContaining({ code: '33' }) }));
    }
  });
});
