// The files a client uploads to the imports area (a mapping's sample, a job's data): the
// reference's checks in its order: none sent [25], empty [27], over the size limit [28] (the
// fixtures' `imports.maxFileBytes`), and zip archives, whose first file is the content: an archive
// without files [31], one that cannot be read [30], two entries of the same name [29] (the
// service unpacks into one directory). Zips are read by core/zip.ts. No HTTP.
import { unzip, ZipError } from '../../core/zip.js';
import { dolistError } from './error-catalogue.js';

export interface UploadedFile {
  /** The file's name (the archive entry's, for a zip). */
  name: string;
  bytes: Uint8Array;
}

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

/** The first file of a zip archive ([31] none, [29] two of one name, [30] unreadable). */
export function firstZipEntry(archive: Uint8Array): UploadedFile {
  let files: ReturnType<typeof unzip>;
  try {
    files = unzip(archive);
  } catch (e) {
    if (e instanceof ZipError) throw dolistError('30', `the zip archive cannot be read: ${e.message}`, 'File');
    throw e;
  }
  if (!files.length) throw dolistError('31', 'the zip archive holds no file', 'File');
  const names = new Set<string>();
  for (const f of files) {
    const base = f.name.slice(f.name.lastIndexOf('/') + 1).toLowerCase();
    if (names.has(base)) throw dolistError('29', `the archive holds two files named ${base}`, 'File');
    names.add(base);
  }
  const f = files[0];
  return { name: f.name.slice(f.name.lastIndexOf('/') + 1), bytes: f.data };
}
