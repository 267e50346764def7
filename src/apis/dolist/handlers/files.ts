// File operations over HTTP: the account's files (`{Path*}`: multipart uploads, JSON `Content`
// for text files, directories, rename, delete), the creative-commons library (read only) and
// remotes (declared list/create over the `remotes` collection).
import type { Handler, HandlerContext } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import { listArray } from '../../../core/engine/array-list.js';
import type { Collection } from '../../../core/engine/collection.js';
import { shapeFromKinds } from '../../../core/engine/shape.js';
import { dolistError } from '../error-catalogue.js';
import { createDirectory, CREATIVE_COMMONS, deleteEntry, entryOf, listDirectory, normalizePath, updateEntry, writeFile, type FileEntry } from '../files.js';
import { REMOTE_TYPES, remoteType, type RemoteRec } from '../remotes.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';

/** A directory listing as a list: SearchValue over names, SortField/SortOrder (default: directories first, then by name), Offset/Limit (the engine's list planner). */
const ENTRY_SHAPE = shapeFromKinds({ Name: 'string', Path: 'string', IsDirectory: 'boolean', Size: 'integer', MimeType: 'string', CreateDate: 'date', UpdateDate: 'date' });
const ENTRY_LIST = { shape: ENTRY_SHAPE, list: style.list, search: ['Name'], defaultSort: [{ field: 'IsDirectory', desc: true }, { field: 'Name', desc: false }] };

function page(entries: FileEntry[], q: Record<string, unknown>) {
  const { items, page: info } = listArray(ENTRY_LIST, entries, q);
  return { status: 200, body: { ItemList: items, Total: info.total } };
}

/** The uploaded file of the request: a multipart `File` part, or JSON `Content` (text). */
function uploaded(ctx: HandlerContext, path: string): { name: string; bytes: Uint8Array } | 'missing' | undefined {
  const b = ctx.body && typeof ctx.body === 'object' ? (ctx.body as Record<string, unknown>) : {};
  if (ctx.rawBody) return { name: String(b.__filename ?? ''), bytes: ctx.rawBody };
  if (typeof b.Content === 'string') return { name: path.slice(path.lastIndexOf('/') + 1), bytes: new Uint8Array(Buffer.from(b.Content, 'utf8')) };
  // A `File` field without a file in it.
  if ('File' in b || 'file' in b) return 'missing';
  return undefined;
}

const truthy = (v: unknown) => v === true || String(v).toLowerCase() === 'true' || v === '1';

export function filesHandlers(deps: { remotes: Collection<RemoteRec> }): Record<string, Handler> {
  const listOf = (account: (ctx: HandlerContext) => string) => (ctx: HandlerContext) => {
    const path = normalizePath(ctx.params.Path ?? '');
    return page(listDirectory(ctx.ws, account(ctx), path).map((r) => entryOf(ctx.ws, r)), ctx.query);
  };
  return {
    getFileAccount: listOf(callerAccount),
    getFileCreativeCommon: listOf(() => CREATIVE_COMMONS),
    createFileAccount: (ctx) => {
      const account = callerAccount(ctx);
      const path = normalizePath(ctx.params.Path ?? '');
      const file = uploaded(ctx, path);
      if (file === 'missing') throw dolistError('27', 'the File part holds no file', 'File');
      if (!file) {
        const d = createDirectory(ctx.ws, account, path);
        return { status: 201, body: { Path: d.Path, IsDirectory: true, Size: 0 } };
      }
      // A multipart file goes into the directory Path; JSON Content is the file at Path.
      const target = ctx.rawBody ? normalizePath(path ? `${path}/${file.name}` : file.name, 'File') : path;
      if (!target) throw dolistError('33', 'a file needs a name', 'Path');
      const f = writeFile(ctx.ws, account, target, file.bytes, { overwrite: truthy(ctx.query.Overwrite) });
      return { status: 201, body: { Path: f.Path, IsDirectory: false, Size: f.Size } };
    },
    updateFileAccount: (ctx) => {
      const path = normalizePath(ctx.params.Path ?? '');
      if (!path) throw dolistError('35', 'the root cannot be changed', 'Path');
      const file = uploaded(ctx, path);
      if (file === 'missing') throw dolistError('27', 'the File part holds no file', 'File');
      const renameTo = typeof ctx.query.RenameTo === 'string' && ctx.query.RenameTo !== '' ? ctx.query.RenameTo : undefined;
      updateEntry(ctx.ws, callerAccount(ctx), path, { renameTo, file });
      return NO_CONTENT;
    },
    deleteFileAccount: (ctx) => {
      const path = normalizePath(ctx.params.Path ?? '');
      if (!path) throw dolistError('36', 'the root cannot be deleted', 'Path');
      deleteEntry(ctx.ws, callerAccount(ctx), path);
      return NO_CONTENT;
    },

    listRemoteTypes: () => ({ status: 200, body: { ItemList: REMOTE_TYPES, Total: REMOTE_TYPES.length } }),
    ...crud(style, {
      listRemotes: { collection: deps.remotes, action: 'list', partition: callerAccount },
      createRemote: {
        collection: deps.remotes,
        action: 'create',
        partition: callerAccount,
        guard: (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          remoteType(b.TypeID);
          // The collection's unique key holds too; this answer names the clash.
          const name = String(b.Name ?? '').trim().toLowerCase();
          const clash = deps.remotes.table(ctx.ws).lookup('account', callerAccount(ctx)).find((r) => r.Name.trim().toLowerCase() === name);
          if (clash) throw dolistError('1802', `remote ${clash.ID} is already named '${clash.Name}'`, 'Name');
        },
        extra: (ctx) => {
          const b = (ctx.body ?? {}) as Record<string, unknown>;
          return { Port: typeof b.Port === 'number' ? b.Port : remoteType(b.TypeID).DefaultPort, Directory: typeof b.Directory === 'string' && b.Directory ? b.Directory : '/' };
        },
      },
    }),
  };
}
