// Remotes: external servers (FTP, SFTP, FTPS) an account delivers files to. Table `remotes`
// keyed by ID, partitioned by `account`, the name unique in the account (case-insensitive,
// [1802]); the password is kept out of every answer (and of the state: nothing connects).
// The protocols are reference data (`GET /files/remotes/types`).
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { Rec } from '../../core/record.js';
import type { LoadedSpec } from '../../core/spec.js';
import { dolistError } from './error-catalogue.js';
import { style } from './style.js';

export const REMOTE_TYPES = [
  { ID: 1, Name: 'FTP', DefaultPort: 21 },
  { ID: 2, Name: 'SFTP', DefaultPort: 22 },
  { ID: 3, Name: 'FTPS', DefaultPort: 990 },
] as const;

export interface RemoteRec extends Rec {
  ID: number;
  account: string;
  Name: string;
  TypeID: number;
  Host: string;
  Port: number;
  Login: string;
  Directory: string;
}

/** The protocol, or 400 [36]. */
export function remoteType(id: unknown) {
  const t = REMOTE_TYPES.find((r) => r.ID === Number(id));
  if (!t) throw dolistError('36', `TypeID ${id} is none of ${REMOTE_TYPES.map((r) => `${r.ID} ${r.Name}`).join(', ')}`, 'TypeID');
  return t;
}

export function remotesCollection(spec: LoadedSpec): Collection<RemoteRec> {
  return new Collection<RemoteRec>({
    api: style,
    name: 'remotes',
    label: 'remote',
    shape: shapeOf(spec.schemas.Remote),
    partition: 'account',
    uniqueKeys: [{ fields: ['Name'], normalize: (v) => String(v ?? '').trim().toLowerCase(), code: '1802', field: 'Name', message: (v) => `a remote is already named '${v[0]}'` }],
    search: ['Name', 'Host'],
    resource: { id: { field: 'ID', kind: 'sequence', type: 'integer', start: 71 } },
  });
}
