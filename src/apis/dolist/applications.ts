// Applications: the platform's products (Campaign, Extranet ...), global to the workspace, read
// through the engine (a collection loaded from the fixtures). Not-found is [8].
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { Rec } from '../../core/record.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { dolistFixtures, style } from './style.js';

export interface ApplicationRec extends Rec {
  ID: number;
  Name: string;
}

export function applicationsCollection(spec: LoadedSpec): Collection<ApplicationRec> {
  return new Collection<ApplicationRec>({
    api: style,
    name: 'applications',
    label: 'application',
    shape: shapeOf(spec.schemas.Application),
    resource: { created: null, updated: null },
    codes: { notFound: '8' },
    errorField: 'ApplicationID',
    search: ['Name'],
  });
}

export function loadApplications(ws: Workspace, coll: Collection<ApplicationRec>): void {
  for (const a of dolistFixtures(ws).applications) coll.insert(ws, { Name: a.Name }, { id: a.ID });
}

/** The application named by an `ApplicationID` parameter, or 404 [8]. */
export function requireApplication(ws: Workspace, id: number, field = 'ApplicationID'): ApplicationRec {
  const a = ws.table<ApplicationRec>(style.api, 'applications').peek(String(id));
  if (!a) throw dolistError('8', `no application ${id}`, field);
  return a;
}

/** Every application's id (an account uses them all: the fixtures have no per-account offer). */
export function applicationIds(ws: Workspace): number[] {
  return ws
    .table<ApplicationRec>(style.api, 'applications')
    .all()
    .map((a) => Number(a.ID ?? a.id))
    .sort((a, b) => a - b);
}
