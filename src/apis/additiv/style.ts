// Shared constants and typed access to the additiv fixtures (fixtures/additiv.json, merged with
// a scenario's `fixtures.additiv`): the members behind the bearer tokens, the schemas, lists,
// access policies, seeded contacts and legal entities, and the tunables (verification, jobs).
import type { ApiStyle } from '../../core/engine/styles.js';
import { isoTime } from '../../core/engine/styles.js';
import { parseTimestamp } from '../../core/clock.js';
import { fixturesOf } from '../../core/fixtures.js';
import type { Workspace } from '../../core/workspace.js';

export const API_ID = 'additiv';

/** The default workspace's documented tokens (README, start banner). */
export const DEFAULT_TOKENS = {
  memberToken: 'commsim-additiv-member',
  reviewerToken: 'commsim-additiv-reviewer',
  appToken: 'commsim-additiv-app',
} as const;

export type TokenName = keyof typeof DEFAULT_TOKENS;
export const TOKEN_NAMES = Object.keys(DEFAULT_TOKENS) as TokenName[];

export type Localized = Record<string, string>;

export interface FieldFixture {
  key: string;
  label: Localized;
  fieldType: string;
  listKey?: string | null;
  listHierarchyFilterKey?: string | null;
  isReadOnly?: boolean;
  isArrayItem?: boolean;
  tooltip?: Localized | null;
  placeholder?: Localized | null;
  isRequired?: boolean;
  isApprovalRequired?: boolean;
  isHidden?: boolean;
  isExportable?: boolean;
  validations?: Record<string, unknown> | null;
  toggleHidden?: { when: string; eq: string } | null;
  currency?: string | null;
  alias?: 'PrimaryEmail' | 'PrimaryMobile' | null;
}

export interface LayoutFixture {
  key: string;
  label: Localized;
  fieldType: string;
  parentKey?: string | null;
  tooltip?: Localized | null;
  isHidden?: boolean;
  isLabelHidden?: boolean;
  toggleHidden?: { when: string; eq: string } | null;
}

export interface SchemaFixture {
  id: number;
  key: string;
  fields: FieldFixture[];
  layout: LayoutFixture[];
}

export interface ListItemFixture {
  id: number;
  key: string;
  label: Localized;
  parentId?: number | null;
  customAttributes?: string | null;
}

export interface MemberFixture {
  id: number;
  uid: string;
  name: string;
  /** Which credential of the workspace authenticates as this member. */
  token: TokenName;
  /** Members below this one: their contacts are this member's through the hierarchy. */
  subordinateMemberIds?: number[];
}

export interface AdditivFixtures {
  defaultLanguage: string;
  languages: string[];
  /** The username follows the verified primary email (and must stay unique). */
  usernameCoupledWithEmail: boolean;
  verification: { keyTtlMs: number; maxAttempts: number };
  jobs: { exportRate: number; exportQueueMs: number; syncRate: number; syncQueueMs: number };
  paging: { defaultPageSize: number; maxPageSize: number };
  lookupDefaultLimit: number;
  contactSchemaKey: string;
  legalEntitySchemaKey: string;
  defaultProfileImageBase64: string;
  anonymizedValue: string;
  app: { uid: string; name: string };
  members: MemberFixture[];
  changeRequestStatuses: Array<{ id: number; key: string; name: Localized }>;
  accessPolicies: Array<{ id: number; key: string }>;
  contactTypes: number[];
  schemas: SchemaFixture[];
  lists: Record<string, ListItemFixture[]>;
  contacts: Array<{ id: number; uId: string; contactTypeId: number; ownerMemberId?: number | null; username: string | null; details: Record<string, unknown>; externalConnections?: Array<{ externalId: string; system: string }> }>;
  legalEntities: Array<{ id: number; details: unknown; contacts: Array<{ contactId: number; accessPolicyIds: number[]; share?: number | null }> }>;
}

export function additivFixtures(ws: Workspace): AdditivFixtures {
  return fixturesOf<AdditivFixtures>(ws, API_ID);
}

const page = (defaultSize: number, maxSize: number) => ({ kind: 'page' as const, page: 'page', size: 'pageSize', base: 1 as const, defaultSize, maxSize, invalid: 'clamp' as const });

/**
 * Integer ids from per-collection sequences, ISO timestamps, nulls written as null; searches read
 * `page`/`pageSize`/`sortBy`/`sortOrder` and the filters from the body and answer
 * `{results, page, pageSize, pageCount, totalCount}` (pages from 1, latest first by default).
 */
export const style: ApiStyle = {
  api: API_ID,
  resource: {
    id: { field: 'id', kind: 'sequence', type: 'integer' },
    version: null,
    created: null,
    updated: null,
    formatTime: isoTime,
    parseTime: (v) => parseTimestamp(v),
    nulls: 'null',
  },
  list: {
    source: 'body',
    paging: page(10, 1000),
    sort: { kind: 'field-order', field: 'sortBy', order: 'sortOrder', ascending: ['Ascending'], descending: ['Descending'], caseInsensitiveFields: true },
    envelope: { items: 'results', meta: { page: 'page', pageSize: 'pageSize', pageCount: 'pageCount', total: 'totalCount' } },
    autoEquality: false,
    unknownFilters: 'ignore',
  },
  responses: {
    get: { status: 200, body: 'resource' },
    list: { status: 200 },
    create: { status: 200, body: 'resource' },
    update: { status: 200, body: 'resource' },
    replace: { status: 200, body: 'resource' },
    delete: { status: 204, body: 'none' },
  },
};

/** The request's language: `?language=`, else the first supported tag of Accept-Language, else the default. */
export function languageOf(ws: Workspace, query: Record<string, unknown>, acceptLanguage: string | undefined): string {
  const f = additivFixtures(ws);
  const supported = (tag: string | undefined) => {
    const t = tag?.trim().toLowerCase().split(/[-_;]/)[0];
    return t && f.languages.includes(t) ? t : undefined;
  };
  const q = typeof query.language === 'string' ? supported(query.language) : undefined;
  if (q) return q;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const t = supported(part);
    if (t) return t;
  }
  return f.defaultLanguage;
}

/** A localized text in `lang`, else the default language, else any. */
export function localize(ws: Workspace, text: Localized | null | undefined, lang: string): string | null {
  if (!text) return null;
  return text[lang] ?? text[additivFixtures(ws).defaultLanguage] ?? Object.values(text)[0] ?? null;
}

export const NO_CONTENT = { status: 204, body: null } as const;
