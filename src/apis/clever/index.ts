// The Clevermultimedias module (seed 001): Basic auth per workspace (manager + users created
// through the API), the `{"datas": ...}` request wrapper, resource-keyed responses, push
// campaigns that progress on the workspace clock, acknowledgements, MOs and the address book.
// Domain modules (accounts, contacts, criteria, pricing, campaigns) know nothing of HTTP; the
// handlers translate.
import { STATUS_CODES } from 'node:http';
import type { ApiModule } from '../../core/api.js';
import { untypedHandlers } from '../../core/contract-types.js';
import { baseFixtures } from '../../core/fixtures.js';
import type { Runtime } from '../../core/runtime.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { assertNotExpired, credentialKey, expireAccount, usersCollection, usersTable } from './accounts.js';
import { authenticate } from './auth.js';
import { eventHandlers, mailEngagement, receiveMo } from './campaigns.js';
import { contactsCollection, loadFixtureContacts } from './contacts.js';
import { formatLocal } from './dates.js';
import { renderError } from './errors.js';
import type { operations } from './generated/contract.js';
import { accountHandlers, loadFixtureUsers } from './handlers/account.js';
import { campaignHandlers } from './handlers/campaigns.js';
import { contactHandlers } from './handlers/contacts.js';
import { API_ID, DEFAULT_LOGIN, DEFAULT_PASSWORD, startSequences, type CleverFixtures } from './style.js';

// Node writes the reason phrase from this table (@hono/node-server passes no statusText): give
// Clever's non-standard 430 its meaning instead of "unknown".
STATUS_CODES[430] ??= 'Account expired';

/** Operations an expired account may still call (the seed lists no 430 for its profile). */
const NO_EXPIRY_CHECK = new Set(['getAccount', 'getAccountAlias']);

export function createClever({ spec, runtime }: { spec: LoadedSpec; runtime: Runtime }): ApiModule {
  const contacts = contactsCollection(spec);
  const users = usersCollection();
  const handlers = untypedHandlers<operations>({ ...accountHandlers(users), ...contactHandlers(contacts), ...campaignHandlers() });
  const fixtures = baseFixtures(API_ID) as unknown as CleverFixtures;
  return {
    id: API_ID,
    title: 'Clevermultimedias',
    mountPrefix: '/clever',
    basePath: spec.basePath,
    handlers,
    authenticate: ({ headers, operationId }) => {
      const auth = authenticate(runtime, headers);
      // 430 comes right after authentication, before validation (x-sim-rules `check-order`).
      if (!NO_EXPIRY_CHECK.has(operationId)) assertNotExpired(auth.ws);
      return auth;
    },
    renderError,
    credentials: {
      create: (ws: Workspace, isDefault: boolean) =>
        isDefault ? { login: DEFAULT_LOGIN, password: DEFAULT_PASSWORD } : { login: `clever_${ws.id}`, password: ws.rng.base64url(16) },
      keys: (creds) => (typeof creds.login === 'string' && typeof creds.password === 'string' ? [credentialKey(creds.login, creds.password)] : []),
      // Users created through POST /api/users log in with their own credentials.
      stateTables: [`${API_ID}.users`],
      stateKeys: (ws: Workspace) => [...usersTable(ws).scan()].map((u) => credentialKey(u.username, u.password)),
      describe: (creds) => `Basic auth ${creds.login}:${creds.password}`,
    },
    credit: { balance: fixtures.credit.balance, currency: fixtures.credit.currency },
    setup(ws: Workspace) {
      startSequences(ws);
      loadFixtureUsers(ws, users);
      loadFixtureContacts(ws, contacts);
    },
    eventHandlers: eventHandlers(),
    injectors: {
      'account-expire': (ws, body) => ({ api: API_ID, date_expiration: expireAccount(ws, body.at) }),
      'email-open': (ws, body) => ({ api: API_ID, ...mailEngagement(ws, body, 'open') }),
      'email-click': (ws, body) => ({ api: API_ID, ...mailEngagement(ws, body, 'click') }),
      'mo-message': (ws, body) => {
        const { reference, mo } = receiveMo(ws, body);
        return { api: API_ID, reference, mo: { status: '5', date_receive: formatLocal(mo.date_receive), recipient: mo.recipient, message: mo.message } };
      },
    },
  };
}
