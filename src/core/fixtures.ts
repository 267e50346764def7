// Fixtures: fixtures/<api>.json, loaded into each new workspace, with a scenario's overrides
// merged over them (objects key by key, arrays and scalars replaced).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.js';
import type { Workspace } from './workspace.js';

const base = new Map<string, Record<string, unknown>>();
const effective = new WeakMap<Workspace, Map<string, Record<string, unknown>>>();

export function fixturePath(api: string): string {
  return join(PROJECT_ROOT, 'fixtures', `${api}.json`);
}

export function baseFixtures(api: string): Record<string, unknown> {
  let f = base.get(api);
  if (!f) {
    f = JSON.parse(readFileSync(fixturePath(api), 'utf8')) as Record<string, unknown>;
    base.set(api, f);
  }
  return f;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(v) && isObject(a[k]) ? deepMerge(a[k] as Record<string, unknown>, v) : v;
  return out;
}

/** The workspace's fixtures of an API: the file merged with its scenario's overrides. */
export function fixturesOf<T = Record<string, unknown>>(ws: Workspace, api: string): T {
  let byApi = effective.get(ws);
  if (!byApi) {
    byApi = new Map();
    effective.set(ws, byApi);
  }
  let f = byApi.get(api);
  if (!f) {
    const override = ws.init.scenario?.fixtures?.[api];
    f = override ? deepMerge(baseFixtures(api), override) : baseFixtures(api);
    byApi.set(api, f);
  }
  return f as T;
}
