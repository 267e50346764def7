// Credit ledgers: each API's account in a workspace has its own balance, unit and entries.
// Simulators price their work themselves (from their fixtures) and call reserve/charge/refund
// here; the control API reads and sets the balance.
import { AppendLog } from './journal.js';
import type { DocStore, Table } from './store.js';

export interface LedgerAccount {
  balance: number;
  currency: string;
  /** Amounts held for work accepted but not yet charged, by reference. */
  reserved: Record<string, number>;
}

export interface LedgerEntry {
  id: string;
  seq: number;
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

/** Money and units are kept to 6 decimals so repeated small charges do not drift. */
export function roundAmount(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export class Credit {
  private log: AppendLog<LedgerEntry>;

  constructor(private readonly doc: DocStore, private readonly now: () => number) {
    this.log = new AppendLog<LedgerEntry>(doc.table('_credit_entries') as unknown as Table<LedgerEntry & Record<string, unknown>>, 'c', 20_000);
  }

  private key(api: string): string {
    return `credit.${api}`;
  }

  /** Creates the account if missing (fixtures). */
  open(api: string, balance: number, currency: string): void {
    if (this.doc.getMeta(this.key(api))) return;
    this.doc.setMeta(this.key(api), { balance: 0, currency, reserved: {} } satisfies LedgerAccount);
    if (balance) this.adjust(api, balance, 'initial balance', null);
  }

  has(api: string): boolean {
    return this.doc.getMeta(this.key(api)) !== undefined;
  }

  account(api: string): LedgerAccount {
    const acc = this.doc.getMeta<LedgerAccount>(this.key(api));
    if (!acc) throw new Error(`no credit account for ${api}`);
    return acc;
  }

  balance(api: string): number {
    return this.account(api).balance;
  }

  reservedTotal(api: string): number {
    return roundAmount(Object.values(this.account(api).reserved).reduce((a, b) => a + b, 0));
  }

  /** Balance minus what is reserved. */
  available(api: string): number {
    return roundAmount(this.balance(api) - this.reservedTotal(api));
  }

  canAfford(api: string, amount: number): boolean {
    return amount <= 0 || this.available(api) >= roundAmount(amount);
  }

  view(api: string, limit = 1000): LedgerView {
    const acc = this.account(api);
    const reserved = this.reservedTotal(api);
    return {
      balance: acc.balance,
      currency: acc.currency,
      reserved,
      available: roundAmount(acc.balance - reserved),
      entries: this.log
        .list((e) => e.api === api, limit)
        .map(({ at, amount, reason, ref, balance }) => ({ at, amount, reason, ref, balance })),
    };
  }

  /** Sets the balance (control API / scenario), recording the difference. */
  set(api: string, balance: number, reason = 'balance set'): void {
    this.adjust(api, roundAmount(balance - this.balance(api)), reason, null);
  }

  /** Holds an amount for a reference; false (and nothing held) when it is not available. */
  reserve(api: string, ref: string, amount: number): boolean {
    if (!this.canAfford(api, amount)) return false;
    const acc = this.account(api);
    acc.reserved[ref] = roundAmount((acc.reserved[ref] ?? 0) + amount);
    this.doc.touchMeta(this.key(api));
    return true;
  }

  /** Drops what is held for a reference (all of it, or `amount`). */
  release(api: string, ref: string, amount?: number): void {
    const acc = this.account(api);
    if (acc.reserved[ref] === undefined) return;
    const left = amount === undefined ? 0 : roundAmount(acc.reserved[ref] - amount);
    if (left > 0) acc.reserved[ref] = left;
    else delete acc.reserved[ref];
    this.doc.touchMeta(this.key(api));
  }

  /**
   * Takes `amount` from the balance. Amounts held under `ref` are used first; the rest must be
   * available. Returns false and changes nothing when the balance cannot cover it.
   */
  charge(api: string, amount: number, reason: string, ref: string | null): boolean {
    amount = roundAmount(amount);
    const acc = this.account(api);
    const held = ref ? acc.reserved[ref] ?? 0 : 0;
    const fromHeld = Math.min(held, amount);
    if (amount - fromHeld > this.available(api) + 1e-9) return false;
    if (ref && fromHeld) this.release(api, ref, fromHeld);
    if (amount) this.adjust(api, -amount, reason, ref);
    return true;
  }

  refund(api: string, amount: number, reason: string, ref: string | null): void {
    if (amount) this.adjust(api, roundAmount(amount), reason, ref);
  }

  private adjust(api: string, amount: number, reason: string, ref: string | null): void {
    const acc = this.account(api);
    acc.balance = roundAmount(acc.balance + amount);
    this.doc.touchMeta(this.key(api));
    const at = new Date(this.now()).toISOString();
    this.log.append((id, seq) => ({ id, seq, api, at, amount, reason, ref, balance: acc.balance }));
  }
}
