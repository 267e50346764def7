// Equality on an array attribute: the scan and the index agree for elements that are objects.
import { describe, expect, it } from 'vitest';
import { collection, newWorkspace } from './engine-helpers.js';

describe('array attribute filters', () => {
  it('match object elements by their JSON, with and without an index', async () => {
    for (const rows of [10, 2500]) {
      const ws = await newWorkspace();
      const things = collection({ id: 'string', tags: 'objectArray', name: 'string' });
      ws.transaction(() => {
        for (let i = 0; i < rows; i++) things.create(ws, { name: `t${i}`, tags: i % 5 === 0 ? [{ k: 'a' }] : [{ k: 'b' }, 'plain'] }, 'all');
      });
      const want = rows / 5;
      const byObject = things.list(ws, { tags: JSON.stringify({ k: 'a' }), limit: '1' });
      expect(byObject.page.total).toBe(want);
      const byString = things.list(ws, { tags: 'plain', limit: '1' });
      expect(byString.page.total).toBe(rows - want);
      // `[object Object]` matches nothing, on either path.
      expect(things.list(ws, { tags: '[object Object]', limit: '1' }).page.total).toBe(0);
    }
  });
});
