import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { OperationInfo } from '../../src/core/spec.js';
import { coerceForm, describeAjvErrors, dropEmptyEnumParams, dropEmptyOptionalEnums, type AjvError } from '../../src/core/validation.js';

const addFormats = addFormatsModule as unknown as (a: Ajv) => void;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const op = { operationId: 'op' } as OperationInfo;

/** The errors of `data` against `schema`, described as the router does. */
function describe_(schema: object, data: unknown) {
  const v = ajv.compile(schema);
  expect(v(data)).toBe(false);
  return describeAjvErrors(v.errors as AjvError[], op);
}
const body = (schema: object, required = true) => ({ type: 'object', properties: { requestBody: schema }, required: required ? ['requestBody'] : [] });
const item = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 5 },
    code: { type: 'string', minLength: 3, pattern: '^[A-Z]+$' },
    count: { type: 'integer', minimum: 0, multipleOf: 2 },
    kind: { enum: ['a', 'b'] },
    email: { type: 'string', format: 'email' },
    datas: { type: 'object', required: ['lastName'] },
  },
};

describe('coerceForm', () => {
  it('converts strings to the declared types', () => {
    const schema = {
      properties: {
        s: { type: 'string' },
        n: { type: 'number' },
        i: { type: 'integer' },
        b: { type: 'boolean' },
        a: { type: 'array' },
        e: { type: 'array' },
        o: { type: 'object' },
        bad: { type: 'object' },
        nul: { type: 'integer', nullable: true },
        alt: { anyOf: [{ type: 'integer' }, { type: 'boolean' }] },
        one: { oneOf: [{ type: 'boolean' }] },
        all: { allOf: [{ type: 'integer' }] },
        last: { type: 'integer' },
        list: { type: 'array' },
        word: { type: 'integer' },
        yes: { type: 'boolean' },
        num: { type: 'integer' },
        untyped: { description: 'anything' },
        untypedText: { description: 'anything' },
      },
    };
    expect(
      coerceForm(
        {
          s: '012',
          n: '-1.5',
          i: '42',
          b: 'TRUE',
          a: 'x; y ,z',
          e: '',
          o: '{"k":1}',
          bad: '{nope',
          nul: '',
          alt: '7',
          one: 'false',
          all: '3',
          last: ['1', '2'],
          list: ['1', '2'],
          word: 'abc',
          yes: 'yes',
          num: 5,
          free: '',
          freeText: 'v',
          untyped: '',
          untypedText: 'w',
        },
        schema,
      ),
    ).toEqual({
      s: '012',
      n: -1.5,
      i: 42,
      b: true,
      a: ['x', 'y', 'z'],
      e: [],
      o: { k: 1 },
      bad: '{nope',
      nul: null,
      alt: 7,
      one: false,
      all: 3,
      last: 2,
      list: ['1', '2'],
      word: 'abc',
      yes: 'yes',
      num: 5,
      free: null,
      freeText: 'v',
      untyped: null,
      untypedText: 'w',
    });
  });

  it('leaves fields alone without a schema', () => {
    expect(coerceForm({ a: '1', b: ['x'] }, undefined)).toEqual({ a: '1', b: ['x'] });
  });
});

describe('describeAjvErrors', () => {
  it('names a missing body, body field, nested field and parameter', () => {
    expect(describe_(body(item), {}).message).toBe('a request body is required');
    expect(describe_(body(item), { requestBody: {} })).toEqual({ message: "missing required body field 'name'", tooLong: false, field: 'name', reason: 'missing' });
    expect(describe_(body(item), { requestBody: { name: 'a', datas: {} } })).toMatchObject({ message: "missing required body field 'datas.lastName'", field: 'datas' });
    const params = { type: 'object', properties: { query: { type: 'object', required: ['limit'] } } };
    expect(describe_(params, { query: {} }).message).toBe("missing required query parameter 'limit'");
    const nested = { type: 'object', properties: { query: { type: 'object', properties: { f: { type: 'object', required: ['x'] } } } } };
    expect(describe_(nested, { query: { f: {} } }).message).toBe("missing required query parameter 'f.x'");
  });

  it('describes type, enum, format, bounds, pattern, lengths and unknown properties', () => {
    const d = (v: unknown) => describe_(body(item), { requestBody: { name: 'a', ...(v as object) } }).message;
    expect(d({ count: 'x' })).toBe("body field 'count' must be of type integer");
    expect(d({ kind: 'c' })).toBe(`body field 'kind' must be one of "a", "b"`);
    expect(d({ email: 'nope' })).toBe("body field 'email' must be a valid email");
    expect(d({ count: -2 })).toBe("body field 'count' must be >= 0");
    expect(d({ count: 3 })).toBe("body field 'count' must be multiple of 2");
    expect(d({ code: 'abc' })).toBe("body field 'code' has an invalid format");
    expect(d({ code: 'AB' })).toBe("body field 'code' must not be empty (minimum 3 characters)");
    expect(describe_(body(item), { requestBody: { name: '' } }).message).toBe("body field 'name' must not be empty");
    expect(d({ zzz: 1 })).toBe("body has an unknown property 'zzz'");
    expect(describe_(body(item), { requestBody: [] }).message).toBe("body field '(root)' must be an object");
    expect(describe_({ type: 'object', properties: { query: { type: 'object', additionalProperties: false } } }, { query: { q: 1 } })).toMatchObject({ message: "query has an unknown property 'q'", reason: 'unknown' });
    expect(describe_({ type: 'object', properties: { path: { type: 'object', properties: { id: { type: 'integer' } } } } }, { path: { id: 'x' } })).toMatchObject({ message: "path parameter 'id' must be of type integer", reason: 'format' });
  });

  it('flags a value that is only too long', () => {
    expect(describe_(body(item), { requestBody: { name: 'toolong' } })).toEqual({ message: "body field 'name' is too long (maximum 5 characters)", tooLong: true, field: 'name', reason: 'format' });
    // Too long and something else: not only a length problem.
    expect(describe_(body(item), { requestBody: { name: 'toolong', count: 'x' } })).toMatchObject({ tooLong: false, message: "body field 'name' is too long (maximum 5 characters); body field 'count' must be of type integer" });
  });

  it('reports an anyOf once with the accepted types, or as too long', () => {
    const s = body({ type: 'object', properties: { value: { anyOf: [{ type: 'integer' }, { type: 'string', maxLength: 3 }] } } });
    expect(describe_(s, { requestBody: { value: true } })).toMatchObject({ message: "body field 'value' must be integer or string", tooLong: false });
    expect(describe_(s, { requestBody: { value: 'abcd' } })).toEqual({ message: "body field 'value' is too long", tooLong: true, field: 'value', reason: 'format' });
    const noTypes = body({ type: 'object', properties: { v: { oneOf: [{ minimum: 5 }, { maximum: 1 }] } } });
    expect(describe_(noTypes, { requestBody: { v: 3 } }).message).toBe("body field 'v' must be valid");
    const q = { type: 'object', properties: { query: { type: 'object', properties: { v: { anyOf: [{ type: 'integer' }, { type: 'boolean' }] } } } } };
    expect(describe_(q, { query: { v: 'x' } }).message).toBe("query parameter 'v' must be integer or boolean");
  });

  it('names required aliases as alternatives', () => {
    const aliases = body({ type: 'object', anyOf: [{ required: ['lastName'] }, { required: ['lastname'] }, { required: ['last_name'] }] });
    expect(describe_(aliases, { requestBody: {} })).toMatchObject({ message: "missing required body field 'lastName' (or 'lastname', or 'last_name')", tooLong: false, field: 'lastName', reason: 'missing' });
    const pairs = body({ type: 'object', properties: { datas: { type: 'object', anyOf: [{ required: ['a', 'b'] }, { required: ['c'] }] } } });
    expect(describe_(pairs, { requestBody: { datas: {} } }).message).toBe("missing required body fields 'datas.a' + 'datas.b' (or 'datas.c')");
    const single = body({ type: 'object', anyOf: [{ required: ['only'] }] });
    expect(describe_(single, { requestBody: {} }).message).toBe("missing required body field 'only'");
    const q = { type: 'object', properties: { query: { type: 'object', anyOf: [{ required: ['id'] }, { required: ['ids'] }] } } };
    expect(describe_(q, { query: {} }).message).toBe("missing required query parameter 'id' (or 'ids')");
  });

  it('reports errors beside an anyOf, skips `if`, and removes duplicates', () => {
    const s = body({
      type: 'object',
      required: ['x'],
      anyOf: [{ required: ['a'] }, { required: ['b'] }],
      if: { required: ['k'] },
      then: { required: ['kk'] },
    });
    expect(describe_(s, { requestBody: { k: 1 } }).message).toBe("missing required body field 'a' (or 'b'); missing required body field 'kk'; missing required body field 'x'");
    const dup: AjvError[] = [
      { instancePath: '/requestBody/a', keyword: 'type', params: { type: 'string' }, schemaPath: '#/x' },
      { instancePath: '/requestBody/a', keyword: 'type', params: { type: 'string' }, schemaPath: '#/y' },
    ];
    expect(describeAjvErrors(dup, op).message).toBe("body field 'a' must be of type string");
  });

  it('handles hand-made errors without schema paths or messages', () => {
    expect(describeAjvErrors([], op)).toEqual({ message: 'invalid request', tooLong: false, field: undefined, reason: 'format' });
    const e: AjvError[] = [{ instancePath: '/requestBody/a~1b', keyword: 'custom', params: {}, schemaPath: '' }];
    expect(describeAjvErrors(e, op).message).toBe("body field 'a/b' is invalid");
    const alt: AjvError[] = [
      { instancePath: '/requestBody', keyword: 'anyOf', params: {}, schemaPath: '' },
      { instancePath: '/requestBody', keyword: 'required', params: { missingProperty: 'p' }, schemaPath: '' },
      { instancePath: '/requestBody', keyword: 'required', params: { missingProperty: 'q' }, schemaPath: '' },
    ];
    expect(describeAjvErrors(alt, op).message).toBe("missing required body field 'p' (or 'q')");
  });
});

describe('empty strings for optional enums (what vendor SDKs send for "unset")', () => {
  const schema = {
    type: 'object',
    required: ['mode'],
    properties: {
      priority: { type: 'string', enum: ['high', 'normal', 'low'] },
      ownership: { type: 'string', nullable: true, enum: ['SHARED', 'PRIVATE', null] },
      either: { anyOf: [{ enum: ['a'] }, { enum: ['b'] }] },
      mixed: { anyOf: [{ enum: ['a'] }, { type: 'string' }] },
      blankOk: { type: 'string', enum: ['', 'x'] },
      mode: { type: 'string', enum: ['on', 'off'] },
      name: { type: 'string' },
    },
  };

  it("drops '' of an optional enum property, keeps everything else, and does not change the input", () => {
    const input = { priority: '', ownership: '', either: '', mixed: '', blankOk: '', mode: '', name: '' };
    const out = dropEmptyOptionalEnums(input, schema);
    expect(out).toEqual({ mixed: '', blankOk: '', mode: '', name: '' });
    expect(input.priority).toBe('');
    const v = ajv.compile(schema);
    expect(v(out)).toBe(false); // the required enum keeps its '' and is refused
    expect(v({ ...out, mode: 'on' })).toBe(true);
    expect(v(input)).toBe(false);
  });

  it('leaves non-empty values, non-objects and schemas without properties alone', () => {
    const input = { priority: 'high' };
    expect(dropEmptyOptionalEnums(input, schema)).toBe(input);
    expect(dropEmptyOptionalEnums('', schema)).toBe('');
    expect(dropEmptyOptionalEnums(undefined, schema)).toBe(undefined);
    expect(dropEmptyOptionalEnums([{ priority: '' }], schema)).toEqual([{ priority: '' }]);
    expect(dropEmptyOptionalEnums({ priority: '' }, { type: 'object' })).toEqual({ priority: '' });
  });

  it('looks into nested objects and arrays of objects (request envelopes)', () => {
    const wrapped = { type: 'object', properties: { datas: schema, list: { type: 'array', items: schema } } };
    const input = { datas: { priority: '', name: 'a' }, list: [{ priority: 'low' }, { ownership: '' }], other: { priority: '' } };
    const out = dropEmptyOptionalEnums(input, wrapped);
    expect(out).toEqual({ datas: { name: 'a' }, list: [{ priority: 'low' }, {}], other: { priority: '' } });
    expect(input.datas.priority).toBe('');
    expect(out.list[0]).toBe(input.list[0]);
    const untouched = { datas: { priority: 'high' } };
    expect(dropEmptyOptionalEnums(untouched, wrapped)).toBe(untouched);
  });

  it('drops an empty enum query parameter, keeps an empty free-text one', () => {
    const q: Record<string, unknown> = { state: '', name: '', kind: 'a' };
    dropEmptyEnumParams(q, { state: { type: 'string', enum: ['A', 'B'] }, name: { type: 'string' }, kind: { enum: ['a'] } });
    expect(q).toEqual({ name: '', kind: 'a' });
  });
});
