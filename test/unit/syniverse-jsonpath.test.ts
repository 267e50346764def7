// The JSONPath dialect of fast access rules (value_derivation_script), without HTTP.
import { describe, expect, it } from 'vitest';
import { compileJsonPath, evaluateJsonPath, JsonPathError } from '../../src/apis/syniverse/jsonpath.js';

const doc = {
  first_name: 'Ann',
  extended_attributes: { tier: 'gold', 'loyalty-id': 7, nested: { tier: 'inner' } },
  address_list: [
    { use: 'shipping', city: 'Lyon', priority: 2 },
    { use: 'billing', city: 'Paris', priority: 1 },
  ],
};
const run = (expr: string) => evaluateJsonPath(compileJsonPath(expr), doc);

describe('jsonpath', () => {
  it('reads names, quoted names, indexes, wildcards and recursive descent', () => {
    expect(run('$.first_name')).toEqual(['Ann']);
    expect(run("$['extended_attributes']['loyalty-id']")).toEqual([7]);
    expect(run('$.address_list[1].city')).toEqual(['Paris']);
    expect(run('$.address_list[-1].use')).toEqual(['billing']);
    expect(run('$.address_list[*].city')).toEqual(['Lyon', 'Paris']);
    expect(run('$.address_list.*.priority')).toEqual([2, 1]);
    expect(run('$..tier')).toEqual(['gold', 'inner']);
    expect(run('$.nothing.here')).toEqual([]);
    expect(run('$.address_list[5]')).toEqual([]);
  });

  it('filters with comparisons and presence', () => {
    expect(run("$.address_list[?(@.use == 'billing')].city")).toEqual(['Paris']);
    expect(run('$.address_list[?(@.priority > 1)].city')).toEqual(['Lyon']);
    expect(run('$.address_list[?(@.priority != 1)].city')).toEqual(['Lyon']);
    expect(run('$.address_list[?(@.zip)]')).toEqual([]);
    expect(run('$.address_list[?(@.city)].use')).toEqual(['shipping', 'billing']);
  });

  it('refuses what it cannot read', () => {
    for (const bad of ['first_name', '$.', '$[', '$.a[?(@.x ~ 1)]', '$.a[1:2]', '$..[']) expect(() => compileJsonPath(bad), bad).toThrow(JsonPathError);
  });
});
