// Shared fixtures of the engine/store unit tests: a memory-only workspace on a manual clock, and
// a plain API style that each test overrides where it needs to.
import { Collection, type CollectionConfig } from '../../src/core/engine/collection.js';
import { shapeFromKinds, type FieldKind } from '../../src/core/engine/shape.js';
import { isoTime, type ApiStyle, type ListStyle, type ResourceStyle } from '../../src/core/engine/styles.js';
import type { Rec } from '../../src/core/record.js';
import { Runtime } from '../../src/core/runtime.js';
import type { Workspace } from '../../src/core/workspace.js';

export const T0 = Date.parse('2026-01-05T12:00:00.000Z');

/** A fresh memory-only workspace whose clock stands at T0 until moved. */
export async function newWorkspace(id = 'w', seed: number | string = 42): Promise<Workspace> {
  const rt = new Runtime({ dataDir: null, hostNow: () => T0, seed });
  return rt.createWorkspace({ id, seed, clock: { mode: 'manual', now: T0 } });
}

export function apiStyle(over: { resource?: Partial<ResourceStyle>; list?: Partial<ListStyle> } = {}): ApiStyle {
  return {
    api: 'test',
    resource: {
      id: { field: 'id', kind: 'random', alphabet: 'alnum', length: 8, type: 'string' },
      version: null,
      created: null,
      updated: null,
      formatTime: isoTime,
      nulls: 'null',
      ...(over.resource ?? {}),
    },
    list: {
      source: 'query',
      paging: { kind: 'offset', offset: 'offset', limit: 'limit', defaultLimit: 10, maxLimit: 50, invalid: 'error' },
      sort: { kind: 'signed', param: 'sort' },
      envelope: { items: 'list', meta: { offset: 'offset', limit: 'limit', total: 'total' } },
      autoEquality: true,
      unknownFilters: 'ignore',
      ...(over.list ?? {}),
    },
    responses: {
      get: { status: 200, body: 'resource' },
      list: { status: 200 },
      create: { status: 201, body: 'resource' },
      update: { status: 200, body: 'resource' },
      replace: { status: 200, body: 'resource' },
      delete: { status: 204, body: 'none' },
    },
  };
}

export function collection<T extends Rec = Rec>(
  kinds: Record<string, FieldKind>,
  cfg: Partial<CollectionConfig<T>> & { style?: ApiStyle } = {},
): Collection<T> {
  const { style, ...rest } = cfg;
  return new Collection<T>({ api: style ?? apiStyle(), name: 'things', shape: shapeFromKinds(kinds), ...rest });
}

/** Catches the error `fn` throws (fails the test when it throws none). */
export function errorOf(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

/** A small seeded generator (mulberry32) for reproducible random data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
