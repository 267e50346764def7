// Unit tests of the imports area's pure modules: the JSV parser, the delimited-file reader and
// the upload checks (zip archives, stored and deflated).
import { describe, expect, it } from 'vitest';
import { csvLine, guessSeparator, parseDelimited, separatorOf, textOf } from '../src/apis/dolist/import-csv.js';
import { checkUpload, firstZipEntry } from '../src/apis/dolist/import-files.js';
import { parseJsv, parseJsvOrJson } from '../src/apis/dolist/jsv.js';
import { zip } from '../src/core/zip.js';

describe('JSV', () => {
  it('reads the reference example: unquoted keys and values, `;` as a bare value', () => {
    expect(parseJsv('{Name:new mapping,Separator:;,ContainsColumns:false,ContainsQuotes:false}')).toEqual({ Name: 'new mapping', Separator: ';', ContainsColumns: 'false', ContainsQuotes: 'false' });
    expect(parseJsv('{ImportID:10104}')).toEqual({ ImportID: '10104' });
  });

  it('reads quoted strings (doubled quotes), nested objects, lists and empty values', () => {
    expect(parseJsv('{Name:"a, b","Q":"say ""hi""",Sep:",",Empty:,List:[1,2, 3],Obj:{A:x,B:[{C:y}]},Last:}')).toEqual({
      Name: 'a, b',
      Q: 'say "hi"',
      Sep: ',',
      Empty: '',
      List: ['1', '2', '3'],
      Obj: { A: 'x', B: [{ C: 'y' }] },
      Last: '',
    });
    expect(parseJsv('[]')).toEqual([]);
    expect(parseJsv('{}')).toEqual({});
    expect(parseJsv('plain text')).toBe('plain text');
  });

  it('refuses broken documents', () => {
    for (const bad of ['{Name:x', '{Name}', '[1,2', '{A:"x}', '{A:x}y', '{A:x;B:y']) expect(() => parseJsv(bad), bad).toThrow();
  });

  it('takes JSON first when the part is JSON', () => {
    expect(parseJsvOrJson('{"ImportID": 5, "Name": "a,b"}')).toEqual({ ImportID: 5, Name: 'a,b' });
    expect(parseJsvOrJson('{ImportID:5}')).toEqual({ ImportID: '5' });
  });
});

describe('delimited files', () => {
  it('splits rows and cells, keeps line numbers, skips blank lines, trims unquoted cells', () => {
    expect(parseDelimited('\ufeffa;b\r\n\r\n c ; d \nlast;', { separator: ';', quotes: false })).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 3, cells: ['c', 'd'] },
      { line: 4, cells: ['last', ''] },
    ]);
  });

  it('reads quoted values with separators, doubled quotes and line breaks', () => {
    expect(parseDelimited('"a;1";"say ""x"""\n"multi\nline";z\nnext;row', { separator: ';', quotes: true })).toEqual([
      { line: 1, cells: ['a;1', 'say "x"'] },
      { line: 2, cells: ['multi\nline', 'z'] },
      { line: 4, cells: ['next', 'row'] },
    ]);
    // without ContainsQuotes a quote is a character
    expect(parseDelimited('"a";b', { separator: ';', quotes: false })[0].cells).toEqual(['"a"', 'b']);
  });

  it('guesses and names separators', () => {
    expect(guessSeparator('a\tb\tc\n1;2')).toBe('\t');
    expect(guessSeparator('a,b;c,d')).toBe(',');
    expect(guessSeparator('single')).toBe(';');
    expect(separatorOf('tab')).toBe('\t');
    expect(separatorOf('\\t')).toBe('\t');
    expect(separatorOf(',')).toBe(',');
    expect(separatorOf('ab')).toBeUndefined();
  });

  it('tells text from binary, reads Latin-1, writes CSV lines', () => {
    expect(textOf(new Uint8Array([0x61, 0, 0x62]))).toBeUndefined();
    expect(textOf(new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toBe('café');
    expect(textOf(new TextEncoder().encode('café'))).toBe('café');
    expect(csvLine(['a', 'b;c', 'say "x"', null, 3])).toBe('a;"b;c";"say ""x""";;3');
  });
});

/** A one-entry zip, deflated (core/zip.ts). */
const deflatedZip = (name: string, content: string): Uint8Array => zip([{ name, data: Buffer.from(content), mtime: Date.UTC(2026, 2, 2) }]);

describe('uploads', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as { details: { code: string } }).details.code;
    }
    return 'none';
  };

  it('checks presence, emptiness and size in the reference order', () => {
    expect(code(() => checkUpload(undefined, 'a.csv', 10))).toBe('25');
    expect(code(() => checkUpload(new Uint8Array(), 'a.csv', 10))).toBe('27');
    expect(code(() => checkUpload(new Uint8Array(11), 'a.csv', 10))).toBe('28');
    expect(checkUpload(new Uint8Array([65]), undefined, 10)).toEqual({ name: 'file.csv', bytes: new Uint8Array([65]) });
  });

  it('unpacks the first file of a deflated zip; damaged archives are [30]', () => {
    const z = deflatedZip('folder/people.csv', 'Email\na@b.fr\n');
    const f = firstZipEntry(z);
    expect(f.name).toBe('people.csv');
    expect(Buffer.from(f.bytes).toString()).toBe('Email\na@b.fr\n');
    expect(checkUpload(z, 'upload.zip', 1000).name).toBe('people.csv');
    const unknownMethod = z.slice();
    Buffer.from(unknownMethod.buffer).writeUInt16LE(99, z.length - 22 - 46 - 'folder/people.csv'.length + 10);
    expect(code(() => firstZipEntry(unknownMethod))).toBe('30');
    const garbage = deflatedZip('x.csv', 'abc');
    garbage.fill(0xff, 35, 38); // the deflate stream
    expect(code(() => firstZipEntry(garbage))).toBe('30');
    expect(code(() => firstZipEntry(z.slice(0, z.length - 10)))).toBe('30');
    expect(code(() => checkUpload(new TextEncoder().encode('not a zip'), 'x.zip', 100))).toBe('30');
  });
});
