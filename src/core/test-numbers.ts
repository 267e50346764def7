// Test numbers shared by every API (FIDELITY.md), like a carrier's test range: a destination
// whose digits end in 99900N has a fixed outcome unless a scenario rule says otherwise.

export type TestOutcome =
  /** 999001: messages FAILED (undeliverable); calls busy. */
  | 'fail'
  /** 999002: messages stay SENT then EXPIRE after the validity period; calls not answered. */
  | 'expire'
  /** 999003: messages DELIVERED then READ after 5 s; calls answered, far end hangs up after 10 s. */
  | 'read'
  /** 999004: rejected at submit (invalid recipient). */
  | 'reject'
  /** 999005: FAILED after 30 s (carrier timeout). */
  | 'timeout';

const OUTCOMES: Record<string, TestOutcome> = {
  '999001': 'fail',
  '999002': 'expire',
  '999003': 'read',
  '999004': 'reject',
  '999005': 'timeout',
};

export function digitsOf(address: string): string {
  return address.replace(/\D/g, '');
}

/** The fixed outcome of a test number, or undefined for an ordinary number (delivered). */
export function testOutcome(address: string): TestOutcome | undefined {
  const d = digitsOf(address);
  if (d.length < 6) return undefined;
  return OUTCOMES[d.slice(-6)];
}

/** Same rule for email addresses: the local part's +tag (FIDELITY.md). */
export type EmailOutcome = 'bounce' | 'softbounce' | 'complaint' | 'unsubscribe' | 'open' | 'click';

export function emailOutcome(address: string): EmailOutcome | undefined {
  const m = /^[^@+]*\+([a-z]+)@/i.exec(address.trim());
  if (!m) return undefined;
  const tag = m[1].toLowerCase();
  return (['bounce', 'softbounce', 'complaint', 'unsubscribe', 'open', 'click'] as const).find((t) => t === tag);
}
