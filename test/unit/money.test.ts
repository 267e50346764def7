import { describe, expect, it } from 'vitest';
import { displayAmount, roundAmount } from '../../src/core/money.js';
import { roundAmount as reexported } from '../../src/core/credit.js';

describe('money', () => {
  it('roundAmount keeps 6 decimals and removes float noise', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(roundAmount(0.1 + 0.2)).toBe(0.3);
    expect(roundAmount(1.2345674)).toBe(1.234567);
    expect(roundAmount(1.2345676)).toBe(1.234568);
    expect(roundAmount(-2.0000004)).toBe(-2);
    expect(roundAmount(0)).toBe(0);
    expect(reexported).toBe(roundAmount);
  });

  it('repeated small charges do not drift', () => {
    let balance = 1;
    for (let i = 0; i < 1000; i++) balance = roundAmount(balance - 0.0007);
    expect(balance).toBe(0.3);
  });

  it('displayAmount shows 4 decimals', () => {
    expect(displayAmount(1.23456)).toBe(1.2346);
    expect(displayAmount(0.00004)).toBe(0);
    expect(displayAmount(12)).toBe(12);
    expect(displayAmount(-0.00756)).toBe(-0.0076);
  });
});
