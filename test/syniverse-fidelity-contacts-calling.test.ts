// Issue #10 (contacts, consent, contact groups, calling): the public description's spellings and
// operations beside the seed's, group membership without version bumps, fast access derivation,
// digits collectors fed by injected DTMF, conference and member updates, bulk opt-out, and the
// list filters of the public description. HTTP on a manual clock; every response is checked
// against the spec by the test client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, synWorkspace, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});
const SENDER = 'sender-default-longcode';
const FROM = `sender_id:${SENDER}`;

describe('contacts: public spellings', () => {
  it('emits account_list/device_list beside the customer_* lists and filters on both names', async () => {
    const { call } = await synWorkspace(c, 'f-lists');
    const a = (await call('POST', '/contacts', { first_name: 'Ann', account_list: [{ type: 'loyalty', username: 'a1' }], device_list: '[{"os":"iOS"}]' })).body.id;
    const b = (await call('POST', '/contacts', { first_name: 'Bob', customer_account_list: '[]' })).body.id;
    const got = (await call('GET', `/contacts/${a}`)).body;
    expect(got.customer_account_list).toBe('[{"type":"loyalty","username":"a1"}]');
    expect(got.account_list).toBe(got.customer_account_list);
    expect(got.device_list).toBe('[{"os":"iOS"}]');
    expect(got.customer_device_list).toBe('[{"os":"iOS"}]');
    expect((await call('GET', `/contacts/${b}`)).body).toMatchObject({ account_list: '[]', device_list: null });
    const byPublic = (await call('GET', `/contacts?account_list=${encodeURIComponent('[]')}`)).body;
    expect(byPublic.list.map((x: any) => x.id)).toEqual([b]);
    const bySeed = (await call('GET', `/contacts?customer_device_list=${encodeURIComponent('[{"os":"iOS"}]')}`)).body;
    expect(bySeed.list.map((x: any) => x.id)).toEqual([a]);
    // Public attributes the seed lacks are kept.
    await call('POST', `/contacts/${b}`, { timezone: 'Europe/Paris', social_profile_lookup_override: true });
    expect((await call('GET', `/contacts/${b}`)).body).toMatchObject({ timezone: 'Europe/Paris', social_profile_lookup_override: true, is_rcs_capable: null });
    expect((await call('GET', '/contacts?timezone=Europe%2FParis')).body.total).toBe(1);
  });

  it('contact import reads the public column names; fast access values are derived for imported contacts', async () => {
    const { call, advance } = await synWorkspace(c, 'f-import');
    await call('POST', '/contacts/fast_access', { target_attribute: 'fast_access_5', target_attribute_name: 'os', value_derivation_script: '$.customer_device_list[0].os' });
    const att = (await call('POST', '/messaging/attachments', { name: 'in', type: 'text/csv' })).body.id;
    const token = (await call('POST', `/messaging/attachments/${att}/access_tokens`)).body.id;
    const csv = 'external_id,first_name,account_list,device_list\nx1,Xena,"[{""type"":""web""}]","[{""os"":""iOS""}]"\n';
    await c.req('POST', `/syniverse/scg-attachment/api/v1/messaging/attachments/${token}/content`, { body: csv, headers: { 'content-type': 'application/octet-stream' } });
    const g = (await call('POST', '/contact_groups', { name: 'imported' })).body.id;
    const v = (await call('GET', `/contact_groups/${g}`)).body.version_number;
    await call('POST', '/contactimport', { import_attachment_id: att, contact_group_id: g });
    await advance(2000);
    const got = (await call('GET', '/contacts?external_id=x1')).body.list[0];
    expect(got).toMatchObject({ customer_account_list: '[{"type":"web"}]', account_list: '[{"type":"web"}]', device_list: '[{"os":"iOS"}]', fast_access_5: 'iOS' });
    expect(JSON.parse(got.fast_access)).toEqual({ os: 'iOS' });
    expect((await call('GET', `/contact_groups/${g}`)).body).toMatchObject({ member_count: 1, version_number: v });
  });

  it('messages carry contact_id beside contact-id, and both filter', async () => {
    const { call } = await synWorkspace(c, 'f-msgcontact');
    const a = (await call('POST', '/contacts', { first_name: 'Ann', primary_mdn: '+15551238001' })).body.id;
    const req = (await call('POST', '/messaging/message_requests', { from: FROM, to: [a, '+15551238002'], body: 'hi' })).body.id;
    const msgs = (await call('GET', `/messaging/message_requests/${req}/messages`)).body.list;
    const m = msgs.find((x: any) => x.to_address === '+15551238001');
    expect(m['contact-id']).toBe(a);
    expect(m.contact_id).toBe(a);
    expect(msgs.find((x: any) => x.to_address === '+15551238002').contact_id).toBeNull();
    expect((await call('GET', `/messaging/messages?contact_id=${a}`)).body.list.map((x: any) => x.id)).toEqual([m.id]);
    expect((await call('GET', `/messaging/messages?contact-id=${a}`)).body.list.map((x: any) => x.id)).toEqual([m.id]);
  });
});

describe('contact groups', () => {
  it('membership changes keep version_number; state is shown beside status and filters', async () => {
    const { call } = await synWorkspace(c, 'f-groups');
    const a = (await call('POST', '/contacts', { first_name: 'Ann' })).body.id;
    const b = (await call('POST', '/contacts', { first_name: 'Bob' })).body.id;
    const g = (await call('POST', '/contact_groups', { name: 'all' })).body.id;
    const read = (await call('GET', `/contact_groups/${g}`)).body;
    expect(read).toMatchObject({ version_number: 1, status: 'Ready', state: 'Ready' });
    await call('POST', `/contact_groups/${g}/contacts`, { contacts: [a, b] });
    const created = (await call('POST', `/contact_groups/${g}/contacts`, { first_name: 'Cy' })).body.id;
    expect((await call('DELETE', `/contact_groups/${g}/contacts/${b}`)).status).toBe(200);
    await call('DELETE', `/contacts/${a}`);
    const after = (await call('GET', `/contact_groups/${g}`)).body;
    expect(after).toMatchObject({ version_number: 1, member_count: 1, last_updated_date: read.last_updated_date });
    expect((await call('GET', `/contact_groups/${g}/contacts`)).body.list.map((x: any) => x.id)).toEqual([created]);
    // The client updates the group with the version it read before the membership changes.
    const upd = await call('POST', `/contact_groups/${g}`, { description: 'everyone', version_number: read.version_number });
    expect(upd.status).toBe(200);
    expect((await call('GET', `/contact_groups/${g}`)).body).toMatchObject({ version_number: 2, description: 'everyone' });
    expect((await call('POST', `/contact_groups/${g}`, { description: 'x', version_number: 1 })).body.error_code).toBe('1001');
    expect((await call('GET', '/contact_groups?state=Ready')).body.total).toBe(1);
    expect((await call('GET', '/contact_groups?state=Processing')).body.total).toBe(0);
  });
});

describe('contact groups: criteria', () => {
  it('criteria naming no contact attribute is 1017; a processing delay keeps a DYNAMIC group Processing', async () => {
    const scenario = { fixtures: { syniverse: { timings: { groupProcessingMs: 5000 } } } };
    const { call, advance } = await synWorkspace(c, 'f-group-processing', { scenario });
    expect((await call('POST', '/contact_groups', { name: 'bad', criteria: { shoe_size: 42 } })).body.error_code).toBe('1017');
    await call('POST', '/contacts', { first_name: 'Ann', primary_addr_city: 'Paris' });
    const g = (await call('POST', '/contact_groups', { name: 'paris', criteria: { primary_addr_city: 'Paris' } })).body.id;
    expect((await call('GET', `/contact_groups/${g}`)).body).toMatchObject({ status: 'Processing', state: 'Processing', version_number: 1, member_count: 1 });
    await advance(4999);
    expect((await call('GET', `/contact_groups/${g}`)).body.status).toBe('Processing');
    await advance(1);
    expect((await call('GET', `/contact_groups/${g}`)).body).toMatchObject({ status: 'Ready', version_number: 2 });
    // A description change keeps Ready; a criteria change processes again.
    await call('POST', `/contact_groups/${g}`, { description: 'd' });
    expect((await call('GET', `/contact_groups/${g}`)).body.status).toBe('Ready');
    await call('POST', `/contact_groups/${g}`, { criteria: { primary_addr_city: 'Lyon' } });
    expect((await call('GET', `/contact_groups/${g}`)).body).toMatchObject({ status: 'Processing', member_count: 0 });
    await advance(5000);
    expect((await call('GET', `/contact_groups/${g}`)).body.status).toBe('Ready');
    // Static groups are Ready at once.
    const s = (await call('POST', '/contact_groups', { name: 'static' })).body.id;
    expect((await call('GET', `/contact_groups/${s}`)).body.status).toBe('Ready');
  });
});

describe('fast access', () => {
  it('derives values by JSONPath, keeps editable ones, recomputes on rule changes and filters', async () => {
    const { call } = await synWorkspace(c, 'f-fast');
    const tier = (await call('POST', '/contacts/fast_access', { target_attribute: 'fast_access_1', target_attribute_name: 'tier', value_derivation_script: '$.extended_attributes.tier' })).body.id;
    await call('POST', '/contacts/fast_access', { target_attribute: 'fast_access_2', value_derivation_script: "$.address_list[?(@.use == 'billing')].city" });
    await call('POST', '/contacts/fast_access', { target_attribute: 'fast_access_3', target_attribute_name: 'nick' });
    expect((await call('POST', '/contacts/fast_access', { target_attribute: 'fast_access_4', value_derivation_script: '$..[' })).body.error_code).toBe('400');

    const a = (
      await call('POST', '/contacts', {
        first_name: 'Ann',
        extended_attributes: { tier: 'gold' },
        address_list: [{ use: 'shipping', city: 'Lyon' }, { use: 'billing', city: 'Paris' }],
        fast_access: { nick: 'annie' },
      })
    ).body.id;
    const b = (await call('POST', '/contacts', { first_name: 'Bob', extended_attributes: '{"tier":"silver"}' })).body.id;
    const got = (await call('GET', `/contacts/${a}`)).body;
    expect(JSON.parse(got.fast_access)).toEqual({ tier: 'gold', fast_access_2: 'Paris', nick: 'annie' });
    expect(got).toMatchObject({ fast_access_1: 'gold', fast_access_2: 'Paris', fast_access_3: 'annie', fast_access_4: null });
    // A derived attribute is not writable; sending the GET body back is accepted.
    expect((await call('POST', `/contacts/${a}`, { fast_access: { tier: 'platinum' } })).status).toBe(400);
    expect((await call('POST', `/contacts/${a}`, got)).status).toBe(200);
    // A change of the contact recomputes.
    await call('POST', `/contacts/${b}`, { extended_attributes: { tier: 'gold' } });
    expect((await call('GET', `/contacts/${b}`)).body.fast_access_1).toBe('gold');
    expect((await call('GET', '/contacts?fast_access_1=gold')).body.total).toBe(2);
    expect((await call('GET', '/contacts?fast_access.nick=annie')).body.list.map((x: any) => x.id)).toEqual([a]);

    // A rule change recomputes every contact (and bumps those whose values change).
    const vb = (await call('GET', `/contacts/${b}`)).body.version_number;
    await call('POST', `/contacts/fast_access/${tier}`, { value_derivation_script: '$.first_name' });
    expect((await call('GET', `/contacts/${b}`)).body).toMatchObject({ fast_access_1: 'Bob', version_number: vb + 1 });
    await call('DELETE', `/contacts/fast_access/${tier}`);
    const gone = (await call('GET', `/contacts/${a}`)).body;
    expect(gone.fast_access_1).toBeNull();
    expect(JSON.parse(gone.fast_access)).toEqual({ fast_access_2: 'Paris', nick: 'annie' });
  });
});

describe('consent', () => {
  it('opts a list of addresses out at once (public description) and keeps BLACKLIST', async () => {
    const { call } = await synWorkspace(c, 'f-optout');
    const black = (await call('POST', '/consent/contact_address_statuses', { address: '+15551237002', sender_id: SENDER, consent_status: 'BLACKLIST' })).body.id;
    const res = await call('POST', '/consent/contact_address_statuses/optout', { sender_id: SENDER, addresses: ['+15551237001', '+15551237002', 'ann@example.com'], consent_status: 'WEB' });
    expect(res.status).toBe(200);
    expect(res.body.ids).toHaveLength(3);
    expect(res.body.ids[1]).toBe(black);
    const first = (await call('GET', `/consent/contact_address_statuses/${res.body.ids[0]}`)).body;
    expect(first).toMatchObject({ address: '+15551237001', consent_status: 'OPTOUT', opt_out_type: 'WEB', address_type: 'MDN', from_address: '+15550100001' });
    expect((await call('GET', `/consent/contact_address_statuses/${black}`)).body.consent_status).toBe('BLACKLIST');
    expect((await call('GET', `/consent/contact_address_statuses/${res.body.ids[2]}`)).body.address_type).toBe('EMAIL');
    expect((await call('GET', '/consent/contact_address_statuses?opt_out_type=WEB')).body.total).toBe(3);
    const hist = (await call('GET', '/consent/contact_address_history?status=OPTOUT')).body;
    expect(hist.total).toBe(2);

    // Bad input changes nothing.
    const before = (await call('GET', '/consent/contact_address_statuses')).body.total;
    const bad = await call('POST', '/consent/contact_address_statuses/optout', { sender_id: SENDER, addresses: ['+15551237009', 'not an address'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error_description).toContain('not an address');
    expect((await call('GET', '/consent/contact_address_statuses')).body.total).toBe(before);
    expect((await call('POST', '/consent/contact_address_statuses/optout', { sender_id: 'nope', addresses: ['+15551237009'] })).status).toBe(400);
  });

  it('SCG_UNSOLICITED_OPT_OUT: SCG applies STOP, not opt-in keywords, and the application may write consent', async () => {
    const { call, advance } = await synWorkspace(c, 'f-unsolicited');
    const sender = (await call('GET', `/messaging/sender_ids/${SENDER}`)).body;
    const upd = await call('POST', `/messaging/sender_ids/${SENDER}`, { consent_managed_by: 'SCG_UNSOLICITED_OPT_OUT', version_number: sender.version_number });
    expect(upd.status).toBe(200);
    expect((await call('GET', `/messaging/sender_ids/${SENDER}`)).body.consent_managed_by).toBe('SCG_UNSOLICITED_OPT_OUT');
    const kws = (await call('GET', '/messaging/keywords')).body.list.map((k: any) => `${k.value}:${k.actions}`);
    expect(kws.join(' ')).toMatch(/STOP/i);
    await advance(1000);
    await c.sim('POST', '/workspaces/f-unsolicited/inject/mo-message', { from: '+15551237101', to: '+15550100001', body: 'START' });
    await c.sim('POST', '/workspaces/f-unsolicited/inject/mo-message', { from: '+15551237102', to: '+15550100001', body: 'STOP' });
    const st = (await call('GET', `/consent/contact_address_statuses?sender_id=${SENDER}`)).body.list;
    expect(st.find((s: any) => s.address === '+15551237101')).toBeUndefined();
    const stopped = st.find((s: any) => s.address === '+15551237102');
    expect(stopped).toMatchObject({ consent_status: 'OPTOUT', opt_out_type: 'SMS' });
    expect((await call('POST', `/consent/contact_address_statuses/${stopped.id}`, { consent_status: 'OPTIN', opt_in_type: 'IVR' })).status).toBe(200);
    expect((await call('GET', `/consent/contact_address_statuses/${stopped.id}`)).body).toMatchObject({ consent_status: 'OPTIN', opt_in_type: 'IVR' });
  });
});

describe('calling: public operations', () => {
  const answered = async (call: any, advance: any, to: string) => {
    const id = (await call('POST', '/calling/calls', { from: SENDER, to })).body.id;
    await advance(3000);
    return id as string;
  };

  it('digits collectors collect injected DTMF until a terminating digit, max_digits or the timeout', async () => {
    const { call, advance } = await synWorkspace(c, 'f-digits');
    const id = await answered(call, advance, '+15551236001');
    const started = await call('POST', `/calling/calls/${id}/digits_collector`, { prompt: { sentence: 'Enter your PIN then hash' }, terminating_digits: '#', max_digits: '6' });
    expect(started.status).toBe(200);
    const col = started.body.id;
    expect((await call('POST', `/calling/calls/${id}/digits_collector`, { prompt: { sentence: 'again' } })).status).toBe(409);
    let got = (await call('GET', `/calling/calls/${id}/digits_collector/${col}`)).body;
    expect(got).toMatchObject({ state: 'STARTED', digits: '', call_id: id, max_digits: 6, timeout: 10000, reason: null });
    const inj = await c.sim('POST', '/workspaces/f-digits/inject/dtmf', { call_id: id, digits: '12' });
    expect(inj.result.collector.digits).toBe('12');
    await c.sim('POST', '/workspaces/f-digits/inject/dtmf', { call_id: id, digits: '3#4' });
    got = (await call('GET', `/calling/calls/${id}/digits_collector/${col}`)).body;
    expect(got).toMatchObject({ state: 'COMPLETED', reason: 'terminating_digit', digits: '123', end_time: '2026-01-05T12:00:03.000Z' });
    expect(got.version_number).toBe(3);

    const second = (await call('POST', `/calling/calls/${id}/digits_collector`, { prompt: { sentence: 'two digits' }, max_digits: 2, external_id: 'c2' })).body.id;
    await c.sim('POST', '/workspaces/f-digits/inject/dtmf', { call_id: id, digits: '987' });
    expect((await call('GET', `/calling/calls/${id}/digits_collector/${second}`)).body).toMatchObject({ reason: 'max_digits', digits: '98', external_id: 'c2' });

    const third = (await call('POST', `/calling/calls/${id}/digits_collector`, { prompt: { sentence: 'one two three' }, timeout: 2000 })).body.id;
    await advance(1200 + 1999);
    expect((await call('GET', `/calling/calls/${id}/digits_collector/${third}`)).body.state).toBe('STARTED');
    await advance(1);
    expect((await call('GET', `/calling/calls/${id}/digits_collector/${third}`)).body).toMatchObject({ state: 'COMPLETED', reason: 'timeout' });

    const list = (await call('GET', `/calling/calls/${id}/digits_collector?reason=timeout`)).body;
    expect(list.list.map((x: any) => x.id)).toEqual([third]);
    expect((await call('GET', `/calling/calls/${id}/digits_collector`)).body.total).toBe(3);
    expect((await call('DELETE', `/calling/calls/${id}/digits_collector/${third}`)).status).toBe(204);
    expect((await call('GET', `/calling/calls/${id}/digits_collector/${third}`)).status).toBe(404);
    const events = await c.sim('GET', '/workspaces/f-digits/events');
    expect(JSON.stringify(events)).toContain('call_dtmf_received');
  });

  it('a collector stops with the call, or on DELETE; bad input is refused and changes nothing', async () => {
    const { call, advance } = await synWorkspace(c, 'f-digits2');
    const id = await answered(call, advance, '+15551236002');
    expect((await call('POST', `/calling/calls/${id}/digits_collector`, { prompt: { sentence: 'x', voice: 'Joanna', locale: 'en-US' } })).status).toBe(400);
    expect((await call('POST', `/calling/calls/${id}/digits_collector`, { prompt: { sentence: 'x' }, timeout: 10 })).status).toBe(400);
    expect((await call('GET', `/calling/calls/${id}/digits_collector`)).body.total).toBe(0);
    const col = (await call('POST', `/calling/calls/${id}/digits_collector`, { prompt: { sentence: 'x' } })).body.id;
    await c.sim('POST', '/workspaces/f-digits2/inject/dtmf', { call_id: id, digits: '5' });
    const bad = await c.req('POST', '/_sim/workspaces/f-digits2/inject/dtmf', { body: { call_id: id, digits: 'xyz' } });
    expect(bad.status).toBe(400);
    expect((await call('GET', `/calling/calls/${id}/digits_collector/${col}`)).body.digits).toBe('5');
    await call('POST', `/calling/calls/${id}`, { state: 'COMPLETED' });
    expect((await call('GET', `/calling/calls/${id}/digits_collector/${col}`)).body).toMatchObject({ state: 'COMPLETED', reason: 'call_ended', digits: '5' });
    expect((await call('POST', `/calling/calls/${id}/digits_collector`, { prompt: { sentence: 'x' } })).status).toBe(409);
    expect((await c.req('POST', '/_sim/workspaces/f-digits2/inject/dtmf', { body: { call_id: id, digits: '1' } })).status).toBe(409);
    expect((await call('GET', `/calling/calls/nope/digits_collector`)).status).toBe(404);
  });

  it('a scenario timeline presses digits on the ACTIVE call to a number', async () => {
    const scenario = { timeline: [{ at: '10s', inject: 'dtmf', body: { to: '+15551236009', digits: '42#' } }] };
    const { call, advance } = await synWorkspace(c, 'f-digits-scenario', { scenario });
    const id = await answered(call, advance, '+15551236009');
    const col = (await call('POST', `/calling/calls/${id}/digits_collector`, { prompt: { sentence: 'code' }, terminating_digits: '#' })).body.id;
    await advance(6999);
    expect((await call('GET', `/calling/calls/${id}/digits_collector/${col}`)).body).toMatchObject({ state: 'STARTED', digits: '' });
    await advance(1);
    expect((await call('GET', `/calling/calls/${id}/digits_collector/${col}`)).body).toMatchObject({ state: 'COMPLETED', reason: 'terminating_digit', digits: '42' });
    expect((await c.req('POST', '/_sim/workspaces/f-digits-scenario/inject/dtmf', { body: { to: '+15551230000', digits: '1' } })).status).toBe(404);
  });

  it('play_dtmf takes dtmfText (public) or dtmf_digits (seed); play_tts loops', async () => {
    const { call, advance } = await synWorkspace(c, 'f-play');
    const id = await answered(call, advance, '+15551236003');
    expect((await call('POST', `/calling/calls/${id}/play_dtmf`, { dtmfText: '12#' })).status).toBe(200);
    expect((await call('POST', `/calling/calls/${id}/play_dtmf`, { dtmf_digits: '12#' })).status).toBe(200);
    expect((await call('POST', `/calling/calls/${id}/play_dtmf`, { dtmf_digits: '1', dtmfText: '2' })).status).toBe(400);
    expect((await call('POST', `/calling/calls/${id}/play_dtmf`, {})).status).toBe(400);
    expect((await call('POST', `/calling/calls/${id}/play_tts`, { text: 'hello there', loopEnabled: true, loopCount: 3 })).status).toBe(200);
    const playbacks = await c.sim('GET', '/workspaces/f-play/state/syniverse/playbacks');
    const json = JSON.stringify(playbacks);
    expect(json).toContain('"dtmf_digits":"12#"');
    await advance(2399);
    const events = JSON.stringify(await c.sim('GET', '/workspaces/f-play/events'));
    const finished = (events.match(/playback_finished/g) ?? []).length;
    await advance(1);
    expect((JSON.stringify(await c.sim('GET', '/workspaces/f-play/events')).match(/playback_finished/g) ?? []).length).toBe(finished + 1);
  });

  it('conference update (state, hold, mute) and member update (hold, mute) answer 204', async () => {
    const { call, advance } = await synWorkspace(c, 'f-conf');
    const a = await answered(call, advance, '+15551236004');
    const conf = (await call('POST', '/calling/conferences', {})).body.id;
    const m = (await call('POST', `/calling/conferences/${conf}/members`, { call_id: a })).body.id;
    expect((await call('GET', `/calling/conferences/${conf}/members/${m}`)).body.call_id).toBe(a);
    expect((await call('GET', `/calling/conferences/${conf}/members?call_id=${a}`)).body.total).toBe(1);
    const mu = await call('POST', `/calling/conferences/${conf}/members/${m}`, { mute: true });
    expect(mu.status).toBe(204);
    expect((await call('GET', `/calling/conferences/${conf}/members/${m}`)).body).toMatchObject({ mute: true, hold: false });
    const v0 = (await call('GET', `/calling/conferences/${conf}`)).body.version_number;
    expect((await call('POST', `/calling/conferences/${conf}`, { state: 'active', hold: true })).status).toBe(204);
    expect((await call('GET', `/calling/conferences/${conf}`)).body).toMatchObject({ state: 'active', hold: true, version_number: v0 + 1 });
    expect((await call('GET', `/calling/calls/${a}`)).body).toMatchObject({ destination_country: 'US', recording_enabled: false, recordings: [] });
    expect((await call('POST', `/calling/conferences/${conf}`, { state: 'created' })).status).toBe(409);
    expect((await call('POST', `/calling/conferences/${conf}`, { state: 'completed' })).status).toBe(204);
    expect((await call('GET', `/calling/conferences/${conf}`)).body).toMatchObject({ state: 'completed', active_members: 0 });
    expect((await call('GET', `/calling/conferences/${conf}/members/${m}`)).body.state).toBe('completed');
    expect((await call('GET', `/calling/calls/${a}`)).body.state).toBe('ACTIVE');
    expect((await call('POST', `/calling/conferences/${conf}/members/${m}`, { hold: true })).status).toBe(409);
    expect((await call('POST', `/calling/conferences/${conf}`, { mute: true })).status).toBe(409);
    expect((await call('POST', `/calling/conferences/${conf}/members/nope`, { hold: true })).status).toBe(404);
  });
});

describe('list filters', () => {
  // Every list of contacts, consent and calling: each declared filter (the public description's
  // included) keeps exactly the items whose attribute has the value, for every value the items
  // show (values are read from the unfiltered list, so a filter that is ignored fails).
  it('every declared filter of the contacts, consent and calling lists filters', async () => {
    const { call, advance } = await synWorkspace(c, 'f-filters');
    const ids: Record<string, string> = {};
    await call('POST', '/contacts/fast_access', { target_attribute: 'fast_access_1', target_attribute_name: 'tier', value_derivation_script: '$.extended_attributes.tier' });
    await call('POST', '/contacts/fast_access', { target_attribute: 'fast_access_2' });
    const people = [
      { first_name: 'Ann', last_name: 'Lee', birth_date: '1990-01-02', primary_mdn: '+15551234001', primary_addr_city: 'Paris', primary_addr_country: 'FR', external_id: 'e1', extended_attributes: { tier: 'gold' }, account_list: [{ type: 'web' }], timezone: 'Europe/Paris', voice_preference: 'NONE', fast_access_2: 'x' },
      { first_name: 'Bob', last_name: 'Lee', birth_date: '1985-05-06', primary_mdn: '+15551234002', primary_addr_city: 'Lyon', primary_email_addr: 'bob@example.com', extended_attributes: { tier: 'silver' }, gender: 'male', voice_preference: 'PREFER_VOICE' },
      { first_name: 'Cy', primary_mdn: '+15551234003', primary_addr_city: 'Paris', preferred_language: 'fr' },
    ];
    const contactIds = [];
    for (const p of people) {
      await advance(1000);
      contactIds.push((await call('POST', '/contacts', p)).body.id);
    }
    ids.contact = contactIds[0];
    ids.group = (await call('POST', '/contact_groups', { name: 'static', external_id: 'g1', description: 'd' })).body.id;
    await call('POST', `/contact_groups/${ids.group}/contacts`, { contacts: contactIds });
    await call('POST', '/contact_groups', { name: 'dyn', criteria: { 'fast_access.tier': 'gold' } });
    for (const t of ['tok1', 'tok2']) await call('POST', `/contacts/${ids.contact}/application_tokens`, { sender_id_address: 'app.x', message_delivery_provider: t === 'tok1' ? 'APN' : 'GCM', token: t, badges: t === 'tok1' ? 3 : null });
    await call('POST', `/contacts/${ids.contact}/access_tokens`, {});
    await call('POST', `/contacts/${ids.contact}/access_tokens`, { duration: 60 });
    await call('POST', '/consent/contact_address_statuses', { address: '+15551234001', sender_id: SENDER, consent_status: 'OPTIN', opt_in_type: 'WEB' });
    await call('POST', '/consent/contact_address_statuses', { address: '+15551234002', sender_id: 'sender-shared-shortcode', consent_status: 'BLACKLIST' });
    await call('POST', '/consent/contact_address_statuses/optout', { sender_id: SENDER, addresses: ['+15551234003'], consent_status: 'IVR' });
    await call('POST', '/contactexport', {});
    await call('POST', '/contactexport', { contact_group_id: ids.group });
    const a = (await call('POST', '/calling/calls', { from: SENDER, to: '+15551234101', external_id: 'c1' })).body.id;
    const b = (await call('POST', '/calling/calls', { from: SENDER, to: '+447700900123', answer_timeout: 20000 })).body.id;
    await call('POST', '/calling/calls', { from: SENDER, to: '+15555999001' });
    await advance(3000);
    ids.bridge = (await call('POST', '/calling/bridges', { call_ids: [a, b], external_id: 'b1' })).body.id;
    await call('POST', '/calling/bridges', {});
    const d = (await call('POST', '/calling/calls', { from: SENDER, to: '+15551234102' })).body.id;
    await advance(3000);
    ids.call = d;
    ids.conference = (await call('POST', '/calling/conferences', { external_id: 'k1', mute: true })).body.id;
    await call('POST', '/calling/conferences', {});
    await call('POST', `/calling/conferences/${ids.conference}/members`, { call_id: d, external_id: 'm1' });
    await call('POST', `/calling/conferences/${ids.conference}/members`, { hold: true });
    await call('POST', `/calling/calls/${d}/digits_collector`, { prompt: { sentence: 'pin' }, max_digits: 1, external_id: 'd1' });
    await c.sim('POST', '/workspaces/f-filters/inject/dtmf', { call_id: d, digits: '7' });
    await call('POST', `/calling/calls/${d}/digits_collector`, { prompt: { sentence: 'again' } });

    const lists: Array<[string, string]> = [
      ['listContacts', '/contacts'],
      ['listContactGroups', '/contact_groups'],
      ['listContactGroupContacts', `/contact_groups/${ids.group}/contacts`],
      ['listFastAccessRules', '/contacts/fast_access'],
      ['listContactApplicationTokens', `/contacts/${ids.contact}/application_tokens`],
      ['listContactAccessTokens', `/contacts/${ids.contact}/access_tokens`],
      ['listContactAddressStatuses', '/consent/contact_address_statuses'],
      ['listContactAddressHistory', '/consent/contact_address_history'],
      ['listContactExportJobs', '/contactexport'],
      ['listCalls', '/calling/calls'],
      ['listBridges', '/calling/bridges'],
      ['listBridgeCalls', `/calling/bridges/${ids.bridge}/calls`],
      ['listConferences', '/calling/conferences'],
      ['listConferenceMembers', `/calling/conferences/${ids.conference}/members`],
      ['listDigitsCollectors', `/calling/calls/${ids.call}/digits_collector`],
    ];
    const spec = c.app.specs.get('syniverse')!;
    const text = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
    let narrowing = 0;
    for (const [opId, path] of lists) {
      const op = spec.operations.find((o) => o.operationId === opId)!;
      const all = (await call('GET', `${path}?limit=1000`)).body.list as any[];
      expect(all.length, opId).toBeGreaterThan(1);
      for (const f of op.queryParams) {
        if (['offset', 'limit', 'sort'].includes(f)) continue;
        const values = [...new Set(all.map((x) => x[f]).filter((v) => v !== null && v !== undefined && !Array.isArray(v)).map(text))].filter((v) => v !== '' && v.length <= 255); // an empty value is no filter
        for (const v of values) {
          const got = (await call('GET', `${path}?limit=1000&${encodeURIComponent(f)}=${encodeURIComponent(v)}`)).body.list.map((x: any) => x.id);
          const want = all.filter((x) => x[f] !== null && x[f] !== undefined && text(x[f]) === v).map((x) => x.id);
          expect(got, `${opId} ?${f}=${v}`).toEqual(want);
          if (want.length < all.length) narrowing++;
        }
      }
    }
    expect(narrowing).toBeGreaterThan(100);
  });
});
