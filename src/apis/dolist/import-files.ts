// The files a client uploads to the imports area (a mapping's sample, a job's data): the
// reference's checks in its order: none sent [25], empty [27], over the size limit [28] (the
// fixtures' `imports.maxFileBytes`), and zip archives, whose first file is the content: an archive
// without files [31], one that cannot be read [30], two entries of the same name [29] (the
// service unpacks into one directory). Zips are read here (stored and deflated entries, the
// only methods zip writers use by default) with node's zlib. No HTTP.
import { inflateRawSync } from 'node:zlib';
import { dolistError } from './error-catalogue.js';

export interface UploadedFile {
  /** The file's name (the archive entry's, for a zip). */
  name: string;
  bytes: Uint8Array;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;

export const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);

/** The uploaded file after the reference's checks, unpacked when it is a zip. */
export function checkUpload(bytes: Uint8Array | undefined, filename: string | undefined, maxBytes: number): UploadedFile {
  if (!bytes) throw dolistError('25', 'the multipart body has no file part (File)', 'File');
  if (bytes.length === 0) throw dolistError('27', `the file${filename ? ` ${filename}` : ''} is empty`, 'File');
  if (bytes.length > maxBytes) throw dolistError('28', `the file is ${bytes.length} bytes, the limit is ${maxBytes}`, 'File');
  const name = filename && filename.trim() ? filename.trim() : 'file.csv';
  if (!isZip(bytes) && !/\.zip$/i.test(name)) return { name, bytes };
  const entry = firstZipEntry(bytes);
  if (entry.bytes.length === 0) throw dolistError('27', `the archive's file ${entry.name} is empty`, 'File');
  if (entry.bytes.length > maxBytes) throw dolistError('28', `the archive's file ${entry.name} is ${entry.bytes.length} bytes, the limit is ${maxBytes}`, 'File');
  return entry;
}

/** The first file of a zip archive. */
export function firstZipEntry(zip: Uint8Array): UploadedFile {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const bad = (why: string) => dolistError('30', `the zip archive cannot be read: ${why}`, 'File');
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw bad('no end of central directory');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files: Array<{ name: string; method: number; size: number; local: number }> = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw bad(`central directory entry ${n + 1} is damaged`);
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    if (!name.endsWith('/')) files.push({ name, method, size, local });
    at += 46 + nameLen + extraLen + commentLen;
  }
  if (!files.length) throw dolistError('31', 'the zip archive holds no file', 'File');
  const names = new Set<string>();
  for (const f of files) {
    const base = f.name.slice(f.name.lastIndexOf('/') + 1).toLowerCase();
    if (names.has(base)) throw dolistError('29', `the archive holds two files named ${base}`, 'File');
    names.add(base);
  }
  const f = files[0];
  if (f.local + 30 > buf.length || buf.readUInt32LE(f.local) !== LOCAL) throw bad(`the entry ${f.name} is damaged`);
  const start = f.local + 30 + buf.readUInt16LE(f.local + 26) + buf.readUInt16LE(f.local + 28);
  const data = buf.subarray(start, start + f.size);
  if (start + f.size > buf.length) throw bad(`the entry ${f.name} is truncated`);
  const name = f.name.slice(f.name.lastIndexOf('/') + 1);
  if (f.method === 0) return { name, bytes: new Uint8Array(data) };
  if (f.method !== 8) throw bad(`the entry ${f.name} uses compression method ${f.method}`);
  try {
    return { name, bytes: new Uint8Array(inflateRawSync(data)) };
  } catch (e) {
    throw bad(`the entry ${f.name} does not inflate (${(e as Error).message})`);
  }
}
