import { afterAll, beforeAll, it } from 'vitest';
import { dolistWorkspace, startApp, type Client } from './helpers.js';
let c: Client;
beforeAll(async () => { c = await startApp(); });
afterAll(async () => { await c.close(); });
it('smoke', async () => {
  const w = await dolistWorkspace(c, 'dl-smoke');
  const paths = ['/accounts/10001/packs', '/accounts/10001/packs/71', '/accounts/10001/roles?ApplicationID=1', '/accounts/10002/reasons?ApplicationID=1', '/accounts/10001/users?ApplicationID=1',
    '/accounts?UserFunction=Administrator', '/users/licence', '/users/attributes', '/users/301', '/users/301?RequiredFieldList=Email,AccountList', '/users/301/accounts', '/users/302/roles?ApplicationID=1', '/users/301/rightlevels?ApplicationID=1',
    '/roles/151?ApplicationID=1', '/roles/151/users?ApplicationID=1', '/roles/151/rightlevels?ApplicationID=1', '/rights?ApplicationID=1', '/rights/101?ApplicationID=1', '/rights/categories?ApplicationID=1', '/rights/categories/11?ApplicationID=1',
    '/rights/templates?ApplicationID=1', '/rights/templates/31?ApplicationID=1', '/rights/templates/31/rightlevels?ApplicationID=1', '/tags', '/tags/colors', '/tags/colors/2', '/tags/itemTypes', '/tags/itemTypes/2', '/variables?Limit=3', '/variables/7', '/forms/801/tags', '/tags/items/Form/801/tags'];
  for (const p of paths) { const r = await w.main('GET', p); console.log(p, r.status, JSON.stringify(r.body).slice(0, 300)); }
  const t = await w.main('POST', '/tags', { Name: 'VIP', ColorID: 2 }); console.log('createTag', t.status, JSON.stringify(t.body));
  console.log((await w.main('PUT', '/tags/items', { TagIDList: [t.body.ID], ItemList: [{ ItemType: 'form', ItemID: 801 }] })).status);
  console.log(JSON.stringify((await w.main('GET', '/forms/801/tags')).body));
  console.log(JSON.stringify((await w.main('POST', '/tags/items/search', { TagIDList: [t.body.ID] })).body));
  console.log(JSON.stringify((await w.main('POST', '/tags/search', { SearchValue: 'vi' })).body));
  const r = await w.main('POST', '/roles?ApplicationID=1', { Name: 'Custom', TemplateID: 33 }); console.log('createRole', r.status, JSON.stringify(r.body));
  const u = await w.main('POST', '/users', { Email: 'new@x.example', FirstName: 'N' }); console.log('createUser', u.status, JSON.stringify(u.body));
  console.log((await w.main('POST', `/accounts/10001/users?ApplicationID=1&UserID=${u.body.ID}&UserFunction=Viewer`)).status);
  console.log((await w.main('PUT', `/roles/${r.body.ID}/users?ApplicationID=1&OperationMode=Add`, { UserIDList: [u.body.ID] })).status);
  console.log(JSON.stringify((await w.main('GET', `/users/${u.body.ID}/rightlevels?ApplicationID=1`)).body));
  console.log((await w.main('POST', '/users/password', { Email: 'new@x.example' })).status);
  const ev = await c.sim('GET', `/workspaces/dl-smoke/events?type=user.password_token`); console.log(JSON.stringify(ev).slice(0, 400));
  console.log(JSON.stringify((await w.main('POST', '/variables/variablevalues', { ContactID: 1000001, VariableIDList: [7, 2] })).body));
  console.log((await w.main('PUT', '/variables/7', { Name: 'Courriel' })).status, JSON.stringify((await w.main('GET', '/variables/7')).body));
});
