// How the Syniverse SCG shapes its resources: 22-character URL-safe ids, version_number,
// created_date/last_updated_date as ISO 8601 UTC, lists of at most 1000 (default 100).
import type { ApiStyle, Page } from '../../core/resources.js';

export const API_ID = 'syniverse';

export const style: ApiStyle = {
  api: API_ID,
  newId: (ws) => ws.rng.base64url(22),
  versionField: 'version_number',
  createdField: 'created_date',
  updatedField: 'last_updated_date',
  formatTime: (t) => new Date(t).toISOString(),
  defaultLimit: 100,
  maxLimit: 1000,
};

/** The list envelope of the real service: {list, offset, limit, total}. */
export function listBody(items: unknown[], page: Page) {
  return { list: items, offset: page.offset, limit: page.limit, total: page.total };
}
