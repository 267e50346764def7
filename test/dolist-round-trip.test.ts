// Dolist end to end on a manual clock, the way a client runs a campaign base: an import of a
// CSV file (multipart, with a JSV job part) creates and updates contacts as a job on the clock;
// a target's law selects some of them and its count lands after the operation's delay; an export
// filtered by that target runs on the clock and its CSV holds exactly those contacts. Every
// response is validated against specs/dolist.yaml.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dolistWorkspace, startApp, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await startApp();
});
afterAll(async () => {
  await c.close();
});

function form(file: { name: string; content: string }, part: { name: string; value: string }) {
  const fd = new FormData();
  fd.append('File', new Blob([file.content]), file.name);
  fd.append(part.name, part.value);
  return fd;
}

const SAMPLE = 'Email;Nom;Prenom;Ville\r\n';
const ROWS = [
  'ines.roux@example.com;Roux;Inès;Lyon',
  'paul.morel@example.com;Morel;Paul;Paris',
  'lea.blanc@example.com;Blanc;Léa;Lyon',
  'not-an-email;Faure;Marc;Lyon',
  'hugo.girard@example.com;Girard;Hugo;Lyon',
  'existing@example.com;Martin;Jeanne;Lyon',
];

describe('import -> target -> export', () => {
  it('selects imported contacts with a target and exports exactly them', async () => {
    const w = await dolistWorkspace(c, 'dl-round-trip', { scenario: { name: 'empty base', fixtures: { dolist: { contactBase: { '10001': 0, '10002': 0 } } } } });
    // One contact exists before the import: the import updates it (same email: the composite key).
    const pre = await w.main('POST', '/contacts', { FieldList: [{ ID: 7, Value: 'existing@example.com' }, { ID: 6, Value: 'Marseille' }] });
    expect(pre.status, pre.text).toBe(201);

    // 1. The import: a mapping from a sample file, an import, a job with the data file.
    const mapping = await w.main('POST', '/imports/mappings', form({ name: 'contacts.csv', content: SAMPLE + ROWS[0] + '\r\n' }, { name: 'Mapping', value: '{Name:Base CRM,Separator:;,ContainsColumns:true}' }));
    expect(mapping.status, mapping.text).toBe(201);
    const columns = await w.main('GET', `/imports/mappings/${mapping.body.ID}/columns`);
    expect(columns.body.ItemList.map((col: any) => col.FieldID)).toEqual([7, 2, 3, 6]);
    const imp = await w.main('POST', '/imports', { Name: 'Base CRM', MappingID: mapping.body.ID });
    expect(imp.status, imp.text).toBe(201);
    const job = await w.main('POST', '/imports/jobs', form({ name: 'base.csv', content: SAMPLE + ROWS.join('\r\n') + '\r\n' }, { name: 'Job', value: `{ImportID:${imp.body.ID}}` }));
    expect(job.status, job.text).toBe(201);
    expect((await w.main('GET', `/imports/jobs/${job.body.ID}`)).body.Status).not.toBe('Done');
    await w.advance(10_000);
    const stats = await w.main('GET', `/imports/jobs/${job.body.ID}/stats`);
    expect(stats.body).toMatchObject({ Status: 'Done', Total: 6, Created: 4, Updated: 1, Rejected: 1 });
    const updated = await w.main('GET', `/contacts/${pre.body.ID}`);
    expect(updated.body.FieldList).toEqual(expect.arrayContaining([{ ID: 6, Value: 'Lyon' }, { ID: 2, Value: 'Martin' }]));

    // 2. A target: the contacts of Lyon; its count lands after the operation's delay.
    const target = await w.main('POST', '/targets', { Name: 'Lyonnais' });
    expect(target.status, target.text).toBe(200);
    const law = await w.main('POST', `/targets/${target.body.ID}/laws`, {});
    expect(law.status, law.text).toBe(201);
    const crit = await w.main('POST', `/targets/${target.body.ID}/laws/${law.body.ID}/criterias`, { CriteriaReferenceID: 'FIELD_6', OperatorID: 1, ParameterList: ['lyon'] });
    expect(crit.status, crit.text).toBe(201);
    const op = await w.main('POST', `/targets/${target.body.ID}/count/async`, {});
    expect(op.status).toBe(201);
    expect((await w.main('GET', `/targets/${target.body.ID}`)).body.ContactCount ?? null).toBeNull();
    await w.advance(10_000);
    const counted = await w.main('GET', `/targets/${target.body.ID}`);
    expect(counted.body).toMatchObject({ CountStatus: 'Done', ContactCount: 4 });
    const operation = await c.sim('GET', `/workspaces/${w.id}/operations/${op.body.ID}?api=dolist`);
    expect(operation).toMatchObject({ status: 'succeeded', ref: op.body.ID });

    // 3. An export of that target: email and last name, run on the clock, the CSV downloadable.
    const em = await w.main('POST', '/exports/mappings', { Name: 'Emails', TypeID: 1 });
    expect(em.status, em.text).toBe(201);
    for (const col of [{ ColumnReferenceID: 7, Name: 'Email' }, { ColumnReferenceID: 2, Name: 'Nom' }]) {
      const r = await w.main('POST', `/exports/mappings/${em.body.ID}/columns`, col);
      expect(r.status, r.text).toBe(204);
    }
    const exp = await w.main('POST', '/exports', { Name: 'Lyon', FileName: 'lyon.csv', MappingID: em.body.ID, ColumnSeparator: ';', LineSeparator: 'Lf' });
    expect(exp.status, exp.text).toBe(201);
    const filter = await w.main('POST', `/exports/${exp.body.ID}/filters`, { FilterList: [{ Type: 'Segment', Value: target.body.ID }] });
    expect(filter.status, filter.text).toBeLessThan(300);
    await w.advance(60_000);
    const done = await w.main('GET', `/exports/${exp.body.ID}`);
    expect(done.body.LastJob).toMatchObject({ Status: 'success', RowCount: 4 });
    const file = await w.main('GET', `/exports/${exp.body.ID}/jobs/${done.body.LastJob.ID}/file`);
    expect(file.status).toBe(200);
    const lines = file.text.trim().split('\n');
    expect(lines[0]).toBe('Email;Nom');
    expect(lines.slice(1).sort()).toEqual(['existing@example.com;Martin', 'hugo.girard@example.com;Girard', 'ines.roux@example.com;Roux', 'lea.blanc@example.com;Blanc']);
  });
});
