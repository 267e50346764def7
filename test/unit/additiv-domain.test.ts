// additiv domain modules without HTTP: the GraphQL export filter (parse, compile against the
// schema's fields, evaluate), details paths (flatten/unflatten, change texts), the JSON schema
// derived from field metadata, and the ApiError rendering.
import { describe, expect, it } from 'vitest';
import { renderError } from '../../src/apis/additiv/errors.js';
import { compileWhere, matches, parseQuery } from '../../src/apis/additiv/graphql.js';
import { flatten, jsonSchemaOf, parseComponents, unflatten, valueText } from '../../src/apis/additiv/schemas.js';
import { SimError } from '../../src/core/errors.js';

const FIELDS = new Map([
  ['id', 'number'],
  ['personalInformation.displayName', 'string'],
  ['address.country', 'string'],
  ['financialInformation.annualIncome', 'number'],
  ['preferences.newsletter', 'boolean'],
] as const);

const where = (text: string) => {
  const q = parseQuery(text);
  return q.where ? compileWhere(text, q.where, new Map(FIELDS)) : null;
};

const shannon: Record<string, unknown> = { id: 1, 'personalInformation.displayName': 'Shannon Crawford', 'address.country': 'CH', 'financialInformation.annualIncome': 180000, 'preferences.newsletter': true };
const lukas: Record<string, unknown> = { id: 2, 'personalInformation.displayName': 'Lukas Meier', 'address.country': 'CH', 'financialInformation.annualIncome': 95000 };
const read = (e: Record<string, unknown>) => (p: string) => e[p];

describe('GraphQL where', () => {
  it('parses the seed example (empty selection set included) and evaluates contains', () => {
    const f = where('query { contacts( where: { and: [{ personalInformation: { displayName: { contains: "Shannon" } } }] } ) { items { } } }')!;
    expect(f).toEqual({ and: [{ path: 'personalInformation.displayName', op: 'contains', value: 'Shannon' }] });
    expect(matches(f, read(shannon))).toBe(true);
    expect(matches(f, read(lukas))).toBe(false);
    expect(parseQuery('{ contacts { items { id } } }')).toMatchObject({ root: 'contacts', where: null });
  });

  it('combines or/and, comparisons, in/nin and negations; text ignores case, a missing value never matches', () => {
    const f = where('{ contacts(where: { or: [{ financialInformation: { annualIncome: { gte: 100000 } } }, { id: { in: [2, 3] } }] }) { items { id } } }')!;
    expect([shannon, lukas].map((e) => matches(f, read(e)))).toEqual([true, true]);
    const g = where('{ contacts(where: { personalInformation: { displayName: { startsWith: "luk", ncontains: "x" } }, preferences: { newsletter: { neq: true } } }) { items { id } } }')!;
    expect([shannon, lukas].map((e) => matches(g, read(e)))).toEqual([false, true]);
    const h = where('{ contacts(where: { address: { country: { nin: ["DE", "FR"] } }, financialInformation: { annualIncome: { lt: 100000 } } }) { items { id } } }')!;
    expect([shannon, lukas].map((e) => matches(h, read(e)))).toEqual([false, true]);
  });

  it('names the line, column and position of a syntax error, and refuses unknown fields, operators and arguments', () => {
    expect(() => parseQuery('query {\n  contacts(where: { id: { eq: } }) { items }\n}')).toThrow(/line 2, column 31 \(position 38\): expected a value, found '\}'/);
    expect(() => parseQuery('{ contacts(where: { id: { eq: "a }) }')).toThrow(/unterminated string/);
    expect(() => parseQuery('{ contacts(first: 3) { items } }')).toThrow(/unknown argument 'first'/);
    expect(() => parseQuery('mutation { contacts { items } }')).toThrow(/expected 'query' or '\{', found 'mutation'/);
    expect(() => parseQuery('{ contacts { items } } extra')).toThrow(/unexpected 'extra' after the query/);
    expect(() => where('{ contacts(where: { shoeSize: { eq: 1 } }) { items } }')).toThrow(/unknown field 'shoeSize'/);
    expect(() => where('{ contacts(where: { id: { like: 1 } }) { items } }')).toThrow(/unknown operator 'like' for 'id'/);
    expect(() => where('{ contacts(where: { preferences: { newsletter: { gt: true } } }) { items } }')).toThrow(/unknown operator 'gt'/);
    expect(() => where('{ contacts(where: { id: { in: 1 } }) { items } }')).toThrow(/'in' takes a list/);
  });
});

describe('details paths and schemas', () => {
  it('flattens details to leaf paths (arrays are leaves) and back, nulls removed', () => {
    const d = { a: { b: 1, c: { d: 'x' } }, e: ['p', 'q'], f: null };
    const flat = flatten(d);
    expect([...flat]).toEqual([
      ['a.b', 1],
      ['a.c.d', 'x'],
      ['e', ['p', 'q']],
      ['f', null],
    ]);
    expect(unflatten(flat)).toEqual({ a: { b: 1, c: { d: 'x' } }, e: ['p', 'q'] });
    expect([valueText('x'), valueText(3), valueText(['a']), valueText(undefined)]).toEqual(['x', '3', '["a"]', null]);
  });

  it('derives the JSON schema from the field metadata and reads schema components', () => {
    const js = jsonSchemaOf([
      { key: 'p.first', label: { en: 'First' }, fieldType: 'Text', isRequired: true, validations: { maxLength: 10 } },
      { key: 'p.born', label: { en: 'Born' }, fieldType: 'Date' },
      { key: 'tags', label: { en: 'Tags' }, fieldType: 'List', listKey: 'tags', isArrayItem: true },
    ]) as any;
    expect(js.properties.p).toEqual({ type: 'object', properties: { first: { type: 'string', maxLength: 10 }, born: { type: 'string', format: 'date' } }, required: ['first'] });
    expect(js.properties.tags).toEqual({ type: 'array', items: { type: 'string' } });
    expect(parseComponents('{"fields":[{"key":"a","fieldType":"Text","label":"A"}]}')).toEqual({ fields: [{ key: 'a', fieldType: 'Text', label: { en: 'A' } }], layout: [] });
    expect(() => parseComponents('{"fields":[{"key":"a","fieldType":"Text"},{"key":"a","fieldType":"Text"}]}')).toThrow(/declared twice/);
    expect(() => parseComponents('{"fields":[{"key":"a","fieldType":"Text","validations":{"regularExpression":"("}}]}')).toThrow(/regularExpression/);
  });
});

describe('ApiError', () => {
  it('renders code by status, subCode by rule, a 32-hex correlationId', () => {
    const r = renderError(new SimError('rule', 'wrong key', { code: 'KeyNoMatch' }));
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 'BadRequest', subCode: 'KeyNoMatch', message: 'wrong key', correlationId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(renderError(new SimError('stale', 'old token')).body).toMatchObject({ code: 'Conflict', subCode: 'NA' });
    expect(renderError(new SimError('not_found', 'nope')).status).toBe(404);
    expect(renderError(new SimError('fault', 'down', { status: 503 })).body).toMatchObject({ code: 'ServiceUnavailable' });
    expect(renderError(new SimError('internal', 'bug')).body).toMatchObject({ code: 'General' });
  });
});
