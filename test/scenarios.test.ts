// Scenario files drive outcomes, HTTP faults and timelines on a workspace's clock: the bundled
// scenarios end to end on a manual clock, loading into an existing workspace, reset, and the
// refusals of bad scenario input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startApp, SYN, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

const FROM = 'sender_id:sender-default-longcode';

async function scenarioWorkspace(id: string, scenario: string, extra: Record<string, unknown> = {}) {
  const ws = await c.sim('POST', '/workspaces', { id, scenario, ...extra });
  const synAuth = { authorization: `Bearer ${ws.credentials.syniverse.token}` };
  const cleverAuth = { authorization: basic(ws.credentials.clever.login, ws.credentials.clever.password) };
  return {
    ws,
    syn: (method: string, path: string, body?: unknown) => c.req(method, SYN + path, { body, headers: synAuth }),
    clever: (method: string, path: string, body?: unknown) => c.req(method, `/clever${path}`, { body, headers: cleverAuth }),
    advance: (ms: number) => c.sim('POST', `/workspaces/${id}/clock/advance`, { ms }),
    events: async (type: string) => (await c.sim('GET', `/workspaces/${id}/events?type=${type}&limit=10000`)).events as any[],
    credit: async (api: string) => (await c.sim('GET', `/workspaces/${id}/credit/${api}`)).balance as number,
  };
}

it('carrier-outage: faults twice, fails UK messages after 5 s, tops credit up after 1 h', async () => {
  const ws = await c.sim('POST', '/workspaces', { id: 's-outage', scenario: 'carrier-outage' });
  const headers = { authorization: `Bearer ${ws.credentials.syniverse.token}` };
  const body = { from: FROM, to: ['+447700900123', '+15551236001'], body: 'x' };
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

describe('bundled scenarios', () => {
  it('sms-delivery-mix: FAILED, EXPIRED, READ and DELIVERED by last digit, with drawn carrier latency', async () => {
    const s = await scenarioWorkspace('s-mix', 'sms-delivery-mix');
    const to = ['+15551230010', '+15551230011', '+15551230012', '+15551230013', '+15551230014', '+447700900125'];
    const r = await s.syn('POST', '/messaging/message_requests', { from: FROM, to, body: 'mix' });
    expect(r.status).toBe(200);
    const states = async () => Object.fromEntries(((await s.syn('GET', `/messaging/message_requests/${r.body.id}/messages`)).body.list as any[]).map((m) => [m.to_address, m.state]));
    await s.advance(1000); // SENT
    expect(Object.values(await states())).toEqual(to.map(() => 'SENT'));
    await s.advance(6000);
    const at7s = await states();
    expect(at7s).toMatchObject({ '+15551230010': 'FAILED', '+15551230011': 'FAILED', '+15551230012': 'SENT', '+15551230013': 'DELIVERED', '+15551230014': 'DELIVERED' });
    await s.advance(60_000);
    expect(await states()).toEqual({
      '+15551230010': 'FAILED',
      '+15551230011': 'FAILED',
      '+15551230012': 'SENT',
      '+15551230013': 'READ',
      '+15551230014': 'DELIVERED',
      '+447700900125': 'DELIVERED',
    });
    await s.advance(10 * 60_000); // the scenario's validity period is 10 min
    expect((await states())['+15551230012']).toBe('EXPIRED');
    const failed = (await s.syn('GET', `/messaging/message_requests/${r.body.id}/messages`)).body.list.find((m: any) => m.to_address === '+15551230010');
    expect(failed.failure_details).toBe('Undeliverable: the handset is unreachable (scenario sms-delivery-mix)');
    // The timings were drawn: receipts 1-4 s (delivered) and 2-6 s (failed) after SENT, at whole ms.
    const sentAt = Date.parse('2026-01-05T09:00:01.000Z');
    const receipts = (await s.events('message_state_change')).filter((e) => ['DELIVERED', 'FAILED'].includes(e.data.state));
    for (const e of receipts) {
      const d = Date.parse(e.at) - sentAt;
      if (e.data.to_address === '+447700900125') expect(d).toBeGreaterThanOrEqual(2000);
      else if (e.data.state === 'FAILED') expect(d >= 2000 && d <= 6000, `${e.data.to_address} ${d}`).toBe(true);
      else expect(d >= 1000 && d <= 4000, `${e.data.to_address} ${d}`).toBe(true);
    }
    expect(new Set(receipts.map((e) => e.at)).size).toBeGreaterThan(2); // not one fixed delay
  });

  it('credit-runs-out: 402 over the balance, Insufficient credit when SENT, the timeline drops and tops up', async () => {
    const s = await scenarioWorkspace('s-credit', 'credit-runs-out');
    expect(await s.credit('syniverse')).toBe(0.0237);
    expect(await s.credit('clever')).toBe(14);
    const four = ['+15551231001', '+15551231002', '+15551231003', '+15551231004'];
    const refused = await s.syn('POST', '/messaging/message_requests', { from: FROM, to: four, body: 'x' });
    expect(refused.status).toBe(402);
    // Two requests of two each fit the balance one by one; the fourth message finds none when SENT.
    const a = await s.syn('POST', '/messaging/message_requests', { from: FROM, to: four.slice(0, 2), body: 'x' });
    const b = await s.syn('POST', '/messaging/message_requests', { from: FROM, to: four.slice(2), body: 'x' });
    expect([a.status, b.status]).toEqual([200, 200]);
    await s.advance(5000);
    const all = [...(await s.syn('GET', `/messaging/message_requests/${a.body.id}/messages`)).body.list, ...(await s.syn('GET', `/messaging/message_requests/${b.body.id}/messages`)).body.list];
    expect(all.map((m: any) => m.state).sort()).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'FAILED']);
    expect(all.find((m: any) => m.state === 'FAILED').failure_details).toMatch(/^Insufficient credit/);
    // Clever: 14 units pay for two SMS segments, not three.
    expect((await s.clever('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600000001;+33600000002;+33600000003', encodage: 3 } })).status).toBe(402);
    expect((await s.clever('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600000001;+33600000002', encodage: 3 } })).status).toBe(201);
    expect(await s.credit('clever')).toBe(0);
    await s.advance(10 * 60_000);
    expect(await s.credit('syniverse')).toBe(0);
    expect((await s.syn('POST', '/messaging/message_requests', { from: FROM, to: ['+15551231009'], body: 'x' })).status).toBe(402);
    await s.advance(50 * 60_000);
    expect([await s.credit('syniverse'), await s.credit('clever')]).toEqual([50, 1000]);
    expect((await s.syn('POST', '/messaging/message_requests', { from: FROM, to: ['+15551231009'], body: 'x' })).status).toBe(200);
  });

  it('flaky-carrier: seeded 503s, one 429 and one Clever 500, slowed reads, late receipts', async () => {
    const run = async (id: string) => {
      const s = await scenarioWorkspace(id, 'flaky-carrier');
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await s.syn('POST', '/messaging/message_requests', { from: FROM, to: [`+1555123${String(i).padStart(4, '0')}`], body: 'x' })).status);
      return { s, statuses };
    };
    const { s, statuses } = await run('s-flaky');
    expect(new Set(statuses)).toEqual(new Set([200, 503]));
    const failures = statuses.filter((x) => x === 503).length;
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThan(12);
    expect((await run('s-flaky-2')).statuses).toEqual(statuses); // same seed, same failures
    const call = { from: FROM, to: '+15551239876' };
    const limited = await s.syn('POST', '/calling/calls', call);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error_code: '429', error_description: expect.stringContaining('Too many requests (scenario flaky-carrier)') });
    expect((await s.syn('POST', '/calling/calls', call)).status).toBe(200);
    const push = { datas: { text: 'x', number_list: '+33600000001', encodage: 3 } };
    const five = await s.clever('POST', '/api/pushs', push);
    expect(five.status).toBe(500);
    expect((await s.clever('POST', '/api/pushs', push)).status).toBe(201);
    // A read waits 5-40 ms; the journal records the latency added (deterministic), not host time.
    await s.syn('GET', '/messaging/message_requests');
    const journal = (await c.sim('GET', '/workspaces/s-flaky/journal')).entries as any[];
    const read = journal.filter((e) => e.operationId === 'listMessageRequests').at(-1);
    expect(read.ms >= 5 && read.ms <= 40, String(read.ms)).toBe(true);
    expect(journal.filter((e) => e.operationId === 'createMessageRequest').every((e) => e.ms === 0)).toBe(true);
    // Receipts come late: nothing delivered after 2 s, everything within 61 s.
    await s.advance(1000 + 1999);
    expect((await s.events('message_state_change')).filter((e) => e.data.state === 'DELIVERED')).toHaveLength(0);
    await s.advance(60_000);
    expect((await s.events('message_state_change')).filter((e) => e.data.state === 'DELIVERED')).toHaveLength(statuses.filter((x) => x === 200).length);
  });

  it('call-center: inbound calls answered, bridged to an agent and gathered in a conference; callers hang up; one abandons', async () => {
    const s = await scenarioWorkspace('s-calls', 'call-center');
    const inbound = async () => (await s.syn('GET', '/calling/calls?direction=IN')).body.list as any[];
    expect(await inbound()).toEqual([]);
    await s.advance(5000);
    const [first] = await inbound();
    expect(first).toMatchObject({ direction: 'IN', state: 'STARTED', from: '+15557770001', from_address: '+15557770001', to: 'sender-default-longcode', to_address: '+15550100001' });
    expect((await s.events('call_state_change')).at(-1).data).toMatchObject({ call_id: first.id, state: 'STARTED', previous_state: null });
    // Accept it, call an agent, bridge the two.
    expect((await s.syn('POST', `/calling/calls/${first.id}`, { state: 'ACTIVE' })).status).toBe(200);
    const agent = (await s.syn('POST', '/calling/calls', { from: FROM, to: '+15558880001' })).body.id;
    await s.advance(2000);
    expect((await s.syn('GET', `/calling/calls/${agent}`)).body.state).toBe('ACTIVE');
    const bridge = (await s.syn('POST', '/calling/bridges', { call_ids: [first.id, agent] })).body.id;
    expect((await s.syn('GET', `/calling/bridges/${bridge}`)).body.state).toBe('ACTIVE');
    // At +8 s the active caller on the long code keys in 2#.
    await s.advance(1000);
    expect((await s.events('call_dtmf_received')).map((e) => [e.at, e.data.call_id, e.data.digits])).toEqual([['2026-01-05T09:00:08.000Z', first.id, '2#']]);
    // The second caller (at +10 s) joins a conference with a second agent.
    await s.advance(2000);
    const second = (await inbound()).find((x) => x.from === '+15557770002');
    expect(second.state).toBe('STARTED');
    await s.syn('POST', `/calling/calls/${second.id}`, { state: 'ACTIVE' });
    const agent2 = (await s.syn('POST', '/calling/calls', { from: FROM, to: '+15558880002' })).body.id;
    await s.advance(2000);
    const conf = (await s.syn('POST', '/calling/conferences', {})).body.id;
    for (const call_id of [second.id, agent2]) expect((await s.syn('POST', `/calling/conferences/${conf}/members`, { call_id })).status).toBe(200);
    expect((await s.syn('GET', `/calling/conferences/${conf}`)).body).toMatchObject({ state: 'active', active_members: 2 });
    // The third caller (at +20 s) is never answered and gives up after 15 s.
    await s.advance(8000);
    const third = (await inbound()).find((x) => x.from === '+15557770003');
    expect(third.state).toBe('STARTED');
    await s.advance(15_000);
    expect((await s.syn('GET', `/calling/calls/${third.id}`)).body).toMatchObject({ state: 'REJECTED', failure_code: 'NO_ANSWER', failure_details: 480 });
    // Answered callers hang up 60-120 s after being answered: the bridge completes, the conference loses a member.
    await s.advance(125_000);
    expect((await s.syn('GET', `/calling/calls/${first.id}`)).body.state).toBe('COMPLETED');
    expect((await s.syn('GET', `/calling/bridges/${bridge}`)).body.state).toBe('COMPLETED');
    expect((await s.syn('GET', `/calling/calls/${second.id}`)).body.state).toBe('COMPLETED');
    expect((await s.syn('GET', `/calling/conferences/${conf}`)).body.active_members).toBe(1);
    const firstEnd = Date.parse((await s.syn('GET', `/calling/calls/${first.id}`)).body.end_time) - Date.parse('2026-01-05T09:00:05.000Z');
    expect(firstEnd >= 60_000 && firstEnd <= 120_000, String(firstEnd)).toBe(true);
    // The far end hangs up the remaining agent call through the control API: the conference ends.
    await c.sim('POST', '/workspaces/s-calls/inject/call-hangup', { call_id: agent2 });
    expect((await s.syn('GET', `/calling/conferences/${conf}`)).body.state).toBe('completed');
    expect((await s.events('scenario.step')).map((e) => [e.data.inject, e.data.ok])).toEqual([
      ['inbound-call', true],
      ['dtmf', true],
      ['inbound-call', true],
      ['inbound-call', true],
    ]);
  });

  it('clever-campaign: acknowledgements by number, a STOP reply at +1 min, a mail click at +2 min, the account expires at +10 h', async () => {
    const s = await scenarioWorkspace('s-clever', 'clever-campaign');
    expect(await s.credit('clever')).toBe(500);
    const r = await s.clever('POST', '/api/pushs', { datas: { text: 'Promo', number_list: '+33600000001;+33700000002;+33600000003', encodage: 3 } });
    expect(r.status).toBe(201);
    const ref = r.body.push.reference;
    const acks = async () => Object.fromEntries(((await s.clever('GET', `/api/pushs/${ref}/deliveries`)).body.deliveries as any[]).map((d) => [d.recipient, d.status]));
    expect(await acks()).toEqual({ '+33600000001': '2', '+33700000002': '2', '+33600000003': '2' });
    await s.advance(5000);
    expect(await acks()).toEqual({ '+33600000001': '3', '+33700000002': '4', '+33600000003': '3' });
    const voice = await s.clever('POST', '/api/pushs', { datas: { text: 'Bonjour', number_list: '+33600000004', encodage: 3, type_push: 'tts' } });
    expect(voice.status).toBe(201);
    await s.advance(19_000);
    expect((await s.clever('GET', `/api/pushs/${voice.body.push.reference}/deliveries`)).body.deliveries[0].status).toBe('2');
    await s.advance(1000);
    expect((await s.clever('GET', `/api/pushs/${voice.body.push.reference}/deliveries`)).body.deliveries[0].status).toBe('6');
    const mail = await s.clever('POST', '/api/pushsmails', { datas: { text: 'Promo', email_subject: 'Promo', email_list: 'client@example.fr' } });
    expect(mail.status).toBe(201);
    await s.advance(35_000); // +1 min: the reply
    expect((await s.clever('GET', `/api/pushs/${ref}/mos`)).body.mos).toMatchObject([{ recipient: '+33600000001', message: 'STOP', status: '5' }]);
    await s.advance(60_000); // +2 min: the mail is opened and clicked
    const clicks = (await s.events('mail_click')).map((e) => [e.at, e.data.reference, e.data.recipient, e.data.url]);
    expect(clicks).toEqual([['2026-01-05T08:02:00.000Z', mail.body.push.reference, 'client@example.fr', 'https://shop.example/promo']]);
    await s.advance(10 * 3600_000);
    const expired = await s.clever('GET', `/api/pushs/${ref}`);
    expect(expired.status).toBe(430);
    expect(expired.body.errors.account).toBe('Account expired 2026-01-05');
    expect((await s.events('scenario.step')).map((e) => [e.data.name, e.data.inject, e.data.ok])).toEqual([
      ['stop-reply', 'mo-message', true],
      ['mail-click', 'email-click', true],
      ['account-expires', 'account-expire', true],
    ]);
  });
});

describe('loading scenarios', () => {
  it('GET /_sim/scenarios lists every bundled scenario with its description', async () => {
    const { scenarios } = await c.sim('GET', '/scenarios');
    expect(scenarios.map((x: any) => x.name)).toEqual(['call-center', 'carrier-outage', 'clever-campaign', 'client-onboarding', 'credit-runs-out', 'dolist-campaign', 'flaky-carrier', 'sms-delivery-mix']);
    for (const x of scenarios) expect(x.description.length, x.name).toBeGreaterThan(20);
  });

  it('an unknown scenario is a 400 naming it and the known ones; nothing is created', async () => {
    const r = await c.req('POST', '/_sim/workspaces', { body: { id: 's-unknown', scenario: 'nope' } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe('unknown scenario "nope" (known: call-center, carrier-outage, clever-campaign, client-onboarding, credit-runs-out, dolist-campaign, flaky-carrier, sms-delivery-mix)');
    expect((await c.req('GET', '/_sim/workspaces/s-unknown')).status).toBe(404);
    const bad = await c.req('POST', '/_sim/workspaces', { body: { scenario: { rules: [{ on: 'message', match: { to_address: { regex: '(' } }, outcome: { state: 'FAILED' } }] } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^invalid scenario: rules\[0\]\.match\.to_address: invalid regular expression \/\(\/ in a scenario rule/);
  });

  it('POST /_sim/workspaces/{ws}/scenario resets a workspace to a scenario; reset returns to it; bad input changes nothing', async () => {
    const s = await scenarioWorkspace('s-load', 'sms-delivery-mix');
    const before = await c.sim('GET', '/workspaces/s-load');
    await s.syn('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230001'], body: 'x' });
    const unknown = await c.req('POST', '/_sim/workspaces/s-load/scenario', { body: { scenario: 'nope' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^unknown scenario "nope" \(known: call-center, /);
    expect((await c.req('POST', '/_sim/workspaces/s-load/scenario', { body: {} })).status).toBe(400);
    expect((await c.req('POST', '/_sim/workspaces/s-load/scenario', { body: { scenario: 'call-center', extra: 1 } })).body.error.message).toBe('unknown field(s) extra: the body is {scenario, seed?, clock?}');
    expect((await c.req('POST', '/_sim/workspaces/nope/scenario', { body: { scenario: 'call-center' } })).status).toBe(404);
    expect((await c.sim('GET', '/workspaces/s-load')).scenario).toBe('sms-delivery-mix'); // unchanged by the refusals
    expect((await c.sim('GET', '/workspaces/s-load/events?type=message_request_state_change')).events.length).toBeGreaterThan(0);

    const loaded = await c.sim('POST', '/workspaces/s-load/scenario', { scenario: 'call-center' });
    expect(loaded).toMatchObject({ id: 's-load', scenario: 'call-center', seed: 5, credentials: before.credentials, clock: { now: '2026-01-05T09:00:00.000Z', mode: 'manual' } });
    expect((await c.sim('GET', '/workspaces/s-load/events')).events).toEqual([]);
    expect(await s.credit('syniverse')).toBe(100); // call-center sets no credit: the fixtures' balance
    await s.advance(5000);
    expect((await s.syn('GET', '/calling/calls?direction=IN')).body.total).toBe(1);
    const reset = await c.sim('POST', '/workspaces/s-load/reset');
    expect(reset).toMatchObject({ scenario: 'call-center', seed: 5, clock: { now: '2026-01-05T09:00:00.000Z' } });
    expect((await s.syn('GET', '/calling/calls')).body.total).toBe(0);
    await s.advance(5000);
    expect((await s.syn('GET', '/calling/calls?direction=IN')).body.total).toBe(1); // the timeline again
    // A seed and clock in the body win over the scenario's.
    expect(await c.sim('POST', '/workspaces/s-load/scenario', { scenario: 'call-center', seed: 99, clock: { now: '2026-02-01T00:00:00Z' } })).toMatchObject({ seed: 99, clock: { now: '2026-02-01T00:00:00.000Z' } });
  });
});

describe('decision points through the one hook', () => {
  it('a message-submit rule rejects at submit, or accepts a 999004 number', async () => {
    const ws = await c.sim('POST', '/workspaces', {
      id: 's-hooks',
      scenario: {
        clock: { mode: 'manual', start: '2026-01-05T09:00:00Z' },
        rules: [
          { on: 'message-submit', match: { to_address: '/^\\+1555000/' }, outcome: { state: 'REJECTED', failure_code: 'BLOCKED', details: 'Blocked range (scenario)' } },
          { on: 'message-submit', match: { to_address: '+15551230077' }, outcome: { state: 'FAILED', failure_code: 'NO_CONSENT' } },
          { on: 'message-submit', match: { to_address: '/999004$/' }, outcome: { state: 'ACCEPTED' } },
        ],
      },
    });
    const auth = { authorization: `Bearer ${ws.credentials.syniverse.token}` };
    const r = await c.req('POST', `${SYN}/messaging/message_requests`, { body: { from: FROM, to: ['+15550001234', '+15551999004', '+15551230001', '+15551230077'], body: 'x' }, headers: auth });
    expect(r.status).toBe(200);
    const list = (await c.req('GET', `${SYN}/messaging/message_requests/${r.body.id}/messages`, { headers: auth })).body.list as any[];
    const by = Object.fromEntries(list.map((m) => [m.to_address, m]));
    expect(by['+15550001234']).toMatchObject({ state: 'FAILED', failure_code: 'OTHER', failure_details: 'Blocked range (scenario)' }); // not a code of the spec
    expect(by['+15551230077']).toMatchObject({ state: 'FAILED', failure_code: 'NO_CONSENT', failure_details: 'Invalid recipient (scenario)' });
    expect(by['+15551999004'].state).toBe('CREATED'); // the scenario wins over the test number
    expect(by['+15551230001'].state).toBe('CREATED');
    // Without a rule, 999004 is still refused at submit.
    const plain = await c.sim('POST', '/workspaces', { id: 's-hooks-plain', clock: { mode: 'manual', now: '2026-01-05T09:00:00Z' } });
    const pauth = { authorization: `Bearer ${plain.credentials.syniverse.token}` };
    const p = await c.req('POST', `${SYN}/messaging/message_requests`, { body: { from: FROM, to: ['+15551999004', '+15550001234'], body: 'x' }, headers: pauth });
    const plainList = (await c.req('GET', `${SYN}/messaging/message_requests/${p.body.id}/messages`, { headers: pauth })).body.list as any[];
    expect(plainList.map((m) => [m.to_address, m.state, m.failure_code ?? null])).toEqual([
      ['+15551999004', 'FAILED', 'INVALID_RECIPIENT'],
      ['+15550001234', 'CREATED', null],
    ]);
  });
});

describe('the far end through the control API', () => {
  it('inbound-call, call-hangup, email-open/click and account-expire: refusals change nothing, then the effects', async () => {
    const ws = await c.sim('POST', '/workspaces', { id: 's-inject', clock: { mode: 'manual', now: '2026-01-05T12:00:00Z' } });
    const inject = (kind: string, body: unknown) => c.req('POST', `/_sim/workspaces/s-inject/inject/${kind}`, { body });
    const events = async () => (await c.sim('GET', '/workspaces/s-inject/events')).events.length;
    const n = await events();
    expect((await inject('inbound-call', { from: 'me', to: 'sender-default-longcode' })).body.error.message).toBe("inbound-call: from must be the caller's E.164 number, not 'me'");
    expect((await inject('inbound-call', { from: '+15557770001' })).body.error.message).toBe('inbound-call: to is required (a sender id of the application, or its address)');
    const unknownTo = await inject('inbound-call', { from: '+15557770001', to: '+15559999999' });
    expect([unknownTo.status, unknownTo.body.error.message]).toEqual([404, 'inbound-call: +15559999999 is not a sender id (or sender address) of this application']);
    expect((await inject('inbound-call', { from: '+15557770001', to: '+15550100001', answer_timeout: 10 })).body.error.message).toBe('answer_timeout must be 5000 to 120000 ms');
    expect((await inject('call-hangup', {})).body.error.message).toBe('call_id is required');
    expect((await inject('call-hangup', { call_id: 'nope' })).status).toBe(404);
    expect((await inject('account-expire', { api: 'clever', at: 'someday' })).body.error.message).toBe('account-expire: at must be a date (ISO 8601 or Y-m-d H:i:s), not "someday"');
    expect(await events()).toBe(n);
    expect((await c.sim('GET', '/workspaces/s-inject/state/syniverse/calls')).total).toBe(0);

    // Addressed by the sender's number; the caller hangs up while ringing: the inbound call is REJECTED.
    const rang = await c.sim('POST', '/workspaces/s-inject/inject/inbound-call', { from: '+15557770001', to: '+15550100001', answer_timeout: 5000 });
    expect(rang.result.call).toMatchObject({ direction: 'IN', state: 'STARTED', to: 'sender-default-longcode' });
    const hung = await c.sim('POST', '/workspaces/s-inject/inject/call-hangup', { call_id: rang.result.call.id });
    expect(hung.result.call.state).toBe('REJECTED');
    expect((await inject('call-hangup', { call_id: rang.result.call.id })).body.error.message).toBe(`call ${rang.result.call.id} is REJECTED; only a STARTED or ACTIVE call can be hung up`);

    // Opens and clicks of a delivered Clever mail.
    const cauth = { authorization: basic(ws.credentials.clever.login, ws.credentials.clever.password) };
    const mail = await c.req('POST', '/clever/api/pushsmails', { body: { datas: { text: 'x', email_subject: 's', email_list: 'ann@x.fr;x+bounce@y.fr' } }, headers: cauth });
    expect(mail.status).toBe(201);
    expect((await inject('email-open', { recipient: 'ann@x.fr' })).body.error.message).toBe('the mail to ann@x.fr is not delivered (status 2); only a delivered mail can be opened');
    await c.sim('POST', '/workspaces/s-inject/clock/advance', { ms: 2000 });
    expect((await inject('email-open', { recipient: 'x+bounce@y.fr' })).body.error.message).toBe('the mail to x+bounce@y.fr is not delivered (status 4); only a delivered mail can be opened');
    expect((await inject('email-open', { recipient: 'bob@x.fr' })).status).toBe(404);
    expect((await inject('email-click', { recipient: 'nobody' })).status).toBe(400);
    const ref = mail.body.push.reference;
    expect((await c.sim('POST', '/workspaces/s-inject/inject/email-click', { recipient: 'ANN@x.fr', url: 'https://shop.example/p/1' })).result).toEqual({ api: 'clever', reference: ref, recipient: 'ann@x.fr' });
    const engagement = (await c.sim('GET', '/workspaces/s-inject/events?api=clever')).events.filter((e: any) => e.type === 'mail_open' || e.type === 'mail_click');
    expect(engagement.map((e: any) => [e.type, e.data.recipient, e.data.url ?? null])).toEqual([
      ['mail_open', 'ann@x.fr', null],
      ['mail_click', 'ann@x.fr', 'https://shop.example/p/1'],
    ]);

    // The Clever account expires at a given Paris time.
    const auth = { authorization: basic(ws.credentials.clever.login, ws.credentials.clever.password) };
    expect((await c.sim('POST', '/workspaces/s-inject/inject/account-expire', { api: 'clever', at: '2026-01-05 14:00:00' })).result.date_expiration).toBe('2026-01-05 14:00:00');
    expect((await c.req('GET', '/clever/api/account/me', { headers: auth })).body.account.date_expiration).toBe('2026-01-05 14:00:00');
    expect((await c.req('GET', '/clever/api/contactlists', { headers: auth })).status).toBe(200);
    await c.sim('POST', '/workspaces/s-inject/clock/advance', { ms: 3600_000 + 1 });
    expect((await c.req('GET', '/clever/api/contactlists', { headers: auth })).status).toBe(430);
  });
});
