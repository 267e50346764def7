// The Dolist Campaign API module (seed 000): X-API-Key keys per workspace naming the accounts
// they may use, the ServiceStack error envelope with the reference's catalogue, request budgets
// with X-Rate-Limit-* headers, case-insensitive paths and query names. The API is built in
// areas (area-*.ts): platform (applications, accounts, users, roles, rights, tags, variables,
// forms), contacts (contacts, fields, interests), targets, exports (and files), imports;
// messages (email and SMS messages, senders, reply addresses), sendings (email and SMS
// sendings over time, plannings, transactional email), stats (statistics, billing).
import type { ApiModule, Handler } from '../../core/api.js';
import type { Runtime } from '../../core/runtime.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { loadAccounts } from './accounts.js';
import { contactsArea } from './area-contacts.js';
import { exportsArea } from './area-exports.js';
import { importsArea } from './area-imports.js';
import { messagesArea } from './area-messages.js';
import { platformArea } from './area-platform.js';
import { sendingsArea } from './area-sendings.js';
import { statsArea } from './area-stats.js';
import { targetsArea } from './area-targets.js';
import { authenticate, withAccountCheck, type Principal } from './auth.js';
import { loadContactBase } from './contact-base.js';
import { renderError } from './errors.js';
import { loadFields } from './fields.js';
import { loadInterests } from './interests.js';
import { loadForms } from './forms.js';
import { loadUsers } from './users.js';
import { API_ID, DEFAULT_KEYS, dolistFixtures, KEY_NAMES } from './style.js';

const AREAS = [platformArea, contactsArea, targetsArea, exportsArea, importsArea, messagesArea, sendingsArea, statsArea];

export function createDolist({ spec, runtime }: { spec: LoadedSpec; runtime: Runtime }): ApiModule {
  const areas = AREAS.map((area) => area(spec));
  const handlers: Record<string, Handler> = {};
  for (const area of areas) Object.assign(handlers, area.handlers);
  return {
    id: API_ID,
    title: 'Dolist Campaign API',
    mountPrefix: '/dolist',
    basePath: spec.basePath,
    routing: { caseInsensitivePaths: true, caseInsensitiveQuery: true, ignoreTrailingSlash: true },
    handlers: withAccountCheck(handlers),
    authenticate: ({ headers, query }) => authenticate(runtime, headers, query),
    renderError,
    credentials: {
      create: (ws: Workspace, isDefault: boolean) =>
        isDefault ? { ...DEFAULT_KEYS } : Object.fromEntries(KEY_NAMES.map((n) => [n, `dolist_${n}_${ws.id}_${ws.rng.hex(16)}`])),
      keys: (creds) => KEY_NAMES.map((n) => creds[n]).filter((k): k is string => typeof k === 'string'),
      describe: (creds) => `X-API-Key: ${creds.main} (accounts 10001, 10002), ${creds.brandB} (account 10002 only); ?AccountID=10001`,
    },
    credit: { balance: 10_000, currency: 'SMS' },
    setup(ws: Workspace) {
      loadAccounts(ws);
      loadFields(ws);
      loadInterests(ws);
      loadContactBase(ws);
      loadUsers(ws);
      loadForms(ws);
      for (const area of areas) area.setup?.(ws);
    },
    jobKinds: Object.assign({}, ...areas.map((a) => a.jobKinds ?? {})),
    eventHandlers: Object.assign({}, ...areas.map((a) => a.eventHandlers ?? {})),
    injectors: Object.assign({}, ...areas.map((a) => a.injectors ?? {})),
    injectorInfo: Object.assign({}, ...areas.map((a) => a.injectorInfo ?? {})),
    rateLimit: {
      budget: (ws) => dolistFixtures(ws).rateLimit,
      key: (principal) => (principal as Principal).key,
      headers: { remaining: 'X-Rate-Limit-Remaining', reset: 'X-Rate-Limit-Reset', limit: 'X-Rate-Limit-Limit' },
      message: (b, resetAt) => `API rate limit exceeded: ${b.limit} requests per ${Math.round(b.windowMs / 1000)} s for this key; retry after ${new Date(resetAt).toISOString()}.`,
    },
  };
}
