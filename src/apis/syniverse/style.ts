// How the Syniverse SCG shapes its resources and lists (FIDELITY.md): 22-character URL-safe ids,
// version_number, created_date/last_updated_date as ISO 8601 UTC, every attribute rendered
// (null when unset); lists `{list, offset, limit, total}` with `offset`/`limit` (default 100, at
// most 1000) and `sort=-field,field`, every attribute an equality filter; writes answer `{id}`.
import { isoTime, type ApiStyle } from '../../core/engine/styles.js';

export const API_ID = 'syniverse';

export const style: ApiStyle = {
  api: API_ID,
  resource: {
    id: { field: 'id', kind: 'random', alphabet: 'base64url', length: 22, type: 'string' },
    version: { field: 'version_number', start: 1 },
    created: 'created_date',
    updated: 'last_updated_date',
    formatTime: isoTime,
    nulls: 'null',
    codes: { stale: '1001', duplicate: '1011' },
  },
  list: {
    source: 'query',
    paging: { kind: 'offset', offset: 'offset', limit: 'limit', defaultLimit: 100, maxLimit: 1000, invalid: 'error' },
    sort: { kind: 'signed', param: 'sort' },
    envelope: { items: 'list', meta: { offset: 'offset', limit: 'limit', total: 'total' } },
    autoEquality: true,
    unknownFilters: 'ignore',
  },
  responses: {
    get: { status: 200, body: 'resource' },
    list: { status: 200 },
    create: { status: 200, body: 'id' },
    update: { status: 200, body: 'id' },
    replace: { status: 200, body: 'id' },
    delete: { status: 200, body: 'id' },
  },
};

/** The answer of a Syniverse write: `{id}` of the record written (as `responses` above says). */
export const idAnswer = (rec: { id: unknown }) => ({ body: { id: rec.id } });
