// Unit tests of the platform's domain rules that do not need HTTP: merging right levels, the
// password rules, and the core's paging of computed lists.
import { describe, expect, it } from 'vitest';
import { pageArray } from '../src/core/engine/query.js';
import { mergeRightLevels } from '../src/apis/dolist/rights.js';
import { checkPasswordRules } from '../src/apis/dolist/users.js';
import { style } from '../src/apis/dolist/style.js';

describe('mergeRightLevels', () => {
  it('keeps the highest level of each right, by RightID', () => {
    expect(mergeRightLevels([[{ RightID: 2, LevelID: 1 }, { RightID: 1, LevelID: 3 }], [{ RightID: 2, LevelID: 2 }], []])).toEqual([
      { RightID: 1, LevelID: 3 },
      { RightID: 2, LevelID: 2 },
    ]);
    expect(mergeRightLevels([])).toEqual([]);
  });
});

describe('checkPasswordRules', () => {
  it('asks for 8 characters with a lower-case and an upper-case letter and a digit, saying what is missing', () => {
    expect(() => checkPasswordRules('Abcdefg1')).not.toThrow();
    for (const [pw, missing] of [['Abc1', '8 characters'], ['abcdefg1', 'upper-case'], ['ABCDEFG1', 'lower-case'], ['Abcdefgh', 'digit']]) {
      try {
        checkPasswordRules(pw);
        expect.unreachable(pw);
      } catch (e: any) {
        expect(e.details.code).toBe('902');
        expect(e.details.detail).toContain(missing);
      }
    }
  });
});

describe('pageArray (core)', () => {
  const items = [1, 2, 3, 4, 5];
  it('pages a computed list as the style says, with the total', () => {
    expect(pageArray(style.list, items, {})).toMatchObject({ items, page: { total: 5, count: 5 } });
    expect(pageArray(style.list, items, { Offset: 3, Limit: 1 })).toMatchObject({ items: [4], page: { offset: 3, total: 5, count: 1, pageCount: 5 } });
    expect(pageArray(style.list, items, { offset: '4', limit: '10' }).items).toEqual([5]);
    expect(pageArray(style.list, items, { Offset: 9 }).items).toEqual([]);
  });
  it('refuses what a collection list refuses', () => {
    expect(() => pageArray(style.list, items, { Limit: 0 })).toThrow(/Limit/);
    expect(() => pageArray(style.list, items, { Offset: -1 })).toThrow(/Offset/);
  });
});
