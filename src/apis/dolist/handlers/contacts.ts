// Contact operations over HTTP: read, write, look up and search contacts, their interests, the
// statistics, and the unsubscribe form. The rules live in the domain modules (contacts.ts,
// contact-interests.ts, contact-stats.ts, unsubscribe-form.ts); this file reads requests and
// shapes answers.
import type { Handler, HandlerContext } from '../../../core/api.js';
import { listArray } from '../../../core/engine/array-list.js';
import { envelope, type PageInfo } from '../../../core/engine/query.js';
import { shapeOf } from '../../../core/engine/shape.js';
import type { LoadedSpec } from '../../../core/spec.js';
import { contactGroupInterests, contactInterests, operationModeOf, originOf, setContactInterests } from '../contact-interests.js';
import { contactLock } from '../contact-locks.js';
import { contactStats } from '../contact-stats.js';
import { createContact, deleteContact, fieldList, findByKeyValues, findContact, updateContact, accountContacts, type ContactRec, type FieldValueInput } from '../contacts.js';
import { dolistError } from '../error-catalogue.js';
import { findField } from '../fields.js';
import { callerAccount, NO_CONTENT, style } from '../style.js';
import { submitUnsubscribe } from '../unsubscribe-form.js';

/** A path or query id as a number. */
export const idParam = (ctx: HandlerContext, name: string) => Number(ctx.params[name] ?? ctx.query[name]);

/** The list envelope `{ItemList, Total}` of a page. */
export const listBody = (items: unknown[], page: PageInfo) => envelope(style.list, items, page);

export function contactOr404(ctx: HandlerContext, id: number): ContactRec {
  const account = callerAccount(ctx);
  const c = findContact(ctx.ws, account, id);
  if (!c) throw dolistError('401', `no contact ${id} in account ${account}`, 'ContactID');
  return c;
}

/** Field ids to show (`OutputFieldIdList` / `OutputFieldIDList`): each a field of the account, else 404 [415]. */
function outputFields(ctx: HandlerContext, raw: unknown, param: string): number[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const list = (Array.isArray(raw) ? raw : [raw]).map(Number);
  const account = callerAccount(ctx);
  for (const id of list) {
    if (!Number.isInteger(id)) throw dolistError('36', `${param} must list field ids`, param);
    if (!findField(ctx.ws, account, id)) throw dolistError('415', `no field ${id} in account ${account}`, param);
  }
  return list.length ? list : undefined;
}

/** A contact as the API shows it (`only`: the fields to include, in that order). */
export function renderContact(c: ContactRec, only?: number[]) {
  return {
    ID: c.ID,
    FieldList: fieldList(c, only),
    CreateDate: c.CreateDate,
    UpdateDate: c.UpdateDate,
    SubscribeDate: c.SubscribeDate,
    UnsubscribeDate: c.UnsubscribeDate,
    CreateOrigin: c.CreateOrigin,
    UpdateOrigin: c.UpdateOrigin,
    SaleManagementID: c.SaleManagementID,
  };
}

function fieldListOf(body: unknown): FieldValueInput[] {
  const list = (body as { FieldList?: unknown } | undefined)?.FieldList;
  if (!Array.isArray(list)) throw dolistError('36', 'the body must carry FieldList: [{"ID": <field id>, "Value": ...}]', 'FieldList');
  return list as FieldValueInput[];
}

export function contactHandlers(spec: LoadedSpec): Record<string, Handler> {
  const interestShape = shapeOf(spec.schemas.ContactInterest);
  const groupShape = shapeOf(spec.schemas.ContactGroupInterest);
  const contactShape = shapeOf(spec.schemas.Contact);
  const range = (field: string, op: 'gte' | 'lte') => ({ field, op, type: 'date' as const });

  return {
    getContactStatsCount: (ctx) => ({ status: 200, body: contactStats(ctx.ws, callerAccount(ctx), ctx.query.PermanentFilter === true, ctx.query.OptoutCategory) }),

    listContactInterests: (ctx) => {
      const c = contactOr404(ctx, idParam(ctx, 'ContactID'));
      const { items, page } = listArray({ shape: interestShape, list: style.list, search: ['Name', 'GroupName'] }, contactInterests(ctx.ws, callerAccount(ctx), c), ctx.query);
      return { status: 200, body: listBody(items, page) };
    },

    listContactGroupinterests: (ctx) => {
      const c = contactOr404(ctx, idParam(ctx, 'ContactID'));
      const { items, page } = listArray({ shape: groupShape, list: style.list, search: ['Name'] }, contactGroupInterests(ctx.ws, callerAccount(ctx), c), ctx.query);
      return { status: 200, body: listBody(items, page) };
    },

    updateContactInterests: (ctx) => {
      const mode = operationModeOf(ctx.query.OperationMode);
      const origin = originOf(ctx.query.ContactInterestOrigin);
      const ids = (ctx.body as { InterestIDList?: unknown } | undefined)?.InterestIDList;
      setContactInterests(ctx.ws, callerAccount(ctx), idParam(ctx, 'ContactID'), ids, mode, origin);
      return NO_CONTENT;
    },

    getContact: (ctx) => {
      const c = contactOr404(ctx, idParam(ctx, 'ContactID'));
      return { status: 200, body: renderContact(c, outputFields(ctx, ctx.query.OutputFieldIdList, 'OutputFieldIdList')) };
    },

    updateContact: (ctx) => {
      updateContact(ctx.ws, callerAccount(ctx), idParam(ctx, 'ContactID'), fieldListOf(ctx.body));
      return NO_CONTENT;
    },

    deleteContact: (ctx) => {
      const account = callerAccount(ctx);
      const c = contactOr404(ctx, idParam(ctx, 'ContactID'));
      const lock = contactLock(ctx.ws, account, c.ID);
      if (lock) throw dolistError('412', `contact ${c.ID} is locked: ${lock}`, 'ContactID');
      deleteContact(ctx.ws, account, c.ID);
      return NO_CONTENT;
    },

    contactExists: (ctx) => {
      const c = findByKeyValues(ctx.ws, callerAccount(ctx), fieldListOf(ctx.body));
      return { status: 200, body: { ID: c ? c.ID : null } };
    },

    searchContacts: (ctx) => {
      const body = (ctx.body ?? {}) as Record<string, unknown>;
      const account = callerAccount(ctx);
      const only = outputFields(ctx, body.OutputFieldIDList, 'OutputFieldIDList');
      const searchIn = outputFields(ctx, body.SearchFieldIDList, 'SearchFieldIDList');
      let contacts = accountContacts(ctx.ws, account);
      const sv = typeof body.SearchValue === 'string' ? body.SearchValue.trim().toLowerCase() : '';
      if (sv) {
        contacts = contacts.filter((c) => (searchIn ? searchIn.map(String) : Object.keys(c.Values)).some((k) => c.Values[k]?.toLowerCase().includes(sv)));
      }
      const { SearchValue: _s, SearchFieldIDList: _f, OutputFieldIDList: _o, ...rest } = body;
      const { items, page } = listArray(
        {
          shape: contactShape,
          list: style.list,
          filters: {
            SubscribedAfter: range('SubscribeDate', 'gte'),
            SubscribedBefore: range('SubscribeDate', 'lte'),
            UnsubscribedAfter: range('UnsubscribeDate', 'gte'),
            UnsubscribedBefore: range('UnsubscribeDate', 'lte'),
            UpdatedAfter: range('UpdateDate', 'gte'),
            UpdatedBefore: range('UpdateDate', 'lte'),
          },
          defaultSort: [{ field: 'ID', desc: false }],
        },
        contacts,
        rest,
      );
      return { status: 200, body: listBody(items.map((c) => renderContact(c, only)), page) };
    },

    createContact: (ctx) => {
      const body = ctx.body as { SaleManagementID?: number | null } | undefined;
      const c = createContact(ctx.ws, callerAccount(ctx), fieldListOf(ctx.body), { saleManagementId: body?.SaleManagementID ?? null });
      return { status: 201, body: { ID: c.ID } };
    },

    submitContactUnsubscribe: (ctx) => {
      const reason = (ctx.body as { Reason?: unknown } | undefined)?.Reason;
      const out = submitUnsubscribe(ctx.ws, callerAccount(ctx), {
        formId: idParam(ctx, 'FormID'),
        contactId: Number(ctx.query.ContactID),
        sendingId: Number(ctx.query.SendingID),
        occurrenceId: Number(ctx.query.OccurrenceID),
        keyCode: String(ctx.query.KeyCode ?? ''),
        reason: typeof reason === 'string' ? reason : undefined,
      });
      return { status: 200, body: out };
    },
  };
}
