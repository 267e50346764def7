import { describe, expect, it } from 'vitest';
import { conflictState, forbidden, invalid, isSimError, notFound, SimError } from '../../src/core/errors.js';

describe('SimError', () => {
  it('carries a kind, a message and details', () => {
    const e = new SimError('rule', 'sender blocked', { code: '1012', field: 'from' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('SimError');
    expect(e.kind).toBe('rule');
    expect(e.message).toBe('sender blocked');
    expect(e.details).toEqual({ code: '1012', field: 'from' });
    expect(new SimError('internal', 'x').details).toEqual({});
  });

  it('has helpers for the common kinds', () => {
    expect([invalid('a'), notFound('b'), conflictState('c'), forbidden('d')].map((e) => [e.kind, e.message])).toEqual([
      ['invalid', 'a'],
      ['not_found', 'b'],
      ['state', 'c'],
      ['forbidden', 'd'],
    ]);
    expect(invalid('x', { field: 'f' }).details.field).toBe('f');
  });

  it('isSimError tells SimErrors from other values', () => {
    expect(isSimError(notFound('x'))).toBe(true);
    expect(isSimError(new Error('x'))).toBe(false);
    expect(isSimError({ kind: 'invalid', message: 'x' })).toBe(false);
    expect(isSimError(null)).toBe(false);
  });
});
