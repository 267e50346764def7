// Bad input to every sendings-area operation answers the vendor envelope, never a 500: each
// operation gets bodies and query values of the wrong types and shapes (deterministic), on a
// world with a sending, a planning and a message; every answer is validated against the spec.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messagesTable } from '../src/apis/dolist/messages.js';
import { dolistWorkspace, startApp, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
});
afterAll(async () => {
  await c.close();
});

const JUNK: unknown[] = [
  {},
  { Name: 12, MessageID: 'x', TargetID: [1], PlanningID: { a: 1 }, SendType: 3 },
  { Name: 'n', MessageID: 1, TargetIDList: ['a', null], SendingIDList: 'all', SearchQuery: { Status: { x: 1 }, CreatedAfter: 'yesterday', MessageID: 'abc' }, Offset: -3, Limit: 'ten' },
  { Frequency: 'Weekly', Interval: 'every', FilterList: { day: 1 }, StartDate: 'soon', EndDate: 5, Time: 99, RateVolumeID: 'v', RatePeriodID: [] },
  { SendingIDList: [1, 'two', null], TransactionalSending: { Contact: { FieldList: [{ ID: 'seven', Value: 3 }, null] }, Message: { SenderID: 'one' }, MessageContent: 7 } },
  { TransactionalSending: 'text', Name: '', MessageID: 1, TargetID: 1, PlanningID: 1, UserID: 'me' },
];

it('answers every junk request with a declared status and no 500', async () => {
  const w = await dolistWorkspace(c, 'ds-junk', { scenario: { name: 'j', fixtures: { dolist: { contactBase: { '10001': 3, '10002': 0 } } } } });
  const ws = c.app.runtime.require('ds-junk');
  ws.table('dolist', 'targets').put({ id: '1', ID: 1, account: '10001', Name: 'All', LastCountDate: '2026-03-02T09:00:00Z' });
  ws.table('dolist', 'email_senders').put({ id: '1', ID: 1, account: '10001' });
  messagesTable(ws).put({ id: '1', ID: 1, account: '10001', Channel: 'email', Name: 'm', Subject: 's', SenderID: 1, ReplyID: null, PackID: null, Culture: 'fr-FR', EncodingID: null, FormatID: null, IsTrackingValidated: true, Content: { Html: '[[Unsubscribe]]' }, Links: [], IsFrozen: false, LockedBySendingID: null, CreateDate: '', UpdateDate: '' });
  const p = await w.main('POST', '/plannings/onetime', { StartDate: '2026-03-03T09:00:00Z' });
  expect((await w.main('POST', '/email/sendings', { Name: 'ok', MessageID: 1, TargetID: 1, PlanningID: p.body.ID })).status).toBe(201);
  const spec = c.app.specs.get('dolist')!;
  const mine = spec.operations.filter((o) => /sendings|plannings/.test(o.path) && !/statistics/.test(o.path));
  expect(mine.length).toBe(45);
  const statuses = new Map<number, number>();
  for (const op of mine) {
    const path = op.path.replace('{SendingID}', '1').replace('{PlanningID}', String(p.body.ID));
    const queries = ['', 'Channel=Email&SendingID=1&Frequency=Weekly&SimulationCount=3&ContactID=1&OccurrenceID=1&KeyCode=x', 'Channel=Fax&SendingID=abc&Frequency=&SimulationCount=-1&CreatedAfter=nope&TargetID=zz&SortOrder=up'];
    for (const q of queries) {
      for (const body of op.method === 'GET' ? [undefined] : JUNK) {
        const r = await w.main(op.method, `${path}${q ? `?${q}` : ''}`, body);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(r.status, `${op.operationId} ${q} ${JSON.stringify(body)}: ${r.text}`).not.toBe(500);
        if (r.status >= 400) expect(r.body.ResponseStatus.ErrorCode, r.text).toBeTruthy();
      }
    }
  }
  expect(statuses.size).toBeGreaterThan(3);
});
