// Shared constants and typed access to the Clevermultimedias fixtures (fixtures/clever.json,
// merged with a scenario's `fixtures.clever`). Prices, timings and the account profile are data so
// a scenario can change them without code.
import { fixturesOf } from '../../core/fixtures.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';

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

/** Workspace-wide counters (ids of contacts, users and campaigns), persisted like any record. */
interface SeqRec extends Rec {
  contact: number;
  user: number;
  campaign: number;
}

function counters(ws: Workspace): SeqRec {
  const t = ws.table<SeqRec>(API_ID, '_seq');
  const rec = t.get('seq');
  if (rec) return rec;
  // The counters hold the next id to hand out; they start where the fixtures say.
  const s = cleverFixtures(ws).sequences;
  return t.put({ id: 'seq', contact: s.contact, user: s.user, campaign: s.campaign });
}

export function nextId(ws: Workspace, kind: 'contact' | 'user' | 'campaign'): number {
  const rec = counters(ws);
  const id = rec[kind];
  rec[kind] = id + 1;
  ws.table<SeqRec>(API_ID, '_seq').touch(rec);
  return id;
}

/** Makes sure the counter of `kind` hands out ids above `used` (fixture rows with explicit ids). */
export function reserveIdsUpTo(ws: Workspace, kind: 'contact' | 'user' | 'campaign', used: number): void {
  const rec = counters(ws);
  if (rec[kind] > used) return;
  rec[kind] = used + 1;
  ws.table<SeqRec>(API_ID, '_seq').touch(rec);
}

/** Flags are 0/1, sent as integers or strings; anything absent takes the default. */
export function flag(v: unknown, dflt: 0 | 1 = 0): 0 | 1 {
  if (v === undefined || v === null || v === '') return dflt;
  return v === 1 || v === '1' || v === true ? 1 : 0;
}
