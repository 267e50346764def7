// The two reads production clients of Dolist make around transactional email (not in the
// reference; `x-sim-source: public-description` in the spec): find a contact by its email
// address (`POST /contacts/read`) and list what was sent to a contact
// (`POST /statistics/email/sendings/transactional/search`), from the same state as the rest.
import type { Handler } from '../../../core/api.js';
import { fieldList, findByKeyValues, findContact } from '../contacts.js';
import { dolistError } from '../error-catalogue.js';
import { recipientsTable, sendingsTable } from '../sendings.js';
import { eventsByRecipient, recipientStateAt } from '../statistics.js';
import { callerAccount } from '../style.js';

const readContact: Handler = (ctx) => {
  const list = ctx.body?.Query?.FieldValueList;
  if (!Array.isArray(list) || !list.length) throw dolistError('36', 'Query.FieldValueList is required: the contact\'s key values [{ID, Value}]', 'Query.FieldValueList');
  const out = ctx.body?.OutputFieldIDList;
  if (out !== undefined && out !== null && !Array.isArray(out)) throw dolistError('36', 'OutputFieldIDList must be a list of field IDs', 'OutputFieldIDList');
  const c = findByKeyValues(ctx.ws, callerAccount(ctx), list);
  if (!c) return { status: 200, body: { FieldList: [] } };
  return { status: 200, body: { ID: c.ID, FieldList: fieldList(c, Array.isArray(out) ? out.map(Number).filter(Number.isInteger) : undefined) } };
};

const transactionalSearch: Handler = (ctx) => {
  const account = callerAccount(ctx);
  const raw = ctx.body?.SearchQuery?.ContactID;
  const contactId = Number(raw);
  if (raw === undefined || raw === null || raw === '' || !Number.isInteger(contactId)) throw dolistError('36', 'SearchQuery.ContactID is required (an integer)', 'SearchQuery.ContactID');
  if (!findContact(ctx.ws, account, contactId)) throw dolistError('401', `no contact ${contactId} in account ${account}`, 'SearchQuery.ContactID');
  const now = ctx.ws.now();
  const events = new Map<number, ReturnType<typeof eventsByRecipient>>();
  const items = recipientsTable(ctx.ws)
    .lookup('ContactID', contactId)
    .filter((r) => r.account === account && r.Channel === 'email')
    .flatMap((r) => {
      const s = sendingsTable(ctx.ws).peek(String(r.SendingID));
      // Transactional emails only (the production client's history of what it sent one by one).
      if (!s || !s.IsTransactional) return [];
      if (!events.has(s.ID)) events.set(s.ID, eventsByRecipient(ctx.ws, s));
      const occ = s.Occurrences.find((o) => o.OccurrenceID === r.OccurrenceID);
      const sendDate = r.SentDate ?? occ?.ScheduledDate ?? s.CreateDate;
      return [{ SendingID: s.ID, OccurrenceID: r.OccurrenceID, SendingName: s.Name, SendType: s.SendType, SendDate: sendDate, ...recipientStateAt(s, r, now, events.get(s.ID)!.get(r.id)) }];
    })
    .sort((a, b) => b.SendDate.localeCompare(a.SendDate) || b.SendingID - a.SendingID);
  return { status: 200, body: { ItemList: items, Total: items.length } };
};

export function transactionalReadHandlers(): Record<string, Handler> {
  return {
    readContact,
    searchTransactionalEmailSendingStatistics: transactionalSearch,
  };
}
