// Push campaigns (SMS/TTS/voice and mail) and their life on the workspace clock:
//
//   created --(hd_send in the future)--> status 0 "non traité" --(hd_send)--> start
//   created --(otherwise)--> start: status 1 "en cours", one delivery per message with status "2"
//                                   and date_send = the start, then status 2 "push traité" 1 s later
//   each delivery: "2" --(receipt)--> "3" delivered (SMS, mail) | "6" (TTS/voice) | "4" failed
//
// Costs are checked against the owner's units at creation (402, nothing created) and debited at
// once; deleting a deferred campaign refunds them. Everything here is plain values in, records
// out: the handlers translate HTTP to these calls and the records back to the vendor's shapes.
import { SimError, invalid, notFound } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import { decide } from '../../core/outcomes.js';
import type { Workspace } from '../../core/workspace.js';
import { canAfford, credit, debit, unitsOf, type Principal } from './accounts.js';
import { collapse, isEmail, normalizePhone, parseEmailList, parseNumberList, recipientKey } from './addresses.js';
import { contactsOf, matchCriteria, type ContactRec } from './contacts.js';
import { formatCompact, parseLocal } from './dates.js';
import { mailCost, messageCost, smsSegments, type PushType } from './pricing.js';
import { API_ID, cleverFixtures, nextId } from './style.js';

export const EV = {
  start: 'clever.push.start',
  processed: 'clever.push.processed',
  receipt: 'clever.delivery.receipt',
  cascade: 'clever.delivery.cascade',
} as const;

export type Channel = 'sms' | 'mail';
/** How the recipients were chosen: an explicit list, criteria over contacts, or all contacts. */
export type Source = 'list' | 'criteria' | 'broadcast';
export type DeliveryStatus = '2' | '3' | '4' | '6';

interface Recipient {
  address: string;
  /** Cascade target (the contact's gsm_secondary) when `cascade=1`. */
  secondary?: string;
}

export interface CampaignData {
  /** Numeric id: one sequence shared by message and mail campaigns. */
  seq: number;
  reference: string;
  channel: Channel;
  source: Source;
  owner: number;
  status: 0 | 1 | 2;
  /** Deleted (cancelled) deferred campaigns stay as tombstones so references are never reused. */
  deleted: boolean;
  createdAt: number;
  /** The requested `hd_send`, or the creation instant. */
  hdSend: number;
  startedAt: number | null;
  /** Deliveries created so far (numbers them without scanning the table). */
  sent: number;
  recipients: Recipient[];
  text: string;
  unit: number;
  duplicates: 0 | 1;
  type_push: PushType | 'mail';
  /** Message campaigns. */
  nbSms: number;
  encodage: 3 | 4 | null;
  short_code: string;
  options: 'F0' | 'F1';
  filename: string | null;
  gsm_routage_mo: string | null;
  mail_routage_mo: string | null;
  cascade: 0 | 1;
  time_cascade: number;
  /** Mail campaigns. */
  email_subject: string | null;
  type_mail: 'brut' | 'html' | null;
  open_tag: 0 | 1;
}

export interface CampaignRec extends Rec, CampaignData {}

export interface DeliveryRec extends Rec {
  campaign: string;
  n: number;
  recipient: string;
  typemessage: PushType | 'mail';
  status: DeliveryStatus;
  date_send: number;
  date_receive: number | null;
  /** Whose unanswered delivery may cascade, and where to. */
  cascadeTo: string | null;
}

export interface MoRec extends Rec {
  campaign: string;
  recipient: string;
  message: string;
  date_receive: number;
}

export const campaignsTable = (ws: Workspace) => ws.table<CampaignRec>(API_ID, 'campaigns');
export const deliveriesTable = (ws: Workspace) => ws.table<DeliveryRec>(API_ID, 'deliveries');
export const mosTable = (ws: Workspace) => ws.table<MoRec>(API_ID, 'mos');

// ---- creation --------------------------------------------------------------------------------

interface CommonInput {
  source: Source;
  /** Explicit list (source `list`): the raw `number_list` / `email_list`. */
  list?: unknown;
  criteria?: string;
  text: string;
  hd_send?: string;
  filename?: string;
  duplicates: 0 | 1;
  /** `text` names a predefined message (criteria and broadcast campaigns). */
  predefined: boolean;
}

export interface MessageCampaignInput extends CommonInput {
  type_push: PushType;
  encodage: 3 | 4;
  short_code?: string;
  options?: 'F0' | 'F1';
  gsm_routage_mo?: string;
  mail_routage_mo?: string;
  all_number: 0 | 1;
  cascade: 0 | 1;
  time_cascade: number;
}

export interface MailCampaignInput extends CommonInput {
  email_subject: string;
  type_mail: 'brut' | 'html';
  open_tag: 0 | 1;
}

/** `predefined_message=1`: the text is the title of a predefined message; its content is sent. */
function resolveText(ws: Workspace, text: string, predefined: boolean): string {
  if (!predefined) return text;
  const title = text.trim();
  const msg = cleverFixtures(ws).predefined_messages.find((m) => m.title === title);
  if (!msg) throw invalid(`no predefined message has the title '${title}' (see GET /api/predefinedmessage)`, { field: 'text' });
  return msg.text;
}

/** When to send: the requested `hd_send` (Paris wall time), or now. */
function sendTime(ws: Workspace, hdSend: string | undefined): number {
  if (hdSend === undefined || hdSend === null || hdSend === '') return ws.now();
  const at = parseLocal(String(hdSend));
  if (at === undefined) throw invalid(`hd_send '${hdSend}' is not a valid date (format Y-m-d H:i:s)`, { field: 'hd_send' });
  return at;
}

/** The numbers of a contact a message campaign sends to. */
function contactNumbers(c: ContactRec, allNumbers: boolean, cascade: boolean): Recipient[] {
  const numbers = allNumbers
    ? [c.gsm_primary, c.gsm_secondary, c.landline_primary, c.landline_secondary]
    : [c.gsm_primary];
  const valid = numbers.map((n) => (n ? normalizePhone(String(n)) : undefined)).filter((n): n is string => Boolean(n));
  const secondary = cascade && !allNumbers && c.gsm_secondary ? normalizePhone(String(c.gsm_secondary)) : undefined;
  return valid.map((address, i) => (i === 0 && secondary ? { address, secondary } : { address }));
}

function contactsFor(ws: Workspace, owner: number, input: CommonInput): ContactRec[] {
  if (input.source === 'criteria') return matchCriteria(ws, owner, String(input.criteria ?? ''));
  return contactsOf(ws, owner);
}

function shortReference(ws: Workspace, at: number): string {
  const base = `Push${formatCompact(at)}`;
  const t = campaignsTable(ws);
  const used = (ref: string) => Boolean(t.find((c) => c.reference === ref));
  if (!used(base)) return base;
  // Two campaigns in the same second: the vendor's form would collide; keep references unique.
  for (let n = 2; ; n++) if (!used(`${base}-${n}`)) return `${base}-${n}`;
}

/** `Push` + YmdHis + `10` + PHP uniqid (8 hex seconds + 5 hex microseconds) + 18 random hex. */
function longReference(ws: Workspace, at: number): string {
  const uniqid = Math.floor(at / 1000).toString(16).padStart(8, '0') + ((at % 1000) * 1000).toString(16).padStart(5, '0');
  const t = campaignsTable(ws);
  for (;;) {
    const ref = `Push${formatCompact(at)}10${uniqid}${ws.rng.hex(18)}`;
    if (!t.find((c) => c.reference === ref)) return ref;
  }
}

function paymentRequired(ws: Workspace, owner: number, unit: number): SimError {
  return new SimError('payment', `the campaign costs ${unit} units, ${unitsOf(ws, owner)} available`);
}

export function createMessageCampaign(ws: Workspace, p: Principal, input: MessageCampaignInput): CampaignRec {
  const fx = cleverFixtures(ws);
  const text = resolveText(ws, input.text, input.predefined);
  let recipients: Recipient[];
  if (input.source === 'list') recipients = parseNumberList(input.list).map((address) => ({ address }));
  else recipients = contactsFor(ws, p.owner, input).flatMap((c) => contactNumbers(c, input.all_number === 1, input.cascade === 1));
  recipients = collapse(recipients, (r) => recipientKey(r.address), input.duplicates === 1);
  const hdSend = sendTime(ws, input.hd_send);
  const nbSms = smsSegments(text, input.encodage);
  const unit = messageCost(input.type_push, nbSms, fx.pricing) * recipients.length;
  if (!canAfford(ws, p.owner, unit)) throw paymentRequired(ws, p.owner, unit);
  const now = ws.now();
  return insertCampaign(ws, p, {
    reference: input.source === 'list' ? shortReference(ws, now) : longReference(ws, now),
    channel: 'sms',
    source: input.source,
    hdSend,
    recipients,
    text,
    unit,
    duplicates: input.duplicates,
    type_push: input.type_push,
    nbSms,
    encodage: input.encodage,
    short_code: input.short_code ?? '',
    options: input.options ?? 'F1',
    filename: input.filename ?? null,
    gsm_routage_mo: input.gsm_routage_mo ?? null,
    mail_routage_mo: input.mail_routage_mo ?? null,
    cascade: input.cascade,
    time_cascade: input.time_cascade,
    email_subject: null,
    type_mail: null,
    open_tag: 0,
  });
}

export function createMailCampaign(ws: Workspace, p: Principal, input: MailCampaignInput): CampaignRec {
  const fx = cleverFixtures(ws);
  const text = resolveText(ws, input.text, input.predefined);
  let addresses: string[];
  if (input.source === 'list') addresses = parseEmailList(input.list);
  else addresses = contactsFor(ws, p.owner, input).map((c) => String(c.email ?? '').trim()).filter((e) => e && isEmail(e));
  const recipients = collapse(addresses, recipientKey, input.duplicates === 1).map((address) => ({ address }));
  const hdSend = sendTime(ws, input.hd_send);
  const unit = mailCost(fx.pricing) * recipients.length;
  if (!canAfford(ws, p.owner, unit)) throw paymentRequired(ws, p.owner, unit);
  return insertCampaign(ws, p, {
    reference: shortReference(ws, ws.now()),
    channel: 'mail',
    source: input.source,
    hdSend,
    recipients,
    text,
    unit,
    duplicates: input.duplicates,
    type_push: 'mail',
    nbSms: 0,
    encodage: null,
    short_code: '',
    options: 'F1',
    filename: input.filename ?? null,
    gsm_routage_mo: null,
    mail_routage_mo: null,
    cascade: 0,
    time_cascade: 0,
    email_subject: input.email_subject,
    type_mail: input.type_mail,
    open_tag: input.open_tag,
  });
}

type NewCampaign = Omit<CampaignData, 'id' | 'seq' | 'owner' | 'status' | 'deleted' | 'createdAt' | 'startedAt' | 'sent'>;

function insertCampaign(ws: Workspace, p: Principal, values: NewCampaign): CampaignRec {
  const now = ws.now();
  const seq = nextId(ws, 'campaign');
  const c = campaignsTable(ws).put({ ...values, id: String(seq), seq, owner: p.owner, status: 0, deleted: false, createdAt: now, startedAt: null, sent: 0 });
  if (!debit(ws, p.owner, c.unit, `push ${c.reference} (${c.recipients.length} ${c.channel === 'mail' ? 'mail' : c.type_push})`, c.reference)) {
    // canAfford was checked just before: only a concurrent change of the balance gets here.
    campaignsTable(ws).remove(c.id);
    throw paymentRequired(ws, p.owner, c.unit);
  }
  ws.emit(API_ID, 'push_created', { reference: c.reference, channel: c.channel, recipients: c.recipients.length, unit: c.unit, hd_send: new Date(c.hdSend).toISOString() });
  if (c.hdSend > now) ws.schedule(EV.start, c.hdSend, { campaign: c.id });
  else start(ws, c);
  return c;
}

// ---- lifecycle -------------------------------------------------------------------------------

function setStatus(ws: Workspace, c: CampaignRec, status: 0 | 1 | 2): void {
  c.status = status;
  campaignsTable(ws).touch(c);
  ws.emit(API_ID, 'push_status_change', { reference: c.reference, status });
}

/** Status 1, one delivery "2" per message, receipts and the "processed" step on the clock. */
function start(ws: Workspace, c: CampaignRec): void {
  const now = ws.now();
  c.startedAt = now;
  if (!c.recipients.length) {
    setStatus(ws, c, 2);
    return;
  }
  setStatus(ws, c, 1);
  c.recipients.forEach((r) => send(ws, c, r.address, r.secondary ?? null));
  ws.schedule(EV.processed, now + cleverFixtures(ws).timings.processedAfterMs, { campaign: c.id });
}

function send(ws: Workspace, c: CampaignRec, address: string, cascadeTo: string | null): DeliveryRec {
  const now = ws.now();
  const n = ++c.sent;
  campaignsTable(ws).touch(c);
  const d = deliveriesTable(ws).put({
    id: `${c.id}.${n}`,
    campaign: c.id,
    n,
    recipient: address,
    typemessage: c.type_push,
    status: '2',
    date_send: now,
    date_receive: null,
    cascadeTo,
  });
  const plan = receiptPlan(ws, c, address);
  if (plan.status) {
    if (plan.afterMs <= 0) receive(ws, d, plan.status, plan.event);
    else ws.schedule(EV.receipt, now + plan.afterMs, { delivery: d.id, status: plan.status, event: plan.event ?? null });
  }
  if (cascadeTo) ws.schedule(EV.cascade, now + c.time_cascade * 60_000, { delivery: d.id });
  return d;
}

interface ReceiptPlan {
  /** Final status, or null when no receipt ever comes (stays "2"). */
  status: DeliveryStatus | null;
  afterMs: number;
  /** A mail event to record with the receipt (open, click, complaint, unsubscribe). */
  event?: string;
}

/** Outcome of one message: scenario rule, else test number / test address, else delivered. */
function receiptPlan(ws: Workspace, c: CampaignRec, address: string): ReceiptPlan {
  const t = cleverFixtures(ws).timings;
  const delivered: DeliveryStatus = c.type_push === 'tts' || c.type_push === 'voice' ? '6' : '3';
  const deliveredAfter = c.channel === 'mail' ? t.mailReceiptMs : delivered === '6' ? t.voiceReceiptMs : t.smsReceiptMs;
  const mail = c.channel === 'mail';
  const point = { on: 'push', api: API_ID, facts: { reference: c.reference, channel: c.channel, type_push: c.type_push, recipient: address, text: c.text } };
  return decide<ReceiptPlan>(ws, point, address, {
    scenario(f) {
      const status = f.status === undefined ? delivered : (String(f.status) as DeliveryStatus);
      const afterMs = typeof f.afterMs === 'number' ? f.afterMs : deliveredAfter;
      return { status: status === '2' ? null : status, afterMs };
    },
    testAddress: mail
      ? (tag) => (tag === 'bounce' || tag === 'softbounce' ? { status: '4', afterMs: t.mailReceiptMs, event: tag } : { status: '3', afterMs: t.mailReceiptMs, event: tag })
      : undefined,
    testNumber: mail
      ? undefined
      : (outcome) => {
          switch (outcome) {
            case 'fail':
              return { status: '4', afterMs: t.failAfterMs };
            case 'expire':
              return { status: null, afterMs: 0 };
            case 'read':
              return { status: delivered, afterMs: t.readAfterMs };
            case 'reject':
              return { status: '4', afterMs: 0 };
            case 'timeout':
              return { status: '4', afterMs: t.carrierTimeoutMs };
          }
        },
    otherwise: () => ({ status: mail ? '3' : delivered, afterMs: deliveredAfter }),
  });
}

function receive(ws: Workspace, d: DeliveryRec, status: DeliveryStatus, event?: string | null): void {
  if (d.status !== '2') return;
  d.status = status;
  d.date_receive = ws.now();
  deliveriesTable(ws).touch(d);
  const c = campaignsTable(ws).get(d.campaign);
  ws.emit(API_ID, 'delivery_status_change', { reference: c?.reference ?? null, recipient: d.recipient, typemessage: d.typemessage, status });
  if (event && c) ws.emit(API_ID, `mail_${event}`, { reference: c.reference, recipient: d.recipient, open_tag: c.open_tag });
}

export function eventHandlers(): Record<string, (ws: Workspace, data: Record<string, unknown>) => void> {
  return {
    [EV.start]: (ws, data) => {
      const c = campaignsTable(ws).get(String(data.campaign));
      if (c && !c.deleted && c.status === 0) start(ws, c);
    },
    [EV.processed]: (ws, data) => {
      const c = campaignsTable(ws).get(String(data.campaign));
      if (c && !c.deleted && c.status === 1) setStatus(ws, c, 2);
    },
    [EV.receipt]: (ws, data) => {
      const d = deliveriesTable(ws).get(String(data.delivery));
      if (d) receive(ws, d, String(data.status) as DeliveryStatus, data.event as string | null);
    },
    [EV.cascade]: (ws, data) => {
      // The primary number was not acknowledged in time: send to the contact's secondary number,
      // billed now (skipped, with an event, when the units are short).
      const d = deliveriesTable(ws).get(String(data.delivery));
      if (!d || !d.cascadeTo || d.status === '3' || d.status === '6') return;
      const c = campaignsTable(ws).get(d.campaign);
      if (!c || c.deleted) return;
      const cost = messageCost(c.type_push as PushType, c.nbSms, cleverFixtures(ws).pricing);
      if (!debit(ws, c.owner, cost, `push ${c.reference} cascade to ${d.cascadeTo}`, c.reference)) {
        ws.emit(API_ID, 'cascade_skipped', { reference: c.reference, recipient: d.cascadeTo, reason: 'insufficient credit' });
        return;
      }
      c.unit += cost;
      campaignsTable(ws).touch(c);
      send(ws, c, d.cascadeTo, null);
    },
  };
}

// ---- reads and deletion ----------------------------------------------------------------------

/** The caller's campaign of this channel: 404 unknown/deleted/foreign, 405 the other channel. */
export function campaignOf(ws: Workspace, p: Principal, reference: string, channel: Channel): CampaignRec {
  const c = campaignsTable(ws).find((x) => x.reference === reference && !x.deleted);
  if (!c || c.owner !== p.owner) throw notFound(`no campaign ${reference}`, { field: 'referencePush' });
  if (c.channel !== channel) {
    const [is, use] = c.channel === 'mail' ? ['a mail campaign', '/api/pushsmails'] : ['a message campaign', '/api/pushs'];
    throw new SimError('method_not_allowed', `${reference} is ${is}; use ${use}/${reference}`, { field: 'referencePush' });
  }
  return c;
}

/** DELETE: only a deferred campaign that has not started; its units come back. */
export function deleteCampaign(ws: Workspace, p: Principal, reference: string, channel: Channel): void {
  const c = campaignOf(ws, p, reference, channel);
  if (c.status !== 0) {
    throw new SimError('method_not_allowed', `campaign ${reference} has already started (status ${c.status}); only a deferred campaign can be deleted`, { field: 'referencePush' });
  }
  c.deleted = true;
  campaignsTable(ws).touch(c);
  credit(ws, c.owner, c.unit, `push ${c.reference} deleted before sending`, c.reference);
  ws.emit(API_ID, 'push_deleted', { reference: c.reference, refunded: c.unit });
}

export function deliveriesOf(ws: Workspace, c: CampaignRec): DeliveryRec[] {
  return deliveriesTable(ws)
    .filter((d) => d.campaign === c.id)
    .sort((a, b) => a.date_send - b.date_send || a.n - b.n);
}

export function mosOf(ws: Workspace, c: CampaignRec): MoRec[] {
  return mosTable(ws).filter((m) => m.campaign === c.id);
}

// ---- MOs -------------------------------------------------------------------------------------

/**
 * An end user's SMS reply (control API `inject/mo-message` or a scenario timeline): attached to the
 * named campaign (`reference`), else to the latest started SMS campaign that sent to `from`.
 * not_found when no campaign of this workspace sent to that number, so the runtime can offer
 * the reply to another API's simulator.
 */
export function receiveMo(ws: Workspace, body: Record<string, unknown>): { reference: string; mo: MoRec } {
  const fromRaw = String(body.from ?? '').trim();
  if (!fromRaw) throw invalid('mo-message needs "from" (the number replying, international format)');
  const from = normalizePhone(fromRaw);
  if (!from) throw invalid(`"from" must be a phone number in international format (+336xxxxxxxx), not '${fromRaw}'`);
  const text = body.body === undefined || body.body === null ? '' : String(body.body);
  // One pass over the deliveries: the campaigns that sent an SMS to this number.
  const replied = new Set(deliveriesTable(ws).filter((d) => d.recipient === from && d.typemessage === 'sms').map((d) => d.campaign));
  const sentTo = (c: CampaignRec) => replied.has(c.id);
  let campaign: CampaignRec | undefined;
  if (body.reference !== undefined && body.reference !== null) {
    const ref = String(body.reference);
    campaign = campaignsTable(ws).find((c) => c.reference === ref && !c.deleted);
    if (!campaign) throw notFound(`no clever campaign ${ref}`);
    if (campaign.channel !== 'sms' || !sentTo(campaign)) throw invalid(`campaign ${ref} sent no SMS to ${from}; only its recipients can reply to it`);
  } else {
    campaign = campaignsTable(ws)
      .filter((c) => !c.deleted && c.channel === 'sms' && c.startedAt !== null && Boolean(sentTo(c)))
      .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0) || b.seq - a.seq)[0];
    if (!campaign) throw notFound(`no clever SMS campaign of workspace ${ws.id} sent to ${from}`);
  }
  const n = mosTable(ws).filter((m) => m.campaign === campaign!.id).length + 1;
  const mo = mosTable(ws).put({ id: `${campaign.id}.${n}`, campaign: campaign.id, recipient: from, message: text, date_receive: ws.now() });
  ws.emit(API_ID, 'mo_received', { reference: campaign.reference, recipient: from, message: text });
  if (campaign.gsm_routage_mo || campaign.mail_routage_mo) {
    ws.emit(API_ID, 'mo_forwarded', {
      reference: campaign.reference,
      recipient: from,
      message: text,
      gsm_routage_mo: campaign.gsm_routage_mo,
      mail_routage_mo: campaign.mail_routage_mo,
    });
  }
  return { reference: campaign.reference, mo };
}

// ---- mail opens and clicks -------------------------------------------------------------------

/**
 * A recipient opens (or clicks in) a delivered mail (control API `inject/email-open`,
 * `inject/email-click`, or a scenario timeline): `{recipient, reference?, url?}`. The latest mail
 * campaign that delivered to the address, or the named one; recorded as a `mail_open` /
 * `mail_click` event (a click counts as an open too).
 */
export function mailEngagement(ws: Workspace, body: Record<string, unknown>, kind: 'open' | 'click'): { reference: string; recipient: string } {
  const recipient = String(body.recipient ?? body.email ?? '').trim().toLowerCase();
  if (!recipient.includes('@')) throw invalid(`email-${kind} needs "recipient" (the email address of a mail delivery)`, { field: 'recipient' });
  const ref = body.reference === undefined || body.reference === null ? undefined : String(body.reference);
  const byCampaign = new Map(campaignsTable(ws).filter((c) => !c.deleted && c.channel === 'mail' && (!ref || c.reference === ref)).map((c) => [c.id, c]));
  if (ref && !byCampaign.size) throw notFound(`no clever mail campaign ${ref}`, { field: 'reference' });
  const mine = deliveriesTable(ws).filter((d) => byCampaign.has(d.campaign) && d.recipient.toLowerCase() === recipient);
  if (!mine.length) throw notFound(`no clever mail campaign${ref ? ` ${ref}` : ''} of workspace ${ws.id} sent to ${recipient}`, { field: 'recipient' });
  const delivered = mine.filter((d) => d.status === '3').sort((a, b) => b.date_send - a.date_send || b.n - a.n)[0];
  if (!delivered) throw invalid(`the mail to ${recipient} is not delivered (status ${mine[0].status}); only a delivered mail can be opened`, { field: 'recipient' });
  const c = byCampaign.get(delivered.campaign)!;
  const url = body.url === undefined || body.url === null ? null : String(body.url);
  if (kind === 'click') ws.emit(API_ID, 'mail_open', { reference: c.reference, recipient: delivered.recipient, open_tag: c.open_tag });
  ws.emit(API_ID, `mail_${kind}`, { reference: c.reference, recipient: delivered.recipient, open_tag: c.open_tag, ...(kind === 'click' ? { url } : {}) });
  return { reference: c.reference, recipient: delivered.recipient };
}
