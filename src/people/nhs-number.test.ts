import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, nhsNumberCheckDigit, normaliseNhsNumber } from './nhs-number.ts';

describe('NHS number Modulus 11', () => {
  it('accepts published valid examples and refuses altered ones', () => {
    // 943 476 5919 is the NHS Digital example number used across NHS API documentation.
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('943-476-5919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('94347659A9')).toBe(false);
  });

  it('computes the check digit, and none when the remainder gives 10', () => {
    expect(nhsNumberCheckDigit('943476591')).toBe(9);
    // 1*10 + 0 + ... + 1*2 = 12; 12 mod 11 = 1; 11 - 1 = 10: no valid number starts 100000001.
    expect(nhsNumberCheckDigit('100000001')).toBeNull();
    // 11 - 0 = 11 becomes check digit 0.
    expect(nhsNumberCheckDigit('000000000')).toBe(0);
  });

  it('never accepts a number whose last digit is changed (every single-digit error is caught)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{9}$/), fc.integer({ min: 1, max: 9 }), (nine, shift) => {
        const check = nhsNumberCheckDigit(nine);
        fc.pre(check !== null);
        const good = `${nine}${check}`;
        const bad = `${nine}${(check! + shift) % 10}`;
        return isValidNhsNumber(good) && !isValidNhsNumber(bad);
      }),
    );
  });

  it('normalises spacing', () => {
    expect(normaliseNhsNumber(' 943 476 5919 ')).toBe('9434765919');
  });
});
