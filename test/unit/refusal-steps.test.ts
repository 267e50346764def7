// Workspace.alsoOnRefusal: a change that outlives the refusal of its transaction (a wrong key
// still counts as an attempt), and only then.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/core/runtime.js';
import { manualWorkspace, startRuntime } from './support.js';

let rt: Runtime;
beforeEach(async () => {
  rt = await startRuntime();
});
afterEach(async () => {
  await rt.shutdown();
});

describe('alsoOnRefusal', () => {
  it('runs its step after a rollback (throw or failed result), in a transaction of its own', async () => {
    const ws = await manualWorkspace(rt, 'refusal');
    const t = ws.table('fake', 'things');
    t.put({ id: 'a', n: 0 });
    expect(() =>
      ws.transaction(() => {
        t.get('a')!.n = 99;
        t.touch(t.get('a')!);
        ws.alsoOnRefusal(() => {
          const r = t.get('a')!;
          r.n = (r.n as number) + 1;
          t.touch(r);
        });
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(t.peek('a')!.n).toBe(1);
    ws.transaction(
      () => {
        ws.alsoOnRefusal(() => t.put({ id: 'b', n: 1 }));
        return { status: 400 };
      },
      (r) => r.status >= 400,
    );
    expect(t.peek('b')).toBeDefined();
  });

  it('does not run when the transaction commits; a committed savepoint\'s steps run when the enclosing one is refused', async () => {
    const ws = await manualWorkspace(rt, 'refusal2');
    const t = ws.table('fake', 'things');
    ws.transaction(() => {
      ws.alsoOnRefusal(() => t.put({ id: 'never', n: 0 }));
    });
    expect(t.peek('never')).toBeUndefined();
    expect(() =>
      ws.transaction(() => {
        ws.alsoOnRefusal(() => t.put({ id: 'outer', n: 0 }));
        ws.transaction(() => {
          ws.alsoOnRefusal(() => t.put({ id: 'inner', n: 0 }));
        });
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(t.peek('outer')).toBeDefined();
    expect(t.peek('inner')).toBeDefined();
  });
});
