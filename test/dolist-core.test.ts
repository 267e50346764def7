// Dolist foundations over HTTP: X-API-Key auth (401), tenancy (403 [6] for an account the key
// may not use), the ServiceStack envelope and the catalogue's codes verbatim, case-insensitive
// paths and query names, trailing slashes, request budgets (X-Rate-Limit-* headers on every
// answer, 429 when spent, back when the window turns on the workspace clock, set per workspace
// through the control API or a scenario's fixtures). Every response is validated against
// specs/dolist.yaml.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/apis/dolist/error-catalogue.js';
import { DOL, dolistWorkspace, startApp, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

describe('authentication and tenancy', () => {
  it('answers 401 without a key or with an unknown one, in the ServiceStack envelope', async () => {
    const w = await dolistWorkspace(c, 'dl-auth');
    const none = await c.req('GET', `${DOL}/applications`);
    expect(none.status).toBe(401);
    expect(none.body.ResponseStatus.ErrorCode).toBe('Unauthorized');
    const wrong = await c.req('GET', `${DOL}/applications`, { headers: { 'x-api-key': 'nope' } });
    expect(wrong.status).toBe(401);
    expect((await c.req('GET', `${DOL}/applications`, { headers: { 'X-API-KEY': w.creds.main } })).status).toBe(200);
    expect((await c.req('GET', `${DOL}/applications?apikey=${w.creds.main}`)).status).toBe(200);
  });

  it('a key of another workspace is unknown here', async () => {
    const a = await dolistWorkspace(c, 'dl-ws-a');
    const b = await dolistWorkspace(c, 'dl-ws-b');
    expect(a.creds.main).not.toBe(b.creds.main);
    const r = await c.req('GET', `${DOL}/applications`, { headers: { 'x-api-key': a.creds.main, 'x-sim-workspace': 'dl-ws-b' } });
    expect(r.status).toBe(401);
  });
});

describe('routing and errors', () => {
  it('matches paths and query names case-insensitively, with or without a trailing slash', async () => {
    const w = await dolistWorkspace(c, 'dl-routing');
    const canonical = await w.main('GET', '/applications/1');
    expect(canonical.status).toBe(200);
    expect(canonical.body).toEqual({ ID: 1, Name: 'Campaign' });
    for (const p of ['/APPLICATIONS/1', '/Applications/1/', '/applications/1/']) {
      const r = await c.req('GET', `${DOL}${p}`, { headers: { 'x-api-key': w.creds.main } });
      expect(r.status, p).toBe(200);
      expect(r.body).toEqual(canonical.body);
    }
    const upper = await c.req('GET', `/DOLIST/V1/applications`, { headers: { 'x-api-key': w.creds.main } });
    expect(upper.status).toBe(200);
    expect(upper.body.ItemList[1]).toEqual({ ID: 2, Name: 'Extranet' });
    expect(upper.body.Total).toBe(3);
  });

  it('answers a resource not found with its own code and message, verbatim', async () => {
    const w = await dolistWorkspace(c, 'dl-notfound');
    const r = await w.main('GET', '/applications/77');
    expect(r.status).toBe(404);
    expect(r.body.ResponseStatus).toMatchObject({ ErrorCode: '8', Message: 'The specified application has not been found.' });
    expect(r.body.ResponseStatus.Errors[0]).toMatchObject({ ErrorCode: '8', FieldName: 'ApplicationID' });
  });

  it('answers validation failures 400 [36], the field and reason in Errors', async () => {
    const w = await dolistWorkspace(c, 'dl-invalid');
    const r = await w.main('GET', '/applications/abc');
    expect(r.status).toBe(400);
    expect(r.body.ResponseStatus.ErrorCode).toBe('36');
    expect(r.body.ResponseStatus.Message).toBe('An invalid argument has been specified.');
    expect(r.body.ResponseStatus.Errors[0]).toMatchObject({ ErrorCode: '36', FieldName: 'ApplicationID' });
  });

  it('answers an unknown route 404 and a wrong method 405 in the same envelope', async () => {
    const w = await dolistWorkspace(c, 'dl-routes');
    const r = await w.main('GET', '/nosuch/thing');
    expect(r.status).toBe(404);
    expect(r.body.ResponseStatus.ErrorCode).toBe('NotFound');
    const m = await w.main('PATCH', '/applications/1');
    expect(m.status).toBe(405);
    expect(m.body.ResponseStatus.ErrorCode).toBe('MethodNotAllowed');
  });

  it('holds the whole catalogue of the reference: 183 codes, statuses and messages verbatim', () => {
    expect(Object.keys(CATALOGUE)).toHaveLength(183);
    expect(CATALOGUE['0']).toEqual([500, 'Une exception inattendue est survenue. Veuillez contacter le support.']);
    expect(CATALOGUE['401']).toEqual([404, 'The specified contact has not been found.']);
    expect(CATALOGUE['409']).toEqual([400, 'The composite key is not valid.']);
    expect(CATALOGUE['1305']).toEqual([400, 'The given export type in invalid.']);
    expect(CATALOGUE['1103']).toEqual([404, 'La facture demandé est introuvable.']);
    expect(CATALOGUE['521'][0]).toBe(500);
    expect(CATALOGUE['506'][0]).toBe(400);
  });
});

describe('request budgets', () => {
  it('sends X-Rate-Limit-Remaining and X-Rate-Limit-Reset (epoch ms) on every answer', async () => {
    const w = await dolistWorkspace(c, 'dl-rate-headers');
    const a = await w.main('GET', '/applications');
    const b = await w.main('GET', '/applications/77');
    expect(Number(a.headers.get('x-rate-limit-remaining'))).toBe(4999);
    expect(Number(b.headers.get('x-rate-limit-remaining'))).toBe(4998);
    const reset = Number(a.headers.get('x-rate-limit-reset'));
    expect(reset).toBe(Date.parse('2026-03-02T09:01:00Z'));
  });

  it('refuses with 429 once the budget is spent, and gives it back when the window turns', async () => {
    const w = await dolistWorkspace(c, 'dl-rate-429');
    await c.sim('PUT', '/workspaces/dl-rate-429/rate-limit/dolist', { limit: 3, windowMs: 10_000 });
    for (let i = 0; i < 3; i++) expect((await w.main('GET', '/applications')).status).toBe(200);
    const r = await w.main('GET', '/applications');
    expect(r.status).toBe(429);
    expect(r.body.ResponseStatus.ErrorCode).toBe('TooManyRequests');
    expect(r.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Number(r.headers.get('x-rate-limit-reset'))).toBe(Date.parse('2026-03-02T09:00:10Z'));
    // another key has its own budget
    expect((await w.brandB('GET', '/applications')).status).toBe(200);
    const state = await c.sim('GET', '/workspaces/dl-rate-429/rate-limit/dolist?key=main');
    expect(state).toMatchObject({ limit: 3, windowMs: 10_000, remaining: 0 });
    await w.advance(10_000);
    const back = await w.main('GET', '/applications');
    expect(back.status).toBe(200);
    expect(back.headers.get('x-rate-limit-remaining')).toBe('2');
    await c.sim('DELETE', '/workspaces/dl-rate-429/rate-limit/dolist');
    expect((await w.main('GET', '/applications')).headers.get('x-rate-limit-remaining')).toBe('4999');
  });

  it('takes its budget from a scenario\'s fixtures', async () => {
    const w = await dolistWorkspace(c, 'dl-rate-scenario', { scenario: { name: 'tight', fixtures: { dolist: { rateLimit: { limit: 1, windowMs: 60_000 } } } } });
    expect((await w.main('GET', '/applications')).status).toBe(200);
    expect((await w.main('GET', '/applications')).status).toBe(429);
  });
});
