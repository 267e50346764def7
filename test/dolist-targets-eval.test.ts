// Unit tests of the target evaluator (target-eval.ts) and the criterion rules (target-criteria.ts)
// on a workspace whose contact base is made here, contact by contact, through the domain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContact, contactsTable } from '../src/apis/dolist/contacts.js';
import { evaluate } from '../src/apis/dolist/target-eval.js';
import { checkCriteria, storedCriteriaProblem } from '../src/apis/dolist/target-criteria.js';
import { OP } from '../src/apis/dolist/target-catalogue.js';
import { insertLaw, insertTarget, type CriteriaRec, type LawOperator } from '../src/apis/dolist/targets.js';
import type { Workspace } from '../src/core/workspace.js';
import { dolistWorkspace, startApp, type Client } from './helpers.js';

let c: Client;
let ws: Workspace;
const A = '10001';
const DAY = 86400_000;

beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
  await dolistWorkspace(c, 'dlt-unit', { scenario: { name: 'empty', fixtures: { dolist: { contactBase: { '10001': 0, '10002': 0 } } } } });
  ws = c.app.runtime.require('dlt-unit');
  const people: Array<[string, Record<number, string>, number[], number]> = [
    ['ann@x.fr', { 3: 'Ann', 10: '1980-05-01', 72: '1' }, [5001], 10],
    ['bob@x.fr', { 3: 'Bob', 10: '1995-01-01', 72: '7' }, [5001, 5002], 200],
    ['cid@x.fr', { 3: 'Cid', 72: '1' }, [], 1],
    ['dan@x.fr', { 3: 'dan', 10: '1990-12-31', 72: '4' }, [5003], 400],
  ];
  for (const [email, values, interests, ageDays] of people) {
    const rec = createContact(ws, A, [{ ID: 7, Value: email }, ...Object.entries(values).map(([ID, Value]) => ({ ID: Number(ID), Value }))]);
    const w = contactsTable(ws).get(rec.id)!;
    w.Interests = Object.fromEntries(interests.map((i) => [String(i), { Origin: 1, Date: w.CreateDate }]));
    w.CreateDate = new Date(ws.now() - ageDays * DAY).toISOString();
    contactsTable(ws).put(w);
  }
});
afterAll(async () => {
  await c.close();
});

const crit = (CriteriaReferenceID: string, OperatorID: number, ParameterList: string[] = []) => ({ CriteriaReferenceID, OperatorID, ParameterList }) as CriteriaRec;
const law = (Operator: LawOperator, ...criteria: CriteriaRec[]) => ({ law: { Operator }, criteria });
const names = (laws: ReturnType<typeof law>[]) => evaluate(ws, A, laws).map((x) => x.Values['3']);

describe('evaluate', () => {
  it('AND inside a law, Or / And between laws, left to right; no laws: everybody', () => {
    expect(names([])).toEqual(['Ann', 'Bob', 'Cid', 'dan']);
    expect(names([law('Or', crit('INTEREST_5001', OP.has), crit('FIELD_72', OP.equals, ['1']))])).toEqual(['Ann']);
    expect(names([law('Or', crit('INTEREST_5002', OP.has)), law('Or', crit('INTEREST_5003', OP.has))])).toEqual(['Bob', 'dan']);
    expect(names([law('Or', crit('INTEREST_5001', OP.has)), law('And', crit('FIELD_72', OP.notEquals, ['7']))])).toEqual(['Ann']);
    expect(names([law('Or', crit('INTEREST_5001', OP.hasNot))])).toEqual(['Cid', 'dan']);
  });

  it('text, date, number and group operators; empty values', () => {
    expect(names([law('Or', crit('FIELD_3', OP.equals, ['DAN']))])).toEqual(['dan']);
    expect(names([law('Or', crit('FIELD_3', OP.inList, ['ann', 'cid']))])).toEqual(['Ann', 'Cid']);
    expect(names([law('Or', crit('FIELD_10', OP.isEmpty))])).toEqual(['Cid']);
    expect(names([law('Or', crit('FIELD_10', OP.notEquals, ['1980-05-01']))])).toEqual(['Bob', 'Cid', 'dan']);
    expect(names([law('Or', crit('FIELD_10', OP.between, ['1980-05-01', '1990-12-31']))])).toEqual(['Ann', 'dan']);
    expect(names([law('Or', crit('FIELD_10', OP.greaterThan, ['1990-12-31']))])).toEqual(['Bob']);
    expect(names([law('Or', crit('FIELD_72', OP.notInList, ['7', '4']))])).toEqual(['Ann', 'Cid']);
    expect(names([law('Or', crit('CONTACT_CREATEDATE', OP.inLastDays, ['30']))])).toEqual(['Ann', 'Cid']);
    expect(names([law('Or', crit('CONTACT_CREATEDATE', OP.moreThanDaysAgo, ['300']))])).toEqual(['dan']);
    expect(names([law('Or', crit('GROUP_501', OP.has))])).toEqual(['Ann', 'Bob', 'dan']);
    expect(names([law('Or', crit('GROUP_501', OP.inList, ['5002', '5003']))])).toEqual(['Bob', 'dan']);
    expect(names([law('Or', crit('GROUP_502', OP.hasNot))])).toEqual(['Ann', 'Bob', 'Cid', 'dan']);
    // A reference that is gone selects nobody.
    expect(names([law('Or', crit('FIELD_999', OP.isEmpty))])).toEqual([]);
  });
});

describe('criteria rules', () => {
  it('normalises values and reports stored criteria that went bad', () => {
    const t = insertTarget(ws, A, { Name: 'unit' });
    const l = insertLaw(ws, t, {});
    expect(checkCriteria(ws, A, l, { CriteriaReferenceID: 'field_10', OperatorID: OP.equals, ParameterList: ['24/12/1990'] })).toEqual({ CriteriaReferenceID: 'FIELD_10', OperatorID: OP.equals, ParameterList: ['1990-12-24'], SearchControlTypeID: 3 });
    expect(checkCriteria(ws, A, l, { CriteriaReferenceID: 'FIELD_7', OperatorID: OP.equals, ParameterList: ['ANN@X.FR'] }).ParameterList).toEqual(['ann@x.fr']);
    expect(checkCriteria(ws, A, l, { CriteriaReferenceID: 'FIELD_14', OperatorID: OP.equals, ParameterList: ['06 12 34 56 78'] }).ParameterList).toEqual(['+33612345678']);
    expect(() => checkCriteria(ws, A, l, { CriteriaReferenceID: 'FIELD_14', OperatorID: OP.equals, ParameterList: ['12'] })).toThrow(/criteria type/);
    expect(storedCriteriaProblem(ws, A, { ...crit('FIELD_999', OP.isEmpty), ID: 1 })?.code).toBe('521');
    expect(storedCriteriaProblem(ws, A, { ...crit('FIELD_10', OP.between, ['1990-01-01']), ID: 2 })?.code).toBe('522');
    expect(storedCriteriaProblem(ws, A, { ...crit('FIELD_10', OP.equals, ['soon']), ID: 3 })?.code).toBe('521');
    expect(storedCriteriaProblem(ws, A, { ...crit('FIELD_10', OP.equals, ['1990-01-01']), ID: 4 })).toBeUndefined();
  });
});
