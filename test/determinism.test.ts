// Determinism: the same scenario, seed and request sequence give byte-identical responses,
// events, journal and workspace snapshot in two fresh apps, whatever the host clock says
// (the second app's host clock runs a day later and ticks differently).
import { describe, expect, it } from 'vitest';
import { basic, startApp, SYN, type Client } from './helpers.js';

const FROM = 'sender_id:sender-default-longcode';

/** A scenario touching every random and timed path: drawn timings, probabilities, latency, a timeline. */
const SCENARIO = {
  seed: 'determinism',
  clock: { mode: 'manual', start: '2026-03-02T08:00:00Z' },
  credit: { syniverse: 1 },
  rules: [
    { on: 'message', match: { to_address: '/[05]$/' }, outcome: { state: 'FAILED', afterMs: { min: 500, max: 9000 }, details: 'drawn failure' } },
    { on: 'message', probability: 0.5, outcome: { state: 'READ', afterMs: { mean: 3000, sd: 1500, min: 100 }, readAfterMs: { min: 1000, max: 20000 } } },
    { on: 'message', outcome: { state: 'DELIVERED', afterMs: { min: 100, max: 7000 } } },
    { on: 'call', match: { to_address: '/7$/' }, outcome: { state: 'REJECTED', failure_code: 'BUSY', failure_details: 486, afterMs: { min: 100, max: 3000 } } },
    { on: 'call', outcome: { state: 'ACTIVE', afterMs: { min: 500, max: 4000 }, hangupAfterMs: { min: 10000, max: 90000 } } },
    { on: 'inbound-call', outcome: { hangupAfterMs: { mean: 30000, sd: 10000, min: 1000 } } },
    { on: 'push', match: { recipient: '/2$/' }, probability: 0.5, outcome: { status: 4, afterMs: { min: 100, max: 5000 } } },
    { on: 'push', outcome: { status: 3, afterMs: { min: 100, max: 5000 } } },
    { match: { api: 'syniverse', operationId: 'createMessageRequest' }, probability: 0.25, fault: { status: 503, code: '503' } },
    { match: { operationId: { regex: '^list' } }, latencyMs: { min: 1, max: 8 } },
  ],
  timeline: [
    { at: '2s', inject: 'mo-message', body: { api: 'syniverse', from: '+15551110001', to: '+15550100001', body: 'HELLO' } },
    { at: '4s', inject: 'inbound-call', body: { from: '+15557770001', to: 'sender-default-longcode' } },
    { at: '30s', credit: { clever: 5000 } },
  ],
};

/** Runs the mixed sequence; returns every answer as text, then events, journal, ledgers and snapshot. */
async function run(c: Client, scenario: Record<string, unknown> = SCENARIO): Promise<string[]> {
  const out: string[] = [];
  const rec = (label: string, r: { status: number; text: string }) => out.push(`${label} ${r.status} ${r.text}`);
  const create = await c.req('POST', '/_sim/workspaces', { body: { id: 'det', scenario } });
  rec('create', create);
  const ws = create.body;
  const syn = { authorization: `Bearer ${ws.credentials.syniverse.token}` };
  const clever = { authorization: basic(ws.credentials.clever.login, ws.credentials.clever.password) };
  const advance = async (ms: number) => rec(`advance ${ms}`, await c.req('POST', '/_sim/workspaces/det/clock/advance', { body: { ms } }));
  for (let i = 0; i < 8; i++) {
    const to = [`+1555123${String(i).padStart(4, '0')}`, `+1555124${String(i * 7).padStart(4, '0')}`];
    rec(`send ${i}`, await c.req('POST', `${SYN}/messaging/message_requests`, { body: { from: FROM, to, body: `message ${i}` }, headers: syn }));
    rec(`call ${i}`, await c.req('POST', `${SYN}/calling/calls`, { body: { from: FROM, to: `+1555125000${i}` }, headers: syn }));
    rec(`push ${i}`, await c.req('POST', '/clever/api/pushs', { body: { datas: { text: `push ${i}`, number_list: `+3360000000${i};+3370000000${i}`, encodage: 3 } }, headers: clever }));
    await advance(700 * (i + 1));
  }
  await advance(5000);
  const inbound = (await c.req('GET', `${SYN}/calling/calls?direction=IN`, { headers: syn })).body.list[0];
  rec('accept', await c.req('POST', `${SYN}/calling/calls/${inbound.id}`, { body: { state: 'ACTIVE' }, headers: syn }));
  await advance(120_000);
  rec('messages', await c.req('GET', `${SYN}/messaging/messages?limit=1000`, { headers: syn }));
  rec('calls', await c.req('GET', `${SYN}/calling/calls`, { headers: syn }));
  for (const p of ['/journal', '/events?limit=10000', '/credit/syniverse', '/credit/clever', '/snapshot', '']) rec(p, await c.req('GET', `/_sim/workspaces/det${p}`));
  return out;
}

describe('determinism', () => {
  it('the same scenario, seed and requests give byte-identical answers, events, journal and snapshot in two fresh apps', async () => {
    let t1 = Date.parse('2030-01-01T00:00:00Z');
    let t2 = Date.parse('2030-01-02T00:00:00Z');
    const a = await startApp({ hostNow: () => (t1 += 3) });
    const b = await startApp({ hostNow: () => (t2 += 17) });
    try {
      const [ra, rb] = [await run(a), await run(b)];
      expect(ra.length).toBe(rb.length);
      for (let i = 0; i < ra.length; i++) expect(rb[i], ra[i].slice(0, 60)).toBe(ra[i]);
      // The sequence exercised what it claims: faults, drawn outcomes, latency, the timeline.
      expect(ra.filter((l) => /^send \d+ 200/.test(l)).length).toBeGreaterThan(3);
      expect(ra.filter((l) => /^send \d+ 503/.test(l)).length).toBeGreaterThan(0);
      const events = JSON.parse(ra.find((l) => l.startsWith('/events'))!.replace(/^\S+ \d+ /, '')).events as any[];
      const states = new Set(events.filter((e) => e.type === 'message_state_change').map((e) => e.data.state));
      for (const s of ['DELIVERED', 'READ', 'FAILED']) expect(states.has(s), s).toBe(true);
      expect(events.some((e) => e.type === 'call_state_change' && e.data.state === 'REJECTED')).toBe(true);
      expect(events.filter((e) => e.type === 'scenario.step').map((e) => e.data.ok)).toEqual([true, true]);
      const journal = JSON.parse(ra.find((l) => l.startsWith('/journal'))!.replace(/^\S+ \d+ /, '')).entries as any[];
      expect(journal.some((e) => e.operationId?.startsWith('list') && e.ms >= 1 && e.ms <= 8)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('another seed gives other draws (the comparison above can fail)', async () => {
    const a = await startApp();
    const b = await startApp();
    try {
      const [ra, rb] = [await run(a), await run(b, { ...SCENARIO, seed: 'another' })];
      const events = (r: string[]) => r.find((l) => l.startsWith('/events'));
      expect(events(rb)).not.toBe(events(ra));
    } finally {
      await a.close();
      await b.close();
    }
  });
});
