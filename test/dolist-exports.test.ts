// Dolist exports and files over HTTP, on a manual clock: the type tree, column references,
// mappings and their columns (system mappings read only), exports (checks in order, update
// rules, pause/resume, delete), filters, recipients, jobs that produce the CSV from state
// (columns, formats, separators, encodings, filters, incremental runs, plannings), the job file
// and its copy in the account's files, the files API (wildcard paths, uploads, rename, delete),
// creative commons and remotes; every catalogue code verbatim, tenancy. Every response is
// validated against specs/dolist.yaml.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/apis/dolist/error-catalogue.js';
import { DOL, dolistWorkspace, startApp, type Client, expectDolistCode, type Res } from './helpers.js';

let c: Client;
beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
});
afterAll(async () => {
  await c.close();
});

type W = Awaited<ReturnType<typeof dolistWorkspace>>;

/** The catalogue's answer, verbatim, with a detail in Errors. */
/** The catalogue's code, verbatim, with the precise reason in Errors (the Message stays the catalogue's). */
function expectCode(r: Res, code: string) {
  expectDolistCode(r, code);
  expect(r.body.ResponseStatus.Errors?.[0]?.Message, r.text).toBeTruthy();
}

async function mapping(w: W, name: string, refs: Array<number | { ColumnReferenceID: number; Name?: string; Format?: string }>, typeId = 1): Promise<number> {
  const m = await w.main('POST', '/exports/mappings', { Name: name, TypeID: typeId });
  expect(m.status, m.text).toBe(201);
  for (const r of refs) {
    const col = await w.main('POST', `/exports/mappings/${m.body.ID}/columns`, typeof r === 'number' ? { ColumnReferenceID: r } : r);
    expect(col.status, col.text).toBe(204);
  }
  return m.body.ID;
}

async function contact(w: W, email: string, extra: Array<{ ID: number; Value: string }> = []) {
  // The contacts area may not be on this branch: write the contact through the state seam the foundation gives.
  const ws = c.app.runtime.get(w.id)!;
  const { contactsTable } = await import('../src/apis/dolist/contacts.js');
  let id = 0;
  ws.transaction(() => {
    const t = contactsTable(ws);
    id = 9_000_000 + t.all().length;
    const now = new Date(ws.now()).toISOString();
    const values: Record<string, string> = { '7': email, '72': '1' };
    for (const v of extra) values[String(v.ID)] = v.Value;
    t.put({ id: String(id), ID: id, account: '10001', Values: values, Interests: {}, CreateDate: now, UpdateDate: now, SubscribeDate: now, UnsubscribeDate: null, CreateOrigin: 1, UpdateOrigin: 1, Key: `10001|${email}`, SaleManagementID: null } as never);
  });
  return id;
}

const ids = (r: { body: any }) => r.body.ItemList.map((x: any) => x.ID);

describe('export reference data', () => {
  it('answers the type tree, the filters of each type and the column references (with the account fields)', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-ref');
    const types = await w.main('GET', '/exports/types');
    expect(types.status).toBe(200);
    expect(types.body.ItemList[0]).toEqual({ ID: 1, Name: 'Contacts', ParentTypeID: null, Level: 0, ChildTypeIDList: [2, 7] });
    expect(types.body.ItemList.find((t: any) => t.ID === 3)).toMatchObject({ ParentTypeID: 2, Level: 2 });

    const f1 = await w.main('GET', '/exports/types/filters?TypeID=1');
    expect(f1.body.ItemList.map((f: any) => f.Type)).toEqual(['Segment', 'Interests', 'InterestsGroup', 'LastDays', 'StartDate', 'EndDate', 'Forms']);
    const f3 = await w.main('GET', '/exports/types/filters?TypeID=3');
    expect(f3.body.ItemList.map((f: any) => f.Type)).toContain('EmailSendings');
    expect((await w.main('GET', '/exports/types/filters')).body.Total).toBeGreaterThan(f1.body.Total);
    expectCode(await w.main('GET', '/exports/types/filters?TypeID=99'), '1305');

    const refs = await w.main('GET', '/exports/mappings/columnreferences?TypeID=1');
    expect(refs.body.ItemList.find((r: any) => r.ID === 7)).toMatchObject({ Name: 'Email', FieldID: 7, DataType: 'Text' });
    expect(refs.body.ItemList.find((r: any) => r.ID === 10)).toMatchObject({ DataType: 'Date' });
    expect(ids(refs)).not.toContain(9102);
    const clicks = await w.main('GET', '/exports/mappings/columnreferences?TypeID=4');
    expect(ids(clicks)).toEqual(expect.arrayContaining([9101, 9102, 9103, 7]));
    expectCode(await w.main('GET', '/exports/mappings/columnreferences?TypeID=0'), '1305');
  });
});

describe('export mappings and columns', () => {
  it('creates, reads, searches, renames, duplicates and deletes mappings; system mappings are read only', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-mappings');
    const all = await w.main('GET', '/exports/mappings');
    expect(all.status).toBe(200);
    const system = all.body.ItemList.find((m: any) => m.Name === 'Contacts (standard)');
    expect(system).toMatchObject({ IsReadOnly: true, TypeID: 1 });
    expect(system.ColumnList.map((c: any) => c.Position)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const id = await mapping(w, 'Newsletter', [7, 3]);
    const got = await w.main('GET', `/exports/mappings/${id}`);
    expect(got.body).toMatchObject({ ID: id, Name: 'Newsletter', TypeID: 1, IsReadOnly: false });
    expect(got.body.ColumnList.map((c: any) => [c.ColumnReferenceID, c.Name, c.Position])).toEqual([
      [7, 'Email', 1],
      [3, 'Prénom', 2],
    ]);

    expectCode(await w.main('POST', '/exports/mappings', { Name: 'newsletter ', TypeID: 1 }), '1304');
    expectCode(await w.main('POST', '/exports/mappings', { Name: 'Other', TypeID: 42 }), '1305');
    expect((await w.main('POST', '/exports/mappings', { TypeID: 1 })).status).toBe(400);

    const found = await w.main('POST', '/exports/mappings/search', { SearchValue: 'news' });
    expect(ids(found)).toEqual([id]);
    const opens = await w.main('POST', '/exports/mappings/search', { TypeID: 3 });
    expect(opens.body.ItemList.map((m: any) => m.Name)).toEqual(['Email opens (standard)']);
    expectCode(await w.main('POST', '/exports/mappings/search', { TypeID: 77 }), '1305');

    expect((await w.main('PUT', `/exports/mappings/${id}`, { Name: 'Weekly' })).status).toBe(204);
    expect((await w.main('GET', `/exports/mappings/${id}`)).body.Name).toBe('Weekly');
    expectCode(await w.main('PUT', `/exports/mappings/${id}`, { Name: 'Contacts (standard)' }), '1304');
    expectCode(await w.main('PUT', `/exports/mappings/${id}`, { TypeID: 3 }), '36');
    expectCode(await w.main('PUT', `/exports/mappings/${system.ID}`, { Name: 'Mine' }), '1306');
    expectCode(await w.main('DELETE', `/exports/mappings/${system.ID}`), '1306');
    expectCode(await w.main('PUT', '/exports/mappings/999999', { Name: 'x' }), '1302');

    // A duplicate of a system mapping is custom, with the same columns.
    const dup = await w.main('POST', `/exports/mappings/${system.ID}/duplicate`, {});
    expect(dup.status).toBe(201);
    const copy = await w.main('GET', `/exports/mappings/${dup.body.ID}`);
    expect(copy.body).toMatchObject({ Name: 'Contacts (standard) (copy)', IsReadOnly: false });
    expect(copy.body.ColumnList.map((c: any) => c.ColumnReferenceID)).toEqual(system.ColumnList.map((c: any) => c.ColumnReferenceID));
    expect(copy.body.ColumnList[0].ID).not.toBe(system.ColumnList[0].ID);
    const named = await w.main('POST', `/exports/mappings/${id}/duplicate`, { Name: 'Named copy' });
    expect((await w.main('GET', `/exports/mappings/${named.body.ID}`)).body.Name).toBe('Named copy');
    expectCode(await w.main('POST', `/exports/mappings/${id}/duplicate`, { Name: 'Named copy' }), '1304');
    expectCode(await w.main('POST', '/exports/mappings/999999/duplicate', {}), '1302');

    expect((await w.main('DELETE', `/exports/mappings/${named.body.ID}`)).status).toBe(204);
    expectCode(await w.main('GET', `/exports/mappings/${named.body.ID}`), '1302');
    expectCode(await w.main('DELETE', `/exports/mappings/${named.body.ID}`), '1302');
  });

  it('adds, reads, moves, renames and deletes columns with the documented codes', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-columns');
    const id = await mapping(w, 'Cols', [7]);
    const clicks = await mapping(w, 'Clicks', [9103], 4);
    const base = `/exports/mappings/${id}/columns`;
    expectCode(await w.main('POST', base, { ColumnReferenceID: 123456 }), '1318');
    expectCode(await w.main('POST', base, { ColumnReferenceID: 9103 }), '1316');
    expectCode(await w.main('POST', base, { ColumnReferenceID: 7, Name: 'Other' }), '1336');
    expectCode(await w.main('POST', base, { ColumnReferenceID: 2, Name: 'email' }), '1315');
    expectCode(await w.main('POST', base, { ColumnReferenceID: 10, Format: 'C' }), '1329');
    expectCode(await w.main('POST', base, { ColumnReferenceID: 2, Format: 'dd/MM/yyyy' }), '1329');
    expectCode(await w.main('POST', '/exports/mappings/999999/columns', { ColumnReferenceID: 7 }), '1302');
    const system = (await w.main('GET', '/exports/mappings')).body.ItemList.find((m: any) => m.IsReadOnly);
    expectCode(await w.main('POST', `/exports/mappings/${system.ID}/columns`, { ColumnReferenceID: 10 }), '1306');

    expect((await w.main('POST', base, { ColumnReferenceID: 10, Name: 'Birth', Format: 'dd/MM/yyyy' })).status).toBe(204);
    expect((await w.main('POST', base, { ColumnReferenceID: 9001 })).status).toBe(204);
    let cols = (await w.main('GET', base)).body.ItemList;
    expect(cols.map((x: any) => [x.Name, x.Position])).toEqual([
      ['Email', 1],
      ['Birth', 2],
      ['ContactID', 3],
    ]);
    const [email, birth, cid] = cols.map((x: any) => x.ID);
    expect((await w.main('GET', `${base}/${birth}`)).body).toMatchObject({ ID: birth, MappingID: id, ColumnReferenceID: 10, Format: 'dd/MM/yyyy', DataType: 'Date' });
    expectCode(await w.main('GET', `${base}/999999`), '1303');

    expect((await w.main('PUT', `${base}/${cid}`, { Position: 1, Format: 'D8' })).status).toBe(204);
    cols = (await w.main('GET', base)).body.ItemList;
    expect(cols.map((x: any) => [x.ID, x.Position])).toEqual([
      [cid, 1],
      [email, 2],
      [birth, 3],
    ]);
    expectCode(await w.main('PUT', `${base}/${email}`, { Name: 'Birth' }), '1315');
    expectCode(await w.main('PUT', `${base}/${email}`, { Format: 'E' }), '1329');
    const other = (await w.main('GET', `/exports/mappings/${clicks}/columns`)).body.ItemList[0].ID;
    expectCode(await w.main('PUT', `${base}/${other}`, { Name: 'x' }), '1317');
    expectCode(await w.main('PUT', `${base}/999999`, { Name: 'x' }), '1303');
    expectCode(await w.main('PUT', `/exports/mappings/${system.ID}/columns/${system.ColumnList[0].ID}`, { Name: 'x' }), '1306');

    expect((await w.main('DELETE', `${base}/${cid}`)).status).toBe(204);
    cols = (await w.main('GET', base)).body.ItemList;
    expect(cols.map((x: any) => [x.ID, x.Position])).toEqual([
      [email, 1],
      [birth, 2],
    ]);
    expectCode(await w.main('DELETE', `${base}/${cid}`), '1303');
    expectCode(await w.main('DELETE', `/exports/mappings/${system.ID}/columns/${system.ColumnList[0].ID}`), '1306');
    expectCode(await w.main('GET', '/exports/mappings/999999/columns'), '1302');
  });

  it('registers the fields a mapping uses', async () => {
    const { usageItems } = await import('../src/apis/dolist/usage.js');
    const w = await dolistWorkspace(c, 'dl-exp-usage');
    const id = await mapping(w, 'Uses 3', [3]);
    const ws = c.app.runtime.get(w.id)!;
    expect(usageItems(ws, 'field', '10001', 3, 5).map((u) => u.ID)).toContain(id);
  });
});

describe('exports', () => {
  it('checks a new export in order: mapping, planning, columns, name, file name, incremental', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-create');
    const m = await mapping(w, 'M', [7]);
    const empty = (await w.main('POST', '/exports/mappings', { Name: 'Empty', TypeID: 1 })).body.ID;
    expectCode(await w.main('POST', '/exports', { Name: 'A', FileName: 'a.csv', MappingID: 999999, PlanningID: 999 }), '1302');
    expectCode(await w.main('POST', '/exports', { Name: 'A', FileName: 'a.csv', MappingID: empty, PlanningID: 999 }), '735');
    expectCode(await w.main('POST', '/exports', { Name: 'A', FileName: 'a.csv', MappingID: empty }), '1335');
    expectCode(await w.main('POST', '/exports', { Name: 'A', FileName: 'a.csv', MappingID: m, IsIncremental: true }), '1340');
    expectCode(await w.main('POST', '/exports', { Name: 'A', FileName: 'a.csv', MappingID: m, LineSeparator: 'CR' }), '36');
    expectCode(await w.main('POST', '/exports', { Name: 'A', FileName: 'a.csv', MappingID: m, Encoding: 'EBCDIC' }), '36');
    expectCode(await w.main('POST', '/exports', { Name: 'A', FileName: 'a/b.csv', MappingID: m }), '36');
    expect((await w.main('POST', '/exports', { FileName: 'a.csv', MappingID: m })).status).toBe(400);
    const a = await w.main('POST', '/exports', { Name: 'A', FileName: 'a.csv', MappingID: m });
    expect(a.status).toBe(201);
    expectCode(await w.main('POST', '/exports', { Name: 'a', FileName: 'b.csv', MappingID: m }), '1310');
    expectCode(await w.main('POST', '/exports', { Name: 'B', FileName: 'A.CSV', MappingID: m }), '1309');
    // Nothing of the refused requests was kept.
    expect((await w.main('GET', '/exports')).body.Total).toBe(1);
  });

  it('runs a one-time export on the clock: pending, then success with the CSV, then Completed and read only', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-run');
    const m = await mapping(w, 'Run', [9001, 7, { ColumnReferenceID: 3, Name: 'First name' }]);
    const id = (await w.main('POST', '/exports', { Name: 'Run', FileName: 'run.csv', MappingID: m, ColumnSeparator: ',', LineSeparator: 'Crlf' })).body.ID;
    const before = await w.main('GET', `/exports/${id}`);
    expect(before.body).toMatchObject({ Status: 'Active', LastStatus: 'pending', PlanningType: 'OneTime', ColumnSeparator: ',', LineSeparator: 'Crlf', Encoding: 'UTF8' });
    const job = before.body.LastJob;
    expect(job).toMatchObject({ Status: 'pending', StartDate: null, RowCount: null });
    expectCode(await w.main('GET', `/exports/${id}/jobs/${job.ID}/file`), '1307');
    // A pending job keeps the export from being deleted.
    expectCode(await w.main('DELETE', `/exports/${id}`), '1312');

    await w.advance(1000);
    const running = await w.main('GET', `/exports/${id}`);
    expect(running.body.LastJob.StartDate).toBe('2026-03-02T09:00:01.000Z');
    expect(running.body.LastJob.Status).toBe('pending');
    expectCode(await w.main('PUT', `/exports/${id}`, { Name: 'Renamed' }), '1311');

    await w.advance(5000);
    const done = await w.main('GET', `/exports/${id}`);
    expect(done.body).toMatchObject({ Status: 'Completed', LastStatus: 'success' });
    expect(done.body.JobList).toHaveLength(1);
    expect(done.body.LastJob).toMatchObject({ Status: 'success', RowCount: 200, FileName: 'run.csv' });
    expect(done.body.LastJob.EndDate).not.toBeNull();

    const file = await w.main('GET', `/exports/${id}/jobs/${job.ID}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="run.csv"');
    const lines = file.text.split('\r\n');
    expect(lines[0]).toBe('ContactID,Email,First name');
    expect(lines).toHaveLength(202);
    expect(lines[201]).toBe('');
    // Each row is a contact of the account, in ID order, its values as stored.
    const ws = c.app.runtime.get(w.id)!;
    const { accountContacts } = await import('../src/apis/dolist/contacts.js');
    const contacts = accountContacts(ws, '10001').slice().sort((a, b) => a.ID - b.ID);
    expect(lines[1]).toBe([contacts[0].ID, contacts[0].Values['7'], contacts[0].Values['3'] ?? ''].join(','));

    expectCode(await w.main('PUT', `/exports/${id}`, { Name: 'Again' }), '1313');
    expectCode(await w.main('GET', `/exports/${id}/jobs/999999/file`), '1307');
    expectCode(await w.main('GET', `/exports/999999/jobs/${job.ID}/file`), '1301');

    // The file is in the account's files too.
    const files = await w.main('GET', '/files/accounts/exports?ApplicationID=1');
    expect(files.body.ItemList).toEqual([expect.objectContaining({ Name: 'run.csv', Path: 'exports/run.csv', MimeType: 'text/csv', Size: Buffer.byteLength(file.text) })]);

    expect((await w.main('DELETE', `/exports/${id}`)).status).toBe(204);
    expectCode(await w.main('GET', `/exports/${id}`), '1301');
    expectCode(await w.main('DELETE', `/exports/${id}`), '1301');
  });

  it('writes formats, quoting, the timestamped name, no header, and the encoding asked for', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-format');
    const a = await contact(w, 'zoe+a@example.com', [
      { ID: 2, Value: 'Dupont; "le grand"' },
      { ID: 10, Value: '1990-04-07' },
      { ID: 3, Value: 'Zoé' },
    ]);
    const seg = await w.main('POST', '/exports/mappings', { Name: 'Fmt', TypeID: 1 });
    for (const col of [{ ColumnReferenceID: 9001, Format: 'D10' }, { ColumnReferenceID: 2 }, { ColumnReferenceID: 10, Format: 'dd/MM/yyyy' }, { ColumnReferenceID: 3 }]) {
      expect((await w.main('POST', `/exports/mappings/${seg.body.ID}/columns`, col)).status).toBe(204);
    }
    const id = (await w.main('POST', '/exports', { Name: 'Fmt', FileName: 'fmt.csv', MappingID: seg.body.ID, IncludeTimeStamp: true, IncludeHeader: false, Encoding: 'ISO-8859-1' })).body.ID;
    await w.advance(10_000);
    const e = (await w.main('GET', `/exports/${id}`)).body;
    expect(e.LastJob.FileName).toBe('fmt_20260302090001.csv');
    const file = await w.main('GET', `/exports/${id}/jobs/${e.LastJob.ID}/file`);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=iso-8859-1');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="fmt_20260302090001.csv"');
    // ISO-8859-1 bytes (the client decodes UTF-8: the é byte is not UTF-8), no header line.
    const lines = file.text.split('\n');
    expect(lines[0]).not.toContain('ContactID');
    expect(lines[lines.length - 2]).toBe(`${String(a).padStart(10, '0')};"Dupont; ""le grand""";07/04/1990;Zo\ufffd`);
    expect((await w.main('GET', '/files/accounts/exports?ApplicationID=1')).body.ItemList[0].Name).toBe('fmt_20260302090001.csv');
  });

  it('delivers a Zip export: the CSV inside an archive named after it', async () => {
    const { unzip } = await import('../src/core/zip.js');
    const w = await dolistWorkspace(c, 'dl-exp-zip');
    const m = await mapping(w, 'Z', [9001, 7]);
    const id = (await w.main('POST', '/exports', { Name: 'Z', FileName: 'z.csv', MappingID: m, Compression: 'zip' })).body.ID;
    await w.advance(5000);
    const e = (await w.main('GET', `/exports/${id}`)).body;
    expect(e).toMatchObject({ Compression: 'Zip', LastJob: { FileName: 'z.csv.zip', RowCount: 200 } });
    const ws = c.app.runtime.get(w.id)!;
    const { jobFile } = await import('../src/apis/dolist/exports.js');
    const f = jobFile(ws, '10001', id, e.LastJob.ID);
    expect(f.contentType).toBe('application/zip');
    const [entry] = unzip(f.bytes);
    expect(entry.name).toBe('z.csv');
    const text = Buffer.from(entry.data).toString('utf8');
    expect(text.split('\n')[0]).toBe('ContactID;Email');
    expect(text.trim().split('\n')).toHaveLength(201);
    const http = await w.main('GET', `/exports/${id}/jobs/${e.LastJob.ID}/file`);
    expect(http.status).toBe(200);
    expect(http.headers.get('content-type')).toBe('application/zip');
    expect(http.headers.get('content-disposition')).toBe('attachment; filename="z.csv.zip"');
    const listed = (await w.main('GET', '/files/accounts/exports?ApplicationID=1')).body.ItemList;
    expect(listed).toEqual([expect.objectContaining({ Name: 'z.csv.zip', MimeType: 'application/zip', Size: f.bytes.length })]);
    expectCode(await w.main('POST', '/exports', { Name: 'Z2', FileName: 'z2.csv', MappingID: m, Compression: 'rar' }), '36');
  });

  it('selects rows by filters (segment, interests, groups, dates, forms) and validates them', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-filters');
    const m = await mapping(w, 'F', [9001]);
    const id = (await w.main('POST', '/exports', { Name: 'F', FileName: 'f.csv', MappingID: m })).body.ID;
    const ws = c.app.runtime.get(w.id)!;
    // Put the job back in the queue's hands: pause, add filters, resume.
    expect((await w.main('PUT', `/exports/${id}`, { Status: 'Paused' })).status).toBe(204);
    const paused = (await w.main('GET', `/exports/${id}`)).body;
    expect(paused).toMatchObject({ Status: 'Paused', LastStatus: 'error' });
    expect(paused.LastJob.Error).toMatch(/paused/);

    const base = `/exports/${id}/filters`;
    expectCode(await w.main('POST', base, { FilterList: [{ Type: 'EmailSendings', ValueList: [1] }] }), '36');
    expectCode(await w.main('POST', base, { FilterList: [{ Type: 'Nope', Value: 1 }] }), '36');
    expectCode(await w.main('POST', base, { FilterList: [{ Type: 'Interests', ValueList: [5009] }] }), '432');
    expectCode(await w.main('POST', base, { FilterList: [{ Type: 'InterestsGroup', ValueList: [504] }] }), '436');
    expectCode(await w.main('POST', base, { FilterList: [{ Type: 'Segment', Value: 424242 }] }), '502');
    expectCode(await w.main('POST', base, { FilterList: [{ Type: 'LastDays', Value: 0 }] }), '36');
    expectCode(await w.main('POST', base, { FilterList: [{ Type: 'StartDate', Value: 'soon' }] }), '36');
    expectCode(await w.main('POST', base, { FilterList: [{ Type: 'Forms', ValueList: [803] }] }), '36');
    expectCode(await w.main('POST', '/exports/999999/filters', { FilterList: [] }), '1301');
    expect((await w.main('POST', base, {})).status).toBe(204);
    expect((await w.main('GET', base)).body).toEqual({ ItemList: [], Total: 0 });

    // Contacts with interests: mark three of them.
    const { contactsTable } = await import('../src/apis/dolist/contacts.js');
    const all = contactsTable(ws).lookup('account', '10001').map((x) => x.ID).sort((a, b) => a - b);
    ws.transaction(() => {
      // Only these three contacts hold interests (the generated base gives some to others).
      for (const cid of all) {
        const rec = contactsTable(ws).get(String(cid))!;
        rec.Interests = {};
        contactsTable(ws).touch(rec);
      }
      for (const [cid, interest] of [[all[0], '5001'], [all[1], '5002'], [all[2], '5005']] as const) {
        const rec = contactsTable(ws).get(String(cid))!;
        rec.Interests = { [interest]: { Origin: 1, Date: rec.CreateDate } };
        rec.UpdateDate = new Date(ws.now()).toISOString();
        contactsTable(ws).touch(rec);
      }
    });
    const added = await w.main('POST', base, { FilterList: [{ Type: 'interests', ValueList: [5001, 5002, 5005] }, { Type: 'InterestsGroup', ValueList: [501] }, { Type: 'LastDays', Value: 30 }] });
    expect(added.status).toBe(201);
    expect(added.body.ItemList).toEqual([
      { ID: 'Interests', Type: 'Interests', ValueList: [5001, 5002, 5005] },
      { ID: 'InterestsGroup', Type: 'InterestsGroup', ValueList: [501] },
      { ID: 'LastDays', Type: 'LastDays', Value: '30' },
    ]);
    // Posting a type again replaces it.
    const again = await w.main('POST', base, { FilterList: [{ Type: 'LastDays', Value: '7' }, { Type: 'EndDate', Value: '2026-03-02' }] });
    expect(again.body.ItemList.find((f: any) => f.ID === 'LastDays').Value).toBe('7');
    expect(again.body.Total).toBe(4);
    expect((await w.main('DELETE', `${base}/EndDate`)).status).toBe(204);
    expectCode(await w.main('DELETE', `${base}/EndDate`), '1301');
    expectCode(await w.main('DELETE', `/exports/999999/filters/LastDays`), '1301');
    expect((await w.main('GET', base)).body.Total).toBe(3);

    expect((await w.main('PUT', `/exports/${id}`, { Status: 'Active' })).status).toBe(204);
    await w.advance(5000);
    const e = (await w.main('GET', `/exports/${id}`)).body;
    expect(e.JobList).toHaveLength(2);
    expect(e.LastJob).toMatchObject({ Status: 'success', RowCount: 2 });
    const file = await w.main('GET', `/exports/${id}/jobs/${e.LastJob.ID}/file`);
    expect(file.text).toBe(`ContactID\n${all[0]}\n${all[1]}\n`);
    expectCode(await w.main('GET', `/exports/${id}/jobs/${e.JobList[0].ID}/file`), '1307');
  });

  it('selects by segment, dates and forms, and registers what it uses', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-segment');
    const ws = c.app.runtime.get(w.id)!;
    const { contactsTable } = await import('../src/apis/dolist/contacts.js');
    const { usageItems } = await import('../src/apis/dolist/usage.js');
    // The targets area owns targets: a row as target-eval.ts reads it (its placeholder selects every contact).
    ws.transaction(() => ws.table('dolist', 'targets').put({ id: '8801', ID: 8801, account: '10001', Name: 'All' }));
    const all = contactsTable(ws).lookup('account', '10001').map((x) => x.ID).sort((a, b) => a - b);
    ws.transaction(() => {
      all.forEach((cid, i) => {
        const rec = contactsTable(ws).get(String(cid))!;
        // Three contacts updated on given days, made by a form for the first; the rest long ago.
        rec.UpdateDate = i === 0 ? '2026-02-10T10:00:00.000Z' : i === 1 ? '2026-02-20T10:00:00.000Z' : i === 2 ? '2026-02-28T23:00:00.000Z' : '2025-01-01T00:00:00.000Z';
        rec.CreateOrigin = i === 0 ? 3 : 1;
        contactsTable(ws).touch(rec);
      });
    });
    const m = await mapping(w, 'S', [9001]);
    let n = 0;
    const run = async (filters: unknown[]) => {
      const name = `S${++n}`;
      const id = (await w.main('POST', '/exports', { Name: name, FileName: `${name}.csv`, MappingID: m })).body.ID;
      await w.main('PUT', `/exports/${id}`, { Status: 'Paused' });
      const r = await w.main('POST', `/exports/${id}/filters`, { FilterList: filters });
      expect(r.status, r.text).toBe(201);
      await w.main('PUT', `/exports/${id}`, { Status: 'Active' });
      await w.advance(5000);
      const e = (await w.main('GET', `/exports/${id}`)).body;
      const f = await w.main('GET', `/exports/${id}/jobs/${e.LastJob.ID}/file`);
      return { id, rows: f.text.trim().split('\n').slice(1).map(Number) };
    };
    const seg = await run([{ Type: 'Segment', Value: 8801 }, { Type: 'StartDate', Value: '2026-02-15' }, { Type: 'EndDate', Value: '2026-02-28' }]);
    expect(seg.rows).toEqual([all[1], all[2]]);
    expect((await run([{ Type: 'Forms', ValueList: [801] }])).rows).toEqual([all[0]]);
    expect((await run([{ Type: 'LastDays', Value: 15 }])).rows).toEqual([all[1], all[2]]);
    const withInterest = await run([{ Type: 'Interests', ValueList: [5003] }, { Type: 'InterestsGroup', ValueList: [502] }]);
    expect(withInterest.rows.length).toBeLessThan(all.length);
    expect(usageItems(ws, 'target', '10001', 8801, 7).map((u) => u.ID)).toEqual([seg.id]);
    expect(usageItems(ws, 'interest', '10001', 5003, 7).map((u) => u.ID)).toEqual([withInterest.id]);
    expect(usageItems(ws, 'group', '10001', 502, 7).map((u) => u.ID)).toEqual([withInterest.id]);
  });

  it('updates settings with its rules, pauses and resumes, searches', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-update');
    const m = await mapping(w, 'U', [7]);
    const other = await mapping(w, 'U2', [7]);
    const a = (await w.main('POST', '/exports', { Name: 'Alpha', FileName: 'alpha.csv', MappingID: m })).body.ID;
    const b = (await w.main('POST', '/exports', { Name: 'Beta', FileName: 'beta.csv', MappingID: other })).body.ID;
    expectCode(await w.main('PUT', `/exports/${a}`, { MappingID: other }), '36');
    expectCode(await w.main('PUT', `/exports/${a}`, { Name: 'beta' }), '1310');
    expectCode(await w.main('PUT', `/exports/${a}`, { FileName: 'BETA.csv' }), '1309');
    expectCode(await w.main('PUT', `/exports/${a}`, { PlanningID: 5 }), '1339');
    expectCode(await w.main('PUT', `/exports/${a}`, { IsIncremental: true }), '1340');
    expectCode(await w.main('PUT', `/exports/${a}`, { Status: 'Stopped' }), '36');
    expectCode(await w.main('PUT', '/exports/999999', { Name: 'x' }), '1301');
    expect((await w.main('PUT', `/exports/${a}`, { Name: 'Alpha 2', Encoding: 'utf-16', ColumnSeparator: 'Tab', Status: 'Paused' })).status).toBe(204);
    expectCode(await w.main('PUT', `/exports/${a}`, { PlanningID: 5 }), '735');
    const got = (await w.main('GET', `/exports/${a}`)).body;
    expect(got).toMatchObject({ Name: 'Alpha 2', Encoding: 'UTF16', ColumnSeparator: '\t', Status: 'Paused' });

    await w.advance(5000);
    const search = async (q: Record<string, unknown>) => ids(await w.main('POST', '/exports/search', q));
    expect(await search({})).toEqual([a, b]);
    expect(await search({ SearchValue: 'alpha' })).toEqual([a]);
    expect(await search({ SearchValue: 'beta.csv' })).toEqual([b]);
    expect(await search({ LastStatus: 'success' })).toEqual([b]);
    expect(await search({ LastStatus: 'error' })).toEqual([a]);
    expect(await search({ MappingID: other })).toEqual([b]);
    expect(await search({ PlanningType: 'onetime', TypeID: 1 })).toEqual([a, b]);
    expect(await search({ TypeID: 3 })).toEqual([]);
    expect(await search({ SortField: 'Name', SortOrder: 'desc' })).toEqual([b, a]);
    const paged = await w.main('POST', '/exports/search', { Offset: 1, Limit: 1 });
    expect(paged.body).toMatchObject({ Total: 2 });
    expect(ids(paged)).toEqual([b]);
    expectCode(await w.main('POST', '/exports/search', { TypeID: 55 }), '1305');

    // Resuming a one-time export that never succeeded runs it, in UTF-16 with tabs.
    expect((await w.main('PUT', `/exports/${a}`, { Status: 'Active' })).status).toBe(204);
    await w.advance(5000);
    const done = (await w.main('GET', `/exports/${a}`)).body;
    expect(done).toMatchObject({ Status: 'Completed', LastStatus: 'success' });
    const file = await w.main('GET', `/exports/${a}/jobs/${done.LastJob.ID}/file`);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-16');
    const bytes = new Uint8Array(await new Response(file.text).arrayBuffer());
    expect(bytes.length).toBeGreaterThan(0);

    // An export whose mapping was deleted answers [1302].
    expect((await w.main('DELETE', `/exports/mappings/${other}`)).status).toBe(204);
    expectCode(await w.main('GET', `/exports/${b}`), '1302');
    expectCode(await w.main('PUT', `/exports/${b}`, { Name: 'x' }), '1302');
    expect((await w.main('GET', '/exports')).body.Total).toBe(2);
  });

  it('runs on a planning: OneTime at its date, Recurrent at each of its dates with incremental rows', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-planning');
    const plan = async (call: typeof w.main, path: string, body: Record<string, unknown>) => {
      const r = await call('POST', path, body);
      expect(r.status, r.text).toBe(201);
      return r.body.ID as number;
    };
    const onceP = await plan(w.main, '/plannings/onetime', { StartDate: '2026-03-02T12:00:00Z' });
    const dailyP = await plan(w.main, '/plannings/recurrents', { Frequency: 'Daily', StartDate: '2026-03-02T09:00:00Z', Time: '10:00' });
    const otherP = await plan(w.mainB, '/plannings/onetime', { StartDate: '2026-03-02T12:00:00Z' });
    const m = await mapping(w, 'P', [9001]);
    expectCode(await w.main('POST', '/exports', { Name: 'X', FileName: 'x.csv', MappingID: m, PlanningID: otherP }), '735');
    const once = (await w.main('POST', '/exports', { Name: 'Once', FileName: 'once.csv', MappingID: m, PlanningID: onceP })).body.ID;
    const rec = (await w.main('POST', '/exports', { Name: 'Rec', FileName: 'rec.csv', MappingID: m, PlanningID: dailyP, IsIncremental: true })).body.ID;
    expect((await w.main('GET', `/exports/${rec}`)).body).toMatchObject({ PlanningType: 'Recurrent', IsIncremental: true });

    await w.advance(60_000);
    expect((await w.main('GET', `/exports/${once}`)).body.LastStatus).toBe('pending');
    expect((await w.main('GET', `/exports/${rec}`)).body.JobList.map((j: any) => j.Status)).toEqual(['pending']);
    await w.advance(3_600_000); // past 10:00: the first daily run
    const first = (await w.main('GET', `/exports/${rec}`)).body;
    expect(first.JobList.map((j: any) => j.Status)).toEqual(['success', 'pending']);
    expect(first.JobList[0].RowCount).toBe(200);
    expect(first.JobList[0].StartDate).toBe('2026-03-02T10:00:00.000Z');
    expect(first.Status).toBe('Active');

    const added = await contact(w, 'new+one@example.com');
    await w.advance(2 * 86_400_000);
    const onceDone = (await w.main('GET', `/exports/${once}`)).body;
    expect(onceDone).toMatchObject({ Status: 'Completed', LastStatus: 'success' });
    expect(onceDone.LastJob.StartDate).toBe('2026-03-02T12:00:00.000Z');
    const later = (await w.main('GET', `/exports/${rec}`)).body;
    expect(later.JobList.length).toBeGreaterThanOrEqual(3);
    const second = later.JobList[1];
    expect(second).toMatchObject({ Status: 'success', RowCount: 1, StartDate: '2026-03-03T10:00:00.000Z' });
    expect((await w.main('GET', `/exports/${rec}/jobs/${second.ID}/file`)).text).toBe(`ContactID\n${added}\n`);
    expect(later.JobList[2].RowCount).toBe(0);
    // Changing the planning needs a pause; then the planning must exist.
    expectCode(await w.main('PUT', `/exports/${rec}`, { PlanningID: onceP }), '1339');
    expect((await w.main('PUT', `/exports/${rec}`, { Status: 'Paused' })).status).toBe(204);
    expectCode(await w.main('PUT', `/exports/${rec}`, { PlanningID: onceP }), '1340');
    expect((await w.main('PUT', `/exports/${rec}`, { PlanningID: onceP, IsIncremental: false })).status).toBe(204);
    expect((await w.main('GET', `/exports/${rec}`)).body).toMatchObject({ PlanningType: 'OneTime', PlanningID: onceP, Status: 'Paused' });
  });

  it('exports the events of sendings: sends, opens, clicks with their link, bounces; EmailSendings names the sendings', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-events', { scenario: 'dolist-campaign', clock: { mode: 'manual', now: '2026-03-02T08:00:00Z' } });
    await w.advance(4 * 3_600_000); // 12:00: the email sending is done, opens and clicks have come
    let n = 0;
    const run = async (typeId: number, cols: number[], filters: Array<Record<string, unknown>> = []) => {
      n++;
      const m = await mapping(w, `T${n}`, cols, typeId);
      const id = (await w.main('POST', '/exports', { Name: `E${n}`, FileName: `e${n}.csv`, MappingID: m })).body.ID;
      if (filters.length) expect((await w.main('POST', `/exports/${id}/filters`, { FilterList: filters })).status).toBeLessThan(300);
      await w.advance(5_000);
      const e = (await w.main('GET', `/exports/${id}`)).body;
      expect(e.LastJob.Status, JSON.stringify(e.LastJob)).toBe('success');
      return (await w.main('GET', `/exports/${id}/jobs/${e.LastJob.ID}/file`)).text.trim().split('\n').slice(1);
    };
    const sent = await run(2, [9101, 7]);
    // As many sends as the sending's statistics count.
    const stats = (await w.main('GET', '/statistics/email/sendings/1?IndicatorList=Sent')).body;
    expect(sent).toHaveLength(stats.IndicatorList.find((i: any) => i.Name === 'Sent').Value);
    expect(sent.every((l) => l.startsWith('1;'))).toBe(true);
    const opens = await run(3, [7, 9102]);
    expect(opens.length).toBeGreaterThan(0);
    expect(opens.length).toBeLessThanOrEqual(sent.length);
    const clicks = await run(4, [7, 9103]);
    expect(clicks.some((l) => l === 'alice+click@example.com;https://shop.example/spring')).toBe(true);
    const bounces = await run(5, [7]);
    expect(bounces).toContain('bob+bounce@example.com');
    expect(await run(2, [7], [{ Type: 'EmailSendings', ValueList: [999] }])).toEqual([]);
    expect(await run(2, [7], [{ Type: 'EmailSendings', ValueList: [1] }])).toHaveLength(sent.length);
  });

  it('adds, lists and deletes recipients, who are told when a job ends', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-recipients');
    const m = await mapping(w, 'R', [7]);
    const id = (await w.main('POST', '/exports', { Name: 'R', FileName: 'r.csv', MappingID: m })).body.ID;
    const base = `/exports/${id}/recipients`;
    const u = await w.main('POST', base, { Type: 'User', Value: 302 });
    expect(u.status).toBe(201);
    const e = await w.main('POST', base, { Type: 'email', Value: 'Ops@Example.com' });
    expect(e.status).toBe(201);
    expectCode(await w.main('POST', base, { Type: 'User', Value: '302' }), '1324');
    expectCode(await w.main('POST', base, { Type: 'Email', Value: 'ops@example.com' }), '1324');
    expectCode(await w.main('POST', base, { Type: 'User', Value: 303 }), '901');
    expectCode(await w.main('POST', base, { Type: 'User', Value: 'x' }), '901');
    expectCode(await w.main('POST', base, { Type: 'Email', Value: 'nope' }), '36');
    expectCode(await w.main('POST', base, { Type: 'Fax', Value: '1' }), '36');
    expectCode(await w.main('POST', '/exports/999999/recipients', { Type: 'Email', Value: 'a@b.co' }), '1301');
    await w.advance(5000);
    const listed = await w.main('GET', base);
    expect(listed.body.ItemList).toEqual([
      expect.objectContaining({ ID: u.body.ID, Type: 'User', Value: '302', Email: 'hugo.bernard@commsim.example', NotificationCount: 1 }),
      expect.objectContaining({ ID: e.body.ID, Type: 'Email', Value: 'ops@example.com', NotificationCount: 1 }),
    ]);
    const { events } = await c.sim('GET', `/workspaces/${w.id}/events?api=dolist&type=export_job_ended`);
    expect(events.map((ev: any) => ev.data)).toEqual([
      { exportId: id, jobId: expect.any(Number), account: '10001', status: 'success', rows: 200, fileName: 'r.csv', recipients: ['hugo.bernard@commsim.example', 'ops@example.com'] },
    ]);
    expectCode(await w.main('GET', '/exports/999999/recipients'), '1301');
    expect((await w.main('DELETE', `${base}/${u.body.ID}`)).status).toBe(204);
    expectCode(await w.main('DELETE', `${base}/${u.body.ID}`), '1301');
    expectCode(await w.main('DELETE', `/exports/999999/recipients/${e.body.ID}`), '1301');
    expect((await w.main('GET', base)).body.Total).toBe(1);
  });

  it('keeps accounts apart', async () => {
    const w = await dolistWorkspace(c, 'dl-exp-tenancy');
    const mb = await w.mainB('POST', '/exports/mappings', { Name: 'B', TypeID: 1 });
    expect(mb.status).toBe(201);
    await w.mainB('POST', `/exports/mappings/${mb.body.ID}/columns`, { ColumnReferenceID: 7 });
    const eb = await w.mainB('POST', '/exports', { Name: 'B', FileName: 'b.csv', MappingID: mb.body.ID });
    expect(eb.status).toBe(201);
    expectCode(await w.main('GET', `/exports/mappings/${mb.body.ID}`), '1302');
    expectCode(await w.main('GET', `/exports/${eb.body.ID}`), '1301');
    expectCode(await w.main('GET', `/exports/${eb.body.ID}/filters`), '1301');
    expectCode(await w.main('POST', '/exports', { Name: 'A', FileName: 'a.csv', MappingID: mb.body.ID }), '1302');
    // The same names are free in another account.
    const ma = await mapping(w, 'B', [7]);
    expect((await w.main('POST', '/exports', { Name: 'B', FileName: 'b.csv', MappingID: ma })).status).toBe(201);
    expect(ids(await w.main('GET', '/exports'))).not.toContain(eb.body.ID);
    expect(ids(await w.brandB('GET', '/exports'))).toEqual([eb.body.ID]);
    expectCode(await w.brandB('GET', '/exports?AccountID=10001'), '6');
    expectCode(await w.brandB('GET', '/exports/mappings?AccountID=10001'), '6');
    expectCode(await w.brandB('GET', '/files/accounts/?ApplicationID=1&AccountID=10001'), '6');
    await w.advance(5000);
    expectCode(await w.main('GET', `/exports/${eb.body.ID}/jobs/${(await w.mainB('GET', `/exports/${eb.body.ID}`)).body.LastJob.ID}/file`), '1301');
    expect((await w.main('GET', '/files/accounts/exports?ApplicationID=1')).body.Total).toBe(1);
    expect((await w.mainB('GET', '/files/accounts/exports?ApplicationID=1')).body.Total).toBe(1);
  });
});

describe('files', () => {
  const q = '?ApplicationID=1';
  const upload = (w: W, path: string, name: string, content: string, query = '') => {
    const fd = new FormData();
    fd.append('File', new Blob([content], { type: 'text/csv' }), name);
    return w.main('POST', `/files/accounts/${path}${q}${query}`, fd);
  };

  it('creates directories, uploads, lists with search, sort and paging, renames and deletes', async () => {
    const w = await dolistWorkspace(c, 'dl-files');
    const root = await w.main('GET', `/files/accounts/${q}`);
    expect(root.body.ItemList.map((e: any) => e.Name)).toEqual(['exports', 'imports', 'system']);
    expect((await c.req('GET', `${DOL}/files/accounts${q}&AccountID=10001`, { headers: { 'x-api-key': w.creds.main } })).body.Total).toBe(3);

    const d = await w.main('POST', `/files/accounts/in/2026${q}`);
    expect(d.status).toBe(201);
    expect(d.body).toEqual({ Path: 'in/2026', IsDirectory: true, Size: 0 });
    expectCode(await w.main('POST', `/files/accounts/in/2026${q}`), '19');
    const up = await upload(w, 'in/2026', 'list.csv', 'email\na@b.co\n');
    expect(up.body).toEqual({ Path: 'in/2026/list.csv', IsDirectory: false, Size: 13 });
    expectCode(await upload(w, 'in/2026', 'list.csv', 'x'), '19');
    expect((await upload(w, 'in/2026', 'list.csv', 'email\n', '&Overwrite=true')).status).toBe(201);
    expectCode(await upload(w, 'in/2026', 'list.exe', 'x'), '32');
    expectCode(await upload(w, 'in/2026', 'empty.csv', ''), '27');
    expect((await w.main('POST', `/files/accounts/in/old.csv${q}`)).status).toBe(201);
    expectCode(await upload(w, 'in', 'old.csv', 'x'), '29');
    expect((await w.main('DELETE', `/files/accounts/in/old.csv${q}`)).status).toBe(204);
    expect((await w.main('POST', `/files/accounts/in/notes.txt${q}`, { Content: 'hello' })).body).toEqual({ Path: 'in/notes.txt', IsDirectory: false, Size: 5 });
    expectCode(await w.main('POST', `/files/accounts/in/a%3Fb${q}`), '33');
    expectCode(await w.main('POST', `/files/accounts/in/..%2Fx${q}`), '33');

    const dir = await w.main('GET', `/files/accounts/in/2026${q}`);
    expect(dir.body.ItemList).toEqual([expect.objectContaining({ Name: 'list.csv', Path: 'in/2026/list.csv', Size: 6, MimeType: 'text/csv', IsDirectory: false })]);
    const inDir = await w.main('GET', `/files/accounts/in${q}`);
    expect(inDir.body.ItemList.map((e: any) => [e.Name, e.IsDirectory, e.Size])).toEqual([
      ['2026', true, 1],
      ['notes.txt', false, 5],
    ]);
    expect((await w.main('GET', `/files/accounts/in${q}&SearchValue=NOTE`)).body.ItemList.map((e: any) => e.Name)).toEqual(['notes.txt']);
    expect((await w.main('GET', `/files/accounts/in${q}&SortField=Size&SortOrder=desc`)).body.ItemList.map((e: any) => e.Name)).toEqual(['notes.txt', '2026']);
    const paged = await w.main('GET', `/files/accounts/in${q}&Offset=1&Limit=1`);
    expect(paged.body).toMatchObject({ Total: 2, ItemList: [expect.objectContaining({ Name: 'notes.txt' })] });
    expectCode(await w.main('GET', `/files/accounts/in${q}&SortField=Colour`), '36');
    expectCode(await w.main('GET', `/files/accounts/nowhere${q}`), '18');
    expectCode(await w.main('GET', `/files/accounts/system${q}`), '22');
    expectCode(await w.main('GET', `/files/accounts/system/account.json${q}`), '22');
    expectCode(await w.main('POST', `/files/accounts/system/sub${q}`), '22');
    expectCode(await w.main('GET', `/files/accounts/in%7Cx${q}`), '33');
    // A file path answers its own entry.
    expect((await w.main('GET', `/files/accounts/in/notes.txt${q}`)).body.Total).toBe(1);

    // Rename a file, replace its content, rename a directory with what it holds.
    expect((await w.main('PUT', `/files/accounts/in/notes.txt${q}&RenameTo=readme.txt`)).status).toBe(204);
    expectCode(await w.main('PUT', `/files/accounts/in/notes.txt${q}&RenameTo=x.txt`), '17');
    expectCode(await w.main('PUT', `/files/accounts/in/readme.txt${q}&RenameTo=2026`), '19');
    expectCode(await w.main('PUT', `/files/accounts/in/readme.txt${q}&RenameTo=readme.exe`), '32');
    expectCode(await w.main('PUT', `/files/accounts/in/readme.txt${q}&RenameTo=a%3Cb.txt`), '33');
    expectCode(await w.main('PUT', `/files/accounts/in/readme.txt${q}`), '25');
    const fd = new FormData();
    fd.append('File', new Blob(['new content']), 'readme.txt');
    expect((await w.main('PUT', `/files/accounts/in/readme.txt${q}`, fd)).status).toBe(204);
    const empty = new FormData();
    empty.append('File', new Blob([]), 'readme.txt');
    expectCode(await w.main('PUT', `/files/accounts/in/readme.txt${q}`, empty), '27');
    expect((await w.main('GET', `/files/accounts/in/readme.txt${q}`)).body.ItemList[0].Size).toBe(11);
    expect((await w.main('PUT', `/files/accounts/in/2026${q}&RenameTo=archive`)).status).toBe(204);
    expect((await w.main('GET', `/files/accounts/in/archive${q}`)).body.ItemList[0].Path).toBe('in/archive/list.csv');
    expectCode(await w.main('GET', `/files/accounts/in/2026${q}`), '18');
    expectCode(await w.main('PUT', `/files/accounts/exports${q}&RenameTo=out`), '35');
    expectCode(await w.main('PUT', `/files/accounts/system/account.json${q}&RenameTo=a.json`), '34');

    // Delete: missing ones by kind, a directory with its content.
    expectCode(await w.main('DELETE', `/files/accounts/in/none.csv${q}`), '17');
    expectCode(await w.main('DELETE', `/files/accounts/in/none${q}`), '18');
    expectCode(await w.main('DELETE', `/files/accounts/in/%22x${q}`), '33');
    expect((await w.main('DELETE', `/files/accounts/in${q}`)).status).toBe(204);
    expectCode(await w.main('GET', `/files/accounts/in/archive${q}`), '18');
    expect((await w.main('GET', `/files/accounts/${q}`)).body.Total).toBe(3);
    // Another account sees none of it.
    expect((await w.mainB('GET', `/files/accounts/${q}`)).body.Total).toBe(3);
  });

  it('serves the creative-commons library read only', async () => {
    const w = await dolistWorkspace(c, 'dl-files-cc');
    const root = await w.main('GET', `/files/creative-commons/${q}`);
    expect(root.status).toBe(200);
    expect(root.body.Total).toBeGreaterThan(0);
    const dir = root.body.ItemList.find((e: any) => e.IsDirectory);
    const inside = await w.main('GET', `/files/creative-commons/${dir.Path}${q}`);
    expect(inside.body.Total).toBeGreaterThan(0);
    expect(inside.body.ItemList[0].Path.startsWith(`${dir.Path}/`)).toBe(true);
    expectCode(await w.main('GET', `/files/creative-commons/nothing/here${q}`), '18');
    expectCode(await w.main('GET', `/files/creative-commons/a*b${q}`), '33');
    expect((await w.mainB('GET', `/files/creative-commons/${q}`)).body).toEqual(root.body);
  });

  it('lists protocols, creates and lists remotes with a unique name', async () => {
    const w = await dolistWorkspace(c, 'dl-files-remotes');
    const types = await w.main('GET', `/files/remotes/types${q}`);
    expect(types.status).toBe(200);
    expect(types.body.ItemList.map((t: any) => t.Name)).toEqual(['FTP', 'SFTP', 'FTPS']);
    expect((await w.main('GET', `/files/remotes${q}`)).body).toEqual({ ItemList: [], Total: 0 });
    const r = await w.main('POST', `/files/remotes${q}`, { Name: 'Partner', TypeID: 2, Host: 'sftp.partner.example', Login: 'dolist', Password: 'secret' });
    expect(r.status).toBe(201);
    expectCode(await w.main('POST', `/files/remotes${q}`, { Name: 'partner', TypeID: 1, Host: 'h', Login: 'l' }), '1802');
    expectCode(await w.main('POST', `/files/remotes${q}`, { Name: 'Other', TypeID: 9, Host: 'h', Login: 'l' }), '36');
    expect((await w.main('POST', `/files/remotes${q}`, { Name: 'Other', TypeID: 1, Host: 'h', Login: 'l', Port: 2121, Directory: '/in' })).status).toBe(201);
    const list = await w.main('GET', `/files/remotes${q}`);
    expect(list.body.ItemList).toEqual([
      expect.objectContaining({ ID: r.body.ID, Name: 'Partner', TypeID: 2, Port: 22, Directory: '/', Login: 'dolist' }),
      expect.objectContaining({ Name: 'Other', Port: 2121, Directory: '/in' }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain('secret');
    expect((await w.mainB('GET', `/files/remotes${q}`)).body.Total).toBe(0);
    expect((await w.mainB('POST', `/files/remotes${q}`, { Name: 'Partner', TypeID: 2, Host: 'h', Login: 'l' })).status).toBe(201);
  });
});
