// Billing operations over HTTP: the customer, referent and late-payment standing (fixtures), the
// invoices and per-product history, the SMS consumption (the ledger), and an invoice as a PDF.
import type { Handler } from '../../../core/api.js';
import { textPdf } from '../../../core/pdf.js';
import { accountInvoices, customerOf, findInvoice, invoiceLines, productHistory, requireAccount, requireApplication, requireCustomer, smsConsumption, billingFixtures } from '../billing.js';
import { dolistError } from '../error-catalogue.js';
import { callerAccount } from '../style.js';
import { dateParam } from './stats-params.js';

const application = (v: unknown) => Number(v);

const customers: Handler = (ctx) => {
  requireApplication(ctx.ws, application(ctx.query.ApplicationID));
  return { status: 200, body: { ...customerOf(ctx.ws, callerAccount(ctx)), AccountID: Number(callerAccount(ctx)) } };
};

const referents: Handler = (ctx) => {
  requireApplication(ctx.ws, application(ctx.query.ApplicationID));
  const account = callerAccount(ctx);
  const r = billingFixtures(ctx.ws).referents[account];
  if (!r) throw dolistError('1101', `account ${account} has no billing referent`, 'AccountID');
  return { status: 200, body: { AccountID: Number(account), ...r } };
};

const latePayment: Handler = (ctx) => {
  const c = requireCustomer(ctx.ws, callerAccount(ctx), Number(ctx.query.CustomerID));
  const lp = billingFixtures(ctx.ws).latePayment[String(c.ID)] ?? { IsBlocked: false, LatePaymentAmount: 0, DueInvoiceCount: 0 };
  return { status: 200, body: { CustomerID: c.ID, IsAccredited: !lp.IsBlocked, ...lp, Currency: billingFixtures(ctx.ws).currency } };
};

const invoices: Handler = (ctx) => {
  const account = callerAccount(ctx);
  requireAccount(ctx.ws, account);
  const from = ctx.query.BeginDate === undefined ? -Infinity : dateParam(ctx, 'BeginDate');
  const to = ctx.query.EndDate === undefined ? Infinity : dateParam(ctx, 'EndDate');
  if (to < from) throw dolistError('36', 'EndDate must not be before BeginDate', 'EndDate');
  const items = accountInvoices(ctx.ws, account).filter((i) => Date.parse(i.Date) >= from && Date.parse(i.Date) <= to);
  return { status: 200, body: { ItemList: items, Total: items.length } };
};

const products: Handler = (ctx) => {
  requireApplication(ctx.ws, application(ctx.query.ApplicationID));
  const account = callerAccount(ctx);
  customerOf(ctx.ws, account);
  const items = productHistory(ctx.ws, account);
  return { status: 200, body: { ItemList: items, Total: items.length } };
};

const exportInvoice: Handler = (ctx) => {
  const account = callerAccount(ctx);
  const customer = requireCustomer(ctx.ws, account, Number(ctx.query.CustomerID));
  const inv = findInvoice(ctx.ws, account, String(ctx.query.InvoiceName ?? ''));
  const pdf = textPdf(`Facture ${inv.Name}`, invoiceLines(customer, inv));
  return { status: 200, raw: { data: pdf, contentType: 'application/pdf' }, headers: { 'content-disposition': `attachment; filename="${inv.Name}.pdf"` } };
};

const smsConsumptionOp: Handler = (ctx) => {
  requireApplication(ctx.ws, application(ctx.query.ApplicationID));
  const items = smsConsumption(ctx.ws, callerAccount(ctx));
  return { status: 200, body: { ItemList: items, Total: items.length, Units: items.reduce((a, m) => a + m.Units, 0) } };
};

export function billingHandlers(): Record<string, Handler> {
  return {
    getBillingCustomers: customers,
    getBillingReferents: referents,
    getBillingLatepayment: latePayment,
    listBillingInvoices: invoices,
    listBillingInvoiceProducts: products,
    exportInvoice,
    getBillingSmsConsumption: smsConsumptionOp,
  };
}
