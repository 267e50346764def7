// Clevermultimedias over HTTP on a manual clock: Basic auth (401) and account expiry (430),
// account units, users and roles, contacts (409 / duplicates=1), push campaigns (units, nb_sms,
// 402, duplicates, criteria, broadcasts), lifecycle (deferred, 204/405/404), acknowledgements
// (2 -> 3/6/4 on the clock, test numbers and addresses), MOs, field list and predefined messages.
// Every response is validated against specs/clever.yaml by the helpers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCriteria } from '../src/apis/clever/criteria.js';
import { formatIso8601, formatLocal, parseLocal } from '../src/apis/clever/dates.js';
import { smsSegments } from '../src/apis/clever/pricing.js';
import { startApp, type Client, basic } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

/** 2026-01-05T12:00:00Z is 13:00:00 in Paris (winter time). */
const START = '2026-01-05T12:00:00Z';


async function cleverWorkspace(id: string, extra: Record<string, unknown> = {}) {
  const ws = await c.sim('POST', '/workspaces', { id, clock: { mode: 'manual', now: START }, ...extra });
  const { login, password } = ws.credentials.clever;
  const auth = { authorization: basic(login, password) };
  const as = (headers: Record<string, string>) => (method: string, path: string, body?: unknown) => c.req(method, `/clever${path}`, { body, headers });
  const call = as(auth);
  const advance = (ms: number) => c.sim('POST', `/workspaces/${id}/clock/advance`, { ms });
  const units = async () => (await call('GET', '/api/account/me')).body.account.credit as number;
  return { ws, login, password, auth, as, call, advance, units };
}

describe('authentication and expiry', () => {
  it('accepts Basic with or without the "Basic" word, and answers 401 otherwise', async () => {
    const { login, password, as } = await cleverWorkspace('cl-auth');
    const b64 = Buffer.from(`${login}:${password}`).toString('base64');
    expect((await as({ authorization: `Basic ${b64}` })('GET', '/api/account/me')).status).toBe(200);
    expect((await as({ authorization: b64 })('GET', '/api/account/me')).status).toBe(200);
    const missing = await as({})('GET', '/api/account/me');
    expect(missing.status).toBe(401);
    expect(missing.body.errors.authentication).toMatch(/^L'authentification est incorrecte/);
    const wrong = await as({ authorization: basic(login, 'nope') })('GET', '/api/contactlists');
    expect(wrong.status).toBe(401);
    expect(Object.keys(wrong.body.errors)).toEqual(['authentication']);
    expect((await as({ authorization: 'Basic %%%' })('GET', '/api/account/me')).status).toBe(401);
  });

  it('serves the default workspace with the documented credentials', async () => {
    const r = await c.req('GET', '/clever/api/account/me', { headers: { authorization: basic('commsim', 'commsim-clever') } });
    expect(r.status).toBe(200);
    expect(r.body.account.credit).toBe(10000);
  });

  it('answers 430 "Account expired YYYY-mm-JJ" past date_expiration, except on /api/account/me', async () => {
    const { call } = await cleverWorkspace('cl-expired', {
      scenario: { name: 'expired', fixtures: { clever: { account: { date_expiration: '2025-12-31 23:59:59' } } } },
    });
    const r = await call('GET', '/api/contactlists');
    expect(r.status).toBe(430);
    expect(r.body).toEqual({ errors: { account: 'Account expired 2025-12-31' } });
    expect((await call('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600000001', encodage: 3 } })).status).toBe(430);
    // 430 comes before request validation (check order 401 -> 430 -> 400).
    expect((await call('POST', '/api/pushs', { nodatas: true })).status).toBe(430);
    const me = await call('GET', '/api/account/me');
    expect(me.status).toBe(200);
    expect(me.body.account.date_expiration).toBe('2025-12-31 23:59:59');
  });

  it('expires on the workspace clock', async () => {
    const { call, advance } = await cleverWorkspace('cl-expiring', {
      scenario: { name: 'expiring', fixtures: { clever: { account: { date_expiration: '2026-01-05 13:00:30' } } } },
    });
    expect((await call('GET', '/api/fieldlist')).status).toBe(200);
    await advance(31_000);
    const r = await call('GET', '/api/fieldlist');
    expect(r.status).toBe(430);
    expect(r.body.errors.account).toBe('Account expired 2026-01-05');
  });
});

describe('account and users', () => {
  it('shows the profile with the units left', async () => {
    const { call } = await cleverWorkspace('cl-account');
    const r = await call('GET', '/api/accounts/me');
    expect(r.status).toBe(200);
    expect(r.body.account).toMatchObject({ name: 'Clever', lastname: 'Tec', credit: 10000, date_expiration: '2033-02-10 09:49:21', company: { zip_code: 77183 } });
  });

  it('creates users that log in with their own credentials and roles', async () => {
    const { call, as } = await cleverWorkspace('cl-users');
    const body = {
      datas: {
        username: 'useryb',
        password: 'A12345678e',
        credit: 20,
        account: { name: 'clever', lastname: 'tec', email: 'support@clever.fr', telephone: '+33160536053', company: { address: 'Croissy', company_name: 'IS' } },
      },
    };
    const created = await call('POST', '/api/users', body);
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ username: 'useryb', password: 'A12345678e', account: { name: 'clever', company: { address: 'Croissy', company_name: 'IS' } } });
    const id = created.body.user.id;
    expect(Number.isInteger(id)).toBe(true);
    expect((await call('POST', '/api/users', body)).status).toBe(409);
    const weak = await call('POST', '/api/users', { datas: { ...body.datas, username: 'other', password: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.body.errors.password).toBeDefined();

    const got = await call('GET', `/api/users/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.user.password).toBeUndefined();
    expect((await call('GET', '/api/users/9999')).status).toBe(404);
    expect((await call('GET', '/api/users/abc')).status).toBe(400);

    const user = as({ authorization: basic('useryb', 'A12345678e') });
    const me = await user('GET', '/api/account/me');
    expect(me.body.account).toMatchObject({ name: 'clever', credit: 20 });
    expect((await user('GET', `/api/users/${id}`)).status).toBe(200);
    expect((await user('GET', '/api/users/1')).status).toBe(403);
    expect((await user('POST', '/api/users', { datas: { ...body.datas, username: 'sub' } })).status).toBe(403);
    const denied = await user('GET', '/api/contactlists/useryb');
    expect(denied.status).toBe(403);
    expect(denied.body.errors.role).toBeDefined();

    // The user's own address book, listed by the manager.
    expect((await user('POST', '/api/contacts', { datas: { name: 'a', lastName: 'b', gsmPrimary: '+33611111111' } })).status).toBe(201);
    const listed = await call('GET', '/api/contactlists/useryb');
    expect(listed.status).toBe(200);
    expect(listed.body.contact.map((x: any) => x.gsm_primary)).toEqual(['611111111']);
    expect((await call('GET', '/api/contactlists')).body.contact).toEqual([]);
    expect((await call('GET', '/api/contactlists/nobody')).status).toBe(404);

    // Update: 204, new password works, old one does not; the user's units are its own.
    const put = await call('PUT', `/api/users/${id}`, { datas: { ...body.datas, password: 'B12345678e', credit: 5 } });
    expect(put.status).toBe(204);
    expect((await user('GET', '/api/account/me')).status).toBe(401);
    const user2 = as({ authorization: basic('useryb', 'B12345678e') });
    expect((await user2('GET', '/api/account/me')).body.account.credit).toBe(5);
    const poor = await user2('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600000001', encodage: 3 } });
    expect(poor.status).toBe(402);
    expect((await call('GET', '/api/account/me')).body.account.credit).toBe(10000);
  });
});

describe('contacts', () => {
  it('creates, reads, updates, lists and deletes; 409 on duplicates unless duplicates=1', async () => {
    const { call } = await cleverWorkspace('cl-contacts');
    const first = await call('POST', '/api/contacts', { datas: { name: 'contact', lastName: 'contact lastname', gsmPrimary: '+33600000001', email: 'contact@email.com' } });
    expect(first.status).toBe(201);
    expect(first.body.contact).toEqual({ id: first.body.contact.id, name: 'contact', last_name: 'contact lastname', gsm_primary: '600000001', email: 'contact@email.com' });
    const id = first.body.contact.id;

    const dup = await call('POST', '/api/contacts', { datas: { name: 'other', lastname: 'x', gsm_primary: '+33600000001' } });
    expect(dup.status).toBe(409);
    expect(dup.body.errors.duplicates).toMatch(/^Le contact existe, le paramètre duplicates doit être activé/);
    expect((await call('POST', '/api/contacts', { datas: { name: 'other', lastname: 'x', gsm_primary: '+33600000001', duplicates: 1 } })).status).toBe(201);
    expect((await call('POST', '/api/contacts?duplicates=1', { datas: { name: 'third', lastname: 'x', gsm_primary: '+33600000001' } })).status).toBe(201);
    expect((await call('GET', '/api/contactlists')).body.contact).toHaveLength(3);

    const bad = await call('POST', '/api/contacts', { datas: { name: 'x', lastName: 'y', gsmPrimary: '0600000001' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.gsmPrimary).toBeDefined();
    const special = await call('POST', '/api/contacts', { datas: { name: 'x<script>', lastName: 'y', gsmPrimary: '+33600000009' } });
    expect(special.status).toBe(400);
    expect(special.body.errors.name).toBeDefined();

    const upd = await call('PUT', `/api/contacts/${id}`, { datas: { name: 'contact', lastName: 'renamed', gsmPrimary: '+33600000002', city: 'Torcy' } });
    expect(upd.status).toBe(204);
    expect((await call('GET', `/api/contacts/${id}`)).body.contact).toMatchObject({ last_name: 'renamed', gsm_primary: '600000002', city: 'Torcy', email: 'contact@email.com' });
    const other = await call('POST', '/api/contacts', { datas: { name: 'z', lastName: 'z', gsmPrimary: '+33600000003' } });
    expect((await call('PUT', `/api/contacts/${other.body.contact.id}`, { datas: { name: 'z', lastName: 'z', gsmPrimary: '+33600000002' } })).status).toBe(409);

    expect((await call('DELETE', `/api/contacts/${id}`)).status).toBe(204);
    expect((await call('GET', `/api/contacts/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/contacts/${id}`)).status).toBe(404);
    expect((await call('PUT', `/api/contacts/${id}`, { datas: { name: 'a', lastName: 'b', gsmPrimary: '+33600000004' } })).status).toBe(404);
  });
});

describe('message campaigns', () => {
  it('prices SMS per segment (encodage 3 and 4) and debits the units', async () => {
    const { call, units, ws } = await cleverWorkspace('cl-pricing');
    const r = await call('POST', '/api/pushs', { datas: { text: 'test envoi du message', number_list: '+33600000001;+33600000002', type_push: 'sms', encodage: 3, options: 'F1', duplicates: 0 } });
    expect(r.status).toBe(201);
    expect(r.body.push).toEqual({
      reference: 'Push20260105130000',
      nb_destination: 2,
      number_list: '+33600000001;+33600000002',
      encodage: 3,
      text: 'test envoi du message',
      hd_send: '2026-01-05 13:00:00',
      filename: 'noFile',
      type_push: 'sms',
      unit: 14,
      nb_sms: 1,
      duplicates: 0,
    });
    expect(await units()).toBe(10000 - 14);

    const long = await call('POST', '/api/pushs', { datas: { text: 'a'.repeat(161), number_list: '+33600000001', encodage: 3 } });
    expect(long.body.push).toMatchObject({ nb_sms: 2, unit: 14 });
    const ext = await call('POST', '/api/pushs', { datas: { text: '€'.repeat(81), number_list: '+33600000001', encodage: 3 } });
    expect(ext.body.push).toMatchObject({ nb_sms: 2 });
    const ucs = await call('POST', '/api/pushs', { datas: { text: 'é'.repeat(70), number_list: '+33600000001', encodage: 4 } });
    expect(ucs.body.push).toMatchObject({ nb_sms: 1, unit: 7, encodage: 4 });
    const ucs2 = await call('POST', '/api/pushs', { datas: { text: 'é'.repeat(71), number_list: ['+33600000001', '+33600000002', '+33600000003'], encodage: '4' } });
    expect(ucs2.body.push).toMatchObject({ nb_sms: 2, unit: 42, nb_destination: 3 });
    expect(await units()).toBe(10000 - 14 - 14 - 14 - 7 - 42);

    // References stay unique within one second.
    const refs = [r, long, ext, ucs, ucs2].map((x) => x.body.push.reference);
    expect(new Set(refs).size).toBe(5);
    const ledger = await c.sim('GET', `/workspaces/${ws.id}/credit/clever`);
    expect(ledger).toMatchObject({ currency: 'units', balance: 10000 - 91 });
    expect(ledger.entries.filter((e: any) => e.amount < 0).map((e: any) => e.ref)).toEqual(refs);
  });

  it('answers 402 and creates nothing when the units are short', async () => {
    const { call, ws } = await cleverWorkspace('cl-402');
    await c.sim('PUT', `/workspaces/${ws.id}/credit/clever`, { balance: 10 });
    const r = await call('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600000001;+33600000002', encodage: 3 } });
    expect(r.status).toBe(402);
    expect(r.body.errors.credit).toMatch(/^Le crédit du compte est insuffisant/);
    const mail = await call('POST', '/api/pushsmails', { datas: { text: 'x', email_subject: 's', email_list: Array.from({ length: 6 }, (_, i) => `a${i}@x.fr`) } });
    expect(mail.status).toBe(402);
    expect((await call('GET', '/api/account/me')).body.account.credit).toBe(10);
    expect((await c.sim('GET', `/workspaces/${ws.id}/state/clever/campaigns`)).total).toBe(0);
    const ok = await call('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600000001', encodage: 3 } });
    expect(ok.status).toBe(201);
    expect(ok.body.push.reference).toBe('Push20260105130000');
    expect((await call('GET', '/api/account/me')).body.account.credit).toBe(3);
  });

  it('collapses repeated recipients unless duplicates=1', async () => {
    const { call } = await cleverWorkspace('cl-dups');
    const once = await call('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600000001;+33600000001; +33600000002', encodage: 3 } });
    expect(once.body.push).toMatchObject({ nb_destination: 2, number_list: '+33600000001;+33600000002', unit: 14 });
    const kept = await call('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600000001;+33600000001', encodage: 3, duplicates: 1 } });
    expect(kept.body.push).toMatchObject({ nb_destination: 2, number_list: '+33600000001;+33600000001', unit: 14, duplicates: 1 });
    expect((await call('GET', `/api/pushs/${kept.body.push.reference}/deliveries`)).body.deliveries).toHaveLength(2);
    const bad = await call('POST', '/api/pushs', { datas: { text: 'x', number_list: '+33600000001;0600', encodage: 3 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.number_list).toContain("'0600'");
    const missing = await call('POST', '/api/pushs', { datas: { number_list: '+33600000001', encodage: 3 } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.text).toBeDefined();
  });

  it('sends to the contacts matching criteria, 400 on a bad expression', async () => {
    const { call } = await cleverWorkspace('cl-criteria');
    const add = (gsm: string, extra: Record<string, unknown>) => call('POST', '/api/contacts', { datas: { name: 'n', lastName: 'l', gsmPrimary: gsm, ...extra } });
    await add('+33600000011', { diffusion: 'on', BRINGUP: 'oui', email: 'a@x.fr' });
    await add('+33600000012', { diffusion: 'off', BRINGUP: 'oui', email: 'b@x.fr' });
    await add('+33600000013', { diffusion: 'ON', bringup: 'OUI', city: 'Torcy' });
    const r = await call('POST', '/api/pushscriterias', { datas: { text: 'send push criteria test', criteria: 'diffusion=on and BRINGUP=oui', type_push: 'sms', encodage: 3, options: 'F1', duplicates: 0 } });
    expect(r.status).toBe(201);
    expect(r.body.push).toMatchObject({ nb_destination: 2, number_list: '+33600000011;+33600000013', unit: 14 });
    expect(r.body.push.reference).toMatch(/^Push2026010513000010[0-9a-f]{31}$/);
    const or = await call('POST', '/api/pushscriterias', { datas: { text: 'x', criteria: "city='Torcy' OR diffusion != on", encodage: 3 } });
    expect(or.body.push.number_list).toBe('+33600000012;+33600000013');
    const none = await call('POST', '/api/pushscriterias', { datas: { text: 'x', criteria: 'diffusion=never', encodage: 3 } });
    expect(none.body.push).toMatchObject({ nb_destination: 0, unit: 0 });
    expect((await call('GET', `/api/pushs/${none.body.push.reference}`)).body.push.status).toBe(2);
    const mail = await call('POST', '/api/pushsmailcriterias', { datas: { text: 'x', criteria: 'BRINGUP=oui', email_subject: 'push mail', open_tag: 0, type_mail: 'html', duplicates: 1 } });
    expect(mail.status).toBe(201);
    expect(mail.body.push).toMatchObject({ email_list: 'a@x.fr;b@x.fr', status: 1, type_push: 'mail', unit: 4, nb_mail: 2 });
    for (const criteria of ['diffusion=on and', 'diffusion on', '(diffusion=on)', 'nosuchfield=1', "city='Torcy"]) {
      const bad = await call('POST', '/api/pushscriterias', { datas: { text: 'x', criteria, encodage: 3 } });
      expect(bad.status, criteria).toBe(400);
      expect(bad.body.errors.criteria, criteria).toMatch(/invalid criteria expression/);
    }
  });

  it('broadcasts to all contacts with the seed 3.15 shape', async () => {
    const { call } = await cleverWorkspace('cl-broadcast');
    await call('POST', '/api/contacts', { datas: { name: 'a', lastName: 'a', gsmPrimary: '+33651028452', email: 'a@x.fr' } });
    await call('POST', '/api/contacts', { datas: { name: 'b', lastName: 'b', gsmPrimary: '+33771100899' } });
    const r = await call('POST', '/api/pushsbroadcasts', { datas: { text: 'send push all contacts test', type_push: 'sms', encodage: 3, options: 'F1', gsm_routage_mo: '+33600000012', mail_routage_mo: 'test@clever.fr', duplicates: 0 } });
    expect(r.status).toBe(201);
    expect(r.body.push).toMatchObject({
      nb_destination: 2,
      number_list: '+33651028452;+33771100899',
      date_entry: '2026-01-05T13:00:00+0100',
      hd_send: '2026-01-05T13:00:00+0100',
      unit: 14,
      options: 'F1',
      way: 1,
      duplicates: '0',
      gsm_routage_mo: '+33600000012',
      mail_routage_mo: 'test@clever.fr',
    });
    expect(Number.isInteger(r.body.push.id)).toBe(true);
    const mail = await call('POST', '/api/pushmailbroadcasts', { datas: [{ text: 'Send Push mail for all contacts', email_subject: 'push mail', open_tag: 0, duplicates: 1, type_mail: 'html' }] });
    expect(mail.status).toBe(201);
    expect(mail.body.push).toMatchObject({ email_list: 'a@x.fr', unit: 2, nb_mail: 1, type_push: 'mail' });
    expect(mail.body.push.id).toBe(r.body.push.id + 1);
  });

  it('sends predefined messages by title', async () => {
    const { call } = await cleverWorkspace('cl-predefined');
    const list = await call('GET', '/api/predefinedmessage');
    expect(list.status).toBe(200);
    const [first] = list.body.predefined_message;
    expect(first).toMatchObject({ id: 1, title: 'Rappel RDV' });
    await call('POST', '/api/contacts', { datas: { name: 'a', lastName: 'a', gsmPrimary: '+33600000001' } });
    const r = await call('POST', '/api/pushsbroadcasts', { datas: { text: first.title, encodage: 3, predefined_message: 1 } });
    expect(r.body.push.text).toBe(first.text);
    const bad = await call('POST', '/api/pushsbroadcasts', { datas: { text: 'no such title', encodage: 3, predefined_message: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.text).toBeDefined();
    const fields = await call('GET', '/api/fieldlist');
    expect(fields.body).toEqual({ fields: [{ id: 1, name: 'diffusion' }, { id: 2, name: 'BRINGUP' }] });
  });
});

describe('lifecycle and acknowledgements', () => {
  it('moves status 1 -> 2 and deliveries "2" -> "3" on the clock', async () => {
    const { call, advance } = await cleverWorkspace('cl-acks');
    const ref = (await call('POST', '/api/pushs', { datas: { text: 'hello', number_list: '+33600000001;+33600000002', encodage: 3 } })).body.push.reference;
    let push = (await call('GET', `/api/pushs/${ref}`)).body.push;
    expect(push).toMatchObject({ status: 1, short_code: '', options: 'F1', nb_destination: 2, hd_send: '2026-01-05 13:00:00' });
    let acks = (await call('GET', `/api/pushs/${ref}/deliveries`)).body.deliveries;
    expect(acks).toEqual([
      { message: 'hello', typemessage: 'sms', date_send: '2026-01-05 13:00:00', recipient: '+33600000001', status: '2' },
      { message: 'hello', typemessage: 'sms', date_send: '2026-01-05 13:00:00', recipient: '+33600000002', status: '2' },
    ]);
    await advance(1000);
    push = (await call('GET', `/api/pushs/${ref}`)).body.push;
    expect(push.status).toBe(2);
    acks = (await call('GET', `/api/pushs/${ref}/deliveries`)).body.deliveries;
    expect(acks.map((a: any) => [a.status, a.date_receive])).toEqual([
      ['3', '2026-01-05 13:00:01'],
      ['3', '2026-01-05 13:00:01'],
    ]);
  });

  it('gives the test numbers their fixed outcomes', async () => {
    const { call, advance } = await cleverWorkspace('cl-testnumbers');
    const numbers = ['+33600999001', '+33600999002', '+33600999003', '+33600999004', '+33600999005', '+33600000001'];
    const ref = (await call('POST', '/api/pushs', { datas: { text: 'x', number_list: numbers.join(';'), encodage: 3 } })).body.push.reference;
    const statuses = async () => Object.fromEntries(((await call('GET', `/api/pushs/${ref}/deliveries`)).body.deliveries as any[]).map((d) => [d.recipient.slice(-6), d.status]));
    expect(await statuses()).toEqual({ '999001': '2', '999002': '2', '999003': '2', '999004': '4', '999005': '2', '000001': '2' });
    await advance(1000);
    expect(await statuses()).toMatchObject({ '999001': '2', '000001': '3' });
    await advance(1000);
    expect(await statuses()).toMatchObject({ '999001': '4', '999003': '2' });
    await advance(3000);
    expect(await statuses()).toMatchObject({ '999003': '3', '999005': '2' });
    await advance(25_000);
    expect(await statuses()).toEqual({ '999001': '4', '999002': '2', '999003': '3', '999004': '4', '999005': '4', '000001': '3' });
    await advance(24 * 3600_000);
    expect((await statuses())['999002']).toBe('2');
  });

  it('acknowledges TTS with "6" 15 s after sending, 9 units per message', async () => {
    const { call, advance } = await cleverWorkspace('cl-tts');
    const r = await call('POST', '/api/pushs', { datas: { text: 'test envoi du message', number_list: '+33600000001', encodage: 3, type_push: 'tts' } });
    expect(r.body.push).toMatchObject({ type_push: 'tts', unit: 9, nb_sms: 1 });
    const ref = r.body.push.reference;
    await advance(14_000);
    expect((await call('GET', `/api/pushs/${ref}/deliveries`)).body.deliveries[0]).toMatchObject({ typemessage: 'tts', status: '2' });
    await advance(1000);
    expect((await call('GET', `/api/pushs/${ref}/deliveries`)).body.deliveries[0]).toMatchObject({ status: '6', date_receive: '2026-01-05 13:00:15' });
  });

  it('defers campaigns with a future hd_send: 204 on delete (refunded), 405 once started, 404 unknown', async () => {
    const { call, advance, units } = await cleverWorkspace('cl-deferred');
    const later = { text: 'x', number_list: '+33600000001', encodage: 3, hd_send: '2026-01-05 14:00:00' };
    const a = (await call('POST', '/api/pushs', { datas: later })).body.push;
    expect(a.hd_send).toBe('2026-01-05 14:00:00');
    expect((await call('GET', `/api/pushs/${a.reference}`)).body.push.status).toBe(0);
    expect((await call('GET', `/api/pushs/${a.reference}/deliveries`)).body.deliveries).toEqual([]);
    expect(await units()).toBe(10000 - 7);
    expect((await call('DELETE', `/api/pushs/${a.reference}`)).status).toBe(204);
    expect(await units()).toBe(10000);
    expect((await call('GET', `/api/pushs/${a.reference}`)).status).toBe(404);
    expect((await call('DELETE', `/api/pushs/${a.reference}`)).status).toBe(404);
    expect((await call('DELETE', '/api/pushs/Push19990101000000')).status).toBe(404);

    await advance(1000);
    const b = (await call('POST', '/api/pushs', { datas: later })).body.push;
    const now = (await call('POST', '/api/pushs', { datas: { text: 'y', number_list: '+33600000002', encodage: 3 } })).body.push;
    const started = await call('DELETE', `/api/pushs/${now.reference}`);
    expect(started.status).toBe(405);
    expect(started.body.errors.referencePush).toMatch(/^L'opération demandée n'est pas permise/);
    await advance(3598_000);
    expect((await call('GET', `/api/pushs/${b.reference}`)).body.push.status).toBe(0);
    await advance(1000); // 14:00:00, the requested hd_send
    expect((await call('GET', `/api/pushs/${b.reference}`)).body.push.status).toBe(1);
    expect((await call('GET', `/api/pushs/${b.reference}/deliveries`)).body.deliveries).toEqual([
      { message: 'x', typemessage: 'sms', date_send: '2026-01-05 14:00:00', recipient: '+33600000001', status: '2' },
    ]);
    await advance(1000);
    expect((await call('GET', `/api/pushs/${b.reference}`)).body.push.status).toBe(2);
    expect((await call('DELETE', `/api/pushs/${b.reference}`)).status).toBe(405);
    const bad = await call('POST', '/api/pushs', { datas: { ...later, hd_send: '2026-02-30 10:00:00' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.hd_send).toBeDefined();
  });

  it('runs mail campaigns on both spellings (pushsmails / pushmails)', async () => {
    const { call, advance } = await cleverWorkspace('cl-mail');
    const r = await call('POST', '/api/pushsmails', { datas: { text: 'Send Push Mail test', email_list: 'cleverimap@gmail.com;cleverimap@gmail.com;x+bounce@y.fr', email_subject: 'push mail', open_tag: 0, type_mail: 'html', duplicates: 1 } });
    expect(r.status).toBe(201);
    expect(r.body.push).toMatchObject({ email_list: 'cleverimap@gmail.com;cleverimap@gmail.com;x+bounce@y.fr', unit: 6, nb_mail: 3, filename: 'noFile', type_mail: 'html', duplicates: 1 });
    const ref = r.body.push.reference;
    const alias = await call('POST', '/api/pushmails', { datas: { text: 't', email_list: 'a@b.fr', email_subject: 's' } });
    expect(alias.status).toBe(201);
    expect(alias.body.push).toMatchObject({ unit: 2, type_mail: 'brut' });
    expect(alias.body.push.reference).not.toBe(ref);

    for (const p of [`/api/pushsmails/${ref}`, `/api/pushmails/${ref}`]) {
      const g = await call('GET', p);
      expect(g.status).toBe(200);
      expect(g.body.push).toMatchObject({ reference: ref, status: 1, type_push: 'mail', nb_mail: 3 });
    }
    let acks = (await call('GET', `/api/pushmails/${ref}/deliveries`)).body.deliveries;
    expect(acks[0]).toEqual({ subject: 'push mail', body: 'Send Push Mail test', reply_to: '', date_send: '2026-01-05 13:00:00', recipient: 'cleverimap@gmail.com', status: '2' });
    await advance(2000);
    acks = (await call('GET', `/api/pushsmails/${ref}/deliveries`)).body.deliveries;
    expect(acks.map((a: any) => [a.recipient, a.status, a.date_receive])).toEqual([
      ['cleverimap@gmail.com', '3', '2026-01-05 13:00:02'],
      ['cleverimap@gmail.com', '3', '2026-01-05 13:00:02'],
      ['x+bounce@y.fr', '4', '2026-01-05 13:00:02'],
    ]);
    // The channels do not mix: a mail reference on the message paths is 405.
    expect((await call('GET', `/api/pushs/${ref}`)).status).toBe(405);
    expect((await call('GET', `/api/pushs/${ref}/mos`)).status).toBe(405);
    expect((await call('DELETE', `/api/pushmails/${ref}`)).status).toBe(405);

    const deferred = (await call('POST', '/api/pushsmails', { datas: { text: 't', email_list: 'a@b.fr', email_subject: 's', hd_send: '2026-01-06 09:00:00' } })).body.push;
    expect((await call('DELETE', `/api/pushmails/${deferred.reference}`)).status).toBe(204);
    expect((await call('GET', `/api/pushsmails/${deferred.reference}`)).status).toBe(404);
  });
});

describe('MOs', () => {
  it('attaches injected replies to the latest SMS campaign that sent to the number', async () => {
    const { call, ws } = await cleverWorkspace('cl-mos');
    const first = (await call('POST', '/api/pushs', { datas: { text: 'a', number_list: '+33651028452', encodage: 3 } })).body.push.reference;
    await c.sim('POST', `/workspaces/${ws.id}/clock/advance`, { ms: 5000 });
    const second = (await call('POST', '/api/pushs', { datas: { text: 'b', number_list: '+33651028452;+33600000002', encodage: 3 } })).body.push.reference;
    expect((await call('GET', `/api/pushs/${second}/mos`)).body).toEqual({ mos: [] });

    const injected = await c.sim('POST', `/workspaces/${ws.id}/inject/mo-message`, { api: 'clever', from: '+33651028452', body: 'Ok Yacine' });
    expect(injected.result).toMatchObject({ api: 'clever', reference: second });
    // Without "api" the runtime offers the reply to each simulator in turn.
    await c.sim('POST', `/workspaces/${ws.id}/inject/mo-message`, { from: '+33600000002', body: 'Stop' });
    const mos = (await call('GET', `/api/pushs/${second}/mos`)).body.mos;
    expect(mos).toEqual([
      { status: '5', date_receive: '2026-01-05 13:00:05', recipient: '+33651028452', message: 'Ok Yacine' },
      { status: '5', date_receive: '2026-01-05 13:00:05', recipient: '+33600000002', message: 'Stop' },
    ]);
    expect((await call('GET', `/api/pushs/${first}/mos`)).body.mos).toEqual([]);
    await c.sim('POST', `/workspaces/${ws.id}/inject/mo-message`, { api: 'clever', from: '+33651028452', body: 'late', reference: first });
    expect((await call('GET', `/api/pushs/${first}/mos`)).body.mos).toHaveLength(1);

    const stranger = await c.req('POST', `/_sim/workspaces/${ws.id}/inject/mo-message`, { body: { api: 'clever', from: '+33699999999', body: 'who?' } });
    expect(stranger.status).toBe(404);
    const events = await c.sim('GET', `/workspaces/${ws.id}/events?type=mo_received`);
    expect(events.events).toHaveLength(3);
  });
});

describe('options and scenario rules', () => {
  it('sends to every number with all_number=1 and cascades to gsm_secondary after time_cascade', async () => {
    const { call, advance, units } = await cleverWorkspace('cl-cascade');
    await call('POST', '/api/contacts', { datas: { name: 'a', lastName: 'a', gsmPrimary: '+33600999002', gsmSecondary: '+33600000022', landlinePrimary: '+33160000000' } });
    const all = await call('POST', '/api/pushsbroadcasts', { datas: { text: 'x', encodage: 3, all_number: 1 } });
    expect(all.body.push).toMatchObject({ nb_destination: 3, number_list: '+33600999002;+33600000022;+33160000000', unit: 21 });
    const before = await units();
    const cascade = (await call('POST', '/api/pushsbroadcasts', { datas: { text: 'y', encodage: 3, cascade: 1, time_cascade: 2 } })).body.push;
    expect(cascade).toMatchObject({ nb_destination: 1, unit: 7 });
    await advance(120_000);
    const acks = (await call('GET', `/api/pushs/${cascade.reference}/deliveries`)).body.deliveries;
    // 999002 is never acknowledged: after 2 minutes the secondary number gets the message (billed then).
    expect(acks.map((a: any) => [a.recipient, a.status, a.date_send])).toEqual([
      ['+33600999002', '2', '2026-01-05 13:00:00'],
      ['+33600000022', '2', '2026-01-05 13:02:00'],
    ]);
    expect(await units()).toBe(before - 14);
    expect((await call('GET', `/api/pushs/${cascade.reference}`)).body.push.unit).toBe(14);
  });

  it('lets scenario rules (on: push) force acknowledgement outcomes', async () => {
    const { call, advance } = await cleverWorkspace('cl-rules', {
      scenario: { name: 'rules', rules: [{ on: 'push', match: { api: 'clever', recipient: '/^\\+44/' }, outcome: { status: '4', afterMs: 500 } }] },
    });
    const ref = (await call('POST', '/api/pushs', { datas: { text: 'x', number_list: '+447700900123;+33600000001', encodage: 3 } })).body.push.reference;
    await advance(500);
    const acks = (await call('GET', `/api/pushs/${ref}/deliveries`)).body.deliveries;
    expect(acks.map((a: any) => a.status)).toEqual(['4', '2']);
  });

  it("answers unrouted methods and paths in the vendor's envelope", async () => {
    const { call } = await cleverWorkspace('cl-routes');
    const m = await call('PATCH', '/api/pushs');
    expect(m.status).toBe(405);
    expect(m.body.errors.method).toBeDefined();
    const p = await call('GET', '/api/nothing');
    expect(p.status).toBe(404);
    expect(p.body.errors).toBeDefined();
  });
});

describe('domain functions', () => {
  it('reads and writes Paris wall time across DST', () => {
    const summer = parseLocal('2017-10-12 18:05:30')!;
    expect(new Date(summer).toISOString()).toBe('2017-10-12T16:05:30.000Z');
    expect(formatIso8601(summer)).toBe('2017-10-12T18:05:30+0200');
    expect(formatLocal(Date.parse('2026-01-05T12:00:00Z'))).toBe('2026-01-05 13:00:00');
    expect(parseLocal('2017-02-30 10:00:00')).toBeUndefined();
    expect(parseLocal('2017-10-12T18:05:30')).toBeUndefined();
  });

  it('parses criteria with AND binding tighter than OR', () => {
    expect(parseCriteria("diffusion=on and BRINGUP='oui' OR city != Le Mans")).toEqual([
      [
        { field: 'diffusion', negated: false, value: 'on' },
        { field: 'BRINGUP', negated: false, value: 'oui' },
      ],
      [{ field: 'city', negated: true, value: 'Le Mans' }],
    ]);
  });

  it('counts segments by encodage', () => {
    expect(smsSegments('a'.repeat(160), 3)).toBe(1);
    expect(smsSegments('a'.repeat(306), 3)).toBe(2);
    expect(smsSegments('a'.repeat(307), 3)).toBe(3);
    expect(smsSegments('€'.repeat(80), 3)).toBe(1);
    expect(smsSegments('a'.repeat(134), 4)).toBe(2);
    expect(smsSegments('a'.repeat(135), 4)).toBe(3);
  });
});
