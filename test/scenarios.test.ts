// Scenario files drive outcomes, HTTP faults and timelines on a workspace's clock.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, SYN, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

it('carrier-outage: faults twice, fails UK messages after 5 s, tops credit up after 1 h', async () => {
  const ws = await c.sim('POST', '/workspaces', { id: 's-outage', scenario: 'carrier-outage' });
  const headers = { authorization: `Bearer ${ws.credentials.syniverse.token}` };
  const body = { from: 'sender_id:sender-default-longcode', to: ['+447700900123', '+15551236001'], body: 'x' };
  const send = () => c.req('POST', `${SYN}/messaging/message_requests`, { body, headers });
  expect((await send()).status).toBe(503);
  expect((await send()).body).toMatchObject({ error_code: '503' });
  const ok = await send();
  expect(ok.status).toBe(200);
  expect((await c.sim('GET', '/workspaces/s-outage/credit/syniverse')).balance).toBe(5);
  await c.sim('POST', '/workspaces/s-outage/clock/advance', { ms: 7000 });
  const msgs = (await c.req('GET', `${SYN}/messaging/message_requests/${ok.body.id}/messages`, { headers })).body.list;
  expect(msgs.find((m: any) => m.to_address === '+447700900123')).toMatchObject({ state: 'FAILED', failure_details: 'Carrier unavailable (scenario carrier-outage)' });
  expect(msgs.find((m: any) => m.to_address === '+15551236001').state).toBe('DELIVERED');
  await c.sim('POST', '/workspaces/s-outage/clock/advance', { ms: 3600_000 });
  expect((await c.sim('GET', '/workspaces/s-outage/credit/syniverse')).balance).toBe(100);
});
