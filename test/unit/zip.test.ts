import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, unzip, zip } from '../../src/core/zip.js';

describe('zip', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('writes an archive whose entries read back, names, content and times', () => {
    const t = Date.parse('2026-03-02T09:00:02Z');
    const a = new TextEncoder().encode('Email;Nom\na@b.co;Été\n'.repeat(50));
    const archive = zip([
      { name: 'contacts.csv', data: a, mtime: t },
      { name: 'dir/é.txt', data: new Uint8Array([1, 2, 3]), mtime: t },
    ]);
    const b = Buffer.from(archive);
    expect(b.readUInt32LE(0)).toBe(0x04034b50);
    expect(b.readUInt32LE(b.length - 22)).toBe(0x06054b50);
    expect(archive.length).toBeLessThan(a.length);
    const back = unzip(archive);
    expect(back.map((e) => e.name)).toEqual(['contacts.csv', 'dir/é.txt']);
    expect(Buffer.from(back[0].data).toString('utf8')).toBe(Buffer.from(a).toString('utf8'));
    expect([...back[1].data]).toEqual([1, 2, 3]);
    expect(back[0].mtime).toBe(t);
    // The local header's data is raw deflate with the sizes it declares.
    const size = b.readUInt32LE(18);
    expect(Buffer.from(inflateRawSync(b.subarray(30 + 12, 30 + 12 + size))).toString('utf8')).toBe(Buffer.from(a).toString('utf8'));
    expect(() => unzip(new Uint8Array([1, 2, 3]))).toThrow(/no end of central directory/);
  });

  it('is deterministic', () => {
    const e = [{ name: 'a.csv', data: new Uint8Array([65, 66]), mtime: 0 }];
    expect(Buffer.from(zip(e)).equals(Buffer.from(zip(e)))).toBe(true);
  });
});
