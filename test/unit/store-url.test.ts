// `--store` / COMMSIM_STORE: the Redis URL with commsim's own parameters, and its refusals.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli.js';
import { parseStoreUrl } from '../../src/core/fleet/fleet.js';

describe('the shared store URL', () => {
  it('keeps the connection and takes commsim parameters off it', () => {
    expect(parseStoreUrl('redis://127.0.0.1:6379/2')).toEqual({ url: 'redis://127.0.0.1:6379/2', prefix: 'commsim', lockMs: 2000, waitMs: 10_000, pollMs: 200, logMax: 2000 });
    expect(parseStoreUrl('redis://h:1?prefix=ci-7&lockMs=500&pollMs=50')).toMatchObject({ url: 'redis://h:1', prefix: 'ci-7', lockMs: 500, pollMs: 50 });
  });

  it('refuses what it cannot use, in one line', () => {
    expect(() => parseStoreUrl('nonsense')).toThrow(/not a URL/);
    expect(() => parseStoreUrl('postgres://h/db')).toThrow(/unsupported store/);
    expect(() => parseStoreUrl('redis://h:1?lockMs=0')).toThrow(/lockMs must be a positive integer/);
    expect(() => parseStoreUrl('redis://h:1?prefix=a b')).toThrow(/prefix must be/);
    expect(() => parseStoreUrl('redis://h:1?fast=1')).toThrow(/unknown parameter "fast"/);
  });

  it('comes from --store or COMMSIM_STORE', () => {
    expect(parseArgs(['--store', 'redis://h:1'], {}).store).toBe('redis://h:1');
    expect(parseArgs([], { COMMSIM_STORE: 'redis://e:2' }).store).toBe('redis://e:2');
    expect(parseArgs([], {}).store).toBeUndefined();
    expect(() => parseArgs(['--store', 'file:///x'], {})).toThrow(/--store must be a redis:/);
    expect(() => parseArgs([], { COMMSIM_STORE: 'x' })).toThrow(/COMMSIM_STORE must be/);
  });
});
