// The additiv DFS Client Services module (seed 003): Bearer tokens per workspace (two back-office
// members and an app), the ApiError envelope, schema-driven contact details with change requests
// for approval-required paths, channel verification with keys on the workspace clock, a details
// change history, CSV exports filtered by a GraphQL `where`, JSON imports synced as jobs, legal
// entities, schemas with a concurrency token and lists. Domain modules know nothing of HTTP; the
// handlers translate.
import type { ApiModule } from '../../core/api.js';
import { untypedHandlers } from '../../core/contract-types.js';
import type { Runtime } from '../../core/runtime.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { authenticate } from './auth.js';
import { loadContacts } from './contacts.js';
import { renderError } from './errors.js';
import { exportJobKinds } from './exports.js';
import { additivInjectors } from './injectors.js';
import type { operations } from './generated/contract.js';
import { changeRequestHandlers } from './handlers/change-requests.js';
import { contactHandlers } from './handlers/contacts.js';
import { dataHandlers } from './handlers/data.js';
import { syncJobKinds } from './imports.js';
import { loadLegalEntities } from './legal-entities.js';
import { listItemsCollection, loadLists } from './lists.js';
import { loadSchemas, schemas } from './schemas.js';
import { API_ID, DEFAULT_TOKENS, TOKEN_NAMES } from './style.js';

export function createAdditiv({ spec, runtime }: { spec: LoadedSpec; runtime: Runtime }): ApiModule {
  const listItems = listItemsCollection();
  const handlers = { ...changeRequestHandlers(), ...untypedHandlers<operations>(contactHandlers()), ...dataHandlers() };
  return {
    id: API_ID,
    title: 'additiv DFS Client Services',
    mountPrefix: '/additiv',
    basePath: spec.basePath,
    handlers,
    authenticate: ({ headers }) => authenticate(runtime, headers),
    renderError,
    credentials: {
      create: (ws: Workspace, isDefault: boolean) =>
        isDefault ? { ...DEFAULT_TOKENS } : Object.fromEntries(TOKEN_NAMES.map((n) => [n, `additiv_${n.replace("Token", "")}_${ws.id}_${ws.rng.hex(16)}`])),
      keys: (creds) => TOKEN_NAMES.map((n) => creds[n]).filter((t): t is string => typeof t === 'string'),
      describe: (creds) => `Authorization: Bearer ${creds.memberToken} (member Anna Berger), ${creds.reviewerToken} (member Marc Keller), ${creds.appToken} (app)`,
    },
    credit: { balance: 0, currency: 'CHF' },
    setup(ws: Workspace) {
      loadLists(ws, listItems);
      loadSchemas(ws, schemas);
      loadContacts(ws);
      loadLegalEntities(ws);
    },
    jobKinds: { ...exportJobKinds, ...syncJobKinds },
    injectors: additivInjectors,
  };
}
