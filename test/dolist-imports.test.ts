// Dolist imports over HTTP: mappings made from a multipart sample (JSV or JSON `Mapping` part),
// their columns, the action catalogues, imports with interests and recipients, and import jobs
// that read an uploaded CSV into the contacts on the workspace clock (Pending -> Running -> Done),
// with their statistics and report. Every response is validated against specs/dolist.yaml.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/apis/dolist/error-catalogue.js';
import { usageItems } from '../src/apis/dolist/usage.js';
import { dolistWorkspace, startApp, type Client, type Res, expectDolistCode } from './helpers.js';
import { zip as writeZip } from '../src/core/zip.js';

let c: Client;
beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
});
afterAll(async () => {
  await c.close();
});

type W = Awaited<ReturnType<typeof dolistWorkspace>>;
type Caller = W['main'];

/** The catalogue's answer for a code: status, ErrorCode, Message verbatim. */
const expectCode = expectDolistCode;

function form(parts: { file?: { name: string; content: string | Uint8Array; field?: string }; part?: { name: string; value: string } }) {
  const fd = new FormData();
  if (parts.file) fd.append(parts.file.field ?? 'File', new Blob([parts.file.content]), parts.file.name);
  if (parts.part) fd.append(parts.part.name, parts.part.value);
  return fd;
}

const SAMPLE = 'Email;LastName;Prenom;Mobile;Ville\r\nalice@example.com;Martin;Alice;0612345678;Lyon\r\n';

async function newMapping(call: Caller, name = 'Contacts', file = 'contacts.csv', content = SAMPLE, extra = 'Separator:;,ContainsColumns:true') {
  const r = await call('POST', '/imports/mappings', form({ file: { name: file, content }, part: { name: 'Mapping', value: `{Name:${name},${extra}}` } }));
  expect(r.status, r.text).toBe(201);
  return r.body.ID as number;
}

async function newImport(call: Caller, mappingId: number, name = 'Weekly CRM') {
  const r = await call('POST', '/imports', { Name: name, MappingID: mappingId });
  expect(r.status, r.text).toBe(201);
  return r.body.ID as number;
}

async function upload(call: Caller, importId: number, content: string, name = 'data.csv') {
  const r = await call('POST', '/imports/jobs', form({ file: { name, content }, part: { name: 'Job', value: `{ImportID:${importId}}` } }));
  expect(r.status, r.text).toBe(201);
  return r.body.ID as number;
}

/** A zip archive of the entries (core/zip.ts, as exports write them). */
const zip = (entries: Array<{ name: string; content: string }>): Uint8Array => writeZip(entries.map((e) => ({ name: e.name, data: Buffer.from(e.content), mtime: Date.UTC(2026, 2, 2) })));

/** The workspace's contacts of account 10001 (control API). */
async function contacts(w: W): Promise<any[]> {
  const out: any[] = [];
  for (let offset = 0; ; offset += 1000) {
    const r = await c.sim('GET', `/workspaces/${w.id}/state/dolist/contacts?limit=1000&offset=${offset}`);
    out.push(...r.records.filter((x: any) => x.account === '10001'));
    if (offset + 1000 >= r.total) return out;
  }
}
const byEmail = async (w: W, email: string) => (await contacts(w)).find((x) => x.Values['7'] === email);

describe('import mappings', () => {
  it('creates a mapping from a sample with a header: columns matched to fields by name, variable or alias', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-map');
    const id = await newMapping(w.main);
    const m = await w.main('GET', `/imports/mappings/${id}`);
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ ID: id, Name: 'Contacts', FileName: 'contacts.csv', Separator: ';', ContainsColumns: true, ContainsQuotes: false, ActionID: 1 });
    expect(m.body.ColumnList.map((x: any) => [x.Position, x.Name, x.FieldID ?? null, x.ActionID])).toEqual([
      [1, 'Email', 7, 2],
      [2, 'LastName', 2, 2],
      [3, 'Prenom', 3, 2],
      [4, 'Mobile', 14, 2],
      [5, 'Ville', 6, 2],
    ]);
    const cols = await w.main('GET', `/imports/mappings/${id}/columns`);
    expect(cols.body.Total).toBe(5);
    expect(cols.body.ItemList[0]).toMatchObject({ MappingID: id, Name: 'Email', FieldID: 7 });
  });

  it('reads the seed example: a `file` part, a JSV Mapping without header, columns guessed from the values, tab separator guessed', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-seed');
    const content = 'Stephanie.Harris_1530451234@dolist.net\tHarris\t0600150157\nSara.Gordon_1841132064@dolist.net\tGordon\t0600003895\n';
    const r = await w.main('POST', '/imports/mappings', form({ file: { field: 'file', name: 'contacts.txt', content }, part: { name: 'mapping', value: '{Name:new mapping,ContainsColumns:false,ContainsQuotes:false}' } }));
    expect(r.status, r.text).toBe(201);
    const m = await w.main('GET', `/imports/mappings/${r.body.ID}`);
    expect(m.body).toMatchObject({ Name: 'new mapping', FileName: 'contacts.txt', Separator: '\t', ContainsColumns: false });
    expect(m.body.ColumnList.map((x: any) => [x.Name, x.FieldID ?? null, x.ActionID])).toEqual([
      ['Column1', 7, 2],
      ['Column2', null, 4],
      ['Column3', 14, 2],
    ]);
    // JSON in the part works too
    const j = await w.main('POST', '/imports/mappings', form({ file: { name: 'b.csv', content: SAMPLE }, part: { name: 'Mapping', value: JSON.stringify({ Name: 'json one', Separator: ';', ContainsColumns: true, ActionID: 2 }) } }));
    expect(j.status, j.text).toBe(201);
    expect((await w.main('GET', `/imports/mappings/${j.body.ID}`)).body).toMatchObject({ Name: 'json one', ActionID: 2 });
  });

  it('checks the upload: no file [25], empty [27], too big [28], bad Mapping part [36], unknown action [316]', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-upload', { scenario: { name: 'small', fixtures: { dolist: { imports: { maxFileBytes: 100 } } } } });
    const part = { name: 'Mapping', value: '{Name:x,Separator:;}' };
    expectCode(await w.main('POST', '/imports/mappings', form({ part })), '25');
    expectCode(await w.main('POST', '/imports/mappings'), '25');
    expectCode(await w.main('POST', '/imports/mappings', form({ file: { name: 'e.csv', content: '' }, part })), '27');
    expectCode(await w.main('POST', '/imports/mappings', form({ file: { name: 'big.csv', content: 'a;'.repeat(60) }, part })), '28');
    expectCode(await w.main('POST', '/imports/mappings', form({ file: { name: 'a.csv', content: 'Email\n' } })), '36');
    const badJsv = await w.main('POST', '/imports/mappings', form({ file: { name: 'a.csv', content: 'Email\n' }, part: { name: 'Mapping', value: '{Name:x' } }));
    expectCode(badJsv, '36');
    expect(badJsv.body.ResponseStatus.Errors[0].FieldName).toBe('Mapping');
    expectCode(await w.main('POST', '/imports/mappings', form({ file: { name: 'a.csv', content: 'Email\n' }, part: { name: 'Mapping', value: '{Separator:;}' } })), '36');
    expectCode(await w.main('POST', '/imports/mappings', form({ file: { name: 'a.csv', content: 'Email\n' }, part: { name: 'Mapping', value: '{Name:x,ActionID:9}' } })), '316');
    expect((await w.main('GET', '/imports/mappings')).body.Total).toBe(0);
  });

  it('reads zip archives: the first file [31] empty archive, [30] unreadable, [29] two files of one name', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-zip');
    const part = { name: 'Mapping', value: '{Name:zipped,ContainsColumns:true}' };
    const ok = await w.main('POST', '/imports/mappings', form({ file: { name: 'export.zip', content: zip([{ name: 'dir/contacts.csv', content: SAMPLE }]) }, part }));
    expect(ok.status, ok.text).toBe(201);
    const m = await w.main('GET', `/imports/mappings/${ok.body.ID}`);
    expect(m.body.FileName).toBe('contacts.csv');
    expect(m.body.ColumnList).toHaveLength(5);
    expectCode(await w.main('POST', '/imports/mappings', form({ file: { name: 'e.zip', content: zip([]) }, part: { name: 'Mapping', value: '{Name:z2}' } })), '31');
    expectCode(await w.main('POST', '/imports/mappings', form({ file: { name: 'bad.zip', content: 'PK\u0003\u0004 not really a zip' }, part: { name: 'Mapping', value: '{Name:z3}' } })), '30');
    const twice = zip([{ name: 'a/x.csv', content: SAMPLE }, { name: 'b/X.csv', content: SAMPLE }]);
    expectCode(await w.main('POST', '/imports/mappings', form({ file: { name: 'two.zip', content: twice }, part: { name: 'Mapping', value: '{Name:z4}' } })), '29');
  });

  it('keeps names unique: mapping name [305] (any case), file name [315]; duplicate header names [306]', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-unique');
    await newMapping(w.main, 'Contacts', 'contacts.csv');
    expectCode(await w.main('POST', '/imports/mappings', form({ file: { name: 'other.csv', content: SAMPLE }, part: { name: 'Mapping', value: '{Name:CONTACTS}' } })), '305');
    expectCode(await w.main('POST', '/imports/mappings', form({ file: { name: 'Contacts.CSV', content: SAMPLE }, part: { name: 'Mapping', value: '{Name:Other}' } })), '315');
    expectCode(await w.main('POST', '/imports/mappings', form({ file: { name: 'dup.csv', content: 'Email;email\na@b.co;x\n' }, part: { name: 'Mapping', value: '{Name:Dup,ContainsColumns:true}' } })), '306');
    // another account may use the same names
    expect((await w.mainB('POST', '/imports/mappings', form({ file: { name: 'contacts.csv', content: SAMPLE }, part: { name: 'Mapping', value: '{Name:Contacts}' } }))).status).toBe(201);
  });

  it('lists mappings with search, filters, sorting and paging; another account\'s mapping is not found; brandB may not use 10001', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-list');
    const a = await newMapping(w.main, 'Alpha', 'a.csv');
    await w.advance(60_000);
    const b = await newMapping(w.main, 'Beta', 'b.csv', 'Email,Nom\nx@y.fr,Z\n', 'Separator:",",ContainsColumns:false');
    const all = await w.main('GET', '/imports/mappings?SortField=Name&SortOrder=desc');
    expect(all.body.Total).toBe(2);
    expect(all.body.ItemList.map((m: any) => m.ID)).toEqual([b, a]);
    expect(all.body.ItemList[0].ColumnList).toHaveLength(2);
    expect((await w.main('GET', '/imports/mappings?SearchValue=alp')).body.ItemList.map((m: any) => m.ID)).toEqual([a]);
    expect((await w.main('GET', '/imports/mappings?Separator=,')).body.ItemList.map((m: any) => m.ID)).toEqual([b]);
    expect((await w.main('GET', '/imports/mappings?ContainsColumns=true')).body.ItemList.map((m: any) => m.ID)).toEqual([a]);
    expect((await w.main('GET', '/imports/mappings?UpdatedAfter=2026-03-02T09:00:30Z')).body.ItemList.map((m: any) => m.ID)).toEqual([b]);
    const page = await w.main('GET', '/imports/mappings?Offset=1&Limit=1');
    expect(page.body).toMatchObject({ Total: 2 });
    expect(page.body.ItemList.map((m: any) => m.ID)).toEqual([b]);
    const other = await newMapping(w.mainB, 'Gamma', 'g.csv');
    expectCode(await w.main('GET', `/imports/mappings/${other}`), '304');
    expectCode(await w.main('GET', `/imports/mappings/${other}/columns`), '304');
    expect((await w.main('GET', '/imports/mappings')).body.Total).toBe(2);
    expectCode(await w.brandB('GET', '/imports/mappings?AccountID=10001'), '6');
    expectCode(await w.brandB('POST', '/imports/jobs?AccountID=10001', form({ file: { name: 'x.csv', content: SAMPLE }, part: { name: 'Job', value: '{ImportID:1}' } })), '6');
  });

  it('updates and deletes a mapping: [305] name clash, [304] unknown, [308] while an import uses it', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-upd');
    const a = await newMapping(w.main, 'Alpha', 'a.csv');
    const b = await newMapping(w.main, 'Beta', 'b.csv');
    await w.advance(1000);
    expect((await w.main('PUT', `/imports/mappings/${a}`, { Name: 'Alpha 2', Separator: 'tab', ContainsQuotes: true })).status).toBe(204);
    const m = await w.main('GET', `/imports/mappings/${a}`);
    expect(m.body).toMatchObject({ Name: 'Alpha 2', Separator: '\t', ContainsQuotes: true, FileName: 'a.csv' });
    expect(m.body.UpdateDate).toBe('2026-03-02T09:00:01.000Z');
    expectCode(await w.main('PUT', `/imports/mappings/${a}`, { Name: 'beta' }), '305');
    expectCode(await w.main('PUT', `/imports/mappings/${a}`, { ActionID: 7 }), '316');
    expectCode(await w.main('PUT', `/imports/mappings/${a}`, { Separator: '' }), '36');
    expectCode(await w.main('PUT', '/imports/mappings/999', { Name: 'x' }), '304');
    const imp = await newImport(w.main, b);
    expectCode(await w.main('DELETE', `/imports/mappings/${b}`), '308');
    expect((await w.main('DELETE', `/imports/${imp}`)).status).toBe(204);
    expect((await w.main('DELETE', `/imports/mappings/${b}`)).status).toBe(204);
    expectCode(await w.main('GET', `/imports/mappings/${b}`), '304');
    expectCode(await w.main('DELETE', `/imports/mappings/${b}`), '304');
    const cols = await c.sim('GET', `/workspaces/${w.id}/state/dolist/import_mapping_columns`);
    expect(cols.records.filter((x: any) => x.MappingID === b)).toEqual([]);
  });

  it('lists the mapping actions and field actions', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-actions');
    const a = await w.main('GET', '/imports/mappings/actions');
    expect(a.body.ItemList.map((x: any) => x.Name)).toEqual(['CreateOrUpdate', 'CreateOnly', 'UpdateOnly']);
    const f = await w.main('GET', '/imports/mappings/fields');
    expect(f.body.Total).toBe(4);
    expect(f.body.ItemList.map((x: any) => [x.ID, x.Name])).toEqual([
      [1, 'Overwrite'],
      [2, 'IgnoreIfEmpty'],
      [3, 'CreateOnly'],
      [4, 'Ignore'],
    ]);
  });

  it('serves a sample file of the account\'s fields; a mapping made from it matches every column', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-sample');
    const r = await w.main('GET', '/imports/mappings/file');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const [header, example] = r.text.trim().split('\r\n');
    expect(header.split(';')).toContain('Email');
    expect(header.split(';')).not.toContain('StatutEmail');
    expect(example).toContain('jane.doe@example.com');
    const id = await newMapping(w.main, 'From sample', 'sample.csv', r.text, 'Separator:;,ContainsColumns:true');
    const cols = (await w.main('GET', `/imports/mappings/${id}/columns`)).body.ItemList;
    expect(cols.length).toBe(header.split(';').length);
    expect(cols.every((x: any) => typeof x.FieldID === 'number')).toBe(true);
  });

  it('shows a snapshot of the sample; [333] uneven rows, [32] not a text file, [304] unknown', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-snap');
    const rows = Array.from({ length: 12 }, (_, i) => `u${i}@snap.example;N${i};P${i};;Lyon`).join('\n');
    const id = await newMapping(w.main, 'Snap', 'snap.csv', `Email;Nom;Prenom;Mobile;Ville\n${rows}\n`);
    const s = await w.main('GET', `/imports/mappings/${id}/snapshot`);
    expect(s.status).toBe(200);
    expect(s.body.ColumnList).toEqual(['Email', 'Nom', 'Prenom', 'Mobile', 'Ville']);
    expect(s.body.Total).toBe(12);
    expect(s.body.RowList).toHaveLength(10);
    expect(s.body.RowList[0]).toEqual(['u0@snap.example', 'N0', 'P0', '', 'Lyon']);
    const uneven = await newMapping(w.main, 'Uneven', 'u.csv', 'Email;Nom\na@b.fr;X\nc@d.fr\n');
    const u = await w.main('GET', `/imports/mappings/${uneven}/snapshot`);
    expectCode(u, '333');
    expect(u.body.ResponseStatus.Errors[0].Message).toContain('line 3');
    const bin = await w.main('POST', '/imports/mappings', form({ file: { name: 'pic.png', content: new Uint8Array([137, 80, 78, 71, 0, 0, 1]) }, part: { name: 'Mapping', value: '{Name:Binary}' } }));
    expect(bin.status).toBe(201);
    expect((await w.main('GET', `/imports/mappings/${bin.body.ID}`)).body.ColumnList).toEqual([]);
    expectCode(await w.main('GET', `/imports/mappings/${bin.body.ID}/snapshot`), '32');
    expectCode(await w.main('GET', '/imports/mappings/424242/snapshot'), '304');
  });

  it('duplicates a mapping with its columns and sample: "(copy)" names, or the given Name ([305] when taken)', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-dup');
    const id = await newMapping(w.main);
    const d1 = await w.main('POST', `/imports/mappings/${id}/duplicate`, {});
    expect(d1.status).toBe(201);
    const copy = await w.main('GET', `/imports/mappings/${d1.body.ID}`);
    expect(copy.body).toMatchObject({ Name: 'Contacts (copy)', FileName: 'contacts (copy).csv', Separator: ';', ContainsColumns: true });
    expect(copy.body.ColumnList.map((x: any) => x.FieldID)).toEqual([7, 2, 3, 14, 6]);
    expect(copy.body.ColumnList[0].MappingID).toBe(d1.body.ID);
    const d2 = await w.main('POST', `/imports/mappings/${id}/duplicate`, {});
    expect((await w.main('GET', `/imports/mappings/${d2.body.ID}`)).body.Name).toBe('Contacts (copy 2)');
    const named = await w.main('POST', `/imports/mappings/${id}/duplicate`, { Name: 'Mine' });
    expect((await w.main('GET', `/imports/mappings/${named.body.ID}/snapshot`)).body.Total).toBe(1);
    expectCode(await w.main('POST', `/imports/mappings/${id}/duplicate`, { Name: 'contacts' }), '305');
    expectCode(await w.main('POST', '/imports/mappings/999/duplicate', {}), '304');
  });
});

describe('mapping columns', () => {
  it('creates, reads, updates and deletes columns with their checks [415] [316] [311] [310] [313]', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-cols');
    const id = await newMapping(w.main, 'Cols', 'c.csv', 'Email;Extra\na@b.fr;1\n');
    const cols = (await w.main('GET', `/imports/mappings/${id}/columns`)).body.ItemList;
    expect(cols.map((x: any) => [x.Name, x.FieldID ?? null, x.ActionID])).toEqual([
      ['Email', 7, 2],
      ['Extra', null, 4],
    ]);
    const created = await w.main('POST', `/imports/mappings/${id}/columns`, { FieldID: 6 });
    expect(created.status, created.text).toBe(201);
    const col = await w.main('GET', `/imports/mappings/${id}/columns/${created.body.ID}`);
    expect(col.body).toMatchObject({ ID: created.body.ID, MappingID: id, Name: 'Ville', Position: 3, FieldID: 6, ActionID: 2 });
    expectCode(await w.main('POST', `/imports/mappings/${id}/columns`, { FieldID: 4242 }), '415');
    expectCode(await w.main('POST', `/imports/mappings/${id}/columns`, { FieldID: 5, ActionID: 99 }), '316');
    expectCode(await w.main('POST', `/imports/mappings/${id}/columns`, { FieldID: 7, Name: 'Again' }), '311');
    expectCode(await w.main('POST', `/imports/mappings/${id}/columns`, { FieldID: 5, Name: 'email' }), '311');
    expectCode(await w.main('POST', '/imports/mappings/999/columns', { FieldID: 5 }), '304');
    expect((await w.main('PUT', `/imports/mappings/${id}/columns/${cols[1].ID}`, { FieldID: 11, ActionID: 1 })).status).toBe(204);
    expect((await w.main('GET', `/imports/mappings/${id}/columns/${cols[1].ID}`)).body).toMatchObject({ Name: 'Extra', FieldID: 11, ActionID: 1 });
    expectCode(await w.main('PUT', `/imports/mappings/${id}/columns/${cols[1].ID}`, { FieldID: 7 }), '313');
    expectCode(await w.main('PUT', `/imports/mappings/${id}/columns/${cols[1].ID}`, { FieldID: 4242 }), '415');
    expectCode(await w.main('PUT', `/imports/mappings/${id}/columns/999999`, { Name: 'x' }), '310');
    expect((await w.main('DELETE', `/imports/mappings/${id}/columns/${created.body.ID}`)).status).toBe(204);
    expectCode(await w.main('GET', `/imports/mappings/${id}/columns/${created.body.ID}`), '310');
    expectCode(await w.main('DELETE', `/imports/mappings/${id}/columns/${created.body.ID}`), '310');
    // a column of another mapping is not found under this one
    const other = await newMapping(w.main, 'Other', 'o.csv');
    const otherCol = (await w.main('GET', `/imports/mappings/${other}/columns`)).body.ItemList[0].ID;
    expectCode(await w.main('GET', `/imports/mappings/${id}/columns/${otherCol}`), '310');
    expectCode(await w.main('GET', `/imports/mappings/999/columns/${otherCol}`), '304');
    expectCode(await w.main('PUT', `/imports/mappings/999/columns/${otherCol}`, { Name: 'x' }), '304');
    expectCode(await w.main('DELETE', `/imports/mappings/999/columns/${otherCol}`), '304');
    const foreign = await newMapping(w.mainB, 'Foreign', 'f.csv');
    const foreignCol = (await w.mainB('GET', `/imports/mappings/${foreign}/columns`)).body.ItemList[0].ID;
    expectCode(await w.main('DELETE', `/imports/mappings/${foreign}/columns/${foreignCol}`), '304');
    expect((await w.mainB('GET', `/imports/mappings/${foreign}/columns/${foreignCol}`)).status).toBe(200);
  });
});

describe('imports', () => {
  it('creates, lists, updates and deletes imports: [326] name, [330] pattern, [304] mapping, [318] unknown', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-imports');
    const m1 = await newMapping(w.main, 'M1', 'm1.csv');
    const m2 = await newMapping(w.main, 'M2', 'm2.csv');
    const a = await newImport(w.main, m1, 'Weekly CRM');
    const created = await w.main('POST', '/imports', { Name: 'Shop', MappingID: m2, Pattern: 'shop_*.csv', Description: 'nightly' });
    expect(created.status).toBe(201);
    const b = created.body.ID;
    expect((await w.main('GET', `/imports/${b}`)).body).toMatchObject({ ID: b, Name: 'Shop', MappingID: m2, Type: 'Automatic', Pattern: 'shop_*.csv', InterestIDList: [], OperationMode: 'Add' });
    expect((await w.main('GET', `/imports/${a}`)).body).toMatchObject({ Type: 'Manual' });
    expectCode(await w.main('POST', '/imports', { Name: 'weekly crm', MappingID: m1 }), '326');
    expectCode(await w.main('POST', '/imports', { Name: 'No mapping' }), '36');
    expectCode(await w.main('POST', '/imports', { Name: 'Bad mapping', MappingID: 4242 }), '304');
    expectCode(await w.main('POST', '/imports', { MappingID: m1 }), '36');
    expect((await w.main('GET', '/imports')).body.Total).toBe(2);
    expect((await w.main('GET', `/imports?MappingID=${m2}`)).body.ItemList.map((i: any) => i.ID)).toEqual([b]);
    expect((await w.main('GET', '/imports?Filter=automatic')).body.ItemList.map((i: any) => i.ID)).toEqual([b]);
    expect((await w.main('GET', '/imports?SearchValue=week')).body.ItemList.map((i: any) => i.ID)).toEqual([a]);
    expectCode(await w.main('GET', '/imports?MappingID=4242'), '304');
    expect((await w.main('PUT', `/imports/${a}`, { Pattern: 'crm_*.csv', MappingID: m2 })).status).toBe(204);
    expect((await w.main('GET', `/imports/${a}`)).body).toMatchObject({ Type: 'Automatic', MappingID: m2, Name: 'Weekly CRM' });
    expectCode(await w.main('PUT', `/imports/${a}`, { Pattern: 'SHOP_*.csv' }), '330');
    expectCode(await w.main('PUT', `/imports/${a}`, { Name: 'shop' }), '326');
    expectCode(await w.main('PUT', `/imports/${a}`, { MappingID: 4242 }), '304');
    expectCode(await w.main('PUT', '/imports/4242', { Name: 'x' }), '318');
    expect((await w.main('PUT', `/imports/${a}`, { Pattern: null })).status).toBe(204);
    expect((await w.main('GET', `/imports/${a}`)).body.Type).toBe('Manual');
    expect((await w.main('DELETE', `/imports/${b}`)).status).toBe(204);
    expectCode(await w.main('GET', `/imports/${b}`), '318');
    expectCode(await w.main('DELETE', `/imports/${b}`), '318');
    // tenancy
    const mb = await newMapping(w.mainB, 'MB', 'mb.csv');
    const ib = await newImport(w.mainB, mb, 'B import');
    expectCode(await w.main('GET', `/imports/${ib}`), '318');
    expectCode(await w.main('POST', '/imports', { Name: 'cross', MappingID: mb }), '304');
    expectCode(await w.brandB('GET', '/imports?AccountID=10001'), '6');
  });

  it('sets the interests an import applies, with OperationMode; groups them [432] [318] [36]', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-interests');
    const imp = await newImport(w.main, await newMapping(w.main));
    expect((await w.main('PUT', `/imports/${imp}/interests?OperationMode=replace`, { InterestIDList: [5005, 5001, 5003] })).status).toBe(204);
    expect((await w.main('GET', `/imports/${imp}`)).body).toMatchObject({ InterestIDList: [5005, 5001, 5003], OperationMode: 'Replace' });
    const g = await w.main('GET', `/imports/${imp}/groupinterests`);
    expect(g.body).toEqual({
      ItemList: [
        { ID: 501, Name: "Centres d'intérêt", InterestList: [{ ID: 5001, Name: 'Sport' }, { ID: 5003, Name: 'Voyage' }] },
        { ID: 502, Name: 'Préférences de contact', InterestList: [{ ID: 5005, Name: 'Newsletter hebdomadaire' }] },
      ],
      Total: 2,
    });
    const page = await w.main('GET', `/imports/${imp}/groupinterests?Offset=1&Limit=1`);
    expect(page.body.ItemList.map((x: any) => x.ID)).toEqual([502]);
    expect(page.body.Total).toBe(2);
    expectCode(await w.main('PUT', `/imports/${imp}/interests?OperationMode=Add`, { InterestIDList: [5001, 5009] }), '432');
    expectCode(await w.main('PUT', `/imports/${imp}/interests?OperationMode=Merge`, { InterestIDList: [5001] }), '36');
    expectCode(await w.main('PUT', `/imports/4242/interests?OperationMode=Add`, { InterestIDList: [5001] }), '318');
    expectCode(await w.main('GET', '/imports/4242/groupinterests'), '318');
    expect((await w.main('GET', `/imports/${imp}`)).body.InterestIDList).toEqual([5005, 5001, 5003]);
    // the usage registry (fields' and interests' usage endpoints) sees the import and its mapping
    const ws = c.app.runtime.get(w.id)!;
    expect(usageItems(ws, 'interest', '10001', 5003, 8)).toEqual([{ ID: imp, Name: 'Weekly CRM' }]);
    expect(usageItems(ws, 'group', '10001', 502, 8)).toEqual([{ ID: imp, Name: 'Weekly CRM' }]);
    expect(usageItems(ws, 'interest', '10001', 5002, 8)).toEqual([]);
    const mappingId = (await w.main('GET', `/imports/${imp}`)).body.MappingID;
    expect(usageItems(ws, 'field', '10001', 14, 6)).toEqual([{ ID: mappingId, Name: 'Contacts' }]);
    expect(usageItems(ws, 'field', '10001', 10, 6)).toEqual([]);
  });

  it('adds, lists and deletes recipients: users of the account [901], addresses, [327] duplicates, [328] [318]', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-recipients');
    const imp = await newImport(w.main, await newMapping(w.main));
    const u = await w.main('POST', `/imports/${imp}/recipients`, { Type: 'User', Value: '302' });
    expect(u.status, u.text).toBe(201);
    const e = await w.main('POST', `/imports/${imp}/recipients`, { Type: 'email', Value: 'Ops@Example.com' });
    expect(e.status).toBe(201);
    const list = await w.main('GET', `/imports/${imp}/recipients`);
    expect(list.body.Total).toBe(2);
    expect(list.body.ItemList.map((r: any) => [r.Type, r.Value, r.Email, r.ImportID])).toEqual([
      ['User', '302', 'hugo.bernard@commsim.example', imp],
      ['Email', 'ops@example.com', 'ops@example.com', imp],
    ]);
    expectCode(await w.main('POST', `/imports/${imp}/recipients`, { Type: 'Email', Value: 'ops@EXAMPLE.com' }), '327');
    expectCode(await w.main('POST', `/imports/${imp}/recipients`, { Type: 'User', Value: '302' }), '327');
    expectCode(await w.main('POST', `/imports/${imp}/recipients`, { Type: 'User', Value: '303' }), '901'); // a user of 10002 only
    expectCode(await w.main('POST', `/imports/${imp}/recipients`, { Type: 'User', Value: '9999' }), '901');
    expectCode(await w.main('POST', `/imports/${imp}/recipients`, { Type: 'Email', Value: 'nope' }), '36');
    expectCode(await w.main('POST', `/imports/${imp}/recipients`, { Type: 'Fax', Value: '0102' }), '36');
    expectCode(await w.main('POST', '/imports/4242/recipients', { Type: 'User', Value: '302' }), '318');
    expectCode(await w.main('GET', '/imports/4242/recipients'), '318');
    expect((await w.main('DELETE', `/imports/${imp}/recipients/${u.body.ID}`)).status).toBe(204);
    expectCode(await w.main('DELETE', `/imports/${imp}/recipients/${u.body.ID}`), '328');
    expectCode(await w.main('DELETE', `/imports/4242/recipients/${e.body.ID}`), '318');
    expect((await w.main('GET', `/imports/${imp}/recipients`)).body.ItemList.map((r: any) => r.ID)).toEqual([e.body.ID]);
  });
});

describe('import jobs', () => {
  it('runs a job on the clock: Pending, Running, Done; creates and updates contacts, applies interests, counts, reports', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-job');
    const mapping = await newMapping(w.main, 'CRM', 'crm.csv', 'Email;Nom;Prenom;Mobile;StatutEmail\n');
    const imp = await newImport(w.main, mapping);
    await w.main('PUT', `/imports/${imp}/interests?OperationMode=Add`, { InterestIDList: [5001, 5005] });
    await w.main('POST', `/imports/${imp}/recipients`, { Type: 'User', Value: '301' });
    await w.main('POST', `/imports/${imp}/recipients`, { Type: 'Email', Value: 'ops@example.com' });
    // first file: two new contacts, one with a do-not-write status
    const first = await upload(w.main, imp, 'Email;Nom;Prenom;Mobile;StatutEmail\nAlice@Import.example;Martin;Alice;06 12 34 56 78;\nbob@import.example;Durand;Bob;;7\n', 'first.csv');
    const j = await w.main('GET', `/imports/jobs/${first}`);
    expect(j.body).toMatchObject({ ID: first, ImportID: imp, MappingID: mapping, FileName: 'first.csv', Status: 'Pending', Executed: false, Total: 2, Created: 0 });
    expect((await w.main('GET', `/imports/jobs/${first}/stats`)).body).toMatchObject({ JobID: first, Status: 'Pending', Progress: 0 });
    expect((await w.main('GET', '/imports/jobs?Executed=false')).body.ItemList.map((x: any) => x.ID)).toEqual([first]);
    // the mapping and import are busy while the job waits
    expectCode(await w.main('PUT', `/imports/mappings/${mapping}`, { Name: 'x' }), '307');
    expectCode(await w.main('POST', `/imports/mappings/${mapping}/columns`, { FieldID: 6 }), '312');
    const col = (await w.main('GET', `/imports/mappings/${mapping}/columns`)).body.ItemList[1].ID;
    expectCode(await w.main('PUT', `/imports/mappings/${mapping}/columns/${col}`, { ActionID: 1 }), '313');
    expectCode(await w.main('DELETE', `/imports/mappings/${mapping}/columns/${col}`), '314');
    expectCode(await w.main('PUT', `/imports/${imp}`, { Name: 'x' }), '320');
    expectCode(await w.main('DELETE', `/imports/${imp}`), '321');
    const rec = (await w.main('GET', `/imports/${imp}/recipients`)).body.ItemList[0].ID;
    expectCode(await w.main('DELETE', `/imports/${imp}/recipients/${rec}`), '329');
    await w.advance(2000);
    expect((await w.main('GET', `/imports/jobs/${first}`)).body).toMatchObject({ Status: 'Running', StartDate: '2026-03-02T09:00:02.000Z' });
    expect((await w.main('GET', '/imports/jobs?Status=running')).body.Total).toBe(1);
    expect(await byEmail(w, 'alice@import.example')).toBeUndefined();
    await w.advance(1000);
    const done = await w.main('GET', `/imports/jobs/${first}`);
    expect(done.body).toMatchObject({ Status: 'Done', Executed: true, Total: 2, Created: 2, Updated: 0, Rejected: 0, Excluded: 0 });
    expect(done.body.NotifiedList).toEqual(['claire.martin@commsim.example', 'ops@example.com']);
    const { events } = await c.sim('GET', `/workspaces/${w.id}/events?api=dolist&type=import_job_ended`);
    expect(events.map((e: any) => e.data)).toEqual([
      { JobID: first, ImportID: imp, Status: 'Done', Recipients: ['claire.martin@commsim.example', 'ops@example.com'], Total: 2, Created: 2, Updated: 0, Rejected: 0, Excluded: 0 },
    ]);
    const alice = await byEmail(w, 'alice@import.example');
    expect(alice).toMatchObject({ CreateOrigin: 4, Values: { '2': 'Martin', '3': 'Alice', '7': 'alice@import.example', '14': '+33612345678', '72': '1' } });
    expect(Object.keys(alice.Interests).sort()).toEqual(['5001', '5005']);
    expect(alice.Interests['5001'].Origin).toBe(4);
    expect(alice.Key).toBe('10001|alice@import.example');
    // 2 rows at 200 rows per second: the run ends 10 ms after it starts, when the contacts are written
    expect(done.body).toMatchObject({ StartDate: '2026-03-02T09:00:02.000Z', EndDate: '2026-03-02T09:00:02.010Z' });
    expect(alice).toMatchObject({ CreateDate: '2026-03-02T09:00:02.010Z', SubscribeDate: '2026-03-02T09:00:02.010Z', UnsubscribeDate: null });
    expect((await byEmail(w, 'bob@import.example')).Values['72']).toBe('7');
    // second file: an update, rejections, exclusions
    await w.main('PUT', `/imports/${imp}/interests?OperationMode=Replace`, { InterestIDList: [5003] });
    const second = await upload(
      w.main,
      imp,
      [
        'Email;Nom;Prenom;Mobile;StatutEmail',
        'alice@import.example;Martin-Roux;;;', // update: Nom changes, empty values ignored (IgnoreIfEmpty)
        'not-an-email;X;Y;;',
        'carol@import.example;C;C;12;',
        ';NoKey;Z;;',
        'ALICE@import.example;Again;;;',
        'bob@import.example;Durand;Robert;;',
        'dave@import.example;Petit;Dave;+33698765432;',
      ].join('\n'),
      'second.csv',
    );
    await w.advance(3000);
    const stats = await w.main('GET', `/imports/jobs/${second}/stats`);
    expect(stats.body).toEqual({ JobID: second, Status: 'Done', Progress: 100, Total: 7, Created: 1, Updated: 1, Rejected: 3, Excluded: 2 });
    const aliceAfter = await byEmail(w, 'alice@import.example');
    expect(aliceAfter.Values).toMatchObject({ '2': 'Martin-Roux', '3': 'Alice', '14': '+33612345678' });
    expect(aliceAfter.UpdateOrigin).toBe(4);
    expect(Object.keys(aliceAfter.Interests)).toEqual(['5003']);
    expect((await byEmail(w, 'bob@import.example')).Values['3']).toBe('Bob');
    expect((await byEmail(w, 'dave@import.example')).Values['14']).toBe('+33698765432');
    expect(await byEmail(w, 'carol@import.example')).toBeUndefined();
    const excl = await w.main('GET', `/imports/jobs/${second}/stats/exclusion`);
    expect(excl.body.Total).toBe(5);
    expect(excl.body.ItemList).toEqual(
      expect.arrayContaining([
        { Type: 'Rejected', Code: '406', Reason: 'InvalidEmail', Count: 1 },
        { Type: 'Rejected', Code: '454', Reason: 'InvalidMobile', Count: 1 },
        { Type: 'Rejected', Code: '409', Reason: 'MissingKey', Count: 1 },
        { Type: 'Excluded', Code: null, Reason: 'DuplicateInFile', Count: 1 },
        { Type: 'Excluded', Code: null, Reason: 'DoNotWrite', Count: 1 },
      ]),
    );
    const report = await w.main('GET', `/imports/jobs/${second}/report`);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('text/csv');
    const lines = report.text.trim().split('\r\n');
    expect(lines[0]).toBe('Line;Type;Code;Reason;Message;Email;Nom;Prenom;Mobile;StatutEmail');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^3;Rejected;406;InvalidEmail;.*;not-an-email;X;Y;;$/);
    expect(lines.some((l) => l.startsWith('6;Excluded;;DuplicateInFile'))).toBe(true);
    // lists and imports with their jobs
    expect((await w.main('GET', `/imports/jobs?ImportID=${imp}&SortField=ID&SortOrder=desc`)).body.ItemList.map((x: any) => x.ID)).toEqual([second, first]);
    expect((await w.main('GET', '/imports/jobs?Status=Done&Executed=true')).body.Total).toBe(2);
    expectCode(await w.main('GET', '/imports/jobs?Status=Finished'), '36');
    expect((await w.main('GET', '/imports/jobs?SearchValue=second')).body.ItemList.map((x: any) => x.ID)).toEqual([second]);
    const withJobs = await w.main('GET', '/imports/importjobs?JobPerImport=1');
    expect(withJobs.body.Total).toBe(1);
    expect(withJobs.body.ItemList[0]).toMatchObject({ ID: imp, JobList: [{ ID: second, Status: 'Done' }] });
    expect((await w.main('GET', `/imports/importjobs?JobPerImport=5&MappingID=${mapping}`)).body.ItemList[0].JobList).toHaveLength(2);
    expectCode(await w.main('GET', '/imports/importjobs?JobPerImport=1&MappingID=4242'), '304');
    expectCode(await w.main('GET', '/imports/importjobs?JobPerImport=-1'), '36');
    // no longer busy
    expect((await w.main('PUT', `/imports/${imp}`, { Name: 'Renamed' })).status).toBe(204);
  });

  it('follows the mapping: CreateOnly excludes known contacts, UpdateOnly unknown ones, Overwrite clears, Ignore skips', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-actions-run');
    const base = await newMapping(w.main, 'Base', 'base.csv', 'Email;Nom;Ville\n');
    const seed = await newImport(w.main, base, 'Seed');
    await upload(w.main, seed, 'Email;Nom;Ville\nx@act.example;X;Lyon\n');
    await w.advance(5000);
    const createOnly = await newMapping(w.main, 'Create only', 'co.csv', 'Email;Nom;Ville\n', 'ContainsColumns:true,ActionID:2');
    const cols = (await w.main('GET', `/imports/mappings/${createOnly}/columns`)).body.ItemList;
    await w.main('PUT', `/imports/mappings/${createOnly}/columns/${cols[1].ID}`, { ActionID: 1 }); // Nom: Overwrite
    await w.main('PUT', `/imports/mappings/${createOnly}/columns/${cols[2].ID}`, { ActionID: 4 }); // Ville: Ignore
    const co = await newImport(w.main, createOnly, 'CO');
    const j1 = await upload(w.main, co, 'Email;Nom;Ville\nx@act.example;Changed;Paris\ny@act.example;Y;Paris\n');
    await w.advance(5000);
    expect((await w.main('GET', `/imports/jobs/${j1}`)).body).toMatchObject({ Created: 1, Excluded: 1 });
    expect((await byEmail(w, 'x@act.example')).Values['2']).toBe('X');
    expect((await byEmail(w, 'y@act.example')).Values['6']).toBeUndefined();
    const updateOnly = await newMapping(w.main, 'Update only', 'uo.csv', 'Email;Nom\n', 'ContainsColumns:true,ActionID:3');
    const ucols = (await w.main('GET', `/imports/mappings/${updateOnly}/columns`)).body.ItemList;
    await w.main('PUT', `/imports/mappings/${updateOnly}/columns/${ucols[1].ID}`, { ActionID: 1 });
    const uo = await newImport(w.main, updateOnly, 'UO');
    const j2 = await upload(w.main, uo, 'Email;Nom\nx@act.example;\nz@act.example;Z\n');
    await w.advance(5000);
    expect((await w.main('GET', `/imports/jobs/${j2}/stats/exclusion`)).body.ItemList).toEqual([{ Type: 'Excluded', Code: null, Reason: 'NotFound', Count: 1 }]);
    expect((await byEmail(w, 'x@act.example')).Values['2']).toBeUndefined(); // Overwrite with an empty value clears
    expect(await byEmail(w, 'z@act.example')).toBeUndefined();
  });

  it('checks the upload and the Job part: [25] [27] [36] [318]; a quoted, zipped file; a binary file ends in Error', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-job-checks');
    const mapping = await newMapping(w.main, 'Q', 'q.csv', '"Email";"Nom"\n', 'Separator:;,ContainsColumns:true,ContainsQuotes:true');
    const imp = await newImport(w.main, mapping);
    const job = { name: 'Job', value: `{ImportID:${imp}}` };
    expectCode(await w.main('POST', '/imports/jobs', form({ part: job })), '25');
    expectCode(await w.main('POST', '/imports/jobs'), '25');
    expectCode(await w.main('POST', '/imports/jobs', form({ file: { name: 'e.csv', content: '' }, part: job })), '27');
    expectCode(await w.main('POST', '/imports/jobs', form({ file: { name: 'a.csv', content: 'x' } })), '36');
    expectCode(await w.main('POST', '/imports/jobs', form({ file: { name: 'a.csv', content: 'x' }, part: { name: 'job', value: '{}' } })), '36');
    expectCode(await w.main('POST', '/imports/jobs', form({ file: { name: 'a.csv', content: 'x' }, part: { name: 'Job', value: '{ImportID:4242}' } })), '318');
    const mb = await newMapping(w.mainB, 'B', 'b.csv');
    const ib = await newImport(w.mainB, mb);
    expectCode(await w.main('POST', '/imports/jobs', form({ file: { name: 'a.csv', content: 'x' }, part: { name: 'Job', value: `{ImportID:${ib}}` } })), '318');
    const zipped = zip([{ name: 'people.csv', content: '"Email";"Nom"\n"q1@quote.example";"O\'Neil; Jr"\n"q2@quote.example";"Say ""hi"""\n' }]);
    const r = await w.main('POST', '/imports/jobs', form({ file: { name: 'people.zip', content: zipped }, part: { name: 'JOB', value: JSON.stringify({ ImportID: imp }) } }));
    expect(r.status, r.text).toBe(201);
    await w.advance(5000);
    expect((await w.main('GET', `/imports/jobs/${r.body.ID}`)).body).toMatchObject({ FileName: 'people.csv', Status: 'Done', Created: 2 });
    expect((await byEmail(w, 'q1@quote.example')).Values['2']).toBe("O'Neil; Jr");
    expect((await byEmail(w, 'q2@quote.example')).Values['2']).toBe('Say "hi"');
    const bin = await w.main('POST', '/imports/jobs', form({ file: { name: 'x.bin', content: new Uint8Array([1, 0, 2]) }, part: job }));
    await w.advance(5000);
    const failed = await w.main('GET', `/imports/jobs/${bin.body.ID}`);
    expect(failed.body).toMatchObject({ Status: 'Error', Executed: true, Created: 0 });
    expect(failed.body.ErrorMessage).toBeTruthy();
    expect((await w.main('GET', '/imports/jobs?Status=Error')).body.ItemList.map((x: any) => x.ID)).toEqual([bin.body.ID]);
    // unknown and foreign jobs
    for (const p of ['', '/stats', '/stats/exclusion', '/report']) expectCode(await w.main('GET', `/imports/jobs/4242${p}`), '324');
    const foreign = await upload(w.mainB, ib, 'Email\nb@b.example\n');
    expectCode(await w.main('GET', `/imports/jobs/${foreign}`), '324');
    expect((await w.main('GET', '/imports/jobs')).body.ItemList.every((x: any) => x.ID !== foreign)).toBe(true);
  });
});

describe('import job progress', () => {
  it('grows with the clock: 1000 rows at 200 per second run 5 s, the contacts land at the end', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-progress');
    const imp = await newImport(w.main, await newMapping(w.main, 'P', 'p.csv', 'Email;Nom\n'));
    const rows = Array.from({ length: 1000 }, (_, i) => `p${i}@progress.example;N${i}`).join('\n');
    const job = await upload(w.main, imp, `Email;Nom\n${rows}\n`);
    await w.advance(2000 + 2500);
    const mid = await w.main('GET', `/imports/jobs/${job}/stats`);
    expect(mid.body).toMatchObject({ Status: 'Running', Progress: 50, Total: 1000, Created: 0 });
    expect(await byEmail(w, 'p0@progress.example')).toBeUndefined();
    await w.advance(2500);
    expect((await w.main('GET', `/imports/jobs/${job}/stats`)).body).toMatchObject({ Status: 'Done', Progress: 100, Total: 1000, Created: 1000 });
    expect((await byEmail(w, 'p999@progress.example')).Values['2']).toBe('N999');
  });
});

describe('header matching and stored values', () => {
  it('matches headers without case, accents or punctuation, and stores values as the contacts do', async () => {
    const w = await dolistWorkspace(c, 'dl-imp-headers');
    const header = 'E-mail;Prénom;CODE POSTAL;Date de naissance;Téléphone;Whatever';
    const m = await newMapping(w.main, 'Accents', 'accents.csv', `${header}\n`);
    const cols = (await w.main('GET', `/imports/mappings/${m}/columns`)).body.ItemList;
    expect(cols.map((x: any) => [x.Name, x.FieldID ?? null])).toEqual([
      ['E-mail', 7],
      ['Prénom', 3],
      ['CODE POSTAL', 5],
      ['Date de naissance', 10],
      ['Téléphone', 9],
      ['Whatever', null],
    ]);
    const imp = await newImport(w.main, m);
    const job = await upload(w.main, imp, `${header}\n MIXED.Case@Headers.example ;Zoé;69001;25/12/1990;01 02 03 04 05;ignored\nbad-date@headers.example;A;1;31/31/2020;;\n`);
    await w.advance(5000);
    expect((await w.main('GET', `/imports/jobs/${job}`)).body).toMatchObject({ Created: 1, Rejected: 1 });
    const zoe = await byEmail(w, 'mixed.case@headers.example');
    expect(zoe.Values).toMatchObject({ '3': 'Zoé', '5': '69001', '10': '1990-12-25' });
    expect(Object.values(zoe.Values)).not.toContain('ignored');
    expect((await w.main('GET', `/imports/jobs/${job}/stats/exclusion`)).body.ItemList).toEqual([{ Type: 'Rejected', Code: '36', Reason: 'InvalidValue', Count: 1 }]);
  });
});
