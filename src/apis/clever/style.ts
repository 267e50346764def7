// Shared constants and typed access to the Clevermultimedias fixtures (fixtures/clever.json,
// merged with a scenario's `fixtures.clever`). Prices, timings and the account profile are data so
// a scenario can change them without code.
import { nextInSequence, reserveInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { ApiStyle } from '../../core/engine/styles.js';
import { fixturesOf } from '../../core/fixtures.js';
import type { Workspace } from '../../core/workspace.js';
import { formatLocal, parseLocal } from './dates.js';

export const API_ID = 'clever';

/** The default workspace's documented credentials (README, startup banner). */
export const DEFAULT_LOGIN = 'commsim';
export const DEFAULT_PASSWORD = 'commsim-clever';

export interface CleverCompany {
  company_name?: string | null;
  address?: string | null;
  country?: string | null;
  city?: string | null;
  zip_code?: number | string | null;
}

export interface CleverFixtures {
  credit: { balance: number; currency: string };
  account: {
    name: string;
    lastname: string;
    email: string;
    telephone: string;
    /** `Y-m-d H:i:s`, Europe/Paris. Past it, every operation but GET /api/account/me answers 430. */
    date_expiration: string;
    company: CleverCompany;
  };
  pricing: { smsPerSegment: number; voicePerMessage: number; mailPerMessage: number };
  timings: {
    processedAfterMs: number;
    smsReceiptMs: number;
    voiceReceiptMs: number;
    mailReceiptMs: number;
    failAfterMs: number;
    readAfterMs: number;
    carrierTimeoutMs: number;
  };
  sequences: { contact: number; user: number; campaign: number };
  fields: Array<{ id: number; name: string }>;
  predefined_messages: Array<{ id: number; title: string; text: string }>;
  contacts: Array<Record<string, unknown>>;
  users: Array<Record<string, unknown>>;
}

export function cleverFixtures(ws: Workspace): CleverFixtures {
  return fixturesOf<CleverFixtures>(ws, API_ID);
}

export type SequenceName = 'contact' | 'user' | 'campaign';

/** The counter of contact, user and campaign ids (one per workspace, started from the fixtures). */
export const sequenceOf = (name: SequenceName) => sequenceKey(API_ID, name);

export function nextId(ws: Workspace, kind: SequenceName): number {
  return nextInSequence(ws, sequenceOf(kind), cleverFixtures(ws).sequences[kind]);
}

/** Starts the counters where the fixtures say (a new or reset workspace). */
export function startSequences(ws: Workspace): void {
  const s = cleverFixtures(ws).sequences;
  for (const kind of ['contact', 'user', 'campaign'] as const) reserveInSequence(ws, sequenceOf(kind), s[kind] - 1, s[kind]);
}

/**
 * Resources keyed by name (`{"contact": {...}}`, `{"user": {...}}`), integer ids from the
 * workspace's counters, optional attributes left out until set, `Y-m-d H:i:s` Paris dates; lists
 * are whole (no paging); creation 201 with the resource, updates and deletes 204; requests
 * wrapped in `{"datas": ...}` (an array of one object accepted).
 */
export const style: ApiStyle = {
  api: API_ID,
  resource: {
    id: { field: 'id', kind: 'sequence', type: 'integer' },
    version: null,
    created: null,
    updated: null,
    formatTime: formatLocal,
    parseTime: (v) => (typeof v === 'string' ? parseLocal(v) : undefined),
    nulls: 'omit',
  },
  list: { source: 'query', paging: { kind: 'none' }, envelope: { items: null }, autoEquality: false, unknownFilters: 'ignore' },
  responses: {
    get: { status: 200, body: 'resource', wrap: true },
    list: { status: 200, wrap: true },
    create: { status: 201, body: 'resource', wrap: true },
    update: { status: 204, body: 'none' },
    replace: { status: 204, body: 'none' },
    delete: { status: 204, body: 'none' },
  },
  request: { wrap: 'datas', singleItemArray: true },
};

/** Flags are 0/1, sent as integers or strings; anything absent takes the default. */
export function flag(v: unknown, dflt: 0 | 1 = 0): 0 | 1 {
  if (v === undefined || v === null || v === '') return dflt;
  return v === 1 || v === '1' || v === true ? 1 : 0;
}
