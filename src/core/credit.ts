// Credit ledgers: each account of a workspace (one per API, plus sub-accounts such as a vendor's
// users) has its own balance, unit and entries. Simulators price their work themselves (from
// their fixtures) and call reserve/charge/refund here; the control API reads and sets the
// balance of each API's main account (whose name is the API id).
import { AppendLog } from './journal.js';
import { roundAmount } from './money.js';
import type { Rec } from './record.js';
import type { Table } from './table.js';
import type { WorkspaceStore } from './store.js';

export { roundAmount } from './money.js';

export interface LedgerAccount {
  balance: number;
  currency: string;
  /** Amounts held for work accepted but not yet charged, by reference. */
  reserved: Record<string, number>;
}

export interface LedgerEntry {
  id: string;
  seq: number;
  /** The account (an API id, or a sub-account such as `clever/user/5`). */
  api: string;
  at: string;
  amount: number;
  reason: string;
  ref: string | null;
  balance: number;
}

export interface LedgerView {
  balance: number;
  currency: string;
  reserved: number;
  available: number;
  entries: Array<Pick<LedgerEntry, 'at' | 'amount' | 'reason' | 'ref' | 'balance'>>;
}

export class Credit {
  private log: AppendLog<LedgerEntry>;

  constructor(private readonly doc: WorkspaceStore, private readonly now: () => number, capacity = 20_000) {
    this.log = new AppendLog<LedgerEntry>(doc.table('_credit_entries') as unknown as Table<LedgerEntry & Record<string, unknown>>, 'c', capacity, () => doc.tx);
  }

  /** Ledger entries another instance appended (a fleet on a shared store). */
  absorb(entries: Rec[]): void {
    this.log.absorb(entries as unknown as LedgerEntry[]);
  }

  private key(account: string): string {
    return `credit.${account}`;
  }

  /** Creates the account if missing (fixtures, a new sub-account). */
  open(account: string, balance: number, currency: string, reason = 'initial balance'): void {
    if (this.doc.getMeta(this.key(account))) return;
    this.doc.setMeta(this.key(account), { balance: 0, currency, reserved: {} } satisfies LedgerAccount);
    if (balance) this.adjust(account, balance, reason, null);
  }

  has(account: string): boolean {
    return this.doc.getMeta(this.key(account)) !== undefined;
  }

  account(account: string): LedgerAccount {
    const acc = this.doc.getMeta<LedgerAccount>(this.key(account));
    if (!acc) throw new Error(`no credit account ${account}`);
    return acc;
  }

  balance(account: string): number {
    return this.account(account).balance;
  }

  reservedTotal(account: string): number {
    return roundAmount(Object.values(this.account(account).reserved).reduce((a, b) => a + b, 0));
  }

  /** Balance minus what is reserved. */
  available(account: string): number {
    return roundAmount(this.balance(account) - this.reservedTotal(account));
  }

  canAfford(account: string, amount: number): boolean {
    return amount <= 0 || this.available(account) >= roundAmount(amount);
  }

  view(account: string, limit = 1000): LedgerView {
    const acc = this.account(account);
    const reserved = this.reservedTotal(account);
    return {
      balance: acc.balance,
      currency: acc.currency,
      reserved,
      available: roundAmount(acc.balance - reserved),
      entries: this.log
        .list((e) => e.api === account, limit)
        .map(({ at, amount, reason, ref, balance }) => ({ at, amount, reason, ref, balance })),
    };
  }

  /** Sets the balance (control API / scenario), recording the difference. */
  set(account: string, balance: number, reason = 'balance set'): void {
    this.adjust(account, roundAmount(balance - this.balance(account)), reason, null);
  }

  /** Holds an amount for a reference; false (and nothing held) when it is not available. */
  reserve(account: string, ref: string, amount: number): boolean {
    if (!this.canAfford(account, amount)) return false;
    const acc = this.account(account);
    acc.reserved[ref] = roundAmount((acc.reserved[ref] ?? 0) + amount);
    this.doc.touchMeta(this.key(account));
    return true;
  }

  /** Drops what is held for a reference (all of it, or `amount`). */
  release(account: string, ref: string, amount?: number): void {
    const acc = this.account(account);
    if (acc.reserved[ref] === undefined) return;
    const left = amount === undefined ? 0 : roundAmount(acc.reserved[ref] - amount);
    if (left > 0) acc.reserved[ref] = left;
    else delete acc.reserved[ref];
    this.doc.touchMeta(this.key(account));
  }

  /**
   * Takes `amount` from the balance. Amounts held under `ref` are used first; the rest must be
   * available. Returns false and changes nothing when the balance cannot cover it.
   */
  charge(account: string, amount: number, reason: string, ref: string | null): boolean {
    amount = roundAmount(amount);
    // A negative charge is a refund, which takes nothing from a reservation.
    if (amount < 0) {
      this.refund(account, -amount, reason, ref);
      return true;
    }
    const acc = this.account(account);
    const held = ref ? acc.reserved[ref] ?? 0 : 0;
    const fromHeld = Math.min(held, amount);
    if (amount - fromHeld > this.available(account) + 1e-9) return false;
    if (ref && fromHeld) this.release(account, ref, fromHeld);
    if (amount) this.adjust(account, -amount, reason, ref);
    return true;
  }

  refund(account: string, amount: number, reason: string, ref: string | null): void {
    if (amount) this.adjust(account, roundAmount(amount), reason, ref);
  }

  private adjust(account: string, amount: number, reason: string, ref: string | null): void {
    const acc = this.account(account);
    acc.balance = roundAmount(acc.balance + amount);
    this.doc.touchMeta(this.key(account));
    const at = new Date(this.now()).toISOString();
    this.log.append((id, seq) => ({ id, seq, api: account, at, amount, reason, ref, balance: acc.balance }));
  }
}
