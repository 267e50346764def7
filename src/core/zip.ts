// A minimal ZIP writer (PKWARE APPNOTE 6.3: local headers, deflated data, central directory,
// end record; no ZIP64, no encryption) for APIs that deliver compressed exports. Deterministic:
// the entries' times come from the caller (the workspace clock), never from the host.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS time and date of a UTC instant (2-second precision, years from 1980). */
function dosTime(t: number): { time: number; date: number } {
  const d = new Date(t);
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export interface ZipEntry {
  /** The path inside the archive (`/` separated, UTF-8). */
  name: string;
  data: Uint8Array;
  /** Modification time, epoch ms. */
  mtime: number;
}

/** The archive of `entries`, each deflated. */
export function zip(entries: ZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data);
    const crc = crc32(e.data);
    const { time, date } = dosTime(e.mtime);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, dir, end]));
}

/** An archive that cannot be read: what is wrong with it. */
export class ZipError extends Error {}

/**
 * The entries of an archive (stored or deflated; directories, which end with `/`, left out).
 * Throws a ZipError naming what is damaged (no end record, a bad directory entry, a truncated
 * entry, an unknown compression method, data that does not inflate): uploads are client input.
 */
export function unzip(bytes: Uint8Array): Array<{ name: string; data: Uint8Array; mtime: number }> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const endAt = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0 || endAt + 22 > b.length) throw new ZipError('no end of central directory');
  const count = b.readUInt16LE(endAt + 10);
  let p = b.readUInt32LE(endAt + 16);
  const out: Array<{ name: string; data: Uint8Array; mtime: number }> = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) throw new ZipError(`central directory entry ${i + 1} is damaged`);
    const method = b.readUInt16LE(p + 10);
    const time = b.readUInt16LE(p + 12);
    const date = b.readUInt16LE(p + 14);
    const size = b.readUInt32LE(p + 20);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    const at = b.readUInt32LE(p + 42);
    const name = b.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (at + 30 > b.length || b.readUInt32LE(at) !== 0x04034b50) throw new ZipError(`the entry ${name} is damaged`);
    const dataAt = at + 30 + b.readUInt16LE(at + 26) + b.readUInt16LE(at + 28);
    if (dataAt + size > b.length) throw new ZipError(`the entry ${name} is truncated`);
    const raw = b.subarray(dataAt, dataAt + size);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = inflateRawSync(raw);
      } catch (e) {
        throw new ZipError(`the entry ${name} does not inflate (${(e as Error).message})`);
      }
    } else throw new ZipError(`the entry ${name} uses compression method ${method}`);
    const mtime = Date.UTC((date >> 9) + 1980, ((date >> 5) & 15) - 1, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2);
    out.push({ name, data: new Uint8Array(data), mtime });
  }
  return out;
}
