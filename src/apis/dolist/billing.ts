// Billing (research part 1 §3.1, §4.9 B1): the account's customer, its referent and late-payment
// standing, and its invoices, from the fixtures' `billing` key; SMS consumption from the
// workspace's Dolist credit ledger, which the sending engine debits (`SMS sending <id>`, ref
// `sending:<id>`) as each batch goes out. Invoices are the fixtures' past ones plus one per
// closed calendar month (UTC) in which the account consumed SMS units: named
// `FA-<YYYYMM>-<CustomerID>`, dated the 1st of the next month, due 30 days later, their SMS line
// the units the ledger shows for that month at the product's unit price, so invoice totals and
// `/billings/sms/consumption` always agree. The current month is not invoiced yet: it shows in
// the consumption and the per-product history only. Read-only; no writes.
import { roundAmount } from '../../core/credit.js';
import type { Workspace } from '../../core/workspace.js';
import { findAccount } from './accounts.js';
import { dolistError } from './error-catalogue.js';
import { sendingsTable } from './sendings.js';
import { API_ID, dolistFixtures } from './style.js';

export interface BillingProduct {
  Code: string;
  Name: string;
  UnitPrice: number;
}

export interface CustomerFixture {
  ID: number;
  CompanyName: string;
  [key: string]: unknown;
}

export interface InvoiceFixture {
  Name: string;
  /** Creation date (ISO date). */
  Date: string;
  /** The month it bills, `YYYY-MM`. */
  Period: string;
  Status?: string;
  Lines: Array<{ ProductCode: string; Quantity: number }>;
}

export interface BillingFixtures {
  currency: string;
  vatRate: number;
  /** Days from an invoice's date to its due date. */
  paymentTermDays: number;
  products: BillingProduct[];
  /** The product SMS units are billed as. */
  smsProductCode: string;
  customers: Record<string, CustomerFixture>;
  referents: Record<string, Record<string, unknown>>;
  /** By CustomerID. */
  latePayment: Record<string, { IsBlocked: boolean; LatePaymentAmount: number; DueInvoiceCount: number; [key: string]: unknown }>;
  /** Past invoices by account. */
  invoices: Record<string, InvoiceFixture[]>;
}

export const billingFixtures = (ws: Workspace) => dolistFixtures(ws).billing as BillingFixtures;

/** 404 [8] unless the application exists. */
export function requireApplication(ws: Workspace, id: number): void {
  if (!ws.table(API_ID, 'applications').peek(String(id))) throw dolistError('8', `no application ${id}`, 'ApplicationID');
}

/** The account's billing customer, or 404 [1101]. */
export function customerOf(ws: Workspace, account: string): CustomerFixture {
  const c = billingFixtures(ws).customers[account];
  if (!c) throw dolistError('1101', `account ${account} has no billing customer`, 'AccountID');
  return c;
}

/** The account's customer when it is `customerId`, else 404 [1101]. */
export function requireCustomer(ws: Workspace, account: string, customerId: number): CustomerFixture {
  const c = billingFixtures(ws).customers[account];
  if (!c || c.ID !== customerId) throw dolistError('1101', `no customer ${customerId} for account ${account}`, 'CustomerID');
  return c;
}

export function requireAccount(ws: Workspace, account: string): void {
  if (!findAccount(ws, Number(account))) throw dolistError('9', `no account ${account}`, 'AccountID');
}

const monthOf = (t: number) => new Date(t).toISOString().slice(0, 7);
const monthStart = (period: string) => Date.parse(`${period}-01T00:00:00.000Z`);
const nextMonthStart = (period: string) => {
  const d = new Date(monthStart(period));
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

export interface ConsumptionEntry {
  at: number;
  units: number;
  sendingId: number;
}

/** The account's SMS units on the ledger: charges (and refunds, negative) of its sendings. */
export function smsLedgerEntries(ws: Workspace, account: string): ConsumptionEntry[] {
  const out: ConsumptionEntry[] = [];
  for (const e of ws.credit.view(API_ID, 1_000_000).entries) {
    const m = e.ref ? /^sending:(\d+)$/.exec(e.ref) : null;
    if (!m) continue;
    const s = sendingsTable(ws).peek(m[1]);
    if (!s || s.account !== account) continue;
    out.push({ at: Date.parse(e.at), units: roundAmount(-e.amount), sendingId: Number(m[1]) });
  }
  return out;
}

/** SMS units per calendar month (UTC), oldest first. */
export function smsConsumption(ws: Workspace, account: string) {
  const price = smsProduct(ws).UnitPrice;
  const months = new Map<string, { units: number; sendings: Set<number> }>();
  for (const e of smsLedgerEntries(ws, account)) {
    const p = monthOf(e.at);
    const m = months.get(p) ?? { units: 0, sendings: new Set<number>() };
    m.units = roundAmount(m.units + e.units);
    m.sendings.add(e.sendingId);
    months.set(p, m);
  }
  return [...months.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([Period, m]) => ({
      Period,
      StartDate: new Date(monthStart(Period)).toISOString(),
      EndDate: new Date(nextMonthStart(Period)).toISOString(),
      Units: m.units,
      SendingCount: m.sendings.size,
      UnitPrice: price,
      AmountExclTax: roundAmount(m.units * price),
      Currency: billingFixtures(ws).currency,
    }));
}

function smsProduct(ws: Workspace): BillingProduct {
  const fx = billingFixtures(ws);
  return fx.products.find((p) => p.Code === fx.smsProductCode) ?? { Code: fx.smsProductCode, Name: 'SMS', UnitPrice: 0 };
}

export interface InvoiceView {
  Name: string;
  CustomerID: number;
  Period: string;
  Date: string;
  DueDate: string;
  Status: string;
  Currency: string;
  AmountExclTax: number;
  VatAmount: number;
  AmountInclTax: number;
  LineList: Array<{ ProductCode: string; Name: string; Quantity: number; UnitPrice: number; Amount: number }>;
}

function invoiceView(ws: Workspace, customer: CustomerFixture, inv: { Name: string; Date: number; Period: string; Status?: string; Lines: Array<{ ProductCode: string; Quantity: number }> }): InvoiceView {
  const fx = billingFixtures(ws);
  const lines = inv.Lines.map((l) => {
    const p = fx.products.find((x) => x.Code === l.ProductCode) ?? { Code: l.ProductCode, Name: l.ProductCode, UnitPrice: 0 };
    return { ProductCode: p.Code, Name: p.Name, Quantity: l.Quantity, UnitPrice: p.UnitPrice, Amount: roundAmount(Math.round(l.Quantity * p.UnitPrice * 100) / 100) };
  });
  const excl = roundAmount(Math.round(lines.reduce((a, l) => a + l.Amount, 0) * 100) / 100);
  const vat = roundAmount(Math.round(excl * fx.vatRate * 100) / 100);
  const due = inv.Date + fx.paymentTermDays * 86_400_000;
  return {
    Name: inv.Name,
    CustomerID: customer.ID,
    Period: inv.Period,
    Date: new Date(inv.Date).toISOString(),
    DueDate: new Date(due).toISOString(),
    Status: inv.Status ?? (ws.now() >= due ? 'Paid' : 'Issued'),
    Currency: fx.currency,
    AmountExclTax: excl,
    VatAmount: vat,
    AmountInclTax: roundAmount(excl + vat),
    LineList: lines,
  };
}

/** Every invoice of the account at the clock's time (fixtures', then the closed months' SMS ones), by date. */
export function accountInvoices(ws: Workspace, account: string): InvoiceView[] {
  const fx = billingFixtures(ws);
  const customer = fx.customers[account];
  if (!customer) return [];
  const out = (fx.invoices[account] ?? []).map((i) => invoiceView(ws, customer, { ...i, Date: Date.parse(i.Date) }));
  const current = monthOf(ws.now());
  for (const m of smsConsumption(ws, account)) {
    if (m.Period >= current || m.Units <= 0) continue;
    out.push(invoiceView(ws, customer, { Name: `FA-${m.Period.replace('-', '')}-${customer.ID}`, Date: nextMonthStart(m.Period), Period: m.Period, Lines: [{ ProductCode: fx.smsProductCode, Quantity: m.Units }] }));
  }
  return out.sort((a, b) => a.Date.localeCompare(b.Date) || a.Name.localeCompare(b.Name));
}

/** One invoice of the customer, or 404 [1103]. */
export function findInvoice(ws: Workspace, account: string, name: string): InvoiceView {
  const inv = accountInvoices(ws, account).find((i) => i.Name.toLowerCase() === name.trim().toLowerCase());
  if (!inv) throw dolistError('1103', `no invoice '${name}' for account ${account}`, 'InvoiceName');
  return inv;
}

/** Consumption per product: every invoiced period, plus the current month's SMS units not invoiced yet. */
export function productHistory(ws: Workspace, account: string) {
  const fx = billingFixtures(ws);
  const rows = new Map<string, Map<string, { Quantity: number; Amount: number; IsInvoiced: boolean }>>();
  const add = (code: string, period: string, quantity: number, amount: number, invoiced: boolean) => {
    const byPeriod = rows.get(code) ?? new Map();
    const r = byPeriod.get(period) ?? { Quantity: 0, Amount: 0, IsInvoiced: invoiced };
    r.Quantity = roundAmount(r.Quantity + quantity);
    r.Amount = roundAmount(r.Amount + amount);
    byPeriod.set(period, r);
    rows.set(code, byPeriod);
  };
  for (const inv of accountInvoices(ws, account)) for (const l of inv.LineList) add(l.ProductCode, inv.Period, l.Quantity, l.Amount, true);
  const current = monthOf(ws.now());
  const now = smsConsumption(ws, account).find((m) => m.Period === current);
  if (now && now.Units > 0) add(fx.smsProductCode, current, now.Units, roundAmount(Math.round(now.AmountExclTax * 100) / 100), false);
  return [...rows.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([code, byPeriod]) => {
      const p = fx.products.find((x) => x.Code === code) ?? { Code: code, Name: code, UnitPrice: 0 };
      const periods = [...byPeriod.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([Period, r]) => ({ Period, ...r }));
      return {
        ProductCode: p.Code,
        Name: p.Name,
        UnitPrice: p.UnitPrice,
        Currency: fx.currency,
        Quantity: roundAmount(periods.reduce((a, r) => a + r.Quantity, 0)),
        Amount: roundAmount(periods.reduce((a, r) => a + r.Amount, 0)),
        PeriodList: periods,
      };
    });
}

/** The invoice's text lines (the PDF's content). */
export function invoiceLines(customer: CustomerFixture, inv: InvoiceView): string[] {
  const money = (n: number) => `${n.toFixed(2)} ${inv.Currency}`;
  return [
    `Client: ${customer.CompanyName} (n° ${customer.ID})`,
    ...(['Address', 'ZipCode', 'City', 'VatNumber'] as const).filter((k) => customer[k]).map((k) => `${k}: ${String(customer[k])}`),
    `Période: ${inv.Period}`,
    `Date: ${inv.Date.slice(0, 10)}   Échéance: ${inv.DueDate.slice(0, 10)}   Statut: ${inv.Status}`,
    '',
    ...inv.LineList.map((l) => `${l.Name} (${l.ProductCode}): ${l.Quantity} x ${l.UnitPrice} = ${money(l.Amount)}`),
    '',
    `Total HT: ${money(inv.AmountExclTax)}`,
    `TVA: ${money(inv.VatAmount)}`,
    `Total TTC: ${money(inv.AmountInclTax)}`,
  ];
}
