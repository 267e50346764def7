// What clients written against the vendor's public description and SDKs send, over HTTP: the
// public SCG_ERROR codes for the conditions the simulator detects, multipart uploads whose part
// headers carry extra parameters, and a trailing slash on a collection path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, synWorkspace, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

const SYN = '/syniverse/scg-external-api/api/v1';
const FROM = 'sender_id:sender-default-longcode';

describe('public error codes beside the seed ones', () => {
  it('missing, mistyped and unknown parameters, an unreadable payload; seed-specific codes stay', async () => {
    const { call, auth } = await synWorkspace(c, 'pub-codes');
    const missing = await call('POST', '/messaging/message_requests', { to: ['+15551230014'], body: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error_code: 'SCG_ERROR_4001', error_description: "Required parameter missing or is null: missing required body field 'from'" });
    const mistyped = await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230014'], body: 'x', test_message_flag: 'maybe' });
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.error_code).toBe('SCG_ERROR_4002');
    expect(mistyped.body.error_description).toMatch(/^Parameter has incorrect data type or format: body field 'test_message_flag'/);
    const unknown = await call('POST', '/contacts', { first_name: 'A', fast_access: { nosuch: '1' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_code).toBe('SCG_ERROR_4004');
    expect(unknown.body.error_description).toBe("Invalid parameter provided: no fast access rule defines 'nosuch'");
    const broken = await c.req('POST', `${SYN}/messaging/message_requests`, { body: '{"from":', headers: { ...auth, 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.body.error_code).toBe('SCG_ERROR_40025');
    expect(broken.body.error_description).toMatch(/^Invalid payload: malformed JSON body/);
    // The seed's own codes for the conditions it names.
    const tooBig = await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230014'], body: 'x'.repeat(1601) });
    expect(tooBig.body.error_code).toBe('1012');
    const tooLong = await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230014'], body: 'x', external_id: 'e'.repeat(256) });
    expect(tooLong.body.error_code).toBe('1023');
    // Nothing was created by any of them.
    expect((await call('GET', '/messaging/message_requests')).body.total).toBe(0);
  });
});

describe('multipart uploads as the SDKs send them', () => {
  it('a part header with size="21" uploads the attachment, and the MMS goes out', async () => {
    const { call, auth, advance } = await synWorkspace(c, 'sdk-multipart');
    const a = (await call('POST', '/messaging/attachments', { name: 'note', type: 'text/plain', filename: 'note.txt' })).body.id;
    const token = (await call('POST', `/messaging/attachments/${a}/access_tokens`, {})).body.id;
    const content = 'hello world 123456789';
    const b = 'sdkBoundary42';
    const body = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="note.txt"; size="${content.length}"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n--${b}--\r\n`;
    const up = await c.req('POST', `/syniverse/scg-attachment/api/v1/messaging/attachments/${token}/content`, { body, headers: { ...auth, 'content-type': `multipart/form-data; boundary=${b}` } });
    expect(up.status, up.text).toBe(200);
    expect((await call('GET', `/messaging/attachments/${a}`)).body).toMatchObject({ state: 'UPLOADED', size: content.length });
    const down = await c.app.app.request(`/syniverse/scg-attachment/api/v1/messaging/attachments/${token}/content`);
    expect(await down.text()).toBe(content);
    const req = await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230050'], body: 'see attached', attachments: [a] });
    expect(req.status, req.text).toBe(200);
    await advance(60_000);
    const msgs = (await call('GET', `/messaging/message_requests/${req.body.id}/messages`)).body.list;
    expect(msgs).toHaveLength(1);
    expect(msgs[0].state).toBe('DELIVERED');
  });

  it('a broken multipart body is a 400 naming what is wrong, and uploads nothing', async () => {
    const { call, auth } = await synWorkspace(c, 'sdk-multipart-bad');
    const a = (await call('POST', '/messaging/attachments', { name: 'note', type: 'text/plain', filename: 'note.txt' })).body.id;
    const token = (await call('POST', `/messaging/attachments/${a}/access_tokens`, {})).body.id;
    const r = await c.req('POST', `/syniverse/scg-attachment/api/v1/messaging/attachments/${token}/content`, { body: 'nothing', headers: { ...auth, 'content-type': 'multipart/form-data' } });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe('SCG_ERROR_40025');
    expect(r.body.error_description).toMatch(/malformed multipart\/form-data body: .*oundary/);
    expect((await call('GET', `/messaging/attachments/${a}`)).body).toMatchObject({ state: 'CREATED', size: 0 });
  });
});

describe('routing', () => {
  it('a trailing slash routes like the path without it', async () => {
    const { call } = await synWorkspace(c, 'slash');
    await call('POST', '/messaging/message_requests', { from: FROM, to: ['+15551230014'], body: 'x' });
    const plain = await call('GET', '/messaging/message_requests');
    const slashed = await call('GET', '/messaging/message_requests/');
    expect(slashed.status).toBe(200);
    expect(slashed.body).toEqual(plain.body);
    expect(plain.body.total).toBe(1);
  });
});

describe('If-Match (the seed lists 412 on every operation)', () => {
  it('a mismatched version is 412 and changes nothing; the current one or * passes', async () => {
    const { call, auth } = await synWorkspace(c, 'if-match');
    const id = (await call('POST', '/messaging/message_templates', { name: 'greeting', designation: 'TEMPLATE', pattern: 'Hello' })).body.id;
    const url = `${SYN}/messaging/message_templates/${id}`;
    const put = (ifMatch: string, pattern: string) => c.req('POST', url, { body: { pattern }, headers: { ...auth, 'if-match': ifMatch } });
    const stale = await put('"7"', 'Hi');
    expect(stale.status).toBe(412);
    expect(stale.body).toEqual({ error_code: '412', error_description: `Precondition Failed: message template ${id} is at version 1, If-Match asked for 7` });
    expect((await call('GET', `/messaging/message_templates/${id}`)).body).toMatchObject({ pattern: 'Hello', version_number: 1 });
    expect((await put('W/"1"', 'Hi')).status).toBe(200);
    expect((await put('*', 'Hey')).status).toBe(200);
    expect((await call('GET', `/messaging/message_templates/${id}`)).body).toMatchObject({ pattern: 'Hey', version_number: 3 });
    const del = await c.req('DELETE', url, { headers: { ...auth, 'if-match': '2, 1' } });
    expect(del.status).toBe(412);
    expect((await c.req('DELETE', url, { headers: { ...auth, 'if-match': '2, 3' } })).status).toBe(200);
  });
});

describe('errors is always a list or an object (the SDKs iterate it)', () => {
  it('adding sender ids to a channel, and contacts to a group, with nothing wrong', async () => {
    const { call } = await synWorkspace(c, 'errors-never-null');
    const ch = (await call('POST', '/messaging/channels', { name: 'ch' })).body.id;
    const added = await call('POST', `/messaging/channels/${ch}/sender_ids`, { sender_ids: ['sender-default-longcode'] });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ id: ch, errors: [] });
    const contact = (await call('POST', '/contacts', { first_name: 'Ann', primary_mdn: '+15551230077' })).body.id;
    const group = (await call('POST', '/contact_groups', { name: 'g' })).body.id;
    const members = await call('POST', `/contact_groups/${group}/contacts`, { contacts: contact });
    expect(members.status).toBe(200);
    expect(members.body.errors).toEqual({});
  });
});
