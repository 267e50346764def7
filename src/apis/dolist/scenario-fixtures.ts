// A scenario's ready-made campaign world (fixtures keys of `fixtures.dolist`, all optional,
// loaded after the contact base): what other areas own but a bundled scenario needs before any
// request (senders, targets, contacts with test addresses, messages), and the plannings and
// sendings of the campaign itself, created through the same domain functions as the API (so
// they pass the same checks and run on the clock like any other). Records of other areas are
// written in their documented layouts, with their ids reserved in the `dolist/<table>` sequence.
//   scenarioSenders:   [{Channel: email|sms, ID, account, Email?, Name?}]    -> email_senders / sms_senders
//   scenarioTargets:   [{ID, account, Name, LastCountDate?}]                -> targets (placeholder layout)
//   scenarioContacts:  [{account, FieldList: [{ID, Value}]}]                -> contacts
//   scenarioMessages:  [{ID, account, Channel, Name, Subject?, SenderID, Html?, Text?}] -> messages
//   scenarioPlannings: [{Kind: OneTime|Recurrent, account, ...the create body}] -> plannings (ids 1, 2 ... in order)
//   scenarioSendings:  [{Channel, account, ...the create body}]             -> sendings (ids 1, 2 ... in order)
import { reserveInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { Workspace } from '../../core/workspace.js';
import { createContact, type FieldValueInput } from './contacts.js';
import { messagesTable, type Channel } from './messages.js';
import { createOneTimePlanning, createRecurrentPlanning } from './planning-catalogue.js';
import { createSending } from './sending-create.js';
import { API_ID, dolistFixtures } from './style.js';

type Row = Record<string, unknown>;

const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Row[]) : []);
const channelOf = (v: unknown): Channel => (String(v ?? 'email').toLowerCase() === 'sms' ? 'sms' : 'email');

function putWithId(ws: Workspace, table: string, rec: Row & { ID: number }): void {
  ws.table(API_ID, table).put({ ...rec, id: String(rec.ID) });
  reserveInSequence(ws, sequenceKey(API_ID, table), rec.ID, 1);
}

export function loadScenarioFixtures(ws: Workspace): void {
  const fx = dolistFixtures(ws);
  const now = new Date(ws.now()).toISOString();
  for (const s of rows(fx.scenarioSenders)) {
    const { Channel: ch, ...rest } = s;
    putWithId(ws, channelOf(ch) === 'sms' ? 'sms_senders' : 'email_senders', { ...rest, ID: Number(s.ID), account: String(s.account), CreateDate: now, UpdateDate: now });
  }
  for (const t of rows(fx.scenarioTargets)) putWithId(ws, 'targets', { LastCountDate: null, ...t, ID: Number(t.ID), account: String(t.account), CreateDate: now, UpdateDate: now });
  for (const c of rows(fx.scenarioContacts)) createContact(ws, String(c.account), rows(c.FieldList) as unknown as FieldValueInput[]);
  for (const m of rows(fx.scenarioMessages)) {
    const ID = Number(m.ID);
    const channel = channelOf(m.Channel);
    messagesTable(ws).put({
      id: String(ID), ID, account: String(m.account), Channel: channel, Name: String(m.Name ?? `Message ${ID}`), Subject: channel === 'email' ? String(m.Subject ?? '') : null,
      SenderID: m.SenderID === undefined ? null : Number(m.SenderID), ReplyID: null, PackID: null, Culture: String(m.Culture ?? 'fr-FR'), EncodingID: null, FormatID: null,
      IsTrackingValidated: m.IsTrackingValidated !== false, Content: channel === 'email' ? { Html: (m.Html as string) ?? null, Text: (m.Text as string) ?? null } : { Text: (m.Text as string) ?? '' },
      Links: [], IsFrozen: false, LockedBySendingID: null, CreateDate: now, UpdateDate: now,
    });
    reserveInSequence(ws, sequenceKey(API_ID, 'messages'), ID, 1);
  }
  for (const p of rows(fx.scenarioPlannings)) {
    const { Kind, account, ...body } = p;
    if (String(Kind).toLowerCase() === 'recurrent') createRecurrentPlanning(ws, String(account), body);
    else createOneTimePlanning(ws, String(account), body);
  }
  for (const s of rows(fx.scenarioSendings)) {
    const { Channel: ch, account, ...body } = s;
    createSending(ws, String(account), channelOf(ch), body);
  }
}
