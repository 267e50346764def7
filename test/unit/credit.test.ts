import { beforeEach, describe, expect, it } from 'vitest';
import { Credit } from '../../src/core/credit.js';
import { Store, type DocStore } from '../../src/core/store.js';

const T = Date.parse('2026-01-05T12:00:00Z');
let doc: DocStore;
let now: number;
let credit: Credit;

beforeEach(async () => {
  doc = await new Store({ dir: null }).open('credit');
  now = T;
  credit = new Credit(doc, () => now);
  credit.open('api', 10, 'EUR');
});

describe('Credit', () => {
  it('opens an account once, recording the initial balance', () => {
    expect(credit.has('api')).toBe(true);
    expect(credit.has('other')).toBe(false);
    credit.open('api', 999, 'USD'); // already there: unchanged
    expect(credit.view('api')).toEqual({
      balance: 10,
      currency: 'EUR',
      reserved: 0,
      available: 10,
      entries: [{ at: '2026-01-05T12:00:00.000Z', amount: 10, reason: 'initial balance', ref: null, balance: 10 }],
    });
    credit.open('empty', 0, 'units');
    expect(credit.view('empty').entries).toEqual([]);
    expect(() => credit.balance('nope')).toThrow('no credit account nope');
  });

  it('charges with 6-decimal rounding and refuses what the balance cannot cover', () => {
    expect(credit.charge('api', 0.1, 'sms', 'm1')).toBe(true);
    expect(credit.charge('api', 0.2, 'sms', 'm2')).toBe(true);
    expect(credit.balance('api')).toBe(9.7);
    expect(credit.charge('api', 9.7000001, 'big', null)).toBe(true); // rounds to 9.7
    expect(credit.balance('api')).toBe(0);
    expect(credit.charge('api', 0.000001, 'one more', null)).toBe(false);
    expect(credit.balance('api')).toBe(0);
    expect(credit.view('api').entries.map((e) => e.amount)).toEqual([10, -0.1, -0.2, -9.7]);
    // A zero charge succeeds and records nothing.
    expect(credit.charge('api', 0, 'free', null)).toBe(true);
    expect(credit.view('api').entries).toHaveLength(4);
  });

  it('canAfford compares with what is available', () => {
    expect(credit.canAfford('api', 10)).toBe(true);
    expect(credit.canAfford('api', 10.000001)).toBe(false);
    expect(credit.canAfford('api', -5)).toBe(true);
    expect(credit.canAfford('api', 0)).toBe(true);
  });

  it('reserves against the available balance and charges from the hold first', () => {
    expect(credit.reserve('api', 'job1', 6)).toBe(true);
    expect(credit.reserve('api', 'job1', 1)).toBe(true);
    expect(credit.reservedTotal('api')).toBe(7);
    expect(credit.available('api')).toBe(3);
    expect(credit.reserve('api', 'job2', 3.5)).toBe(false);
    expect(credit.account('api').reserved).toEqual({ job1: 7 });
    // Another reference cannot use job1's hold.
    expect(credit.charge('api', 4, 'other', 'job2')).toBe(false);
    // job1's charge uses its hold (5 of 7) and nothing else.
    expect(credit.charge('api', 5, 'job1 part', 'job1')).toBe(true);
    expect(credit.account('api').reserved).toEqual({ job1: 2 });
    expect(credit.balance('api')).toBe(5);
    expect(credit.available('api')).toBe(3);
    // Beyond its hold, a charge needs the rest available: 2 held + 3 free = 5.
    expect(credit.charge('api', 5.5, 'too much', 'job1')).toBe(false);
    expect(credit.charge('api', 5, 'rest', 'job1')).toBe(true);
    expect(credit.account('api').reserved).toEqual({});
    expect(credit.balance('api')).toBe(0);
  });

  it('release drops all or part of a hold, and ignores unknown references', () => {
    credit.reserve('api', 'r', 4);
    credit.release('api', 'r', 1.5);
    expect(credit.account('api').reserved).toEqual({ r: 2.5 });
    credit.release('api', 'r', 2.5);
    expect(credit.account('api').reserved).toEqual({});
    credit.reserve('api', 'r', 4);
    credit.release('api', 'r');
    credit.release('api', 'unknown');
    expect(credit.reservedTotal('api')).toBe(0);
    expect(credit.balance('api')).toBe(10);
  });

  it('refunds and sets balances, recording the difference with timestamps', () => {
    credit.refund('api', 2.5, 'refund', 'm1');
    credit.refund('api', 0, 'nothing', null);
    now = T + 1000;
    credit.set('api', 3);
    const v = credit.view('api');
    expect(v.balance).toBe(3);
    expect(v.entries.slice(1)).toEqual([
      { at: '2026-01-05T12:00:00.000Z', amount: 2.5, reason: 'refund', ref: 'm1', balance: 12.5 },
      { at: '2026-01-05T12:00:01.000Z', amount: -9.5, reason: 'balance set', ref: null, balance: 3 },
    ]);
    expect(credit.view('api', 1).entries.map((e) => e.reason)).toEqual(['balance set']);
  });

  it('keeps sub-accounts separate from the main account', () => {
    credit.open('api/user/5', 2, 'EUR', 'user created');
    expect(credit.charge('api/user/5', 3, 'too much', null)).toBe(false);
    expect(credit.charge('api/user/5', 2, 'ok', null)).toBe(true);
    expect(credit.balance('api/user/5')).toBe(0);
    expect(credit.balance('api')).toBe(10);
    expect(credit.view('api/user/5').entries.map((e) => e.reason)).toEqual(['user created', 'ok']);
    expect(credit.view('api').entries.map((e) => e.reason)).toEqual(['initial balance']);
  });

  it('a rolled-back transaction undoes balances, holds and entries', () => {
    credit.reserve('api', 'keep', 1);
    const tx = doc.begin();
    credit.charge('api', 4, 'undone', null);
    credit.reserve('api', 'gone', 2);
    credit.release('api', 'keep');
    credit.open('api/sub', 5, 'EUR');
    doc.rollback(tx);
    expect(credit.balance('api')).toBe(10);
    expect(credit.account('api').reserved).toEqual({ keep: 1 });
    expect(credit.has('api/sub')).toBe(false);
    expect(credit.view('api').entries).toHaveLength(1);
    // The entry sequence is reused after the rollback.
    credit.charge('api', 1, 'after', null);
    expect(doc.table('_credit_entries').all().map((e) => e.id)).toEqual(['c0', 'c1']);
  });

  it('keeps at most `capacity` ledger entries', async () => {
    const d = await new Store({ dir: null }).open('cap');
    const c = new Credit(d, () => T, 3);
    c.open('a', 100, 'EUR');
    for (let i = 1; i <= 5; i++) c.charge('a', 1, `c${i}`, null);
    expect(c.view('a').entries.map((e) => e.reason)).toEqual(['c3', 'c4', 'c5']);
    expect(c.balance('a')).toBe(95);
  });
});
