// Dolist imports over HTTP: mappings made from a multipart sample (JSV or JSON `Mapping` part),
// their columns, the action catalogues, imports with interests and recipients, and import jobs
// that read an uploaded CSV into the contacts on the workspace clock (Pending -> Running -> Done),
// with their statistics and report. Every response is validated against specs/dolist.yaml.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/apis/dolist/error-catalogue.js';
import { dolistWorkspace, startApp, type Client, type Res } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

type W = Awaited<ReturnType<typeof dolistWorkspace>>;
type Caller = W['main'];

/** The catalogue's answer for a code: status, ErrorCode, Message verbatim. */
function expectCode(r: Res, code: string) {
  expect({ status: r.status, code: r.body?.ResponseStatus?.ErrorCode }, r.text).toEqual({ status: CATALOGUE[code][0], code });
  expect(r.body.ResponseStatus.Message).toBe(CATALOGUE[code][1]);
}

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
  });
});
