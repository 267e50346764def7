// Effects on the outside world wait for the change that caused them to be kept: a transaction
// that is undone (an answer >= 400, a throw) drops them; a savepoint's wait for the outermost.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/core/runtime.js';
import type { Workspace } from '../../src/core/workspace.js';
import { fakeModule, manualWorkspace, startRuntime } from './support.js';

let rt: Runtime;
let ws: Workspace;
beforeEach(async () => {
  rt = await startRuntime((r) => [fakeModule(r)]);
  ws = await manualWorkspace(rt, 'fx');
});

describe('afterCommit', () => {
  it('runs at once outside a transaction, and at the end of the outermost one inside', () => {
    const ran: string[] = [];
    ws.afterCommit(() => ran.push('now'));
    expect(ran).toEqual(['now']);
    ws.transaction(() => {
      ws.afterCommit(() => ran.push('outer'));
      ws.transaction(() => ws.afterCommit(() => ran.push('inner')));
      expect(ran).toEqual(['now']);
    });
    expect(ran).toEqual(['now', 'outer', 'inner']);
  });

  it('drops the effects of an undone transaction or savepoint, keeps the others', () => {
    const ran: string[] = [];
    expect(() =>
      ws.transaction(() => {
        ws.afterCommit(() => ran.push('thrown'));
        throw new Error('no');
      }),
    ).toThrow('no');
    ws.transaction(
      () => {
        ws.afterCommit(() => ran.push('refused'));
        return { status: 400 };
      },
      (r) => r.status >= 400,
    );
    ws.transaction(() => {
      ws.afterCommit(() => ran.push('kept'));
      ws.transaction(
        () => {
          ws.afterCommit(() => ran.push('savepoint undone'));
          return 1;
        },
        () => true,
      );
    });
    expect(ran).toEqual(['kept']);
  });
});
