// Every declared filter of the messaging lists (the public description's included) keeps exactly
// the items whose attribute has the value, for every value the items show; values are read from
// the unfiltered list, so a filter that is ignored fails. (The contacts, consent and calling lists
// have the same check in syniverse-fidelity-contacts-calling.test.ts.)
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, synWorkspace, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

const FROM = 'sender_id:sender-default-longcode';
/** Filters whose value is not compared as the attribute's text (tested on their own elsewhere). */
const DERIVED = new Set(['from', 'to', 'sent_date', 'delivered_date', 'name']);

it('every declared filter of the messaging lists filters', async () => {
  const { call, advance } = await synWorkspace(c, 'm-filters');
  await call('POST', '/messaging/message_templates', { name: 'greet', designation: 'TEMPLATE', pattern: 'Hi {{n}}' });
  await call('POST', '/messaging/message_templates', { name: 'check', designation: 'VALIDATOR', pattern: 'Hi .*' });
  const ch = (await call('POST', '/messaging/channels', { name: 'alerts', priority: 'high', description: 'd' })).body.id;
  await call('POST', '/messaging/channels', { name: 'promo' });
  await call('POST', `/messaging/channels/${ch}/sender_ids`, { sender_ids: ['sender-default-longcode'] });
  await call('POST', '/messaging/sender_ids', { name: 'mine', type_id: 'LONGCODE', class_id: 'ALERTS', address: '+15550109901', capabilities: ['SMS'] });
  await call('POST', '/messaging/keywords', { name: 'JOIN', sender_id: 'sender-default-longcode', actions: 'OPTIN' });
  const a = (await call('POST', '/messaging/attachments', { name: 'pic', type: 'image/png', filename: 'p.png' })).body.id;
  await call('POST', '/messaging/attachments', { name: 'doc', type: 'application/pdf', filename: 'd.pdf' });
  await call('POST', `/messaging/attachments/${a}/access_tokens`, {});
  const req = (await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230001', '+15555999001'], body: 'one', external_id: 'x1', campaign_id: 'c1' })).body.id;
  await call('POST', '/messaging/message_requests', { from: `channel:${ch}`, to: ['+15551230002'], body: 'two', test_message_flag: true });
  await call('POST', '/messaging/messages', { from: FROM, to: '+15551230003', body: 'three', conversation_id: 'k1' });
  await advance(5000);
  await c.sim('POST', '/workspaces/m-filters/inject/mo-message', { from: '+15551230001', to: 'sender_id:sender-default-longcode', body: 'JOIN' });

  const lists: Array<[string, string]> = [
    ['listSenderIdClasses', '/messaging/sender_id_classes'],
    ['listSenderIdTypes', '/messaging/sender_id_types'],
    ['listMessageTemplates', '/messaging/message_templates'],
    ['listSenderIds', '/messaging/sender_ids'],
    ['listChannels', '/messaging/channels'],
    ['listMessages', '/messaging/messages'],
    ['listMessageRequests', '/messaging/message_requests'],
    ['listMessageRequestMessages', `/messaging/message_requests/${req}/messages`],
    ['listAttachments', '/messaging/attachments'],
    ['listKeywords', '/messaging/keywords'],
  ];
  const spec = c.app.specs.get('syniverse')!;
  const text = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
  let narrowing = 0;
  const checked: string[] = [];
  for (const [opId, path] of lists) {
    const op = spec.operations.find((o) => o.operationId === opId)!;
    expect(op, opId).toBeDefined();
    const all = (await call('GET', `${path}?limit=1000`)).body.list as any[];
    expect(all.length, opId).toBeGreaterThan(1);
    for (const f of op.queryParams) {
      if (['offset', 'limit', 'sort'].includes(f) || DERIVED.has(f)) continue;
      const values = [...new Set(all.map((x) => x[f]).filter((v) => v !== null && v !== undefined && !Array.isArray(v)).map(text))].filter((v) => v !== '' && v.length <= 255);
      for (const v of values) {
        const got = (await call('GET', `${path}?limit=1000&${encodeURIComponent(f)}=${encodeURIComponent(v)}`)).body.list.map((x: any) => x.id);
        const want = all.filter((x) => x[f] !== null && x[f] !== undefined && text(x[f]) === v).map((x) => x.id);
        expect(got, `${opId} ?${f}=${v}`).toEqual(want);
        if (want.length < all.length) narrowing++;
        checked.push(`${opId}.${f}`);
      }
    }
  }
  expect(narrowing).toBeGreaterThan(50);
  expect(new Set(checked).size).toBeGreaterThan(40);
});
