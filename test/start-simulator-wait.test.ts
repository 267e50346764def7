// startSimulator's waitFor without advancing the clock: it listens to the event stream, so an
// event recorded before the call, or one made while it waits, is found without polling.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/index.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3, clock: { mode: 'manual', now: '2026-01-05T12:00:00Z' } });
});
afterAll(() => sim.stop());

it('finds an event already recorded, and one made while it waits', async () => {
  const syn = sim.apis.syniverse;
  const res = await fetch(`${syn.baseUrl}/messaging/message_requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${syn.credentials.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ from: 'sender_id:sender-default-longcode', to: ['+15551234567'], body: 'hi' }),
  });
  const { id } = await res.json();
  const created = await sim.waitFor((e) => e.data.message_request_id === id && e.data.state === 'CREATED', { type: 'message_state_change' });
  expect(created.at).toBe('2026-01-05T12:00:00.000Z');

  const mo = sim.waitFor((e) => e.type === 'mo_message_received', { api: 'syniverse' });
  await sim.inject('mo-message', { api: 'syniverse', from: '+15551234567', to: '+15550100001', body: 'YES' });
  expect((await mo).data.body).toBe('YES');
});

it('gives up after its timeout', async () => {
  await expect(sim.waitFor(() => false, { timeoutMs: 200 })).rejects.toThrow('no matching event within 200 ms');
});
