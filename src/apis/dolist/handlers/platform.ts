// Platform operations over HTTP: applications (declared CRUD).
import type { Handler } from '../../../core/api.js';
import { crud } from '../../../core/crud.js';
import type { Collection } from '../../../core/engine/collection.js';
import type { ApplicationRec } from '../applications.js';
import { style } from '../style.js';

export function platformHandlers(deps: { applications: Collection<ApplicationRec> }): Record<string, Handler> {
  return crud(style, {
    getApplication: { collection: deps.applications, action: 'get' },
    listApplications: { collection: deps.applications, action: 'list' },
  });
}
