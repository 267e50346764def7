// Scenarios script a workspace: its seed, clock, credit and fixture overrides, outcome rules
// (request or domain facts -> forced outcome, HTTP fault, added latency) and a timeline of
// actions at offsets from the workspace's start. Files live in scenarios/NAME.yaml and are
// validated against scenarios/scenario.schema.json.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invalid } from './errors.js';
import { GENERATED_DIR, PROJECT_ROOT } from './paths.js';

export type FactValue = string | number | boolean | null | undefined;

export interface ScenarioRule {
  name?: string;
  /** Domain hook the rule applies to (e.g. `message`, `call`, `push`); absent for HTTP rules. */
  on?: string;
  /** api, operationId and fact names -> expected value; a string written /re/ is a regex. */
  match?: Record<string, FactValue>;
  outcome?: Record<string, unknown>;
  fault?: { status: number; code?: string; message?: string };
  latencyMs?: number;
  probability?: number;
  /** Apply at most this many times. */
  times?: number;
}

export interface TimelineStep {
  /** Offset from the workspace start: ms, or "500ms", "30s", "5m", "1h". */
  at: number | string;
  inject?: string;
  body?: Record<string, unknown>;
  credit?: Record<string, number>;
}

export interface Scenario {
  name: string;
  description?: string;
  seed?: number | string;
  clock?: { mode?: 'realtime' | 'manual'; speed?: number; now?: string };
  credit?: Record<string, number>;
  fixtures?: Record<string, Record<string, unknown>>;
  rules?: ScenarioRule[];
  timeline?: TimelineStep[];
}

/** scenarios/ at the project root. */
export const SCENARIO_DIR = join(PROJECT_ROOT, 'scenarios');
export const SCENARIO_SCHEMA = join(SCENARIO_DIR, 'scenario.schema.json');
/** The schema's validator, compiled by `npm run build` (tools/build-specs.ts). */
export const SCENARIO_VALIDATOR = join(GENERATED_DIR, 'scenario-schema.js');

type ValidateFn = ((d: unknown) => boolean) & { errors?: unknown };
let validateFn: ValidateFn | undefined;

/** The scenario schema's validator: the build's standalone code, else compiled now. */
async function validator(): Promise<ValidateFn> {
  if (validateFn) return validateFn;
  if (existsSync(SCENARIO_VALIDATOR)) {
    const mod = (await import(pathToFileURL(SCENARIO_VALIDATOR).href)) as { validate: ValidateFn; schemaText: string };
    if (mod.schemaText === readFileSync(SCENARIO_SCHEMA, 'utf8')) return (validateFn = mod.validate);
  }
  const { Ajv } = (await import('ajv')) as unknown as { Ajv: new (o: object) => { compile(s: unknown): ValidateFn } };
  const addFormats = ((await import('ajv-formats')) as unknown as { default: (a: unknown) => void }).default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return (validateFn = ajv.compile(JSON.parse(readFileSync(SCENARIO_SCHEMA, 'utf8'))));
}

/** Checks a scenario object against the JSON Schema; throws `invalid` with every problem. */
export async function checkScenario(doc: unknown): Promise<Scenario> {
  const validate = await validator();
  if (!validate(doc)) {
    const errs = (validate.errors as Array<{ instancePath: string; message?: string }>)
      .map((e) => `${e.instancePath || '/'} ${e.message}`)
      .join('; ');
    throw invalid(`invalid scenario: ${errs}`);
  }
  const sc = doc as Scenario;
  for (const step of sc.timeline ?? []) parseOffset(step.at);
  for (const rule of sc.rules ?? []) for (const v of Object.values(rule.match ?? {})) compileMatcher(v);
  return sc;
}

export function listScenarioNames(): string[] {
  if (!existsSync(SCENARIO_DIR)) return [];
  return readdirSync(SCENARIO_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/** Loads scenarios/NAME.yaml. */
export async function loadScenario(name: string): Promise<Scenario> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw invalid(`invalid scenario name ${JSON.stringify(name)}`);
  const file = ['yaml', 'yml'].map((e) => join(SCENARIO_DIR, `${name}.${e}`)).find(existsSync);
  if (!file) throw invalid(`unknown scenario ${JSON.stringify(name)} (known: ${listScenarioNames().join(', ') || 'none'})`);
  const { parse } = await import('yaml');
  const doc = parse(readFileSync(file, 'utf8'));
  return checkScenario({ name, ...doc });
}

export function parseOffset(at: number | string): number {
  if (typeof at === 'number' && at >= 0) return at;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(String(at).trim());
  if (!m) throw invalid(`invalid timeline offset ${JSON.stringify(at)} (use ms or "30s", "5m", "1h")`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

type Matcher = (v: FactValue) => boolean;

function compileMatcher(expected: FactValue): Matcher {
  if (typeof expected === 'string' && expected.length >= 2 && expected.startsWith('/') && expected.lastIndexOf('/') > 0) {
    const end = expected.lastIndexOf('/');
    let re: RegExp;
    try {
      re = new RegExp(expected.slice(1, end), expected.slice(end + 1));
    } catch (e) {
      throw invalid(`invalid regular expression ${expected} in a scenario rule: ${(e as Error).message}`);
    }
    return (v) => v !== undefined && v !== null && re.test(String(v));
  }
  return (v) => v === expected || (v !== undefined && v !== null && String(v) === String(expected));
}

/** A scenario bound to a workspace: rules evaluated against facts. */
export class ScenarioRuntime {
  private compiled: Array<{ rule: ScenarioRule; index: number; matchers: Array<[string, Matcher]> }>;

  constructor(
    readonly scenario: Scenario,
    private readonly counts: Record<string, number>,
    private readonly random: () => number,
    private readonly onCount: () => void,
    private readonly beforeCount: () => void = () => undefined,
  ) {
    this.compiled = (scenario.rules ?? []).map((rule, index) => ({
      rule,
      index,
      matchers: Object.entries(rule.match ?? {}).map(([k, v]) => [k, compileMatcher(v)] as [string, Matcher]),
    }));
  }

  private first(
    filter: (r: ScenarioRule) => boolean,
    facts: Record<string, FactValue>,
  ): ScenarioRule | undefined {
    for (const { rule, index, matchers } of this.compiled) {
      if (!filter(rule)) continue;
      if (!matchers.every(([k, m]) => m(facts[k]))) continue;
      const key = String(index);
      if (rule.times !== undefined && (this.counts[key] ?? 0) >= rule.times) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      this.beforeCount();
      this.counts[key] = (this.counts[key] ?? 0) + 1;
      this.onCount();
      return rule;
    }
    return undefined;
  }

  /** The HTTP-level rule (fault or latency) for a request, if any. */
  httpRule(facts: Record<string, FactValue>): ScenarioRule | undefined {
    return this.first((r) => !r.on && (r.fault !== undefined || r.latencyMs !== undefined), facts);
  }

  /** The forced outcome for a domain hook (e.g. on: "message"), if any. */
  outcome(on: string, facts: Record<string, FactValue>): Record<string, unknown> | undefined {
    return this.first((r) => r.on === on && r.outcome !== undefined, facts)?.outcome;
  }
}

/** Flattens request parts into matchable facts (top-level scalars; arrays joined by ","). */
export function factsOf(...parts: Array<Record<string, unknown> | undefined | null>): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  for (const part of parts) {
    if (!part || typeof part !== 'object') continue;
    for (const [k, v] of Object.entries(part)) {
      if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v as FactValue;
      else if (Array.isArray(v)) out[k] = v.map(String).join(',');
    }
  }
  return out;
}
