// Deliverability packs: the sending domains and infrastructure of each account (read-only
// reference data of the fixtures' `packs`, by account). Table `packs` keyed by ID (one counter
// across accounts), partitioned by `account`: a pack of another account is not found ([701]).
// Email senders (part 2 of the reference) belong to a pack.
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { Rec } from '../../core/record.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { API_ID, accountKey, dolistFixtures, style } from './style.js';

export interface PackRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Name: string;
  Domain: string;
  Type: string;
  IsAllowed: boolean;
}

export const packsTable = (ws: Workspace) => ws.table<PackRec>(API_ID, 'packs');

/** A pack of the account (read-only), or undefined. */
export function findPack(ws: Workspace, account: string, id: number): PackRec | undefined {
  const p = packsTable(ws).peek(String(id));
  return p && p.account === account ? p : undefined;
}

export function packsCollection(spec: LoadedSpec): Collection<PackRec> {
  return new Collection<PackRec>({
    api: style,
    name: 'packs',
    label: 'pack',
    shape: shapeOf(spec.schemas.Pack),
    partition: 'account',
    resource: { created: null, updated: null },
    codes: { notFound: '701' },
    errorField: 'PackID',
    search: ['Name', 'Domain'],
    defaultSort: [{ field: 'ID', desc: false }],
  });
}

export function loadPacks(ws: Workspace, coll: Collection<PackRec>): void {
  const byAccount = (dolistFixtures(ws).packs ?? {}) as Record<string, Array<Omit<PackRec, 'id' | 'account'>>>;
  for (const [acc, packs] of Object.entries(byAccount)) for (const p of packs) coll.insert(ws, { ...p }, { id: p.ID as number, partition: accountKey(acc) });
}
