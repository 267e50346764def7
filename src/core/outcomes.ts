// What happens to one destination (a message's delivery, a call's answer), decided in the same
// order for every API (FIDELITY.md): a matching scenario rule, else the destination's test
// number (digits ending 99900N) or test email address (`local+tag@`), else the API's default.
// Each API maps these cases to its own plan (states, timings, codes); the precedence lives here.
import { emailOutcome, testOutcome, type EmailOutcome, type TestOutcome } from './test-numbers.js';

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
