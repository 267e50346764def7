// Syniverse contacts (groups, consent, import/export jobs) and calling over HTTP on a manual clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, synWorkspace, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});
const FROM = 'sender_id:sender-default-longcode';

describe('contacts', () => {
  it('sends to contacts and groups, and honours consent', async () => {
    const { call, advance } = await synWorkspace(c, 'k-send');
    const a = (await call('POST', '/contacts', { first_name: 'Ann', primary_mdn: '+15551239001', external_id: 'ann', address_list: [{ city: 'X' }] })).body.id;
    const b = (await call('POST', '/contacts', { first_name: 'Bob', primary_mdn: '+15551239002' })).body.id;
    expect((await call('POST', '/contacts', { external_id: 'ann' })).body.error_code).toBe('1011');
    expect((await call('GET', `/contacts/${a}`)).body.address_list).toBe('[{"city":"X"}]');
    const g = (await call('POST', '/contact_groups', { name: 'all' })).body.id;
    const added = await call('POST', `/contact_groups/${g}/contacts`, { contacts: [a, b, 'ghost'] });
    expect(added.body.errors).toEqual({ ghost: 'Unknown document: ghost' });
    expect((await call('GET', `/contact_groups/${g}`)).body).toMatchObject({ member_count: 2, type: 'STATIC' });
    const dyn = await call('POST', '/contact_groups', { name: 'anns', criteria: { first_name: { $like: 'an%' } } });
    expect((await call('GET', `/contact_groups/${dyn.body.id}/contacts`)).body.total).toBe(1);
    expect((await call('POST', '/contact_groups', { name: 'bad', criteria: '{"x":' })).body.error_code).toBe('1017');

    await call('POST', '/consent/contact_address_statuses', { address: '+15551239002', sender_id: 'sender-default-longcode', consent_status: 'OPTIN' });
    const req = (await call('POST', '/messaging/message_requests', { from: FROM, to: [g], body: 'hi', consent_requirement: 'OPT_IN' })).body.id;
    const msgs = (await call('GET', `/messaging/message_requests/${req}/messages`)).body.list;
    expect(msgs.find((m: any) => m['contact-id'] === a)).toMatchObject({ state: 'FAILED', failure_code: 'NO_CONSENT' });
    expect(msgs.find((m: any) => m['contact-id'] === b)).toMatchObject({ state: 'CREATED', to_address: '+15551239002' });
    const hist = (await call('GET', '/consent/contact_address_history')).body;
    expect(hist.list[0]).toMatchObject({ source: 'COMPANY', status: 'OPTIN' });

    // STOP from Bob on an SCG-managed sender opts him out.
    await advance(3000);
    await c.sim('POST', '/workspaces/k-send/inject/mo-message', { from: '+15551239002', to: '+15550100001', body: 'STOP' });
    const st = (await call('GET', '/consent/contact_address_statuses?address=%2B15551239002')).body.list[0];
    expect(st.consent_status).toBe('OPTOUT');
  });

  it('imports and exports contacts as async jobs', async () => {
    const { call, advance } = await synWorkspace(c, 'k-jobs');
    const att = (await call('POST', '/messaging/attachments', { name: 'in', type: 'text/csv' })).body.id;
    const token = (await call('POST', `/messaging/attachments/${att}/access_tokens`)).body.id;
    const csv = 'external_id,first_name,primary_mdn\nx1,Xena,+15551239101\nx2,Bad,notanumber\nx3,Yul,+15551239103\n';
    const up = await c.req('POST', `/syniverse/scg-attachment/api/v1/messaging/attachments/${token}/content`, { body: csv, headers: { 'content-type': 'application/octet-stream' } });
    expect(up.status).toBe(200);
    const job = (await call('POST', '/contactimport', { import_attachment_id: att })).body.id;
    expect((await call('GET', `/contactimport/${job}`)).body.state).toBe('CREATED');
    await advance(1000);
    expect((await call('GET', `/contactimport/${job}`)).body.state).toBe('RUNNING');
    await advance(1000);
    const done = (await call('GET', `/contactimport/${job}`)).body;
    expect(done).toMatchObject({ state: 'COMPLETED', imported_count: 2, failed_count: 1 });
    expect(done.failures_attachment_id).toBeTruthy();
    expect((await call('GET', '/contacts')).body.total).toBe(2);
    const ops = await c.sim('GET', '/workspaces/k-jobs/operations');
    expect(JSON.stringify(ops)).toContain('syniverse.contactimport');

    const exp = (await call('POST', '/contactexport', {})).body.id;
    await advance(3000);
    const e = (await call('GET', `/contactexport/${exp}`)).body;
    expect(e).toMatchObject({ state: 'COMPLETED', exported_count: 2 });
    const t2 = (await call('POST', `/messaging/attachments/${e.export_attachment_id}/access_tokens`)).body.id;
    const out = await c.app.app.request(`/syniverse/scg-attachment/api/v1/messaging/attachments/${t2}/content`);
    expect(await out.text()).toContain('Xena');
  });
});

describe('calling', () => {
  it('rings, answers, bills per started minute and hangs up', async () => {
    const { call, advance } = await synWorkspace(c, 'k-call');
    const id = (await call('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15551239201' })).body.id;
    expect((await call('GET', `/calling/calls/${id}`)).body).toMatchObject({ state: 'STARTED', direction: 'OUT', answer_timeout: 30000 });
    await advance(3000);
    expect((await call('GET', `/calling/calls/${id}`)).body).toMatchObject({ state: 'ACTIVE', price: 0.013 });
    const play = await call('POST', `/calling/calls/${id}/play_tts`, { text: 'hello there' });
    expect(play.status).toBe(200);
    await advance(61_000);
    expect((await call('GET', `/calling/calls/${id}`)).body.price).toBe(0.026);
    expect((await call('POST', `/calling/calls/${id}`, { state: 'COMPLETED' })).status).toBe(200);
    const done = (await call('GET', `/calling/calls/${id}`)).body;
    expect(done).toMatchObject({ state: 'COMPLETED', chargeable_duration: 61 });
    expect((await call('POST', `/calling/calls/${id}/play_tts`, { text: 'x' })).status).toBe(409);

    const busy = (await call('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15555999001' })).body.id;
    expect((await call('GET', `/calling/calls/${busy}`)).body).toMatchObject({ state: 'REJECTED', failure_code: 'BUSY' });
    expect((await call('POST', '/calling/calls', { from: 'nope', to: '+15551239201' })).status).toBe(400);
  });

  it('bridges two calls and completes the bridge when one ends; conferences end with their last member', async () => {
    const { call, advance } = await synWorkspace(c, 'k-bridge');
    const a = (await call('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15551239301' })).body.id;
    const b = (await call('POST', '/calling/calls', { from: 'sender-default-longcode', to: '+15551239302' })).body.id;
    await advance(3000);
    const br = (await call('POST', '/calling/bridges', { call_ids: [a, b] })).body.id;
    expect((await call('GET', `/calling/bridges/${br}`)).body.state).toBe('ACTIVE');
    expect((await call('GET', `/calling/bridges/${br}/calls`)).body.total).toBe(2);
    expect((await call('POST', '/calling/bridges', { call_ids: [a] })).status).toBe(409);
    await call('DELETE', `/calling/calls/${a}`);
    expect((await call('GET', `/calling/bridges/${br}`)).body.state).toBe('COMPLETED');

    const conf = (await call('POST', '/calling/conferences', {})).body.id;
    const m = (await call('POST', `/calling/conferences/${conf}/members`, { call_id: b })).body.id;
    expect((await call('GET', `/calling/conferences/${conf}`)).body).toMatchObject({ state: 'active', active_members: 1 });
    await call('DELETE', `/calling/conferences/${conf}/members/${m}`);
    expect((await call('GET', `/calling/conferences/${conf}`)).body).toMatchObject({ state: 'completed', active_members: 0 });
  });
});
