// The stats area of the Dolist API (part 2, see area.ts): statistics of email and SMS sendings
// (statistics*.ts, derived from the recipients and tracking events at the clock's time), the
// account and contact-base timelines, billing (billing.ts: fixtures and the credit ledger), and
// the two reads production clients make around transactional email.
import type { Area } from './area.js';
import { billingHandlers } from './handlers/billing.js';
import { statsHandlers } from './handlers/stats.js';
import { transactionalReadHandlers } from './handlers/stats-transactional.js';

export const statsArea: Area = () => ({
  handlers: { ...statsHandlers(), ...billingHandlers(), ...transactionalReadHandlers() },
});
