// How the Dolist Campaign API (a ServiceStack service) shapes its resources and lists, and the
// typed fixtures (fixtures/dolist.json, merged with a scenario's `fixtures.dolist`). Decisions
// where the reference is silent (research seed-000 §5): integer ids from one counter per
// resource across accounts (an id of another account is then simply not found in this one),
// PascalCase attributes, `CreateDate`/`UpdateDate` in ISO 8601 UTC, lists
// `{"ItemList":[...],"Total":N}` paged by `Offset` (items, from 0) and `Limit` (default: all, at
// most 1000 when given), sorted by `SortField` + `SortOrder` (asc/desc or Ascending/Descending, any case),
// searched by `SearchValue` (case-insensitive substring over each resource's name fields).
import type { HandlerContext } from '../../core/api.js';
import { parseTimestamp } from '../../core/clock.js';
import type { ApiStyle } from '../../core/engine/styles.js';
import { isoTime } from '../../core/engine/styles.js';
import { fixturesOf } from '../../core/fixtures.js';
import type { Workspace } from '../../core/workspace.js';

export const API_ID = 'dolist';

/** The default workspace's documented keys (README, start banner). */
export const DEFAULT_KEYS = {
  /** Both accounts of the fixtures. */
  main: 'commsim-dolist-key',
  /** The second account only. */
  brandB: 'commsim-dolist-key-b',
} as const;
export type KeyName = keyof typeof DEFAULT_KEYS;
export const KEY_NAMES = Object.keys(DEFAULT_KEYS) as KeyName[];

export interface AccountFixture {
  ID: number;
  Name: string;
  CompanyName: string;
  Culture: string;
  TimeZone: string;
  [key: string]: unknown;
}

export interface FieldFixture {
  ID: number;
  Name: string;
  /** A field type id (`fieldTypes`). */
  FieldTypeID: number;
  IsCompositeKey?: boolean;
  /** Standard fields of every account: not deletable, type fixed. */
  IsSystem?: boolean;
  IsReadOnly?: boolean;
  IsDisplayable?: boolean;
  MinLength?: number | null;
  MaxLength?: number | null;
  /** The personalisation variable's name (`[[Email]]` in a message). */
  Variable: string;
}

export interface InterestGroupFixture {
  ID: number;
  Name: string;
  GroupType?: string;
  Style?: string;
  IsReadOnly?: boolean;
  IsUpdateOnly?: boolean;
  interests: Array<{ ID: number; Name: string; IsReadOnly?: boolean }>;
}

export interface DolistFixtures {
  applications: Array<{ ID: number; Name: string }>;
  accounts: AccountFixture[];
  /** Which accounts each key of a workspace may use. */
  keys: Record<KeyName, number[]>;
  /** Requests per key and window (X-Rate-Limit-* headers, 429 when spent). */
  rateLimit: { limit: number; windowMs: number };
  fieldTypes: Array<{ ID: number; Name: string }>;
  /** The standard fields every account starts with, numbered as the real service numbers them. */
  fields: FieldFixture[];
  /** Field 72's values: the email address's status; `doNotWrite` ones are not to be written to. */
  emailStatuses: Array<{ Value: string; Name: string; doNotWrite?: boolean }>;
  /** Ids the fixtures use for the email, mobile and status fields (the contact base fills them). */
  standardFieldIds: { email: number; mobile: number; emailStatus: number; firstName: number; lastName: number; title: number; city: number; zip: number };
  interestGroups: Record<string, InterestGroupFixture[]>;
  /** Contacts generated (faker, the workspace seed) per account id. */
  contactBase: Record<string, number>;
  /** Share of the generated contacts in each email status (the rest "1", valid). */
  contactBaseStatuses: Record<string, number>;
  /** Async operations (`.../async`): queue delay and contacts per second of virtual time. */
  operations: { queueMs: number; rate: number };
  [key: string]: unknown;
}

export function dolistFixtures(ws: Workspace): DolistFixtures {
  return fixturesOf<DolistFixtures>(ws, API_ID);
}

/** The sequences' first values: realistic magnitudes (the reference's example import is 10104). */
export const ID_START = {
  contacts: 1_000_001,
  fields: 1000,
  interests: 5000,
  interestGroups: 500,
  operations: 900_001,
} as const;

export const style: ApiStyle = {
  api: API_ID,
  resource: {
    id: { field: 'ID', kind: 'sequence', type: 'integer' },
    version: null,
    created: 'CreateDate',
    updated: 'UpdateDate',
    formatTime: isoTime,
    parseTime: (v) => parseTimestamp(v),
    nulls: 'omit',
  },
  list: {
    source: 'query',
    paging: { kind: 'offset', offset: 'Offset', limit: 'Limit', defaultLimit: null, maxLimit: 1000, invalid: 'error' },
    sort: { kind: 'field-order', field: 'SortField', order: 'SortOrder', ascending: ['asc', 'ascending'], descending: ['desc', 'descending'], caseInsensitiveFields: true },
    envelope: { items: 'ItemList', meta: { total: 'Total' } },
    autoEquality: false,
    unknownFilters: 'ignore',
    searchParam: 'SearchValue',
    caseInsensitiveNames: true,
  },
  responses: {
    get: { status: 200, body: 'resource' },
    list: { status: 200 },
    create: { status: 201, body: 'id' },
    update: { status: 204, body: 'none' },
    replace: { status: 204, body: 'none' },
    delete: { status: 204, body: 'none' },
  },
};

/** The partition key of an account (collections partition records by account). */
export const accountKey = (accountId: number | string) => String(accountId);

/** The caller's account: `AccountID` of the query, or of the path (`/accounts/{AccountID}/...`). Checked by authenticate(). */
export function accountOf(ctx: HandlerContext): number {
  const v = ctx.query.AccountID ?? ctx.params.AccountID;
  return Number(v);
}

/** The partition of the caller's account (for declared CRUD). */
export const callerAccount = (ctx: HandlerContext) => accountKey(accountOf(ctx));

export const NO_CONTENT = { status: 204 } as const;
