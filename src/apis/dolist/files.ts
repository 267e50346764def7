// The account's files: a virtual file system per account (`/files/accounts/{Path*}`), where
// uploads land and export jobs write their CSV (`exports/<FileName>`), plus the read-only shared
// creative-commons library (fixtures `creativeCommons`). Table `files` keyed `<account>:<path>`
// (paths without a leading slash; the root is implicit), `parent` indexed for listings. Each
// account has the system directories `exports` and `imports` (not renamable [35]) and `system`
// (unreadable [22], its files not renamable [34]). Domain only: no HTTP.
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { API_ID, accountKey, dolistFixtures } from './style.js';

export interface FileRec extends Rec {
  /** `<account>:<path>` */
  id: string;
  /** The account, or `cc` for the creative-commons library. */
  account: string;
  /** `<account>:<parent path>` */
  parent: string;
  Path: string;
  Name: string;
  IsDirectory: boolean;
  Size: number;
  MimeType: string | null;
  /** base64 */
  Content: string | null;
  /** System entries: not renamed, not deleted; `unreadable` directories are not listed either. */
  protection: 'none' | 'system' | 'unreadable';
  CreateDate: string;
  UpdateDate: string;
}

export interface FileEntry {
  Name: string;
  Path: string;
  IsDirectory: boolean;
  Size: number;
  MimeType?: string | null;
  CreateDate: string;
  UpdateDate: string;
}

export const CREATIVE_COMMONS = 'cc';
export const filesTable = (ws: Workspace) => ws.table<FileRec>(API_ID, 'files');
const key = (account: string, path: string) => `${account}:${path}`;
const now = (ws: Workspace) => new Date(ws.now()).toISOString();

const MIME: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  zip: 'application/zip',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  html: 'text/html',
  htm: 'text/html',
  json: 'application/json',
  xml: 'application/xml',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const extOf = (name: string) => (/\.([A-Za-z0-9]+)$/.exec(name)?.[1] ?? '').toLowerCase();

/** A path in its stored form (no leading or trailing slash), or 400 [33]. */
export function normalizePath(raw: string, field = 'Path'): string {
  const p = raw.replace(/^\/+|\/+$/g, '').replace(/\/{2,}/g, '/');
  const bad = /[\\:*?"<>|\u0000-\u001f]/.exec(p);
  if (bad) throw dolistError('33', `'${raw}' contains '${bad[0] === '\\' ? '\\\\' : bad[0]}'`, field);
  if (p.split('/').some((s) => s === '..' || s === '.')) throw dolistError('33', `'${raw}' has a '.' or '..' segment`, field);
  return p;
}

const parentOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const nameOf = (p: string) => p.slice(p.lastIndexOf('/') + 1);

export function findEntry(ws: Workspace, account: string, path: string): FileRec | undefined {
  return path === '' ? undefined : filesTable(ws).peek(key(account, path));
}

/** The entry as the API shows it (a directory's Size: its number of entries). */
export function entryOf(ws: Workspace, r: FileRec): FileEntry {
  const size = r.IsDirectory ? filesTable(ws).lookup('parent', key(r.account, r.Path)).length : r.Size;
  return { Name: r.Name, Path: r.Path, IsDirectory: r.IsDirectory, Size: size, MimeType: r.MimeType, CreateDate: r.CreateDate, UpdateDate: r.UpdateDate };
}

/** The entries of a directory ('' the root): 404 [18] when there is none, 403 [22] when unreadable. */
export function listDirectory(ws: Workspace, account: string, path: string): FileRec[] {
  if (path !== '') {
    const d = findEntry(ws, account, path);
    if (!d) throw dolistError('18', `no directory '${path}'`, 'Path');
    if (isInProtected(ws, account, path)) throw dolistError('22', `'${path}' is in a protected directory`, 'Path');
    if (!d.IsDirectory) return [d];
    if (d.protection === 'unreadable') throw dolistError('22', `'${path}' is a protected directory`, 'Path');
  }
  return filesTable(ws).lookup('parent', key(account, path));
}

function putEntry(ws: Workspace, account: string, path: string, v: Partial<FileRec>): FileRec {
  const t = now(ws);
  const existing = filesTable(ws).get(key(account, path));
  if (existing) {
    Object.assign(existing, v, { UpdateDate: t });
    return filesTable(ws).touch(existing);
  }
  return filesTable(ws).put({
    id: key(account, path),
    account,
    parent: key(account, parentOf(path)),
    Path: path,
    Name: nameOf(path),
    IsDirectory: false,
    Size: 0,
    MimeType: null,
    Content: null,
    protection: 'none',
    CreateDate: t,
    UpdateDate: t,
    ...v,
  });
}

/** Creates the directory and its missing parents; a file in the way is 409 [19]. */
export function makeDirectories(ws: Workspace, account: string, path: string): void {
  let cur = '';
  for (const seg of path.split('/').filter(Boolean)) {
    cur = cur ? `${cur}/${seg}` : seg;
    const e = findEntry(ws, account, cur);
    if (e && !e.IsDirectory) throw dolistError('19', `'${cur}' is a file`, 'Path');
    if (e?.protection === 'unreadable') throw dolistError('22', `'${cur}' is a protected directory`, 'Path');
    if (!e) putEntry(ws, account, cur, { IsDirectory: true });
  }
}

/** POST with no content: a new directory (409 [19] when the path exists). */
export function createDirectory(ws: Workspace, account: string, path: string): FileRec {
  if (path === '') throw dolistError('19', 'the root exists', 'Path');
  if (findEntry(ws, account, path)) throw dolistError('19', `'${path}' exists`, 'Path');
  makeDirectories(ws, account, path);
  return findEntry(ws, account, path)!;
}

function checkFile(name: string, bytes: Uint8Array): string {
  if (!name) throw dolistError('25', 'the File part has no file name', 'File');
  const mime = MIME[extOf(name)];
  if (!mime) throw dolistError('32', `'.${extOf(name) || '(none)'}' files are not accepted (${Object.keys(MIME).join(', ')})`, 'File');
  if (bytes.length === 0) throw dolistError('27', `'${name}' has no content`, 'File');
  return mime;
}

/**
 * Writes a file at `path` (its parents made as needed): an existing file is 409 [19] unless
 * `overwrite`; a directory there is 500 [29].
 */
export function writeFile(ws: Workspace, account: string, path: string, bytes: Uint8Array, opts: { overwrite?: boolean; system?: boolean } = {}): FileRec {
  const mime = opts.system ? MIME[extOf(path)] ?? 'application/octet-stream' : checkFile(nameOf(path), bytes);
  const e = findEntry(ws, account, path);
  if (e?.IsDirectory) throw dolistError('29', `'${path}' is a directory`, 'File');
  if (e && !opts.overwrite) throw dolistError('19', `'${path}' exists (Overwrite=true replaces it)`, 'Path');
  makeDirectories(ws, account, parentOf(path));
  return putEntry(ws, account, path, { IsDirectory: false, Size: bytes.length, MimeType: mime, Content: Buffer.from(bytes).toString('base64') });
}

/** PUT: replaces a file's content and/or renames the entry (RenameTo: a name, or a path from the root). */
export function updateEntry(ws: Workspace, account: string, path: string, change: { renameTo?: string; file?: { name: string; bytes: Uint8Array } }): FileRec {
  if (change.renameTo === undefined && !change.file) throw dolistError('25', 'send a File part or RenameTo', 'File');
  const e = findEntry(ws, account, path);
  if (!e) throw dolistError('17', `no file or directory '${path}'`, 'Path');
  let rec = filesTable(ws).get(e.id)!;
  if (change.file) {
    if (rec.IsDirectory) throw dolistError('29', `'${path}' is a directory: its content cannot be replaced`, 'File');
    if (rec.protection !== 'none') throw dolistError('34', `'${path}' is a system file`, 'Path');
    const mime = checkFile(change.file.name || rec.Name, change.file.bytes);
    Object.assign(rec, { Size: change.file.bytes.length, MimeType: mime, Content: Buffer.from(change.file.bytes).toString('base64'), UpdateDate: now(ws) });
    filesTable(ws).touch(rec);
  }
  if (change.renameTo !== undefined) rec = renameEntry(ws, account, rec, change.renameTo);
  return rec;
}

function renameEntry(ws: Workspace, account: string, rec: FileRec, renameTo: string): FileRec {
  const target = normalizePath(renameTo.includes('/') ? renameTo : parentOf(rec.Path) ? `${parentOf(rec.Path)}/${renameTo}` : renameTo, 'RenameTo');
  if (!target) throw dolistError('33', 'RenameTo is empty', 'RenameTo');
  if (rec.protection !== 'none' || isInProtected(ws, account, rec.Path)) throw dolistError(rec.IsDirectory ? '35' : '34', `'${rec.Path}' is a system ${rec.IsDirectory ? 'directory' : 'file'}`, 'Path');
  if (target === rec.Path) return rec;
  if (findEntry(ws, account, target)) throw dolistError('19', `'${target}' exists`, 'RenameTo');
  if (!rec.IsDirectory && !MIME[extOf(target)]) throw dolistError('32', `'${nameOf(target)}': '.${extOf(target) || '(none)'}' files are not accepted`, 'RenameTo');
  if (rec.IsDirectory && (target + '/').startsWith(rec.Path + '/')) throw dolistError('35', `'${rec.Path}' cannot move into itself`, 'RenameTo');
  makeDirectories(ws, account, parentOf(target));
  const moved: FileRec[] = [];
  for (const r of subtree(ws, account, rec.Path)) {
    const p = target + r.Path.slice(rec.Path.length);
    const copy = { ...r, id: key(account, p), Path: p, Name: nameOf(p), parent: key(account, parentOf(p)), UpdateDate: now(ws) };
    filesTable(ws).remove(r.id);
    moved.push(copy);
  }
  for (const m of moved) filesTable(ws).put(m);
  return filesTable(ws).get(key(account, target))!;
}

function isInProtected(ws: Workspace, account: string, path: string): boolean {
  let p = parentOf(path);
  while (p) {
    const d = findEntry(ws, account, p);
    if (d && d.protection === 'unreadable') return true;
    p = parentOf(p);
  }
  return false;
}

/** The entry and everything below it (read-only views). */
function subtree(ws: Workspace, account: string, path: string): FileRec[] {
  const out: FileRec[] = [];
  const walk = (p: string) => {
    const e = findEntry(ws, account, p);
    if (!e) return;
    out.push(e);
    if (e.IsDirectory) for (const c of filesTable(ws).lookup('parent', key(account, p))) walk(c.Path);
  };
  walk(path);
  return out;
}

/** DELETE: a file, or a directory with everything in it. Missing: [18] for a path without extension, else [17]. */
export function deleteEntry(ws: Workspace, account: string, path: string): void {
  const e = findEntry(ws, account, path);
  if (!e) throw extOf(path) ? dolistError('17', `no file '${path}'`, 'Path') : dolistError('18', `no directory '${path}'`, 'Path');
  if (e.protection !== 'none' || isInProtected(ws, account, path)) throw dolistError('6', `'${path}' is a system ${e.IsDirectory ? 'directory' : 'file'}`, 'Path');
  for (const r of subtree(ws, account, path)) filesTable(ws).remove(r.id);
}

/** The file's bytes (exports read their CSV back). */
export function fileBytes(r: FileRec): Uint8Array {
  return new Uint8Array(Buffer.from(r.Content ?? '', 'base64'));
}

export interface CreativeCommonsFixture {
  Path: string;
  Size?: number;
}

/** The system directories of each account and the creative-commons library. */
export function loadFiles(ws: Workspace): void {
  for (const acc of dolistFixtures(ws).accounts) {
    const account = accountKey(acc.ID);
    putEntry(ws, account, 'exports', { IsDirectory: true, protection: 'system' });
    putEntry(ws, account, 'imports', { IsDirectory: true, protection: 'system' });
    putEntry(ws, account, 'system', { IsDirectory: true, protection: 'unreadable' });
    putEntry(ws, account, 'system/account.json', { Size: 2, MimeType: 'application/json', Content: Buffer.from('{}').toString('base64'), protection: 'system' });
  }
  for (const f of (dolistFixtures(ws).creativeCommons ?? []) as CreativeCommonsFixture[]) {
    const p = normalizePath(f.Path);
    makeDirectories(ws, CREATIVE_COMMONS, parentOf(p));
    if (f.Size === undefined) makeDirectories(ws, CREATIVE_COMMONS, p);
    else putEntry(ws, CREATIVE_COMMONS, p, { Size: f.Size, MimeType: MIME[extOf(p)] ?? 'application/octet-stream' });
  }
}
