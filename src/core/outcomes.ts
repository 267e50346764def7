// What happens to one destination (a message's delivery, a call's answer, a job, a campaign's
// delivery), decided in the same order for every API (FIDELITY.md): a matching scenario rule,
// else the destination's test number (digits ending 99900N) or test email address
// (`local+tag@`), else the API's default. Each API maps these cases to its own plan (states,
// timings, codes); the precedence, and the one question put to the scenario, live here.
import type { FactValue } from './scenario.js';
import { emailOutcome, testOutcome, type EmailOutcome, type TestOutcome } from './test-numbers.js';
import type { Workspace } from './workspace.js';

export interface OutcomeCases<T> {
  /** The scenario's outcome object; undefined to fall through (a rule the API cannot apply). */
  scenario(forced: Record<string, unknown>): T | undefined;
  /** The destination is a test number. */
  testNumber?(outcome: TestOutcome): T;
  /** The destination is a test email address. */
  testAddress?(tag: EmailOutcome): T;
  /** An ordinary destination. */
  otherwise(): T;
}

/** The precedence on an outcome already asked of the scenario (`forced`). Prefer `decide`. */
export function decideOutcome<T>(address: string, forced: Record<string, unknown> | undefined, cases: OutcomeCases<T>): T {
  if (forced) {
    const r = cases.scenario(forced);
    if (r !== undefined) return r;
  }
  if (cases.testAddress && address.includes('@')) {
    const tag = emailOutcome(address);
    if (tag) return cases.testAddress(tag);
  } else if (cases.testNumber) {
    const n = testOutcome(address);
    if (n) return cases.testNumber(n);
  }
  return cases.otherwise();
}

/** A domain decision point: the hook's name (a rule's `on`) and the facts its rules match. */
export interface DecisionPoint {
  on: string;
  /** `api` is always among the facts. */
  api: string;
  facts: Record<string, FactValue>;
}

/**
 * The one hook every API asks at a domain decision point: the workspace scenario's first
 * matching rule for `point.on` (its `...Ms` timings drawn from the workspace RNG), then the
 * destination's test number or address, then the default.
 */
export function decide<T>(ws: Workspace, point: DecisionPoint, address: string, cases: OutcomeCases<T>): T {
  const forced = ws.scenario?.outcome(point.on, { ...point.facts, api: point.api });
  return decideOutcome(address, forced, cases);
}
