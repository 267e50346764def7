// A user's test suite against commsim (the README shows this file as it is).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type Simulator } from 'commsim';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 42, clock: { mode: 'manual', now: '2026-01-05T12:00:00Z' } });
});
afterAll(() => sim.stop());

it('an SMS is delivered on the virtual clock and paid for', async () => {
  const syn = sim.apis.syniverse;
  const res = await fetch(`${syn.baseUrl}/messaging/message_requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${syn.credentials.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ from: 'sender_id:sender-default-longcode', to: ['+15551234567'], body: 'Your code is 1234' }),
  });
  expect(res.status).toBe(200);
  const { id } = await res.json();

  const delivered = await sim.waitFor((e) => e.data.message_request_id === id && e.data.state === 'DELIVERED', { type: 'message_state_change', advanceMs: 1000 });
  expect(delivered.at).toBe('2026-01-05T12:00:03.000Z');
  expect((await sim.credit('syniverse')).entries.length).toBeGreaterThan(0);

  await sim.reset();
  expect(await sim.events({ type: 'message_state_change' })).toEqual([]);
});
