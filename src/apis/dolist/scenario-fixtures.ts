// A scenario's ready-made campaign world (fixtures keys of `fixtures.dolist`, all optional,
// loaded after the contact base): what other areas own but a bundled scenario needs before any
// request (senders, targets, contacts with test addresses, messages), and the plannings and
// sendings of the campaign itself, created through the same domain functions as the API (so
// they pass the same checks and run on the clock like any other). Records of other areas are
// written in their documented layouts, with their ids reserved in the `dolist/<table>` sequence.
//   scenarioSenders:   [{Channel: email|sms, ID, account, Email?, Name?}]    -> email_senders / sms_senders
//   scenarioTargets:   [{ID, account, Name, LastCountDate?}]                -> targets (no law: every contact; counted at LastCountDate)
//   scenarioContacts:  [{account, FieldList: [{ID, Value}]}]                -> contacts
//   scenarioImports:   [{account, Name, FileName?, Content (CSV with a header), Separator?}] -> a mapping, an import and its job
//   scenarioMessages:  [{ID, account, Channel, Name, Subject?, SenderID, Html?, Text?}] -> messages (created as the API does; ID names it in scenarioSendings)
//   scenarioPlannings: [{Kind: OneTime|Recurrent, account, ...the create body}] -> plannings (ids 1, 2 ... in order)
//   scenarioSendings:  [{Channel, account, ...the create body}]             -> sendings (ids 1, 2 ... in order)
import { reserveInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { Workspace } from '../../core/workspace.js';
import { createContact, type FieldValueInput } from './contacts.js';
import { createImportJob } from './import-jobs.js';
import { createMapping } from './import-mappings.js';
import type { ImportsDb } from './imports-db.js';
import { createEmailMessage, createSmsMessage } from './message-editing.js';
import { messagesTable, type Channel } from './messages.js';
import { packsTable } from './packs.js';
import { createOneTimePlanning, createRecurrentPlanning } from './planning-catalogue.js';
import { createSending } from './sending-create.js';
import { API_ID, dolistFixtures } from './style.js';
import { targetContacts } from './target-eval.js';
import { TARGET_ID_START, targetsTable } from './targets.js';

type Row = Record<string, unknown>;

const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Row[]) : []);
const channelOf = (v: unknown): Channel => (String(v ?? 'email').toLowerCase() === 'sms' ? 'sms' : 'email');

function putWithId(ws: Workspace, table: string, rec: Row & { ID: number }, start = 1): void {
  ws.table(API_ID, table).put({ ...rec, id: String(rec.ID) });
  reserveInSequence(ws, sequenceKey(API_ID, table), rec.ID, start);
}

export function loadScenarioFixtures(ws: Workspace, imports: ImportsDb): void {
  const fx = dolistFixtures(ws);
  const now = new Date(ws.now()).toISOString();
  for (const s of rows(fx.scenarioSenders)) {
    const { Channel: ch, ...rest } = s;
    const account = String(s.account);
    if (channelOf(ch) === 'sms') putWithId(ws, 'sms_senders', { ID: Number(s.ID), account, Name: String(rest.Name ?? 'SENDER'), CreateDate: now, UpdateDate: now });
    else {
      // A pack sender belongs to a deliverability pack: the given one, else the account's first.
      const packId = rest.PackID !== undefined ? Number(rest.PackID) : packsTable(ws).lookup('account', account).map((p) => p.ID).sort((x, y) => x - y)[0];
      putWithId(ws, 'email_senders', { ID: Number(s.ID), account, PackID: packId, Email: String(rest.Email ?? ''), Name: rest.Name === undefined ? null : String(rest.Name), CreateDate: now, UpdateDate: now });
    }
  }
  for (const c of rows(fx.scenarioContacts)) createContact(ws, String(c.account), rows(c.FieldList) as unknown as FieldValueInput[]);
  // Imports as a client uploads them: a mapping from the file's header, an import, a job with the
  // file that then runs on the clock (its contacts land a few seconds later).
  for (const i of rows(fx.scenarioImports)) {
    const account = String(i.account);
    const file = { name: String(i.FileName ?? 'import.csv'), bytes: new TextEncoder().encode(String(i.Content ?? '')) };
    const mapping = createMapping(ws, imports, account, file, { Name: i.Name, Separator: i.Separator ?? ';', ContainsColumns: true });
    const imp = imports.imports.insert(ws, { Name: String(i.Name), MappingID: mapping.ID, Type: 'Manual', InterestIDList: [], OperationMode: 'Add' }, { partition: account });
    createImportJob(ws, imports, account, file, { ImportID: imp.ID });
  }
  // Targets in the targets area's layout, with no law (every contact); LastCountDate given: counted then.
  for (const t of rows(fx.scenarioTargets)) {
    const ID = Number(t.ID);
    const account = String(t.account);
    const counted = typeof t.LastCountDate === 'string' ? t.LastCountDate : null;
    putWithId(ws, 'targets', { ID, account, Name: String(t.Name), Description: (t.Description as string) ?? null, ContactCount: null, LastCountDate: null, CountStatus: 'None', CountOperationID: null, CreateDate: now, UpdateDate: now }, TARGET_ID_START.targets);
    if (counted) {
      const rec = targetsTable(ws).get(String(ID))!;
      targetsTable(ws).put({ ...rec, ContactCount: targetContacts(ws, account, ID).length, LastCountDate: counted, CountStatus: 'Done' });
    }
  }
  // Messages through the messages area (links extracted, checks as an API create); the scenario's
  // ids name them in its sendings.
  const messageIds = new Map<number, number>();
  for (const m of rows(fx.scenarioMessages)) {
    const account = String(m.account);
    const created =
      channelOf(m.Channel) === 'sms'
        ? createSmsMessage(ws, account, { Name: m.Name, SenderID: m.SenderID, Culture: m.Culture, Text: m.Text })
        : createEmailMessage(ws, account, { Name: m.Name, Subject: m.Subject, SenderID: m.SenderID, Culture: m.Culture, Content: { Html: m.Html, Text: m.Text } });
    if (m.IsTrackingValidated !== false && created.Channel === 'email') {
      const w = messagesTable(ws).get(created.id)!;
      messagesTable(ws).put({ ...w, IsTrackingValidated: true });
    }
    if (m.ID !== undefined) messageIds.set(Number(m.ID), created.ID);
  }
  for (const p of rows(fx.scenarioPlannings)) {
    const { Kind, account, ...body } = p;
    if (String(Kind).toLowerCase() === 'recurrent') createRecurrentPlanning(ws, String(account), body);
    else createOneTimePlanning(ws, String(account), body);
  }
  for (const s of rows(fx.scenarioSendings)) {
    const { Channel: ch, account, ...body } = s;
    const MessageID = messageIds.get(Number(body.MessageID)) ?? body.MessageID;
    createSending(ws, String(account), channelOf(ch), { ...body, MessageID });
  }
}
