// Push campaigns, acknowledgements and MOs: HTTP <-> campaigns.ts. Each creation operation
// answers exactly the keys of its seed example (PushCreated, PushBroadcastCreated,
// PushMailCreated, ...); GET answers the 3.19/3.20 shapes whatever created the campaign.
import type { HandlerContext } from '../../../core/api.js';
import type { OperationHandlers, TypedHandler } from '../../../core/contract-types.js';
import type { Workspace } from '../../../core/workspace.js';
import {
  campaignOf,
  createMailCampaign,
  createMessageCampaign,
  deleteCampaign,
  deliveriesOf,
  mosOf,
  type CampaignRec,
  type Source,
} from '../campaigns.js';
import { formatIso8601, formatLocal } from '../dates.js';
import type { operations } from '../generated/contract.js';
import type { PushType } from '../pricing.js';
import { flag } from '../style.js';
import { duplicatesOf } from './contacts.js';
import { datasOf, NO_CONTENT, principalOf, str } from './common.js';

const numberList = (c: CampaignRec) => c.recipients.map((r) => r.address).join(';');
/** The mail broadcast's list is `,`-joined in both the seed's example and its capture. */
const emailList = (c: CampaignRec) => c.recipients.map((r) => r.address).join(c.source === 'broadcast' ? ',' : ';');

/** POST /api/pushs and /api/pushscriterias (seed 3.11, 3.13). */
function renderPushCreated(c: CampaignRec) {
  return {
    reference: c.reference,
    nb_destination: c.recipients.length,
    number_list: numberList(c),
    encodage: c.encodage,
    text: c.text,
    hd_send: formatLocal(c.hdSend),
    filename: c.filename ?? 'noFile',
    type_push: c.type_push,
    unit: c.unit,
    nb_sms: c.nbSms,
    duplicates: c.duplicates,
  };
}

/** POST /api/pushsbroadcasts (seed 3.15 and its capture, quirks included). */
function renderPushBroadcastCreated(c: CampaignRec) {
  return {
    id: c.seq,
    reference: c.reference,
    nb_destination: c.recipients.length,
    number_list: numberList(c),
    encodage: c.encodage,
    text: c.text,
    date_entry: formatIso8601(c.createdAt),
    hd_send: formatIso8601(c.hdSend),
    type_push: c.type_push,
    unit: c.unit,
    nb_sms: c.nbSms,
    options: c.options,
    way: 1,
    duplicates: String(c.duplicates),
    mail_routage_mo: c.mail_routage_mo ?? '',
    gsm_routage_mo: c.gsm_routage_mo ?? '',
  };
}

/** GET /api/pushs/{referencePush} (seed 3.19). */
function renderPush(c: CampaignRec) {
  return {
    reference: c.reference,
    nb_destination: c.recipients.length,
    number_list: numberList(c),
    status: c.status,
    short_code: c.short_code,
    encodage: c.encodage,
    text: c.text,
    hd_send: formatLocal(c.hdSend),
    ...(c.filename ? { filename: c.filename } : {}),
    type_push: c.type_push,
    unit: c.unit,
    nb_sms: c.nbSms,
    options: c.options,
  };
}

/** POST /api/pushsmails (seed 3.12). */
function renderMailCreated(c: CampaignRec) {
  return {
    reference: c.reference,
    email_list: emailList(c),
    text: c.text,
    email_subject: c.email_subject,
    hd_send: formatLocal(c.hdSend),
    filename: c.filename ?? 'noFile',
    unit: c.unit,
    nb_mail: c.recipients.length,
    open_tag: c.open_tag,
    type_mail: c.type_mail,
    duplicates: c.duplicates,
  };
}

/** POST /api/pushsmailcriterias (seed 3.14): with the status at the time of the answer. */
function renderMailCriteriaCreated(c: CampaignRec) {
  return {
    reference: c.reference,
    email_list: emailList(c),
    status: c.status,
    text: c.text,
    email_subject: c.email_subject,
    hd_send: formatLocal(c.hdSend),
    type_push: 'mail',
    unit: c.unit,
    nb_mail: c.recipients.length,
    open_tag: c.open_tag,
    type_mail: c.type_mail,
    duplicates: c.duplicates,
  };
}

/** POST /api/pushsmailbroadcasts (seed 3.16 plus the `id` of its capture). */
function renderMailBroadcastCreated(c: CampaignRec) {
  return {
    id: c.seq,
    reference: c.reference,
    email_list: emailList(c),
    text: c.text,
    email_subject: c.email_subject,
    hd_send: formatLocal(c.hdSend),
    type_push: 'mail',
    unit: c.unit,
    nb_mail: c.recipients.length,
    open_tag: c.open_tag,
    type_mail: c.type_mail,
    duplicates: c.duplicates,
  };
}

/** GET /api/pushsmails/{referencePush} (seed 3.20). */
function renderPushMail(c: CampaignRec) {
  return {
    reference: c.reference,
    email_list: emailList(c),
    status: c.status,
    text: c.text,
    email_subject: c.email_subject,
    hd_send: formatLocal(c.hdSend),
    ...(c.filename ? { filename: c.filename } : {}),
    type_push: 'mail',
    unit: c.unit,
    nb_mail: c.recipients.length,
    open_tag: c.open_tag,
    type_mail: c.type_mail,
  };
}

function createMessage(ctx: HandlerContext, source: Source): CampaignRec {
  const d = datasOf(ctx);
  const type = str(d.type_push);
  return createMessageCampaign(ctx.ws, principalOf(ctx), {
    source,
    list: d.number_list,
    criteria: str(d.criteria),
    text: String(d.text),
    hd_send: str(d.hd_send),
    filename: str(d.filename),
    duplicates: duplicatesOf(ctx),
    // predefined_message exists for criteria and broadcast campaigns only (seed 3.13-3.16).
    predefined: source !== 'list' && flag(d.predefined_message) === 1,
    // `text` is the default the seed names in 3.13/3.15: the same as `sms`.
    type_push: (type === undefined || type === 'text' ? 'sms' : type) as PushType,
    encodage: Number(d.encodage) === 4 ? 4 : 3,
    short_code: str(d.short_code),
    options: str(d.options) as 'F0' | 'F1' | undefined,
    gsm_routage_mo: str(d.gsm_routage_mo) || undefined,
    mail_routage_mo: str(d.mail_routage_mo) || undefined,
    all_number: flag(d.all_number),
    cascade: flag(d.cascade),
    time_cascade: Number(d.time_cascade ?? 0) || 0,
  });
}

function createMail(ctx: HandlerContext, source: Source): CampaignRec {
  const d = datasOf(ctx);
  return createMailCampaign(ctx.ws, principalOf(ctx), {
    source,
    list: d.email_list,
    criteria: str(d.criteria),
    text: String(d.text),
    hd_send: str(d.hd_send),
    filename: str(d.filename),
    duplicates: duplicatesOf(ctx),
    predefined: source !== 'list' && flag(d.predefined_message) === 1,
    email_subject: String(d.email_subject),
    type_mail: str(d.type_mail) === 'html' ? 'html' : 'brut',
    open_tag: flag(d.open_tag),
  });
}

function renderDeliveries(ws: Workspace, c: CampaignRec) {
  return deliveriesOf(ws, c).map((d) => {
    const receive = d.date_receive === null ? {} : { date_receive: formatLocal(d.date_receive) };
    return c.channel === 'mail'
      ? { subject: c.email_subject ?? '', body: c.text, reply_to: '', date_send: formatLocal(d.date_send), ...receive, recipient: d.recipient, status: d.status }
      : { message: c.text, typemessage: d.typemessage, date_send: formatLocal(d.date_send), ...receive, recipient: d.recipient, status: d.status };
  });
}

/** The handler of operations (an operation and the alias of its path share one). */
type H<Id extends keyof operations> = TypedHandler<operations, Id>;

export function campaignHandlers(): OperationHandlers<operations> {
  const ref = (ctx: { params: { referencePush: string } }) => ctx.params.referencePush;
  const createPushMail: H<'createPushMail' | 'createPushMailAlias'> = (ctx) => ({ status: 201, body: { push: renderMailCreated(createMail(ctx, 'list')) } });
  const createPushMailCriteria: H<'createPushMailCriteria' | 'createPushMailCriteriaAlias'> = (ctx) => ({ status: 201, body: { push: renderMailCriteriaCreated(createMail(ctx, 'criteria')) } });
  const createPushMailBroadcast: H<'createPushMailBroadcast' | 'createPushMailBroadcastAlias'> = (ctx) => ({ status: 201, body: { push: renderMailBroadcastCreated(createMail(ctx, 'broadcast')) } });
  const getPushMail: H<'getPushMail' | 'getPushMailAlias'> = (ctx) => ({ body: { push: renderPushMail(campaignOf(ctx.ws, principalOf(ctx), ref(ctx), 'mail')) } });
  const deletePushMail: H<'deletePushMail' | 'deletePushMailAlias'> = (ctx) => {
    deleteCampaign(ctx.ws, principalOf(ctx), ref(ctx), 'mail');
    return NO_CONTENT;
  };
  const listPushMailDeliveries: H<'listPushMailDeliveries' | 'listPushMailDeliveriesAlias'> = (ctx) => ({
    body: { deliveries: renderDeliveries(ctx.ws, campaignOf(ctx.ws, principalOf(ctx), ref(ctx), 'mail')) },
  });
  return {
    createPush: (ctx) => ({ status: 201, body: { push: renderPushCreated(createMessage(ctx, 'list')) } }),
    createPushCriteria: (ctx) => ({ status: 201, body: { push: renderPushCreated(createMessage(ctx, 'criteria')) } }),
    createPushBroadcast: (ctx) => ({ status: 201, body: { push: renderPushBroadcastCreated(createMessage(ctx, 'broadcast')) } }),
    createPushMail,
    createPushMailAlias: createPushMail,
    createPushMailCriteria,
    createPushMailCriteriaAlias: createPushMailCriteria,
    createPushMailBroadcast,
    createPushMailBroadcastAlias: createPushMailBroadcast,
    getPush: (ctx) => ({ body: { push: renderPush(campaignOf(ctx.ws, principalOf(ctx), ref(ctx), 'sms')) } }),
    deletePush: (ctx) => {
      deleteCampaign(ctx.ws, principalOf(ctx), ref(ctx), 'sms');
      return NO_CONTENT;
    },
    getPushMail,
    getPushMailAlias: getPushMail,
    deletePushMail,
    deletePushMailAlias: deletePushMail,
    listPushDeliveries: (ctx) => ({ body: { deliveries: renderDeliveries(ctx.ws, campaignOf(ctx.ws, principalOf(ctx), ref(ctx), 'sms')) } }),
    listPushMailDeliveries,
    listPushMailDeliveriesAlias: listPushMailDeliveries,
    listPushMos: (ctx) => ({
      body: {
        mos: mosOf(ctx.ws, campaignOf(ctx.ws, principalOf(ctx), ref(ctx), 'sms')).map((m) => ({
          status: '5',
          date_receive: formatLocal(m.date_receive),
          recipient: m.recipient,
          message: m.message,
        })),
      },
    }),
  };
}
