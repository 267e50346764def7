// Scenarios script a workspace: its seed, clock, credit and fixture overrides, outcome rules
// (request or domain facts -> forced outcome, HTTP fault, added latency) and a timeline of
// actions at offsets from the workspace's start. Files live in scenarios/NAME.yaml and are
// validated against scenarios/scenario.schema.json; a bad file is refused with every problem
// named by its YAML path (`rules[1].match.to_address`) and line.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invalid } from './errors.js';
import { GENERATED_DIR, PROJECT_ROOT } from './paths.js';

export type FactValue = string | number | boolean | null | undefined;
type Scalar = string | number | boolean | null;

/**
 * Expected value of one fact: a scalar (exact; a string written /re/flags is a regex), or
 * `{equals}`, `{regex, flags?}`, `{in: [...]}`, `{min?, max?}` (an inclusive number range).
 */
export type MatcherSpec = Scalar | { equals: Scalar } | { regex: string; flags?: string } | { in: Scalar[] } | { min?: number; max?: number };

/** A duration in ms: fixed, uniform `{min, max}` or normal `{mean, sd}` (clamped to min/max, >= 0). */
export type Distribution = number | { min: number; max: number } | { mean: number; sd: number; min?: number; max?: number };

/** Domain decision points a rule can apply to (`on`). */
export const HOOKS = ['message', 'message-submit', 'call', 'inbound-call', 'job', 'push', 'campaign-recipient'] as const;
export type Hook = (typeof HOOKS)[number];

/**
 * What an outcome of each decision point may say (the simulators read these fields; see the
 * README's table): the allowed fields, and the values of `state` / `status` when constrained.
 * A misspelt field or state would otherwise fall through to the defaults in silence.
 */
const OUTCOME_FIELDS: Record<Hook, { fields: string[]; values?: { field: string; allowed: string[] } }> = {
  message: { fields: ['state', 'afterMs', 'readAfterMs', 'details'], values: { field: 'state', allowed: ['DELIVERED', 'READ', 'FAILED', 'EXPIRED'] } },
  'message-submit': { fields: ['state', 'failure_code', 'details'], values: { field: 'state', allowed: ['ACCEPTED', 'REJECTED', 'FAILED'] } },
  call: { fields: ['state', 'afterMs', 'hangupAfterMs', 'failure_code', 'failure_details'], values: { field: 'state', allowed: ['ACTIVE', 'ANSWERED', 'REJECTED'] } },
  'inbound-call': { fields: ['abandonAfterMs', 'hangupAfterMs'] },
  push: { fields: ['status', 'afterMs'], values: { field: 'status', allowed: ['2', '3', '4', '6'] } },
  job: { fields: ['queueMs', 'durationMs', 'fail', 'status', 'error'], values: { field: 'status', allowed: ['SUCCEEDED', 'FAILED'] } },
  'campaign-recipient': {
    fields: ['status', 'afterMs', 'openAfterMs', 'clickAfterMs', 'unsubscribeAfterMs', 'complaintAfterMs'],
    values: { field: 'status', allowed: ['DELIVERED', 'SOFTBOUNCE', 'HARDBOUNCE', 'FAILED', 'PENDING'] },
  },
};

function outcomeProblems(on: Hook, outcome: Record<string, unknown>): Array<[string | null, string]> {
  const spec = OUTCOME_FIELDS[on];
  const out: Array<[string | null, string]> = [];
  for (const k of Object.keys(outcome)) if (!spec.fields.includes(k)) out.push([k, `not an outcome field of "${on}" (use ${spec.fields.join(', ')})`]);
  if (spec.values) {
    const v = outcome[spec.values.field];
    if (v === undefined) {
      if (on !== 'push' && on !== 'job' && on !== 'campaign-recipient') out.push([null, `an outcome of "${on}" needs ${spec.values.field} (${spec.values.allowed.join(', ')})`]);
    } else if (!spec.values.allowed.includes(String(v).toUpperCase())) out.push([spec.values.field, `must be one of ${spec.values.allowed.join(', ')}`]);
  }
  return out;
}

export interface ScenarioRule {
  name?: string;
  /** Domain hook the rule applies to; absent for HTTP rules. */
  on?: Hook;
  /** api, operationId and fact names -> matcher. */
  match?: Record<string, MatcherSpec>;
  outcome?: Record<string, unknown>;
  fault?: { status: number; code?: string; message?: string };
  latencyMs?: Distribution;
  probability?: number;
  /** Apply at most this many times. */
  times?: number;
}

export interface TimelineStep {
  /** Offset from the workspace start: ms, or "500ms", "30s", "5m", "1h". */
  at: number | string;
  name?: string;
  inject?: string;
  body?: Record<string, unknown>;
  credit?: Record<string, number>;
}

export interface Scenario {
  name: string;
  description?: string;
  seed?: number | string;
  clock?: { mode?: 'realtime' | 'manual'; speed?: number; now?: string; start?: string };
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

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
type ValidateFn = ((d: unknown) => boolean) & { errors?: AjvError[] | null };
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

// ---- error messages ---------------------------------------------------------------------------

/** Where a problem is: path segments from the document root, and a line when the source is known. */
export type Locate = (segments: Array<string | number>) => string | undefined;

/** `['rules', 1, 'match', 'to']` -> `rules[1].match.to`; the root is `(scenario)`. */
export function yamlPath(segments: Array<string | number>): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
  return out || '(scenario)';
}

function segmentsOf(instancePath: string): Array<string | number> {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Messages for the schema's alternatives, which ajv reports branch by branch. */
const ALTERNATIVES: Array<[RegExp, string]> = [
  [/\/rules\/items\/anyOf$/, 'a rule needs an effect: outcome (with on), fault or latencyMs'],
  [/\/timeline\/items\/anyOf$/, 'a timeline step needs inject or credit'],
  [/\/matcher\/oneOf$/, 'must be a matcher: a value (a string /regex/flags is a regex), {equals: v}, {regex, flags?}, {in: [...]} or a number range {min?, max?}'],
  [/\/distribution\/oneOf$/, 'must be a duration in ms (an integer >= 0), {min, max} (uniform) or {mean, sd} (normal)'],
];

/** ajv's errors as `path: problem (line N)` lines, one per problem, alternatives collapsed. */
export function describeSchemaErrors(errors: AjvError[], locate?: Locate): string[] {
  const alts = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inAlt = (e: AjvError) => alts.some((a) => a !== e && e.schemaPath.startsWith(`${a.schemaPath}/`) && e.instancePath.startsWith(a.instancePath));
  const out: string[] = [];
  for (const e of errors) {
    if (inAlt(e)) continue;
    let segs = segmentsOf(e.instancePath);
    let msg = e.message ?? e.keyword;
    if (e.keyword === 'additionalProperties') {
      segs = [...segs, String(e.params.additionalProperty)];
      msg = 'unknown property';
    } else if (e.keyword === 'required') {
      segs = [...segs, String(e.params.missingProperty)];
      msg = 'is required';
    } else if (e.keyword === 'enum') {
      msg = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      msg = ALTERNATIVES.find(([re]) => re.test(e.schemaPath))?.[1] ?? msg;
    }
    const where = locate?.(segs);
    const line = `${yamlPath(segs)}: ${msg}${where ? ` (${where})` : ''}`;
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

/** Checks a scenario object against the JSON Schema and its own rules; throws `invalid` naming every problem. */
export async function checkScenario(doc: unknown, opts: { source?: string; locate?: Locate } = {}): Promise<Scenario> {
  const validate = await validator();
  const problems: string[] = [];
  if (!validate(doc)) problems.push(...describeSchemaErrors(validate.errors ?? [], opts.locate));
  else {
    const sc = doc as Scenario;
    const at = (segs: Array<string | number>, msg: string) => {
      const where = opts.locate?.(segs);
      problems.push(`${yamlPath(segs)}: ${msg}${where ? ` (${where})` : ''}`);
    };
    (sc.timeline ?? []).forEach((step, i) => {
      try {
        parseOffset(step.at);
      } catch (e) {
        at(['timeline', i, 'at'], (e as Error).message.replace(/^invalid /, ''));
      }
    });
    (sc.rules ?? []).forEach((rule, i) => {
      for (const [k, v] of Object.entries(rule.match ?? {})) {
        try {
          compileMatcher(v);
        } catch (e) {
          at(['rules', i, 'match', k], (e as Error).message);
        }
      }
      if (rule.on && rule.outcome) for (const [k, msg] of outcomeProblems(rule.on, rule.outcome)) at(k ? ['rules', i, 'outcome', k] : ['rules', i, 'outcome'], msg);
      for (const [k, v] of Object.entries(rule.outcome ?? {})) {
        if (!k.endsWith('Ms')) continue;
        const why = distributionProblem(v);
        if (why) at(['rules', i, 'outcome', k], why);
      }
      const lat = rule.latencyMs;
      if (lat !== undefined && typeof lat === 'object' && 'max' in lat && lat.max !== undefined && lat.min !== undefined && lat.max < lat.min) at(['rules', i, 'latencyMs'], 'max must be >= min');
      if (rule.on && (rule.fault || rule.latencyMs !== undefined)) at(['rules', i, 'on'], 'a domain rule (on) takes an outcome; fault and latencyMs are HTTP rules (without on)');
    });
    if (sc.clock?.now && sc.clock.start && sc.clock.now !== sc.clock.start) at(['clock', 'start'], 'clock.start and clock.now are the same setting; give one');
  }
  if (problems.length) {
    throw invalid(`invalid scenario${opts.source ? ` ${opts.source}` : ''}: ${problems.join('; ')}`);
  }
  const sc = doc as Scenario;
  if (sc.clock?.start && !sc.clock.now) sc.clock = { ...sc.clock, now: sc.clock.start };
  return sc;
}

function distributionProblem(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? undefined : 'must be a duration >= 0';
  if (typeof v === 'string') {
    try {
      parseOffset(v);
      return undefined;
    } catch {
      return `invalid duration ${JSON.stringify(v)}`;
    }
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const nums = Object.entries(o).every(([k, x]) => ['min', 'max', 'mean', 'sd'].includes(k) && typeof x === 'number' && x >= 0);
    if (nums && (('min' in o && 'max' in o && !('mean' in o)) || ('mean' in o && 'sd' in o))) {
      if (typeof o.min === 'number' && typeof o.max === 'number' && o.max < o.min) return 'max must be >= min';
      return undefined;
    }
  }
  return 'must be a duration in ms, {min, max} or {mean, sd}';
}

// ---- files ---------------------------------------------------------------------------------

export interface ScenarioInfo {
  name: string;
  description: string | null;
}

export function listScenarioNames(): string[] {
  if (!existsSync(SCENARIO_DIR)) return [];
  return readdirSync(SCENARIO_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/** The bundled scenarios with their descriptions (a file that does not parse shows none). */
export async function listScenarios(): Promise<ScenarioInfo[]> {
  const { parse } = await import('yaml');
  return listScenarioNames().map((name) => {
    let description: string | null = null;
    try {
      const file = ['yaml', 'yml'].map((e) => join(SCENARIO_DIR, `${name}.${e}`)).find(existsSync)!;
      const d = parse(readFileSync(file, 'utf8')) as { description?: unknown };
      if (typeof d?.description === 'string') description = d.description;
    } catch {
      /* listed without a description */
    }
    return { name, description };
  });
}

/** A name of a bundled scenario, or (when `allowPath`, as the CLI does) a path to a .yaml file. */
export function isScenarioPath(ref: string): boolean {
  return /[\\/]/.test(ref) || /\.ya?ml$/i.test(ref);
}

/**
 * Loads scenarios/NAME.yaml, or a file path when `allowPath` (the CLI; the control API takes
 * names only, so a client cannot make the server read its files).
 */
export async function loadScenario(ref: string, opts: { allowPath?: boolean } = {}): Promise<Scenario> {
  let file: string | undefined;
  let name = ref;
  if (opts.allowPath && isScenarioPath(ref)) {
    file = resolve(ref);
    if (!existsSync(file)) throw invalid(`scenario file ${file} does not exist`);
    name = basename(file).replace(/\.ya?ml$/i, '');
  } else {
    if (!/^[A-Za-z0-9_.-]+$/.test(ref)) throw invalid(`invalid scenario name ${JSON.stringify(ref)} (known: ${listScenarioNames().join(', ') || 'none'})`);
    file = ['yaml', 'yml'].map((e) => join(SCENARIO_DIR, `${ref}.${e}`)).find(existsSync);
    if (!file) throw invalid(`unknown scenario ${JSON.stringify(ref)} (known: ${listScenarioNames().join(', ') || 'none'})`);
  }
  return parseScenarioText(readFileSync(file, 'utf8'), { name, source: file.startsWith(SCENARIO_DIR) ? `scenarios/${basename(file)}` : file });
}

/** Parses and checks a scenario's YAML text; problems name their YAML path and line. */
export async function parseScenarioText(text: string, opts: { name: string; source?: string }): Promise<Scenario> {
  const { parseDocument, LineCounter, isMap, isSeq, isScalar } = await import('yaml');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const src = opts.source ?? opts.name;
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0] ?? (e.pos ? lines.linePos(e.pos[0]) : undefined);
    throw invalid(`invalid scenario ${src}: not readable YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${e.message.split('\n')[0]}`);
  }
  const value = doc.toJS() as unknown;
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) throw invalid(`invalid scenario ${src}: the file must hold a mapping (name, rules, timeline ...)`);
  const locate: Locate = (segs) => {
    let node: unknown = doc.contents;
    let range: [number, number, number] | undefined = (node as { range?: [number, number, number] })?.range;
    for (const s of segs) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(s));
        if (!pair) break;
        range = (pair.key as { range?: [number, number, number] }).range ?? range;
        node = pair.value;
      } else if (isSeq(node) && typeof s === 'number') {
        node = node.items[s];
        range = (node as { range?: [number, number, number] })?.range ?? range;
      } else break;
    }
    return range ? `line ${lines.linePos(range[0]).line}` : undefined;
  };
  return checkScenario({ ...((value as object) ?? {}), name: opts.name }, { source: src, locate });
}

export function parseOffset(at: number | string): number {
  if (typeof at === 'number' && at >= 0 && Number.isFinite(at)) return Math.round(at);
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(String(at).trim());
  if (!m) throw invalid(`invalid timeline offset ${JSON.stringify(at)} (use ms or "30s", "5m", "1h")`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

// ---- matching ------------------------------------------------------------------------------

type Matcher = (v: FactValue) => boolean;

function regexMatcher(source: string, flags: string, shown: string): Matcher {
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (e) {
    throw invalid(`invalid regular expression ${shown} in a scenario rule: ${(e as Error).message}`);
  }
  return (v) => v !== undefined && v !== null && re.test(String(v));
}

function exact(expected: Scalar): Matcher {
  return (v) => v === expected || (v !== undefined && v !== null && expected !== null && String(v) === String(expected));
}

export function compileMatcher(spec: MatcherSpec): Matcher {
  if (typeof spec === 'string' && spec.length >= 2 && spec.startsWith('/') && spec.lastIndexOf('/') > 0) {
    const end = spec.lastIndexOf('/');
    return regexMatcher(spec.slice(1, end), spec.slice(end + 1), spec);
  }
  if (spec === null || typeof spec !== 'object') return exact(spec);
  if ('equals' in spec) return exact(spec.equals);
  if ('regex' in spec) return regexMatcher(spec.regex, spec.flags ?? '', `/${spec.regex}/${spec.flags ?? ''}`);
  if ('in' in spec) {
    const each = spec.in.map(exact);
    return (v) => each.some((m) => m(v));
  }
  const { min, max } = spec as { min?: number; max?: number };
  if (min !== undefined && max !== undefined && max < min) throw invalid(`a number range needs max >= min (got min ${min}, max ${max})`);
  return (v) => {
    if (v === undefined || v === null || v === '' || typeof v === 'boolean') return false;
    const n = Number(v);
    return Number.isFinite(n) && (min === undefined || n >= min) && (max === undefined || n <= max);
  };
}

/** A duration drawn from its distribution with `random` (uniform [0, 1)); whole ms, >= 0. */
export function drawDuration(d: Distribution | string, random: () => number): number {
  if (typeof d === 'number') return Math.max(0, Math.round(d));
  if (typeof d === 'string') return parseOffset(d);
  if ('mean' in d) {
    // Box-Muller from two draws; 1 - u keeps the logarithm finite.
    const u1 = 1 - random();
    const u2 = random();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    let x = d.mean + d.sd * z;
    if (d.min !== undefined) x = Math.max(d.min, x);
    if (d.max !== undefined) x = Math.min(d.max, x);
    return Math.max(0, Math.round(x));
  }
  return Math.max(0, Math.round(d.min + random() * (d.max - d.min)));
}

/** Upper bound of an added HTTP latency. */
export const MAX_LATENCY_MS = 60_000;

/** The HTTP effect of a rule for one request: the latency drawn, then the fault, if any. */
export interface HttpEffect {
  rule: ScenarioRule;
  latencyMs: number;
  fault?: ScenarioRule['fault'];
}

/** A scenario bound to a workspace: rules evaluated against facts. */
export class ScenarioRuntime {
  private compiled: Array<{ rule: ScenarioRule; index: number; matchers: Array<[string, Matcher]> }>;

  constructor(
    readonly scenario: Scenario,
    private counts: Record<string, number>,
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

  /** Takes the counters another instance committed (a fleet on a shared store). */
  adopt(counts: Record<string, number>): void {
    this.counts = counts;
  }

  private first(filter: (r: ScenarioRule) => boolean, facts: Record<string, FactValue>): ScenarioRule | undefined {
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

  /** The HTTP effect for a request: the first matching rule, its latency drawn from the workspace RNG. */
  httpEffect(facts: Record<string, FactValue>): HttpEffect | undefined {
    const rule = this.httpRule(facts);
    if (!rule) return undefined;
    // A request never waits more than a minute, whatever the distribution draws.
    return { rule, latencyMs: rule.latencyMs === undefined ? 0 : Math.min(MAX_LATENCY_MS, drawDuration(rule.latencyMs, this.random)), fault: rule.fault };
  }

  /**
   * The forced outcome for a domain hook (e.g. on: "message"), if any, with every `...Ms` field
   * drawn from its distribution.
   */
  outcome(on: string, facts: Record<string, FactValue>): Record<string, unknown> | undefined {
    const rule = this.first((r) => r.on === on && r.outcome !== undefined, facts);
    if (!rule) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rule.outcome!)) {
      out[k] = k.endsWith('Ms') && v !== null && (typeof v === 'object' || typeof v === 'string') ? drawDuration(v as Distribution, this.random) : v;
    }
    return out;
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
