// How a vendor shapes its resources and lists, as data. An API declares one ApiStyle; a
// collection may override parts of it. Nothing here knows a vendor: Syniverse, Dolist, Clever
// and additiv are values of these types (see each API's style.ts).

/** How ids are made and written. */
export interface IdStyle {
  /** Name of the id in responses and bodies (`id`, `ID`, `ContactID`, `uId`). */
  field: string;
  /**
   * `random`: characters from the workspace RNG (`prefix` + `length` chars of `alphabet`);
   * `uuid`: an RNG-drawn UUID v4; `sequence`: integers 1, 2, 3 ... per collection, per
   * partition (parent or account) or per named sequence shared by several collections.
   */
  kind: 'random' | 'uuid' | 'sequence';
  alphabet?: 'base64url' | 'hex' | 'digits' | 'alnum';
  length?: number;
  prefix?: string;
  /** Sequences: `collection` (default), `partition` (ids restart in each parent/account). */
  scope?: 'collection' | 'partition';
  /** Sequences: a name shared by collections drawing from one counter. */
  sequence?: string;
  /** Sequences: the first value (default 1). */
  start?: number;
  /** How the id is written: a string, or an integer (sequences). */
  type: 'string' | 'integer';
}

/** Optimistic concurrency: a counter on every record, compared with the one a write carries. */
export interface VersionStyle {
  field: string;
  /** Value of a new record (Syniverse 1, additiv 0). */
  start: number;
  /** A write must carry it (else it may omit it and always wins). */
  required?: boolean;
}

export interface ResourceStyle {
  id: IdStyle;
  version: VersionStyle | null;
  /** Creation / last-change timestamp fields, when the resource has them. */
  created: string | null;
  updated: string | null;
  /** Writes a timestamp (epoch ms) the vendor's way. */
  formatTime(t: number): unknown;
  /** Reads a timestamp written by formatTime (for range filters and sorting). */
  parseTime?(v: unknown): number | undefined;
  /** A missing attribute is rendered as null, or left out. */
  nulls: 'null' | 'omit';
  /** Vendor codes of the engine's errors (each collection may override them). */
  codes?: { notFound?: string; duplicate?: string; stale?: string };
}

export interface OffsetPaging {
  kind: 'offset';
  offset: string;
  limit: string;
  /** null: everything. */
  defaultLimit: number | null;
  maxLimit: number;
  /** A bad offset/limit: 400, or clamped into range. */
  invalid: 'error' | 'clamp';
}

export interface PagePaging {
  kind: 'page';
  page: string;
  size: string;
  /** The number of the first page. */
  base: 0 | 1;
  defaultSize: number;
  maxSize: number;
  invalid: 'error' | 'clamp';
}

export type Paging = OffsetPaging | PagePaging | { kind: 'none' };

export type SortStyle =
  /** `sort=-created_date,name`. */
  | { kind: 'signed'; param: string }
  /** `SortField=Name&SortOrder=desc`. */
  | { kind: 'field-order'; field: string; order: string; ascending: string[]; descending: string[]; caseInsensitiveFields?: boolean };

export type PageFact = 'offset' | 'limit' | 'total' | 'page' | 'pageSize' | 'pageCount' | 'count';

/** The list body: items under `items` (null: a bare array), page facts under their vendor names. */
export interface Envelope {
  items: string | null;
  meta?: Partial<Record<PageFact, string>>;
}

export interface ListStyle {
  /** Where paging, sorting and filters are read from. */
  source: 'query' | 'body';
  paging: Paging;
  sort?: SortStyle;
  envelope: Envelope;
  /** A parameter named like an attribute filters by equality (Syniverse). */
  autoEquality: boolean;
  /** A parameter that is neither paging, sorting nor a filter: ignored, or 400 naming it. */
  unknownFilters: 'ignore' | 'error';
  /** The text-search parameter (`SearchValue`), over each collection's `search` fields. */
  searchParam?: string;
  /** Compare parameter names case-insensitively. */
  caseInsensitiveNames?: boolean;
}

/** What a plain create/get/update/... answers. */
export interface ActionResponse {
  status: number;
  /** `id`: `{<id field>: id}`; `resource`: the rendered record; `none`: no body. */
  body: 'id' | 'resource' | 'none';
  /** The body is wrapped: `{contact: ...}` (`true`: the collection's `wrap` name). */
  wrap?: string | true;
}

export interface CrudResponses {
  get: ActionResponse;
  list: { status: number; wrap?: string | true };
  create: ActionResponse;
  update: ActionResponse;
  replace: ActionResponse;
  delete: ActionResponse;
}

/** Request bodies wrapped by the vendor: `{"datas": {...}}` (an array of one object accepted). */
export interface RequestEnvelope {
  wrap: string;
  singleItemArray?: boolean;
}

export interface ApiStyle {
  api: string;
  resource: ResourceStyle;
  list: ListStyle;
  responses: CrudResponses;
  request?: RequestEnvelope;
}

let lastT = NaN;
let lastIso = '';
/** ISO 8601 UTC with milliseconds (the last one is remembered: writes of one request share it). */
export const isoTime = (t: number): string => {
  if (t !== lastT) {
    lastT = t;
    lastIso = new Date(t).toISOString();
  }
  return lastIso;
};
